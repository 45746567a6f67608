"""Queues from the command line (both engines), and who may write them and the figures on
PostgreSQL, each desk on its own login (migration 0020)."""

from __future__ import annotations

import itertools
import json
import time
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts
from agentdesk.cli.main import main
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import (
    CALL_END,
    CALL_MISSED,
    CALL_OPEN,
    CALL_UPDATE,
    call_update_payload,
    facts_payload,
)
from agentdesk.journal.store import JournalStore
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_user
from agentdesk.supervision.changes import watcher_for
from agentdesk.supervision.models import AgentInterval, QueueCall, QueueInterval
from agentdesk.supervision.queues import add_queue
from tests.support.logins import give_logins, login_engine

T0 = datetime(2026, 12, 5, 9, 0, tzinfo=UTC)


def run(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def test_queue_commands(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    code, out, err = run(capsys, db_url, "queue", "add", "sales", "010 8888 0000", "8000",
                         "--region", "CN", "--json")  # fmt: skip
    assert code == 0, err
    assert json.loads(out) == {
        "name": "sales",
        "numbers": ["+861088880000", "8000"],
        "service_seconds": 20.0,
        "short_abandon_seconds": 5.0,
        "members": [],
        "teams": [],
    }
    code, out, err = run(capsys, db_url, "queue", "add", "vip", "+8610 8888 0001",
                         "--service-seconds", "10", "--short-abandon-seconds", "3")  # fmt: skip
    assert (code, out) == (0, "queue vip: +861088880001\n"), err
    code, out, _ = run(capsys, db_url, "queue", "list", "--json")
    assert [(q["name"], q["service_seconds"]) for q in json.loads(out)] == [
        ("sales", 20.0),
        ("vip", 10.0),
    ]
    code, out, _ = run(capsys, db_url, "queue", "list")
    assert out.splitlines()[0].split() == [
        "name", "numbers", "service_seconds", "short_abandon_seconds", "members",
    ]  # fmt: skip
    # bad input: exit 2 with one line saying what is wrong
    code, _, err = run(capsys, db_url, "queue", "add", "vip", "+861088880000", "--region", "CN")
    assert code == 2 and "already reaches the queue 'sales'" in err
    code, _, err = run(capsys, db_url, "queue", "add", "x", "not-a-number")
    assert code == 2 and "not a phone number" in err
    code, _, err = run(capsys, db_url, "queue", "add", "x", "8001", "--service-seconds", "0")
    assert code == 2 and "service level threshold" in err
    code, out, _ = run(capsys, db_url, "queue", "remove", "vip", "--json")
    assert (code, json.loads(out)) == (0, {"removed": "vip"})
    code, _, err = run(capsys, db_url, "queue", "remove", "vip")
    assert code == 2 and "no queue is named 'vip'" in err


def _journal(path: Path, sessions: sessionmaker[Session]) -> Journal:
    minutes = itertools.count(step=60.0)
    return Journal(JournalStore(path), sessions, APPLIERS, monotonic=lambda: next(minutes))


def test_desk_logins_keep_the_figures_and_only_a_user_manager_changes_queues(
    pg_engine: Engine, pg_database_url: str, tmp_path: Path
) -> None:
    owner = session_factory(pg_engine)
    with unit_of_work(owner) as s:
        ensure_default_dispositions(s)
    for name in ("q.ada", "q.bob"):
        add_user(owner, name, name=name, role="agent")
    add_user(owner, "q.admin", name="Admin", role="admin")
    give_logins(owner, ("q.ada", "q.bob", "q.admin"))
    engines = {n: login_engine(pg_database_url, n) for n in ("q.ada", "q.bob", "q.admin")}
    try:
        ada, bob, admin = (session_factory(engines[n]) for n in ("q.ada", "q.bob", "q.admin"))
        with pytest.raises(AccessDeniedError):
            add_queue(ada, "sales", ["+861088880000"], region="CN")
        with pytest.raises(DBAPIError), engines["q.ada"].begin() as conn:  # the policy too
            conn.execute(text("INSERT INTO queues (id, name, service_seconds, "
                              "short_abandon_seconds, created_at) VALUES "
                              "(gen_random_uuid(), 'x', 20, 5, now())"))  # fmt: skip
        add_queue(admin, "sales", ["+861088880000"], region="CN")
        with admin() as s:  # audited as the login who did it
            who = s.scalars(select(AuditEntry.actor).where(AuditEntry.entity_kind == "queue"))
            assert list(who) == ["q.admin"]

        # one forked call: ada answers, bob's branch is cancelled; each desk its own login
        for who, sessions, answered in (("q.bob", bob, False), ("q.ada", ada, True)):
            journal = _journal(tmp_path / f"{who}.db", sessions)
            record = uuid.uuid4()
            facts = CallFacts(direction=CallDirection.INBOUND, started_at=T0, agent=who,
                              sip_call_id="fork-rls", queue_number="+861088880000")  # fmt: skip
            journal.append(CALL_OPEN, facts_payload(facts), record_id=record, actor=who)
            at = T0 + timedelta(seconds=6)
            if answered:
                payload = call_update_payload(answered_at=at)
                journal.append(CALL_UPDATE, payload, record_id=record, actor=who)
            end = call_update_payload(
                answered_at=at if answered else None,
                ended_at=at + timedelta(seconds=30 if answered else 0),
                answered_elsewhere=not answered,
            )
            journal.append(CALL_END if answered else CALL_MISSED, end, record_id=record, actor=who)
            report = journal.drain()
            assert (report.applied, report.refused) == (3 if answered else 2, 0), report
            journal.store.close()
        with admin() as s:
            row = s.get(QueueCall, "fork-rls")
            assert row is not None and row.booked_wait == pytest.approx(6.0)
            counts = s.scalars(select(QueueInterval)).one()
            assert (counts.offered, counts.answered, counts.answered_within) == (1, 1, 1)
            assert s.scalars(select(AgentInterval.talk_s)).all() == [30.0]
        # a desk cannot book figures for another agent
        with pytest.raises(DBAPIError), engines["q.bob"].begin() as conn:
            conn.execute(text("UPDATE agent_intervals SET talk_s = 0"))
            conn.execute(text("INSERT INTO agent_intervals VALUES "
                              "((SELECT id FROM users WHERE username = 'q.ada'), now(), "
                              "1, 0, 0, 0, 0)"))  # fmt: skip
        with engines["q.bob"].begin() as conn:  # the update found no row of its own
            assert conn.execute(text("UPDATE agent_intervals SET talk_s = 0")).rowcount == 0
    finally:
        for engine in engines.values():
            engine.dispose()


def test_a_queue_call_tells_the_watching_boards(pg_engine: Engine, tmp_path: Path) -> None:
    """A caller starting to wait changes the tiles: PostgreSQL notifies the boards."""
    sessions = session_factory(pg_engine)
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
    add_user(sessions, "q.cy", name="Cy", role="agent")
    add_queue(sessions, "sales", ["+861088880000"], region="CN")
    watcher = watcher_for(pg_engine)
    try:
        journal = _journal(tmp_path / "cy.db", sessions)
        facts = CallFacts(direction=CallDirection.INBOUND, started_at=T0, agent="q.cy",
                          sip_call_id="waiting-1", queue_number="+861088880000")  # fmt: skip
        journal.append(CALL_OPEN, facts_payload(facts), record_id=uuid.uuid4(), actor="q.cy")
        assert journal.drain().applied == 1
        journal.store.close()
        deadline = time.monotonic() + 10
        seen = False
        while not seen and time.monotonic() < deadline:
            seen = watcher.wait(0.5)
        assert seen
    finally:
        watcher.close()
