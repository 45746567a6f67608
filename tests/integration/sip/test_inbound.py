"""Inbound calls from SIPp straight to the phone (direct mode)."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agentdesk.telephony.cti_context import CtiContext
from agentdesk.telephony.port import (
    CallAnswered,
    CallEnded,
    CallOffered,
    CallOutcome,
    UnknownCall,
)
from tests.integration.sip.conftest import Phone
from tests.integration.sip.helpers import call_phone, sip_messages
from tests.support.sipp import free_rtp_port, start_sipp

pytestmark = pytest.mark.sip

IDENTITY_CASES = {
    "pai": (
        {
            "from_hdr": '"Spoofed" <sip:+15550000000@127.0.0.1>',
            "identity": 'P-Asserted-Identity: "Bob Smith" <sip:+493012345678@127.0.0.1>',
        },
        ("+493012345678", "Bob Smith", "p-asserted-identity", False),
    ),
    "rpid": (
        {
            "from_hdr": '"Spoofed" <sip:+15550000000@127.0.0.1>',
            "identity": 'Remote-Party-ID: "Carol" <sip:+442071234567@127.0.0.1>'
            ";party=calling;screen=yes;privacy=off",
        },
        ("+442071234567", "Carol", "remote-party-id", False),
    ),
    "from": (
        {"from_hdr": '"Dave Jones" <sip:+13125550199@127.0.0.1>'},
        ("+13125550199", "Dave Jones", "from", False),
    ),
    "anonymous": (
        {
            "from_hdr": '"Anonymous" <sip:anonymous@anonymous.invalid>',
            "identity": "Privacy: id",
        },
        (None, None, None, True),
    ),
}


@pytest.mark.parametrize("case", list(IDENTITY_CASES))
def test_inbound_call_identity_answer_and_remote_hangup(
    case: str, make_phone: Callable[..., Phone], workdir: Path
) -> None:
    keys, (number, name, source, anonymous) = IDENTITY_CASES[case]
    phone, events = make_phone()
    sipp = call_phone(
        phone,
        workdir,
        to_user="+18005550100",
        hdr1="Diversion: <sip:+18005550111@127.0.0.1>;reason=unconditional",
        hdr2="X-Campaign: spring-sale",
        sipp_keys=keys,
    )

    offered = events.wait_for(CallOffered)
    assert (offered.remote_number, offered.remote_display_name) == (number, name)
    assert (offered.identity_source, offered.anonymous) == (source, anonymous)
    assert offered.dialed_number == "+18005550100"
    assert offered.diversion_number == "+18005550111"
    assert offered.x_headers == {"x-campaign": "spring-sale"}
    assert offered.sip_call_id.endswith("@127.0.0.1")
    phone.answer(offered.call_id).result(5)

    sipp.assert_success()
    ended = events.wait_for(CallEnded)
    assert ended.call_id == offered.call_id
    assert ended.outcome is CallOutcome.ANSWERED_COMPLETED
    # 180 went out before the 200
    ringing = sip_messages(sipp, "SIP/2.0 180")
    assert ringing, sipp.report()


def test_context_header_is_decoded_on_offer(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone()
    ctx = CtiContext("contact", "0190a8f2-7c1e-7b3a-9f00-123456789abc")
    sipp = call_phone(phone, workdir, hdr1=f"X-AgentDesk-Context: kind={ctx.kind};id={ctx.id}")
    offered = events.wait_for(CallOffered)
    assert offered.context == ctx
    phone.answer(offered.call_id).result(5)
    sipp.assert_success()


def test_reject_sends_603_declined(make_phone: Callable[..., Phone], workdir: Path) -> None:
    phone, events = make_phone()
    sipp = call_phone(phone, workdir)
    offered = events.wait_for(CallOffered)
    phone.reject(offered.call_id).result(5)
    sipp.assert_success()
    assert sip_messages(sipp, "SIP/2.0 603"), sipp.report()
    ended = events.wait_for(CallEnded)
    assert (ended.sip_code, ended.outcome) == (603, CallOutcome.REJECTED)


def test_second_call_gets_486_busy_without_call_waiting(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone(call_waiting=False)
    first = call_phone(phone, workdir, talk_ms=1500, name="first")
    offered = events.wait_for(CallOffered)
    phone.answer(offered.call_id).result(5)
    events.wait_for(CallAnswered)

    second = call_phone(phone, workdir, name="second")
    second.assert_success()
    assert sip_messages(second, "SIP/2.0 486"), second.report()
    # the busy call never rang the agent, but the desk is told of it (its log of offers)
    offers = events.of(CallOffered)
    assert [o.busy_refused for o in offers] == [False, True]
    assert offers[1].call_id != offered.call_id
    first.assert_success()
    assert events.wait_for(CallEnded).outcome is CallOutcome.ANSWERED_COMPLETED


def test_call_waiting_offers_the_second_call(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone(call_waiting=True)
    first = call_phone(phone, workdir, talk_ms=1500, name="first")
    offered = events.wait_for(CallOffered)
    phone.answer(offered.call_id).result(5)
    second = call_phone(phone, workdir, name="second")
    waiting = events.wait_for(CallOffered, count=2)
    phone.reject(waiting.call_id, 486).result(5)
    second.assert_success()
    first.assert_success()


def test_auto_answer_after_configured_delay(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone(auto_answer_seconds=0.5)
    sipp = call_phone(phone, workdir)
    offered = events.wait_for(CallOffered)
    answered = events.wait_for(CallAnswered, timeout=5)
    assert answered.call_id == offered.call_id
    sipp.assert_success()


def test_caller_hangs_up_while_ringing_is_missed(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone()
    caller = start_sipp(
        "uac_cancel.xml",
        workdir,
        remote=f"127.0.0.1:{phone.config.port}",
        media_port=free_rtp_port(),
        extra=["-d", "300"],
    )
    offered = events.wait_for(CallOffered)
    ended = events.wait_for(CallEnded)
    assert ended.call_id == offered.call_id
    assert (ended.sip_code, ended.outcome) == (487, CallOutcome.MISSED)
    caller.assert_success()
    with pytest.raises(UnknownCall):
        phone.answer(offered.call_id).result(5)  # too late
