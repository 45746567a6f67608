"""Orders on both engines: from an accepted quote, the approval rules per role, the rep's lock
once submitted, the admin's self-approval amount; and on PostgreSQL the same lock enforced by
the database for each user's own login."""

from __future__ import annotations

from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user
from agentdesk.sales.documents import parse_line
from agentdesk.sales.order_flow import move_order, set_approval_limit
from agentdesk.sales.orders import (
    create_order,
    edit_order,
    list_orders,
    order_from_quote,
    show_order,
)
from agentdesk.sales.product_import import import_products
from agentdesk.sales.quotes import QuoteRequest, create_quote, set_quote_status
from agentdesk.sales.status import OrderStatus, QuoteStatus
from tests.support.logins import give_logins, login_engine

USERS = {
    "o.rep": ("sales_rep", "East"),
    "o.rep2": ("sales_rep", "East"),
    "o.manager": ("sales_manager", "Sales"),
    "o.admin": ("admin", None),
}
REP, REP2, MANAGER, ADMIN = USERS


def _org(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    add_team(sessions, "Sales")
    add_team(sessions, "East", parent="Sales")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name, role=role, team=team)
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme", owner_id=find_user(s, REP).id))
    path = tmp_path / "products.csv"
    path.write_text("code,name,price,tax_rate\nA,Alpha,100,13%\nB,Beta,2500,13%\n", "utf-8")
    import_products(sessions, path)


@pytest.fixture
def org(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    _org(sessions, tmp_path)
    return sessions


def _accepted_quote(sessions: sessionmaker[Session], who: str) -> str:
    lines = [parse_line("A:3:10"), parse_line("B:1")]
    quote = create_quote(sessions, QuoteRequest(account="Acme", lines=lines), actor=who)
    set_quote_status(sessions, quote.number, QuoteStatus.SENT, actor=who)
    set_quote_status(sessions, quote.number, QuoteStatus.ACCEPTED, actor=who)
    return quote.number


def test_an_order_copies_the_accepted_quotes_lines(org: sessionmaker[Session]) -> None:
    number = _accepted_quote(org, REP)
    order = order_from_quote(org, number, actor=REP)
    data = order.as_json()
    assert data["number"].endswith("-00001") and data["number"].startswith("SO-")
    assert data["status"] == "draft"
    assert [(line["code"], line["net"]) for line in data["lines"]] == [
        ("A", "270.00"),
        ("B", "2500.00"),
    ]
    assert data["totals"] == {"net": "2770.00", "tax": "360.10", "gross": "3130.10"}
    assert show_order(org, order.number, actor=REP).as_json() == data
    draft = create_quote(org, QuoteRequest(account="Acme", lines=[parse_line("A:1")]), actor=REP)
    with pytest.raises(RequestError, match="only an accepted quote"):
        order_from_quote(org, draft.number, actor=REP)
    with pytest.raises(AccessDeniedError):
        show_order(org, order.number, actor=REP2)


def test_approval_by_a_sales_manager_and_the_reps_lock(org: sessionmaker[Session]) -> None:
    order = order_from_quote(org, _accepted_quote(org, REP), actor=REP).number
    with pytest.raises(AccessDeniedError):
        move_order(org, order, "approve", actor=REP)
    assert move_order(org, order, "submit", actor=REP).status == "submitted"
    with pytest.raises(AccessDeniedError):
        edit_order(org, order, [parse_line("A:1")], actor=REP)  # locked once submitted
    with pytest.raises(RequestError, match="needs a reason"):
        move_order(org, order, "reject", actor=MANAGER)
    rejected = move_order(org, order, "reject", reason="price too low", actor=MANAGER)
    assert (rejected.status, rejected.as_json()["reason"]) == ("rejected", "price too low")
    assert edit_order(org, order, [parse_line("A:2")], actor=REP).as_json()["totals"]["gross"] == (
        "226.00"
    )
    move_order(org, order, "submit", actor=REP)
    approved = move_order(org, order, "approve", actor=MANAGER)
    assert approved.status == "approved"
    for move in ("fulfil", "cancel"):
        with pytest.raises(AccessDeniedError):
            move_order(org, order, move, actor=REP)
    with pytest.raises(AccessDeniedError):
        edit_order(org, order, [parse_line("A:1")], actor=REP)
    edited = edit_order(org, order, [parse_line("A:3")], actor=MANAGER)  # the manager may
    assert (edited.status, str(edited.gross)) == ("approved", "339.00")
    assert move_order(org, order, "fulfil", actor=MANAGER).status == "fulfilled"
    with pytest.raises(RequestError, match="fulfilled"):
        edit_order(org, order, [parse_line("A:1")], actor=MANAGER)
    with org() as s:
        details = [
            e.details
            for e in s.scalars(
                select(AuditEntry).where(AuditEntry.entity_kind == "order").order_by(AuditEntry.at)
            )
        ]
    assert {"status": "approved", "gross": ["226.00", "339.00"], "number": order} in details
    with org() as s:
        approver = s.scalar(text("SELECT approved_by_id FROM orders"))
        assert str(approver).replace("-", "") == find_user(s, MANAGER).id.hex


def test_orders_below_the_admins_amount_approve_themselves(org: sessionmaker[Session]) -> None:
    with pytest.raises(AccessDeniedError):
        set_approval_limit(org, "CNY", Decimal(1000), actor=REP)
    set_approval_limit(org, "CNY", Decimal(1000), actor=ADMIN)
    small = create_order(org, "Acme", [parse_line("A:7")], actor=REP)  # 791.00 gross
    large = create_order(org, "Acme", [parse_line("A:8:0")], actor=REP)  # 904.00
    huge = create_order(org, "Acme", [parse_line("B:1")], actor=REP)  # 2825.00
    assert move_order(org, small.number, "submit", actor=REP).status == "approved"
    assert move_order(org, large.number, "submit", actor=REP).status == "approved"
    assert move_order(org, huge.number, "submit", actor=REP).status == "submitted"
    set_approval_limit(org, "CNY", None, actor=ADMIN)
    again = create_order(org, "Acme", [parse_line("A:1")], actor=REP)
    assert move_order(org, again.number, "submit", actor=REP).status == "submitted"
    waiting = list_orders(org, status=OrderStatus.SUBMITTED, actor=MANAGER)
    assert [(o["number"], o["gross"], o["owner"]) for o in waiting] == [
        (again.number, "113.00", REP),
        (huge.number, "2825.00", REP),
    ]
    assert list_orders(org, actor=REP2) == []  # a rep sees their own only


def test_postgresql_holds_the_lock_for_each_login(
    pg_engine: Engine, pg_database_url: str, tmp_path: Path
) -> None:
    sessions = session_factory(pg_engine)
    _org(sessions, tmp_path)
    give_logins(sessions, USERS)
    engines = {name: login_engine(pg_database_url, name) for name in USERS}
    try:
        rep = session_factory(engines[REP])
        manager = session_factory(engines[MANAGER])
        order = order_from_quote(rep, _accepted_quote(rep, REP), actor=REP).number
        with pytest.raises(DBAPIError), engines[REP].begin() as conn:  # no self-approval
            conn.execute(text("UPDATE orders SET status = 'approved'"))
        move_order(rep, order, "submit", actor=REP)
        with engines[REP].begin() as conn:  # locked: the rep's writes touch nothing
            assert conn.execute(text("UPDATE orders SET status = 'draft'")).rowcount == 0
            assert conn.execute(text("UPDATE order_lines SET net_minor = 1")).rowcount == 0
        with engines[REP2].connect() as conn:
            assert conn.execute(text("SELECT count(*) FROM orders")).scalar_one() == 0
        assert move_order(manager, order, "approve", actor=MANAGER).status == "approved"
        edit_order(manager, order, [parse_line("A:1")], actor=MANAGER)
        with engines[REP].connect() as conn:
            assert conn.execute(text("SELECT gross_minor FROM orders")).scalar_one() == 11300
    finally:
        for engine in engines.values():
            engine.dispose()


def test_a_reps_own_login_cannot_forge_delete_renumber_or_reprice(
    pg_engine: Engine, pg_database_url: str, tmp_path: Path
) -> None:
    """What a review found a rep's login could do through raw SQL after migration 0016: each
    attempt fails now, and what the services do through the same login still works."""
    sessions = session_factory(pg_engine)
    _org(sessions, tmp_path)
    give_logins(sessions, USERS)
    set_approval_limit(sessions, "CNY", Decimal(1000), actor=ADMIN)
    engines = {name: login_engine(pg_database_url, name) for name in USERS}
    try:
        rep = session_factory(engines[REP])
        with sessions() as s:
            manager_id = find_user(s, MANAGER).id
        big = create_order(rep, "Acme", [parse_line("B:1")], actor=REP)  # 2825.00: above it
        for forged in (
            "UPDATE orders SET status = 'approved', gross_minor = 0",  # a made-up total
            f"UPDATE orders SET approved_by_id = '{manager_id}'",  # an approver's signature
            "UPDATE orders SET status = 'fulfilled'",
        ):
            with pytest.raises(DBAPIError, match="approv"), engines[REP].begin() as conn:
                conn.execute(text(forged))
        # a small order still approves itself through the service, on the rep's own login
        small = create_order(rep, "Acme", [parse_line("A:7")], actor=REP)  # 791.00
        assert move_order(rep, small.number, "submit", actor=REP).status == "approved"
        with engines[REP].begin() as conn:  # no document is deleted, approved or not
            assert conn.execute(text("DELETE FROM orders")).rowcount == 0
        with pytest.raises(DBAPIError, match="one at a time"), engines[REP].begin() as conn:
            conn.execute(text("UPDATE document_counters SET last = last + 5"))
        with pytest.raises(DBAPIError, match="starts at 0"), engines[REP].begin() as conn:
            conn.execute(
                text("INSERT INTO document_counters (kind, year, last) VALUES ('QT', 2099, 41)")
            )
        quote = _accepted_quote(rep, REP)
        with engines[REP].begin() as conn:  # an accepted quote's lines and total stay
            assert conn.execute(text("UPDATE quote_lines SET net_minor = 1")).rowcount == 0
            assert conn.execute(text("DELETE FROM quote_lines")).rowcount == 0
        with pytest.raises(DBAPIError, match="new revision"), engines[REP].begin() as conn:
            conn.execute(text("UPDATE quotes SET gross_minor = 1, status = 'sent'"))
        assert order_from_quote(rep, quote, actor=REP).status == "draft"
        assert big.status == "draft"
    finally:
        for engine in engines.values():
            engine.dispose()
