"""The fake softphone keeps the port's contract, so unit and UI tests can trust it."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from typing import Any

import pytest

from agentdesk.domain.enums import CallDirection
from agentdesk.telephony.cti_context import CtiContext
from agentdesk.telephony.port import (
    CallAnswered,
    CallDialed,
    CallEnded,
    CallHeld,
    CallOffered,
    CallOutcome,
    CallResumed,
    CallRinging,
    DtmfMethod,
    DtmfReceived,
    RecordingStarted,
    RecordingStopped,
    RegistrationChanged,
    RegistrationState,
    SipConfig,
    Softphone,
    SoftphoneError,
    SoftphoneEvent,
    TransferCompleted,
    UnknownCall,
)
from tests.support.fake_softphone import FakeSoftphone

CTX = CtiContext("contact", "0190a8f2-7c1e-7b3a-9f00-123456789abc")


MakeFake = Callable[..., tuple[FakeSoftphone, list[SoftphoneEvent]]]


@pytest.fixture
def make_fake() -> MakeFake:
    def make(**config: Any) -> tuple[FakeSoftphone, list[SoftphoneEvent]]:
        fake = FakeSoftphone(SipConfig(**config))
        events: list[SoftphoneEvent] = []
        fake.subscribe(events.append)
        return fake, events

    return make


def kinds(events: list[SoftphoneEvent]) -> list[str]:
    return [type(e).__name__ for e in events]


def test_the_fake_is_a_softphone() -> None:
    assert isinstance(FakeSoftphone(), Softphone)


def test_inbound_call_offered_answered_and_ended_by_caller(make_fake: MakeFake) -> None:
    fake, events = make_fake()
    call_id = fake.offer_call("+4930123456", display_name="Bob", context=CTX)
    assert call_id is not None
    offered = events[0]
    assert isinstance(offered, CallOffered)
    assert (offered.call_id, offered.remote_number, offered.context) == (
        call_id,
        "+4930123456",
        CTX,
    )
    fake.answer(call_id).result()
    fake.remote_hangup(call_id)
    assert kinds(events) == ["CallOffered", "CallAnswered", "CallEnded"]
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert (ended.outcome, ended.direction) == (
        CallOutcome.ANSWERED_COMPLETED,
        CallDirection.INBOUND,
    )


def test_anonymous_caller_has_no_identity(make_fake: MakeFake) -> None:
    fake, events = make_fake()
    fake.offer_call("+4930123456", display_name="Bob", anonymous=True)
    offered = events[0]
    assert isinstance(offered, CallOffered)
    assert (offered.remote_number, offered.remote_display_name, offered.anonymous) == (
        None,
        None,
        True,
    )


def test_reject_and_busy_like_the_adapter(make_fake: MakeFake) -> None:
    fake, events = make_fake(call_waiting=False)
    first = fake.offer_call()
    assert first is not None
    fake.answer(first).result()
    assert fake.offer_call() is None  # 486 without bothering the agent, who is told of it
    assert kinds(events) == ["CallOffered", "CallAnswered", "CallOffered"]
    refused = events[-1]
    assert isinstance(refused, CallOffered) and refused.busy_refused
    fake.remote_hangup(first)
    second = fake.offer_call()
    assert second is not None
    fake.reject(second).result()
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert (ended.sip_code, ended.outcome) == (603, CallOutcome.REJECTED)


def test_call_waiting_offers_a_second_call(make_fake: MakeFake) -> None:
    fake, events = make_fake(call_waiting=True)
    first = fake.offer_call()
    assert first is not None
    fake.answer(first).result()
    assert fake.offer_call() is not None
    assert kinds(events).count("CallOffered") == 2


@pytest.mark.parametrize(
    ("code", "outcome"),
    [
        (486, CallOutcome.BUSY),
        (480, CallOutcome.NO_ANSWER),
        (408, CallOutcome.NO_ANSWER),
        (404, CallOutcome.INVALID_NUMBER),
        (484, CallOutcome.INVALID_NUMBER),
        (603, CallOutcome.DECLINED),
        (500, CallOutcome.FAILED),
    ],
)
def test_outbound_failures_map_to_the_same_outcomes(
    make_fake: MakeFake, code: int, outcome: CallOutcome
) -> None:
    fake, events = make_fake()
    call_id = fake.dial("sip:+15550002222@pbx").result()
    fake.remote_ringing(call_id)
    fake.remote_reject(call_id, code)
    assert kinds(events) == ["CallDialed", "CallRinging", "CallEnded"]
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert (ended.sip_code, ended.outcome) == (code, outcome)


def test_agent_cancel_is_487_cancelled(make_fake: MakeFake) -> None:
    fake, events = make_fake()
    call_id = fake.dial("+15550002222").result()
    fake.hangup(call_id).result()
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert (ended.sip_code, ended.outcome) == (487, CallOutcome.CANCELLED)


def test_commands_on_unknown_or_ended_calls_fail_with_unknown_call(make_fake: MakeFake) -> None:
    fake, _ = make_fake()
    with pytest.raises(UnknownCall):
        fake.answer("nope").result()
    call_id = fake.dial("+15550002222").result()
    fake.remote_reject(call_id, 486)
    for command in (fake.hangup, fake.hold, fake.resume, fake.mute):
        with pytest.raises(UnknownCall):
            command(call_id).result()


def test_wrong_state_commands_fail_with_softphone_error(make_fake: MakeFake) -> None:
    fake, _ = make_fake()
    call_id = fake.dial("+15550002222").result()
    with pytest.raises(SoftphoneError):
        fake.answer(call_id).result()  # an outbound call cannot be answered by us
    with pytest.raises(SoftphoneError):
        fake.hold(call_id).result()  # not connected yet
    with pytest.raises(SoftphoneError):
        fake.register("pw").result()  # direct mode


def test_hold_resume_dtmf_and_recording(make_fake: MakeFake, tmp_path: Path) -> None:
    fake, events = make_fake(recordings_dir=tmp_path)
    call_id = fake.dial("+15550002222").result()
    fake.remote_answer(call_id, rfc2833=False)
    fake.hold(call_id).result()
    fake.hold(call_id).result()  # already held: no second event
    fake.resume(call_id).result()
    assert fake.send_dtmf(call_id, "12#").result() is DtmfMethod.SIP_INFO
    with pytest.raises(SoftphoneError):
        fake.send_dtmf(call_id, "x").result()
    fake.remote_dtmf(call_id, "5", DtmfMethod.RFC2833)
    path = fake.start_recording(call_id).result()
    assert path.parent == tmp_path
    assert fake.stop_recording(call_id).result() == path
    assert [type(e) for e in events[2:]] == [
        CallHeld,
        CallResumed,
        DtmfReceived,
        RecordingStarted,
        RecordingStopped,
    ]
    assert [d for d, _ in fake.calls[call_id].dtmf_sent] == ["1", "2", "#"]


def test_record_calls_records_from_answer_to_end(make_fake: MakeFake, tmp_path: Path) -> None:
    fake, events = make_fake(record_calls=True, recordings_dir=tmp_path)
    call_id = fake.offer_call()
    assert call_id is not None
    fake.answer(call_id).result()
    fake.remote_hangup(call_id)
    assert kinds(events) == [
        "CallOffered",
        "CallAnswered",
        "RecordingStarted",
        "CallEnded",
        "RecordingStopped",  # as the adapter: the file is complete once the call is gone
    ]


def test_blind_transfer_ends_our_leg_as_transferred(make_fake: MakeFake) -> None:
    fake, events = make_fake()
    call_id = fake.offer_call()
    assert call_id is not None
    fake.answer(call_id).result()
    fake.blind_transfer(call_id, "sip:sales@pbx", CTX).result()
    assert fake.calls[call_id].transfer_context == CTX
    fake.finish_transfer(call_id)
    done = next(e for e in events if isinstance(e, TransferCompleted))
    assert done.success
    ended = events[-1]
    assert isinstance(ended, CallEnded)
    assert ended.outcome is CallOutcome.TRANSFERRED


def test_failed_transfer_keeps_the_call(make_fake: MakeFake) -> None:
    fake, events = make_fake()
    call_id = fake.offer_call()
    assert call_id is not None
    fake.answer(call_id).result()
    fake.blind_transfer(call_id, "sip:sales@pbx").result()
    fake.finish_transfer(call_id, success=False, code=486)
    assert not any(isinstance(e, CallEnded) for e in events)
    fake.hold(call_id).result()  # still a live call


def test_consult_transfer_and_cancel(make_fake: MakeFake) -> None:
    fake, events = make_fake()
    call_id = fake.offer_call()
    assert call_id is not None
    fake.answer(call_id).result()
    consult = fake.start_consult(call_id, "sip:sup@pbx", CTX).result()
    assert fake.calls[consult].headers["X-AgentDesk-Context"] == f"kind=contact;id={CTX.id}"
    with pytest.raises(SoftphoneError):
        fake.complete_consult(call_id).result()  # consult not answered yet
    fake.remote_answer(consult)
    fake.cancel_consult(call_id).result()
    assert not fake.calls[call_id].held

    again = fake.start_consult(call_id, "sip:sup@pbx").result()
    fake.remote_answer(again)
    fake.complete_consult(call_id).result()
    fake.finish_transfer(call_id)
    outcomes = {e.call_id: e.outcome for e in events if isinstance(e, CallEnded)}
    assert outcomes == {
        consult: CallOutcome.ANSWERED_COMPLETED,
        again: CallOutcome.TRANSFERRED,
        call_id: CallOutcome.TRANSFERRED,
    }


def test_register_with_password_and_unregister() -> None:
    fake = FakeSoftphone(SipConfig(mode="register", registrar="pbx"), password="pw")
    events: list[SoftphoneEvent] = []
    fake.subscribe(events.append)
    fake.register("bad").result()
    fake.register("pw").result()
    fake.unregister().result()
    states = [e.state for e in events if isinstance(e, RegistrationChanged)]
    assert states == [
        RegistrationState.REGISTERING,
        RegistrationState.FAILED,
        RegistrationState.REGISTERING,
        RegistrationState.REGISTERED,
        RegistrationState.UNREGISTERED,
    ]
    with pytest.raises(SoftphoneError):
        fake.unregister().result()


def test_dial_in_register_mode_needs_registration() -> None:
    fake = FakeSoftphone(SipConfig(mode="register", registrar="pbx"))
    with pytest.raises(SoftphoneError):
        fake.dial("+15550002222").result()
    fake.register("x").result()
    assert isinstance(fake.dial("+15550002222").exception(), type(None))


def test_closed_fake_refuses_commands() -> None:
    fake = FakeSoftphone()
    fake.close()
    with pytest.raises(SoftphoneError):
        fake.dial("+15550002222").result()
    with pytest.raises(SoftphoneError):
        fake.offer_call()


def test_events_are_frozen() -> None:
    event = CallDialed("c1", "sip-1", "sip:x@y")
    with pytest.raises(AttributeError):
        event.call_id = "c2"  # type: ignore[misc]
    assert CallRinging("c1", 180) == CallRinging("c1", 180)
    assert CallAnswered("c1", CallDirection.INBOUND).direction is CallDirection.INBOUND
