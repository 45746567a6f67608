"""An order: its lines and totals, and the moves this user may make now (submit; approve or
reject with a reason; fulfil; cancel). Once submitted the order is locked for the rep: the
lines turn read-only and a note says why; a sales manager can still change them.
"""

from __future__ import annotations

from concurrent.futures import Executor
from decimal import Decimal

from PySide6.QtCore import QTimer
from PySide6.QtWidgets import (
    QDialog,
    QHBoxLayout,
    QInputDialog,
    QLabel,
    QLineEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.sales import Catalogue, OrderScreen, Priced, SalesService
from agentdesk.sales.catalogue import plain
from agentdesk.sales.money import MoneyError
from agentdesk.sales.orders import OrderTerms
from agentdesk.ui.sales.common import (
    NOTE_STYLE,
    TOTAL_STYLE,
    SalesJobs,
    date_text,
    message_label,
    money_text,
    optional_date_edit,
    optional_day,
    status_text,
)
from agentdesk.ui.sales.quote_lines import LinesTable

PREVIEW_DELAY_MS = 250


class OrderDialog(QDialog):
    def __init__(
        self, service: SalesService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Order"))
        self.resize(940, 560)
        self.message = message_label(self, "orderMessage")
        self.jobs = SalesJobs(self, service, executor, self.message)
        self.current: OrderScreen | None = None
        self._filling = False
        self.titleLabel = QLabel(self.tr("New order"), self)
        self.titleLabel.setStyleSheet("font-size: 16px; font-weight: bold;")
        self.accountEdit = QLineEdit(self)
        self.accountEdit.setPlaceholderText(self.tr("Account name or id"))
        self.deliveryEdit = optional_date_edit(self, self.tr("no date"))
        self.paymentEdit = QLineEdit(self)
        self.paymentEdit.setPlaceholderText(self.tr("Payment terms"))
        self.newBox = QWidget(self)
        newRow = QHBoxLayout(self.newBox)
        newRow.setContentsMargins(0, 0, 0, 0)
        newRow.addWidget(self.accountEdit, 2)
        newRow.addWidget(QLabel(self.tr("Delivery:"), self.newBox))
        newRow.addWidget(self.deliveryEdit)
        newRow.addWidget(self.paymentEdit, 1)
        self.detailsLabel = QLabel(self)
        self.detailsLabel.setWordWrap(True)
        self.lockLabel = QLabel(self)
        self.lockLabel.setObjectName("orderLock")
        self.lockLabel.setWordWrap(True)
        self.lockLabel.setStyleSheet("background: #fff3cd; padding: 6px; border-radius: 4px;")
        self.lockLabel.hide()
        self.lines = LinesTable(self)
        self.addButton = QPushButton(self.tr("Add line"), self)
        self.removeButton = QPushButton(self.tr("Remove line"), self)
        self.totalsLabel = QLabel(self)
        self.totalsLabel.setStyleSheet(TOTAL_STYLE)
        lineRow = QHBoxLayout()
        lineRow.addWidget(self.addButton)
        lineRow.addWidget(self.removeButton)
        lineRow.addStretch(1)
        lineRow.addWidget(self.totalsLabel)

        self.saveButton = QPushButton(self.tr("Save lines"), self)
        self.moveButtons: dict[str, QPushButton] = {
            "submit": QPushButton(self.tr("Submit for approval"), self),
            "approve": QPushButton(self.tr("Approve"), self),
            "reject": QPushButton(self.tr("Reject…"), self),
            "fulfil": QPushButton(self.tr("Fulfilled"), self),
            "cancel": QPushButton(self.tr("Cancel order"), self),
        }
        self.closeButton = QPushButton(self.tr("Close"), self)
        actions = QHBoxLayout()
        for move, button in self.moveButtons.items():
            if move == "reject":
                button.clicked.connect(self.ask_reject)
            else:
                button.clicked.connect(lambda _c=False, m=move: self.make_move(m))
            actions.addWidget(button)
        actions.addStretch(1)
        actions.addWidget(self.saveButton)
        actions.addWidget(self.closeButton)

        layout = QVBoxLayout(self)
        layout.addWidget(self.titleLabel)
        layout.addWidget(self.newBox)
        layout.addWidget(self.detailsLabel)
        layout.addWidget(self.lockLabel)
        layout.addWidget(self.lines, 1)
        layout.addLayout(lineRow)
        layout.addWidget(self.message)
        layout.addSpacing(6)
        layout.addLayout(actions)
        self._seq = 0
        self.previewTimer = QTimer(self)
        self.previewTimer.setSingleShot(True)
        self.previewTimer.setInterval(PREVIEW_DELAY_MS)
        self.previewTimer.timeout.connect(self.preview)
        self.lines.edited.connect(self._on_edited)
        self.addButton.clicked.connect(lambda: self.lines.add_line())
        self.removeButton.clicked.connect(self.lines.remove_selected)
        self.saveButton.clicked.connect(self.save)
        self.closeButton.clicked.connect(self.close)
        self._buttons()

    @property
    def pending(self) -> int:
        """Jobs not finished, a preview waiting for its timer counted as one."""
        return self.jobs.pending + int(self.previewTimer.isActive())

    def _on_edited(self) -> None:
        if not self._filling:
            self.previewTimer.start()

    def preview(self) -> None:
        """The lines as typed, priced by the service; the totals from ``sales.money``."""
        try:
            requests = self.lines.requests()
        except MoneyError:
            self.jobs.say(self.tr("Quantity and discount must be numbers above zero."), error=True)
            return
        if not requests:
            return
        self._seq += 1
        seq = self._seq
        number = self.current.order.number if self.current is not None else None

        def work(service: SalesService) -> Priced:
            if number is not None:
                return service.price(requests, order_number=number)
            return service.price(requests)

        def done(priced: Priced) -> None:
            if seq != self._seq or len(requests) != self.lines.rowCount():
                return
            prices = priced.preview.prices
            self.lines.show_prices(
                [p.name for p in prices],
                [p.unit_price for p in prices],
                [p.tax_rate for p in prices],
                priced.totals.lines,
            )
            self._show_totals(
                priced.totals.net, priced.totals.tax, priced.totals.gross, priced.preview.currency
            )

        self.jobs.run(work, done)

    def _show_totals(self, net: Decimal, tax: Decimal, gross: Decimal, code: str) -> None:
        self.totalsLabel.setText(
            self.tr("Net {net} · Tax {tax} · Gross {gross}").format(
                net=money_text(net, code), tax=money_text(tax, code), gross=money_text(gross, code)
            )
        )

    def start(self, number: str | None = None, *, account: str | None = None) -> None:
        """Read the catalogue, then order ``number`` (or a new order for ``account``)."""
        if account:
            self.accountEdit.setText(account)

        def loaded(catalogue: Catalogue) -> None:
            self.lines.set_products(catalogue.products)
            if number is None:
                self.lines.add_line()
            else:
                self.jobs.run(lambda service: service.order(number), self.show_order)

        self.jobs.run(lambda service: service.catalogue(), loaded)

    def show_order(self, screen: OrderScreen) -> None:
        self.current = screen
        view = screen.order
        self.titleLabel.setText(
            self.tr("Order {number} · {status}").format(
                number=view.number, status=status_text(view.status)
            )
        )
        self.accountEdit.setText(view.account)
        details = [self.tr("Account: {account}").format(account=view.account)]
        details.append(self.tr("Delivery: {day}").format(day=date_text(view.delivery_date)))
        if view.terms:
            details.append(self.tr("Payment terms: {terms}").format(terms=view.terms))
        if view.reason:
            details.append(self.tr("Rejected because: {reason}").format(reason=view.reason))
        self.detailsLabel.setText(" · ".join(details))
        self.detailsLabel.setStyleSheet(NOTE_STYLE)
        self._filling = True  # the saved lines come priced: no preview for them
        self.lines.setRowCount(0)
        for line in view.lines:
            self.lines.add_line(line.code, plain(line.quantity), plain(line.discount_pct))
        self.lines.show_prices(
            [line.description for line in view.lines],
            [line.unit_price for line in view.lines],
            [line.tax_rate for line in view.lines],
            [line.net for line in view.lines],
        )
        self._filling = False
        self._show_totals(view.net, view.tax, view.gross, view.currency)
        self._buttons()

    def _buttons(self) -> None:
        screen = self.current
        editable = screen is None or screen.editable
        self.newBox.setVisible(screen is None)
        self.lines.set_read_only(not editable)
        for widget in (self.addButton, self.removeButton, self.saveButton):
            widget.setEnabled(editable)
        for move, button in self.moveButtons.items():
            button.setVisible(screen is not None and move in screen.moves)
        locked = screen is not None and not screen.editable and screen.order.status != "fulfilled"
        if locked and screen is not None and screen.order.status != "cancelled":
            self.lockLabel.setText(
                self.tr(
                    "This order is {status}: it is locked for you. A sales manager can still "
                    "change it."
                ).format(status=status_text(screen.order.status))
            )
        elif screen is not None and screen.approver and screen.order.status == "approved":
            self.lockLabel.setText(
                self.tr("Approved: locked for the rep. Your changes are audited.")
            )
        else:
            self.lockLabel.clear()
        self.lockLabel.setVisible(bool(self.lockLabel.text()))

    def save(self) -> None:
        try:
            requests = self.lines.requests()
        except MoneyError:
            self.jobs.say(self.tr("Quantity and discount must be numbers above zero."), error=True)
            return
        if self.current is None:
            account = self.accountEdit.text().strip()
            terms = OrderTerms(optional_day(self.deliveryEdit), self.paymentEdit.text().strip())
            self.jobs.run(
                lambda service: service.create_order(account, requests, terms),
                self._done,
                controls=[self.saveButton],
            )
            return
        number = self.current.order.number
        self.jobs.run(
            lambda service: service.edit_order(number, requests),
            self._done,
            controls=[self.saveButton],
        )

    def _done(self, screen: OrderScreen) -> None:
        self.show_order(screen)
        self.jobs.say(self.tr("Order {number} saved.").format(number=screen.order.number))

    def make_move(self, move: str, reason: str | None = None) -> None:
        if self.current is None:
            return
        number = self.current.order.number
        self.jobs.run(lambda service: service.move_order(number, move, reason), self._done)

    def ask_reject(self) -> None:
        reason, ok = QInputDialog.getText(
            self, self.tr("Reject order"), self.tr("Why is this order rejected?")
        )
        if ok and reason.strip():
            self.make_move("reject", reason.strip())
