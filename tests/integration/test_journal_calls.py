"""The call row through the journal on both engines: from the first ring to the wrap-up, and
closed after a crash."""

from __future__ import annotations

import itertools
import uuid
from datetime import timedelta
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts
from agentdesk.calls.log import CallLog
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import (
    CALL_END,
    CALL_HELD,
    CALL_MISSED,
    CALL_OPEN,
    CALL_UPDATE,
    DESK_STOPPED,
    WRAPUP,
    call_update_payload,
    facts_payload,
    wrapup_payload,
)
from agentdesk.journal.recovery import close_left_open, owed_wrapups, prune
from agentdesk.journal.store import JournalStore
from tests.integration.test_journal import T0, Switch, switch, wrapup

__all__ = ["switch"]  # the fixture


def _journal(path: Path, switch: Switch) -> Journal:
    minutes = itertools.count(step=60.0)
    return Journal(
        JournalStore(path / "journal.db"), switch, APPLIERS, monotonic=lambda: next(minutes)
    )


def _open(journal: Journal, number: str) -> uuid.UUID:
    record_id = uuid.uuid4()
    facts = CallFacts(
        direction=CallDirection.INBOUND, started_at=T0, remote_e164=number, agent="ada"
    )
    journal.append(CALL_OPEN, facts_payload(facts), record_id=record_id, actor="ada")
    return record_id


def test_the_row_exists_from_the_ring_and_the_wrapup_completes_it(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    journal = _journal(tmp_path, switch)
    log = CallLog(sessions)
    record_id = _open(journal, "+442079460001")
    journal.drain()
    ringing = log.get_call(record_id)
    assert (ringing.started_at, ringing.answered_at, ringing.ended_at) == (T0, None, None)

    answered = T0 + timedelta(seconds=4)
    journal.append(CALL_UPDATE, call_update_payload(answered_at=answered), record_id=record_id)
    journal.append(CALL_UPDATE, call_update_payload(hold_seconds=10.0), record_id=record_id)
    ended = T0 + timedelta(seconds=64)
    journal.append(
        CALL_END,
        call_update_payload(ended_at=ended, end_reason="remote hangup"),
        record_id=record_id,
    )
    journal.drain()
    row = log.get_call(record_id)
    assert (row.answered_at, row.ended_at, row.hold_seconds) == (answered, ended, 10.0)
    assert (row.ring_seconds, row.talk_seconds, row.disposition_code) == (4.0, 50.0, None)

    w = wrapup(1, "sale", record_id=record_id)
    journal.append(WRAPUP, wrapup_payload(w), record_id=record_id, actor="ada")
    journal.drain()
    done = log.get_call(record_id)
    assert done.disposition_code == "sale" and done.notes == "call 1"
    assert owed_wrapups(journal) == [] and close_left_open(journal) == []


def test_after_a_crash_calls_left_open_end_at_the_last_event_and_are_owed_a_wrapup(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    journal = _journal(tmp_path, switch)
    talking = _open(journal, "+442079460002")
    answered = T0 + timedelta(seconds=3)
    last = journal.append(
        CALL_UPDATE, call_update_payload(answered_at=answered), record_id=talking, actor="ada"
    )
    ringing = _open(journal, "+442079460003")
    switch.down = True  # the database was away too: everything waits in the file
    journal.drain()
    journal.store.close()  # the crash

    reopened = _journal(tmp_path, switch)
    assert sorted(close_left_open(reopened)) == sorted([talking, ringing])
    assert close_left_open(reopened) == []  # closed once
    kinds = {r: [e.kind for e in reopened.store.of_record(r)][-1] for r in (talking, ringing)}
    assert kinds == {talking: CALL_END, ringing: CALL_MISSED}
    [owed] = owed_wrapups(reopened)  # the ringing call was never answered: no wrap-up owed
    assert owed.record_id == talking
    assert owed.facts.end_reason == DESK_STOPPED and owed.facts.answered_at == answered

    switch.down = False
    reopened.drain()
    log = CallLog(sessions)
    row = log.get_call(talking)
    assert row.end_reason == DESK_STOPPED and row.answered_at == answered
    assert row.ended_at == max(last.created_at, answered)
    missed = log.get_call(ringing)
    assert (missed.end_reason, missed.answered_at, missed.talk_seconds) == (DESK_STOPPED, None, 0.0)

    # The agent's wrap-up of the owed call completes the same row.
    w = wrapup(2, "interested", record_id=talking)
    reopened.append(WRAPUP, wrapup_payload(w), record_id=talking, actor="ada")
    reopened.drain()
    assert owed_wrapups(reopened) == []


def test_a_wrapup_the_database_refused_is_still_owed(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    journal = _journal(tmp_path, switch)
    record_id = _open(journal, "+442079460004")
    ended = call_update_payload(
        answered_at=T0 + timedelta(seconds=3), ended_at=T0 + timedelta(seconds=40)
    )
    journal.append(CALL_END, ended, record_id=record_id, actor="ada")
    refused = wrapup(4, "no-such-code", record_id=record_id)
    journal.append(WRAPUP, wrapup_payload(refused), record_id=record_id, actor="ada")
    assert journal.drain().refused == 1
    # The call has no wrap-up in the log, so the next start asks the agent again.
    [owed] = owed_wrapups(journal)
    assert owed.record_id == record_id
    journal.append(WRAPUP, wrapup_payload(wrapup(4, "sale", record_id)), record_id=record_id)
    assert journal.drain().applied == 1
    assert owed_wrapups(journal) == []
    assert CallLog(sessions).get_call(record_id).disposition_code == "sale"


def test_only_one_desk_claims_a_journal_file(tmp_path: Path) -> None:
    first = JournalStore(tmp_path / "journal.db")
    second = JournalStore(tmp_path / "journal.db")
    assert first.claim() and first.claim()  # held, asked again
    assert not second.claim()  # a second desk on the file recovers nothing
    first.close()  # the process ends (or dies): the operating system drops the lock
    assert second.claim()
    second.close()


def test_a_desk_that_stops_during_a_hold_counts_the_hold_up_to_the_stop(
    switch: Switch, tmp_path: Path, sessions: sessionmaker[Session]
) -> None:
    now = [T0]
    minutes = itertools.count(step=60.0)
    journal = Journal(
        JournalStore(tmp_path / "journal.db"),
        switch,
        APPLIERS,
        clock=lambda: now[0],
        monotonic=lambda: next(minutes),
    )
    record_id = _open(journal, "+442079460005")
    now[0] = T0 + timedelta(seconds=3)
    journal.append(CALL_UPDATE, call_update_payload(answered_at=now[0]), record_id=record_id)
    now[0] = T0 + timedelta(seconds=20)  # held for 10 s, resumed
    journal.append(
        CALL_HELD, {"held_at": (T0 + timedelta(seconds=10)).isoformat()}, record_id=record_id
    )
    journal.append(CALL_UPDATE, call_update_payload(hold_seconds=10.0), record_id=record_id)
    now[0] = T0 + timedelta(seconds=30)  # held again; the desk's last word
    journal.append(CALL_HELD, {"held_at": now[0].isoformat()}, record_id=record_id)
    now[0] = T0 + timedelta(seconds=45)
    journal.append(
        CALL_UPDATE, call_update_payload(recording_path="/rec/x.wav"), record_id=record_id
    )
    journal.store.close()  # the crash, 15 s into the second hold

    reopened = Journal(
        JournalStore(tmp_path / "journal.db"), switch, APPLIERS, clock=lambda: now[0]
    )
    assert close_left_open(reopened) == [record_id]
    reopened.drain()
    row = CallLog(sessions).get_call(record_id)
    assert row.ended_at == T0 + timedelta(seconds=45) and row.end_reason == DESK_STOPPED
    assert row.hold_seconds == 25.0  # 10 s, then 15 s until the stop


def test_long_applied_entries_are_pruned_but_not_an_owed_calls(
    switch: Switch, tmp_path: Path
) -> None:
    now = [T0 - timedelta(days=8)]
    minutes = itertools.count(step=60.0)
    journal = Journal(
        JournalStore(tmp_path / "journal.db"),
        switch,
        APPLIERS,
        clock=lambda: now[0],
        monotonic=lambda: next(minutes),
    )
    ended = call_update_payload(
        answered_at=T0 + timedelta(seconds=3), ended_at=T0 + timedelta(seconds=40)
    )
    done, owed = _open(journal, "+442079460006"), _open(journal, "+442079460007")
    for record_id in (done, owed):
        journal.append(CALL_END, ended, record_id=record_id, actor="ada")
    journal.append(WRAPUP, wrapup_payload(wrapup(6, "sale", done)), record_id=done)
    journal.drain()  # applied eight days ago
    now[0] = T0 - timedelta(days=1)
    recent = _open(journal, "+442079460008")
    journal.append(CALL_MISSED, call_update_payload(ended_at=now[0]), record_id=recent)
    journal.drain()

    now[0] = T0
    assert prune(journal, now[0]) == 3  # the wrapped call's open, end and wrap-up
    assert {e.record_id for e in journal.store.entries()} == {owed, recent}
    [still] = owed_wrapups(journal)
    assert still.record_id == owed


def test_pruning_keeps_a_call_whose_wrapup_still_waits(switch: Switch, tmp_path: Path) -> None:
    now = [T0 - timedelta(days=8)]
    minutes = itertools.count(step=60.0)
    journal = Journal(
        JournalStore(tmp_path / "journal.db"),
        switch,
        APPLIERS,
        clock=lambda: now[0],
        monotonic=lambda: next(minutes),
    )
    record_id = _open(journal, "+442079460009")
    ended = call_update_payload(
        answered_at=T0 + timedelta(seconds=3), ended_at=T0 + timedelta(seconds=40)
    )
    journal.append(CALL_END, ended, record_id=record_id, actor="ada")
    journal.drain()  # the call's story, applied eight days ago
    switch.down = True
    journal.append(WRAPUP, wrapup_payload(wrapup(9, "sale", record_id)), record_id=record_id)
    journal.drain()  # its wrap-up waits
    now[0] = T0
    assert prune(journal, now[0]) == 0
    assert len(journal.store.of_record(record_id)) == 3
