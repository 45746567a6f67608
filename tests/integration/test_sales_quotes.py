"""Products, price lists and quotes on both engines: import with rejects, prices from a list,
totals, revisions, and numbers without gaps or duplicates under concurrency."""

from __future__ import annotations

import multiprocessing
import threading
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import create_db_engine, session_factory, unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.sales.catalogue import list_products
from agentdesk.sales.documents import LineRequest, parse_line
from agentdesk.sales.models import Quote, QuoteLine
from agentdesk.sales.price_lists import RuleRequest, add_price_list, add_price_rule
from agentdesk.sales.product_import import import_products
from agentdesk.sales.quotes import (
    QuoteRequest,
    create_quote,
    expire_quotes,
    revise_quote,
    set_quote_status,
    show_quote,
)
from agentdesk.sales.status import QuoteStatus

CHINESE_PRODUCTS = (
    "编码,名称,单位,规格,类别,单价,税率\n"
    "P-100,服务器,台,2U,硬件,33.33,13%\n"
    "P-200,交换机,台,48口,硬件,1200.50,0.13\n"
    "S-100,安装服务,次,,服务,500,6%\n"
    "P-300,坏价格,台,,硬件,12.345,13%\n"
    "P-400,坏税率,台,,硬件,10,130%\n"
    ",无编码,台,,硬件,10,13%\n"
    "P-100,重复,台,,硬件,10,13%\n"
)


def _catalogue(sessions: sessionmaker[Session], tmp_path: Path) -> None:
    path = tmp_path / "products.csv"
    path.write_bytes(CHINESE_PRODUCTS.encode("gb18030"))
    import_products(sessions, path)


@pytest.fixture
def account(sessions: sessionmaker[Session]) -> str:
    with unit_of_work(sessions) as s:
        s.add(Account(name="华东贸易有限公司"))
    return "华东贸易有限公司"


def test_product_import_reads_gb18030_chinese_headers_and_rejects_with_line_and_reason(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    path = tmp_path / "products.csv"
    path.write_bytes(CHINESE_PRODUCTS.encode("gb18030"))
    result = import_products(sessions, path)
    assert (result.created, result.updated) == (3, 0)
    assert [(r.line, r.reason) for r in result.rejected] == [
        (5, "12.345 has more than 2 decimals for CNY"),
        (6, "tax rate '130%' is not between 0 and 100 %"),
        (7, "code is empty"),
        (8, "code P-100 is already on line 2"),
    ]
    assert result.reject_file == tmp_path / "products.rejects.csv"
    assert "坏价格" in result.reject_file.read_text(encoding="utf-8-sig")
    products = [p.as_json() for p in list_products(sessions)]
    assert products[0] == {
        "code": "P-100",
        "name": "服务器",
        "unit": "台",
        "category": "硬件",
        "price": "33.33",
        "tax_rate": "0.13",
    }
    assert [(p["code"], p["tax_rate"]) for p in products] == [
        ("P-100", "0.13"),
        ("P-200", "0.13"),
        ("S-100", "0.06"),
    ]
    # a second import updates by code
    path.write_text("code,name,price,tax_rate\nP-100,Server,40,13%\n", encoding="utf-8")
    again = import_products(sessions, path)
    assert (again.created, again.updated, again.rejected) == (1 - 1, 1, ())
    assert list_products(sessions)[0].price == Decimal("40.00")
    with sessions() as s:
        kinds = s.scalars(select(AuditEntry.entity_kind).where(AuditEntry.action == "import"))
        assert list(kinds) == ["product", "product"]


def test_a_quote_takes_prices_from_its_list_and_taxes_once_per_rate(
    sessions: sessionmaker[Session], tmp_path: Path, account: str
) -> None:
    _catalogue(sessions, tmp_path)
    add_price_list(sessions, "Dealers", "CNY", actor=None)
    add_price_rule(sessions, "Dealers", RuleRequest(category="硬件", percent_off=Decimal(10)),
                   actor=None)  # fmt: skip
    add_price_rule(
        sessions,
        "Dealers",
        RuleRequest(product="P-200", price=Decimal("1000"), min_quantity=Decimal(5)),
        actor=None,
    )
    expired = RuleRequest(product="S-100", price=Decimal(1), valid_to=date.today() - timedelta(1))
    add_price_rule(sessions, "Dealers", expired, actor=None)
    quote = create_quote(
        sessions,
        QuoteRequest(
            account=account,
            price_list="Dealers",
            lines=[
                parse_line("P-200:2"),  # below the minimum: 10 % off 1200.50 = 1080.45
                parse_line("P-200:5:0"),  # the fixed price from 5 up
                parse_line("S-100:1.5:20"),  # the expired rule is ignored: standard 500
            ],
        ),
    )
    data = quote.as_json()
    assert data["number"] == f"QT-{date.today().year}-00001"
    assert data["revision"] == 1
    assert data["lines"] == [
        {"code": "P-200", "quantity": "2", "unit_price": "1080.45", "discount_pct": "0",
         "tax_rate": "0.13", "net": "2160.90"},
        {"code": "P-200", "quantity": "5", "unit_price": "1000.00", "discount_pct": "0",
         "tax_rate": "0.13", "net": "5000.00"},
        {"code": "S-100", "quantity": "1.5", "unit_price": "500.00", "discount_pct": "20",
         "tax_rate": "0.06", "net": "600.00"},
    ]  # fmt: skip
    # 13 % of 7160.90 = 930.917 -> 930.92; 6 % of 600.00 = 36.00
    assert data["totals"] == {"net": "7760.90", "tax": "966.92", "gross": "8727.82"}
    assert show_quote(sessions, quote.number).as_json() == data


def test_three_lines_of_33_33_at_13_percent_are_13_00_tax_in_the_database(
    sessions: sessionmaker[Session], tmp_path: Path, account: str
) -> None:
    _catalogue(sessions, tmp_path)
    lines = [LineRequest("P-100", Decimal(1))] * 3
    quote = create_quote(sessions, QuoteRequest(account=account, lines=lines))
    assert (str(quote.net), str(quote.tax), str(quote.gross)) == ("99.99", "13.00", "112.99")
    with sessions() as s:
        stored = s.scalars(select(Quote)).one()
        assert (stored.net_minor, stored.tax_minor, stored.gross_minor) == (9999, 1300, 11299)


def test_a_sent_quote_never_changes_editing_makes_the_next_revision(
    sessions: sessionmaker[Session], tmp_path: Path, account: str
) -> None:
    _catalogue(sessions, tmp_path)
    first = create_quote(sessions, QuoteRequest(account=account, lines=[parse_line("P-100:1")]))
    draft_edit = revise_quote(sessions, first.number, [parse_line("P-100:2")])
    assert (draft_edit.revision, str(draft_edit.net)) == (1, "66.66")  # a draft changes in place
    set_quote_status(sessions, first.number, QuoteStatus.SENT)
    second = revise_quote(sessions, first.number, [parse_line("P-100:3:100")])
    assert (second.number, second.revision, second.status) == (first.number, 2, "draft")
    assert second.as_json()["totals"] == {"net": "0.00", "tax": "0.00", "gross": "0.00"}
    sent = show_quote(sessions, first.number, 1)
    assert (sent.status, str(sent.net), len(sent.lines)) == ("sent", "66.66", 1)
    assert show_quote(sessions, first.number).revision == 2
    with pytest.raises(RequestError, match="cannot become accepted"):
        set_quote_status(sessions, first.number, QuoteStatus.ACCEPTED)  # revision 2 is a draft
    set_quote_status(sessions, first.number, QuoteStatus.SENT)
    assert set_quote_status(sessions, first.number, QuoteStatus.ACCEPTED).status == "accepted"
    with sessions() as s:
        assert s.scalar(select(func.count()).select_from(QuoteLine)) == 2


def test_bad_quote_requests_are_refused_and_take_no_number(
    sessions: sessionmaker[Session], tmp_path: Path, account: str
) -> None:
    _catalogue(sessions, tmp_path)
    with pytest.raises(RequestError, match="no active product"):
        create_quote(sessions, QuoteRequest(account=account, lines=[parse_line("NOPE:1")]))
    with pytest.raises(RequestError, match="no account"):
        create_quote(sessions, QuoteRequest(account="Nobody", lines=[parse_line("P-100:1")]))
    with pytest.raises(RequestError, match="no price in JPY"):
        create_quote(
            sessions, QuoteRequest(account=account, currency="JPY", lines=[parse_line("P-100:1")])
        )
    for bad in ("P-100", "P-100:0", "P-100:1:101", "P-100:x", "P-100:1.0001"):
        with pytest.raises(RequestError):
            parse_line(bad)
    quote = create_quote(sessions, QuoteRequest(account=account, lines=[parse_line("P-100:1")]))
    assert quote.number.endswith("-00001")  # the refused ones left no gap


def _numbers(engine: Engine) -> list[str]:
    with session_factory(engine)() as s:
        return list(s.scalars(select(Quote.number).order_by(Quote.number)))


def _expected(count: int) -> list[str]:
    return [f"QT-{date.today().year}-{n:05d}" for n in range(1, count + 1)]


def test_twenty_threads_get_twenty_consecutive_numbers(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path, account: str
) -> None:
    _catalogue(sessions, tmp_path)
    start = threading.Barrier(20)
    errors: list[BaseException] = []

    def rep() -> None:
        try:
            start.wait()
            create_quote(sessions, QuoteRequest(account=account, lines=[parse_line("P-100:1")]))
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=rep) for _ in range(20)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert errors == []
    assert _numbers(engine) == _expected(20)


def _quote_in_a_process(url: str, account: str, start: threading.Barrier) -> None:
    engine = create_db_engine(url)
    try:
        start.wait()
        request = QuoteRequest(account=account, lines=[parse_line("P-100:1")])
        create_quote(session_factory(engine), request)
    finally:
        engine.dispose()


def test_twenty_processes_get_twenty_consecutive_numbers(
    engine: Engine, db_url: str, sessions: sessionmaker[Session], tmp_path: Path, account: str
) -> None:
    _catalogue(sessions, tmp_path)
    context = multiprocessing.get_context("spawn")
    start = context.Barrier(20)
    processes = [
        context.Process(target=_quote_in_a_process, args=(db_url, account, start))
        for _ in range(20)
    ]
    for process in processes:
        process.start()
    for process in processes:
        process.join()
    assert [p.exitcode for p in processes] == [0] * 20
    assert _numbers(engine) == _expected(20)


def test_a_quote_past_its_date_expires_and_cannot_be_accepted(
    sessions: sessionmaker[Session], tmp_path: Path, account: str
) -> None:
    _catalogue(sessions, tmp_path)
    yesterday = date.today() - timedelta(days=1)
    old = create_quote(
        sessions,
        QuoteRequest(account=account, lines=[parse_line("P-100:1")], valid_until=yesterday),
    )
    fresh = create_quote(
        sessions,
        QuoteRequest(account=account, lines=[parse_line("P-100:1")], valid_until=date.today()),
    )
    draft = create_quote(
        sessions,
        QuoteRequest(account=account, lines=[parse_line("P-100:1")], valid_until=yesterday),
    )
    for quote in (old, fresh):
        set_quote_status(sessions, quote.number, QuoteStatus.SENT)
    with pytest.raises(RequestError, match="was valid until"):
        set_quote_status(sessions, old.number, QuoteStatus.ACCEPTED)
    assert expire_quotes(sessions) == [old.number]  # the fresh one and the draft stay
    assert show_quote(sessions, old.number).status == "expired"
    assert show_quote(sessions, draft.number).status == "draft"
    assert set_quote_status(sessions, fresh.number, QuoteStatus.ACCEPTED).status == "accepted"


def test_a_yen_quote_has_no_minor_unit(
    sessions: sessionmaker[Session], tmp_path: Path, account: str
) -> None:
    path = tmp_path / "yen.csv"
    path.write_text("code,name,price,tax_rate\nJ-1,Cable,1005,10%\nJ-2,Plug,333,8%\n", "utf-8")
    result = import_products(sessions, path, currency_code="JPY")
    assert result.created == 2
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,price,tax_rate\nJ-3,Half,10.5,10%\n", "utf-8")
    assert import_products(sessions, bad, currency_code="JPY").rejected[0].reason == (
        "10.5 has more than 0 decimals for JPY"
    )
    lines = [parse_line("J-1:1:12.5"), parse_line("J-2:3"), parse_line("J-2:1")]
    quote = create_quote(sessions, QuoteRequest(account=account, currency="JPY", lines=lines))
    data = quote.as_json()
    # 1005 × 0.875 = 879.375 -> 879, taxed 87.9 -> 88; 999 + 333 = 1332 at 8 % -> 106.56 -> 107
    assert [line["net"] for line in data["lines"]] == ["879", "999", "333"]
    assert data["totals"] == {"net": "2211", "tax": "195", "gross": "2406"}
    with pytest.raises(RequestError, match="no price in CNY"):
        create_quote(sessions, QuoteRequest(account=account, lines=[parse_line("J-1:1")]))
