"""The services apply the role matrix on both engines (on SQLite as a convenience, on
PostgreSQL before the database's own policies): edits, claims, shares, assignments, transfers
and batch updates.

Sales (department) > Sales East: reps ann and bob; manager mia (Sales); agent amy; rep zed in
the Other department.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm import ownership
from agentdesk.crm.models import Contact
from agentdesk.crm.records_edit import RecordEditor
from agentdesk.db.audit import AuditEntry
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user


@dataclass
class Org:
    sessions: sessionmaker[Session]
    users: dict[str, uuid.UUID]
    contacts: dict[str, uuid.UUID]

    def version(self, key: str) -> int:
        with self.sessions() as s:
            row = s.get(Contact, self.contacts[key])
            assert row is not None
            return row.version

    def owner(self, key: str) -> uuid.UUID | None:
        with self.sessions() as s:
            return s.scalar(select(Contact.owner_id).where(Contact.id == self.contacts[key]))

    def edit(self, key: str, actor: str, **changes: object) -> None:
        RecordEditor(self.sessions).update_contact(
            self.contacts[key], self.version(key), changes, actor=actor
        )


@pytest.fixture
def org(sessions: sessionmaker[Session]) -> Org:
    add_team(sessions, "Sales")
    add_team(sessions, "Sales East", parent="Sales")
    add_team(sessions, "Other")
    for name, role, team in (
        ("ann", "sales_rep", "Sales East"),
        ("bob", "sales_rep", "Sales East"),
        ("mia", "sales_manager", "Sales"),
        ("amy", "agent", None),
        ("zed", "sales_rep", "Other"),
    ):
        add_user(sessions, name, name=name.title(), role=role, team=team)
    with sessions.begin() as s:
        users = {name: find_user(s, name).id for name in ("ann", "bob", "mia", "amy", "zed")}
        contacts = {}
        for key in ("ann", "bob", "zed", "pool", "pool2"):
            row = Contact(first_name=key, owner_id=users.get(key))
            s.add(row)
            s.flush()
            contacts[key] = row.id
    return Org(sessions, users, contacts)


def test_a_rep_edits_their_own_and_the_pool_but_not_a_colleagues(org: Org) -> None:
    org.edit("ann", "ann", city="上海")
    org.edit("pool", "ann", city="北京")
    with pytest.raises(AccessDeniedError, match="ann may not update these contacts"):
        org.edit("bob", "ann", city="x")
    with pytest.raises(AccessDeniedError):
        org.edit("ann", "amy", city="x")  # agents read every party, change their own


def test_claiming_from_the_pool_is_allowed_giving_away_is_reassigning(org: Org) -> None:
    org.edit("pool", "ann", owner_id=org.users["ann"])
    assert org.owner("pool") == org.users["ann"]
    with pytest.raises(AccessDeniedError, match="reassign"):
        org.edit("ann", "ann", owner_id=org.users["bob"])
    with pytest.raises(AccessDeniedError, match="reassign"):
        org.edit("pool2", "ann", owner_id=org.users["bob"])
    assert org.owner("ann") == org.users["ann"]


def test_a_share_lets_a_colleague_read_then_write(org: Org) -> None:
    with pytest.raises(AccessDeniedError):  # ann cannot share what she cannot change
        ownership.share(org.sessions, "contacts", org.contacts["bob"], "ann", agent="ann")
    ownership.share(org.sessions, "contacts", org.contacts["bob"], "ann", agent="bob")
    with pytest.raises(AccessDeniedError):
        org.edit("bob", "ann", city="x")  # a read share
    ownership.share(org.sessions, "contacts", org.contacts["bob"], "ann", write=True, agent="bob")
    org.edit("bob", "ann", city="Hangzhou")


def test_a_manager_assigns_within_the_department(org: Org) -> None:
    ids = [org.contacts["ann"], org.contacts["pool"]]
    assert ownership.assign(org.sessions, "contacts", ids, "bob", agent="mia") == 2
    assert org.owner("ann") == org.owner("pool") == org.users["bob"]
    with pytest.raises(AccessDeniedError):  # zed is in another department
        ownership.assign(org.sessions, "contacts", [org.contacts["bob"]], "zed", agent="mia")
    with pytest.raises(AccessDeniedError):  # and zed's records are out of mia's reach
        ownership.assign(org.sessions, "contacts", [org.contacts["zed"]], "bob", agent="mia")
    with pytest.raises(AccessDeniedError):  # a rep may not reassign
        ownership.assign(org.sessions, "contacts", [org.contacts["ann"]], "ann", agent="ann")
    with org.sessions() as s:
        entries = s.scalars(select(AuditEntry).where(AuditEntry.action == "assign")).all()
    assert [e.actor for e in entries] == ["mia", "mia"]


def test_transfer_needs_the_reassign_capability(org: Org) -> None:
    with pytest.raises(AccessDeniedError, match="ann may not reassign"):
        ownership.transfer(org.sessions, "ann", "bob", agent="ann")
    assert ownership.transfer(org.sessions, "ann", "bob", agent="mia") == {"contacts": 1}
    assert org.owner("ann") == org.users["bob"]


def test_a_batch_update_is_all_or_nothing(org: Org) -> None:
    ids = [org.contacts["ann"], org.contacts["bob"]]
    with pytest.raises(AccessDeniedError):
        ownership.batch_update(org.sessions, "contacts", ids, "city", "广州", agent="ann")
    with org.sessions() as s:
        assert set(s.scalars(select(Contact.city).where(Contact.id.in_(ids)))) == {None}
    assert ownership.batch_update(org.sessions, "contacts", ids, "city", "广州", agent="mia") == 2
    with org.sessions() as s:
        assert set(s.scalars(select(Contact.city).where(Contact.id.in_(ids)))) == {"广州"}
        batch = s.scalars(select(AuditEntry).where(AuditEntry.entity_kind == "contacts")).all()
    assert len(batch) == 2 and all(e.details and e.details["batch"] for e in batch)
    with pytest.raises(Exception, match="assign"):
        ownership.batch_update(org.sessions, "contacts", ids, "owner_id", None, agent="mia")
