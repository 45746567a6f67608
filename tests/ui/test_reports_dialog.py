"""View > Reports: the dialog previews a report (its table and the PDF's first page) and
saves it, the work off the GUI thread, on both engines; the menu shows it to supervisors."""

from __future__ import annotations

import asyncio
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path

from openpyxl import load_workbook
from PySide6.QtCore import QDate
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.reports import ReportsService
from agentdesk.config.settings import Settings
from agentdesk.supervision.report_request import ReportFormat, ReportKind
from agentdesk.ui.supervision.reports_dialog import ReportsDialog
from tests.support.report_data import book_calls, make_org, make_specs
from tests.ui.conftest import close_desk, open_desk

SETTINGS = Settings(raw={"supervision": {"timezone": "Asia/Shanghai"}})


def test_preview_then_save(qtbot: QtBot, sessions: sessionmaker[Session], tmp_path: Path) -> None:
    book_calls(sessions, make_org(sessions), make_specs(5))
    with ThreadPoolExecutor(max_workers=1) as executor:
        dialog = ReportsDialog(ReportsService(sessions, "sup", SETTINGS), executor)
        qtbot.addWidget(dialog)
        dialog.show()
        for edit in (dialog.fromEdit, dialog.toEdit):
            edit.setDate(QDate(2026, 12, 1))
        dialog.kindCombo.setCurrentIndex(dialog.kindCombo.findData(ReportKind.AGENTS.value))
        dialog.previewButton.click()
        qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.busy, timeout=30000)
        assert dialog.preview is not None
        agents = [dialog.table.item(r, 0).text() for r in range(dialog.table.rowCount())]
        assert agents == ["ava", "ben", "Total"]  # her department; the totals last
        assert dialog.page.pixmap() is not None and not dialog.page.pixmap().isNull()
        page = dialog.page.pixmap()
        assert page.width() >= 200 and 0.65 < page.height() / page.width() < 0.75  # A4 across
        out = tmp_path / "agents.xlsx"
        dialog.save_to(ReportFormat.XLSX, out)
        qtbot.waitUntil(lambda: dialog.saved is not None and not dialog.busy, timeout=30000)
        sheet = list(load_workbook(out)["agents"].iter_rows(values_only=True))
        assert [row[0] for row in sheet[1:]] == ["ava", "ben", "total"]
        dialog.teamEdit.setText("Nowhere")
        dialog.previewButton.click()
        qtbot.waitUntil(lambda: not dialog.busy and "Nowhere" in dialog.status.text())
        dialog.close()


def test_the_view_menu_offers_reports_to_supervisors(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    desk = open_desk(qtbot, qloop, tmp_path, role="supervisor")
    try:
        desk.wait(lambda: desk.window.supervision.allowed is not None)
        assert desk.window.reportsAction.isVisible()
        desk.window.reportsAction.trigger()
        dialog = desk.window.supervision.reportsDialog
        assert dialog is not None and dialog.isVisible()
        dialog.close()
    finally:
        close_desk(desk)
    agent = open_desk(qtbot, qloop, tmp_path / "agent")
    try:
        agent.wait(lambda: agent.window.supervision.allowed is not None)
        assert not agent.window.reportsAction.isVisible()
    finally:
        close_desk(agent)
