"""Twenty agents reserving at once, as threads and as processes: no entry is given twice."""

from __future__ import annotations

import multiprocessing
import threading
from collections import Counter
from datetime import UTC, datetime, timedelta
from typing import Any

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.engine import create_db_engine, session_factory, unit_of_work
from agentdesk.dialer.campaigns import create_campaign
from agentdesk.dialer.loader import EntrySpec, load_entries
from agentdesk.dialer.models import CampaignEntry
from agentdesk.dialer.selection import next_entry
from agentdesk.org.models import User
from tests.support.logins import give_logins, login_engine

AGENTS = 20
ENTRIES = 240
NOW = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)  # 12:00 in New York


def _prepare(sessions: sessionmaker[Session]) -> None:
    with unit_of_work(sessions) as s:
        s.add_all(User(username=f"agent{i}", display_name=f"Agent {i}") for i in range(AGENTS))
    create_campaign(sessions, "Rush")
    # Two zone groups (New York, Chicago) so the multi-group path runs too.
    numbers = [f"+1212555{i:04d}" for i in range(ENTRIES // 2)]
    numbers += [f"+1312555{i:04d}" for i in range(ENTRIES // 2)]
    specs = [EntrySpec(n, n) for n in numbers]
    load_entries(sessions, "Rush", specs, source="test", now=NOW - timedelta(days=1))


def _drain(sessions: sessionmaker[Session], agent: str) -> list[str]:
    taken: list[str] = []
    while True:
        result = next_entry(sessions, "Rush", agent, now=NOW, explain=False)
        if result.entry is None:
            return taken
        taken.append(str(result.entry.id))


def _check(sessions: sessionmaker[Session], taken: list[list[str]]) -> None:
    everything = [entry for agent in taken for entry in agent]
    duplicates = [e for e, n in Counter(everything).items() if n > 1]
    assert duplicates == []
    assert len(everything) == ENTRIES
    # They really ran side by side (SQLite's lock is not fair, so not necessarily all got work).
    assert sum(1 for agent in taken if agent) >= 2
    with sessions() as s:
        reserved = s.scalar(select(func.count()).where(CampaignEntry.status == "reserved"))
        by_agent = dict(
            s.execute(
                select(User.username, func.count())
                .join(CampaignEntry, CampaignEntry.reserved_by_id == User.id)
                .group_by(User.username)
            ).all()
        )
    assert reserved == ENTRIES
    assert by_agent == {f"agent{i}": len(t) for i, t in enumerate(taken) if t}


def _race(sessions_of: list[sessionmaker[Session]]) -> list[list[str]]:
    """``agent{i}`` drains the campaign through ``sessions_of[i]``, all threads at once."""
    taken: list[list[str]] = [[] for _ in range(AGENTS)]
    errors: list[BaseException] = []
    start = threading.Barrier(AGENTS)

    def work(i: int) -> None:
        try:
            start.wait()
            taken[i] = _drain(sessions_of[i], f"agent{i}")
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=work, args=(i,)) for i in range(AGENTS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(120)
    assert errors == []
    return taken


def test_twenty_threads_never_share_an_entry(sessions: sessionmaker[Session]) -> None:
    _prepare(sessions)
    _check(sessions, _race([sessions] * AGENTS))


def _process_agent(url: str, agent: str, start: Any, out: Any) -> None:
    engine = create_db_engine(url)
    try:
        sessions = session_factory(engine)
        start.wait()
        out.put((agent, _drain(sessions, agent), None))
    except BaseException as exc:
        out.put((agent, [], repr(exc)))
    finally:
        engine.dispose()


@pytest.mark.slow
def test_twenty_processes_never_share_an_entry(engine: Engine, db_url: str) -> None:
    sessions = session_factory(engine)
    _prepare(sessions)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(AGENTS)
    out = context.Queue()
    processes = [
        context.Process(target=_process_agent, args=(db_url, f"agent{i}", start, out))
        for i in range(AGENTS)
    ]
    for process in processes:
        process.start()
    results = [out.get(timeout=180) for _ in processes]
    for process in processes:
        process.join(30)
        assert process.exitcode == 0
    assert [error for _, _, error in results if error] == []
    by_name = {agent: taken for agent, taken, _ in results}
    _check(sessions, [by_name[f"agent{i}"] for i in range(AGENTS)])


def test_twenty_logins_under_row_level_security_never_share_an_entry(
    pg_engine: Engine, pg_database_url: str
) -> None:
    """The same race with each agent on their own PostgreSQL login: the policies let every
    agent reserve in the campaign they work, for themselves only."""
    sessions = session_factory(pg_engine)
    _prepare(sessions)
    usernames = [f"agent{i}" for i in range(AGENTS)]
    give_logins(sessions, usernames)
    engines = [login_engine(pg_database_url, name) for name in usernames]
    try:
        taken = _race([session_factory(engine) for engine in engines])
    finally:
        for engine in engines:
            engine.dispose()
    _check(sessions, taken)
