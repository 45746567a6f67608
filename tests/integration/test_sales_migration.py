"""Migration 0016 steps down and up on a database holding sales data: the rest is kept, the
sales tables go and come back empty, and numbering starts again."""

from __future__ import annotations

from datetime import date
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, inspect, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Contact
from agentdesk.db import migrate
from agentdesk.db.engine import unit_of_work
from agentdesk.sales.documents import parse_line
from agentdesk.sales.models import Quote
from agentdesk.sales.order_flow import move_order
from agentdesk.sales.orders import order_from_quote
from agentdesk.sales.product_import import import_products
from agentdesk.sales.quotes import QuoteRequest, create_quote, set_quote_status
from agentdesk.sales.status import QuoteStatus

SALES_TABLES = {
    "products",
    "price_lists",
    "price_rules",
    "document_counters",
    "quotes",
    "quote_lines",
    "orders",
    "order_lines",
    "order_approval_limits",
}


def _fill(sessions: sessionmaker[Session], tmp_path: Path) -> str:
    with unit_of_work(sessions) as s:
        account = Account(name="Acme")
        s.add(account)
        s.flush()
        s.add(Contact(first_name="Ada", last_name="Lovelace", account_id=account.id))
    path = tmp_path / "p.csv"
    path.write_text("code,name,price,tax_rate\nA,Alpha,100,13%\n", encoding="utf-8")
    import_products(sessions, path)
    quote = create_quote(sessions, QuoteRequest(account="Acme", lines=[parse_line("A:2")]))
    set_quote_status(sessions, quote.number, QuoteStatus.SENT)
    set_quote_status(sessions, quote.number, QuoteStatus.ACCEPTED)
    move_order(sessions, order_from_quote(sessions, quote.number).number, "submit")
    return quote.number


def test_0016_down_and_up_on_a_populated_database(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    _fill(sessions, tmp_path)
    before = ScriptDirectory.from_config(migrate._config()).get_revision("0016").down_revision
    migrate.downgrade(engine, str(before))
    assert not SALES_TABLES & set(inspect(engine).get_table_names())
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Contact)) == 1
    migrate.upgrade(engine)
    assert set(inspect(engine).get_table_names()) >= SALES_TABLES
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(Quote)) == 0
    number = _fill_again(sessions, tmp_path)
    assert number == f"QT-{date.today().year}-00001"


def _fill_again(sessions: sessionmaker[Session], tmp_path: Path) -> str:
    path = tmp_path / "p.csv"
    import_products(sessions, path)
    return create_quote(sessions, QuoteRequest(account="Acme", lines=[parse_line("A:1")])).number
