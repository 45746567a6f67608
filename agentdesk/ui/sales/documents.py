"""The quotes and orders lists of the sales window: open one in its editor, start a new one,
turn an accepted quote into an order."""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from decimal import Decimal

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.sales import OrderScreen, SalesService
from agentdesk.sales.party_sales import SalesItem
from agentdesk.sales.status import OrderStatus
from agentdesk.ui.sales.common import (
    SalesJobs,
    date_text,
    message_label,
    money_text,
    status_text,
)
from agentdesk.ui.sales.order_dialog import OrderDialog
from agentdesk.ui.sales.quote_editor import QuoteEditor

RIGHT = Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter


def table(parent: QWidget, headers: Sequence[str]) -> QTableWidget:
    widget = QTableWidget(0, len(headers), parent)
    widget.setHorizontalHeaderLabels(list(headers))
    widget.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
    widget.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
    widget.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
    widget.verticalHeader().setVisible(False)
    header = widget.horizontalHeader()
    header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
    header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
    header.setMinimumSectionSize(90)  # room around short codes and statuses
    return widget


def fill(widget: QTableWidget, rows: Sequence[Sequence[str]], right: Sequence[int]) -> None:
    widget.setRowCount(0)
    for values in rows:
        at = widget.rowCount()
        widget.insertRow(at)
        for col, value in enumerate(values):
            item = QTableWidgetItem(value)
            if col in right:
                item.setTextAlignment(RIGHT)
            widget.setItem(at, col, item)


def chosen(widget: QTableWidget) -> str | None:
    """The first column of the selected row."""
    row = widget.currentRow()
    item = widget.item(row, 0) if row >= 0 else None
    return item.text() if item is not None else None


class QuotesList(QWidget):
    def __init__(self, service: SalesService, executor: Executor, parent: QWidget) -> None:
        super().__init__(parent)
        self._executor = executor
        self.message = message_label(self, "quotesMessage")
        self.jobs = SalesJobs(self, service, executor, self.message)
        self.items: tuple[SalesItem, ...] = ()
        self.editors: list[QuoteEditor] = []
        self.table = table(
            self,
            [
                self.tr("Number"),
                self.tr("Account"),
                self.tr("Revision"),
                self.tr("Status"),
                self.tr("Gross"),
                self.tr("Valid until"),
            ],
        )
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.newButton = QPushButton(self.tr("New quote…"), self)
        self.openButton = QPushButton(self.tr("Open"), self)
        self.orderButton = QPushButton(self.tr("Create order from quote"), self)
        self.newButton.clicked.connect(lambda: self.open_editor(None))
        self.openButton.clicked.connect(self.open_selected)
        self.orderButton.clicked.connect(self.order_selected)
        buttons = QHBoxLayout()
        for button in (self.newButton, self.openButton, self.orderButton):
            buttons.addWidget(button)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def reload(self) -> None:
        self.jobs.run(lambda service: service.quotes(), self._show)

    def _show(self, items: tuple[SalesItem, ...]) -> None:
        self.items = items
        rows = [
            (
                q.title,
                q.account or "—",
                str(q.revision),
                status_text(q.status),
                money_text(q.amount, q.currency),
                date_text(q.day),
            )
            for q in items
        ]
        fill(self.table, rows, right=(2, 4))

    def open_editor(self, number: str | None, account: str | None = None) -> QuoteEditor:
        editor = QuoteEditor(self.jobs.service, self._executor, self, account=account)
        editor.finished.connect(lambda _r: self.reload())
        self.editors.append(editor)
        editor.start(number)
        editor.show()
        return editor

    def open_selected(self) -> None:
        number = chosen(self.table)
        if number is not None:
            self.open_editor(number)

    def order_selected(self) -> None:
        number = chosen(self.table)
        if number is None:
            return

        def opened(screen: OrderScreen) -> None:
            dialog = OrderDialog(self.jobs.service, self._executor, self)
            dialog.show_order(screen)
            dialog.start(screen.order.number)
            dialog.show()

        self.jobs.run(lambda service: service.order_from_quote(number), opened)


class OrdersList(QWidget):
    def __init__(self, service: SalesService, executor: Executor, parent: QWidget) -> None:
        super().__init__(parent)
        self._executor = executor
        self.message = message_label(self, "ordersMessage")
        self.jobs = SalesJobs(self, service, executor, self.message)
        self.dialogs: list[OrderDialog] = []
        self.statusCombo = QComboBox(self)
        self.statusCombo.addItem(self.tr("All orders"), None)
        for status in OrderStatus:
            self.statusCombo.addItem(status_text(status.value), status)
        self.statusCombo.currentIndexChanged.connect(lambda _i: self.reload())
        self.table = table(
            self,
            [
                self.tr("Number"),
                self.tr("Account"),
                self.tr("Status"),
                self.tr("Gross"),
                self.tr("Owner"),
            ],
        )
        self.table.doubleClicked.connect(lambda _i: self.open_selected())
        self.newButton = QPushButton(self.tr("New order…"), self)
        self.openButton = QPushButton(self.tr("Open"), self)
        self.newButton.clicked.connect(lambda: self.open_order(None))
        self.openButton.clicked.connect(self.open_selected)
        buttons = QHBoxLayout()
        buttons.addWidget(self.statusCombo)
        buttons.addWidget(self.newButton)
        buttons.addWidget(self.openButton)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addLayout(buttons)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.message)

    def reload(self) -> None:
        status = self.statusCombo.currentData()
        self.jobs.run(lambda service: service.orders(status), self._show)

    def _show(self, rows: list[dict[str, object]]) -> None:
        fill(
            self.table,
            [
                (
                    str(r["number"]),
                    str(r["account"]),
                    status_text(str(r["status"])),
                    money_text(Decimal(str(r["gross"])), str(r["currency"])),
                    str(r["owner"] or "—"),
                )
                for r in rows
            ],
            right=(3,),
        )

    def open_order(self, number: str | None, account: str | None = None) -> OrderDialog:
        dialog = OrderDialog(self.jobs.service, self._executor, self)
        dialog.finished.connect(lambda _r: self.reload())
        self.dialogs.append(dialog)
        dialog.start(number, account=account)
        dialog.show()
        return dialog

    def open_selected(self) -> None:
        number = chosen(self.table)
        if number is not None:
            self.open_order(number)
