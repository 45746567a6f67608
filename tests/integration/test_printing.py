"""A print reads only with the ``print`` capability, only what the role reads, and is audited
in the transaction that reads (on PostgreSQL by the database's own function)."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Contact
from agentdesk.crm.printing import records_to_print
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.domain.enums import AuditAction
from agentdesk.org import roles
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_user
from agentdesk.org.users import find_user
from tests.support.logins import give_logins, login_engine


def _org(sessions: sessionmaker[Session]) -> dict[str, uuid.UUID]:
    for name in ("ann", "zed"):
        add_user(sessions, name, name=name.title(), role="sales_rep")
    contacts: dict[str, uuid.UUID] = {}
    with unit_of_work(sessions) as s:
        for owner in ("ann", "zed"):
            row = Contact(first_name=owner, last_name="印刷", owner_id=find_user(s, owner).id)
            s.add(row)
            s.flush()
            contacts[owner] = row.id
    return contacts


def _prints(sessions: sessionmaker[Session]) -> list[AuditEntry]:
    with sessions() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.PRINT)))


def test_a_print_returns_what_the_role_reads_and_is_audited(
    sessions: sessionmaker[Session],
) -> None:
    contacts = _org(sessions)
    rows = records_to_print(sessions, "contacts", list(contacts.values()), actor="ann")
    assert [(r["id"], r["first_name"], r["last_name"]) for r in rows] == [
        (str(contacts["ann"]), "ann", "印刷")
    ]
    (entry,) = _prints(sessions)
    assert entry.actor == "ann" and entry.entity_kind == "contacts"
    assert sorted(entry.details["ids"]) == sorted(str(i) for i in contacts.values())


def test_without_the_capability_nothing_is_read_or_audited(
    sessions: sessionmaker[Session],
) -> None:
    contacts = _org(sessions)
    roles.set_capability(sessions, "sales_rep", "print", False)  # restored by the fixture
    with pytest.raises(AccessDeniedError, match="ann may not print"):
        records_to_print(sessions, "contacts", [contacts["ann"]], actor="ann")
    assert _prints(sessions) == []


@pytest.fixture
def pg_logins(pg_engine: Engine, pg_database_url: str) -> tuple[dict[str, uuid.UUID], str]:
    sessions = session_factory(pg_engine)  # the matrix is restored by the engine fixture
    contacts = _org(sessions)
    give_logins(sessions, ("ann", "zed"))
    return contacts, pg_database_url


def test_a_desk_login_prints_through_the_database_function(
    pg_logins: tuple[dict[str, uuid.UUID], str], pg_engine: Engine
) -> None:
    contacts, url = pg_logins
    engine = login_engine(url, "ann")
    try:
        rows = records_to_print(session_factory(engine), "contacts", list(contacts.values()))
        assert [r["id"] for r in rows] == [str(contacts["ann"])]  # zed's hidden by the policy
        (entry,) = _prints(session_factory(pg_engine))
        assert entry.actor == "ann" and entry.entity_kind == "contacts"
        # Raw SQL cannot get round it: not a table outside the record kinds, not without
        # the capability, and a refused print leaves no audit entry.
        ids = "ARRAY[:ann]::uuid[]"
        with engine.connect() as conn, pytest.raises(DBAPIError, match="not records to print"):
            conn.execute(text(f"SELECT agentdesk_print_records('users', {ids})"),
                         {"ann": contacts["ann"]})  # fmt: skip
        roles.set_capability(session_factory(pg_engine), "sales_rep", "print", False)
        with engine.connect() as conn, pytest.raises(DBAPIError, match="may not print"):
            conn.execute(text(f"SELECT agentdesk_print_records('contacts', {ids})"),
                         {"ann": contacts["ann"]})  # fmt: skip
        assert len(_prints(session_factory(pg_engine))) == 1
    finally:
        engine.dispose()
