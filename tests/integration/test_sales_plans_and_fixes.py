"""On both engines: an order's payment plan (set, shown, split again when the gross changes,
locked like the lines), one live order per accepted quote (also under a race, by the unique
index), and document years from the database clock in the business zone."""

from __future__ import annotations

import json
import threading
from datetime import UTC, date, datetime
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.models import Account
from agentdesk.db.clock import database_now
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.clock import zone_named
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user
from agentdesk.sales.documents import parse_line
from agentdesk.sales.models import Order, OrderInstalment
from agentdesk.sales.numbering import document_year, year_at
from agentdesk.sales.order_flow import move_order
from agentdesk.sales.order_plan import set_payment_plan
from agentdesk.sales.orders import edit_order, order_from_quote, show_order
from agentdesk.sales.payment_plans import InstalmentRequest
from agentdesk.sales.product_import import import_products
from agentdesk.sales.quotes import QuoteRequest, create_quote, set_quote_status
from agentdesk.sales.status import OrderStatus, QuoteStatus
from agentdesk.service.cases import CaseSpec, create_case

REP, MANAGER = "p.rep", "p.manager"


@pytest.fixture
def org(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    add_team(sessions, "Sales")
    add_user(sessions, REP, name=REP, role="sales_rep", team="Sales")
    add_user(sessions, MANAGER, name=MANAGER, role="sales_manager", team="Sales")
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme", owner_id=find_user(s, REP).id))
    path = tmp_path / "products.csv"
    path.write_text("code,name,price,tax_rate\nA,Alpha,100,13%\nB,Beta,33.33,6%\n", "utf-8")
    import_products(sessions, path)
    return sessions


def _accepted(sessions: sessionmaker[Session], *lines: str) -> str:
    request = QuoteRequest(account="Acme", lines=[parse_line(text) for text in lines])
    quote = create_quote(sessions, request, actor=REP)
    set_quote_status(sessions, quote.number, QuoteStatus.SENT, actor=REP)
    set_quote_status(sessions, quote.number, QuoteStatus.ACCEPTED, actor=REP)
    return quote.number


def _plan(sessions: sessionmaker[Session], number: str) -> list[tuple[str, str | None]]:
    view = show_order(sessions, number).as_json()
    plan = view["payment_plan"]
    assert isinstance(plan, list)
    amounts = [Decimal(item["amount"]) for item in plan]
    assert sum(amounts) == Decimal(str(view["totals"]["gross"]))  # type: ignore[index]
    return [(item["amount"], item["percent"]) for item in plan]


def test_a_payment_plan_sums_to_the_gross_and_follows_the_order(
    org: sessionmaker[Session],
) -> None:
    order = order_from_quote(org, _accepted(org, "B:7"), actor=REP)  # 233.31 + 6 % = 247.31
    assert (str(order.gross), order.payment_plan) == ("247.31", ())
    plan = [
        InstalmentRequest(date(2026, 7, 1), percent=Decimal("33.33")),
        InstalmentRequest(date(2026, 8, 1), amount=Decimal("100")),
        InstalmentRequest(date(2026, 9, 1)),
    ]
    set_payment_plan(org, order.number, plan, actor=REP)
    assert _plan(org, order.number) == [("82.43", "33.33"), ("100.00", None), ("64.88", None)]
    edit_order(org, order.number, [parse_line("A:3")], actor=REP)  # 300 + 13 % = 339.00
    assert _plan(org, order.number) == [("112.99", "33.33"), ("100.00", None), ("126.01", None)]
    move_order(org, order.number, "submit", actor=REP)
    with pytest.raises(AccessDeniedError):  # submitted: locked for the rep
        set_payment_plan(org, order.number, plan[2:], actor=REP)
    set_payment_plan(org, order.number, plan[2:], actor=MANAGER)
    assert _plan(org, order.number) == [("339.00", None)]
    with pytest.raises(RequestError, match=r"come to 400\.00 CNY, the order to 339\.00"):
        set_payment_plan(org, order.number, [plan[1]] * 4, actor=MANAGER)
    with pytest.raises(RequestError, match=r"61\.00 CNY more than the order"):
        set_payment_plan(org, order.number, [plan[1]] * 4 + [plan[2]], actor=MANAGER)


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_order_plan_command_and_where_the_order_is_printed(
    capsys: pytest.CaptureFixture[str], db_url: str, org: sessionmaker[Session]
) -> None:
    number = order_from_quote(org, _accepted(org, "A:1")).number  # 113.00
    code, out, _ = run(capsys, "order", "plan", number, "--instalment", "2026-07-01:50%",
                       "--instalment", "2026-08-01", "--json", "--db", db_url)  # fmt: skip
    assert code == 0
    assert json.loads(out)["payment_plan"] == [
        {"due_date": "2026-07-01", "amount": "56.50", "percent": "50.00"},
        {"due_date": "2026-08-01", "amount": "56.50", "percent": None},
    ]
    code, out, _ = run(capsys, "order", "show", number, "--db", db_url)
    assert code == 0 and "payment_plan: 2" in out and "2026-08-01" in out
    code, _, err = run(capsys, "order", "plan", number, "--instalment", "2026-07-01:120%",
                       "--db", db_url)  # fmt: skip
    assert code == 2 and "at most 100 %" in err


def test_an_accepted_quote_becomes_one_live_order(org: sessionmaker[Session]) -> None:
    """Review finding: one accepted quote could become several orders."""
    number = _accepted(org, "A:2")
    first = order_from_quote(org, number, actor=REP)
    with pytest.raises(RequestError, match=f"became order {first.number}"):
        order_from_quote(org, number, actor=MANAGER)
    with org() as s:  # the database refuses it too, whoever skips the service
        quote_id = s.scalars(select(Order.quote_id)).one()
    with pytest.raises(IntegrityError), unit_of_work(org) as s:
        s.add(Order(number="SO-X", quote_id=quote_id, account_id=first.account_id,
                    currency="CNY", net_minor=0, tax_minor=0, gross_minor=0))  # fmt: skip
    move_order(org, first.number, "cancel", reason="customer changed", actor=MANAGER)
    again = order_from_quote(org, number, actor=REP)  # a cancelled order gives the quote back
    assert again.number != first.number


def test_two_desks_ordering_one_quote_at_once_make_one_order(org: sessionmaker[Session]) -> None:
    number = _accepted(org, "A:2")
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def order() -> None:
        barrier.wait()
        try:
            order_from_quote(org, number, actor=REP)
            outcomes.append("ordered")
        except RequestError:
            outcomes.append("refused")

    threads = [threading.Thread(target=order) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["ordered", "refused", "refused", "refused"]
    with org() as s:
        live = s.scalars(select(Order.status)).all()
        assert live == [OrderStatus.DRAFT]
        assert not s.scalars(select(OrderInstalment)).all()


def test_document_numbers_take_the_database_clocks_year_in_the_business_zone(
    org: sessionmaker[Session],
) -> None:
    with org() as s:
        for zone in ("Pacific/Kiritimati", "Pacific/Pago_Pago"):  # UTC+14 and UTC-11
            expected = year_at(database_now(s), zone_named(zone))
            assert document_year(s, zone) == expected
        now = database_now(s)
    assert abs((now - datetime.now(UTC)).total_seconds()) < 300  # it is a clock, in UTC
    quote = create_quote(org, QuoteRequest(account="Acme", lines=[parse_line("A:1")]),
                         zone="Pacific/Kiritimati")  # fmt: skip
    assert quote.number.startswith(f"QT-{year_at(now, zone_named('Pacific/Kiritimati'))}-")


def test_a_case_opened_on_new_years_night_in_shanghai_is_numbered_in_the_new_year(
    org: sessionmaker[Session],
) -> None:
    """Review finding: CS- years were UTC's. 17:00 UTC on 31 December is 01:00 on 1 January
    in Shanghai: the service's day, so its year."""
    opened = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    spec = CaseSpec(subject="Broken", opened_at=opened)
    case = create_case(org, spec, agent=None, default_zone="Asia/Shanghai")
    assert case.number == "CS-2027-00001"
    same = create_case(org, spec, agent=None, default_zone="America/Los_Angeles")
    assert same.number == "CS-2026-00001"
