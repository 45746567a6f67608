"""The opportunity editor on both engines, driven like a user: opened by a double-click on the
board, the list and the desk's sales box; product lines give the amount; the probability
follows the stage until overridden; a save adds to the stage history; a save over someone
else's is refused and shown; a role that may not change it sees it read-only with the reason;
and the same on each user's own PostgreSQL login."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, Qt
from PySide6.QtWidgets import QAbstractItemView
from pytestqt.qtbot import QtBot
from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.sales import SalesService
from agentdesk.crm.models import Account, Contact, Opportunity
from agentdesk.crm.party_details import PartyRef
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.domain.enums import OpportunityStage, OwnerKind
from agentdesk.org.users import find_user
from agentdesk.sales.opportunity_edit import OpportunityForm, opportunity_detail, save_opportunity
from agentdesk.ui.sales.opportunity_editor import OpportunityEditor
from agentdesk.ui.sales.party_sales import PartySalesBox
from agentdesk.ui.sales.pickers import PartyPicker
from agentdesk.ui.sales.pipeline import PipelineView
from agentdesk.ui.sales.quote_lines import DISCOUNT, NET, UNIT_PRICE
from tests.support.logins import give_logins, login_engine
from tests.ui.sales_support import AGENT, MANAGER, REP, executor, sales_org, settle

STAGE = OpportunityStage
READ_ONLY = "Your role does not allow you to update these opportunities."


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    workers = executor()
    yield workers
    workers.shutdown(wait=True)


def org_with_people(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    sales_org(sessions, tmp_path)
    with unit_of_work(sessions) as s:
        acme = s.scalars(select(Account).where(Account.name == "Acme")).one()
        rep = find_user(s, REP).id
        s.add(Contact(first_name="小明", last_name="王", account_id=acme.id, owner_id=rep))
        s.add(Contact(first_name="Ada", last_name="Lovelace", account_id=acme.id, owner_id=rep))
    return sessions


@pytest.fixture
def org(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    return org_with_people(sessions, tmp_path)


def pipeline(qtbot: QtBot, sessions: sessionmaker[Session], pool: ThreadPoolExecutor, who: str
             ) -> PipelineView:  # fmt: skip
    view = PipelineView(SalesService(sessions, who), pool)
    qtbot.addWidget(view)
    view.resize(1300, 700)
    view.show()
    view.start()
    settle(qtbot, view)
    return view


def double_click(qtbot: QtBot, view: QAbstractItemView, spot: QPoint) -> None:
    """A double-click on ``spot`` of ``view``: a press first, as a real mouse gives it."""
    qtbot.mouseClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)
    qtbot.mouseDClick(view.viewport(), Qt.MouseButton.LeftButton, pos=spot)


def from_board(qtbot: QtBot, view: PipelineView, stage: STAGE) -> OpportunityEditor:
    column = view.columns[stage].list
    double_click(qtbot, column, column.visualItemRect(column.item(0)).center())
    editor = view.editors[-1]
    qtbot.addWidget(editor)
    settle(qtbot, editor)
    return editor


def pick(qtbot: QtBot, picker: PartyPicker, text: str, editor: OpportunityEditor) -> list[str]:
    """Search ``text`` in the picker, pick the first match; return what it listed."""
    picker.search(text)
    settle(qtbot, editor)
    listed = [picker.results.item(r).text() for r in range(picker.results.count())]
    picker.results.itemClicked.emit(picker.results.item(0))
    return listed


def test_edit_an_opportunity_from_the_board_with_lines_and_history(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    view = pipeline(qtbot, org, pool, REP)
    editor = from_board(qtbot, view, STAGE.PROSPECTING)
    assert editor.nameEdit.text() == "Acme phones" and not editor.banner.isVisible()
    assert editor.accountPicker.searchEdit.text() == "Acme"
    owners = [editor.ownerCombo.itemData(i) for i in range(editor.ownerCombo.count())]
    assert editor.ownerCombo.currentData() == REP and None not in owners
    assert editor.probabilitySpin.value() == 10 and editor.probabilityNote.text() == "the stage's"
    assert editor.history.rowCount() == 1 and editor.history.item(0, 2).text() == "(created)"
    # stages as the pipeline reads them, in its order
    assert [editor.stageCombo.itemData(i) for i in range(editor.stageCombo.count())] == [
        c.stage for c in view.stages
    ]
    assert pick(qtbot, editor.contactPicker, "小明", editor) == ["王小明"]
    editor.lines.add_line("A", "3")
    editor.lines.add_line("B", "2")
    editor.lines.item(1, DISCOUNT).setText("10")
    settle(qtbot, editor)
    assert editor.amountEdit.text() == "4,800.00" and editor.amountEdit.isReadOnly()
    assert editor.lines.item(1, NET).text() == "4,500.00"
    assert editor.lines.item(0, UNIT_PRICE).text() == "100.00"  # the standard price
    editor.lines.item(0, UNIT_PRICE).setText("90")  # the rep's price for this deal
    settle(qtbot, editor)
    assert editor.lines.item(0, NET).text() == "270.00"
    assert editor.amountEdit.text() == "4,770.00"
    editor.stageCombo.setCurrentIndex(editor.stageCombo.findData(STAGE.PROPOSAL))
    assert editor.probabilitySpin.value() == 50  # follows the stage
    editor.probabilitySpin.setValue(35)
    assert editor.probabilityNote.text() == "override (the stage says 50 %)"
    assert editor.clearButton.isVisible()
    editor.nextEdit.setText("Send the quote on Monday")
    editor.save()
    settle(qtbot, editor, view)
    detail = editor.detail
    assert detail is not None and detail.amount == Decimal("4770.00")
    assert [line.unit_price for line in detail.lines] == [Decimal(90), Decimal(2500)]
    assert editor.lines.item(0, UNIT_PRICE).text() == "90.00"
    assert detail.contact == "王小明" and detail.probability_override == 35
    assert editor.history.rowCount() == 2
    moved = [editor.history.item(0, c).text() for c in (1, 2, 3)]
    assert moved == [REP, "prospecting", "proposal"]  # newest first: who, from, to
    assert editor.message.text() == "Opportunity Acme phones saved."
    assert any("Acme phones" in view.columns[STAGE.PROPOSAL].list.item(r).text()
               for r in range(view.columns[STAGE.PROPOSAL].list.count()))  # fmt: skip
    # the override cleared: the stage's again, saved as no override
    editor.clear_override()
    assert editor.probabilitySpin.value() == 50 and not editor.clearButton.isVisible()
    editor.stageCombo.setCurrentIndex(editor.stageCombo.findData(STAGE.CLOSED_WON))
    assert editor.probabilitySpin.value() == 100 and not editor.probabilitySpin.isEnabled()
    editor.save()
    settle(qtbot, editor)
    assert editor.detail is not None and editor.detail.probability == 100
    assert editor.detail.probability_override is None and editor.history.rowCount() == 3


def test_a_new_opportunity_and_the_list_view(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    view = pipeline(qtbot, org, pool, REP)
    editor = view.open_opportunity(None)
    qtbot.addWidget(editor)
    settle(qtbot, editor)
    assert editor.titleLabel.text() == "New opportunity"
    editor.save()
    assert editor.message.text() == "Choose the account."
    assert pick(qtbot, editor.accountPicker, "acm", editor) == ["Acme"]
    editor.nameEdit.setText("Acme cabling")
    editor.amountEdit.setText("1,250.5")
    editor.save()
    settle(qtbot, editor, view)
    assert editor.detail is not None and editor.detail.amount == Decimal("1250.50")
    assert editor.detail.owner == REP and editor.history.rowCount() == 1
    rows = [view.table.item(r, 0).text() for r in range(view.table.rowCount())]
    assert "Acme cabling" in rows
    item = view.table.item(rows.index("Acme headsets"), 1)
    view.views.setCurrentIndex(1)  # the list view opens the same editor
    double_click(qtbot, view.table, view.table.visualItemRect(item).center())
    listed = view.editors[-1]
    qtbot.addWidget(listed)
    settle(qtbot, listed)
    assert listed.nameEdit.text() == "Acme headsets" and listed.amountEdit.text() == "3,400.50"


def test_a_save_over_someone_elses_is_shown_and_nothing_lost(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    view = pipeline(qtbot, org, pool, REP)
    editor = from_board(qtbot, view, STAGE.PROPOSAL)
    assert editor.detail is not None
    theirs = opportunity_detail(org, editor.detail.id, actor=MANAGER)
    assert theirs.account_id is not None and theirs.close_date is not None
    form = OpportunityForm("Acme support (renewed)", theirs.account_id, theirs.stage,
                           theirs.close_date, amount=Decimal(900))  # fmt: skip
    save_opportunity(org, theirs.id, theirs.version, form, actor=MANAGER)
    editor.nameEdit.setText("Acme support, mine")
    editor.save()
    settle(qtbot, editor)
    assert editor.message.text().startswith("Someone else saved this opportunity")
    assert editor.reloadButton.isVisible() and editor.nameEdit.text() == "Acme support, mine"
    with org() as s:
        assert s.scalar(select(Opportunity.name).where(Opportunity.id == theirs.id)) == (
            "Acme support (renewed)"
        )
    editor.reloadButton.click()
    settle(qtbot, editor)
    assert editor.nameEdit.text() == "Acme support (renewed)"
    assert editor.amountEdit.text() == "900.00" and not editor.reloadButton.isVisible()


def test_read_only_for_a_role_that_may_not_change_it_and_from_the_desk(
    qtbot: QtBot, org: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    with org() as s:
        acme = s.scalars(select(Account.id).where(Account.name == "Acme")).one()
    box = PartySalesBox(SalesService(org, AGENT), pool)
    qtbot.addWidget(box)
    box.resize(640, 330)
    box.show()
    box.load(PartyRef(OwnerKind.ACCOUNT, acme))
    settle(qtbot, box)
    opportunities = box.tree.topLevelItem(0)
    double_click(qtbot, box.tree, box.tree.visualItemRect(opportunities.child(0)).center())
    editor = box.opened[-1]
    assert isinstance(editor, OpportunityEditor)
    qtbot.addWidget(editor)
    settle(qtbot, editor)
    assert editor.nameEdit.text() == opportunities.child(0).text(0).split(" · ")[0]
    assert editor.banner.isVisible() and editor.banner.text() == READ_ONLY
    assert not editor.saveButton.isEnabled() and editor.nameEdit.isReadOnly()
    assert not editor.stageCombo.isEnabled() and not editor.ownerCombo.isEnabled()


def test_the_editor_on_each_users_own_postgresql_login(
    qtbot: QtBot,
    pg_engine: Engine,
    pg_database_url: str,
    tmp_path: Path,
    pool: ThreadPoolExecutor,
) -> None:
    owner = org_with_people(session_factory(pg_engine), tmp_path)
    give_logins(owner, [REP, AGENT, MANAGER])
    engines = {name: login_engine(pg_database_url, name) for name in (REP, AGENT, MANAGER)}
    try:
        agent = from_board(qtbot, pipeline(qtbot, session_factory(engines[AGENT]), pool, AGENT),
                           STAGE.PROSPECTING)  # fmt: skip
        assert agent.banner.text() == READ_ONLY and not agent.saveButton.isEnabled()
        rep_view = pipeline(qtbot, session_factory(engines[REP]), pool, REP)
        rep = from_board(qtbot, rep_view, STAGE.PROSPECTING)
        assert not rep.ownerCombo.isEnabled()  # a rep does not give opportunities away
        assert pick(qtbot, rep.contactPicker, "王", rep) == ["王小明"]
        rep.stageCombo.setCurrentIndex(rep.stageCombo.findData(STAGE.NEGOTIATION))
        rep.save()
        settle(qtbot, rep, rep_view)
        assert rep.detail is not None and rep.detail.contact == "王小明"
        assert [rep.history.item(0, c).text() for c in (1, 3)] == [REP, "negotiation"]
        manager = from_board(
            qtbot, pipeline(qtbot, session_factory(engines[MANAGER]), pool, MANAGER),
            STAGE.NEGOTIATION,
        )  # fmt: skip
        assert manager.ownerCombo.isEnabled()
        manager.ownerCombo.setCurrentIndex(manager.ownerCombo.findData(MANAGER))
        manager.save()
        settle(qtbot, manager)
        assert manager.detail is not None and manager.detail.owner == MANAGER
        with owner() as s:
            row = s.scalars(select(Opportunity).where(Opportunity.name == "Acme phones")).one()
            assert row.stage == STAGE.NEGOTIATION and row.owner_id == find_user(s, MANAGER).id
    finally:
        for engine in engines.values():
            engine.dispose()
