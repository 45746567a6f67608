"""View > Reports: a report's kind, period and filters, a preview (the table, and the PDF's
first page as an image), and Save as PDF, CSV or XLSX. Every read, render and save runs off
the GUI thread (``ui/shell/background.py``); a save is audited by the service."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from datetime import date
from pathlib import Path
from typing import Any

from PySide6.QtCore import QDate, Qt
from PySide6.QtGui import QPixmap
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QDialog,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QScrollArea,
    QSplitter,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.reports import Preview, ReportsService
from agentdesk.domain.contact_metrics import ServiceLevelFormula
from agentdesk.supervision.report_labels import formula_words
from agentdesk.supervision.report_request import ReportFormat, ReportKind, ReportRequest
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background
from agentdesk.ui.shell.i18n import ui_language
from agentdesk.ui.supervision.report_columns import column_title


class ReportsDialog(QDialog):
    def __init__(
        self, service: ReportsService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("reportsDialog")
        self.setWindowTitle(self.tr("Reports"))
        self._service = service
        self._executor = executor
        self.language = ui_language()
        self.preview: Preview | None = None
        self.saved: dict[str, Any] | None = None
        self.busy = False
        self.kindCombo = QComboBox()
        kinds = {
            ReportKind.QUEUES: self.tr("Queues"),
            ReportKind.AGENTS: self.tr("Agents"),
            ReportKind.DISPOSITIONS: self.tr("Dispositions"),
            ReportKind.CAMPAIGNS: self.tr("Campaigns"),
            ReportKind.HOURLY: self.tr("Hourly"),
        }
        for kind, text in kinds.items():
            self.kindCombo.addItem(text, kind.value)
        today = QDate.currentDate()
        self.fromEdit = self._date_edit(QDate(today.year(), today.month(), 1))
        self.toEdit = self._date_edit(today)
        self.teamEdit, self.queueEdit, self.campaignEdit = QLineEdit(), QLineEdit(), QLineEdit()
        for edit in (self.teamEdit, self.queueEdit, self.campaignEdit):
            edit.setPlaceholderText(self.tr("all"))
        # Two compact rows of choices, so the preview gets the height.
        form = QGridLayout()
        form.addWidget(QLabel(self.tr("Report")), 0, 0)
        form.addWidget(self.kindCombo, 0, 1)
        form.addWidget(QLabel(self.tr("Period")), 0, 2)
        form.addWidget(self.fromEdit, 0, 3)
        form.addWidget(QLabel(self.tr("to")), 0, 4)
        form.addWidget(self.toEdit, 0, 5)
        for column, (text, edit) in enumerate(
            ((self.tr("Team"), self.teamEdit), (self.tr("Queue"), self.queueEdit),
             (self.tr("Campaign"), self.campaignEdit))
        ):  # fmt: skip
            form.addWidget(QLabel(text), 1, 2 * column)
            form.addWidget(edit, 1, 2 * column + 1)
        form.setColumnStretch(1, 1)
        form.setColumnStretch(3, 1)
        form.setColumnStretch(5, 1)
        self.previewButton = QPushButton(self.tr("Preview"))
        self.previewButton.clicked.connect(self.show_preview)
        self.saveButtons: dict[ReportFormat, QPushButton] = {}
        buttons = QHBoxLayout()
        buttons.addWidget(self.previewButton)
        buttons.addStretch(1)
        for fmt, text in (
            (ReportFormat.PDF, self.tr("Save as PDF…")),
            (ReportFormat.CSV, self.tr("Save as CSV…")),
            (ReportFormat.XLSX, self.tr("Save as XLSX…")),
        ):
            button = QPushButton(text)
            button.clicked.connect(lambda _=False, f=fmt: self.ask_save(f))
            buttons.addWidget(button)
            self.saveButtons[fmt] = button
        self.status = QLabel()
        self.status.setWordWrap(True)
        self.table = QTableWidget()
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setAlternatingRowColors(True)
        self.page = QLabel(self.tr("Preview a report to see its first page."))
        self.page.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.pageArea = scroll = QScrollArea()
        scroll.setWidget(self.page)
        scroll.setWidgetResizable(True)
        splitter = QSplitter()
        splitter.addWidget(self.table)
        splitter.addWidget(scroll)
        splitter.setSizes([560, 520])
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.status)
        layout.addWidget(splitter, 1)
        self.resize(1120, 720)

    def _date_edit(self, value: QDate) -> QDateEdit:
        edit = QDateEdit(value)
        edit.setCalendarPopup(True)
        edit.setDisplayFormat("yyyy-MM-dd")
        return edit

    # -- the request -----------------------------------------------------------------------

    def _request(self) -> Callable[[], ReportRequest]:
        """What to make, read from the widgets now; built (settings read) on the executor."""
        kind = ReportKind(self.kindCombo.currentData())
        first, last = (e.date().toPython() for e in (self.fromEdit, self.toEdit))
        assert isinstance(first, date) and isinstance(last, date)
        team, queue, campaign = (
            e.text().strip() or None for e in (self.teamEdit, self.queueEdit, self.campaignEdit)
        )
        return lambda: self._service.request(
            kind, first, last, team=team, queue=queue, campaign=campaign
        )

    def _start(self, text: str) -> None:
        self.busy = True
        self.status.setText(text)
        for button in (self.previewButton, *self.saveButtons.values()):
            button.setEnabled(False)

    def _done(self, text: str) -> None:
        self.busy = False
        self.status.setText(text)
        for button in (self.previewButton, *self.saveButtons.values()):
            button.setEnabled(True)

    def _failed(self, error: BaseException) -> None:
        self._done(
            self.tr("The report could not be made: %1").replace("%1", request_error_text(error))
        )

    # -- preview -----------------------------------------------------------------------------

    def show_preview(self) -> None:
        make = self._request()
        language = self.language
        self._start(self.tr("Making the report…"))
        run_in_background(
            self, self._executor, lambda: self._service.preview(make(), language),
            self._on_preview, self._failed,
        )  # fmt: skip

    def _on_preview(self, preview: Preview) -> None:
        self.preview = preview
        report = preview.report
        rows = [*report["rows"], {**report["totals"], preview.columns[0]: self.tr("Total")}]
        self.table.clear()
        self.table.setColumnCount(len(preview.columns))
        self.table.setRowCount(len(rows))
        self.table.setHorizontalHeaderLabels([column_title(k) for k in preview.columns])
        for r, row in enumerate(rows):
            for c, key in enumerate(preview.columns):
                value = row.get(key)
                item = QTableWidgetItem("-" if value is None else str(value))
                if isinstance(value, int | float):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(r, c, item)
        self.table.resizeColumnsToContents()
        if preview.page_png is not None:
            pixmap = QPixmap()
            pixmap.loadFromData(preview.page_png, "PNG")
            # the whole width of the page in the pane; scroll down for the rest
            width = max(200, self.pageArea.viewport().width() - 8)
            mode = Qt.TransformationMode.SmoothTransformation
            self.page.setPixmap(pixmap.scaledToWidth(width, mode))
        else:
            self.page.setText(self.tr("No page image: %1").replace("%1", preview.missing or ""))
        formula = formula_words(ServiceLevelFormula(report["service_level_formula"]), self.language)
        self._done(
            self.tr("%1 rows, %2 to %3 (%4). Service level = %5.")
            .replace("%1", str(len(report["rows"])))
            .replace("%2", report["from"])
            .replace("%3", report["to"])
            .replace("%4", report["time_zone"])
            .replace("%5", formula)
        )

    # -- save -------------------------------------------------------------------------------

    def ask_save(self, fmt: ReportFormat) -> None:
        kind = ReportKind(self.kindCombo.currentData())
        suggested = f"{kind.value}-{self.fromEdit.date().toString('yyyy-MM-dd')}.{fmt.value}"
        path, _ = QFileDialog.getSaveFileName(self, self.tr("Save the report"), suggested)
        if path:
            self.save_to(fmt, Path(path))

    def save_to(self, fmt: ReportFormat, path: Path) -> None:
        make = self._request()
        language = self.language
        self._start(self.tr("Saving…"))
        run_in_background(
            self, self._executor, lambda: self._service.save(make(), fmt, path, language),
            self._on_saved, self._failed,
        )  # fmt: skip

    def _on_saved(self, result: dict[str, Any]) -> None:
        self.saved = result
        self._done(self.tr("Saved %1").replace("%1", result["out"]))
