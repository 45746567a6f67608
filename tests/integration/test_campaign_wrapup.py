"""A campaign call's wrap-up is one unit of work, and an entry whose desk died goes back to the
pool; on both engines."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts, WrapUp
from agentdesk.crm.models import Call, Callback
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.dialer import campaign_wrapup, outcomes, selection
from agentdesk.dialer.campaign_wrapup import save_campaign_wrapup
from agentdesk.dialer.campaigns import create_campaign
from agentdesk.dialer.entry_state import EntryStateError
from agentdesk.dialer.loader import EntrySpec, load_entries
from agentdesk.dialer.models import Attempt, CampaignEntry
from agentdesk.domain.enums import CallDirection
from agentdesk.org.models import User
from tests.support.logins import give_logins, login_engine

# Monday 2026-11-23 17:00 UTC: 12:00 in New York, inside the default calling window.
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
PHONE = "+12125550101"


@pytest.fixture
def entry_id(sessions: sessionmaker[Session]) -> Iterator[uuid.UUID]:
    yield winter(sessions)


def winter(sessions: sessionmaker[Session]) -> uuid.UUID:
    """One entry of the "Winter" campaign (five-minute reservations), for ada and bob."""
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        s.add_all(
            [User(username="ada", display_name="Ada"), User(username="bob", display_name="B")]
        )
    create_campaign(sessions, "Winter", reservation_minutes=5)
    spec = EntrySpec(PHONE, PHONE, first_name="Ada", last_name="Caller")
    load_entries(sessions, "Winter", [spec], source="test", now=NOW - timedelta(days=1))
    with sessions() as s:
        return s.scalars(select(CampaignEntry.id)).one()


def offer(sessions: sessionmaker[Session], agent: str, at: datetime) -> uuid.UUID | None:
    entry = selection.next_entry(sessions, "Winter", agent, now=at, explain=False).entry
    return entry.id if entry is not None else None


def answered(sessions: sessionmaker[Session], entry_id: uuid.UUID, at: datetime = NOW) -> None:
    """ada is offered the entry, dials it, and the callee answers (the attempt is recorded)."""
    assert offer(sessions, "ada", at) == entry_id
    outcomes.start_dialing(sessions, entry_id, "ada", now=at)
    outcomes.record_attempt(sessions, entry_id, "answered", 200, agent="ada", now=at)


def wrapup(code: str, notes: str = "wants a quote") -> WrapUp:
    facts = CallFacts(
        direction=CallDirection.OUTBOUND,
        started_at=NOW,
        answered_at=NOW + timedelta(seconds=5),
        ended_at=NOW + timedelta(minutes=2),
        remote_e164=PHONE,
        agent="ada",
    )
    return WrapUp(disposition_code=code, facts=facts, notes=notes, actor="ada")


def entry(sessions: sessionmaker[Session], entry_id: uuid.UUID) -> CampaignEntry:
    with sessions() as s:
        row = s.get(CampaignEntry, entry_id)
        assert row is not None
        s.expunge(row)
        return row


def rows(sessions: sessionmaker[Session], model: type[Any]) -> list[Any]:
    with sessions() as s:
        found = list(s.scalars(select(model)).all())
        s.expunge_all()
        return found


def test_success_moves_the_entry_and_writes_the_call_together(
    sessions: sessionmaker[Session], entry_id: uuid.UUID
) -> None:
    answered(sessions, entry_id)
    due = NOW + timedelta(days=2)
    result = save_campaign_wrapup(
        sessions, entry_id, wrapup("callback"), agent="ada", callback_at=due, now=NOW
    )
    assert result.refused is None and result.entry is not None
    row = entry(sessions, entry_id)
    assert (row.status, row.next_eligible_at, row.last_disposition) == ("callback", due, "callback")
    assert row.reserved_by_id is None and row.reserved_until is None  # no longer held
    [call] = rows(sessions, Call)
    assert call.id == result.saved.call.id and call.notes == "wants a quote"
    [attempt] = rows(sessions, Attempt)
    assert (attempt.call_id, attempt.disposition_code) == (call.id, "callback")
    assert rows(sessions, Callback) == []  # the entry is the callback


def test_a_callback_code_without_a_time_calls_back_a_day_later(
    sessions: sessionmaker[Session], entry_id: uuid.UUID
) -> None:
    answered(sessions, entry_id)
    save_campaign_wrapup(
        sessions, entry_id, wrapup("callback"), agent="ada", callback_at=None, now=NOW
    )
    row = entry(sessions, entry_id)
    assert (row.status, row.next_eligible_at) == ("callback", NOW + timedelta(days=1))


def test_a_failure_in_the_dialer_part_leaves_no_wrapup_behind(
    sessions: sessionmaker[Session], entry_id: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    answered(sessions, entry_id)
    real = campaign_wrapup.write_disposition

    def dies_after_writing(*args: Any, **kwargs: Any) -> Any:
        real(*args, **kwargs)  # the entry's change is flushed with the call's...
        raise RuntimeError("the desk died")  # ...and the transaction never commits

    monkeypatch.setattr(campaign_wrapup, "write_disposition", dies_after_writing)
    with pytest.raises(RuntimeError, match="the desk died"):
        save_campaign_wrapup(sessions, entry_id, wrapup("sale"), agent="ada", callback_at=None)
    assert rows(sessions, Call) == []
    assert [a for a in rows(sessions, AuditEntry) if a.entity_kind == "call"] == []
    row = entry(sessions, entry_id)
    assert (row.status, row.last_disposition, row.attempts) == ("in_progress", None, 1)
    [attempt] = rows(sessions, Attempt)
    assert (attempt.call_id, attempt.disposition_code) == (None, None)


def test_a_wrapup_the_entry_refuses_is_saved_alone(
    sessions: sessionmaker[Session], entry_id: uuid.UUID
) -> None:
    answered(sessions, entry_id)
    # ada's desk stalled past the hold: the entry went back and bob has it now.
    assert offer(sessions, "bob", NOW + timedelta(minutes=5)) == entry_id
    result = save_campaign_wrapup(
        sessions, entry_id, wrapup("sale"), agent="ada", callback_at=None, now=NOW
    )
    assert result.entry is None and result.refused is not None
    [call] = rows(sessions, Call)
    assert call.id == result.saved.call.id
    row = entry(sessions, entry_id)
    assert (row.status, row.last_disposition) == ("reserved", None)  # still bob's, untouched
    assert rows(sessions, Callback) == []


def test_a_refused_wrapup_keeps_the_agents_callback_as_a_crm_callback(
    sessions: sessionmaker[Session], entry_id: uuid.UUID
) -> None:
    answered(sessions, entry_id)
    assert offer(sessions, "bob", NOW + timedelta(minutes=5)) == entry_id
    due = NOW + timedelta(days=2)
    result = save_campaign_wrapup(
        sessions, entry_id, wrapup("callback"), agent="ada", callback_at=due, now=NOW
    )
    assert result.refused is not None
    [callback] = rows(sessions, Callback)
    assert (callback.call_id, callback.due_at) == (result.saved.call.id, due)
    with sessions() as s:
        owner = s.get(User, callback.agent_id)
        assert owner is not None and owner.username == "ada"


def test_an_entry_left_in_progress_by_a_dead_desk_returns_to_the_pool(
    sessions: sessionmaker[Session], entry_id: uuid.UUID
) -> None:
    assert offer(sessions, "ada", NOW) == entry_id
    outcomes.start_dialing(sessions, entry_id, "ada", now=NOW)
    # ada's desk died on the call: held for one reservation time, then back to the pool.
    assert offer(sessions, "bob", NOW + timedelta(minutes=4, seconds=59)) is None
    assert offer(sessions, "bob", NOW + timedelta(minutes=5)) == entry_id
    row = entry(sessions, entry_id)
    assert (row.status, row.attempts) == ("reserved", 0)
    with pytest.raises(EntryStateError):  # the dead desk's late report changes nothing
        outcomes.record_attempt(sessions, entry_id, "busy", 486, agent="ada", now=NOW)


def test_an_answered_entry_whose_desk_died_in_wrapup_returns_with_its_attempt(
    sessions: sessionmaker[Session], entry_id: uuid.UUID
) -> None:
    answered(sessions, entry_id, NOW + timedelta(minutes=2))  # held until minute 7
    assert offer(sessions, "bob", NOW + timedelta(minutes=6, seconds=59)) is None
    assert offer(sessions, "bob", NOW + timedelta(minutes=7)) == entry_id
    assert entry(sessions, entry_id).attempts == 1


def test_a_live_desk_keeps_its_entry_by_renewing_the_hold(
    sessions: sessionmaker[Session], entry_id: uuid.UUID
) -> None:
    assert offer(sessions, "ada", NOW) == entry_id
    outcomes.start_dialing(sessions, entry_id, "ada", now=NOW)
    held = outcomes.keep_in_progress(sessions, entry_id, "ada", now=NOW + timedelta(minutes=4))
    assert held.held_until == NOW + timedelta(minutes=9)
    assert offer(sessions, "bob", NOW + timedelta(minutes=8, seconds=59)) is None
    with pytest.raises(EntryStateError):  # not bob's call
        outcomes.keep_in_progress(sessions, entry_id, "bob", now=NOW + timedelta(minutes=5))
    assert offer(sessions, "bob", NOW + timedelta(minutes=9)) == entry_id
    with pytest.raises(EntryStateError):  # too late: it went back
        outcomes.keep_in_progress(sessions, entry_id, "ada", now=NOW + timedelta(minutes=10))


def test_an_agent_on_their_own_login_works_a_campaign_call_under_rls(
    pg_engine: Engine, pg_database_url: str
) -> None:
    """Offer, dial, attempt and wrap-up with the callback, all as ada's PostgreSQL login."""
    owner = session_factory(pg_engine)
    entry_id = winter(owner)
    give_logins(owner, ["ada", "bob"])
    engine = login_engine(pg_database_url, "ada")
    try:
        ada = session_factory(engine)
        answered(ada, entry_id)
        due = NOW + timedelta(days=2)
        result = save_campaign_wrapup(
            ada, entry_id, wrapup("callback"), agent="ada", callback_at=due, now=NOW
        )
        assert result.refused is None
    finally:
        engine.dispose()
    row = entry(owner, entry_id)
    assert (row.status, row.last_disposition) == ("callback", "callback")
    [call] = rows(owner, Call)
    [attempt] = rows(owner, Attempt)
    assert attempt.call_id == call.id
    assert {a.actor for a in rows(owner, AuditEntry) if a.entity_kind == "call"} == {"ada"}
