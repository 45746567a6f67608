"""Agent presence: a desk publishes its agent's state and heartbeat, a board reads whom the
role may watch, a silent desk is lost; on PostgreSQL the row policies hold the same rules."""

from __future__ import annotations

import threading
import time
import uuid
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.engine import session_factory
from agentdesk.domain.agent_state import AgentStatus
from agentdesk.org.access import access_for
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.models import User
from agentdesk.supervision.changes import ChangeFeed, watcher_for
from agentdesk.supervision.models import AgentPresence
from agentdesk.supervision.presence import (
    LOST,
    LOST_AFTER,
    DeskState,
    board_agents,
    heartbeat,
    publish,
    sign_out,
)
from tests.support.logins import give_logins, login_engine

USERS = {
    "sup": ("supervisor", "Support"),
    "ava": ("agent", "Support East"),
    "ben": ("agent", "Support"),
    "oli": ("agent", "Other"),
}


def _org(sessions: sessionmaker[Session]) -> None:
    add_team(sessions, "Support")
    add_team(sessions, "Support East", parent="Support")
    add_team(sessions, "Other")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name.title(), role=role, team=team)


def _board(sessions: sessionmaker[Session], viewer: str | None) -> dict[str, str]:
    with sessions() as session:
        access = access_for(session, viewer) if viewer else None
        return {a.username: a.state for a in board_agents(session, access)}


def _log(sessions: sessionmaker[Session], username: str) -> list[str]:
    with sessions() as session:
        rows = session.execute(
            text(
                "SELECT l.state FROM agent_state_log l JOIN users u ON u.id = l.user_id "
                "WHERE u.username = :u ORDER BY l.at, l.state"
            ),
            {"u": username},
        )
        return [state for (state,) in rows]


def test_a_state_change_moves_since_and_is_logged_once(sessions: sessionmaker[Session]) -> None:
    _org(sessions)
    first = publish(sessions, "ava", DeskState(AgentStatus.AVAILABLE))
    publish(sessions, "ava", DeskState(AgentStatus.AVAILABLE))  # the same state: no new row
    talking = DeskState(
        AgentStatus.TALKING, call_direction="inbound", call_number="+8613800000001",
        party_name="王小明",
    )  # fmt: skip
    second = publish(sessions, "ava", talking)
    assert second >= first
    assert heartbeat(sessions, "ava") is True
    assert heartbeat(sessions, "ben") is False  # has published nothing
    with sessions() as session:
        row = session.get(AgentPresence, _id(session, "ava"))
        assert row is not None and row.state == "talking" and row.since == second
        assert (row.call_number, row.party_name) == ("+8613800000001", "王小明")
    assert _log(sessions, "ava") == ["available", "talking"]


def test_a_silent_desk_is_lost_and_a_closed_one_is_gone(sessions: sessionmaker[Session]) -> None:
    _org(sessions)
    for name in ("ava", "ben"):
        publish(sessions, name, DeskState(AgentStatus.AVAILABLE))
    with sessions.begin() as session:  # ben's desk stopped beating three heartbeats ago
        row = session.get_one(AgentPresence, _id(session, "ben"))
        row.heartbeat_at = row.since = row.heartbeat_at - LOST_AFTER - timedelta(seconds=1)
    assert _board(sessions, None) == {"ava": "available", "ben": LOST}
    sign_out(sessions, "ava")
    assert _board(sessions, None) == {"ben": LOST}
    assert _log(sessions, "ava") == ["available", "logged_out"]


def test_a_board_shows_whom_the_role_may_watch(sessions: sessionmaker[Session]) -> None:
    _org(sessions)
    for name in USERS:
        publish(sessions, name, DeskState(AgentStatus.AVAILABLE))
    # the supervisor's department is Support and the teams below it, not Other
    assert set(_board(sessions, "sup")) == {"sup", "ava", "ben"}
    assert set(_board(sessions, "ava")) == {"ava"}  # an agent has no board: only themselves


def _id(session: Session, username: str) -> uuid.UUID:
    return session.scalars(select(User.id).where(User.username == username)).one()


@pytest.fixture
def pg_logins(pg_engine: Engine, pg_database_url: str) -> str:
    sessions = session_factory(pg_engine)
    _org(sessions)
    give_logins(sessions, USERS)
    return pg_database_url


def test_each_login_writes_only_its_own_presence(pg_logins: str, pg_engine: Engine) -> None:
    engines = {name: login_engine(pg_logins, name) for name in USERS}
    try:
        for name, engine in engines.items():
            publish(session_factory(engine), name, DeskState(AgentStatus.AVAILABLE))
        # the policies give each board what the services give on SQLite
        sup = session_factory(engines["sup"])
        with sup() as session:
            seen = {a.username for a in board_agents(session, None)}
        assert seen == {"sup", "ava", "ben"}
        with session_factory(engines["ava"])() as session:
            assert {a.username for a in board_agents(session, None)} == {"ava"}
        owner = session_factory(pg_engine)
        with owner() as session:
            ben = _id(session, "ben")
        with engines["ava"].begin() as conn:  # another agent's row is not hers to change
            changed = conn.execute(
                update(AgentPresence).where(AgentPresence.user_id == ben).values(state="talking")
            ).rowcount
        assert changed == 0
        with engines["ava"].connect() as conn, pytest.raises(DBAPIError):
            conn.execute(text("DELETE FROM agent_state_log"))
        with engines["sup"].connect() as conn, pytest.raises(DBAPIError):
            conn.execute(
                text(
                    "INSERT INTO agent_state_log (id, user_id, state, at) "
                    "VALUES (gen_random_uuid(), :ben, 'available', now())"
                ),
                {"ben": ben},
            )
    finally:
        for engine in engines.values():
            engine.dispose()


def test_a_state_change_reaches_a_watching_board(sessions: sessionmaker[Session]) -> None:
    _org(sessions)
    publish(sessions, "ava", DeskState(AgentStatus.AVAILABLE))
    engine = sessions.kw["bind"]
    told = threading.Event()
    feed = ChangeFeed(engine, told.set, refresh_seconds=3600)  # only a change may tell
    watcher = watcher_for(engine)
    try:
        feed.start()
        publish(sessions, "ava", DeskState(AgentStatus.NOT_READY, "Lunch"))
        deadline = time.monotonic() + 10
        seen = False
        while not seen and time.monotonic() < deadline:
            seen = watcher.wait(0.5)
        assert seen
        assert told.wait(10)
    finally:
        feed.stop()
        watcher.close()
