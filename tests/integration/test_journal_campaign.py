"""A campaign call's attempt and wrap-up through the journal, on both engines: kept through an
outage and applied once, in order, linked to the call's row; replayed after the entry moved on,
neither is lost."""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator
from dataclasses import replace
from datetime import datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts
from agentdesk.crm.models import Call, Callback
from agentdesk.dialer import outcomes
from agentdesk.dialer.models import Attempt
from agentdesk.dialer.rules import Outcome
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.campaign_kinds import (
    CAMPAIGN_ATTEMPT,
    CAMPAIGN_DIAL,
    CAMPAIGN_WRAPUP,
    AttemptApplied,
    attempt_payload,
    campaign_wrapup_payload,
    dial_payload,
)
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import (
    CALL_END,
    CALL_OPEN,
    CALL_UPDATE,
    call_update_payload,
    facts_payload,
)
from agentdesk.journal.kinds import wrapup_payload as call_wrapup_payload
from agentdesk.journal.models import AppliedEntry
from agentdesk.journal.recovery import close_left_open, owed_wrapups
from agentdesk.journal.store import JournalStore
from agentdesk.org.models import User
from tests.integration.test_campaign_wrapup import (
    NOW,
    PHONE,
    entry,
    offer,
    rows,
    winter,
    wrapup,
)
from tests.integration.test_journal import Switch


@pytest.fixture
def switch(sessions: sessionmaker[Session]) -> Iterator[Switch]:
    sw = Switch(sessions)
    yield sw
    sw.dead_engine.dispose()


def _journal(path: Path, switch: Switch) -> Journal:
    minutes = itertools.count(step=60.0)  # no backoff is ever still running
    return Journal(
        JournalStore(path / "journal.db"), switch, APPLIERS, monotonic=lambda: next(minutes)
    )


def _dialled(sessions: sessionmaker[Session], entry_id: uuid.UUID) -> None:
    assert offer(sessions, "ada", NOW) == entry_id
    outcomes.start_dialing(sessions, entry_id, "ada", now=NOW)


def _call(journal: Journal, record_id: uuid.UUID) -> None:
    """The call's own entries: opened, then ended after an answer."""
    facts = CallFacts(
        direction=CallDirection.OUTBOUND, started_at=NOW, remote_e164=PHONE, agent="ada"
    )
    journal.append(CALL_OPEN, facts_payload(facts), record_id=record_id, actor="ada")
    ended = call_update_payload(
        answered_at=NOW + timedelta(seconds=5), ended_at=NOW + timedelta(minutes=2)
    )
    journal.append(CALL_END, ended, record_id=record_id, actor="ada")


def _attempt_and_wrapup(
    journal: Journal, entry_id: uuid.UUID, record_id: uuid.UUID, code: str, due: bool = False
) -> None:
    attempt = attempt_payload(
        entry_id,
        Outcome.ANSWERED,
        200,
        agent="ada",
        started_at=NOW,
        ended_at=NOW + timedelta(minutes=2),
    )
    journal.append(CAMPAIGN_ATTEMPT, attempt, record_id=record_id, actor="ada")
    saved = call_wrapup_payload(replace(wrapup(code), record_id=record_id))
    callback_at = NOW + timedelta(days=2) if due else None
    payload = campaign_wrapup_payload(entry_id, saved, agent="ada", callback_at=callback_at)
    journal.append(CAMPAIGN_WRAPUP, payload, record_id=record_id, actor="ada")


def test_kept_through_an_outage_the_attempt_and_wrapup_reach_the_campaign_once(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    entry_id = winter(sessions)
    _dialled(sessions, entry_id)
    journal = _journal(tmp_path, switch)
    record_id = uuid.uuid4()
    switch.down = True
    _call(journal, record_id)
    _attempt_and_wrapup(journal, entry_id, record_id, "sale")
    report = journal.drain()
    assert report.unreachable and report.applied == 0 and journal.status().pending == 4
    assert rows(sessions, Attempt) == [] and entry(sessions, entry_id).status == "in_progress"

    switch.down = False
    assert journal.drain().applied == 4 and journal.status().pending == 0
    [call] = rows(sessions, Call)
    [attempt] = rows(sessions, Attempt)
    assert call.id == record_id and call.notes == "wants a quote"
    assert (attempt.outcome, attempt.call_id, attempt.disposition_code) == (
        "answered",
        record_id,
        "sale",
    )
    row = entry(sessions, entry_id)
    assert (row.status, row.attempts, row.last_disposition) == ("done", 1, "sale")
    with switch() as s:
        assert all(s.get(AppliedEntry, kept.id) for kept in journal.store.entries())


class Crash(Exception):
    pass


def test_a_crash_between_the_commits_and_the_marks_changes_nothing_on_replay(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    entry_id = winter(sessions)
    _dialled(sessions, entry_id)
    journal = _journal(tmp_path, switch)
    record_id = uuid.uuid4()
    _call(journal, record_id)
    _attempt_and_wrapup(journal, entry_id, record_id, "sale")

    def die(entry_id: uuid.UUID, now: datetime) -> None:
        raise Crash  # the desk dies after each commit, before its mark in the file

    journal.store.mark_applied = die  # type: ignore[method-assign]
    with pytest.raises(Crash):
        journal.drain()
    journal.store.close()
    restarted = _journal(tmp_path, switch)
    assert restarted.status().pending == 4
    assert restarted.drain().applied == 4 and restarted.status().pending == 0
    assert len(rows(sessions, Attempt)) == 1 and len(rows(sessions, Call)) == 1
    assert entry(sessions, entry_id).attempts == 1


def test_replayed_after_the_entry_moved_on_neither_is_lost(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    """ada's desk kept the call through an outage longer than the hold: bob has the entry
    now. The dial stays in the campaign's history, the call gets its wrap-up, the callback ada
    promised becomes a CRM callback, and bob's entry is untouched."""
    entry_id = winter(sessions)
    _dialled(sessions, entry_id)
    journal = _journal(tmp_path, switch)
    record_id = uuid.uuid4()
    switch.down = True
    _call(journal, record_id)
    _attempt_and_wrapup(journal, entry_id, record_id, "callback", due=True)
    assert journal.drain().unreachable
    assert offer(sessions, "bob", NOW + timedelta(minutes=6)) == entry_id

    switch.down = False
    seen: dict[str, object] = {}
    report = journal.drain()
    seen.update({e.kind: report.results.get(e.id) for e in journal.store.entries()})
    assert report.applied == 4 and report.refused == 0
    applied = seen[CAMPAIGN_ATTEMPT]
    assert isinstance(applied, AttemptApplied) and applied.state is None and applied.refused
    [attempt] = rows(sessions, Attempt)
    assert (attempt.outcome, attempt.call_id) == ("answered", record_id)
    row = entry(sessions, entry_id)
    assert (row.status, row.attempts, row.last_disposition) == ("reserved", 0, None)
    [call] = rows(sessions, Call)
    assert call.notes == "wants a quote"
    [callback] = rows(sessions, Callback)
    assert (callback.call_id, callback.due_at) == (record_id, NOW + timedelta(days=2))


def test_a_replay_does_not_take_over_an_entry_another_agent_is_dialling(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    """As above, but bob has already dialled the entry (in progress, held by him): ada's late
    attempt and wrap-up leave it to bob."""
    entry_id = winter(sessions)
    _dialled(sessions, entry_id)
    journal = _journal(tmp_path, switch)
    record_id = uuid.uuid4()
    switch.down = True
    _call(journal, record_id)
    _attempt_and_wrapup(journal, entry_id, record_id, "sale")
    assert journal.drain().unreachable
    later = NOW + timedelta(minutes=6)
    assert offer(sessions, "bob", later) == entry_id
    outcomes.start_dialing(sessions, entry_id, "bob", now=later)

    switch.down = False
    report = journal.drain()
    assert report.applied == 4 and report.refused == 0
    row = entry(sessions, entry_id)
    assert (row.status, row.attempts, row.last_disposition) == ("in_progress", 0, None)
    with sessions() as s:
        bob = s.scalars(select(User.id).where(User.username == "bob")).one()
    assert row.reserved_by_id == bob
    [attempt] = rows(sessions, Attempt)  # ada's dial, in the history only
    assert attempt.call_id == record_id
    # bob's own call goes on: his attempt is recorded on the entry he holds
    outcomes.record_attempt(sessions, entry_id, "answered", 200, agent="bob", now=later)
    assert entry(sessions, entry_id).attempts == 1


def test_a_wrapup_whose_attempt_was_set_aside_does_not_code_an_earlier_dial(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    entry_id = winter(sessions)
    _dialled(sessions, entry_id)
    outcomes.record_attempt(sessions, entry_id, "no_answer", 480, agent="ada", now=NOW)
    again = NOW + timedelta(hours=3)  # past the no-answer retry
    assert offer(sessions, "ada", again) == entry_id
    outcomes.start_dialing(sessions, entry_id, "ada", now=again)
    journal = _journal(tmp_path, switch)
    record_id = uuid.uuid4()
    _call(journal, record_id)
    bogus = attempt_payload(
        entry_id, Outcome.ANSWERED, 200, agent="ada", started_at=again, ended_at=again
    )
    bogus["outcome"] = "not-an-outcome"  # the database refuses it: set aside
    journal.append(CAMPAIGN_ATTEMPT, bogus, record_id=record_id, actor="ada")
    saved = call_wrapup_payload(replace(wrapup("sale"), record_id=record_id))
    journal.append(
        CAMPAIGN_WRAPUP,
        campaign_wrapup_payload(entry_id, saved, agent="ada", callback_at=None),
        record_id=record_id,
        actor="ada",
    )
    report = journal.drain()
    assert (report.applied, report.refused) == (3, 1)
    [first] = rows(sessions, Attempt)
    assert (first.outcome, first.disposition_code) == ("no_answer", None)  # not this call's
    row = entry(sessions, entry_id)
    assert (row.status, row.last_disposition) == ("in_progress", None)
    [call] = rows(sessions, Call)
    assert call.id == record_id and call.notes == "wants a quote"  # the call keeps its wrap-up


def test_after_a_crash_in_a_campaign_call_the_dial_and_the_owed_wrapup_reach_the_entry(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    """The desk died during an answered campaign call: the dialer never heard it end. The next
    start keeps the call's attempt from the dial mark, and the owed wrap-up is the campaign's,
    so the entry takes the agent's code instead of going back to be dialled again."""
    entry_id = winter(sessions)
    _dialled(sessions, entry_id)
    journal = _journal(tmp_path, switch)
    record_id = uuid.uuid4()
    facts = CallFacts(
        direction=CallDirection.OUTBOUND, started_at=NOW, remote_e164=PHONE, agent="ada"
    )
    journal.append(CALL_OPEN, facts_payload(facts), record_id=record_id, actor="ada")
    journal.append(CAMPAIGN_DIAL, dial_payload(entry_id, "ada"), record_id=record_id, actor="ada")
    answered = call_update_payload(answered_at=NOW + timedelta(seconds=5))
    journal.append(CALL_UPDATE, answered, record_id=record_id, actor="ada")
    journal.drain()
    journal.store.close()  # the crash, mid-call

    restarted = _journal(tmp_path, switch)
    assert close_left_open(restarted) == [record_id]
    [owed] = owed_wrapups(restarted)
    assert owed.record_id == record_id and owed.campaign_entry == entry_id
    restarted.drain()
    [attempt] = rows(sessions, Attempt)
    assert (attempt.outcome, attempt.call_id) == ("answered", record_id)
    assert entry(sessions, entry_id).status == "in_progress"  # waiting for the wrap-up

    saved = call_wrapup_payload(replace(wrapup("sale"), record_id=record_id))
    restarted.append(
        CAMPAIGN_WRAPUP,
        campaign_wrapup_payload(entry_id, saved, agent="ada", callback_at=None),
        record_id=record_id,
        actor="ada",
    )
    assert restarted.drain().applied == 1
    row = entry(sessions, entry_id)
    assert (row.status, row.attempts, row.last_disposition) == ("done", 1, "sale")
    assert owed_wrapups(restarted) == []
