"""The customer panel's sales box: the popped party's open opportunities, quotes and orders,
and, from a call, a new opportunity or quote for it (the editors opened prefilled).

Kept out of the panel's own module: :func:`attach_party_sales` adds the box under the record
and follows the party the panel loads.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from datetime import date, timedelta

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.sales import SalesService
from agentdesk.crm.party_details import PartyRef
from agentdesk.sales.money import MoneyError, parse_decimal
from agentdesk.sales.opportunities import OpportunityView
from agentdesk.sales.party_sales import PartySales, SalesItem
from agentdesk.sales.pipeline import StageColumn
from agentdesk.ui.desk.customer_panel import CustomerPanel
from agentdesk.ui.sales.common import (
    SalesJobs,
    date_edit,
    date_text,
    from_qdate,
    message_label,
    money_text,
    stage_name,
    status_text,
)
from agentdesk.ui.sales.order_dialog import OrderDialog
from agentdesk.ui.sales.quote_editor import QuoteEditor
from agentdesk.ui.shell.labels import remember_stages


class OpportunityDialog(QDialog):
    """A new opportunity for the party's account: name, amount, stage, close date."""

    def __init__(
        self, account: str, stages: Sequence[StageColumn], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("New opportunity for {account}").format(account=account))
        self.nameEdit = QLineEdit(self)
        self.amountEdit = QLineEdit(self)
        self.amountEdit.setPlaceholderText("10,000.00")
        self.stageCombo = QComboBox(self)
        for column in stages:
            if column.is_open and column.active:
                self.stageCombo.addItem(stage_name(column.stage), column.stage)
        self.closeEdit = date_edit(self, date.today() + timedelta(days=30))
        form = QFormLayout(self)
        form.addRow(self.tr("Name:"), self.nameEdit)
        form.addRow(self.tr("Amount (CNY):"), self.amountEdit)
        form.addRow(self.tr("Stage:"), self.stageCombo)
        form.addRow(self.tr("Close date:"), self.closeEdit)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        form.addRow(buttons)
        self.setMinimumWidth(420)


class PartySalesBox(QGroupBox):
    def __init__(
        self, service: SalesService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(self.tr("Sales"), parent)
        self.setObjectName("partySales")
        self._executor = executor
        self.message = message_label(self, "partySalesMessage")
        self.jobs = SalesJobs(self, service, executor, self.message)
        self.party: PartyRef | None = None
        self.sales: PartySales | None = None
        self.stages: tuple[StageColumn, ...] = ()
        """The admin's stages, read with each party's sales (the new opportunity's choice)."""
        self._seq = 0
        self.opened: list[QWidget] = []
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Record"), self.tr("Status"), self.tr("Amount")])
        header = self.tree.header()
        header.setStretchLastSection(False)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.ResizeToContents)
        self.tree.setMinimumHeight(64)
        self.tree.itemDoubleClicked.connect(lambda item, _c: self._open(item))
        self.opportunityButton = QPushButton(self.tr("New opportunity…"), self)
        self.quoteButton = QPushButton(self.tr("New quote…"), self)
        self.opportunityButton.clicked.connect(self.ask_opportunity)
        self.quoteButton.clicked.connect(lambda: self.open_quote(None))
        # the buttons beside the list, not under it: the panel's height is the history's too
        buttons = QVBoxLayout()
        buttons.addWidget(self.opportunityButton)
        buttons.addWidget(self.quoteButton)
        buttons.addStretch(1)
        row = QHBoxLayout()
        row.addWidget(self.tree, 1)
        row.addLayout(buttons)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(6, 6, 6, 6)
        layout.addLayout(row, 1)
        layout.addWidget(self.message)
        self._enable()

    @property
    def pending(self) -> int:
        return self.jobs.pending

    def load(self, ref: PartyRef) -> None:
        self.party = ref
        self._seq += 1
        seq = self._seq

        def work(service: SalesService) -> tuple[PartySales, tuple[StageColumn, ...]]:
            return service.party(ref.kind, ref.id), service.stages()

        def done(result: tuple[PartySales, tuple[StageColumn, ...]]) -> None:
            if seq == self._seq:
                self._remember(result[1])
                self.show_sales(result[0])

        self.jobs.run(work, done)

    def reload(self) -> None:
        if self.party is not None:
            self.load(self.party)

    def read_stages(self) -> None:
        """The admin's stages before the first pop: the history names a popped party's
        opportunities by their stage's label."""

        def done(stages: tuple[StageColumn, ...]) -> None:
            if not self.stages:  # a party's load may have read them already
                self._remember(stages)

        self.jobs.run(lambda service: service.stages(), done)

    def _remember(self, stages: tuple[StageColumn, ...]) -> None:
        self.stages = stages
        remember_stages((c.stage, c.label, c.label_zh) for c in stages)

    def show_sales(self, sales: PartySales) -> None:
        self.sales = sales
        self.tree.clear()
        groups = (
            (self.tr("Open opportunities ({n})"), "opportunity", sales.opportunities),
            (self.tr("Quotes ({n})"), "quote", sales.quotes),
            (self.tr("Orders ({n})"), "order", sales.orders),
        )
        for title, kind, items in groups:
            top = QTreeWidgetItem([title.format(n=len(items)), "", ""])
            self.tree.addTopLevelItem(top)
            for item in items:
                top.addChild(self._row(kind, item))
            top.setExpanded(True)
        self._enable()

    def _row(self, kind: str, item: SalesItem) -> QTreeWidgetItem:
        if kind == "opportunity":
            status = stage_name(item.status)
            title = f"{item.title} · {date_text(item.day)}"
        else:
            status = status_text(item.status)
            title = item.title
            if item.revision and item.revision > 1:
                title = self.tr("{number} revision {revision}").format(
                    number=item.title, revision=item.revision
                )
        row = QTreeWidgetItem([title, status, money_text(item.amount, item.currency)])
        row.setData(0, Qt.ItemDataRole.UserRole, (kind, item.title))
        return row

    def _enable(self) -> None:
        has_account = self.sales is not None and self.sales.account_id is not None
        self.opportunityButton.setEnabled(has_account)
        self.quoteButton.setEnabled(has_account)

    def _open(self, item: QTreeWidgetItem) -> None:
        data = item.data(0, Qt.ItemDataRole.UserRole)
        if not data:
            return
        kind, title = data
        if kind == "quote":
            self.open_quote(title)
        elif kind == "order":
            dialog = OrderDialog(self.jobs.service, self._executor, self)
            self.opened.append(dialog)
            dialog.start(title)
            dialog.show()

    def open_quote(self, number: str | None) -> QuoteEditor | None:
        """The quote editor: quote ``number``, or a new quote prefilled with the party."""
        sales = self.sales
        if sales is None or sales.account_id is None:
            return None
        editor = QuoteEditor(
            self.jobs.service,
            self._executor,
            self,
            account=sales.account,
            account_id=str(sales.account_id),
            contact=str(sales.contact_id) if sales.contact_id else None,
            contact_name=sales.contact,
        )
        editor.finished.connect(lambda _r: self.reload())
        self.opened.append(editor)
        editor.start(number)
        editor.show()
        return editor

    def ask_opportunity(self) -> None:
        sales = self.sales
        if sales is None or sales.account_id is None:
            return
        dialog = OpportunityDialog(sales.account or "", self.stages, self)
        if dialog.exec() == QDialog.DialogCode.Accepted:
            self.create_opportunity(
                dialog.nameEdit.text(),
                dialog.amountEdit.text(),
                dialog.stageCombo.currentData(),
                from_qdate(dialog.closeEdit.date()),
            )

    def create_opportunity(self, name: str, amount: str, stage: str, close: date) -> None:
        sales = self.sales
        if sales is None or sales.account_id is None:
            return
        try:
            value = parse_decimal(amount or "0", "amount")
        except MoneyError:
            self.jobs.say(self.tr("The amount must be a number."), error=True)
            return
        account = str(sales.account_id)

        def done(view: OpportunityView) -> None:
            self.jobs.say(self.tr("Opportunity {name} created.").format(name=view.name))
            if self.party is not None:
                self.load(self.party)

        self.jobs.run(
            lambda service: service.create_opportunity(account, name, value, stage, close), done
        )


def attach_party_sales(
    panel: CustomerPanel, service: SalesService, executor: Executor
) -> PartySalesBox:
    """Put the sales box under the record's history (a third pane of its splitter, so the
    agent can give either more room) and load it with each party shown."""
    box = PartySalesBox(service, executor, panel.recordView)
    box.read_stages()
    split = panel.recordView.findChild(QSplitter)
    if split is not None:
        split.addWidget(box)
        split.setStretchFactor(split.indexOf(box), 0)
        split.setCollapsible(split.indexOf(box), True)
        # the form, the history, then the sales: the history keeps the most room
        split.setSizes([330, 230, 130])
    else:
        layout = panel.recordView.layout()
        if isinstance(layout, QVBoxLayout):
            layout.addWidget(box)
    panel.partyLoading.connect(box.load)
    return box
