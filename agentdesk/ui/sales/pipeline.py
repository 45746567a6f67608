"""The pipeline: the board (a column per stage in the admin's order, cards dragged to promote)
and the list (sortable by any column, paged), with filters by owner, stage and close date.

Each column reads its stage's first page and the list one page, so the screen opens without
reading every opportunity. A card dropped on another column moves at once and is promoted
through the sales service; when the service refuses, the card goes back where it was and the
reason shows under the board.
"""

from __future__ import annotations

import uuid
from concurrent.futures import Executor

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QDateEdit,
    QHBoxLayout,
    QHeaderView,
    QPushButton,
    QScrollArea,
    QTableWidget,
    QTableWidgetItem,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.sales import SalesService
from agentdesk.sales.opportunities import OpportunityView
from agentdesk.sales.pipeline import PipelineCard, PipelineFilter, PipelinePage, StageColumn
from agentdesk.sales.stages import Stage
from agentdesk.ui.sales.board import StageColumn as ColumnWidget
from agentdesk.ui.sales.common import (
    SalesJobs,
    date_text,
    filter_row,
    message_label,
    money_text,
    optional_date_edit,
    optional_day,
    stage_name,
)
from agentdesk.ui.sales.opportunity_editor import OpportunityEditor
from agentdesk.ui.shell.labels import remember_stages

Setup = tuple[tuple[StageColumn, ...], tuple[str, ...], tuple[Stage, ...]]
"""The board's columns, the owners and every stage (for the stages' names)."""
LIST_SORTS = ("name", "account", "amount", "close_date", "owner", "stage", "probability")


class PipelineView(QWidget):
    def __init__(
        self, service: SalesService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.message = message_label(self, "pipelineMessage")
        self.jobs = SalesJobs(self, service, executor, self.message)
        self._executor = executor
        self.editors: list[OpportunityEditor] = []
        self.stages: tuple[StageColumn, ...] = ()
        self.columns: dict[str, ColumnWidget] = {}
        self.cards: dict[uuid.UUID, PipelineCard] = {}
        self._sort = "close_date"
        self._descending = False
        self._list_offset = 0

        self.ownerCombo = QComboBox(self)
        self.ownerCombo.addItem(self.tr("Everyone"), None)
        self.stageCombo = QComboBox(self)
        self.stageCombo.addItem(self.tr("All stages"), None)
        self.fromEdit = self._date_edit()
        self.toEdit = self._date_edit()
        self.applyButton = QPushButton(self.tr("Apply"), self)
        self.applyButton.clicked.connect(self.reload)
        fields = (
            (self.tr("Owner:"), self.ownerCombo),
            (self.tr("Stage:"), self.stageCombo),
            (self.tr("Closing from:"), self.fromEdit),
            (self.tr("to:"), self.toEdit),
        )
        filters = filter_row(self, fields, self.applyButton)
        self.newButton = QPushButton(self.tr("New opportunity…"), self)
        self.newButton.clicked.connect(lambda: self.open_opportunity(None))
        filters.addWidget(self.newButton)

        self.boardArea = QWidget(self)
        self.boardLayout = QHBoxLayout(self.boardArea)
        self.boardLayout.setContentsMargins(0, 0, 0, 0)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setWidget(self.boardArea)

        self.table = QTableWidget(0, len(LIST_SORTS), self)
        self.table.setHorizontalHeaderLabels(
            [
                self.tr("Opportunity"),
                self.tr("Account"),
                self.tr("Amount"),
                self.tr("Close date"),
                self.tr("Owner"),
                self.tr("Stage"),
                self.tr("Probability"),
            ]
        )
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setMinimumSectionSize(90)
        header.setSortIndicatorShown(True)
        header.setSortIndicator(3, Qt.SortOrder.AscendingOrder)
        header.sectionClicked.connect(self._sort_by)
        self.table.itemDoubleClicked.connect(
            lambda item: self.open_opportunity(item.data(Qt.ItemDataRole.UserRole))
        )
        self.moreButton = QPushButton(self.tr("Load more"), self)
        self.moreButton.clicked.connect(self.load_more)
        listPage = QWidget(self)
        listLayout = QVBoxLayout(listPage)
        listLayout.setContentsMargins(0, 0, 0, 0)
        listLayout.addWidget(self.table, 1)
        listLayout.addWidget(self.moreButton, 0, Qt.AlignmentFlag.AlignLeft)

        self.views = QTabWidget(self)
        self.views.addTab(scroll, self.tr("Board"))
        self.views.addTab(listPage, self.tr("List"))
        layout = QVBoxLayout(self)
        layout.addLayout(filters)
        layout.addWidget(self.views, 1)
        layout.addWidget(self.message)

    def _date_edit(self) -> QDateEdit:
        return optional_date_edit(self, self.tr("any"))

    @property
    def pending(self) -> int:
        return self.jobs.pending

    # -- reading -----------------------------------------------------------------------------

    def start(self) -> None:
        """Read the stages and owners, then the board and the list."""

        def work(service: SalesService) -> Setup:
            return service.stages(), service.owners(), service.all_stages()

        self.jobs.run(work, self._on_setup)

    def _on_setup(self, result: Setup) -> None:
        self.stages, owners, every = result
        # retired stages without a column still name the stages cards and histories went through
        remember_stages((s.code, s.label, s.label_zh) for s in every)
        for name in owners:
            self.ownerCombo.addItem(name, name)
        for column in self.stages:
            self.stageCombo.addItem(stage_name(column.stage), column.stage)
            widget = ColumnWidget(
                column.stage, column.probability, self.boardArea, retired=not column.active
            )
            widget.list.dropped.connect(self.promote)
            widget.list.itemDoubleClicked.connect(
                lambda item: self.open_opportunity(item.data(Qt.ItemDataRole.UserRole))
            )
            self.columns[column.stage] = widget
            self.boardLayout.addWidget(widget)
        self.reload()

    def filter(self) -> PipelineFilter:
        stage = self.stageCombo.currentData()
        return PipelineFilter(
            owner=self.ownerCombo.currentData(),
            stages=(stage,) if stage is not None else (),
            close_from=optional_day(self.fromEdit),
            close_to=optional_day(self.toEdit),
            sort=self._sort,
            descending=self._descending,
        )

    def reload(self) -> None:
        flt = self.filter()
        self.jobs.run(lambda service: service.board(flt), self._show_board)
        self._list_offset = 0
        self.jobs.run(lambda service: service.page(flt), self._show_page)

    def _show_board(self, pages: dict[str, PipelinePage]) -> None:
        for stage, column in self.columns.items():
            column.list.clear()
            page = pages.get(stage)
            column.setVisible(page is not None)
            if page is None:
                continue
            for card in page.cards:
                self.cards[card.id] = card
                column.list.add_card(card)
            column.set_count(len(page.cards), more=page.more)

    def _show_page(self, page: PipelinePage) -> None:
        if page.offset == 0:
            self.table.setRowCount(0)
        for card in page.cards:
            row = self.table.rowCount()
            self.table.insertRow(row)
            values = (
                card.name,
                card.account or "—",
                money_text(card.amount, card.currency),
                date_text(card.close_date),
                card.owner or "—",
                stage_name(card.stage),
                f"{card.probability} %",
            )
            for col, value in enumerate(values):
                item = QTableWidgetItem(value)
                item.setData(Qt.ItemDataRole.UserRole, card.id)
                if col in (2, 6):
                    item.setTextAlignment(
                        Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter
                    )
                self.table.setItem(row, col, item)
        self._list_offset = page.offset + len(page.cards)
        self.moreButton.setEnabled(page.more)

    def load_more(self) -> None:
        flt, offset = self.filter(), self._list_offset
        self.jobs.run(lambda service: service.page(flt, offset), self._show_page)

    def _sort_by(self, section: int) -> None:
        key = LIST_SORTS[section]
        self._descending = not self._descending if key == self._sort else False
        self._sort = key
        order = Qt.SortOrder.DescendingOrder if self._descending else Qt.SortOrder.AscendingOrder
        self.table.horizontalHeader().setSortIndicator(section, order)
        flt = self.filter()
        self.jobs.run(lambda service: service.page(flt), self._show_page)

    # -- the editor --------------------------------------------------------------------------

    def open_opportunity(self, opportunity: uuid.UUID | None) -> OpportunityEditor:
        """The opportunity editor on ``opportunity`` (a new one: ``None``); a save reloads."""
        editor = OpportunityEditor(self.jobs.service, self._executor, self)
        editor.saved.connect(lambda _detail: self.reload())
        self.editors.append(editor)
        editor.start(opportunity)
        editor.show()
        return editor

    # -- promoting ---------------------------------------------------------------------------

    def _where(self, opportunity: uuid.UUID) -> tuple[ColumnWidget, int] | None:
        for column in self.columns.values():
            row = column.list.row_of(opportunity)
            if row >= 0:
                return column, row
        return None

    def promote(self, opportunity: uuid.UUID, stage: str) -> None:
        """Move the card to ``stage`` now; promote it; put it back if the service refuses."""
        found = self._where(opportunity)
        card = self.cards.get(opportunity)
        if found is None or card is None or found[0].stage == stage:
            return
        source, row = found
        target = self.columns[stage]
        source.list.takeItem(row)
        target.list.add_card(card, 0)
        source.recount()
        target.recount()

        def back(_error: BaseException) -> None:
            moved = target.list.row_of(opportunity)
            if moved >= 0:
                target.list.takeItem(moved)
            source.list.add_card(card, row)
            source.recount()
            target.recount()

        def done(view: OpportunityView) -> None:
            promoted = PipelineCard(
                card.id,
                card.name,
                card.account,
                card.amount,
                card.currency,
                card.close_date,
                card.owner,
                view.stage,
                view.probability,
                card.editable,
            )
            self.cards[opportunity] = promoted
            moved = target.list.row_of(opportunity)
            if moved >= 0:
                target.list.takeItem(moved)
                target.list.add_card(promoted, moved)
            self.jobs.say(
                self.tr("{name} moved to {stage}.").format(name=card.name, stage=stage_name(stage))
            )
            flt = self.filter()  # the list shows the new stage too
            self.jobs.run(lambda service: service.page(flt), self._show_page)

        self.jobs.run(lambda service: service.promote(opportunity, stage), done, failed=back)
