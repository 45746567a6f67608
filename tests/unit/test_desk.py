"""The desk controller with the fake softphone and the real services on a temp SQLite file."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.events import (
    CallChanged,
    CallPhase,
    DataChanged,
    DeskEvent,
    ScreenPopReady,
    WrapupFinished,
    WrapupStarted,
)
from agentdesk.app.desk.wrapup import WrapupForm
from agentdesk.crm.party_details import PartyRef
from agentdesk.domain.enums import OwnerKind
from agentdesk.journal.store import Entry
from agentdesk.telephony.cti_context import CtiContext
from agentdesk.telephony.port import DtmfMethod
from tests.support.fake_softphone import FakeSoftphone
from tests.ui.desk_support import add_party, make_desk, spin


class Desk:
    def __init__(self, tmp_path: Path, **agent: object) -> None:
        self.loop = asyncio.new_event_loop()
        self.context, phones = make_desk(tmp_path, **agent)
        self.controller: DeskController = self.context.build_controller(self.loop)
        self.phone: FakeSoftphone = phones[0]
        self.events: list[DeskEvent] = []
        self.controller.subscribe(self.events.append)
        self.controller.start()
        self.tmp_path = tmp_path

    def of(self, kind: type) -> list:  # type: ignore[type-arg]
        return [e for e in self.events if isinstance(e, kind)]

    def wait(self, cond, timeout: float = 5) -> None:  # type: ignore[no-untyped-def]
        spin(self.loop, cond, timeout)

    def drain(self) -> None:
        """Until the phone events and the database work they started have been handled."""
        self.loop.run_until_complete(self.controller.drained())

    def close(self) -> None:
        self.loop.run_until_complete(self.controller.shutdown())
        self.context.close()
        self.loop.close()

    def log_lines(self) -> list[dict[str, object]]:
        path = self.tmp_path / "events.jsonl"
        return [json.loads(line) for line in path.read_text().splitlines()]


def _consult(desk: Desk) -> str | None:
    call = desk.controller.call
    return call.view.consult_call_id if call is not None else "no call"


@pytest.fixture
def desk(tmp_path: Path) -> Iterator[Desk]:
    d = Desk(tmp_path, wrapup_seconds=60)
    yield d
    d.close()


def test_one_match_pops_the_record_before_answer(desk: Desk) -> None:
    ref = add_party(desk.context, "Ada", "Lovelace", "+1 202 555 0101", company="Engines Ltd")
    call_id = desk.phone.offer_call("+12025550101")
    desk.wait(lambda: bool(desk.of(ScreenPopReady)))
    pop = desk.of(ScreenPopReady)[0].pop
    assert pop.kind == "one" and pop.chosen is not None
    assert (pop.chosen.id, pop.chosen.name, pop.chosen.company) == (
        ref.id,
        "Ada Lovelace",
        "Engines Ltd",
    )
    assert desk.controller.state.status.value == "ringing"
    assert desk.controller.call is not None and desk.controller.call.view.call_id == call_id


def test_unknown_and_several_matches(desk: Desk) -> None:
    add_party(desk.context, "Bob", "One", "+12025550111")
    add_party(desk.context, "Bea", "Two", "+12025550111", kind=OwnerKind.LEAD)
    desk.phone.offer_call("+12025550111")
    desk.wait(lambda: bool(desk.of(ScreenPopReady)))
    pop = desk.of(ScreenPopReady)[0].pop
    assert pop.kind == "several" and pop.chosen is None
    assert {m.name for m in pop.matches} == {"Bob One", "Bea Two"}
    desk.controller.reject()
    desk.wait(lambda: desk.controller.state.status.value == "available")

    desk.phone.offer_call("+12025550999")
    desk.wait(lambda: len(desk.of(ScreenPopReady)) == 2)
    unknown = desk.of(ScreenPopReady)[1].pop
    assert unknown.kind == "none" and unknown.number == "+12025550999"


def test_context_header_pops_the_named_record(desk: Desk) -> None:
    add_party(desk.context, "Same", "Number", "+12025550122")
    named = add_party(desk.context, "Named", "Record", "+12025550133")
    desk.phone.offer_call("+12025550122", context=CtiContext("contact", str(named.id)))
    desk.wait(lambda: bool(desk.of(ScreenPopReady)))
    pop = desk.of(ScreenPopReady)[0].pop
    assert pop.from_context and pop.chosen is not None and pop.chosen.id == named.id


def test_stale_pop_is_dropped_when_the_caller_hangs_up_first(desk: Desk) -> None:
    add_party(desk.context, "Gone", "Soon", "+12025550144")
    call_id = desk.phone.offer_call("+12025550144")
    assert call_id is not None
    desk.phone.remote_hangup(call_id)  # before the loop ran the lookup result
    desk.wait(lambda: desk.controller.state.status.value == "available")
    desk.drain()  # the lookup's result has come back, and was dropped
    assert desk.of(ScreenPopReady) == []


def test_call_commands_reach_the_phone(desk: Desk) -> None:
    call_id = desk.phone.offer_call("+12025550155")
    assert call_id is not None
    desk.wait(lambda: desk.controller.call is not None)
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.controller.toggle_hold()
    desk.wait(lambda: desk.controller.state.status.value == "held")
    desk.controller.toggle_hold()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.controller.toggle_mute()
    desk.wait(lambda: desk.controller.call is not None and desk.controller.call.view.muted)
    desk.controller.send_dtmf("12#")
    desk.controller.toggle_recording()
    desk.wait(lambda: desk.controller.call is not None and desk.controller.call.view.recording)
    fake = desk.phone.calls[call_id]
    assert fake.muted and fake.recording is not None
    assert [d for d, _ in fake.dtmf_sent] == ["1", "2", "#"]
    assert {m for _, m in fake.dtmf_sent} == {DtmfMethod.RFC2833}


def test_blind_and_consult_transfer_carry_the_record(desk: Desk) -> None:
    ref = add_party(desk.context, "Tra", "Nsfer", "+12025550166")
    call_id = desk.phone.offer_call("+12025550166")
    assert call_id is not None
    desk.wait(lambda: bool(desk.of(ScreenPopReady)))
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.controller.start_consult("2025550177")
    desk.wait(
        lambda: (
            desk.controller.call is not None
            and desk.controller.call.view.consult_call_id is not None
        )
    )
    consult = desk.controller.call.view.consult_call_id  # type: ignore[union-attr]
    assert desk.phone.calls[consult].remote == "+12025550177"
    desk.controller.cancel_consult()
    desk.wait(
        lambda: (
            desk.controller.call is not None and desk.controller.call.view.consult_call_id is None
        )
    )
    desk.controller.blind_transfer("+12025550188")
    desk.wait(lambda: desk.phone.calls[call_id].transfer_target is not None)
    assert desk.phone.calls[call_id].transfer_context == CtiContext("contact", str(ref.id))
    desk.phone.finish_transfer(call_id)
    desk.wait(lambda: desk.controller.state.status.value == "wrap_up")
    # The call row says so from the transfer on (a journal entry), and in how the call ended.
    # Waited for by what it shows: "nothing pending" also holds before the end is appended.
    journal = desk.context.services.journal

    def transferred() -> list[Entry]:
        return [e for e in journal.store.entries() if e.payload.get("end_reason") == "transferred"]

    desk.wait(transferred)
    [moved] = transferred()
    assert moved.record_id is not None
    calls, record_id = desk.context.services.calls, moved.record_id

    def ended() -> str:
        return calls.get_call(record_id).end_reason or ""

    desk.wait(lambda: ended().startswith("transferred; "))


def test_wrapup_saves_call_disposition_notes_callback_and_case(desk: Desk) -> None:
    ref = add_party(desk.context, "Wrap", "Up", "+12025550200")
    call_id = desk.phone.offer_call("+12025550200")
    assert call_id is not None
    desk.wait(lambda: bool(desk.of(ScreenPopReady)))
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.phone.remote_hangup(call_id)
    desk.wait(lambda: bool(desk.of(WrapupStarted)))
    wrap = desk.of(WrapupStarted)[0].wrapup
    assert wrap.default_code == "wrapup_expired" and "sale" in {d.code for d in wrap.dispositions}
    assert wrap.deadline is not None and wrap.party == ref
    due = datetime.now(UTC) + timedelta(days=1)
    form = WrapupForm("callback", "wants a quote", due, "call about the quote", "Quote request")
    assert desk.controller.save_wrapup(form) is None
    desk.wait(lambda: bool(desk.of(WrapupFinished)))
    saved = desk.of(WrapupFinished)[0].saved
    assert saved.changed == {"calls", "callbacks", "cases"}
    assert saved.call.contact_id == ref.id and saved.call.disposition_code == "callback"
    assert saved.call.notes == "wants a quote" and saved.case_id and saved.callback_id
    assert saved.call.answered_at is not None and saved.call.talk_seconds is not None
    assert desk.controller.state.status.value == "available"
    items = desk.context.services.callbacks.for_agent("alice")
    assert [i.note for i in items] == ["call about the quote"]


def test_wrapup_expiry_saves_wrapup_expired_with_draft_notes(tmp_path: Path) -> None:
    """An answered call whose wrap-up timer runs out is saved as "Wrap-up expired" (the default
    code), never as "No answer": the call was answered (issue 14)."""
    desk = Desk(tmp_path, wrapup_seconds=1)
    try:
        call_id = desk.phone.offer_call("+12025550211")
        assert call_id is not None
        desk.wait(lambda: desk.controller.call is not None)
        desk.controller.answer()
        desk.wait(lambda: desk.controller.state.status.value == "talking")
        desk.phone.remote_hangup(call_id)
        desk.wait(lambda: bool(desk.of(WrapupStarted)))
        desk.controller.set_wrapup_notes("half typed")
        desk.wait(lambda: bool(desk.of(WrapupFinished)), timeout=4)
        finished = desk.of(WrapupFinished)[0]
        assert finished.expired
        assert finished.saved.call.disposition_code == "wrapup_expired"
        assert finished.saved.call.answered_at is not None
        assert finished.saved.call.notes == "half typed"
        assert desk.controller.state.status.value == "available"
        events = [line["event"] for line in desk.log_lines()]
        assert events == ["call_offered", "call_answered", "call_ended", "wrapup_saved"]
        assert all(isinstance(line["ts"], float) for line in desk.log_lines())
        assert {line["sip_call_id"] for line in desk.log_lines()} == {f"fake-{call_id}"}
    finally:
        desk.close()


def test_auto_answer_and_pop_shown_logged(tmp_path: Path) -> None:
    desk = Desk(tmp_path, auto_answer_seconds=0, wrapup_seconds=60)
    try:
        add_party(desk.context, "Auto", "Answer", "+12025550222")
        desk.phone.offer_call("+12025550222")
        desk.wait(lambda: desk.controller.state.status.value == "talking")
        desk.wait(lambda: bool(desk.of(ScreenPopReady)))
        pop = desk.of(ScreenPopReady)[0].pop
        desk.controller.screen_pop_shown(pop.call_id)
        names = [line["event"] for line in desk.log_lines()]
        assert names[:1] == ["call_offered"] and "screen_pop_shown" in names
    finally:
        desk.close()


def test_not_ready_refuses_calls_and_dialing_keeps_the_reason(desk: Desk) -> None:
    assert desk.controller.set_not_ready("lunch") is None
    assert desk.phone.offer_call("+12025550233") is not None
    desk.wait(lambda: all(c.phase.value == "ended" for c in desk.phone.calls.values()))
    assert desk.controller.call is None
    ref = add_party(desk.context, "Out", "Bound", "+12025550244")
    assert desk.controller.dial("(202) 555-0244", ref) is None
    desk.wait(lambda: desk.controller.call is not None)
    call = desk.controller.call
    assert call is not None and call.view.phase is CallPhase.DIALING and call.party == ref
    fake = next(c for c in desk.phone.calls.values() if c.direction.value == "outbound")
    assert fake.remote == "+12025550244"
    desk.phone.remote_answer(fake.call_id)
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.controller.hangup()
    desk.wait(lambda: bool(desk.of(WrapupStarted)))
    desk.controller.save_wrapup(WrapupForm("sale"))
    desk.wait(lambda: bool(desk.of(WrapupFinished)))
    assert desk.controller.state.status.value == "not_ready"
    assert desk.controller.state.not_ready_reason == "lunch"
    assert desk.of(WrapupFinished)[0].saved.call.direction.value == "outbound"


def test_missed_call_is_logged_without_wrapup(desk: Desk) -> None:
    call_id = desk.phone.offer_call("+12025550255")
    assert call_id is not None
    desk.wait(lambda: desk.controller.call is not None)
    desk.phone.remote_hangup(call_id)
    desk.wait(lambda: desk.controller.state.status.value == "available")
    desk.wait(lambda: bool(desk.of(DataChanged)))
    assert desk.of(DataChanged)[0].changed == {"calls"}
    recent = desk.context.services.calls.recent_calls("alice")[0]
    assert recent.remote_e164 == "+12025550255" and recent.disposition_code is None
    assert not desk.of(WrapupStarted)


def test_shutdown_hangs_up_and_saves_the_pending_wrapup(desk: Desk) -> None:
    ref = add_party(desk.context, "Shut", "Down", "+12025550266")
    call_id = desk.phone.offer_call("+12025550266")
    assert call_id is not None
    desk.wait(lambda: bool(desk.of(ScreenPopReady)))
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.controller.set_wrapup_notes("")
    desk.loop.run_until_complete(desk.controller.shutdown())
    assert desk.phone.calls[call_id].phase.value == "ended"
    recent = desk.context.services.calls.recent_calls("alice")
    assert [(r.contact_id, r.disposition_code) for r in recent] == [(ref.id, "wrapup_expired")]
    assert isinstance(desk.of(CallChanged)[-1], CallChanged)


def test_choose_party_links_the_call(desk: Desk) -> None:
    first = add_party(desk.context, "Chris", "A", "+12025550277")
    add_party(desk.context, "Chris", "B", "+12025550277")
    call_id = desk.phone.offer_call("+12025550277")
    assert call_id is not None
    desk.wait(lambda: bool(desk.of(ScreenPopReady)))
    desk.controller.choose_party(PartyRef(OwnerKind.CONTACT, first.id))
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.phone.remote_hangup(call_id)
    desk.wait(lambda: bool(desk.of(WrapupStarted)))
    desk.controller.save_wrapup(WrapupForm("resolved", "fixed"))
    desk.wait(lambda: bool(desk.of(WrapupFinished)))
    assert desk.of(WrapupFinished)[0].saved.call.contact_id == first.id


def test_an_invite_before_start_is_handled_after_login(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    context, phones = make_desk(tmp_path)
    try:
        controller = context.build_controller(loop)
        events: list[DeskEvent] = []
        controller.subscribe(events.append)
        call_id = phones[0].offer_call("+12025550290")  # the window is still being built
        loop.run_until_complete(controller.drained())  # the INVITE reached the controller
        assert controller.call is None
        controller.start()
        assert controller.call is not None and controller.call.view.call_id == call_id
        assert controller.state.status.value == "ringing"
        loop.run_until_complete(controller.shutdown())
    finally:
        context.close()
        loop.close()


def test_register_mode_registers_with_the_keyring_password_and_unregisters(
    tmp_path: Path,
) -> None:
    loop = asyncio.new_event_loop()
    sip = {"mode": "register", "registrar": "pbx.test:5070", "username": "1001"}
    context, phones = make_desk(tmp_path, sip)
    try:
        context.credentials._memory[("agentdesk:sip", "1001@pbx.test:5070")] = "pw"
        controller = context.build_controller(loop)
        phones[0].password = "pw"  # what the fake registrar accepts
        seen: list[str] = []
        controller.subscribe(
            lambda e: seen.append(e.registration.state) if hasattr(e, "registration") else None
        )
        controller.start()
        spin(loop, lambda: controller.registration.state == "registered")
        assert seen[0] == "registering" and seen[-1] == "registered"
        loop.run_until_complete(controller.shutdown())
        assert phones[0].registration.value == "unregistered"  # removed on the way out
    finally:
        context.close()
        loop.close()


def test_wrong_sip_password_shows_failed_registration(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    sip = {"mode": "register", "registrar": "pbx.test:5070", "username": "1001"}
    context, phones = make_desk(tmp_path, sip)
    try:
        controller = context.build_controller(loop)
        phones[0].password = "right"
        controller.start()  # nothing in the keyring: registers with an empty password
        spin(loop, lambda: controller.registration.state == "failed")
        assert controller.registration.detail == "401 Unauthorized"
        loop.run_until_complete(controller.shutdown())
    finally:
        context.close()
        loop.close()
