"""Who serves a queue (issue 16): members by name or by team, the CLI, the board's agent
counts per queue following presence, and a caller whose every desk died mid-ring leaving
"waiting now" once the desks show lost; on both engines."""

from __future__ import annotations

import itertools
import json
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts
from agentdesk.cli.main import main
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.domain.agent_state import AgentStatus
from agentdesk.domain.contact_metrics import ServiceLevelFormula
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import CALL_OPEN, facts_payload
from agentdesk.journal.store import JournalStore
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user, set_user, user_id_of
from agentdesk.supervision.board_figures import QueueTile, Staffing, read_figures
from agentdesk.supervision.models import AgentPresence
from agentdesk.supervision.presence import LOST_AFTER, DeskState, board_agents, publish
from agentdesk.supervision.queue_members import add_members, remove_members
from agentdesk.supervision.queues import QueueError, add_queue, list_queues
from tests.support.logins import give_logins, login_engine

SALES, SUPPORT, EMPTY = "+12025550900", "+12025550901", "+12025550902"


def _org(sessions: sessionmaker[Session]) -> None:
    add_team(sessions, "Floor")
    add_team(sessions, "Night")
    for name, team in (("ada", "Floor"), ("bob", "Floor"), ("cy", "Night"), ("dee", None)):
        add_user(sessions, name, name=name.title(), role="agent", team=team)
    add_queue(sessions, "sales", [SALES], region="US")
    add_queue(sessions, "support", [SUPPORT], region="US")
    add_queue(sessions, "spare", [EMPTY], region="US")


def _tiles(sessions: sessionmaker[Session]) -> dict[str, QueueTile]:
    figures = read_figures(sessions, ServiceLevelFormula.ANSWERED, UTC)
    return {tile.queue: tile for tile in figures.queues}


def _staffing(sessions: sessionmaker[Session]) -> dict[str, Staffing | None]:
    """Each tile's counts over the agents the owner's board lists (every one)."""
    with sessions() as session:
        everyone = board_agents(session, None)
    return {name: tile.staffing(everyone) for name, tile in _tiles(sessions).items()}


def test_members_by_name_and_by_team(sessions: sessionmaker[Session]) -> None:
    _org(sessions)
    view = add_members(sessions, "sales", ["dee"], ["Floor"])
    assert (view.members, view.teams) == (("dee",), ("Floor",))
    add_members(sessions, "sales", ["dee"])  # already a member: no second row
    add_members(sessions, "support", ["cy", "ada"])
    listed = {q.name: q.to_json() for q in list_queues(sessions)}
    assert listed["sales"]["members"] == ["dee"] and listed["sales"]["teams"] == ["Floor"]
    assert listed["support"]["members"] == ["ada", "cy"]
    assert listed["spare"]["members"] == [] and listed["spare"]["teams"] == []
    with pytest.raises(QueueError, match="no user is named"):
        add_members(sessions, "sales", ["zed"])
    with pytest.raises(QueueError, match="no team is named"):
        add_members(sessions, "sales", [], ["Day"])
    with pytest.raises(QueueError, match="no queue is named"):
        add_members(sessions, "billing", ["ada"])
    with pytest.raises(QueueError, match="at least one"):
        add_members(sessions, "sales")
    with pytest.raises(QueueError, match="dee does not serve the queue 'support'"):
        remove_members(sessions, "support", ["dee"])
    with pytest.raises(QueueError, match="team Night does not serve"):
        remove_members(sessions, "support", [], ["Night"])
    view = remove_members(sessions, "sales", [], ["Floor"])
    assert (view.members, view.teams) == (("dee",), ())
    with sessions() as session:  # administration: the audit log says who serves now
        changes = session.scalars(
            select(AuditEntry.details).where(
                AuditEntry.entity_kind == "queue", AuditEntry.action == "update"
            )
        ).all()
    assert sorted((d["name"], d["members"], d["teams"]) for d in changes if d) == [
        ("sales", ["dee"], []), ("sales", ["dee"], ["Floor"]), ("sales", ["dee"], ["Floor"]),
        ("support", ["ada", "cy"], []),
    ]  # fmt: skip


def test_tiles_count_each_queues_members_as_presence_changes(
    sessions: sessionmaker[Session],
) -> None:
    _org(sessions)
    add_members(sessions, "sales", ["dee"], ["Floor"])  # ada, bob (Floor) and dee
    add_members(sessions, "support", ["cy", "ada"])
    for name in ("ada", "bob", "cy", "dee"):
        publish(sessions, name, DeskState(AgentStatus.AVAILABLE))
    staff = _staffing(sessions)
    assert staff["sales"] == Staffing(available=3)
    assert staff["support"] == Staffing(available=2)
    assert staff["spare"] is None  # nobody named: no counts, not the whole floor's

    publish(sessions, "ada", DeskState(AgentStatus.TALKING, call_direction="inbound"))
    publish(sessions, "bob", DeskState(AgentStatus.WRAP_UP))
    publish(sessions, "cy", DeskState(AgentStatus.NOT_READY, reason="lunch"))
    staff = _staffing(sessions)
    assert staff["sales"] == Staffing(available=1, on_call=1, wrap_up=1)
    assert staff["support"] == Staffing(on_call=1, not_ready=1)

    # a team's agents as the team is now: bob moves to Night, his desk goes silent
    set_user(sessions, "bob", team="Night")
    with unit_of_work(sessions) as session:
        stale = datetime.now(UTC) - 2 * LOST_AFTER
        session.execute(update(AgentPresence).values(heartbeat_at=stale).where(
            AgentPresence.user_id == _user_id(session, "dee")))  # fmt: skip
    publish(sessions, "ada", DeskState(AgentStatus.LOGGED_OUT))
    staff = _staffing(sessions)
    assert staff["sales"] == Staffing(lost=1)  # dee lost; ada logged out; bob left Floor
    assert staff["support"] == Staffing(not_ready=1)


def _user_id(session: Session, username: str) -> uuid.UUID:
    return user_id_of(session, username)


def _ring(tmp_path: Path, sessions: sessionmaker[Session], agent: str, sip: str) -> None:
    """``agent``'s desk logs an offer it never ends (the desk dies mid-ring)."""
    minutes = itertools.count(step=60.0)
    journal = Journal(JournalStore(tmp_path / f"{agent}.db"), sessions, APPLIERS,
                      monotonic=lambda: next(minutes))  # fmt: skip
    facts = CallFacts(direction=CallDirection.INBOUND, agent=agent, sip_call_id=sip,
                      started_at=datetime.now(UTC) - timedelta(seconds=5),
                      queue_number=SALES)  # fmt: skip
    journal.append(CALL_OPEN, facts_payload(facts), record_id=uuid.uuid4(), actor=agent)
    assert journal.drain().refused == 0
    journal.store.close()


def _silence(sessions: sessionmaker[Session], agent: str) -> None:
    with unit_of_work(sessions) as session:
        stale = datetime.now(UTC) - 2 * LOST_AFTER
        user = _user_id(session, agent)
        session.execute(
            update(AgentPresence).where(AgentPresence.user_id == user).values(heartbeat_at=stale)
        )


def test_a_caller_whose_desks_all_died_stops_waiting(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _org(sessions)
    for name in ("ada", "bob"):
        publish(sessions, name, DeskState(AgentStatus.RINGING))
    _ring(tmp_path, sessions, "ada", "forked")  # one caller, rung on two desks
    _ring(tmp_path, sessions, "bob", "forked")
    _ring(tmp_path, sessions, "cy", "no-presence")  # a desk that never published presence
    assert _tiles(sessions)["sales"].waiting == 2
    _silence(sessions, "ada")
    assert _tiles(sessions)["sales"].waiting == 2  # bob's desk still rings
    _silence(sessions, "bob")
    tile = _tiles(sessions)["sales"]
    assert tile.waiting == 1  # the desk without presence: only the hour bounds it
    publish(sessions, "cy", DeskState(AgentStatus.LOGGED_OUT))
    tile = _tiles(sessions)["sales"]
    assert (tile.waiting, tile.longest_waiting_s) == (0, None)


def test_queue_member_command(
    sessions: sessionmaker[Session], db_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    _org(sessions)
    argv = ["--db", db_url, "queue", "member", "add", "sales", "dee", "--team", "Floor", "--json"]
    assert main(argv) == 0
    said = json.loads(capsys.readouterr().out)
    assert (said["members"], said["teams"]) == (["dee"], ["Floor"])
    assert main(["--db", db_url, "queue", "list", "--json"]) == 0
    listed = {q["name"]: q for q in json.loads(capsys.readouterr().out)}
    assert listed["sales"]["members"] == ["dee"] and listed["spare"]["members"] == []
    assert main(["--db", db_url, "queue", "member", "remove", "sales", "dee"]) == 0
    assert "team Floor" in capsys.readouterr().out
    # queue add names who serves the new queue, in the queue's own transaction
    argv = ["--db", db_url, "queue", "add", "billing", "+12025550909", "--region", "US",
            "--agent", "ada", "--team", "Night", "--json"]  # fmt: skip
    assert main(argv) == 0
    said = json.loads(capsys.readouterr().out)
    assert (said["numbers"], said["members"], said["teams"]) == (
        ["+12025550909"],
        ["ada"],
        ["Night"],
    )
    argv = ["--db", db_url, "queue", "add", "late", "+12025550910", "--agent", "zed"]
    assert main(argv) == 2
    assert "no user is named 'zed'" in capsys.readouterr().err
    assert "late" not in {q.name for q in list_queues(sessions)}  # not half made
    for bad, why in ((["sales", "zed"], "no user is named"), (["sales"], "at least one"),
                     (["nope", "ada"], "no queue is named")):  # fmt: skip
        assert main(["--db", db_url, "queue", "member", "add", *bad]) == 2
        assert why in capsys.readouterr().err


def test_only_a_user_manager_changes_members_on_postgresql(
    pg_engine: Engine, pg_database_url: str
) -> None:
    owner = session_factory(pg_engine)
    add_user(owner, "m.ada", name="Ada", role="agent")
    add_user(owner, "m.admin", name="Admin", role="admin")
    add_queue(owner, "sales", [SALES], region="US")
    give_logins(owner, ("m.ada", "m.admin"))
    engines = {n: login_engine(pg_database_url, n) for n in ("m.ada", "m.admin")}
    try:
        ada, admin = (session_factory(engines[n]) for n in ("m.ada", "m.admin"))
        with pytest.raises(AccessDeniedError):
            add_members(ada, "sales", ["m.ada"], agent="m.ada")
        with pytest.raises(DBAPIError), engines["m.ada"].begin() as conn:  # the policy too
            conn.execute(text("INSERT INTO queue_members (id, queue_id, user_id) "
                              "SELECT gen_random_uuid(), q.id, u.id FROM queues q, users u "
                              "WHERE u.username = 'm.ada'"))  # fmt: skip
        add_members(admin, "sales", ["m.ada"], agent="m.admin")
        assert [q.members for q in list_queues(ada)] == [("m.ada",)]  # every desk reads it
        (tile,) = read_figures(ada, ServiceLevelFormula.ANSWERED, UTC).queues  # a desk's login
        with owner() as session:
            assert tile.members == frozenset({user_id_of(session, "m.ada")})
        with engines["m.ada"].begin() as conn:  # and cannot take itself off
            gone = conn.execute(text("DELETE FROM queue_members")).rowcount
        assert gone == 0
    finally:
        for eng in engines.values():
            eng.dispose()
