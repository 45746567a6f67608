"""The dialer session on the real desk and services with the fake softphone.

Tests on the ``dialer`` fixture run on SQLite and PostgreSQL (the ``engine`` fixture); the
others on SQLite.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.events import (
    CallFinished,
    DataChanged,
    DeskEvent,
    WrapupFinished,
)
from agentdesk.app.desk.wrapup import WrapupForm
from agentdesk.app.desktop import DEMO_CAMPAIGN, DesktopContext, start_desktop
from agentdesk.app.dialer.session import DialerSession
from agentdesk.app.dialer.views import DialerEvent, DialerNotice, DialerPhase, attempt_outcome
from agentdesk.db.engine import unit_of_work
from agentdesk.dialer import campaign_wrapup
from agentdesk.dialer.campaigns import NotAssignedError, get_campaign
from agentdesk.dialer.dnc import add_numbers
from agentdesk.dialer.models import DncNumber
from agentdesk.dialer.outcomes import campaign_progress
from agentdesk.dialer.picking import reserve_entry
from agentdesk.dialer.rules import Outcome
from agentdesk.dialer.selection import next_entry
from agentdesk.domain.clock import utcnow
from tests.support.fake_softphone import FakeCall, FakeSoftphone
from tests.ui.desk_support import make_desk, make_settings, spin
from tests.ui.dialer_support import (
    attempts_of,
    audits_of,
    callbacks_of,
    calls_of,
    entry_row,
    make_campaign,
    make_desk_on,
)


class Dialer:
    """A desk, a dialer session with a short preview countdown, and what they emitted."""

    def __init__(
        self,
        tmp_path: Path,
        db_url: str | None = None,
        sip: dict[str, Any] | None = None,
        **session: Any,
    ) -> None:
        self.loop = asyncio.new_event_loop()
        if db_url is None:
            context, phones = make_desk(tmp_path, sip, wrapup_seconds=60)
        else:
            context, phones = make_desk_on(db_url, tmp_path, sip)
        self.context: DesktopContext = context
        self.controller: DeskController = context.build_controller(self.loop)
        self.phone: FakeSoftphone = phones[0]
        self.desk_events: list[DeskEvent] = []
        self.controller.subscribe(self.desk_events.append)
        self.controller.start()
        self.shift = timedelta(0)  # moves the session's clock (callbacks falling due)
        options: dict[str, Any] = {
            "preview_seconds": 0.3,
            "clock": lambda: utcnow() + self.shift,
            **session,
        }
        self.session = DialerSession(
            self.controller,
            context.database.sessions,
            loop=self.loop,
            executor=context.executor,
            agent="alice",
            **options,
        )
        self.events: list[DialerEvent] = []
        self.session.subscribe(self.events.append)

    def wait(self, cond: Callable[[], object], timeout: float = 5) -> None:
        spin(self.loop, lambda: bool(cond()), timeout)

    def settle(self) -> None:
        """Let the session's database work finish."""
        self.wait(lambda: not self.session.busy)

    def drain(self) -> None:
        """Until the desk and the session are quiet: phone events handled, database work and
        the work its results started delivered (checked twice: each may start the other's)."""
        for _ in range(2):
            self.loop.run_until_complete(self.controller.drained())
            self.loop.run_until_complete(self.session.drained())

    def start(self, name: str) -> None:
        campaigns = self.context.executor.submit(self.session.campaigns).result(10)
        self.session.select_campaign(next(c for c in campaigns if c.name == name))
        assert self.session.start() is None

    def outbound(self, count: int = 1) -> list[FakeCall]:
        calls = [c for c in self.phone.calls.values() if c.direction.value == "outbound"]
        return calls if len(calls) >= count else []

    def wait_dialled(self, count: int = 1) -> FakeCall:
        self.wait(lambda: self.outbound(count), timeout=5)
        self.wait(lambda: self.controller.call is not None)
        return self.outbound(count)[count - 1]

    def answer_and_hang_up(self, call: FakeCall) -> None:
        self.phone.remote_answer(call.call_id)
        self.wait(lambda: self.controller.state.status.value == "talking")
        self.phone.remote_hangup(call.call_id)
        self.wait(lambda: self.controller.wrapup is not None)

    def close(self) -> None:
        self.session.close()
        self.settle()
        self.loop.run_until_complete(self.controller.shutdown())
        self.context.close()
        self.loop.close()


@pytest.fixture
def dialer(tmp_path: Path, db_url: str) -> Iterator[Dialer]:
    d = Dialer(tmp_path, db_url)
    yield d
    d.close()


def test_preview_shows_the_script_then_the_countdown_dials(dialer: Dialer) -> None:
    loaded = make_campaign(dialer.context)
    dialer.start(loaded.name)
    dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OFFERED)
    view = dialer.session.view
    assert view.entry is not None and view.entry.phone == loaded.phones[0]
    assert view.entry.script == "Hello Ada, alice here about Engines Ltd."
    assert view.countdown_deadline is not None
    assert entry_row(dialer.context, loaded.phones[0]).status == "reserved"
    assert dialer.outbound() == []  # not before the countdown ran out

    call = dialer.wait_dialled()
    assert call.remote == loaded.phones[0]
    assert dialer.controller.current_party() == loaded.parties[0]
    assert entry_row(dialer.context, loaded.phones[0]).status == "in_progress"

    dialer.answer_and_hang_up(call)
    assert dialer.session.view.phase is DialerPhase.WRAP_UP
    assert dialer.controller.save_wrapup(WrapupForm("sale")) is None
    dialer.wait(
        lambda: (
            dialer.session.view.entry is not None
            and dialer.session.view.entry.phone == loaded.phones[1]
        )
    )
    row = entry_row(dialer.context, loaded.phones[0])
    assert (row.status, row.last_outcome, row.last_disposition, row.attempts) == (
        "done",
        "answered",
        "sale",
        1,
    )
    assert row.contacted and row.succeeded
    [attempt] = attempts_of(dialer.context, row.id)
    assert (attempt.outcome, attempt.sip_code, attempt.disposition_code) == (
        "answered",
        200,
        "sale",
    )
    [saved] = [e.saved for e in dialer.desk_events if isinstance(e, WrapupFinished)]
    assert attempt.call_id == saved.call.id  # the call row the wrap-up wrote
    progress = dialer.session.view.progress
    assert progress is not None
    assert (progress.dialed, progress.contacted, progress.successes, progress.remaining) == (
        1,
        1,
        1,
        2,
    )


def test_skip_with_a_reason_returns_the_entry_and_offers_the_next(tmp_path: Path) -> None:
    dialer = Dialer(tmp_path, preview_seconds=60)
    try:
        loaded = make_campaign(dialer.context)
        dialer.start(loaded.name)
        dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OFFERED)
        before = datetime.now(UTC)
        assert dialer.session.skip("asked not to call before lunch") is None
        dialer.wait(
            lambda: (
                dialer.session.view.phase is DialerPhase.OFFERED
                and dialer.session.view.entry is not None
                and dialer.session.view.entry.phone == loaded.phones[1]
            )
        )
        skipped = entry_row(dialer.context, loaded.phones[0])
        assert (skipped.status, skipped.attempts, skipped.reserved_by_id) == ("new", 0, None)
        wait = skipped.next_eligible_at - before
        assert timedelta(minutes=29) < wait < timedelta(minutes=31)
        [audit] = audits_of(dialer.context, skipped.id)
        assert audit.details == {"skipped": True, "reason": "asked not to call before lunch"}
        last = dialer.session.view.last_result
        assert last is not None and (last.what, last.status) == ("skipped", "new")
        assert dialer.outbound() == []
    finally:
        dialer.close()


def test_closing_the_desk_gives_the_reservation_back(tmp_path: Path) -> None:
    dialer = Dialer(tmp_path, preview_seconds=60)
    loaded = make_campaign(dialer.context)
    dialer.start(loaded.name)
    dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OFFERED)
    # No settling first: closing itself must wait for the hand-back (the executor's shutdown).
    dialer.close()
    row = entry_row(dialer.context, loaded.phones[0])
    assert (row.status, row.reserved_by_id) == ("new", None)


def test_pause_gives_the_reservation_back_at_once(tmp_path: Path) -> None:
    dialer = Dialer(tmp_path, preview_seconds=60)
    try:
        loaded = make_campaign(dialer.context)
        dialer.start(loaded.name)
        dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OFFERED)
        dialer.session.pause()
        dialer.settle()
        row = entry_row(dialer.context, loaded.phones[0])
        assert (row.status, row.reserved_by_id) == ("new", None)
        assert row.next_eligible_at <= datetime.now(UTC)
        assert (
            dialer.session.view.phase is DialerPhase.STOPPED and dialer.session.view.entry is None
        )
    finally:
        dialer.close()


def test_progressive_dials_the_next_entry_when_the_wrapup_is_saved(dialer: Dialer) -> None:
    loaded = make_campaign(dialer.context, mode="progressive")
    dialer.start(loaded.name)
    first = dialer.wait_dialled(1)  # no countdown: at once
    assert first.remote == loaded.phones[0]
    dialer.answer_and_hang_up(first)
    dialer.drain()
    assert len(dialer.outbound(1)) == 1, "dialled during the wrap-up"
    assert dialer.session.view.phase is DialerPhase.WRAP_UP and dialer.session.timer_due is None
    dialer.controller.save_wrapup(WrapupForm("not_interested"))
    second = dialer.wait_dialled(2)
    assert second.remote == loaded.phones[1]
    assert entry_row(dialer.context, loaded.phones[0]).status == "done"
    assert entry_row(dialer.context, loaded.phones[1]).status == "in_progress"


def test_no_answer_is_recorded_and_retried_after_two_hours(dialer: Dialer) -> None:
    loaded = make_campaign(
        dialer.context,
        mode="progressive",
        people=[
            ("Solo", "Entry", "+12025550111", "Acme"),
        ],
    )
    dialer.start(loaded.name)
    call = dialer.wait_dialled()
    dialer.phone.remote_ringing(call.call_id)
    ended_at = datetime.now(UTC)
    dialer.phone.remote_reject(call.call_id, 480, "Temporarily Unavailable")
    # The desk does not wrap up an unanswered call: the retry rules alone decide.
    dialer.wait(lambda: dialer.session.view.phase is DialerPhase.NOTHING)
    assert dialer.controller.wrapup is None
    row = entry_row(dialer.context, "+12025550111")
    assert (row.status, row.attempts, row.last_outcome) == ("new", 1, "no_answer")
    wait = row.next_eligible_at - ended_at
    assert timedelta(hours=2) - timedelta(seconds=5) < wait < timedelta(hours=2, seconds=5)
    [attempt] = attempts_of(dialer.context, row.id)
    assert (attempt.outcome, attempt.sip_code, attempt.agent_id is not None) == (
        "no_answer",
        480,
        True,
    )
    assert dialer.session.view.blocked == {"retry_wait": 1}
    last = dialer.session.view.last_result
    assert last is not None and (last.what, last.next_at) == ("no_answer", row.next_eligible_at)


def _choosing(dialer: Dialer) -> bool:
    return dialer.session.view.phase is DialerPhase.CHOOSING


def test_manual_lists_entries_then_dials_the_pick(dialer: Dialer) -> None:
    loaded = make_campaign(dialer.context, mode="manual")
    dialer.start(loaded.name)
    dialer.wait(lambda: _choosing(dialer))
    choices = dialer.session.view.choices
    assert sorted(e.phone for e in choices) == sorted(loaded.phones)
    assert {e.name for e in choices} == {"Ada Lovelace", "Grace Hopper", "Alan Turing"}
    assert all(entry_row(dialer.context, p).status == "new" for p in loaded.phones)
    dialer.drain()
    assert dialer.outbound() == [], "manual mode waits for the agent's pick"
    assert _choosing(dialer) and dialer.session.view.entry is None

    picked = choices[1]
    assert dialer.session.pick(picked.id) is None
    call = dialer.wait_dialled()
    assert call.remote == picked.phone
    assert dialer.controller.current_party() == loaded.parties[loaded.phones.index(picked.phone)]
    others = [p for p in loaded.phones if p != picked.phone]
    assert entry_row(dialer.context, picked.phone).status == "in_progress"
    assert [entry_row(dialer.context, p).status for p in others] == ["new", "new"]
    assert dialer.session.pick(choices[0].id) == "no list of entries is shown"

    dialer.phone.remote_reject(call.call_id, 480, "Temporarily Unavailable")
    # The list comes back without the entry that now waits for its retry.
    dialer.wait(lambda: _choosing(dialer) and len(dialer.session.view.choices) == 2)
    assert sorted(e.phone for e in dialer.session.view.choices) == sorted(others)
    row = entry_row(dialer.context, picked.phone)
    assert (row.status, row.attempts, row.last_outcome) == ("new", 1, "no_answer")
    # The attempt is linked to the row the desk logged for the unanswered call.
    dialer.wait(lambda: attempts_of(dialer.context, row.id)[0].call_id is not None)
    [attempt] = attempts_of(dialer.context, row.id)
    [logged] = calls_of(dialer.context)
    assert attempt.call_id == logged.id
    assert (logged.direction, logged.remote_e164, logged.answered_at) == (
        "outbound",
        picked.phone,
        None,
    )
    assert [e.record_id for e in dialer.desk_events if isinstance(e, DataChanged)] == [logged.id]


def test_a_pick_that_was_taken_or_listed_meanwhile_says_why(dialer: Dialer) -> None:
    dialer.context.services.records.ensure_agent("bob", "Bob")
    loaded = make_campaign(dialer.context, mode="manual", agents=["alice", "bob"])
    dialer.start(loaded.name)
    dialer.wait(lambda: _choosing(dialer))
    first, second, third = dialer.session.view.choices
    sessions = dialer.context.database.sessions
    reserve_entry(sessions, loaded.name, "bob", first.id)  # bob was quicker

    assert dialer.session.pick(first.id) is None
    dialer.wait(lambda: any(isinstance(e, DialerNotice) for e in dialer.events))
    [notice] = [e for e in dialer.events if isinstance(e, DialerNotice)]
    assert notice.message == (
        f"{first.name} was not dialled: the entry cannot be dialled: another agent has it"
    )
    assert not notice.error
    assert (notice.who, notice.reason) == (first.name, "reserved")  # for the UI to word
    dialer.wait(lambda: _choosing(dialer) and len(dialer.session.view.choices) == 2)
    assert {e.id for e in dialer.session.view.choices} == {second.id, third.id}

    with unit_of_work(sessions) as s:  # listed by another client after the list was read
        s.add(DncNumber(e164=second.phone, campaign_id=None, source="test"))

    assert dialer.session.pick(second.id) is None
    dialer.wait(lambda: _choosing(dialer) and len(dialer.session.view.choices) == 1)
    assert entry_row(dialer.context, second.phone).status == "dnc"
    last = dialer.session.view.last_result
    assert last is not None and (last.name, last.what) == (second.name, "dnc")
    assert dialer.outbound() == []
    assert entry_row(dialer.context, first.phone).status == "reserved"  # still bob's


def test_a_campaign_callback_is_kept_on_the_entry_not_in_the_callbacks_list(
    dialer: Dialer,
) -> None:
    loaded = make_campaign(dialer.context, mode="manual")
    dialer.start(loaded.name)
    dialer.wait(lambda: _choosing(dialer))
    picked = next(e for e in dialer.session.view.choices if e.phone == loaded.phones[0])
    assert dialer.session.pick(picked.id) is None
    call = dialer.wait_dialled()
    dialer.answer_and_hang_up(call)
    due = (datetime.now(UTC) + timedelta(days=2)).replace(microsecond=0)
    dialer.controller.save_wrapup(WrapupForm("callback", "busy now", due, "after the board"))
    dialer.wait(lambda: bool([e for e in dialer.desk_events if isinstance(e, WrapupFinished)]))
    dialer.wait(lambda: entry_row(dialer.context, loaded.phones[0]).status == "callback")
    row = entry_row(dialer.context, loaded.phones[0])
    assert row.next_eligible_at == due
    assert row.assigned_agent_id == dialer.context.agent_id
    assert row.last_disposition == "callback" and row.contacted and not row.succeeded
    # One callback, the campaign's: the wrap-up wrote no CRM callback for the Callbacks tab.
    [finished] = [e for e in dialer.desk_events if isinstance(e, WrapupFinished)]
    assert finished.saved.callback_id is None and callbacks_of(dialer.context) == []
    [attempt] = attempts_of(dialer.context, row.id)
    assert attempt.call_id == finished.saved.call.id
    [logged] = calls_of(dialer.context)
    assert logged.id == finished.saved.call.id
    assert logged.notes == "busy now\nafter the board"  # the callback note, kept with the call

    # Not listed before it is due; first in the list once it is, and dialled as a campaign call.
    dialer.wait(lambda: _choosing(dialer) and len(dialer.session.view.choices) == 2)
    assert picked.id not in {e.id for e in dialer.session.view.choices}
    dialer.shift = timedelta(days=2, minutes=1)
    dialer.session.refresh_choices()
    dialer.wait(lambda: _choosing(dialer) and len(dialer.session.view.choices) == 3)
    head = dialer.session.view.choices[0]
    assert (head.id, head.is_callback, head.attempts) == (picked.id, True, 1)


def test_an_inbound_call_hides_the_list_until_the_agent_is_free(tmp_path: Path) -> None:
    dialer = Dialer(tmp_path)
    try:
        loaded = make_campaign(dialer.context, mode="manual")
        dialer.start(loaded.name)
        dialer.wait(lambda: _choosing(dialer))
        choice = dialer.session.view.choices[0]
        assert dialer.phone.offer_call("+13125550100") is not None
        dialer.wait(lambda: dialer.session.view.phase is DialerPhase.WAITING)
        assert dialer.session.view.choices == ()
        assert dialer.session.pick(choice.id) == "no list of entries is shown"
        dialer.controller.reject()
        dialer.wait(lambda: _choosing(dialer) and len(dialer.session.view.choices) == 3)
        assert dialer.outbound() == []
    finally:
        dialer.close()


def test_a_callback_from_a_call_outside_the_dialer_stays_a_crm_callback(dialer: Dialer) -> None:
    loaded = make_campaign(dialer.context, mode="manual")
    dialer.start(loaded.name)
    dialer.wait(lambda: _choosing(dialer))
    assert dialer.controller.dial("+12025550177") is None  # the agent's own call
    call = dialer.wait_dialled()
    dialer.answer_and_hang_up(call)
    due = (datetime.now(UTC) + timedelta(days=1)).replace(microsecond=0)
    dialer.controller.save_wrapup(WrapupForm("callback", "", due, "own call"))
    dialer.wait(lambda: bool([e for e in dialer.desk_events if isinstance(e, WrapupFinished)]))
    [callback] = callbacks_of(dialer.context)
    assert (callback.phone_e164, callback.note) == ("+12025550177", "own call")
    assert all(entry_row(dialer.context, p).status == "new" for p in loaded.phones)
    dialer.wait(lambda: _choosing(dialer))  # the list is back after the wrap-up


def test_nothing_dialable_says_why(tmp_path: Path) -> None:
    # 03:00 in New York: outside 08:00-21:00 for every entry, one of which is on the DNC list.
    night = datetime(2026, 3, 4, 8, 0, tzinfo=UTC)
    dialer = Dialer(tmp_path, clock=lambda: night)
    try:
        loaded = make_campaign(dialer.context, window="08:00-21:00")
        add_numbers(dialer.context.database.sessions, [loaded.phones[2]])
        dialer.start(loaded.name)
        dialer.wait(lambda: dialer.session.view.phase is DialerPhase.NOTHING)
        assert dialer.session.view.entry is None
        assert dict(dialer.session.view.blocked) == {"outside_hours": 2, "dnc": 1}
        progress = dialer.session.view.progress
        assert progress is not None and (progress.total, progress.remaining) == (3, 2)
        assert dialer.outbound() == []
    finally:
        dialer.close()


def test_a_number_listed_after_the_offer_is_not_dialled(tmp_path: Path) -> None:
    dialer = Dialer(tmp_path, preview_seconds=60)
    try:
        loaded = make_campaign(dialer.context)
        dialer.start(loaded.name)
        dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OFFERED)
        add_numbers(dialer.context.database.sessions, [loaded.phones[0]])
        assert dialer.session.dial_now() is None
        dialer.wait(
            lambda: (
                dialer.session.view.entry is not None
                and dialer.session.view.entry.phone == loaded.phones[1]
            )
        )
        assert dialer.outbound() == []
        assert entry_row(dialer.context, loaded.phones[0]).status == "dnc"
        assert any(isinstance(e, DialerNotice) for e in dialer.events)
    finally:
        dialer.close()


def test_an_inbound_call_holds_the_countdown(tmp_path: Path) -> None:
    dialer = Dialer(tmp_path, preview_seconds=0.5)
    try:
        loaded = make_campaign(dialer.context)
        dialer.start(loaded.name)
        dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OFFERED)
        inbound = dialer.phone.offer_call("+13125550100")
        assert inbound is not None
        dialer.wait(lambda: dialer.session.view.countdown_deadline is None)
        dialer.drain()
        # Held, not running: no timer is left that could dial while the call rings.
        assert dialer.session.timer_due is None
        assert dialer.outbound() == []
        dialer.controller.reject()
        dialer.wait(lambda: dialer.session.view.countdown_deadline is not None)
        call = dialer.wait_dialled()
        assert call.remote == loaded.phones[0]
        # the inbound call's end is not taken for the entry's attempt
        finished = [e for e in dialer.desk_events if isinstance(e, CallFinished)]
        assert [f.inbound for f in finished] == [True]
        assert attempts_of(dialer.context, entry_row(dialer.context, loaded.phones[0]).id) == []
    finally:
        dialer.close()


@pytest.mark.parametrize(
    ("port_outcome", "expected"),
    [
        ("answered_completed", Outcome.ANSWERED),
        ("busy", Outcome.BUSY),
        ("no_answer", Outcome.NO_ANSWER),
        ("invalid_number", Outcome.INVALID_NUMBER),
        ("declined", Outcome.DECLINED),
        ("cancelled", Outcome.CANCELLED),
        ("failed", Outcome.FAILED),
        ("missed", Outcome.FAILED),
    ],
)
def test_call_outcomes_map_to_attempt_outcomes(port_outcome: str, expected: Outcome) -> None:
    assert attempt_outcome(port_outcome) is expected


def test_campaigns_lists_only_the_agents(dialer: Dialer) -> None:
    dialer.context.services.records.ensure_agent("bob", "Bob")
    make_campaign(dialer.context, name="Mine", people=[])
    make_campaign(dialer.context, name="Bobs", people=[], agents=["bob"])
    make_campaign(dialer.context, name="Open", people=[], agents=[])
    names = [c.name for c in dialer.context.executor.submit(dialer.session.campaigns).result(10)]
    assert sorted(names) == ["Mine", "Open"]


def test_first_run_adds_a_demo_campaign_assigned_to_the_agent(tmp_path: Path) -> None:
    settings = make_settings(tmp_path)
    context = start_desktop(None, settings, phone_factory=lambda config: FakeSoftphone(config))
    try:
        assert context.first_run
        sessions = context.database.sessions
        info = get_campaign(sessions, DEMO_CAMPAIGN)
        assert (info.mode, info.window) == ("preview", "08:00-21:00")
        assert info.script is not None and "{first_name}" in info.script
        progress = campaign_progress(sessions, DEMO_CAMPAIGN)
        assert progress.total >= 250 and progress.dialed == 0
        # Assigned to the desk's agent only: another demo agent may not work it.
        next_entry(sessions, DEMO_CAMPAIGN, "alice", dry_run=True)
        with pytest.raises(NotAssignedError):
            next_entry(sessions, DEMO_CAMPAIGN, "demo.agent02", dry_run=True)
    finally:
        context.close()


def test_a_dial_the_phone_refuses_is_not_an_attempt(tmp_path: Path) -> None:
    """The call never left the desk: the entry goes back untouched and the dialer stops (the
    next entries would fail the same way). It used to be a failed attempt, retried in 30
    minutes until the list was used up (issue 14)."""
    dialer = Dialer(tmp_path, preview_seconds=60)
    try:
        loaded = make_campaign(dialer.context, people=[("Only", "One", "+12025550150", "X")])
        dialer.start(loaded.name)
        dialer.wait(lambda: dialer.session.view.phase is DialerPhase.OFFERED)
        dialer.phone.close()  # the SIP stack is gone: the dial fails after it was accepted
        assert dialer.session.dial_now() is None
        dialer.wait(lambda: dialer.session.view.phase is DialerPhase.STOPPED)
        dialer.drain()
        row = entry_row(dialer.context, "+12025550150")
        assert (row.status, row.attempts, row.last_outcome) == ("new", 0, None)
        assert row.reserved_by_id is None and attempts_of(dialer.context, row.id) == []
    finally:
        dialer.close()


def test_a_campaign_wrapup_that_fails_is_kept_whole_and_applied_when_the_failure_passes(
    dialer: Dialer, monkeypatch: pytest.MonkeyPatch
) -> None:
    loaded = make_campaign(dialer.context, mode="manual")
    dialer.start(loaded.name)
    dialer.wait(lambda: _choosing(dialer))
    picked = next(e for e in dialer.session.view.choices if e.phone == loaded.phones[0])
    assert dialer.session.pick(picked.id) is None
    dialer.answer_and_hang_up(dialer.wait_dialled())
    real = campaign_wrapup.write_disposition
    failing = [True]

    def fails_after_writing(*args: Any, **kwargs: Any) -> Any:
        state = real(*args, **kwargs)
        if failing[0]:
            raise RuntimeError("the transaction failed")
        return state

    monkeypatch.setattr(campaign_wrapup, "write_disposition", fails_after_writing)
    assert dialer.controller.save_wrapup(WrapupForm("sale", "good talk")) is None
    # Kept in the journal: the agent is done with the call, and nothing half-written is in
    # the database (one transaction: the call has no disposition, the entry did not move).
    dialer.wait(lambda: [e for e in dialer.desk_events if isinstance(e, WrapupFinished)])
    [finished] = [e for e in dialer.desk_events if isinstance(e, WrapupFinished)]
    assert finished.saved is None and dialer.controller.wrapup is None
    assert [(c.disposition_id, c.notes) for c in calls_of(dialer.context)] == [(None, None)]
    row = entry_row(dialer.context, loaded.phones[0])
    assert (row.status, row.last_disposition) == ("in_progress", None)

    failing[0] = False  # the journal's next try applies it
    dialer.wait(lambda: entry_row(dialer.context, loaded.phones[0]).status == "done", 15)
    [call] = calls_of(dialer.context)
    assert call.notes == "good talk"
    [attempt] = attempts_of(dialer.context, row.id)
    assert (attempt.call_id, attempt.disposition_code) == (call.id, "sale")
    # the call's story in the journal: a crash at any point leaves enough to finish it
    kinds = [e.kind for e in dialer.context.services.journal.store.of_record(call.id)]
    assert kinds[:2] == ["call.open", "campaign.dial"]
    assert {"campaign.attempt", "call.end", "campaign.wrapup"} <= set(kinds)


def test_the_dialled_entry_stays_held_while_the_call_lasts(tmp_path: Path) -> None:
    dialer = Dialer(tmp_path, renew_hold_every=0.05)
    try:
        loaded = make_campaign(dialer.context, mode="progressive")
        dialer.start(loaded.name)
        call = dialer.wait_dialled()
        first = entry_row(dialer.context, loaded.phones[0])
        assert first.status == "in_progress" and first.reserved_until is not None
        held = first.reserved_until
        dialer.shift = timedelta(minutes=3)  # the call goes on: the hold moves with it
        dialer.wait(
            lambda: (
                (entry_row(dialer.context, loaded.phones[0]).reserved_until or held)
                > held + timedelta(minutes=2)
            )
        )
        dialer.answer_and_hang_up(call)
        assert dialer.controller.save_wrapup(WrapupForm("sale")) is None
        dialer.wait_dialled(2)  # the next entry: the first one's call and hold are over
        dialer.drain()
        row = entry_row(dialer.context, loaded.phones[0])
        assert (row.status, row.reserved_until, row.reserved_by_id) == ("done", None, None)
    finally:
        dialer.close()
