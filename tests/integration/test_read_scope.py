"""What a role may read, through the services: search, screen pop and the customer panel.

On SQLite (and on PostgreSQL's owner connection acting for a user) the services add the rule
themselves; on a PostgreSQL desk login the row policies apply it. Both must give the same
answers, which the last test checks with each user's own login.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from dataclasses import dataclass, field

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm import ownership
from agentdesk.crm.lookup.caller import CallerLookup
from agentdesk.crm.models import Call, Contact, PhoneRecord
from agentdesk.crm.party_details import PartyRef, read_details
from agentdesk.crm.search import ContactSearch
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.db.errors import RecordNotFoundError
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import OwnerKind
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user
from tests.support.logins import give_logins, login_engine

SHARED_NUMBER = "+8613900000000"
POOL_NUMBER = "+8613800000003"  # the pool contact's own number
USERS = {
    "ann": ("sales_rep", "Sales East"),
    "bob": ("sales_rep", "Sales East"),
    "mia": ("sales_manager", "Sales"),
    "amy": ("agent", None),
    "zed": ("sales_rep", "Other"),
}


@dataclass
class Org:
    sessions: sessionmaker[Session]
    contacts: dict[str, uuid.UUID]  # owner (or "pool") -> their contact named Wang <owner>
    names: dict[uuid.UUID, str] = field(default_factory=dict)

    def found(self, hits: object) -> set[str]:
        return {self.names[hit.id] for hit in hits}  # type: ignore[attr-defined]


def _build(sessions: sessionmaker[Session]) -> Org:
    add_team(sessions, "Sales")
    add_team(sessions, "Sales East", parent="Sales")
    add_team(sessions, "Other")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name.title(), role=role, team=team)
    contacts: dict[str, uuid.UUID] = {}
    with unit_of_work(sessions) as s:
        for index, owner in enumerate(("ann", "bob", "zed", "pool")):
            owner_id = None if owner == "pool" else find_user(s, owner).id
            row = Contact(first_name=owner, last_name="Wang", owner_id=owner_id)
            s.add(row)
            s.flush()
            contacts[owner] = row.id
            s.add(PhoneRecord(raw="x", e164=f"+8613800000{index:03d}", contact_id=row.id))
            if owner in ("ann", "zed"):  # one switchboard number on two reps' contacts
                s.add(PhoneRecord(raw="x", e164=SHARED_NUMBER, contact_id=row.id))
    org = Org(sessions, contacts)
    org.names = {record_id: owner for owner, record_id in contacts.items()}
    return org


@pytest.fixture
def org(sessions: sessionmaker[Session]) -> Org:
    return _build(sessions)


EXPECTED = {
    "ann": {"ann", "pool"},  # own and the common pool
    "mia": {"ann", "bob", "pool"},  # her department: Sales and Sales East, not Other
    "amy": {"ann", "bob", "zed", "pool"},  # agents read every party
}


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_a_search_finds_only_what_the_role_reads(org: Org, viewer: str) -> None:
    search = ContactSearch(org.sessions, "CN")
    assert org.found(search.search("wang", viewer=viewer)) == EXPECTED[viewer]
    assert org.found(search.search("+86138000", viewer=viewer)) == EXPECTED[viewer]
    assert org.found(search.search("wang")) == {"ann", "bob", "zed", "pool"}  # no viewer: all


def test_a_restricted_search_still_fills_its_limit(org: Org) -> None:
    """The rule is part of each ranged read, not a filter after its limit: asked for one
    result, zed gets the pool's contact although ann's and bob's sort before it."""
    hits = ContactSearch(org.sessions, "CN").search("wang", limit=1, viewer="zed")
    assert org.found(hits) == {"pool"}


def test_a_screen_pop_shows_only_the_callers_the_role_reads(org: Org) -> None:
    lookup = CallerLookup(org.sessions, "CN")
    try:
        assert org.found(lookup.lookup(SHARED_NUMBER, viewer="ann").matches) == {"ann"}
        assert org.found(lookup.lookup(SHARED_NUMBER, viewer="amy").matches) == {"ann", "zed"}
        assert org.found(lookup.lookup(SHARED_NUMBER, viewer="bob").matches) == set()
    finally:
        lookup.close()


def test_the_panel_hides_what_the_role_cannot_read_and_locks_what_it_cannot_change(
    org: Org,
) -> None:
    def details(owner: str, viewer: str) -> bool:
        ref = PartyRef(OwnerKind.CONTACT, org.contacts[owner])
        return read_details(org.sessions, ref, limit=5, now=utcnow(), viewer=viewer).editable

    assert details("ann", "ann") is True
    assert details("pool", "ann") is True
    assert details("zed", "amy") is False  # an agent reads every caller, changes only theirs
    with pytest.raises(RecordNotFoundError):
        details("zed", "ann")
    ownership.share(org.sessions, "contacts", org.contacts["zed"], "ann", agent="zed")
    assert details("zed", "ann") is False  # a read share
    ownership.share(org.sessions, "contacts", org.contacts["zed"], "ann", write=True, agent="zed")
    assert details("zed", "ann") is True


def _calls_on_the_pool(org: Org) -> None:
    with unit_of_work(org.sessions) as s:
        for agent in ("ann", "zed"):
            s.add(
                Call(
                    direction="inbound",
                    agent_id=find_user(s, agent).id,
                    contact_id=org.contacts["pool"],
                    started_at=utcnow(),
                    notes=f"taken by {agent}",
                )
            )


def _pool_history(sessions: sessionmaker[Session], viewer: str) -> set[str]:
    ref = PartyRef(OwnerKind.CONTACT, org_pool(sessions))
    details = read_details(sessions, ref, limit=5, now=utcnow(), viewer=viewer)
    return {call.notes or "" for call in details.calls}


def org_pool(sessions: sessionmaker[Session]) -> uuid.UUID:
    with sessions() as s:
        return s.scalars(select(Contact.id).where(Contact.first_name == "pool")).one()


def _popped_history(lookup: CallerLookup, viewer: str) -> set[str]:
    (match,) = lookup.lookup(POOL_NUMBER, viewer=viewer).matches
    return {call.notes or "" for call in match.history.last_calls}


def test_the_panel_and_the_pop_show_the_calls_the_role_reads(org: Org) -> None:
    _calls_on_the_pool(org)
    assert _pool_history(org.sessions, "ann") == {"taken by ann"}  # a rep reads their calls
    assert _pool_history(org.sessions, "amy") == {"taken by ann", "taken by zed"}
    lookup = CallerLookup(org.sessions, "CN")
    try:
        assert _popped_history(lookup, "ann") == {"taken by ann"}
        assert _popped_history(lookup, "amy") == {"taken by ann", "taken by zed"}
    finally:
        lookup.close()


@pytest.fixture
def pg_org(pg_engine: Engine, pg_database_url: str) -> Iterator[tuple[Org, str]]:
    org = _build(session_factory(pg_engine))
    give_logins(org.sessions, USERS)
    yield org, pg_database_url


@pytest.mark.parametrize("viewer", sorted(EXPECTED))
def test_a_desk_login_gets_the_same_answers_from_the_row_policies(
    pg_org: tuple[Org, str], viewer: str
) -> None:
    org, url = pg_org
    engine = login_engine(url, viewer)
    lookup = CallerLookup(session_factory(engine), "CN")
    try:
        sessions = session_factory(engine)
        hits = ContactSearch(sessions, "CN").search("wang", viewer=viewer)
        assert org.found(hits) == EXPECTED[viewer]
        popped = org.found(lookup.lookup(SHARED_NUMBER, viewer=viewer).matches)
        assert popped == EXPECTED[viewer] & {"ann", "zed"}
        if viewer == "ann":
            _calls_on_the_pool(org)
            assert _pool_history(sessions, viewer) == {"taken by ann"}
            assert _popped_history(lookup, viewer) == {"taken by ann"}
    finally:
        lookup.close()
        engine.dispose()
