"""The customer panel's sales box: the popped party's open opportunities, quotes and orders,
and, from a call, a new opportunity or quote for it (the editors opened prefilled).

Kept out of the panel's own module: :func:`attach_party_sales` adds the box under the record
and follows the party the panel loads.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Executor

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.sales import SalesService
from agentdesk.crm.party_details import PartyRef
from agentdesk.sales.opportunity_parties import PartyChoice
from agentdesk.sales.party_sales import PartySales, SalesItem
from agentdesk.sales.stages import Stage
from agentdesk.ui.desk.customer_panel import CustomerPanel
from agentdesk.ui.sales.common import (
    SalesJobs,
    date_text,
    message_label,
    money_text,
    stage_name,
    status_text,
)
from agentdesk.ui.sales.opportunity_editor import OpportunityEditor
from agentdesk.ui.sales.order_dialog import OrderDialog
from agentdesk.ui.sales.quote_editor import QuoteEditor
from agentdesk.ui.shell.labels import remember_stages


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
        self.stages: tuple[Stage, ...] = ()
        """Every stage, retired ones too, read with each party's sales (their labels name the
        stages)."""
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
        self.opportunityButton.clicked.connect(lambda: self.open_opportunity(None))
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

        def work(service: SalesService) -> tuple[PartySales, tuple[Stage, ...]]:
            return service.party(ref.kind, ref.id), service.all_stages()

        def done(result: tuple[PartySales, tuple[Stage, ...]]) -> None:
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

        def done(stages: tuple[Stage, ...]) -> None:
            if not self.stages:  # a party's load may have read them already
                self._remember(stages)

        self.jobs.run(lambda service: service.all_stages(), done)

    def _remember(self, stages: tuple[Stage, ...]) -> None:
        self.stages = stages
        remember_stages((s.code, s.label, s.label_zh) for s in stages)

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
        key = item.id if kind == "opportunity" else item.title
        row.setData(0, Qt.ItemDataRole.UserRole, (kind, key))
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
        if kind == "opportunity":
            self.open_opportunity(title)
        elif kind == "quote":
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

    def open_opportunity(self, opportunity: uuid.UUID | None) -> OpportunityEditor | None:
        """The opportunity editor: ``opportunity``, or a new one for the party's account."""
        sales = self.sales
        if sales is None or sales.account_id is None:
            return None
        account = PartyChoice(sales.account_id, sales.account or "")
        editor = OpportunityEditor(self.jobs.service, self._executor, self, account=account)
        if opportunity is None and sales.contact_id is not None:
            editor.contactPicker.set_choice(PartyChoice(sales.contact_id, sales.contact or ""))
        editor.saved.connect(lambda _d: self.reload())
        self.opened.append(editor)
        editor.start(opportunity)
        editor.show()
        return editor


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
