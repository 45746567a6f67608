"""Manual mode on both engines: listing the next entries, reserving the one the agent picks."""

from __future__ import annotations

import threading
import uuid
from concurrent.futures import ThreadPoolExecutor
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.engine import unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.dialer import dnc, outcomes, selection
from agentdesk.dialer.campaigns import NotAssignedError, create_campaign, set_active
from agentdesk.dialer.loader import EntrySpec, load_entries
from agentdesk.dialer.models import CampaignEntry, DncNumber
from agentdesk.dialer.picking import EntryUnavailableError, peek_entries, reserve_entry
from agentdesk.dialer.selection import OfferedEntry
from agentdesk.org.models import User

# Monday 2026-11-23 17:00 UTC: 12:00 in New York, 01:00 (Tuesday) in Shanghai.
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
NY = [f"+1212555{n:04d}" for n in range(101, 106)]
CHICAGO = "+13125550100"
SHANGHAI = "+8613800138000"
AGENTS = [f"agent{i:02d}" for i in range(8)]


@pytest.fixture
def campaign(sessions: sessionmaker[Session]) -> str:
    """Five New York entries eligible one minute apart (NY[0] first), one in Shanghai."""
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        s.add_all(User(username=name, display_name=name.title()) for name in ["ada", "bob", "cy"])
        s.add_all(User(username=name, display_name=name) for name in AGENTS)
    create_campaign(sessions, "Winter", mode="manual", max_attempts=2, agents=["ada", "bob"])
    for i, number in enumerate([*NY, SHANGHAI]):
        spec = EntrySpec(number, number, first_name=f"P{i}", company=f"Co{i}")
        load_entries(sessions, "Winter", [spec], source="test", now=NOW - timedelta(hours=5 - i))
    return "Winter"


def _row(sessions: sessionmaker[Session], entry_id: uuid.UUID) -> CampaignEntry:
    with sessions() as s:
        row = s.get(CampaignEntry, entry_id)
        assert row is not None
        s.expunge(row)
        return row


def _list_quietly(sessions: sessionmaker[Session], number: str) -> None:
    """A DNC row written without marking the entries (as by a concurrent bulk import): only
    the check at offer or pick time can keep the number from being dialled."""
    with unit_of_work(sessions) as s:
        s.add(DncNumber(e164=number, campaign_id=None, source="test"))


def _phones(entries: tuple[OfferedEntry, ...]) -> list[str]:
    return [e.phone for e in entries]


def test_peek_lists_what_next_entry_would_offer_without_reserving(
    sessions: sessionmaker[Session], campaign: str
) -> None:
    listed = peek_entries(sessions, campaign, "ada", now=NOW)
    # Shanghai is at 01:00: outside its calling hours, so not listed.
    assert _phones(listed.entries) == NY and listed.blocked == {}
    first = listed.entries[0]
    assert (first.name, first.company, first.attempts, first.last_outcome) == ("P0", "Co0", 0, None)
    assert first.reserved_until is None and not first.is_callback
    assert all(_row(sessions, e.id).status == "new" for e in listed.entries)
    assert _phones(peek_entries(sessions, campaign, "ada", limit=2, now=NOW).entries) == NY[:2]
    # The same order as the automatic offer: its next entry heads the list.
    offered = selection.next_entry(sessions, campaign, "ada", now=NOW)
    assert offered.entry is not None and offered.entry.id == first.id
    assert _phones(peek_entries(sessions, campaign, "bob", now=NOW).entries) == NY[1:]


def test_peek_applies_the_rules(sessions: sessionmaker[Session], campaign: str) -> None:
    entries = peek_entries(sessions, campaign, "ada", now=NOW).entries
    _list_quietly(sessions, NY[1])
    # A retry not due yet is held back; a due callback of ada's comes first, only for her.
    retry = reserve_entry(sessions, campaign, "ada", entries[2].id, now=NOW)
    outcomes.start_dialing(sessions, retry.id, "ada", now=NOW)
    outcomes.record_attempt(sessions, retry.id, "no_answer", 480, agent="ada", now=NOW)
    callback = reserve_entry(sessions, campaign, "ada", entries[3].id, now=NOW)
    outcomes.start_dialing(sessions, callback.id, "ada", now=NOW)
    outcomes.record_attempt(sessions, callback.id, "answered", 200, agent="ada", now=NOW)
    due = NOW + timedelta(minutes=10)
    outcomes.apply_disposition(sessions, callback.id, "callback", agent="ada", callback_at=due)
    later = NOW + timedelta(minutes=15)
    for_ada = peek_entries(sessions, campaign, "ada", now=later).entries
    assert _phones(for_ada) == [NY[3], NY[0], NY[4]]
    assert for_ada[0].is_callback and for_ada[0].attempts == 1
    assert for_ada[0].last_outcome == "answered"
    assert _phones(peek_entries(sessions, campaign, "bob", now=later).entries) == [NY[0], NY[4]]
    # Listing does not mark the listed number (only an offer or a pick does).
    assert _row(sessions, entries[1].id).status == "new"


def test_peek_explains_an_empty_list(sessions: sessionmaker[Session], campaign: str) -> None:
    night = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)  # 03:00 New York, 16:00 Shanghai
    dnc.add_numbers(sessions, [SHANGHAI])
    empty = peek_entries(sessions, campaign, "ada", now=night)
    assert empty.entries == () and empty.blocked == {"outside_hours": 5, "dnc": 1}
    with pytest.raises(NotAssignedError):
        peek_entries(sessions, campaign, "cy", now=NOW)
    set_active(sessions, campaign, False)
    paused = peek_entries(sessions, campaign, "ada", now=NOW)
    assert paused.entries == () and paused.blocked == {"paused": 5, "dnc": 1}


def test_reserve_a_picked_entry(sessions: sessionmaker[Session], campaign: str) -> None:
    entries = peek_entries(sessions, campaign, "ada", now=NOW).entries
    picked = reserve_entry(sessions, campaign, "ada", entries[2].id, now=NOW)
    assert picked.id == entries[2].id and picked.status == "reserved"
    assert picked.reserved_until == NOW + timedelta(minutes=5)
    row = _row(sessions, picked.id)
    assert (row.status, row.reserved_until) == ("reserved", NOW + timedelta(minutes=5))
    assert picked.version == row.version
    # The agent can dial it as any offered entry; bob can no longer pick it.
    outcomes.start_dialing(sessions, picked.id, "ada", now=NOW)
    with pytest.raises(EntryUnavailableError) as taken:
        reserve_entry(sessions, campaign, "bob", picked.id, now=NOW)
    assert taken.value.reason == "reserved"
    assert str(taken.value) == "the entry cannot be dialled: another agent has it"
    assert entries[2].id not in {e.id for e in peek_entries(sessions, campaign, "bob").entries}


@pytest.mark.parametrize(
    ("setup", "reason"),
    [
        ("dnc", "dnc"),
        ("dnc_marked", "dnc"),
        ("night", "outside_hours"),
        ("retry", "retry_wait"),
        ("exhausted", "exhausted"),
        ("other_agent", "other_agent"),
        ("paused", "paused"),
        ("done", "done"),
        ("unknown", "gone"),
    ],
)
def test_a_pick_that_is_no_longer_dialable_is_refused(
    sessions: sessionmaker[Session], campaign: str, setup: str, reason: str
) -> None:
    entry = peek_entries(sessions, campaign, "ada", now=NOW).entries[0]
    entry_id, at, agent = entry.id, NOW, "ada"
    if setup == "dnc":
        _list_quietly(sessions, entry.phone)
    elif setup == "dnc_marked":
        dnc.add_numbers(sessions, [entry.phone])
    elif setup == "night":
        at = datetime(2026, 11, 23, 8, 0, tzinfo=UTC)
    elif setup in ("retry", "exhausted", "other_agent", "done"):
        tries = 2 if setup == "exhausted" else 1
        for n in range(tries):
            when = NOW + timedelta(hours=3 * n)
            reserve_entry(sessions, campaign, "ada", entry_id, now=when)
            outcomes.start_dialing(sessions, entry_id, "ada", now=when)
            answered = setup in ("other_agent", "done")
            outcome = "answered" if answered else "no_answer"
            outcomes.record_attempt(sessions, entry_id, outcome, agent="ada", now=when)
        at = NOW + timedelta(hours=3 * tries - 2)  # before a retry is due; NY still in hours
        if setup == "other_agent":
            outcomes.apply_disposition(
                sessions, entry_id, "callback", agent="ada", callback_at=at, now=NOW
            )
            agent = "bob"
        elif setup == "done":
            outcomes.apply_disposition(sessions, entry_id, "sale", agent="ada", now=NOW)
    elif setup == "paused":
        set_active(sessions, campaign, False)
    elif setup == "unknown":
        entry_id = uuid.uuid4()
    before = _row(sessions, entry.id)
    with pytest.raises(EntryUnavailableError) as refused:
        reserve_entry(sessions, campaign, agent, entry_id, now=at)
    assert refused.value.reason == reason
    after = _row(sessions, entry.id)
    if setup == "dnc":  # marked at the pick, so nobody is offered it again
        assert after.status == "dnc"
    else:
        assert (after.status, after.version) == (before.status, before.version)


def test_two_agents_picking_the_same_entry_at_once_only_one_gets_it(
    sessions: sessionmaker[Session], campaign: str
) -> None:
    create_campaign(sessions, "Race", mode="manual")
    load_entries(sessions, "Race", [EntrySpec(CHICAGO, CHICAGO)], source="test", now=NOW)
    [entry] = peek_entries(sessions, "Race", "ada", now=NOW).entries
    for round_ in range(3):  # the race is decided by timing: run it a few times
        start = threading.Barrier(len(AGENTS))

        def pick(agent: str, start: threading.Barrier = start) -> str:
            start.wait()
            try:
                reserve_entry(sessions, "Race", agent, entry.id, now=NOW)
            except EntryUnavailableError as exc:
                return exc.reason
            return "got it"

        with ThreadPoolExecutor(len(AGENTS)) as pool:
            results = list(pool.map(pick, AGENTS))
        assert sorted(results) == ["got it"] + ["reserved"] * (len(AGENTS) - 1), round_
        winner = AGENTS[results.index("got it")]
        row = _row(sessions, entry.id)
        assert row.status == "reserved"
        with sessions() as s:
            assert row.reserved_by_id == s.scalar(select(User.id).where(User.username == winner))
        outcomes.skip_entry(sessions, entry.id, winner, delay=timedelta(0), now=NOW)


def test_a_stale_reservation_can_be_picked_and_a_renewed_pick_keeps_it(
    sessions: sessionmaker[Session], campaign: str
) -> None:
    entry = peek_entries(sessions, campaign, "ada", now=NOW).entries[0]
    reserve_entry(sessions, campaign, "ada", entry.id, now=NOW)
    again = reserve_entry(sessions, campaign, "ada", entry.id, now=NOW + timedelta(minutes=1))
    assert again.reserved_until == NOW + timedelta(minutes=6)
    with pytest.raises(EntryUnavailableError):
        reserve_entry(sessions, campaign, "bob", entry.id, now=NOW + timedelta(minutes=2))
    # ada's client crashed: once the reservation ran out, bob may pick it.
    taken = reserve_entry(sessions, campaign, "bob", entry.id, now=NOW + timedelta(minutes=6))
    assert taken.id == entry.id
