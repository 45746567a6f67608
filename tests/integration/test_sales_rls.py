"""PostgreSQL enforces who sees and changes quotes and the catalogue, each user on their own
login: a rep's quote and its lines are theirs (and their manager's), the catalogue is read by
all and written by a user manager, and numbers are taken under row-level security."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine, text
from sqlalchemy.exc import DBAPIError

from agentdesk.crm.models import Account
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user
from agentdesk.sales.documents import parse_line
from agentdesk.sales.product_import import import_products
from agentdesk.sales.quotes import QuoteRequest, create_quote, show_quote
from tests.support.logins import give_logins, login_engine

USERS = {
    "srls.rep": ("sales_rep", "Sales East"),
    "srls.rep2": ("sales_rep", "Sales East"),
    "srls.manager": ("sales_manager", "Sales"),
    "srls.admin": ("admin", None),
}


@pytest.fixture
def logins(pg_engine: Engine, pg_database_url: str, tmp_path: Path) -> Iterator[dict[str, Engine]]:
    sessions = session_factory(pg_engine)
    add_team(sessions, "Sales")
    add_team(sessions, "Sales East", parent="Sales")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name, role=role, team=team)
    give_logins(sessions, USERS)
    with unit_of_work(sessions) as s:
        for owner in ("srls.rep", "srls.rep2"):
            s.add(Account(name=f"Account of {owner}", owner_id=find_user(s, owner).id))
    products = tmp_path / "p.csv"
    products.write_text("code,name,price,tax_rate\nP-1,Thing,10,13%\n", encoding="utf-8")
    import_products(sessions, products)
    engines = {name: login_engine(pg_database_url, name) for name in USERS}
    yield engines
    for engine in engines.values():
        engine.dispose()


def _ids(engine: Engine, sql: str) -> set[uuid.UUID]:
    with engine.connect() as conn:
        return {row[0] for row in conn.execute(text(sql))}


def test_a_reps_quote_and_lines_are_theirs_and_their_managers(logins: dict[str, Engine]) -> None:
    mine = create_quote(
        session_factory(logins["srls.rep"]),
        QuoteRequest(account="Account of srls.rep", lines=[parse_line("P-1:3")]),
    )
    theirs = create_quote(
        session_factory(logins["srls.rep2"]),
        QuoteRequest(account="Account of srls.rep2", lines=[parse_line("P-1:1")]),
    )
    assert (mine.number[-5:], theirs.number[-5:]) == ("00001", "00002")
    assert _ids(logins["srls.rep"], "SELECT id FROM quotes") == {mine.id}
    assert _ids(logins["srls.rep2"], "SELECT id FROM quotes") == {theirs.id}
    assert _ids(logins["srls.manager"], "SELECT id FROM quotes") == {mine.id, theirs.id}
    assert len(_ids(logins["srls.rep"], "SELECT id FROM quote_lines")) == 1
    with logins["srls.rep2"].begin() as conn:
        changed = conn.execute(
            text("UPDATE quote_lines SET net_minor = 0 WHERE quote_id = :q"), {"q": mine.id}
        ).rowcount
        assert changed == 0
    with pytest.raises(DBAPIError), logins["srls.rep2"].begin() as conn:
        conn.execute(
            text(
                "INSERT INTO quote_lines (id, quote_id, position, code, description,"
                " quantity_milli, unit_price_minor, discount_bp, tax_rate_bp, net_minor)"
                " VALUES (:id, :q, 9, 'X', 'x', 1000, 1, 0, 0, 1)"
            ),
            {"id": uuid.uuid4(), "q": mine.id},
        )
    with pytest.raises(DBAPIError), logins["srls.rep2"].begin() as conn:
        conn.execute(
            text(
                "UPDATE quotes SET owner_id = (SELECT id FROM users WHERE username = 'srls.rep')"
                " WHERE id = :q"
            ),
            {"q": theirs.id},
        )
    # the service says the same for the rep who cannot see the quote
    with pytest.raises(Exception, match="no quote"):
        show_quote(session_factory(logins["srls.rep2"]), mine.number)


def test_the_catalogue_is_read_by_all_and_written_by_a_user_manager(
    logins: dict[str, Engine],
) -> None:
    assert len(_ids(logins["srls.rep"], "SELECT id FROM products")) == 1
    for who, allowed in (("srls.rep", False), ("srls.manager", False), ("srls.admin", True)):
        statement = text("UPDATE products SET price_minor = 1 WHERE code = 'P-1'")
        with logins[who].begin() as conn:
            assert conn.execute(statement).rowcount == (1 if allowed else 0), who
    with pytest.raises(DBAPIError), logins["srls.rep"].begin() as conn:
        conn.execute(
            text(
                "INSERT INTO products (id, code, name, currency, price_minor, tax_rate_bp,"
                " active, version, created_at, updated_at)"
                " VALUES (:id, 'P-2', 'x', 'CNY', 1, 0, true, 1, now(), now())"
            ),
            {"id": uuid.uuid4()},
        )


def test_stage_history_follows_the_opportunity(logins: dict[str, Engine]) -> None:
    from datetime import date
    from decimal import Decimal

    from agentdesk.domain.enums import OpportunityStage
    from agentdesk.sales.opportunities import create_opportunity, update_opportunity

    rep = session_factory(logins["srls.rep"])
    deal = create_opportunity(
        rep,
        account="Account of srls.rep",
        name="Deal",
        amount=Decimal(100),
        stage=OpportunityStage.PROSPECTING,
        close=date(2026, 12, 31),
    )
    update_opportunity(rep, deal.id, stage=OpportunityStage.PROPOSAL)
    history = "SELECT id FROM opportunity_stage_changes"
    assert len(_ids(logins["srls.rep"], history)) == 2
    assert _ids(logins["srls.rep2"], history) == set()
    assert len(_ids(logins["srls.manager"], history)) == 2
    with pytest.raises(DBAPIError, match="permission denied"), logins["srls.rep"].begin() as c:
        c.execute(text("UPDATE opportunity_stage_changes SET probability = 1"))  # append-only
