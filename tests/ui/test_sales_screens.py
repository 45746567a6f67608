"""The sales screens on both engines, driven like a user: a card dragged to another column is
promoted and its stage change recorded, a refused move snaps back with the reason; the quote
editor's totals are the service's; an approved order is locked for the rep and not for the
sales manager; the forecast shows the service's figures; the party's sales box."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtGui import QDropEvent
from PySide6.QtWidgets import QAbstractItemView, QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.sales import SalesService
from agentdesk.crm.models import Account, Opportunity
from agentdesk.crm.party_details import PartyRef
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory
from agentdesk.domain.enums import OpportunityStage, OwnerKind
from agentdesk.org.roles import set_permission
from agentdesk.sales.documents import parse_line
from agentdesk.sales.forecast import forecast
from agentdesk.sales.models import StageChange
from agentdesk.sales.opportunities import create_opportunity, set_stage_probability
from agentdesk.sales.order_flow import move_order
from agentdesk.sales.orders import order_from_quote, show_order
from agentdesk.sales.pipeline import PAGE_SIZE
from agentdesk.sales.quotes import QuoteRequest, create_quote, set_quote_status, show_quote
from agentdesk.sales.stages import change_stage
from agentdesk.sales.status import OrderStatus, QuoteStatus
from agentdesk.ui.sales.board import StageList
from agentdesk.ui.sales.common import to_qdate
from agentdesk.ui.sales.forecast_view import ForecastView
from agentdesk.ui.sales.order_dialog import OrderDialog
from agentdesk.ui.sales.party_sales import PartySalesBox
from agentdesk.ui.sales.pipeline import PipelineView
from agentdesk.ui.sales.quote_editor import QuoteEditor
from agentdesk.ui.sales.quote_lines import DISCOUNT, QUANTITY
from agentdesk.ui.sales.window import SalesWindow
from agentdesk.ui.shell.i18n import install_translators, remove_translators
from tests.support.logins import give_logins, login_engine
from tests.ui.sales_support import AGENT, MANAGER, REP, executor, sales_org, settle

PROSPECTING, PROPOSAL = OpportunityStage.PROSPECTING, OpportunityStage.PROPOSAL


@pytest.fixture
def org(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    sales_org(sessions, tmp_path)
    return sessions


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    workers = executor()
    yield workers
    workers.shutdown(wait=True)


def pipeline(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor, who: str
) -> PipelineView:
    view = PipelineView(SalesService(org, who), pool)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    view.start()
    settle(qtbot, view)
    return view


def drag(source: StageList, target: StageList, row: int = 0) -> None:
    """Drop the card at ``row`` of ``source`` on ``target`` as Qt delivers a drop."""
    item = source.item(row)
    assert item is not None
    data = source.mimeData([item])
    event = QDropEvent(
        target.viewport().rect().center().toPointF(),
        Qt.DropAction.MoveAction | Qt.DropAction.CopyAction,
        data,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    target.dropEvent(event)
    assert event.isAccepted() and event.dropAction() == Qt.DropAction.CopyAction


def names(column: StageList) -> list[str]:
    return [column.item(r).text().splitlines()[0] for r in range(column.count())]


def test_dragging_a_card_promotes_it_and_records_the_change(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    view = pipeline(qtbot, org, pool, REP)
    stages = [column.stage for column in view.stages]
    assert stages == list(OpportunityStage)  # no admin order: the enum's
    source, target = view.columns[PROSPECTING].list, view.columns[PROPOSAL].list
    assert names(source) == ["Acme phones"] and names(target) == ["Acme support"]
    assert view.table.rowCount() == 3
    drag(source, target)
    settle(qtbot, view)
    assert names(source) == [] and "Acme phones" in names(target)
    assert names(target)[0] == "Acme phones" and "50 %" in target.item(0).text()
    assert view.columns[PROSPECTING].header.text().endswith(" 0")
    assert view.columns[PROPOSAL].header.text().endswith(" 2")
    stages = {view.table.item(r, 0).text(): view.table.item(r, 5).text() for r in range(3)}
    assert stages["Acme phones"] == "proposal"  # the list read again
    with org() as s:
        row = s.scalars(select(Opportunity).where(Opportunity.name == "Acme phones")).one()
        assert row.stage == PROPOSAL
        change = s.scalars(
            select(StageChange).where(
                StageChange.opportunity_id == row.id, StageChange.from_stage.is_not(None)
            )
        ).one()
        assert (change.from_stage, change.to_stage) == (PROSPECTING, PROPOSAL)
        assert change.changed_by_id is not None


def test_a_refused_promotion_snaps_back_with_the_reason(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    # an agent reads every opportunity but changes only its own: the rep's card is refused
    view = pipeline(qtbot, org, pool, AGENT)
    source, target = view.columns[PROSPECTING].list, view.columns[PROPOSAL].list
    assert names(source) == ["Acme phones"]
    card = source.item(0)
    assert card is not None and not card.flags() & Qt.ItemFlag.ItemIsDragEnabled  # read-only
    mine = pipeline(qtbot, org, pool, REP).columns[PROSPECTING].list.item(0)
    assert mine is not None and mine.flags() & Qt.ItemFlag.ItemIsDragEnabled
    drag(source, target)  # as a board read before the role changed would
    assert "Acme phones" in names(target)  # moved at once...
    settle(qtbot, view)
    assert names(source) == ["Acme phones"] and names(target) == ["Acme support"]  # ...and back
    assert view.message.text() == "Your role does not allow you to update these opportunities."
    with org() as s:
        row = s.scalars(select(Opportunity).where(Opportunity.name == "Acme phones")).one()
        assert row.stage == PROSPECTING


def test_the_list_view_sorts_and_filters_in_the_database(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    view = pipeline(qtbot, org, pool, REP)
    view.views.setCurrentIndex(1)
    view.table.horizontalHeader().sectionClicked.emit(2)  # amount, ascending
    settle(qtbot, view)
    amounts = [view.table.item(r, 2).text() for r in range(view.table.rowCount())]
    assert amounts == ["800.00 CNY", "3,400.50 CNY", "12,000.00 CNY"]
    view.table.horizontalHeader().sectionClicked.emit(2)  # again: descending
    settle(qtbot, view)
    assert view.table.item(0, 0).text() == "Acme phones"
    view.stageCombo.setCurrentIndex(view.stageCombo.findData(PROPOSAL))
    view.reload()
    settle(qtbot, view)
    assert [view.table.item(r, 0).text() for r in range(view.table.rowCount())] == ["Acme support"]
    assert view.columns[PROSPECTING].isHidden() and not view.columns[PROPOSAL].isHidden()


def test_the_quote_editors_totals_are_the_services(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    service = SalesService(org, REP)
    editor = QuoteEditor(service, pool, account="Acme")
    qtbot.addWidget(editor)
    editor.show()
    editor.start()
    settle(qtbot, editor)
    table = editor.lines
    table.item(0, QUANTITY).setText("3")
    table.item(0, DISCOUNT).setText("10")
    row = table.add_line("B", "1", "0")
    assert row == 1
    editor.preview()
    settle(qtbot, editor)
    assert editor.totals is not None
    shown = (editor.totals.net, editor.totals.tax, editor.totals.gross)
    assert editor.grossLabel.text().endswith(f"{editor.totals.gross:,} CNY")
    valid = date.today() + timedelta(days=30)
    editor.validEdit.setDate(to_qdate(valid))
    editor.termsEdit.setText("30 days net")
    editor.save()
    settle(qtbot, editor)
    assert editor.number is not None
    saved = show_quote(org, editor.number, actor=REP)
    assert (
        shown
        == (saved.net, saved.tax, saved.gross)
        == (
            Decimal("2770.00"),
            Decimal("185.10"),
            Decimal("2955.10"),
        )
    )
    assert [line.net for line in saved.lines] == [Decimal("270.00"), Decimal("2500.00")]
    assert saved.terms == "30 days net"
    assert SalesService(org, REP).quote_header(editor.number).valid_until == valid
    # sent, then edited: revision 2 of the same number, the sent one untouched
    editor.set_status(QuoteStatus.SENT)
    settle(qtbot, editor)
    assert editor.saveButton.isEnabled() and editor.acceptButton.isEnabled()
    table.item(1, QUANTITY).setText("2")
    editor.save()
    settle(qtbot, editor)
    assert editor.quote is not None and editor.quote.revision == 2
    assert show_quote(org, editor.number, revision=1, actor=REP).gross == Decimal("2955.10")
    assert editor.totals is not None and editor.totals.gross == editor.quote.gross


def test_the_quote_prints_to_pdf_through_the_audited_service(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor, tmp_path: Path
) -> None:
    number = create_quote(org, QuoteRequest("Acme", [parse_line("A:2")]), actor=REP).number
    editor = QuoteEditor(SalesService(org, REP), pool)
    qtbot.addWidget(editor)
    editor.start(number)
    settle(qtbot, editor)
    assert editor.pdfButton.isEnabled() and editor.accountEdit.isReadOnly()
    out = tmp_path / "q.pdf"
    editor.save_pdf(out)
    settle(qtbot, editor)
    assert out.read_bytes().startswith(b"%PDF")
    with org() as s:
        assert s.scalars(select(AuditEntry).where(AuditEntry.action == "print")).all()


def approved_order(org: sessionmaker[Session]) -> str:
    quote = create_quote(org, QuoteRequest("Acme", [parse_line("A:3:10")]), actor=REP).number
    set_quote_status(org, quote, QuoteStatus.SENT, actor=REP)
    set_quote_status(org, quote, QuoteStatus.ACCEPTED, actor=REP)
    number = order_from_quote(org, quote, actor=REP).number
    move_order(org, number, "submit", actor=REP)
    return number


def order_dialog(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor, who: str, number: str
) -> OrderDialog:
    dialog = OrderDialog(SalesService(org, who), pool)
    qtbot.addWidget(dialog)
    dialog.show()
    dialog.start(number)
    settle(qtbot, dialog)
    return dialog


def visible_moves(dialog: OrderDialog) -> list[str]:
    return [move for move, button in dialog.moveButtons.items() if button.isVisible()]


def test_an_approved_order_is_locked_for_the_rep_and_not_for_the_manager(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    number = approved_order(org)
    rep = order_dialog(qtbot, org, pool, REP, number)
    assert visible_moves(rep) == [] and not rep.saveButton.isEnabled()  # awaiting approval
    manager = order_dialog(qtbot, org, pool, MANAGER, number)
    assert visible_moves(manager) == ["approve", "reject", "cancel"]
    manager.make_move("approve")
    settle(qtbot, manager)
    assert show_order(org, number, actor=MANAGER).status == "approved"
    rep = order_dialog(qtbot, org, pool, REP, number)
    assert not rep.saveButton.isEnabled() and not rep.addButton.isEnabled()
    assert rep.lines.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert not rep.lines.product_combo(0).isEnabled()
    assert rep.lockLabel.isVisible() and "locked for you" in rep.lockLabel.text()
    manager = order_dialog(qtbot, org, pool, MANAGER, number)
    assert manager.saveButton.isEnabled() and visible_moves(manager) == ["fulfil", "cancel"]
    manager.lines.item(0, QUANTITY).setText("5")
    settle(qtbot, manager)  # priced live by the service before it is saved
    assert manager.totalsLabel.text().endswith("508.50 CNY")
    assert manager.lines.item(0, 6).text() == "450.00"
    manager.save()
    settle(qtbot, manager)
    edited = show_order(org, number, actor=MANAGER)
    assert (edited.status, edited.gross) == ("approved", Decimal("508.50"))
    assert manager.totalsLabel.text().endswith("508.50 CNY")


def test_the_forecast_view_shows_the_services_figures(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    view = ForecastView(SalesService(org, MANAGER), pool)
    qtbot.addWidget(view)
    today = date.today()
    start, end = today - timedelta(days=60), today + timedelta(days=60)
    view.fromEdit.setDate(view.fromEdit.date().fromString(start.isoformat(), "yyyy-MM-dd"))
    view.toEdit.setDate(view.toEdit.date().fromString(end.isoformat(), "yyyy-MM-dd"))
    for by in ("month", "rep", "category"):
        view.byCombo.setCurrentIndex(view.byCombo.findData(by))
        view.reload()
        settle(qtbot, view)
        expected = forecast(org, by=by, start=start, end=end, actor=MANAGER)
        rows = [*expected.rows, expected.totals]
        assert view.table.rowCount() == len(rows)
        for at, row in enumerate(rows):
            cells = [view.cell(at, col) for col in range(6)]
            figures = [str(row.count), f"{row.unweighted:,}", f"{row.weighted:,}"]
            figures += [f"{row.won:,}", f"{row.slipped:,}"]
            assert cells[1:] == figures
        assert view.cell(len(rows) - 1, 0) == "Total"
    assert view.cell(view.table.rowCount() - 1, 2) == "16,200.50"  # 12,000 + 3,400.50 + 800


def test_the_party_box_shows_and_creates_the_partys_sales(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    with org() as s:
        acme = s.scalars(select(Account.id).where(Account.name == "Acme")).one()
    create_quote(org, QuoteRequest("Acme", [parse_line("A:1")]), actor=REP)
    box = PartySalesBox(SalesService(org, REP), pool)
    qtbot.addWidget(box)
    box.load(PartyRef(OwnerKind.ACCOUNT, acme))
    settle(qtbot, box)
    counts = [box.tree.topLevelItem(i).childCount() for i in range(3)]
    assert counts == [3, 1, 0] and box.quoteButton.isEnabled()
    made = box.open_opportunity(None)  # the editor, prefilled with the party's account
    assert made is not None
    settle(qtbot, made)
    assert made.accountPicker.searchEdit.text() == "Acme"
    made.nameEdit.setText("Acme renewal")
    made.amountEdit.setText("5000")
    made.stageCombo.setCurrentIndex(made.stageCombo.findData(OpportunityStage.NEGOTIATION))
    made.save()
    settle(qtbot, made, box)
    assert made.detail is not None and made.detail.amount == 5000
    assert box.tree.topLevelItem(0).childCount() == 4
    editor = box.open_quote(None)
    assert editor is not None
    settle(qtbot, editor)
    assert editor.accountEdit.text() == "Acme" and editor.accountEdit.isReadOnly()
    editor.save()
    settle(qtbot, editor)
    assert editor.number is not None and editor.quote is not None
    assert editor.quote.account == "Acme"


def test_the_pipeline_reads_a_page_not_everything(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    close = date.today() + timedelta(days=5)
    for n in range(PAGE_SIZE + 2):
        create_opportunity(
            org,
            account="Acme",
            name=f"Deal {n:02}",
            amount=Decimal(100 + n),
            stage=PROSPECTING,
            close=close + timedelta(days=n),
            actor=REP,
        )
    view = pipeline(qtbot, org, pool, REP)
    column = view.columns[PROSPECTING]
    assert column.list.count() == PAGE_SIZE and column.header.text().endswith(f"{PAGE_SIZE}+")
    assert view.table.rowCount() == PAGE_SIZE and view.moreButton.isEnabled()
    view.load_more()
    settle(qtbot, view)
    assert view.table.rowCount() == PAGE_SIZE + 5 and not view.moreButton.isEnabled()
    assert view.table.item(PAGE_SIZE + 4, 0).text() == f"Deal {PAGE_SIZE + 1:02}"


def test_a_quote_the_role_may_only_read_opens_read_only(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    number = create_quote(org, QuoteRequest("Acme", [parse_line("A:2")]), actor=REP).number
    set_permission(org, "sales_manager", "quotes", "update", "own")  # reads the team's only
    editor = QuoteEditor(SalesService(org, MANAGER), pool)
    qtbot.addWidget(editor)
    editor.start(number)
    settle(qtbot, editor)
    assert editor.quote is not None and not editor.changeable
    assert not editor.saveButton.isEnabled() and not editor.sendButton.isEnabled()
    assert editor.lines.editTriggers() == QAbstractItemView.EditTrigger.NoEditTriggers
    assert editor.pdfButton.isEnabled()  # printing needs reading only
    mine = QuoteEditor(SalesService(org, REP), pool)
    qtbot.addWidget(mine)
    mine.start(number)
    settle(qtbot, mine)
    assert mine.changeable and mine.saveButton.isEnabled() and mine.sendButton.isEnabled()


def test_an_accepted_quote_becomes_an_order_and_an_order_is_entered_directly(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    number = create_quote(org, QuoteRequest("Acme", [parse_line("B:2")]), actor=REP).number
    set_quote_status(org, number, QuoteStatus.SENT, actor=REP)
    set_quote_status(org, number, QuoteStatus.ACCEPTED, actor=REP)
    editor = QuoteEditor(SalesService(org, REP), pool)
    qtbot.addWidget(editor)
    editor.show()
    editor.start(number)
    settle(qtbot, editor)
    assert editor.orderButton.isVisible() and not editor.saveButton.isEnabled()
    editor.orderButton.click()
    settle(qtbot, editor)
    dialog = editor.orders[0]
    assert isinstance(dialog, OrderDialog)
    settle(qtbot, dialog)
    assert dialog.current is not None and dialog.current.order.status == "draft"
    assert dialog.current.order.gross == Decimal("5300.00")  # 2 x 2,500 + 6 %
    assert [m for m, b in dialog.moveButtons.items() if b.isVisible()] == ["submit", "cancel"]
    direct = OrderDialog(SalesService(org, REP), pool)
    qtbot.addWidget(direct)
    direct.show()
    direct.start(account="Acme")
    settle(qtbot, direct)
    assert direct.newBox.isVisible() and direct.lines.rowCount() == 1
    delivery = date.today() + timedelta(days=14)
    direct.deliveryEdit.setDate(to_qdate(delivery))
    direct.paymentEdit.setText("prepaid")
    direct.save()
    settle(qtbot, direct)
    assert direct.current is not None and not direct.newBox.isVisible()
    saved = show_order(org, direct.current.order.number, actor=REP)
    assert (saved.delivery_date, saved.terms, saved.gross) == (
        delivery,
        "prepaid",
        Decimal("113.00"),
    )


def test_the_columns_follow_the_admins_stage_order_and_probabilities(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    set_stage_probability(org, PROPOSAL, 40)
    # the admin's order: qualification before prospecting
    change_stage(org, OpportunityStage.QUALIFICATION, order=1, probability=25)
    view = pipeline(qtbot, org, pool, REP)
    assert [c.stage for c in view.stages][:2] == [OpportunityStage.QUALIFICATION, PROSPECTING]
    assert view.columns[PROPOSAL].header.text() == "proposal · 40 % · 1"
    assert "40 %" in view.columns[PROPOSAL].list.item(0).text()
    assert view.columns[OpportunityStage.QUALIFICATION].header.text() == "qualification · 25 % · 1"


def test_the_screens_on_each_users_own_postgresql_login(
    qtbot: QtBot,
    pg_engine: Engine,
    pg_database_url: str,
    tmp_path: Path,
    pool: ThreadPoolExecutor,
) -> None:
    """Row-level security decides what each login reads: the agent's board shows the rep's
    card read-only and its move is refused; the rep moves it; the manager sees the
    order as the approver and the rep as locked."""
    owner = session_factory(pg_engine)
    sales_org(owner, tmp_path)
    number = approved_order(owner)
    give_logins(owner, [REP, AGENT, MANAGER])
    engines = {name: login_engine(pg_database_url, name) for name in (REP, AGENT, MANAGER)}
    try:
        agent = pipeline(qtbot, session_factory(engines[AGENT]), pool, AGENT)
        card = agent.columns[PROSPECTING].list.item(0)
        assert card is not None and not card.flags() & Qt.ItemFlag.ItemIsDragEnabled
        drag(agent.columns[PROSPECTING].list, agent.columns[PROPOSAL].list)
        settle(qtbot, agent)
        assert names(agent.columns[PROSPECTING].list) == ["Acme phones"]
        assert agent.message.text() == "Your role does not allow you to update these opportunities."
        rep = pipeline(qtbot, session_factory(engines[REP]), pool, REP)
        drag(rep.columns[PROSPECTING].list, rep.columns[PROPOSAL].list)
        settle(qtbot, rep)
        assert "Acme phones" in names(rep.columns[PROPOSAL].list)
        with owner() as s:
            stage = s.scalars(select(Opportunity.stage).where(Opportunity.name == "Acme phones"))
            assert stage.one() == PROPOSAL
        locked = order_dialog(qtbot, session_factory(engines[REP]), pool, REP, number)
        assert locked.current is not None and not locked.saveButton.isEnabled()
        manager = order_dialog(qtbot, session_factory(engines[MANAGER]), pool, MANAGER, number)
        assert visible_moves(manager) == ["approve", "reject", "cancel"]
    finally:
        for engine in engines.values():
            engine.dispose()


def test_the_quotes_and_orders_lists(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    awaiting = approved_order(org)  # submitted, awaiting approval
    accepted = create_quote(org, QuoteRequest("Acme", [parse_line("A:1")]), actor=REP).number
    set_quote_status(org, accepted, QuoteStatus.SENT, actor=REP)
    set_quote_status(org, accepted, QuoteStatus.ACCEPTED, actor=REP)
    window = SalesWindow(SalesService(org, MANAGER), pool)
    qtbot.addWidget(window)
    window.start()
    settle(qtbot, window)
    quotes, orders = window.quotes, window.orders
    assert [quotes.table.item(r, 0).text() for r in range(quotes.table.rowCount())] == [
        accepted,
        awaiting.replace("SO", "QT"),
    ]
    assert quotes.table.item(0, 3).text() == "accepted"
    orders.statusCombo.setCurrentIndex(orders.statusCombo.findData(OrderStatus.SUBMITTED))
    settle(qtbot, window)
    assert [orders.table.item(r, 2).text() for r in range(orders.table.rowCount())] == [
        "awaiting approval"
    ]
    quotes.table.selectRow(0)
    quotes.order_selected()  # the accepted quote becomes a draft order
    settle(qtbot, window)
    orders.statusCombo.setCurrentIndex(orders.statusCombo.findData(OrderStatus.DRAFT))
    settle(qtbot, window)
    assert orders.table.rowCount() == 1 and orders.table.item(0, 3).text() == "113.00 CNY"


def test_a_quote_prints_in_the_uis_language(
    qtbot: QtBot,
    qapp: QApplication,
    org: sessionmaker[Session],
    pool: ThreadPoolExecutor,
    tmp_path: Path,
) -> None:
    number = create_quote(org, QuoteRequest("Acme", [parse_line("A:2")]), actor=REP).number
    translators = install_translators(qapp, "zh_CN")
    try:
        editor = QuoteEditor(SalesService(org, REP), pool)
        qtbot.addWidget(editor)
        editor.start(number)
        settle(qtbot, editor)
        assert editor.language == "zh_CN" and editor.sendButton.text() == "标记为已发送"
        editor.save_pdf(tmp_path / "zh.pdf")
        settle(qtbot, editor)
    finally:
        remove_translators(qapp, translators)
    assert QuoteEditor(SalesService(org, REP), pool).language == "en"
    with org() as s:
        printed = s.scalars(select(AuditEntry).where(AuditEntry.action == "print")).one()
        assert printed.details["lang"] == "zh_CN"
