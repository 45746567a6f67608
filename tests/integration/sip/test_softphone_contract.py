"""The Softphone port's contract: the same tests against the fake and against pjsua2 + SIPp.

Each test drives the phone only through ``agentdesk.telephony.port.Softphone`` and states what
the far end does (``far_end``). The ``fake`` variant checks that ``FakeSoftphone``, which the
unit and UI tests rely on, behaves as the real adapter does; the ``pjsua2`` variant runs the
real adapter against SIPp on loopback (marker ``sip``).
"""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, replace
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
    CallMuted,
    CallOffered,
    CallOutcome,
    CallResumed,
    CallRinging,
    CallUnmuted,
    DtmfMethod,
    DtmfReceived,
    RecordingStarted,
    RecordingStopped,
    SipConfig,
    Softphone,
    SoftphoneError,
    TransferCompleted,
    TransferProgress,
    UnknownCall,
)
from tests.integration.sip.events import EventLog
from tests.integration.sip.far_end import Callee, Caller, FakeFarEnd, FarEnd, SippFarEnd
from tests.support.fake_softphone import FakeSoftphone


@dataclass
class Line:
    """A phone under test, the events it reported, and the other party."""

    phone: Softphone
    events: EventLog
    far: FarEnd

    def answered_inbound(self, caller: Caller | None = None) -> CallOffered:
        """A caller rings and the agent answers; returns the offer."""
        self.far.call_in(caller or Caller())
        offered = self.events.wait_for(CallOffered)
        self.phone.answer(offered.call_id).result(5)
        self.events.wait_for(CallAnswered, lambda e: e.call_id == offered.call_id)
        return offered

    def ended(self, call_id: str) -> CallEnded:
        return self.events.wait_for(CallEnded, lambda e: e.call_id == call_id)


@pytest.fixture(params=["fake", pytest.param("pjsua2", marks=pytest.mark.sip)])
def make_line(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[Callable[..., Line]]:
    """Build the phone under test; ``overrides`` replace ``SipConfig`` fields."""
    far_ends: list[FakeFarEnd | SippFarEnd] = []
    fakes: list[FakeSoftphone] = []

    def make(**overrides: Any) -> Line:
        events = EventLog()
        if request.param == "fake":
            config = SipConfig(recordings_dir=tmp_path / "recordings")
            fake = FakeSoftphone(replace(config, **overrides))
            fake.subscribe(events)
            fakes.append(fake)
            far_ends.append(FakeFarEnd(fake))
            return Line(fake, events, far_ends[-1])
        # The pjsua2 Endpoint is one per process: make_phone builds on the session's engine.
        phone, events = request.getfixturevalue("make_phone")(**overrides)
        far_ends.append(SippFarEnd(phone.config.port, request.getfixturevalue("workdir")))
        return Line(phone, events, far_ends[-1])

    yield make
    for far in far_ends:
        far.close()
    for fake in fakes:
        fake.close()


@pytest.fixture
def line(make_line: Callable[..., Line]) -> Line:
    return make_line()


def test_an_incoming_call_is_offered_with_caller_identity_and_headers(line: Line) -> None:
    line.far.call_in(
        Caller(
            number="+13125550199",
            display_name="Dave Jones",
            dialed="+18005550100",
            x_headers={"X-Campaign": "spring-sale"},
        )
    )
    offered = line.events.wait_for(CallOffered)
    assert (offered.remote_number, offered.remote_display_name) == ("+13125550199", "Dave Jones")
    assert (offered.identity_source, offered.anonymous) == ("from", False)
    assert offered.remote_user == "+13125550199"
    assert offered.dialed_number == "+18005550100"
    assert dict(offered.x_headers) == {"x-campaign": "spring-sale"}
    assert offered.sip_call_id

    line.phone.reject(offered.call_id).result(5)
    ended = line.ended(offered.call_id)
    assert (ended.sip_code, ended.outcome, ended.direction) == (
        603,
        CallOutcome.REJECTED,
        CallDirection.INBOUND,
    )
    assert ended.reason == "Decline"
    line.far.finish()


def test_a_caller_who_gives_up_while_ringing_is_missed(line: Line) -> None:
    line.far.call_in(Caller(gives_up=True))
    offered = line.events.wait_for(CallOffered)
    ended = line.ended(offered.call_id)
    assert (ended.sip_code, ended.reason, ended.outcome) == (
        487,
        "Request Terminated",
        CallOutcome.MISSED,
    )
    line.far.finish()
    with pytest.raises(UnknownCall):
        line.phone.answer(offered.call_id).result(5)  # too late


def test_answer_then_the_agent_hangs_up(line: Line) -> None:
    offered = line.answered_inbound()
    answered = line.events.wait_for(CallAnswered)
    assert (answered.call_id, answered.direction) == (offered.call_id, CallDirection.INBOUND)

    line.phone.hangup(offered.call_id).result(5)
    ended = line.ended(offered.call_id)
    # pjsua2 reports the final response of our BYE, not a Q.850 text
    assert (ended.sip_code, ended.reason) == (200, "OK")
    assert ended.outcome is CallOutcome.ANSWERED_COMPLETED
    line.far.finish()
    # The call is gone: commands on it fail with UnknownCall.
    with pytest.raises(UnknownCall):
        line.phone.hangup(offered.call_id).result(5)


def test_the_caller_hangs_up_after_being_answered(line: Line) -> None:
    offered = line.answered_inbound(Caller(hangs_up_after_ms=200))
    ended = line.ended(offered.call_id)
    assert (ended.sip_code, ended.outcome, ended.direction) == (
        200,
        CallOutcome.ANSWERED_COMPLETED,
        CallDirection.INBOUND,
    )
    assert ended.reason == "Normal call clearing"
    line.far.finish()


def test_hold_resume_mute_and_unmute(line: Line) -> None:
    call_id = line.answered_inbound().call_id
    line.phone.hold(call_id).result(5)
    assert line.events.wait_for(CallHeld).call_id == call_id
    line.phone.resume(call_id).result(5)
    assert line.events.wait_for(CallResumed).call_id == call_id
    line.phone.mute(call_id).result(5)
    assert line.events.wait_for(CallMuted).call_id == call_id
    line.phone.unmute(call_id).result(5)
    assert line.events.wait_for(CallUnmuted).call_id == call_id

    line.phone.hangup(call_id).result(5)
    ended = line.ended(call_id)
    assert (ended.sip_code, ended.reason, ended.outcome) == (
        200,
        "OK",
        CallOutcome.ANSWERED_COMPLETED,
    )
    line.far.finish()
    # exactly one of each: a command reports its own change once
    for kind in (CallHeld, CallResumed, CallMuted, CallUnmuted):
        assert len(line.events.of(kind)) == 1, kind


def test_mute_before_answer_and_commands_a_ringing_call_refuses(line: Line) -> None:
    line.far.call_in(Caller())
    call_id = line.events.wait_for(CallOffered).call_id
    line.phone.mute(call_id).result(5)
    assert line.events.wait_for(CallMuted).call_id == call_id
    with pytest.raises(SoftphoneError):
        line.phone.hold(call_id).result(5)
    with pytest.raises(SoftphoneError):
        line.phone.resume(call_id).result(5)
    line.phone.answer(call_id).result(5)
    line.events.wait_for(CallAnswered)
    with pytest.raises(SoftphoneError, match="not ringing"):
        line.phone.answer(call_id).result(5)
    line.phone.hangup(call_id).result(5)
    line.ended(call_id)
    line.far.finish()


def test_dtmf_is_sent_in_band_when_offered_and_received_by_sip_info(line: Line) -> None:
    call_id = line.answered_inbound(Caller(info_digit="4")).call_id
    digit = line.events.wait_for(DtmfReceived)
    assert (digit.call_id, digit.digit, digit.method) == (call_id, "4", DtmfMethod.SIP_INFO)
    # The caller's SDP offers telephone-event, so digits go as RFC 2833 events.
    assert line.phone.send_dtmf(call_id, "1#9").result(5) is DtmfMethod.RFC2833
    line.phone.hangup(call_id).result(5)
    line.ended(call_id)
    line.far.finish()


def test_dtmf_falls_back_to_sip_info_when_telephone_event_is_not_offered(line: Line) -> None:
    call_id = line.phone.dial(line.far.callee(Callee(rfc2833=False))).result(5)
    line.events.wait_for(CallAnswered, lambda e: e.call_id == call_id)
    assert line.phone.send_dtmf(call_id, "5").result(5) is DtmfMethod.SIP_INFO
    line.phone.hangup(call_id).result(5)
    line.ended(call_id)
    line.far.finish()


def test_an_outbound_call_rings_is_answered_and_hung_up(line: Line) -> None:
    target = line.far.callee(Callee())
    call_id = line.phone.dial(target).result(5)
    dialed = line.events.wait_for(CallDialed)
    assert (dialed.call_id, dialed.target) == (call_id, target)
    assert line.events.wait_for(CallRinging).call_id == call_id
    answered = line.events.wait_for(CallAnswered)
    assert (answered.call_id, answered.direction) == (call_id, CallDirection.OUTBOUND)
    line.phone.hangup(call_id).result(5)
    ended = line.ended(call_id)
    assert (ended.outcome, ended.direction) == (
        CallOutcome.ANSWERED_COMPLETED,
        CallDirection.OUTBOUND,
    )
    line.far.finish()


@pytest.mark.parametrize(
    ("code", "reason", "outcome"),
    [
        (486, "Busy Here", CallOutcome.BUSY),
        (480, "Temporarily Unavailable", CallOutcome.NO_ANSWER),
        (408, "Request Timeout", CallOutcome.NO_ANSWER),
        (404, "Not Found", CallOutcome.INVALID_NUMBER),
    ],
)
def test_a_refused_outbound_call_ends_with_its_outcome(
    line: Line, code: int, reason: str, outcome: CallOutcome
) -> None:
    call_id = line.phone.dial(line.far.callee(Callee(refuse=code, reason=reason))).result(5)
    assert line.events.wait_for(CallRinging).call_id == call_id
    ended = line.ended(call_id)
    assert (ended.sip_code, ended.reason, ended.outcome) == (code, reason, outcome)
    assert ended.direction is CallDirection.OUTBOUND
    assert not line.events.of(CallAnswered)
    line.far.finish()


def test_an_unanswered_outbound_call_is_given_up_after_the_ring_timeout(
    make_line: Callable[..., Line],
) -> None:
    line = make_line(ring_timeout_seconds=0.5)
    call_id = line.phone.dial(line.far.callee(Callee(rings_forever=True))).result(5)
    assert line.events.wait_for(CallRinging).call_id == call_id
    ended = line.ended(call_id)
    # We CANCEL it ourselves (487), but the outcome says why.
    assert (ended.sip_code, ended.reason, ended.outcome) == (
        487,
        "Request Terminated",
        CallOutcome.NO_ANSWER,
    )
    line.far.finish()


def test_the_agent_cancels_an_outbound_call_while_it_rings(line: Line) -> None:
    call_id = line.phone.dial(line.far.callee(Callee(rings_forever=True))).result(5)
    line.events.wait_for(CallRinging)
    line.phone.hangup(call_id).result(5)
    ended = line.ended(call_id)
    assert (ended.sip_code, ended.reason, ended.outcome) == (
        487,
        "Request Terminated",
        CallOutcome.CANCELLED,
    )
    line.far.finish()


def test_blind_transfer_hands_the_caller_over_and_ends_our_leg(line: Line) -> None:
    target = line.far.callee(Callee())
    call_id = line.answered_inbound(Caller(transferee=True)).call_id
    context = CtiContext("case", "0190a8f2-7c1e-7b3a-9f00-00000000c0de")
    line.phone.blind_transfer(call_id, target, context).result(5)

    done = line.events.wait_for(TransferCompleted)
    assert (done.call_id, done.success, done.code) == (call_id, True, 200)
    progress = line.events.of(TransferProgress)
    assert progress[0].code == 100 and progress[-1].code == 200
    ended = line.ended(call_id)
    assert (ended.sip_code, ended.reason, ended.outcome) == (200, "OK", CallOutcome.TRANSFERRED)
    line.far.finish()


def test_recording_on_command_starts_and_stops(line: Line, tmp_path: Path) -> None:
    call_id = line.answered_inbound().call_id
    target = tmp_path / "manual" / "take1.wav"
    assert line.phone.start_recording(call_id, target).result(5) == target
    assert line.events.wait_for(RecordingStarted) == RecordingStarted(call_id, target)
    assert line.phone.stop_recording(call_id).result(5) == target
    assert line.events.wait_for(RecordingStopped) == RecordingStopped(call_id, target)
    line.phone.hangup(call_id).result(5)
    line.ended(call_id)
    line.far.finish()
    assert len(line.events.of(RecordingStopped)) == 1


def test_record_calls_records_from_answer_to_hangup(make_line: Callable[..., Line]) -> None:
    line = make_line(record_calls=True)
    call_id = line.answered_inbound().call_id
    started = line.events.wait_for(RecordingStarted)
    assert started.call_id == call_id
    line.phone.hangup(call_id).result(5)
    ended = line.ended(call_id)
    stopped = line.events.wait_for(RecordingStopped)
    assert stopped == RecordingStopped(call_id, started.path)
    # The file is complete only after the call: wrap-up receives the path after CallEnded.
    order = [e for e in line.events.of(object) if e in (ended, stopped)]
    assert order == [ended, stopped]
    line.far.finish()
