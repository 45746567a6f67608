"""File > Administration > Sales stages on both engines: the admin adds a stage after the
selected one, moves it, renames it in both languages, sets its probability, retires it and
brings it back; the last won stage cannot be retired (the refusal shows); a rep is refused the
screen; the tab in Chinese. What changed is read back through the service, not the screen."""

from __future__ import annotations

from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from datetime import date
from decimal import Decimal
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.admin import AdminService
from agentdesk.app.sales import SalesService
from agentdesk.crm.models import Opportunity
from agentdesk.domain.enums import OpportunityStage as S
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_user
from agentdesk.sales.opportunities import create_opportunity
from agentdesk.sales.opportunity_edit import editor_stages
from agentdesk.sales.stages import Stage, add_stage, change_stage, list_stages
from agentdesk.ui.admin.dialog import AdminDialog
from agentdesk.ui.sales.board import ID_ROLE
from agentdesk.ui.sales.pipeline import PipelineView
from agentdesk.ui.shell.i18n import install_translators, remove_translators
from agentdesk.ui.shell.labels import remember_stages, stage_label, stage_text
from tests.ui.sales_support import MANAGER, executor, sales_org

BOSS, REP = "boss", "stage.rep"


@pytest.fixture
def staff(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    add_user(sessions, BOSS, name="Boss", role="admin")
    add_user(sessions, REP, name="Rep", role="sales_rep")
    return sessions


@pytest.fixture
def pool() -> Iterator[ThreadPoolExecutor]:
    workers = executor()
    yield workers
    workers.shutdown(wait=True)


def dialog_for(
    qtbot: QtBot, sessions: sessionmaker[Session], pool: ThreadPoolExecutor, who: str
) -> AdminDialog:
    dialog = AdminDialog(AdminService(sessions, who, passwords=False), pool)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(qtbot, dialog)
    return dialog


def settle(qtbot: QtBot, dialog: AdminDialog) -> None:
    qtbot.waitUntil(lambda: not dialog.busy, timeout=10_000)


def stored(sessions: sessionmaker[Session]) -> dict[str, Stage]:
    return {stage.code: stage for stage in list_stages(sessions)}


def shown_codes(dialog: AdminDialog) -> list[str]:
    table = dialog.stagesTab.table
    return [table.item(row, 1).text() for row in range(table.rowCount())]


def test_the_admin_works_the_stages_from_the_screen(
    qtbot: QtBot, staff: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    dialog = dialog_for(qtbot, staff, pool, BOSS)
    tab = dialog.stagesTab
    dialog.tabs.setCurrentWidget(tab)
    assert shown_codes(dialog) == [str(code) for code in S]
    assert tab.table.item(4, 5).text() == "won" and tab.table.item(0, 4).text() == "10 %"
    # a new stage after the selected one
    tab.select(S.QUALIFICATION)
    tab.codeEdit.setText("demo_given")
    tab.labelEdit.setText("Demo given")
    tab.labelZhEdit.setText("已演示")
    tab.probabilityBox.setValue(35)
    tab.addButton.click()
    settle(qtbot, dialog)
    assert tab.messageLabel.text() == "Stage demo_given added."
    demo = stored(staff)["demo_given"]
    assert (demo.order, demo.label, demo.label_zh, demo.probability) == (
        3,
        "Demo given",
        "已演示",
        35,
    )
    assert shown_codes(dialog)[2] == "demo_given"
    # moved up, renamed, a new probability
    tab.select("demo_given")
    tab.upButton.click()
    settle(qtbot, dialog)
    assert stored(staff)["demo_given"].order == 2 and shown_codes(dialog)[1] == "demo_given"
    assert tab.current() is not None and tab.current().code == "demo_given"  # kept selected
    tab.editLabel.setText("Demonstrated")
    tab.editProbability.setValue(40)
    tab.saveButton.click()
    settle(qtbot, dialog)
    demo = stored(staff)["demo_given"]
    assert (demo.label, demo.probability) == ("Demonstrated", 40)
    # retired, then back
    tab.retireButton.click()
    settle(qtbot, dialog)
    assert not stored(staff)["demo_given"].active and tab.retireButton.text() == "Bring back"
    tab.retireButton.click()
    settle(qtbot, dialog)
    assert stored(staff)["demo_given"].active
    # the only won stage stays: the refusal shows and nothing changes
    tab.select(S.CLOSED_WON)
    assert not tab.editProbability.isEnabled()  # won is always 100 %
    tab.retireButton.click()
    settle(qtbot, dialog)
    assert tab.messageLabel.text() == "at least one active won stage must remain"
    assert stored(staff)[S.CLOSED_WON].active
    # an unused stage can be removed
    tab.select("demo_given")
    tab.removeButton.click()
    settle(qtbot, dialog)
    assert "demo_given" not in stored(staff) and "demo_given" not in shown_codes(dialog)


def test_a_rep_is_refused_the_screen(
    qtbot: QtBot, staff: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    dialog = dialog_for(qtbot, staff, pool, REP)
    assert dialog.refusalLabel.isVisible() and not dialog.tabs.isVisible()
    assert dialog.stagesTab.table.rowCount() == 0
    # and the service refuses a change made without the screen
    with pytest.raises(AccessDeniedError):
        AdminService(staff, REP, passwords=False).remove_stage(S.PROPOSAL)


def test_the_stages_tab_in_chinese(
    qtbot: QtBot, qapp: QApplication, staff: sessionmaker[Session], pool: ThreadPoolExecutor
) -> None:
    translators = install_translators(qapp, "zh_CN")
    try:
        dialog = dialog_for(qtbot, staff, pool, BOSS)
        tab = dialog.stagesTab
        index = dialog.tabs.indexOf(tab)
        assert dialog.tabs.tabText(index) == "销售阶段"
        assert tab.addButton.text() == "添加阶段"
        assert tab.table.horizontalHeaderItem(4).text() == "概率"
        assert tab.table.item(4, 5).text() == "赢单"
    finally:
        remove_translators(qapp, translators)


def test_the_board_shows_the_admins_stages(
    qtbot: QtBot, staff: sessionmaker[Session], pool: ThreadPoolExecutor, tmp_path: Path
) -> None:
    """A stage the admin added is a column in its place with its label; a retired stage stays
    a column while it holds cards, marked, and a card dropped there goes back with the
    refusal."""
    sales_org(staff, tmp_path)
    add_stage(staff, "trial", label="Trial running", label_zh="试用中", probability=35,
              after=S.QUALIFICATION)  # fmt: skip
    create_opportunity(staff, account="Acme", name="On trial", amount=Decimal(9),
                       stage="trial", close=date(2026, 9, 1), actor=MANAGER)  # fmt: skip
    change_stage(staff, "trial", active=False)
    view = PipelineView(SalesService(staff, MANAGER), pool)
    qtbot.addWidget(view)
    view.resize(1500, 700)
    view.show()
    view.start()
    wait_pipeline(qtbot, view)
    codes = [column.stage for column in view.stages]
    assert codes.index("trial") == codes.index(S.QUALIFICATION) + 1
    trial = view.columns["trial"]
    assert trial.header.text() == "Trial running · 35 % · 1 · retired"
    assert "Trial running" in [view.stageCombo.itemText(i) for i in range(view.stageCombo.count())]
    source = view.columns[S.PROSPECTING].list
    assert source.count() >= 1
    moved = source.item(0).data(ID_ROLE)
    view.promote(moved, "trial")
    wait_pipeline(qtbot, view)
    assert "retired" in view.message.text()
    assert moved in source.ids() and moved not in trial.list.ids()
    with staff() as s:
        assert s.get(Opportunity, moved).stage == S.PROSPECTING  # type: ignore[union-attr]


def wait_pipeline(qtbot: QtBot, view: PipelineView) -> None:
    qtbot.waitUntil(lambda: view.pending == 0, timeout=10_000)


def test_a_stage_is_worded_with_the_admins_label_in_the_ui_language(qapp: QApplication) -> None:
    remember_stages([("trial", "Trial running", "试用中"), ("won_paid", "Won and paid", "")])
    try:
        assert stage_text("trial", Decimal("1200.00"), "CNY") == "Trial running · 1,200.00 CNY"
        assert stage_label("proposal") == "proposal"  # not read: the seeded code's word
        assert stage_label("gone") == "gone"  # a code no stage has: as it is
        translators = install_translators(qapp, "zh_CN")
        try:
            assert stage_label("trial") == "试用中"
            assert stage_label("won_paid") == "Won and paid"  # no Chinese label given
            assert stage_label("proposal") == "方案报价"
        finally:
            remove_translators(qapp, translators)
    finally:
        remember_stages([])


def test_the_opportunity_editor_offers_the_admins_stages(staff: sessionmaker[Session]) -> None:
    add_stage(staff, "trial", label="Trial running", probability=35, after=S.QUALIFICATION)
    add_stage(staff, "won_paid", label="Won, paid", probability=0, won=True)
    choices = {c.stage: c for c in editor_stages(staff)}
    assert list(choices)[:3] == [S.PROSPECTING, S.QUALIFICATION, "trial"]
    assert (choices["trial"].probability, choices["trial"].fixed) == (35, False)
    assert (choices["won_paid"].probability, choices["won_paid"].fixed) == (100, True)
