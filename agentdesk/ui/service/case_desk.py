"""View > Cases: the case desk. The case list with its filters (my cases, the team queue,
status, priority, breached) and SLA countdowns coloured by urgency; take from the queue,
assign or reassign one case or a selection; the case form with its timeline; the
knowledge-base panel beside it.

Every read and change runs off the GUI thread (``ui/shell/background.py``) through
``app/service_desk.py``; the countdowns tick locally between reads. Another desk's change
comes through the change feed (``app/case_watch.py``): the list read again, selection kept.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from datetime import UTC, datetime
from typing import Any

from PySide6.QtCore import QItemSelectionModel, QSignalBlocker, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QSplitter,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.service_desk import CaseDeskService
from agentdesk.domain.enums import OPEN_CASE_STATUSES, CasePriority, CaseStatus
from agentdesk.service.case_desk import CaseFilter, Scope
from agentdesk.service.case_timeline import CaseDetail
from agentdesk.service.cases import CaseView
from agentdesk.ui.service.case_form import CaseForm
from agentdesk.ui.service.case_table import fill_rows, render_countdowns
from agentdesk.ui.service.desk_feed import DeskFeed
from agentdesk.ui.service.kb_panel import KbPanel
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background
from agentdesk.ui.shell.labels import CASE_PRIORITIES, CASE_STATUSES, enum_text

ANY = "__any__"


class CaseDeskWindow(QWidget):
    changed = Signal()  # emitted by the feed's thread; delivered on the GUI thread

    def __init__(
        self, service: CaseDeskService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("caseDesk")
        self.setWindowTitle(self.tr("Cases"))
        self._service = service
        self._executor = executor
        self.cases: list[CaseView] = []
        self.busy = 0
        """Reads and changes not finished yet (the tests wait for none)."""
        self.may_reassign = False

        self.scopeCombo = QComboBox(self)
        for scope, text in (
            (Scope.ALL, self.tr("All my work")), (Scope.MINE, self.tr("My cases")),
            (Scope.QUEUE, self.tr("Team queue")),
        ):  # fmt: skip
            self.scopeCombo.addItem(text, scope)
        self.statusCombo = QComboBox(self)
        self.statusCombo.addItem(self.tr("Any open status"), ANY)
        for status in OPEN_CASE_STATUSES:
            self.statusCombo.addItem(enum_text(CASE_STATUSES, status), status)
        self.priorityCombo = QComboBox(self)
        self.priorityCombo.addItem(self.tr("Any priority"), ANY)
        for priority in reversed(CasePriority):
            self.priorityCombo.addItem(enum_text(CASE_PRIORITIES, priority), priority)
        self.breachedCheck = QCheckBox(self.tr("Breached only"), self)
        for combo in (self.scopeCombo, self.statusCombo, self.priorityCombo):
            combo.currentIndexChanged.connect(lambda _: self.reload())
        self.breachedCheck.toggled.connect(lambda _: self.reload())
        self.reloadButton = QPushButton(self.tr("Reload"), self)
        self.reloadButton.clicked.connect(self.reload)
        filters = QHBoxLayout()
        for widget in (self.scopeCombo, self.statusCombo, self.priorityCombo):
            filters.addWidget(widget)
        filters.addWidget(self.breachedCheck)
        filters.addStretch(1)
        filters.addWidget(self.reloadButton)

        self.table = QTableWidget(0, 6, self)
        self.table.setObjectName("caseTable")
        self.table.setHorizontalHeaderLabels([
            self.tr("Number"), self.tr("Subject"), self.tr("Status"), self.tr("Priority"),
            self.tr("Owner"), self.tr("Due in"),
        ])  # fmt: skip
        self.table.setWordWrap(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.ExtendedSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selection_changed)

        self.takeButton = QPushButton(self.tr("Take from queue"), self)
        self.takeButton.clicked.connect(self.take_selected)
        self.assigneeCombo = QComboBox(self)
        self.assignButton = QPushButton(self.tr("Assign selected to"), self)
        self.assignButton.clicked.connect(self.assign_selected)
        actions = QHBoxLayout()
        actions.addWidget(self.takeButton)
        actions.addStretch(1)
        actions.addWidget(self.assignButton)
        actions.addWidget(self.assigneeCombo)
        self.messageLabel = QLabel(self)
        self.messageLabel.setWordWrap(True)

        listPane = QWidget(self)
        left_layout = QVBoxLayout(listPane)
        left_layout.setContentsMargins(0, 0, 0, 0)
        left_layout.addLayout(filters)
        left_layout.addWidget(self.table, 1)
        left_layout.addLayout(actions)
        left_layout.addWidget(self.messageLabel)
        self.form = CaseForm(self)
        self.form.statusRequested.connect(self._set_status)
        self.form.noteRequested.connect(self._add_note)
        self.form.detailsRequested.connect(self._set_details)
        self.kbPanel = KbPanel(service, executor, self)
        self.kbPanel.addRequested.connect(self._add_article)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        for pane in (listPane, self.form, self.kbPanel):
            self.splitter.addWidget(pane)
        self.splitter.setStretchFactor(0, 5)
        self.splitter.setStretchFactor(1, 4)
        self.splitter.setStretchFactor(2, 3)
        self.splitter.setSizes([700, 390, 310])
        layout = QVBoxLayout(self)
        layout.addWidget(self.splitter)

        self.feed = DeskFeed(self, executor, service.watch, self.changed.emit,
                             lambda: self.reload(keep_message=True))  # fmt: skip
        self._listing = self._again = False  # a list read in flight; another change meanwhile
        self.changed.connect(self._changed_elsewhere)
        self._tick = QTimer(self)
        self._tick.setInterval(30_000)
        self._tick.timeout.connect(self._render_countdowns)
        self._sync_actions()
        self.resize(1360, 760)

    # -- life --------------------------------------------------------------------------------

    def start(self) -> None:
        self._run(self._service.may_reassign, self._on_reassign_checked, "{e}")
        self.reload()
        self._tick.start()
        self.feed.start()

    def closeEvent(self, event: object) -> None:
        self._tick.stop()
        self.feed.stop()
        super().closeEvent(event)  # type: ignore[arg-type]

    def _changed_elsewhere(self) -> None:
        # the feed stops on the executor: a change it told just before the window closed can
        # arrive after the desk shut its executor down
        if self.isVisible():
            self.reload(keep_message=True)

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None], failure: str) -> None:
        self.busy += 1

        def ok(result: object) -> None:
            self.busy -= 1
            done(result)

        def failed(error: BaseException) -> None:
            self.busy -= 1
            self._listing = False  # (a failed list read must not block the next one)
            self.messageLabel.setText(failure.format(e=request_error_text(error)))

        run_in_background(self, self._executor, work, ok, failed)

    def _on_reassign_checked(self, allowed: object) -> None:
        self.may_reassign = bool(allowed)
        if self.may_reassign:
            self._run(self._service.colleagues, self._fill_assignees, "{e}")
        self._sync_actions()

    def _fill_assignees(self, names: Sequence[str]) -> None:
        self.assigneeCombo.clear()
        for name in names:
            self.assigneeCombo.addItem(name, name)

    # -- the list ----------------------------------------------------------------------------

    def current_filter(self) -> CaseFilter:
        status = self.statusCombo.currentData()
        priority = self.priorityCombo.currentData()
        return CaseFilter(
            scope=Scope(self.scopeCombo.currentData()),
            status=None if status == ANY else CaseStatus(status),
            priority=None if priority == ANY else CasePriority(priority),
            breached=self.breachedCheck.isChecked(),
        )

    def reload(self, *, keep_message: bool = False) -> None:
        """Read the list; one read at a time (a burst of changes is one more read). Another
        desk's change keeps the message line (it may say what this desk just did)."""
        if self._listing:
            self._again = True
            return
        chosen = self.current_filter()
        self._listing = True
        if not keep_message:
            self.messageLabel.clear()
        self._run(
            lambda: self._service.cases(chosen),
            self.show_cases,
            self.tr("The cases could not be read: {e}"),
        )

    def show_cases(self, cases: Sequence[CaseView]) -> None:
        self._listing = False
        if self._again:
            self._again = False
            self.reload(keep_message=True)
        chosen = set(self.selected_numbers())
        self.cases = list(cases)
        queue_tip = self.tr("In the queue of {team}")
        fill_rows(self.table, self.cases, lambda team: queue_tip.format(team=team))
        with QSignalBlocker(self.table.selectionModel()):  # the open case stays open
            self.select_numbers(chosen)
        self._sync_actions()
        shown = self.form.detail.case if self.form.detail is not None else None
        if shown is not None and any(c.number == shown.number and c != shown for c in cases):
            self.open_case(shown.number, refresh=True)  # changed here or on another desk
        self._render_countdowns()
        if not cases:
            self.messageLabel.setText(self.tr("No case matches these filters."))

    def _render_countdowns(self) -> None:
        render_countdowns(self.table, self.cases, datetime.now(UTC))

    def selected_numbers(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        items = (self.table.item(r, 0) for r in rows)
        return [item.text() for item in items if item is not None]

    def select_numbers(self, numbers: set[str]) -> None:
        """Select these cases' rows, and only them (selectRow alone would keep one)."""
        model = self.table.selectionModel()
        flags = QItemSelectionModel.SelectionFlag
        self.table.clearSelection()
        for row, case in enumerate(self.cases):
            if case.number in numbers:
                index = self.table.model().index(row, 0)
                model.select(index, flags.Select | flags.Rows)

    def select_number(self, number: str) -> None:
        """Select the case's row (the customer panel opens a case this way)."""
        for row in range(self.table.rowCount()):
            item = self.table.item(row, 0)
            if item is not None and item.text() == number:
                self.table.selectRow(row)
                return
        self.open_case(number)  # not on this page: open it anyway

    def open_case_id(self, case_id: uuid.UUID) -> None:
        """Open a case known by its id (a party's open cases on the customer panel)."""
        self._run(
            lambda: self._service.number_for(case_id),
            lambda number: self.select_number(str(number)),
            self.tr("The case could not be read: {e}"),
        )

    def _selection_changed(self) -> None:
        numbers = self.selected_numbers()
        self._sync_actions()
        if len(numbers) == 1:
            self.open_case(numbers[0])

    def _sync_actions(self) -> None:
        numbers = set(self.selected_numbers())
        queued = [c for c in self.cases if c.number in numbers and c.owner is None]
        self.takeButton.setEnabled(len(numbers) == 1 and len(queued) == 1)
        self.assignButton.setVisible(self.may_reassign)
        self.assigneeCombo.setVisible(self.may_reassign)
        self.assignButton.setEnabled(bool(numbers))

    # -- one case ----------------------------------------------------------------------------

    def open_case(self, number: str, *, refresh: bool = False) -> None:
        """``refresh``: the open case read again after a change, which the form offers
        instead of overwriting what its user typed and did not save."""
        self._run(
            lambda: self._service.detail(number),
            self._refreshed if refresh else self._show_detail,
            self.tr("The case could not be read: {e}"),
        )

    def _refreshed(self, detail: object) -> None:
        assert isinstance(detail, CaseDetail)
        shown = self.form.detail
        if shown is None or shown.case.number != detail.case.number:
            return  # another case was opened meanwhile
        if self.form.edited():
            self.form.offer_reload(detail)
        else:
            self._show_detail(detail)

    def _show_detail(self, detail: object) -> None:
        assert isinstance(detail, CaseDetail)
        self.form.show_detail(detail)
        self.kbPanel.set_case_open(detail.may_edit)

    def _changed(self, detail: object) -> None:
        self._show_detail(detail)
        self.reload()

    def _set_status(self, number: str, code: object, resolution: object) -> None:
        status = CaseStatus(str(code))
        text = resolution if isinstance(resolution, str) else None
        self._run(
            lambda: self._service.set_status(number, status, text),
            self._changed,
            self.tr("The status was not changed: {e}"),
        )

    def _set_details(self, number: str, priority: object, category: str) -> None:
        chosen = CasePriority(str(priority))  # Qt hands the code back as str
        self._run(lambda: self._service.set_details(number, chosen, category), self._changed,
                  self.tr("The case was not changed: {e}"))  # fmt: skip

    def _add_note(self, number: str, text: str) -> None:
        def done(detail: object) -> None:
            self.form.note_saved()
            self._show_detail(detail)

        self._run(
            lambda: self._service.add_note(number, text), done,
            self.tr("The note was not added: {e}"),
        )  # fmt: skip

    def _add_article(self, article_id: object, solved: bool) -> None:
        detail = self.form.detail
        if detail is None or not isinstance(article_id, uuid.UUID):
            return
        number = detail.case.number
        self._run(
            lambda: self._service.add_article(number, article_id, solved),
            self._show_detail,
            self.tr("The article was not added: {e}"),
        )

    def take_selected(self) -> None:
        numbers = self.selected_numbers()
        if len(numbers) != 1:
            return
        number = numbers[0]

        def taken(_: object) -> None:
            self.reload()
            self.open_case(number)

        self._run(lambda: self._service.take(number), taken, self.tr("The case was not taken: {e}"))

    def assign_selected(self) -> None:
        numbers = self.selected_numbers()
        to = self.assigneeCombo.currentData()
        if not numbers or not to:
            return

        def assigned(done: Sequence[CaseView]) -> None:
            self.reload()
            text = self.tr("Cases assigned to {to}: {n}.")
            self.messageLabel.setText(text.format(to=to, n=len(done)))

        self._run(
            lambda: self._service.assign(numbers, to),
            assigned,
            self.tr("Nothing was assigned: {e}"),
        )
