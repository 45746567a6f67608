"""PostgreSQL enforces the role matrix itself: each user connects with their own login and
tries, with raw SQL (not the app's services), to read, change and delete what is outside their
scope. Every refused attempt fails and every allowed one works.

The organisation: department Sales with the team Sales East below it, and a separate team
Support and department Other.
- agent ``rls.agent`` (Support) and ``rls.agent2`` (Other)
- supervisor ``rls.super`` (Support)
- sales reps ``rls.rep`` and ``rls.rep2`` (Sales East), ``rls.rep3`` (Other)
- sales manager ``rls.manager`` (Sales: the department)
- admin ``rls.admin``
"""

from __future__ import annotations

import json
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

import pytest
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError, OperationalError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.export import export_calls
from agentdesk.crm.models import Call, Callback, Contact, PhoneRecord
from agentdesk.db.audit import Actor, audit
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.domain.enums import AuditAction, Role
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.roles import set_permission
from agentdesk.org.users import find_user
from tests.support.logins import give_logins, login_engine

USERS = {
    "rls.agent": ("agent", "Support"),
    "rls.agent2": ("agent", "Other"),
    "rls.super": ("supervisor", "Support"),
    "rls.rep": ("sales_rep", "Sales East"),
    "rls.rep2": ("sales_rep", "Sales East"),
    "rls.rep3": ("sales_rep", "Other"),
    "rls.manager": ("sales_manager", "Sales"),
    "rls.admin": ("admin", None),
}
AT = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)


@dataclass
class Org:
    url: str
    ids: dict[str, uuid.UUID]
    contacts: dict[str, uuid.UUID]  # owner username (or "pool") -> contact id
    calls: dict[str, uuid.UUID]  # agent username -> call id
    callbacks: dict[str, uuid.UUID]
    engines: dict[str, Engine]

    def as_user(self, username: str) -> Engine:
        if username not in self.engines:
            self.engines[username] = login_engine(self.url, username)
        return self.engines[username]


def _build(sessions: sessionmaker[Session]) -> tuple[dict[str, uuid.UUID], ...]:
    add_team(sessions, "Sales")
    add_team(sessions, "Sales East", parent="Sales")
    add_team(sessions, "Support")
    add_team(sessions, "Other")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name.title(), role=role, team=team)
    give_logins(sessions, USERS)
    with unit_of_work(sessions) as s:
        ids = {name: find_user(s, name).id for name in USERS}
        contacts: dict[str, uuid.UUID] = {}
        for owner in ("rls.agent", "rls.rep", "rls.rep2", "rls.rep3", "pool"):
            contact = Contact(first_name="Of", last_name=owner, owner_id=ids.get(owner))
            s.add(contact)
            s.flush()
            s.add(PhoneRecord(raw="x", e164=f"+86138000{len(contacts):05d}", contact_id=contact.id))
            contacts[owner] = contact.id
        calls: dict[str, uuid.UUID] = {}
        callbacks: dict[str, uuid.UUID] = {}
        for agent in ("rls.agent", "rls.agent2", "rls.rep"):
            call = Call(direction="inbound", agent_id=ids[agent], started_at=AT)
            s.add(call)
            s.flush()
            calls[agent] = call.id
            callback = Callback(due_at=AT, agent_id=ids[agent], contact_id=contacts["pool"])
            s.add(callback)
            s.flush()
            callbacks[agent] = callback.id
            audit(s, Actor(ids[agent], agent), AuditAction.CREATE, "call", call.id)
    return ids, contacts, calls, callbacks


@pytest.fixture
def org(pg_engine: Engine, pg_database_url: str) -> Iterator[Org]:
    ids, contacts, calls, callbacks = _build(session_factory(pg_engine))
    result = Org(pg_database_url, ids, contacts, calls, callbacks, {})
    yield result
    for engine in result.engines.values():
        engine.dispose()


def _count(conn: Connection, sql: str, **params: object) -> int:
    return int(conn.execute(text(sql), params).scalar_one())


def _rows(org: Org, who: str, sql: str, **params: object) -> int:
    """Run a write as ``who`` and return how many rows it changed (0: RLS hid them all)."""
    with org.as_user(who).begin() as conn:
        return int(conn.execute(text(sql), params).rowcount)


def _refused(org: Org, who: str, sql: str, **params: object) -> str:
    """Run a statement as ``who`` that PostgreSQL must refuse; return the SQLSTATE."""
    with pytest.raises(DBAPIError) as info, org.as_user(who).begin() as conn:
        conn.execute(text(sql), params)
    state = getattr(info.value.orig, "sqlstate", None)
    assert state is not None
    return str(state)


def _visible(org: Org, user: str, table: str) -> set[uuid.UUID]:
    with org.as_user(user).connect() as conn:
        return {row[0] for row in conn.execute(text(f"SELECT id FROM {table}"))}


def test_each_login_is_its_own_user_and_needs_its_password(org: Org) -> None:
    with org.as_user("rls.rep").connect() as conn:
        assert conn.execute(text("SELECT session_user")).scalar_one() == "rls.rep"
        assert conn.execute(text("SELECT agentdesk_uid()")).scalar_one() == org.ids["rls.rep"]
    with pytest.raises(OperationalError):
        login_engine(org.url, "rls.rep", "wrong-password").connect().close()
    # Changing a setting or the current role does not change who the policies see.
    with org.as_user("rls.rep").begin() as conn:
        conn.execute(text("SET ROLE agentdesk_desk"))
        conn.execute(text("SET application_name = 'rls.admin'"))
        seen = {row[0] for row in conn.execute(text("SELECT id FROM contacts"))}
    assert org.contacts["rls.rep2"] not in seen


def test_no_login_bypasses_row_level_security(org: Org) -> None:
    with org.as_user("rls.admin").connect() as conn:
        logins = conn.execute(
            text(
                "SELECT r.rolname FROM pg_roles r JOIN pg_auth_members m ON m.member = r.oid "
                "JOIN pg_roles g ON g.oid = m.roleid WHERE (r.rolsuper OR r.rolbypassrls) "
                "AND r.rolcanlogin AND g.rolname = ANY (:groups)"
            ),
            {"groups": [f"agentdesk_{role}" for role in Role] + ["agentdesk_desk"]},
        ).all()
        tables = conn.execute(
            text(
                "SELECT relname FROM pg_class WHERE relkind = 'r' AND relnamespace = "
                "current_schema()::regnamespace AND NOT (relrowsecurity AND relforcerowsecurity) "
                "AND relname <> 'alembic_version'"
            )
        ).all()
        owners = conn.execute(
            text(
                "SELECT DISTINCT pg_get_userbyid(relowner) FROM pg_class WHERE relkind = 'r' "
                "AND relnamespace = current_schema()::regnamespace"
            )
        ).all()
    assert logins == []
    assert tables == []
    assert owners == [("agentdesk_owner",)]
    assert _refused(org, "rls.admin", "SET ROLE agentdesk_security") == "42501"
    assert _refused(org, "rls.admin", "SET ROLE agentdesk_owner") == "42501"


def test_an_agent_reads_every_party_and_changes_only_their_own(org: Org) -> None:
    assert _visible(org, "rls.agent", "contacts") == set(org.contacts.values())
    with org.as_user("rls.agent").connect() as conn:
        assert _count(conn, "SELECT count(*) FROM phone_numbers") == len(org.contacts)
    notes = "UPDATE contacts SET notes = 'changed' WHERE id = :id"
    assert _rows(org, "rls.agent", notes, id=org.contacts["rls.rep"]) == 0
    assert _rows(org, "rls.agent", notes, id=org.contacts["rls.agent"]) == 1
    assert _rows(org, "rls.agent", notes, id=org.contacts["pool"]) == 1  # the common pool
    assert _rows(org, "rls.agent", "DELETE FROM contacts WHERE id = :id",
                 id=org.contacts["rls.agent"]) == 0  # fmt: skip
    # Giving their own contact away is a reassignment: only roles that may reassign.
    give = "UPDATE contacts SET owner_id = :to WHERE id = :id"
    assert _refused(org, "rls.agent", give, to=org.ids["rls.agent2"],
                    id=org.contacts["rls.agent"]) == "42501"  # fmt: skip
    # Claiming a record nobody owns is allowed; for someone else it is not.
    assert _refused(org, "rls.agent", give, to=org.ids["rls.agent2"],
                    id=org.contacts["pool"]) == "42501"  # fmt: skip
    assert _rows(org, "rls.agent", give, to=org.ids["rls.agent"], id=org.contacts["pool"]) == 1
    # Creating for someone else is refused; for oneself it works.
    create = "INSERT INTO contacts (id, first_name, owner_id, version, created_at, updated_at) "
    create += "VALUES (:id, 'New', :owner, 1, now(), now())"
    assert _refused(org, "rls.agent", create, id=uuid.uuid4(), owner=org.ids["rls.rep"]) == "42501"
    assert _rows(org, "rls.agent", create, id=uuid.uuid4(), owner=org.ids["rls.agent"]) == 1


def test_an_agent_cannot_change_users_roles_or_other_agents_calls(org: Org) -> None:
    assert (
        _rows(org, "rls.agent", "UPDATE users SET role = 'admin' WHERE username = 'rls.agent'") == 0
    )
    assert _refused(org, "rls.agent", "INSERT INTO org_permissions VALUES "
                    "('agent', 'users', 'update', 'all')") == "42501"  # fmt: skip
    assert _rows(org, "rls.agent", "UPDATE org_permissions SET depth = 'all'") == 0
    assert _refused(org, "rls.agent", "SELECT agentdesk_sync_login('rls.agent2')") == "42501"
    assert _refused(org, "rls.agent", "SELECT agentdesk_set_password('rls.admin', "
                    "'SCRAM-SHA-256$4096:x$y:z')") == "42501"  # fmt: skip
    assert _refused(org, "rls.agent", "DELETE FROM org_scope") == "42501"
    # Calls: the agent reads the history (every call) and changes only their own.
    assert _visible(org, "rls.agent", "calls") == set(org.calls.values())
    notes = "UPDATE calls SET notes = 'x' WHERE id = :id"
    assert _rows(org, "rls.agent", notes, id=org.calls["rls.agent2"]) == 0
    assert _rows(org, "rls.agent", notes, id=org.calls["rls.agent"]) == 1
    insert = "INSERT INTO calls (id, direction, agent_id, started_at, version, created_at, "
    insert += "updated_at) VALUES (:id, 'inbound', :agent, now(), 1, now(), now())"
    assert (
        _refused(org, "rls.agent", insert, id=uuid.uuid4(), agent=org.ids["rls.agent2"]) == "42501"
    )
    assert _rows(org, "rls.agent", insert, id=uuid.uuid4(), agent=org.ids["rls.agent"]) == 1


def test_the_audit_log_is_insert_only_for_everyone(org: Org) -> None:
    for user in ("rls.agent", "rls.super", "rls.manager", "rls.admin"):
        assert _refused(org, user, "DELETE FROM audit_log") == "42501"
        assert _refused(org, user, "UPDATE audit_log SET actor = 'nobody'") == "42501"
        assert _refused(org, user, "TRUNCATE audit_log") == "42501"
    # An entry in someone else's name is refused; in one's own it is kept.
    entry = "INSERT INTO audit_log (id, at, user_id, actor, action, entity_kind) "
    entry += "VALUES (:id, now(), :user, 'x', 'update', 'contact')"
    assert _refused(org, "rls.agent", entry, id=uuid.uuid4(), user=org.ids["rls.admin"]) == "42501"
    assert _rows(org, "rls.agent", entry, id=uuid.uuid4(), user=org.ids["rls.agent"]) == 1
    with org.as_user("rls.agent").connect() as conn:
        mine = _count(conn, "SELECT count(*) FROM audit_log")
    with org.as_user("rls.admin").connect() as conn:
        everything = _count(conn, "SELECT count(*) FROM audit_log")
    assert mine == 2 and everything > mine


def test_a_supervisor_sees_the_calls_of_their_department_only(org: Org) -> None:
    assert _visible(org, "rls.super", "calls") == {org.calls["rls.agent"]}
    assert _visible(org, "rls.super", "callbacks") == {org.callbacks["rls.agent"]}
    note = "UPDATE callbacks SET note = 'call back later' WHERE id = :id"
    assert _rows(org, "rls.super", note, id=org.callbacks["rls.agent"]) == 1
    assert _rows(org, "rls.super", note, id=org.callbacks["rls.agent2"]) == 0
    # Supervisors may reassign within their department.
    move = "UPDATE callbacks SET agent_id = :to WHERE id = :id"
    assert _rows(org, "rls.super", move, to=org.ids["rls.super"],
                 id=org.callbacks["rls.agent"]) == 1  # fmt: skip


def test_a_sales_rep_sees_their_own_the_pool_and_what_is_shared(org: Org) -> None:
    rep = "rls.rep"
    assert _visible(org, rep, "contacts") == {org.contacts[rep], org.contacts["pool"]}
    with org.as_user(rep).connect() as conn:
        assert _count(conn, "SELECT count(*) FROM phone_numbers") == 2
    notes = "UPDATE contacts SET notes = 'x' WHERE id = :id"
    assert _rows(org, rep, notes, id=org.contacts["rls.rep2"]) == 0
    assert _rows(org, rep, notes, id=org.contacts[rep]) == 1
    # rep2 shares a contact with rep, first to read, then to write.
    share = "INSERT INTO record_shares (id, kind, record_id, user_id, can_write, created_at) "
    share += "VALUES (:id, 'contacts', :record, :user, :write, now())"
    assert _refused(org, rep, share, id=uuid.uuid4(), record=org.contacts["rls.rep2"],
                    user=org.ids[rep], write=True) == "42501"  # fmt: skip
    assert _rows(org, "rls.rep2", share, id=uuid.uuid4(), record=org.contacts["rls.rep2"],
                 user=org.ids[rep], write=False) == 1  # fmt: skip
    assert org.contacts["rls.rep2"] in _visible(org, rep, "contacts")
    assert _rows(org, rep, notes, id=org.contacts["rls.rep2"]) == 0
    assert _rows(org, "rls.rep2", "UPDATE record_shares SET can_write = true") == 1
    assert _rows(org, rep, notes, id=org.contacts["rls.rep2"]) == 1
    assert _rows(org, rep, "DELETE FROM contacts WHERE id = :id", id=org.contacts["rls.rep2"]) == 0
    # Calls: a rep reads only their own.
    assert _visible(org, rep, "calls") == {org.calls[rep]}


def test_a_sales_manager_sees_and_reassigns_within_the_department(org: Org) -> None:
    manager = "rls.manager"
    expected = {org.contacts[n] for n in ("rls.rep", "rls.rep2", "pool")}
    assert _visible(org, manager, "contacts") == expected
    give = "UPDATE contacts SET owner_id = :to WHERE id = :id"
    assert _rows(org, manager, give, to=org.ids["rls.rep2"], id=org.contacts["rls.rep"]) == 1
    # Out of the department: neither reachable nor a valid new owner.
    assert _rows(org, manager, give, to=org.ids["rls.rep"], id=org.contacts["rls.rep3"]) == 0
    assert _refused(org, manager, give, to=org.ids["rls.rep3"],
                    id=org.contacts["rls.rep2"]) == "42501"  # fmt: skip
    remove = "DELETE FROM contacts WHERE id = :id"
    assert _rows(org, manager, remove, id=org.contacts["rls.rep3"]) == 0


def test_the_scope_trigger_and_the_sqlite_statement_agree(org: Org, pg_engine: Engine) -> None:
    from agentdesk.org.scope import REBUILD_SQL

    with pg_engine.begin() as conn:
        by_trigger = set(conn.execute(text("SELECT viewer_id, depth, owner_id FROM org_scope")))
        conn.execute(text("DELETE FROM org_scope"))
        conn.execute(text(REBUILD_SQL))
        by_statement = set(conn.execute(text("SELECT viewer_id, depth, owner_id FROM org_scope")))
    assert by_trigger == by_statement
    manager, rep2 = org.ids["rls.manager"], org.ids["rls.rep2"]
    assert (manager, "department", rep2) in by_trigger
    assert (manager, "team", rep2) not in by_trigger


def test_a_changed_matrix_changes_what_the_database_allows(org: Org, pg_engine: Engine) -> None:
    """The admin narrows agents to their own contacts: the database follows at once (the
    fast-path policies are granted again from the matrix)."""
    owner = session_factory(pg_engine)
    set_permission(owner, "agent", "contacts", "read", "own")
    assert _visible(org, "rls.agent", "contacts") == {
        org.contacts["rls.agent"], org.contacts["pool"],
    }  # fmt: skip
    set_permission(owner, "agent", "contacts", "read", "none")
    assert _visible(org, "rls.agent", "contacts") == set()
    set_permission(owner, "agent", "contacts", "read", "all")
    assert _visible(org, "rls.agent", "contacts") == set(org.contacts.values())


def test_a_prefix_search_uses_its_index_under_rls(org: Org) -> None:
    """A name range is not LEAKPROOF: under a policy with a row test PostgreSQL could only
    filter it after walking the whole index. An agent, who reads every contact, gets the
    index range (the search turns sequential scans off for its statements)."""
    query = (
        "EXPLAIN (FORMAT JSON) SELECT id FROM contacts WHERE lower(last_name) >= 'rls' "
        "AND lower(last_name) < 'rlt' ORDER BY lower(last_name), lower(first_name) LIMIT 10"
    )
    with org.as_user("rls.agent").begin() as conn:
        conn.execute(text("SET LOCAL enable_seqscan = off"))
        conn.execute(text("SET LOCAL enable_bitmapscan = off"))
        plan = json.dumps(conn.execute(text(query)).scalar_one())
    assert "Index Cond" in plan and "lower((last_name)::text) >= 'rls'" in plan


def test_exports_go_through_the_audited_function(org: Org, pg_engine: Engine) -> None:
    # An agent may not export: refused by the service, and by the database with raw SQL.
    agent = session_factory(org.as_user("rls.agent"))
    with pytest.raises(AccessDeniedError, match="export"):
        list(export_calls(agent))
    assert _refused(org, "rls.agent", "SELECT * FROM agentdesk_export_calls(NULL)") == "42501"
    # A supervisor exports what they may read, and the audit entry comes with the rows.
    rows = list(export_calls(session_factory(org.as_user("rls.super"))))
    assert {r["call_id"] for r in rows} == {str(org.calls["rls.agent"])}
    with pg_engine.connect() as conn:
        exports = conn.execute(
            text("SELECT actor, user_id FROM audit_log WHERE action = 'export'")
        ).all()
    assert exports == [("rls.super", org.ids["rls.super"])]
