"""PostgreSQL enforces who writes an order's payment plan, each user on their own login
(migration 0021): the rep while the order is open, never another rep, and once submitted only
an approver."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from agentdesk.crm.models import Account
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user
from agentdesk.sales.documents import parse_line
from agentdesk.sales.order_flow import move_order
from agentdesk.sales.order_plan import set_payment_plan
from agentdesk.sales.orders import order_from_quote
from agentdesk.sales.payment_plans import InstalmentRequest
from agentdesk.sales.product_import import import_products
from agentdesk.sales.quotes import QuoteRequest, create_quote, set_quote_status
from agentdesk.sales.status import QuoteStatus
from tests.support.logins import give_logins, login_engine

USERS = {
    "prls.rep": ("sales_rep", "East"),
    "prls.rep2": ("sales_rep", "East"),
    "prls.mgr": ("sales_manager", "Sales"),
}
PLAN = [
    InstalmentRequest(date(2026, 7, 1), percent=Decimal(40)),
    InstalmentRequest(date(2026, 8, 1)),
]


@pytest.fixture
def logins(pg_engine: Engine, pg_database_url: str, tmp_path: Path) -> Iterator[dict[str, Engine]]:
    sessions = session_factory(pg_engine)
    add_team(sessions, "Sales")
    add_team(sessions, "East", parent="Sales")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name, role=role, team=team)
    give_logins(sessions, USERS)
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme", owner_id=find_user(s, "prls.rep").id))
    path = tmp_path / "p.csv"
    path.write_text("code,name,price,tax_rate\nA,Alpha,100,13%\n", encoding="utf-8")
    import_products(sessions, path)
    engines = {name: login_engine(pg_database_url, name) for name in USERS}
    yield engines
    for engine in engines.values():
        engine.dispose()


def test_the_plan_follows_the_order_on_each_login(logins: dict[str, Engine]) -> None:
    rep = session_factory(logins["prls.rep"])
    quote = create_quote(rep, QuoteRequest(account="Acme", lines=[parse_line("A:1")]))
    set_quote_status(rep, quote.number, QuoteStatus.SENT)
    set_quote_status(rep, quote.number, QuoteStatus.ACCEPTED)
    order = order_from_quote(rep, quote.number)
    set_payment_plan(rep, order.number, PLAN)
    with logins["prls.rep2"].connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM order_instalments")) == 0
    with logins["prls.mgr"].connect() as conn:
        assert conn.scalar(text("SELECT count(*) FROM order_instalments")) == 2
    insert = text(
        "INSERT INTO order_instalments (id, order_id, position, due_date, amount_minor) "
        "VALUES (gen_random_uuid(), :o, 9, '2026-09-01', 1)"
    )
    with pytest.raises(DBAPIError), logins["prls.rep2"].begin() as conn:
        conn.execute(insert, {"o": order.id})  # another rep's order
    move_order(rep, order.number, "submit")
    with pytest.raises(AccessDeniedError):
        set_payment_plan(rep, order.number, PLAN[1:])
    with logins["prls.rep"].begin() as conn:  # submitted: the rep's raw SQL changes nothing
        changed = conn.execute(text("UPDATE order_instalments SET amount_minor = 0")).rowcount
        assert changed == 0
    set_payment_plan(session_factory(logins["prls.mgr"]), order.number, PLAN[1:])
    with logins["prls.mgr"].connect() as conn:
        amounts = conn.execute(text("SELECT amount_minor FROM order_instalments")).scalars()
        assert list(amounts) == [11300]
