"""The sales commands end to end, and quotes printed to PDF in Chinese and English: the text
is there (pdftotext), the CJK font is embedded (pdffonts), printing is audited and needs the
print capability."""

from __future__ import annotations

import json
import shutil
import subprocess
from pathlib import Path

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.models import Account, Contact
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_user
from agentdesk.org.roles import set_capability
from agentdesk.sales.chinese_amount import rmb_capitals
from agentdesk.sales.documents import parse_line
from agentdesk.sales.product_import import import_products
from agentdesk.sales.quote_pdf import print_quote
from agentdesk.sales.quotes import QuoteRequest, create_quote
from tests.support.logins import give_logins, login_engine

POPPLER_HINT = "poppler-utils is missing: apt-get install poppler-utils"
PRODUCTS = (
    "code,name,unit,spec,category,price,tax_rate\n"
    + "".join(
        f"P-{i:03d},工业交换机 型号{i} 含安装支架,台,48口,硬件,{i * 37.5:.2f},13%\n"
        for i in range(1, 41)
    )
    + "S-001,Installation service,visit,,service,500,0.06\n"
)


def _tool(name: str, *args: str) -> str:
    path = shutil.which(name)
    assert path is not None, POPPLER_HINT
    return subprocess.run([path, *args], check=True, capture_output=True, text=True).stdout


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def catalogue(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    with unit_of_work(sessions) as s:
        account = Account(name="华东贸易有限公司", city="上海")
        s.add(account)
        s.flush()
        s.add(Contact(first_name="伟", last_name="王", account_id=account.id, country="CN"))
    path = tmp_path / "products.csv"
    path.write_text(PRODUCTS, encoding="utf-8")
    code, out, _ = run(capsys, "product", "import", str(path), "--json", "--db", db_url)
    assert (code, json.loads(out)["created"]) == (0, 41)


def test_product_and_quote_commands_with_json_and_exit_codes(
    capsys: pytest.CaptureFixture[str], db_url: str, catalogue: None, tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "product", "list", "--json", "--db", db_url)
    products = json.loads(out)
    assert products[-1] == {
        "code": "S-001",
        "name": "Installation service",
        "unit": "visit",
        "category": "service",
        "price": "500.00",
        "tax_rate": "0.06",
    }
    bad = tmp_path / "bad.csv"
    bad.write_text("code,name,price,tax_rate\nX-1,Bad,abc,13%\n", encoding="utf-8")
    code, out, _ = run(capsys, "product", "import", str(bad), "--json", "--db", db_url)
    assert code == 1
    assert json.loads(out)["rejected"][0]["line"] == 2
    code, out, _ = run(
        capsys,
        "quote",
        "create",
        "--account",
        "华东贸易有限公司",
        "--line",
        "S-001:2:10",
        "--line",
        "P-001:3",
        "--json",
        "--db",
        db_url,
    )
    assert code == 0
    quote = json.loads(out)
    assert quote["lines"][0] == {
        "code": "S-001",
        "quantity": "2",
        "unit_price": "500.00",
        "discount_pct": "10",
        "tax_rate": "0.06",
        "net": "900.00",
    }
    assert quote["totals"] == {"net": "1012.50", "tax": "68.63", "gross": "1081.13"}
    number = quote["number"]
    code, out, _ = run(capsys, "quote", "set", number, "--status", "sent", "--json", "--db", db_url)
    assert (code, json.loads(out)["status"]) == (0, "sent")
    code, out, _ = run(
        capsys, "quote", "edit", number, "--line", "S-001:1", "--json", "--db", db_url
    )
    assert (json.loads(out)["revision"], json.loads(out)["totals"]["gross"]) == (2, "530.00")
    code, out, _ = run(capsys, "quote", "show", number, "--revision", "1", "--json", "--db", db_url)
    assert json.loads(out)["totals"]["gross"] == "1081.13"
    for argv in (
        ("quote", "create", "--account", "Nobody", "--line", "S-001:1"),
        ("quote", "create", "--account", "华东贸易有限公司", "--line", "S-001"),
        ("quote", "set", "QT-1999-00001", "--status", "sent"),
        ("product", "import", str(tmp_path / "missing.csv")),
    ):
        code, _, err = run(capsys, *argv, "--db", db_url)
        assert code == 2, argv
        assert err.startswith("agentdesk: ")


def test_a_chinese_and_an_english_pdf_embed_the_font_and_hold_the_text(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    catalogue: None,
    sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:
    lines = [f"P-{i:03d}:{i}:5" for i in range(1, 41)]
    quote = create_quote(
        sessions,
        QuoteRequest(
            account="华东贸易有限公司",
            lines=[parse_line(t) for t in lines],
            terms="付款方式：预付30%",
        ),
    )
    zh = tmp_path / "zh.pdf"
    code, _, _ = run(
        capsys, "quote", "pdf", quote.number, "--lang", "zh_CN", "--out", str(zh), "--db", db_url
    )
    assert code == 0
    fonts = _tool("pdffonts", str(zh))
    rows = fonts.splitlines()[2:]  # under the header and its rule
    assert rows and all("WenQuanYi" in row and " yes " in row for row in rows), fonts
    text = _tool("pdftotext", "-layout", str(zh), "-")
    assert "报价单" in text and "华东贸易有限公司" in text and "工业交换机 型号40" in text
    assert "价税合计（大写）: 人民币" in text and "付款方式：预付30%" in text
    assert str(quote.gross) in text and rmb_capitals(quote.gross) in text
    pages = text.split("\f")
    assert len([p for p in pages if p.strip()]) >= 2
    assert all("单价" in page and "税率" in page for page in pages if page.strip())  # header again
    en = tmp_path / "en.pdf"
    print_quote(sessions, quote.number, en, lang="en")
    english = _tool("pdftotext", "-layout", str(en), "-")
    assert "Quotation" in english and "Unit price" in english and "大写" not in english
    assert "华东贸易有限公司" in english
    with sessions() as s:
        printed = s.scalars(select(AuditEntry).where(AuditEntry.action == "print")).all()
        assert [(a.details or {}).get("lang") for a in printed] == ["zh_CN", "en"]


def test_printing_needs_the_print_capability(
    catalogue: None, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    add_user(sessions, "rep.li", name="Li", role="sales_rep")
    with unit_of_work(sessions) as s:
        s.scalars(select(Account)).one().owner_id = None  # the pool: a rep may quote it
    quote = create_quote(
        sessions,
        QuoteRequest(account="华东贸易有限公司", lines=[parse_line("S-001:1")]),
        actor="rep.li",
    )
    print_quote(sessions, quote.number, tmp_path / "ok.pdf", actor="rep.li")
    set_capability(sessions, "sales_rep", "print", False)
    with pytest.raises(AccessDeniedError, match="print"):
        print_quote(sessions, quote.number, tmp_path / "no.pdf", actor="rep.li")
    assert sorted(p.name for p in tmp_path.glob("*.pdf")) == ["ok.pdf"]
    assert not list(tmp_path.glob(".*tmp"))


def test_order_commands(capsys: pytest.CaptureFixture[str], db_url: str, catalogue: None) -> None:
    code, out, _ = run(
        capsys,
        "quote",
        "create",
        "--account",
        "华东贸易有限公司",
        "--line",
        "S-001:1",
        "--json",
        "--db",
        db_url,
    )
    number = json.loads(out)["number"]
    for status in ("sent", "accepted"):
        assert run(capsys, "quote", "set", number, "--status", status, "--db", db_url)[0] == 0
    code, out, _ = run(
        capsys,
        "order",
        "from-quote",
        number,
        "--delivery",
        "2027-01-15",
        "--payment-terms",
        "30 days net",
        "--json",
        "--db",
        db_url,
    )
    order = json.loads(out)
    assert (code, order["status"], order["totals"]["gross"]) == (0, "draft", "530.00")
    assert (order["delivery_date"], order["terms"]) == ("2027-01-15", "30 days net")
    assert run(capsys, "order", "limit", "CNY", "100", "--db", db_url)[0] == 0
    code, out, _ = run(capsys, "order", "submit", order["number"], "--json", "--db", db_url)
    assert json.loads(out)["status"] == "submitted"  # 530.00 is not below 100
    code, _, err = run(capsys, "order", "reject", order["number"], "--db", db_url)
    assert (code, err) == (2, "agentdesk: a rejection needs a reason\n")
    code, out, _ = run(
        capsys, "order", "reject", order["number"], "--reason", "too dear", "--json", "--db", db_url
    )
    assert json.loads(out)["reason"] == "too dear"
    code, out, _ = run(
        capsys, "order", "edit", order["number"], "--line", "S-001:2", "--json", "--db", db_url
    )
    assert json.loads(out)["totals"]["gross"] == "1060.00"
    run(capsys, "order", "submit", order["number"], "--db", db_url)
    code, out, _ = run(capsys, "order", "approve", order["number"], "--db", db_url)
    assert code == 0 and "status: approved" in out
    code, out, _ = run(capsys, "order", "show", order["number"], "--json", "--db", db_url)
    assert set(json.loads(out)) == {
        "number",
        "status",
        "currency",
        "account",
        "lines",
        "totals",
        "terms",
        "delivery_date",
        "payment_plan",
    }


def test_price_list_and_expiry_commands(
    capsys: pytest.CaptureFixture[str], db_url: str, catalogue: None
) -> None:
    assert run(capsys, "pricelist", "create", "Dealers", "--db", db_url)[0] == 0
    assert (
        run(
            capsys,
            "pricelist",
            "rule",
            "Dealers",
            "--category",
            "硬件",
            "--off",
            "10",
            "--db",
            db_url,
        )[0]
        == 0
    )
    assert (
        run(
            capsys,
            "pricelist",
            "rule",
            "Dealers",
            "--product",
            "P-002",
            "--price",
            "70",
            "--min-qty",
            "10",
            "--db",
            db_url,
        )[0]
        == 0
    )
    code, out, _ = run(
        capsys,
        "quote",
        "create",
        "--account",
        "华东贸易有限公司",
        "--pricelist",
        "Dealers",
        "--line",
        "P-002:2",
        "--line",
        "P-002:10",
        "--valid-until",
        "2020-01-01",
        "--json",
        "--db",
        db_url,
    )
    quote = json.loads(out)
    assert [line["unit_price"] for line in quote["lines"]] == ["67.50", "70.00"]
    code, _, err = run(
        capsys,
        "pricelist",
        "rule",
        "Dealers",
        "--product",
        "P-002",
        "--price",
        "1.234",
        "--db",
        db_url,
    )
    assert (code, err) == (2, "agentdesk: 1.234 has more than 2 decimals for CNY\n")
    run(capsys, "quote", "set", quote["number"], "--status", "sent", "--db", db_url)
    code, out, _ = run(capsys, "quote", "expire", "--json", "--db", db_url)
    assert json.loads(out) == {"expired": [quote["number"]]}


def test_a_desk_login_prints_a_quote_through_the_database_function(
    pg_engine: Engine, pg_database_url: str, tmp_path: Path
) -> None:
    """On PostgreSQL the audit entry of a desk login's print is the database's to write (and
    its print function checks the capability and the record again)."""
    sessions = session_factory(pg_engine)
    with unit_of_work(sessions) as s:
        s.add(Account(name="华东贸易有限公司", city="上海"))  # nobody's: a rep may quote it
    products = tmp_path / "products.csv"
    products.write_text(PRODUCTS, encoding="utf-8")
    import_products(sessions, products)
    add_user(sessions, "rep.wu", name="Wu", role="sales_rep")
    give_logins(sessions, ["rep.wu"])
    login = login_engine(pg_database_url, "rep.wu")
    try:
        rep = session_factory(login)
        quote = create_quote(
            rep, QuoteRequest(account="华东贸易有限公司", lines=[parse_line("S-001:1")])
        )
        print_quote(rep, quote.number, tmp_path / "wu.pdf")
    finally:
        login.dispose()
    with sessions() as s:
        (entry,) = s.scalars(select(AuditEntry).where(AuditEntry.action == "print")).all()
    assert (entry.actor, entry.entity_kind, entry.details["print"]) == (
        "rep.wu",
        "quotes",
        "quotes",
    )
    assert entry.details["ids"] == [str(entry.entity_id)]  # the function's own entry
