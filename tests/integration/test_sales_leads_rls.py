"""PostgreSQL enforces the leads' rules on each user's own login (migration 0021): a rep
converts their own lead, sees only their own conversions, cannot convert another's lead by
raw SQL, nor take a conversion back, nor mark a lead converted without one."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from agentdesk.crm.models import Lead
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.db.errors import RecordNotFoundError
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user
from agentdesk.sales.lead_convert import convert_leads
from agentdesk.sales.leads import LeadFilter, assign_leads, list_leads
from tests.support.logins import give_logins, login_engine

USERS = {
    "lrls.rep": ("sales_rep", "Inside"),
    "lrls.rep2": ("sales_rep", "Inside"),
    "lrls.mgr": ("sales_manager", "Sales"),
}


@pytest.fixture
def logins(pg_engine: Engine, pg_database_url: str) -> Iterator[dict[str, Engine]]:
    sessions = session_factory(pg_engine)
    add_team(sessions, "Sales")
    add_team(sessions, "Inside", parent="Sales")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name, role=role, team=team)
    give_logins(sessions, USERS)
    engines = {name: login_engine(pg_database_url, name) for name in USERS}
    yield engines
    for engine in engines.values():
        engine.dispose()


def _lead(pg_engine: Engine, first: str, owner: str) -> uuid.UUID:
    with unit_of_work(session_factory(pg_engine)) as s:
        lead = Lead(first_name=first, last_name="Lee", owner_id=find_user(s, owner).id)
        s.add(lead)
        s.flush()
        return lead.id


def _ids(engine: Engine, sql: str) -> set[uuid.UUID]:
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(text(sql))}


def test_a_rep_converts_own_leads_only_and_a_conversion_stays(
    pg_engine: Engine, logins: dict[str, Engine]
) -> None:
    mine = _lead(pg_engine, "Mine", "lrls.rep")
    theirs = _lead(pg_engine, "Theirs", "lrls.rep2")
    rep = session_factory(logins["lrls.rep"])
    assert {v.id for v in list_leads(rep, LeadFilter())} == {mine}
    (done,) = convert_leads(rep, [mine])
    with pytest.raises(RecordNotFoundError):  # hidden from this login by its row policy
        convert_leads(rep, [theirs])
    with pytest.raises(AccessDeniedError):
        assign_leads(rep, [mine], "lrls.rep2")
    sql = "SELECT lead_id FROM lead_conversions"
    assert _ids(logins["lrls.rep"], sql) == {mine}
    assert _ids(logins["lrls.rep2"], sql) == set()
    assert _ids(logins["lrls.mgr"], sql) == {mine}
    ids = {"lead": theirs, "a": done.account_id, "c": done.contact_id, "o": done.opportunity_id}
    with pytest.raises(DBAPIError), logins["lrls.rep"].begin() as conn:
        conn.execute(  # another rep's lead, by raw SQL
            text(
                "INSERT INTO lead_conversions (lead_id, account_id, contact_id, opportunity_id,"
                " converted_at) VALUES (:lead, :a, :c, :o, now())"
            ),
            ids,
        )
    with pytest.raises(DBAPIError, match="stays converted"), logins["lrls.rep"].begin() as conn:
        conn.execute(text("UPDATE leads SET status = 'new' WHERE id = :id"), {"id": mine})
    with pytest.raises(DBAPIError, match="permission denied"), logins["lrls.rep"].begin() as c:
        c.execute(text("DELETE FROM lead_conversions WHERE lead_id = :id"), {"id": mine})
    with pytest.raises(DBAPIError, match="its conversion"), logins["lrls.rep2"].begin() as c:
        c.execute(text("UPDATE leads SET status = 'converted' WHERE id = :id"), {"id": theirs})


def test_a_manager_converts_and_deals_out_the_teams_leads(
    pg_engine: Engine, logins: dict[str, Engine]
) -> None:
    first = _lead(pg_engine, "One", "lrls.rep")
    second = _lead(pg_engine, "Two", "lrls.rep")
    manager = session_factory(logins["lrls.mgr"])
    assign_leads(manager, [second], "lrls.rep2")
    assert _ids(logins["lrls.rep2"], "SELECT id FROM leads") == {second}
    convert_leads(manager, [first, second])
    assert _ids(logins["lrls.rep2"], "SELECT lead_id FROM lead_conversions") == {second}
    assert len(_ids(logins["lrls.rep2"], "SELECT id FROM opportunities")) == 1
