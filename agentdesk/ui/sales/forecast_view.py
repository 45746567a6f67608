"""The forecast: by month, quarter, rep or product category over a period, the count and the
unweighted, weighted, won and slipped amounts per row and their totals, as
``sales/forecast.py`` computes them (the screen shows its figures, it adds nothing up)."""

from __future__ import annotations

from concurrent.futures import Executor
from datetime import date

from PySide6.QtCore import Qt
from PySide6.QtGui import QFont
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.sales import SalesService
from agentdesk.sales.forecast import Forecast, ForecastRow
from agentdesk.sales.money import MINOR_UNITS
from agentdesk.ui.sales.common import (
    SalesJobs,
    date_edit,
    filter_row,
    from_qdate,
    message_label,
)

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


class ForecastView(QWidget):
    def __init__(
        self, service: SalesService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.message = message_label(self, "forecastMessage")
        self.jobs = SalesJobs(self, service, executor, self.message)
        self.forecast: Forecast | None = None
        self.byCombo = QComboBox(self)
        for code, text in (
            ("month", self.tr("Month")),
            ("quarter", self.tr("Quarter")),
            ("rep", self.tr("Rep")),
            ("category", self.tr("Product category")),
        ):
            self.byCombo.addItem(text, code)
        # the quarter so far and the year ahead: what a manager reviews
        today = date.today()
        quarter_start = date(today.year, 3 * ((today.month - 1) // 3) + 1, 1)
        self.fromEdit = date_edit(self, quarter_start)
        self.toEdit = date_edit(self, date(quarter_start.year + 1, quarter_start.month, 1))
        self.currencyCombo = QComboBox(self)
        for code in sorted(MINOR_UNITS):
            self.currencyCombo.addItem(code, code)
        self.currencyCombo.setCurrentIndex(self.currencyCombo.findData("CNY"))
        self.showButton = QPushButton(self.tr("Show"), self)
        self.showButton.clicked.connect(self.reload)
        fields = (
            (self.tr("By:"), self.byCombo),
            (self.tr("From:"), self.fromEdit),
            (self.tr("To:"), self.toEdit),
            (self.tr("Currency:"), self.currencyCombo),
        )
        bar = filter_row(self, fields, self.showButton)
        self.table = QTableWidget(0, 6, self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Group"),
                self.tr("Open"),
                self.tr("Unweighted"),
                self.tr("Weighted"),
                self.tr("Won"),
                self.tr("Slipped"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.note = QLabel(
            self.tr(
                "Open: opportunities closing in the period from today on; weighted by their "
                "probability. Slipped: still open, close date passed."
            ),
            self,
        )
        self.note.setWordWrap(True)
        self.note.setStyleSheet("color: #5f6368;")
        layout = QVBoxLayout(self)
        layout.addLayout(bar)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.note)
        layout.addWidget(self.message)

    @property
    def pending(self) -> int:
        return self.jobs.pending

    def reload(self) -> None:
        by = str(self.byCombo.currentData())
        start, end = from_qdate(self.fromEdit.date()), from_qdate(self.toEdit.date())
        code = str(self.currencyCombo.currentData())
        self.jobs.run(
            lambda service: service.forecast(by, start, end, code),
            self.show_forecast,
            controls=[self.showButton],
        )

    def show_forecast(self, forecast: Forecast) -> None:
        self.forecast = forecast
        header = self.table.horizontalHeaderItem(0)
        if header is not None:
            header.setText(self.byCombo.currentText())
        self.table.setRowCount(0)
        for row in forecast.rows:
            key = self.tr("(no category)") if row.key == "-" else row.key
            self._add(row, key, bold=False)
        self._add(forecast.totals, self.tr("Total"), bold=True)

    def _add(self, row: ForecastRow, key: str, *, bold: bool) -> None:
        at = self.table.rowCount()
        self.table.insertRow(at)
        values = (
            key,
            str(row.count),
            f"{row.unweighted:,}",
            f"{row.weighted:,}",
            f"{row.won:,}",
            f"{row.slipped:,}",
        )
        for col, value in enumerate(values):
            item = QTableWidgetItem(value)
            if col:
                item.setTextAlignment(RIGHT)
            if bold:
                font = QFont(item.font())
                font.setBold(True)
                item.setFont(font)
            self.table.setItem(at, col, item)

    def cell(self, row: int, col: int) -> str:
        item = self.table.item(row, col)
        return item.text() if item is not None else ""
