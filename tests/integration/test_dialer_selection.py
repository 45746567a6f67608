"""Next-entry selection on both engines: DNC, calling hours, retries, callbacks, reservations."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Disposition
from agentdesk.db.engine import unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.dialer import commands, dnc, outcomes, selection
from agentdesk.dialer.campaigns import (
    NotAssignedError,
    assign_campaign,
    create_campaign,
    set_active,
)
from agentdesk.dialer.entry_state import DoNotCallError, EntryStateError
from agentdesk.dialer.loader import EntrySpec, load_entries
from agentdesk.dialer.models import Attempt, CampaignEntry, DncNumber
from agentdesk.org.models import Team, User

# Monday 2026-11-23 17:00 UTC: 12:00 in New York, 01:00 (Tuesday) in Shanghai, 18:00 Paris.
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
NY = ["+12125550101", "+12125550102", "+12125550103"]
SHANGHAI = "+8613800138000"

MakeCampaign = Callable[..., str]


@pytest.fixture
def agents(sessions: sessionmaker[Session]) -> dict[str, uuid.UUID]:
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        team = Team(name="Sales")
        s.add(team)
        s.flush()
        users = [
            User(username="ada", display_name="Ada Lovelace", team_id=team.id),
            User(username="bob", display_name="Bob"),
            User(username="cy", display_name="Cy"),
        ]
        s.add_all(users)
        s.flush()
        return {u.username: u.id for u in users}


@pytest.fixture
def make_campaign(sessions: sessionmaker[Session], agents: dict[str, uuid.UUID]) -> MakeCampaign:
    def make(numbers: list[str] | list[EntrySpec], name: str = "Autumn", **settings: object) -> str:
        create_campaign(sessions, name, **settings)  # type: ignore[arg-type]
        specs = [
            n if isinstance(n, EntrySpec) else EntrySpec(phone_raw=n, e164=n, first_name=f"P{i}")
            for i, n in enumerate(numbers)
        ]
        # Loaded the day before NOW, so they are eligible at any time the tests ask about.
        load_entries(sessions, name, specs, source="test", now=NOW - timedelta(days=1))
        return name

    return make


def status_of(sessions: sessionmaker[Session], entry_id: uuid.UUID) -> str:
    with sessions() as s:
        entry = s.get(CampaignEntry, entry_id)
        assert entry is not None
        return entry.status


def offer(
    sessions: sessionmaker[Session], agent: str, at: datetime = NOW, campaign: str = "Autumn"
) -> selection.NextResult:
    return selection.next_entry(sessions, campaign, agent, now=at)


def test_reservation_gives_each_entry_to_one_agent(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY, script="Hello {first_name}, {agent_name} here about {company}.")
    first = offer(sessions, "ada")
    second = offer(sessions, "bob")
    assert first.entry is not None and second.entry is not None
    assert first.reserved and first.entry.id != second.entry.id
    assert first.entry.phone in NY and first.entry.name.startswith("P")
    assert first.entry.script == f"Hello {first.entry.first_name}, Ada Lovelace here about ."
    assert first.entry.reserved_until == NOW + timedelta(minutes=5)
    assert status_of(sessions, first.entry.id) == "reserved"
    assert first.blocked == {"reserved": 1}  # counted after ada's own reservation
    third = offer(sessions, "cy")
    assert third.entry is not None
    nothing = offer(sessions, "ada")
    assert nothing.entry is None
    assert nothing.blocked == {"reserved": 3}


def test_dry_run_shows_without_reserving(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY[:1])
    shown = commands.campaign_next(
        sessions, "Autumn", agent="ada", at=NOW.isoformat(), dry_run=True
    )
    assert shown["entry"]["phone"] == NY[0]
    assert shown["reserved"] is False and shown["blocked"] == {}
    assert status_of(sessions, uuid.UUID(shown["entry"]["id"])) == "new"
    taken = commands.campaign_next(sessions, "Autumn", agent="bob", at=NOW.isoformat())
    assert taken["entry"]["id"] == shown["entry"]["id"]
    assert taken["entry"]["name"] == "P0"


def test_dnc_added_after_load_is_never_dialled(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY)
    make_campaign(NY, name="Other")
    # Spelled differently from the entry: compared in E.164.
    result = commands.dnc_add(sessions, ["(212) 555-0101"])
    assert result["added"] == 1 and result["entries_marked"] == 2  # both campaigns
    # Campaign-only DNC leaves the other campaign alone.
    commands.dnc_add(sessions, ["+1 212 555 0102"], campaign="Autumn")
    # A listing that bypassed the eager marking (another client, a raw load): found at offer.
    with unit_of_work(sessions) as s:
        s.add(DncNumber(e164=NY[2], campaign_id=None, source="raw"))
    got = offer(sessions, "ada")
    assert got.entry is None
    assert got.blocked == {"dnc": 3}
    other = offer(sessions, "ada", campaign="Other")
    assert other.entry is not None and other.entry.phone == NY[1]
    assert other.blocked == {"dnc": 1, "reserved": 1}
    # The raw-listed number is caught when it comes up in "Other" too.
    last = offer(sessions, "bob", campaign="Other")
    assert last.entry is None and last.blocked == {"dnc": 2, "reserved": 1}
    with sessions() as s:
        statuses = sorted(s.scalars(select(CampaignEntry.status)))
    assert statuses == ["dnc"] * 5 + ["reserved"]


def test_dnc_listed_after_the_offer_stops_the_dial(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY[:1])
    got = offer(sessions, "ada")
    assert got.entry is not None
    # Listed while ada previews it: the eager marking takes it from her...
    commands.dnc_add(sessions, [NY[0]])
    assert status_of(sessions, got.entry.id) == "dnc"
    with pytest.raises(EntryStateError):
        outcomes.start_dialing(sessions, got.entry.id, "ada", now=NOW)
    # ...and a listing that skipped the marking is caught by the last check before dialling.
    make_campaign(NY[1:2], name="Second")
    got = offer(sessions, "ada", campaign="Second")
    assert got.entry is not None
    with unit_of_work(sessions) as s:
        s.add(DncNumber(e164=NY[1], campaign_id=None, source="raw"))
    with pytest.raises(DoNotCallError):
        outcomes.start_dialing(sessions, got.entry.id, "ada", now=NOW)
    assert status_of(sessions, got.entry.id) == "dnc"


def test_calling_hours_follow_the_callee(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(
        [
            EntrySpec(NY[0], NY[0], first_name="Nora"),
            EntrySpec(SHANGHAI, SHANGHAI, first_name="Li"),
            # A New York number whose owner lives in Paris.
            EntrySpec(NY[1], NY[1], time_zone="Europe/Paris", first_name="Paul"),
        ]
    )
    # 13:30 UTC: 08:30 New York, 21:30 Shanghai, 14:30 Paris.
    morning = NOW.replace(hour=13, minute=30)
    names = set()
    for agent in ("ada", "bob"):
        got = offer(sessions, agent, at=morning)
        assert got.entry is not None
        names.add(got.entry.name)
    assert names == {"Nora", "Paul"}
    nothing = offer(sessions, "cy", at=morning)
    assert nothing.entry is None and nothing.blocked == {"outside_hours": 1, "reserved": 2}
    # 02:00 UTC next day: 21:00 New York (end is exclusive), 10:00 Shanghai, 03:00 Paris.
    late = datetime(2026, 11, 24, 2, 0, tzinfo=UTC)
    got = offer(sessions, "cy", at=late)
    assert got.entry is not None and got.entry.name == "Li"
    assert got.entry.zones == ("Asia/Shanghai",)


def test_allowed_weekdays_and_window_setting(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY[:1], window="10:00-16:00", weekdays=range(5))
    assert offer(sessions, "ada", at=NOW.replace(hour=14, minute=59)).entry is None  # 09:59
    saturday = datetime(2026, 11, 28, 17, 0, tzinfo=UTC)
    assert offer(sessions, "ada", at=saturday).entry is None
    assert offer(sessions, "ada", at=NOW.replace(hour=15)).entry is not None  # 10:00


def test_retries_and_max_attempts(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY[:1], max_attempts=3)
    at = NOW
    got = offer(sessions, "ada", at=at)
    assert got.entry is not None
    entry_id = got.entry.id
    outcomes.start_dialing(sessions, entry_id, "ada", now=at)
    state = outcomes.record_attempt(sessions, entry_id, "no_answer", 480, agent="ada", now=at)
    assert (state.status, state.attempts) == ("new", 1)
    assert state.next_eligible_at == at + timedelta(hours=2)
    # Not before the retry delay.
    early = offer(sessions, "ada", at=at + timedelta(hours=1, minutes=59))
    assert early.entry is None and early.blocked == {"retry_wait": 1}
    at += timedelta(hours=2)
    got = offer(sessions, "bob", at=at)
    assert got.entry is not None and got.entry.id == entry_id and got.entry.attempts == 1
    state = outcomes.record_attempt(sessions, entry_id, "busy", 486, agent="bob", now=at)
    assert state.next_eligible_at == at + timedelta(minutes=15)
    at += timedelta(minutes=15)
    got = offer(sessions, "bob", at=at)
    assert got.entry is not None
    state = outcomes.record_attempt(sessions, entry_id, "busy", 486, agent="bob", now=at)
    assert (state.status, state.attempts) == ("exhausted", 3)
    later = offer(sessions, "bob", at=at + timedelta(days=1))
    assert later.entry is None and later.blocked == {"exhausted": 1}
    with sessions() as s:
        rows = s.execute(
            select(Attempt.outcome, Attempt.sip_code).order_by(Attempt.started_at)
        ).all()
    assert [tuple(r) for r in rows] == [("no_answer", 480), ("busy", 486), ("busy", 486)]


def test_final_outcomes(sessions: sessionmaker[Session], make_campaign: MakeCampaign) -> None:
    make_campaign(NY[:2])
    first = offer(sessions, "ada")
    second = offer(sessions, "bob")
    assert first.entry and second.entry
    assert outcomes.record_attempt(sessions, first.entry.id, "declined", 603, now=NOW).status == (
        "done"
    )
    state = outcomes.record_attempt(sessions, second.entry.id, "invalid_number", 404, now=NOW)
    assert state.status == "invalid"
    assert offer(sessions, "ada", at=NOW + timedelta(days=2)).blocked == {"invalid": 1}
    with pytest.raises(EntryStateError):
        outcomes.record_attempt(sessions, first.entry.id, "busy", now=NOW)


def test_due_callbacks_come_first_for_their_agent(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY)
    got = offer(sessions, "ada")
    assert got.entry is not None
    entry_id = got.entry.id
    outcomes.start_dialing(sessions, entry_id, "ada", now=NOW)
    outcomes.record_attempt(sessions, entry_id, "answered", 200, agent="ada", now=NOW)
    due = NOW + timedelta(hours=1)
    state = outcomes.apply_disposition(
        sessions, entry_id, "callback", agent="ada", callback_at=due, now=NOW
    )
    assert state.status == "callback" and state.next_eligible_at == due
    # Before it is due, ada gets a fresh entry; at the due time she gets her callback before
    # the older new entries, and bob never gets it.
    soon = offer(sessions, "ada", at=NOW + timedelta(minutes=30))
    assert soon.entry is not None and soon.entry.id != entry_id
    later = NOW + timedelta(hours=1)
    for_bob = offer(sessions, "bob", at=later)
    assert for_bob.entry is not None and for_bob.entry.id != entry_id
    for_ada = offer(sessions, "ada", at=later)
    assert for_ada.entry is not None and for_ada.entry.id == entry_id
    assert for_ada.entry.is_callback


def test_stale_reservation_returns_to_the_pool(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY[:1], reservation_minutes=5)
    got = offer(sessions, "ada")
    assert got.entry is not None
    # ada's client crashed: within the reservation, nobody else gets the entry...
    assert offer(sessions, "bob", at=NOW + timedelta(minutes=4, seconds=59)).entry is None
    # ...after it, bob does, and ada can no longer dial it.
    again = offer(sessions, "bob", at=NOW + timedelta(minutes=5))
    assert again.entry is not None and again.entry.id == got.entry.id
    with pytest.raises(EntryStateError):
        outcomes.start_dialing(sessions, got.entry.id, "ada", now=NOW + timedelta(minutes=6))
    outcomes.start_dialing(sessions, got.entry.id, "bob", now=NOW + timedelta(minutes=6))
    # A call in progress is held like a reservation (its desk renews the hold while the call
    # lasts; tests/integration/test_campaign_wrapup.py has the rest).
    assert offer(sessions, "cy", at=NOW + timedelta(minutes=10, seconds=59)).entry is None


def test_skip_assignment_and_pause(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY[:1])
    got = offer(sessions, "ada")
    assert got.entry is not None
    outcomes.skip_entry(sessions, got.entry.id, "ada", now=NOW)
    assert offer(sessions, "bob").entry is None
    assert offer(sessions, "bob", at=NOW + timedelta(minutes=30)).entry is not None
    assign_campaign(sessions, "Autumn", teams=["Sales"])
    with pytest.raises(NotAssignedError):
        offer(sessions, "bob")
    set_active(sessions, "Autumn", False)
    paused = offer(sessions, "ada", at=NOW + timedelta(hours=2))
    assert paused.entry is None and paused.blocked == {"reserved": 1}


def test_dispositions_and_progress(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY)
    ids = []
    for agent, outcome, code in (
        ("ada", "answered", "sale"),
        ("bob", "answered", "do_not_call"),
        ("cy", "no_answer", None),
    ):
        got = offer(sessions, agent)
        assert got.entry is not None
        ids.append(got.entry.id)
        outcomes.start_dialing(sessions, got.entry.id, agent, now=NOW)
        outcomes.record_attempt(sessions, got.entry.id, outcome, agent=agent, now=NOW)
        if code:
            outcomes.apply_disposition(sessions, got.entry.id, code, agent=agent, now=NOW)
    assert [status_of(sessions, i) for i in ids] == ["done", "dnc", "new"]
    with sessions() as s:
        assert dnc.is_listed(s, NY[1], uuid.uuid4())  # do_not_call lists the number globally
    status = commands.campaign_status(sessions, "Autumn")
    assert status["campaign"] == "Autumn" and status["settings"]["window"] == "08:00-21:00"
    assert status["total"] == 3 and status["dialed"] == 3 and status["attempts"] == 3
    assert status["remaining"] == 1 and status["contacted"] == 2 and status["successes"] == 1
    assert status["by_status"] == {"done": 1, "dnc": 1, "new": 1}
    assert status["by_outcome"] == {"answered": 2, "no_answer": 1}
    with sessions() as s:
        codes = set(s.scalars(select(Attempt.disposition_code)))
    assert codes == {"sale", "do_not_call", None}


def test_the_dnc_flag_of_a_code_lists_the_number_not_its_name(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY[:2])
    with unit_of_work(sessions) as s:
        s.add(Disposition(code="remove_me", label="Asked to be removed", adds_to_dnc=True))
        shipped = s.scalars(select(Disposition).where(Disposition.code == "do_not_call")).one()
        shipped.adds_to_dnc = False  # the admin turned the flag off for the shipped code
    dialled = {}
    for agent, code in (("ada", "remove_me"), ("bob", "do_not_call")):
        got = offer(sessions, agent)
        assert got.entry is not None
        dialled[code] = got.entry.phone
        outcomes.start_dialing(sessions, got.entry.id, agent, now=NOW)
        outcomes.record_attempt(sessions, got.entry.id, "answered", agent=agent, now=NOW)
        outcomes.apply_disposition(sessions, got.entry.id, code, agent=agent, now=NOW)
    with sessions() as s:
        listed = {n for n in NY[:2] if dnc.is_listed(s, n, uuid.uuid4())}
    assert listed == {dialled["remove_me"]}


def test_callbacks_of_other_agents_are_explained(
    sessions: sessionmaker[Session], make_campaign: MakeCampaign
) -> None:
    make_campaign(NY[:1])
    got = offer(sessions, "ada")
    assert got.entry is not None
    outcomes.record_attempt(sessions, got.entry.id, "answered", 200, agent="ada", now=NOW)
    due = NOW + timedelta(hours=1)
    outcomes.apply_disposition(
        sessions, got.entry.id, "callback", agent="ada", callback_at=due, now=NOW
    )
    early = offer(sessions, "bob", at=NOW + timedelta(minutes=5))
    assert early.entry is None and early.blocked == {"other_agent": 1}
    assert offer(sessions, "ada", at=NOW + timedelta(minutes=5)).blocked == {"callback_not_due": 1}
    assert offer(sessions, "bob", at=due).blocked == {"other_agent": 1}
    # Night in New York: outside hours beats whose callback it is.
    night = datetime(2026, 11, 24, 4, 0, tzinfo=UTC)
    assert offer(sessions, "bob", at=night).blocked == {"outside_hours": 1}
    mine = offer(sessions, "ada", at=due)
    assert mine.entry is not None and mine.entry.is_callback
