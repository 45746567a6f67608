"""Render the sales screens to docs/screenshots/sales-*.png, in English and Chinese.

    xvfb-run -a -s "-screen 0 1400x900x24" .venv/bin/python scripts/sales_screenshots.py

A temp SQLite database per language with a sales team, products, opportunities in every
stage, quotes and an order awaiting approval; the screens are the app's own (the sales window
of the Sales menu, the quote editor, the order dialog), as the sales manager sees them.
A stage the admin added ("Trial running", 试用中) sits after qualification with deals in it.
Writes sales-pipeline, sales-list, sales-stages (File > Administration > Sales stages, as an
admin), sales-quotes, sales-orders, sales-quote, sales-order, sales-order-locked (approved, as
its rep sees it), sales-forecast, sales-forecast-category, sales-party (the customer panel's
sales box), sales-opportunity (the opportunity editor with product lines and stage history)
and sales-quote-contact (a new quote's contact picker) (``-zh`` for Chinese).
"""

from __future__ import annotations

import sys
import tempfile
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from PySide6.QtCore import QCoreApplication  # noqa: E402
from PySide6.QtWidgets import QApplication, QWidget  # noqa: E402
from sqlalchemy import select  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from agentdesk.app.admin import AdminService  # noqa: E402
from agentdesk.app.sales import SalesService  # noqa: E402
from agentdesk.crm.models import Account, Contact, Opportunity, PhoneRecord  # noqa: E402
from agentdesk.crm.party_details import PartyRef  # noqa: E402
from agentdesk.db import migrate  # noqa: E402
from agentdesk.db.engine import create_db_engine, session_factory, sqlite_url, unit_of_work  # noqa: E402
from agentdesk.domain.enums import OpportunityStage, OwnerKind  # noqa: E402
from agentdesk.org.admin import add_team, add_user  # noqa: E402
from agentdesk.org.users import find_user  # noqa: E402
from agentdesk.sales.documents import parse_line  # noqa: E402
from agentdesk.sales.opportunities import create_opportunity, update_opportunity  # noqa: E402
from agentdesk.sales.order_flow import move_order  # noqa: E402
from agentdesk.sales.orders import order_from_quote  # noqa: E402
from agentdesk.sales.price_lists import RuleRequest, add_price_list, add_price_rule  # noqa: E402
from agentdesk.sales.product_import import import_products  # noqa: E402
from agentdesk.sales.quotes import QuoteRequest, create_quote, set_quote_status  # noqa: E402
from agentdesk.sales.stages import add_stage  # noqa: E402
from agentdesk.sales.status import QuoteStatus  # noqa: E402
from agentdesk.ui.admin.dialog import AdminDialog  # noqa: E402
from agentdesk.ui.sales.opportunity_editor import OpportunityEditor  # noqa: E402
from agentdesk.ui.sales.order_dialog import OrderDialog  # noqa: E402
from agentdesk.ui.sales.party_sales import PartySalesBox  # noqa: E402
from agentdesk.ui.sales.quote_editor import QuoteEditor  # noqa: E402
from agentdesk.ui.sales.window import SalesWindow  # noqa: E402
from agentdesk.ui.shell.i18n import install_translators, remove_translators  # noqa: E402

OUT = ROOT / "docs" / "screenshots"
S = OpportunityStage
TRIAL = "trial"
DATA = {
    "en": {
        "team": ("Sales", "East"),
        "people": [("li.na", "Li Na", "sales_manager"), ("tom.reed", "Tom Reed", "sales_rep"),
                   ("ana.cruz", "Ana Cruz", "sales_rep"), ("sam.admin", "Sam Admin", "admin")],
        "accounts": ["Northwind Traders", "Contoso Ltd", "Fabrikam Inc", "Tailspin Toys"],
        "products": "code,name,unit,category,price,tax_rate\n"
                    "HS-100,Headset HS-100,pc,Hardware,420,13%\n"
                    "PH-200,Desk phone PH-200,pc,Hardware,980,13%\n"
                    "LIC-AD,AgentDesk seat licence (1 year),seat,Software,1800,6%\n"
                    "SVC-ON,On-site installation,day,Service,3200,6%\n",
        "deals": ["Call centre refresh", "Headsets for 40 agents", "Support renewal",
                  "New branch phones", "Licence upgrade", "Training days", "Second site",
                  "Pilot extension"],
        "list": "Volume 2026",
        "contact": ("Nancy", "Davolio"),
        "contact2": ("Andrew", "Fuller"),
        "terms": "30 days net; delivery within 2 weeks",
    },
    "zh": {
        "team": ("销售部", "华东销售组"),
        "people": [("wang.fang", "王芳", "sales_manager"), ("li.qiang", "李强", "sales_rep"),
                   ("zhao.lei", "赵磊", "sales_rep"), ("zhou.admin", "周管理", "admin")],
        "accounts": ["上海明达贸易有限公司", "杭州云帆科技", "南京金陵电器", "苏州华信物流"],
        "products": "编码,名称,单位,类别,单价,税率\n"
                    "HS-100,耳麦 HS-100,个,硬件,420,13%\n"
                    "PH-200,桌面话机 PH-200,台,硬件,980,13%\n"
                    "LIC-AD,AgentDesk 坐席许可（一年）,席,软件,1800,6%\n"
                    "SVC-ON,上门安装服务,天,服务,3200,6%\n",
        "deals": ["呼叫中心升级", "40 个坐席的耳麦", "年度维保续约", "新分公司话机",
                  "许可升级", "培训服务", "第二个站点", "试点延期"],
        "list": "2026 批量价",
        "contact": ("芳", "陈"),
        "contact2": ("伟", "张"),
        "terms": "货到 30 天内付款；两周内交货",
    },
}  # fmt: skip


def pump(until: Callable[[], bool] = lambda: True, seconds: float = 5.0) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if until():
            break
        time.sleep(0.01)
    settle = time.monotonic() + 0.3  # let the paint settle
    while time.monotonic() < settle:
        QCoreApplication.processEvents()
        time.sleep(0.01)


def seed(sessions: sessionmaker[Session], lang: str, work: Path) -> tuple[str, str]:
    """The organisation and its sales; returns (a sent quote's number, an order awaiting
    approval)."""
    data = DATA[lang]
    sales, east = data["team"]
    add_team(sessions, sales)
    add_team(sessions, east, parent=sales)
    for username, name, role in data["people"]:
        add_user(
            sessions,
            username,
            name=name,
            role=role,
            team=sales if role == "sales_manager" else east,
        )
    _manager, rep, rep2, _admin = (p[0] for p in data["people"])
    with unit_of_work(sessions) as s:
        for index, name in enumerate(data["accounts"]):
            owner = find_user(s, rep if index % 2 == 0 else rep2).id
            city = "Shanghai" if lang == "zh" else "Seattle"
            account = Account(name=name, city=city, owner_id=owner)
            s.add(account)
            s.flush()
            if index == 0:
                given, family = data["contact"]
                contact = Contact(
                    first_name=given, last_name=family, account_id=account.id, owner_id=owner
                )
                given, family = data["contact2"]
                other = Contact(
                    first_name=given, last_name=family, account_id=account.id, owner_id=owner
                )
                s.add_all([contact, other])
                s.flush()
                contact_id = str(contact.id)
                s.add(PhoneRecord(raw="138 0013 8000", e164="+8613800138000",
                                  contact_id=other.id))  # fmt: skip
    csv = work / f"products-{lang}.csv"
    csv.write_text(data["products"], "utf-8")
    import_products(sessions, csv)
    add_price_list(sessions, data["list"], "CNY", actor=None)
    add_price_rule(
        sessions,
        data["list"],
        RuleRequest(product="HS-100", percent_off=Decimal(10), min_quantity=Decimal(20)),
        actor=None,
    )
    today = date.today()
    add_stage(sessions, TRIAL, label="Trial running", label_zh="试用中", probability=35,
              after=S.QUALIFICATION)  # fmt: skip
    stages = [S.PROSPECTING, S.QUALIFICATION, S.PROPOSAL, S.NEGOTIATION, S.CLOSED_WON,
              TRIAL, S.QUALIFICATION, S.NEGOTIATION, S.PROSPECTING, S.CLOSED_LOST,
              S.PROPOSAL, TRIAL]  # fmt: skip
    for index, stage in enumerate(stages):
        account = data["accounts"][index % 4]
        deal = data["deals"][index % len(data["deals"])]
        # every other deal priced from products: the forecast by category shares them out
        lines = (
            [parse_line(f"HS-100:{10 + index}"), parse_line(f"LIC-AD:{5 + index}:5")]
            if index % 2
            else []
        )
        create_opportunity(
            sessions,
            account=account,
            name=deal,
            amount=None if lines else Decimal(18_000 + 7_350 * index),
            lines=lines,
            stage=stage,
            close=today + timedelta(days=-25 + 11 * index),
            actor=rep if index % 4 in (0, 2) else rep2,
        )
    first = data["accounts"][0]
    sent = create_quote(
        sessions,
        QuoteRequest(
            first,
            [parse_line("HS-100:40:0"), parse_line("LIC-AD:40:5"), parse_line("SVC-ON:2")],
            contact=contact_id,
            price_list=data["list"],
            valid_until=today + timedelta(days=30),
            terms=data["terms"],
        ),
        actor=rep,
    ).number
    set_quote_status(sessions, sent, QuoteStatus.SENT, actor=rep)
    accepted = create_quote(
        sessions,
        QuoteRequest(first, [parse_line("PH-200:25:8"), parse_line("SVC-ON:1")]),
        actor=rep,
    ).number
    set_quote_status(sessions, accepted, QuoteStatus.SENT, actor=rep)
    set_quote_status(sessions, accepted, QuoteStatus.ACCEPTED, actor=rep)
    order = order_from_quote(sessions, accepted, actor=rep).number
    move_order(sessions, order, "submit", actor=rep)
    create_quote(sessions, QuoteRequest(data["accounts"][2], [parse_line("HS-100:5")]), actor=rep)
    return sent, order


def shot(widget: QWidget, name: str) -> None:
    OUT.mkdir(parents=True, exist_ok=True)
    path = OUT / f"{name}.png"
    widget.grab().save(str(path))
    print(path)


def shoot(app: QApplication, executor: ThreadPoolExecutor, lang: str) -> None:
    work = Path(tempfile.mkdtemp(prefix=f"agentdesk-sales-{lang}-"))
    engine = create_db_engine(sqlite_url(work / "sales.db"))
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    sent, order = seed(sessions, lang, work)
    translators = install_translators(app, "zh_CN") if lang == "zh" else []
    suffix = "-zh" if lang == "zh" else ""
    manager = DATA[lang]["people"][0][0]
    service = SalesService(sessions, manager)
    window = SalesWindow(service, executor)
    window.resize(1360, 820)
    window.show()
    window.start()
    pump(lambda: window.pending == 0)
    shot(window, f"sales-pipeline{suffix}")
    window.pipeline.views.setCurrentIndex(1)
    pump()
    shot(window, f"sales-list{suffix}")
    admin = DATA[lang]["people"][3][0]
    stages = AdminDialog(AdminService(sessions, admin, passwords=False), executor)
    stages.resize(1100, 640)
    stages.show()
    pump(lambda: not stages.busy and stages.snapshot is not None)
    stages.tabs.setCurrentWidget(stages.stagesTab)
    stages.stagesTab.select(TRIAL)
    pump()
    shot(stages, f"sales-stages{suffix}")
    stages.close()
    window.tabs.setCurrentWidget(window.quotes)
    pump()
    shot(window, f"sales-quotes{suffix}")
    window.tabs.setCurrentWidget(window.orders)
    pump()
    shot(window, f"sales-orders{suffix}")
    window.tabs.setCurrentWidget(window.forecast)
    window.forecast.byCombo.setCurrentIndex(window.forecast.byCombo.findData("category"))
    window.forecast.reload()
    pump(lambda: window.pending == 0)
    shot(window, f"sales-forecast-category{suffix}")
    window.forecast.byCombo.setCurrentIndex(window.forecast.byCombo.findData("month"))
    window.forecast.reload()
    pump(lambda: window.pending == 0)
    shot(window, f"sales-forecast{suffix}")
    editor = QuoteEditor(service, executor, language="zh_CN" if lang == "zh" else "en")
    editor.show()
    editor.start(sent)
    pump(lambda: editor.pending == 0 and editor.totals is not None)
    shot(editor, f"sales-quote{suffix}")
    dialog = OrderDialog(service, executor)
    dialog.show()
    dialog.start(order)
    pump(lambda: dialog.pending == 0 and dialog.current is not None)
    shot(dialog, f"sales-order{suffix}")
    move_order(sessions, order, "approve", actor=manager)  # then as its rep sees it
    rep = DATA[lang]["people"][1][0]
    locked = OrderDialog(SalesService(sessions, rep), executor)
    locked.show()
    locked.start(order)
    pump(lambda: locked.pending == 0 and locked.current is not None)
    shot(locked, f"sales-order-locked{suffix}")
    locked.close()
    with sessions() as session:
        first = DATA[lang]["accounts"][0]
        account = session.scalars(select(Account.id).where(Account.name == first)).one()
    box = PartySalesBox(service, executor)
    box.resize(640, 330)
    box.show()
    box.load(PartyRef(OwnerKind.ACCOUNT, account))
    pump(lambda: box.pending == 0 and box.sales is not None)
    shot(box, f"sales-party{suffix}")
    with sessions() as session:  # a deal priced from lines, moved once: its history
        deal = DATA[lang]["deals"][1]
        named = select(Opportunity.id).where(Opportunity.name == deal)
        opp = session.scalars(named.order_by(Opportunity.close_date).limit(1)).one()
    update_opportunity(sessions, opp, stage=S.PROPOSAL, actor=manager)
    opportunity = OpportunityEditor(service, executor)
    opportunity.show()
    opportunity.start(opp)
    pump(lambda: opportunity.pending == 0 and opportunity.detail is not None)
    shot(opportunity, f"sales-opportunity{suffix}")
    fresh = QuoteEditor(service, executor)  # a new quote from the Sales window
    fresh.show()
    fresh.start()
    pump(lambda: fresh.pending == 0)
    fresh.accountEdit.setText(first)
    fresh.contactPicker.search("")
    pump(lambda: fresh.pending == 0 and fresh.contactPicker.results.isVisible())
    shot(fresh, f"sales-quote-contact{suffix}")
    for widget in (editor, dialog, window, box, opportunity, fresh):
        widget.close()
        widget.deleteLater()
    pump(seconds=0.2)
    remove_translators(app, translators)
    engine.dispose()


def main() -> int:
    app = QApplication(sys.argv[:1])
    app.setApplicationName("AgentDesk")
    executor = ThreadPoolExecutor(max_workers=2, thread_name_prefix="db")
    for lang in ("en", "zh"):
        shoot(app, executor, lang)
    executor.shutdown(wait=True)
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
