"""Outbound calls from the phone to SIPp callees: failures, ringing, answer, hold, DTMF."""

from __future__ import annotations

import time
from collections.abc import Callable
from pathlib import Path

import pytest

from agentdesk.telephony.port import (
    CallAnswered,
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
)
from tests.integration.sip.conftest import Phone
from tests.integration.sip.helpers import answering_peer, call_phone, sip_messages, wait_until
from tests.support.sipp import PCAP_DIR, render_scenario, start_sipp

pytestmark = pytest.mark.sip

FAILURES = [
    (486, "Busy Here", CallOutcome.BUSY),
    (480, "Temporarily Unavailable", CallOutcome.NO_ANSWER),
    (408, "Request Timeout", CallOutcome.NO_ANSWER),
    (404, "Not Found", CallOutcome.INVALID_NUMBER),
    (484, "Address Incomplete", CallOutcome.INVALID_NUMBER),
    (603, "Decline", CallOutcome.DECLINED),
]


@pytest.mark.parametrize(("code", "reason", "outcome"), FAILURES)
def test_outbound_failure_maps_to_outcome(
    code: int,
    reason: str,
    outcome: CallOutcome,
    make_phone: Callable[..., Phone],
    workdir: Path,
) -> None:
    phone, events = make_phone()
    scenario = render_scenario("uas_reply.xml", workdir, code=str(code), reason=reason)
    callee = start_sipp(scenario, workdir)
    call_id = phone.dial(f"sip:+15550002222@127.0.0.1:{callee.port}").result(5)
    assert events.wait_for(CallRinging).call_id == call_id
    ended = events.wait_for(CallEnded)
    assert (ended.call_id, ended.sip_code, ended.outcome) == (call_id, code, outcome)
    callee.assert_success()


def test_outbound_cancel_by_agent_is_487_cancelled(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone()
    callee = start_sipp("uas_ring.xml", workdir)
    call_id = phone.dial(f"sip:+15550002222@127.0.0.1:{callee.port}").result(5)
    events.wait_for(CallRinging)
    phone.hangup(call_id).result(5)
    ended = events.wait_for(CallEnded)
    assert (ended.sip_code, ended.outcome) == (487, CallOutcome.CANCELLED)
    callee.assert_success()
    assert sip_messages(callee, "CANCEL "), callee.report()


def test_outbound_ring_timeout_is_no_answer(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone(ring_timeout_seconds=1.0)
    callee = start_sipp("uas_ring.xml", workdir)
    started = time.monotonic()
    phone.dial(f"sip:+15550002222@127.0.0.1:{callee.port}").result(5)
    ended = events.wait_for(CallEnded, timeout=10)
    assert ended.outcome is CallOutcome.NO_ANSWER
    # Given up by our timer, not earlier; the callee itself would ring for ever.
    assert time.monotonic() - started >= 1.0
    callee.assert_success()


def test_hold_resume_and_mute_on_an_answered_call(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone()
    callee = answering_peer(workdir)
    call_id = phone.dial(f"sip:callee@127.0.0.1:{callee.port}").result(5)
    events.wait_for(CallAnswered)

    phone.hold(call_id).result(5)
    events.wait_for(CallHeld)
    phone.resume(call_id).result(5)
    events.wait_for(CallResumed)
    phone.mute(call_id).result(5)
    phone.unmute(call_id).result(5)
    events.wait_for(CallUnmuted)
    assert [type(e) for e in events.of(CallMuted)] == [CallMuted]
    phone.hangup(call_id).result(5)
    ended = events.wait_for(CallEnded)
    assert ended.outcome is CallOutcome.ANSWERED_COMPLETED
    callee.assert_success()

    invites = sip_messages(callee, "INVITE ")
    assert len(invites) == 3, callee.report()
    assert "a=sendrecv" in invites[0]
    assert "a=sendonly" in invites[1]
    assert "a=sendrecv" in invites[2]


def test_dtmf_rfc2833_sent_and_received(make_phone: Callable[..., Phone], workdir: Path) -> None:
    # SIPp calls (its SDP offers telephone-event) and echoes our RTP, so the RFC 2833 events we
    # send come straight back and must be reported as received.
    phone, events = make_phone()
    caller = call_phone(phone, workdir, talk_ms=2500, rtp_echo=True)
    offered = events.wait_for(CallOffered)
    phone.answer(offered.call_id).result(5)
    events.wait_for(CallAnswered)
    # Deliberate: no event says the RTP path is up, and SIPp only echoes what arrives after
    # it learnt our RTP address from the first packets.
    time.sleep(0.3)
    assert phone.send_dtmf(offered.call_id, "1#9").result(5) is DtmfMethod.RFC2833
    events.wait_for(DtmfReceived, count=3, timeout=5)
    got = events.of(DtmfReceived)
    assert "".join(d.digit for d in got) == "1#9"
    assert {d.method for d in got} == {DtmfMethod.RFC2833}
    caller.assert_success()
    assert not sip_messages(caller, "INFO ")


def test_dtmf_played_by_the_caller_is_received(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone()
    caller = call_phone(phone, workdir, talk_ms=1500, pcap=PCAP_DIR / "dtmf_2833_7.pcap")
    offered = events.wait_for(CallOffered)
    phone.answer(offered.call_id).result(5)
    digit = events.wait_for(DtmfReceived, timeout=5)
    assert (digit.digit, digit.method) == ("7", DtmfMethod.RFC2833)
    caller.assert_success()


def test_dtmf_falls_back_to_sip_info_without_telephone_event(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone()
    callee = answering_peer(workdir, rfc2833=False)
    call_id = phone.dial(f"sip:callee@127.0.0.1:{callee.port}").result(5)
    events.wait_for(CallAnswered)
    assert phone.send_dtmf(call_id, "5").result(5) is DtmfMethod.SIP_INFO
    # The INFO reached the callee before our BYE follows it.
    wait_until(lambda: sip_messages(callee, "INFO "), callee.report)
    phone.hangup(call_id).result(5)
    callee.assert_success()
    infos = sip_messages(callee, "INFO ")
    assert len(infos) == 1, callee.report()
    assert "application/dtmf-relay" in infos[0]
    assert "Signal=5" in infos[0]
