"""Blind and attended (consult) transfer, carrying the CTI context to the target."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agentdesk.telephony.cti_context import CtiContext
from agentdesk.telephony.port import (
    CallAnswered,
    CallEnded,
    CallHeld,
    CallOffered,
    CallOutcome,
    CallResumed,
    TransferCompleted,
    TransferProgress,
)
from tests.integration.sip.conftest import Phone
from tests.integration.sip.helpers import answering_peer, sip_messages
from tests.support.sipp import free_rtp_port, render_scenario, start_sipp

pytestmark = pytest.mark.sip

CONTEXT = CtiContext("case", "0190a8f2-7c1e-7b3a-9f00-00000000c0de")
CONTEXT_LINE = f"X-AgentDesk-Context: kind=case;id={CONTEXT.id}"

REPLACES_CAPTURE = (
    '<ereg regexp="Replaces=([^%]+)%3Bto-tag%3D([^%]+)%3Bfrom-tag%3D([^%;>]+)" '
    'search_in="hdr" header="Refer-To:" check_it="true" assign_to="rp,rp_cid,rp_tt,rp_ft"/>'
)


def start_transferee(phone_port: int, workdir: Path, *, attended: bool) -> object:
    scenario = render_scenario(
        "uac_transferee.xml",
        workdir,
        replaces_capture=REPLACES_CAPTURE if attended else "",
        replaces_line=(
            "Replaces: [$rp_cid];to-tag=[$rp_tt];from-tag=[$rp_ft]"
            if attended
            else "Subject: blind transfer"
        ),
    )
    if attended:
        text = (
            Path(scenario)
            .read_text()
            .replace('<Reference variables="rt"/>', '<Reference variables="rt,rp"/>')
        )
        Path(scenario).write_text(text)
    return start_sipp(
        scenario,
        workdir,
        remote=f"127.0.0.1:{phone_port}",
        media_port=free_rtp_port(),
        name="transferee",
        extra=["-rtp_echo"],
    )


def test_blind_transfer_with_context(make_phone: Callable[..., Phone], workdir: Path) -> None:
    phone, events = make_phone()
    target = answering_peer(workdir, name="target")
    transferee = start_transferee(phone.config.port, workdir, attended=False)
    offered = events.wait_for(CallOffered)
    phone.answer(offered.call_id).result(5)
    events.wait_for(CallAnswered)

    phone.blind_transfer(offered.call_id, f"sip:target@127.0.0.1:{target.port}", CONTEXT).result(5)
    done = events.wait_for(TransferCompleted, timeout=10)
    assert (done.call_id, done.success, done.code) == (offered.call_id, True, 200)
    assert events.of(TransferProgress)[0].code == 100
    ended = events.wait_for(CallEnded)
    assert ended.outcome is CallOutcome.TRANSFERRED
    transferee.assert_success()  # type: ignore[attr-defined]
    target.assert_success()

    refer = sip_messages(transferee, "REFER ")  # type: ignore[arg-type]
    assert len(refer) == 1
    assert CONTEXT_LINE in refer[0]
    encoded = f"X-AgentDesk-Context=kind%3Dcase%3Bid%3D{CONTEXT.id}"
    assert f"Refer-To: <sip:target@127.0.0.1:{target.port}?{encoded}>" in refer[0]
    assert len(sip_messages(target, "INVITE ")) == 1


def test_consult_transfer_with_replaces_and_context(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone()
    target = answering_peer(workdir, name="target", calls=2)
    transferee = start_transferee(phone.config.port, workdir, attended=True)
    offered = events.wait_for(CallOffered)
    phone.answer(offered.call_id).result(5)
    events.wait_for(CallAnswered)

    consult_id = phone.start_consult(
        offered.call_id, f"sip:supervisor@127.0.0.1:{target.port}", CONTEXT
    ).result(5)
    events.wait_for(CallHeld)
    events.wait_for(CallAnswered, lambda e: e.call_id == consult_id)
    phone.complete_consult(offered.call_id).result(5)

    done = events.wait_for(TransferCompleted, timeout=10)
    assert (done.call_id, done.success) == (offered.call_id, True)
    original_end = events.wait_for(CallEnded, lambda e: e.call_id == offered.call_id)
    consult_end = events.wait_for(CallEnded, lambda e: e.call_id == consult_id)
    assert original_end.outcome is CallOutcome.TRANSFERRED
    assert consult_end.outcome is CallOutcome.TRANSFERRED
    transferee.assert_success()  # type: ignore[attr-defined]
    target.assert_success()

    # The consult INVITE carried the context to the target...
    invites = sip_messages(target, "INVITE ")
    assert len(invites) == 2, target.report()
    assert CONTEXT_LINE in invites[0]
    # ...and the transferee's INVITE replaced the consult dialog.
    consult_call_id = next(
        line.split(":", 1)[1].strip()
        for line in invites[0].splitlines()
        if line.lower().startswith("call-id:")
    )
    replaces = next(line for line in invites[1].splitlines() if line.startswith("Replaces:"))
    assert replaces.startswith(f"Replaces: {consult_call_id};to-tag=")
    our_tag = next(
        line.rsplit("tag=", 1)[1].strip()
        for line in invites[0].splitlines()
        if line.startswith("From:")
    )
    assert replaces.endswith(f";from-tag={our_tag}")
    refer = sip_messages(transferee, "REFER ")  # type: ignore[arg-type]
    assert CONTEXT_LINE in refer[0]
    assert f"Replaces={consult_call_id}%3Bto-tag%3D" in refer[0]


def test_cancel_consult_resumes_the_customer(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone()
    target = answering_peer(workdir, name="target")
    customer = answering_peer(workdir, name="customer")
    call_id = phone.dial(f"sip:customer@127.0.0.1:{customer.port}").result(5)
    events.wait_for(CallAnswered)
    consult_id = phone.start_consult(call_id, f"sip:sup@127.0.0.1:{target.port}").result(5)
    events.wait_for(CallAnswered, lambda e: e.call_id == consult_id)
    phone.cancel_consult(call_id).result(5)
    consult_end = events.wait_for(CallEnded, lambda e: e.call_id == consult_id)
    assert consult_end.outcome is CallOutcome.ANSWERED_COMPLETED
    # The customer is taken off hold (re-INVITE sendrecv answered) before the agent hangs up.
    events.wait_for(CallResumed, lambda e: e.call_id == call_id)
    phone.hangup(call_id).result(5)
    events.wait_for(CallEnded, lambda e: e.call_id == call_id)
    customer.assert_success()
    target.assert_success()
    invites = sip_messages(customer, "INVITE ")
    assert ["a=sendonly" in i for i in invites] == [False, True, False]
