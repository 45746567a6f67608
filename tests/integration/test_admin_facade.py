"""The admin screen's facade (app/admin.py) on both engines: who may use it, campaign
assignment checked like the other changes, a role save that a refusal stops half-way.

On PostgreSQL each facade runs on the user's own login: the desk's configured username does
not make anyone an admin there.
"""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from sqlalchemy import Engine
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.admin import AdminService, NewUser
from agentdesk.db.engine import session_factory
from agentdesk.dialer.campaigns import create_campaign
from agentdesk.domain.access import Action, Capability, Depth, RecordKind
from agentdesk.domain.enums import Role
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user, list_users
from agentdesk.org.roles import show_role
from tests.support.logins import give_logins, login_engine

ADMIN, AGENT = "adm.root", "adm.amy"


@pytest.fixture
def org(sessions: sessionmaker[Session], engine: Engine) -> Iterator[dict[str, AdminService]]:
    """A facade for the admin and one for the agent, each as their own login on PostgreSQL."""
    add_team(sessions, "Outbound")
    add_user(sessions, ADMIN, name="Root", role="admin")
    add_user(sessions, AGENT, name="Amy", role="agent", team="Outbound")
    create_campaign(sessions, "Spring")
    if engine.dialect.name != "postgresql":
        yield {name: AdminService(sessions, name, passwords=False) for name in (ADMIN, AGENT)}
        return
    give_logins(sessions, (ADMIN, AGENT))
    base = engine.url.render_as_string(hide_password=False)
    logins = {name: login_engine(base, name) for name in (ADMIN, AGENT)}
    # The configured username is the admin's for both: only the login may count.
    yield {
        name: AdminService(session_factory(own), ADMIN, passwords=True)
        for name, own in logins.items()
    }
    for own in logins.values():
        own.dispose()


def test_only_a_user_who_may_manage_users_gets_in(org: dict[str, AdminService]) -> None:
    admin, agent = org[ADMIN], org[AGENT]
    assert admin.allowed() and not agent.allowed()
    snapshot = admin.snapshot()
    assert {u.username for u in snapshot.users} >= {ADMIN, AGENT}
    assert snapshot.campaigns == ("Spring",)
    with pytest.raises(AccessDeniedError, match=r"adm\.amy may not manage users"):
        agent.snapshot()


def test_campaign_assignment_is_refused_to_an_agent(org: dict[str, AdminService]) -> None:
    with pytest.raises(AccessDeniedError):
        org[AGENT].assign("Spring", [AGENT], [])
    assert org[ADMIN].assignment("Spring").open_to_all
    done = org[ADMIN].assign("Spring", [], ["Outbound"])
    assert (done.agents, done.teams) == ((), ("Outbound",))
    assert org[ADMIN].assignment("Spring") == done


def test_a_refused_role_save_keeps_what_it_wrote_and_says_why(
    org: dict[str, AdminService],
) -> None:
    admin = org[ADMIN]
    cell = (RecordKind.CONTACTS, Action.UPDATE)
    # Revoking its own manage_users first: the next capability is refused.
    result = admin.save_role(
        Role.ADMIN,
        {cell: Depth.TEAM},
        {Capability.MANAGE_USERS: False, Capability.VIEW_BOARD: False},
    )
    assert result.error == "adm.root may not manage users"
    assert result.role.matrix[RecordKind.CONTACTS][Action.UPDATE] is Depth.TEAM
    assert Capability.MANAGE_USERS not in result.role.capabilities
    assert Capability.VIEW_BOARD in result.role.capabilities  # not written
    assert not admin.allowed()


def test_users_added_and_changed_through_the_facade(
    org: dict[str, AdminService], sessions: sessionmaker[Session]
) -> None:
    admin = org[ADMIN]
    added = admin.add_user(
        NewUser(" adm.li ", "Li Na", Role.SALES_REP, "Outbound", extension=" ", email="")
    )
    assert (added.username, added.team, added.extension, added.email) == (
        "adm.li",
        "Outbound",
        None,
        None,
    )
    admin.set_user("adm.li", role=Role.SALES_MANAGER, team=None, active=False)
    row = {u.username: u for u in list_users(sessions)}["adm.li"]
    assert (row.role, row.team, row.active) == (Role.SALES_MANAGER, None, False)
    assert show_role(sessions, "agent").role is Role.AGENT
