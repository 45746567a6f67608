"""The Reports dialog (issue 16): ``Team`` narrows a queue report to the queues the team's
agents serve, with hand counts on both engines; every report column has a title through
tr(), in English as the PDF words it and in Chinese from the catalogue."""

from __future__ import annotations

from concurrent.futures import ThreadPoolExecutor

from PySide6.QtCore import QDate
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.reports import ReportsService
from agentdesk.config.settings import Settings
from agentdesk.supervision.report_files import EXTRA_KEYS, TABLE_KEYS
from agentdesk.supervision.report_labels import EN, ZH
from agentdesk.supervision.report_request import ReportKind
from agentdesk.ui.shell.i18n import install_translators, remove_translators
from agentdesk.ui.supervision.report_columns import column_title
from agentdesk.ui.supervision.reports_dialog import ReportsDialog
from tests.support.report_data import CALLS, team_org

SETTINGS = Settings(raw={"supervision": {"timezone": "Asia/Shanghai"}})
KEYS = sorted({k for keys in (*TABLE_KEYS.values(), *EXTRA_KEYS.values()) for k in keys})


def _preview(qtbot: QtBot, dialog: ReportsDialog, kind: ReportKind, team: str) -> list[list[str]]:
    dialog.kindCombo.setCurrentIndex(dialog.kindCombo.findData(kind.value))
    dialog.teamEdit.setText(team)
    dialog.preview = None
    dialog.previewButton.click()
    qtbot.waitUntil(lambda: dialog.preview is not None and not dialog.busy, timeout=30000)
    table = dialog.table
    return [[table.item(r, c).text() for c in range(table.columnCount())]
            for r in range(table.rowCount())]  # fmt: skip


def test_the_team_filter_and_the_titles(qtbot: QtBot, sessions: sessionmaker[Session]) -> None:
    team_org(sessions)
    with ThreadPoolExecutor(max_workers=1) as executor:
        dialog = ReportsDialog(ReportsService(sessions, "sup", SETTINGS), executor)
        qtbot.addWidget(dialog)
        dialog.show()
        for edit in (dialog.fromEdit, dialog.toEdit):
            edit.setDate(QDate(2026, 12, 1))
        rows = _preview(qtbot, dialog, ReportKind.QUEUES, "Support East")
        titles = [dialog.table.horizontalHeaderItem(c).text() for c in range(3)]
        assert titles == ["Queue", "Interval", "Offered"]
        assert {r[0] for r in rows[:-1]} == {"support"}  # ava serves it; sales is Support's
        assert rows[-1][0] == "Total" and rows[-1][2] == str(sum(CALLS["support"]))
        rows = _preview(qtbot, dialog, ReportKind.HOURLY, "Other")  # billing and support
        assert rows[-1][1] == str(sum(CALLS["billing"]) + sum(CALLS["support"]))
        assert dialog.preview is not None
        assert dialog.preview.report["filters"]["team_queues"] == "billing, support"
        dialog.close()


def test_every_column_has_a_title_in_both_languages(qapp: QApplication) -> None:
    for key in KEYS:
        assert column_title(key) == EN[f"col.{key}"], key
    translators = install_translators(qapp, "zh_CN")
    try:
        for key in KEYS:
            assert column_title(key) == ZH[f"col.{key}"], key
    finally:
        remove_translators(qapp, translators)
