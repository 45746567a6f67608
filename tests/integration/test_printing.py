"""A print is audited in its own transaction and needs the ``print`` capability; on a
PostgreSQL desk login the database writes the entry and refuses what the login cannot read."""

from __future__ import annotations

import uuid

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Contact
from agentdesk.crm.permissions import acting_access
from agentdesk.crm.printing import audit_print
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.db.errors import RecordNotFoundError
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


def _print(sessions: sessionmaker[Session], record_id: uuid.UUID, actor: str | None) -> None:
    with unit_of_work(sessions) as session:
        access = acting_access(session, actor)
        audit_print(session, access, "contacts", record_id, {"lang": "zh_CN"})


def _prints(sessions: sessionmaker[Session]) -> list[AuditEntry]:
    with sessions() as s:
        return list(s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.PRINT)))


def test_a_print_is_audited_and_needs_the_capability(sessions: sessionmaker[Session]) -> None:
    contacts = _org(sessions)
    _print(sessions, contacts["ann"], "ann")
    (entry,) = _prints(sessions)
    assert (entry.actor, entry.entity_kind, entry.entity_id) == ("ann", "contacts", contacts["ann"])
    assert entry.details == {"print": "contacts", "lang": "zh_CN"}
    roles.set_capability(sessions, "sales_rep", "print", False)  # restored by the fixture
    with pytest.raises(AccessDeniedError, match="ann may not print"):
        _print(sessions, contacts["ann"], "ann")
    assert len(_prints(sessions)) == 1


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
    owner = session_factory(pg_engine)
    try:
        _print(session_factory(engine), contacts["ann"], None)
        (entry,) = _prints(owner)
        assert (entry.actor, entry.entity_kind) == ("ann", "contacts")
        assert entry.details == {"print": "contacts", "ids": [str(contacts["ann"])]}
        with pytest.raises(RecordNotFoundError):  # zed's contact: the policies hide it
            _print(session_factory(engine), contacts["zed"], None)
        # Raw SQL cannot get round it: not a table outside the record kinds, not without
        # the capability, and a refused print leaves no audit entry.
        ids = "ARRAY[:ann]::uuid[]"
        with engine.connect() as conn, pytest.raises(DBAPIError, match="not records to print"):
            conn.execute(text(f"SELECT agentdesk_print_records('users', {ids})"),
                         {"ann": contacts["ann"]})  # fmt: skip
        roles.set_capability(owner, "sales_rep", "print", False)
        with engine.connect() as conn, pytest.raises(DBAPIError, match="may not print"):
            conn.execute(text(f"SELECT agentdesk_print_records('contacts', {ids})"),
                         {"ann": contacts["ann"]})  # fmt: skip
        assert len(_prints(owner)) == 1
    finally:
        engine.dispose()
