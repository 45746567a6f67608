"""Escalations on the desk: a status-bar button ("2 escalations") over the user's unread
escalation notices, and the list it opens (case, subject, why, when; open the case, mark
read). It follows the database by itself: the change feed of ``app/case_watch.py`` (its own
thread) says when to read the notices again, the read runs on the executor.

``EscalationsDoor`` wires both into the main window and, on a desk whose user may escalate,
runs the escalation pass every minute (``EscalationSchedule``).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.case_watch import EscalationNotices, EscalationSchedule
from agentdesk.domain.cases import EscalationReason
from agentdesk.service.notices import Notice
from agentdesk.ui.service.desk_feed import DeskFeed
from agentdesk.ui.shell.background import run_in_background

if TYPE_CHECKING:
    from agentdesk.app.desktop import DesktopContext
    from agentdesk.ui.shell.main_window import MainWindow

ID_ROLE = Qt.ItemDataRole.UserRole
RETRY_MS = 60_000
"""How soon a desk that could not ask whether it may escalate asks again."""
R = EscalationReason


class EscalationsDialog(QDialog):
    """The unread escalations, newest first. Not modal: calls keep coming while it is open."""

    caseRequested = Signal(str)
    markRequested = Signal(object)  # a list of notice ids

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("escalationsDialog")
        self.setWindowTitle(self.tr("Escalations"))
        self.notices: list[Notice] = []
        self.table = QTableWidget(0, 4, self)
        self.table.setHorizontalHeaderLabels(
            [self.tr("Case"), self.tr("Subject"), self.tr("Why"), self.tr("When")]
        )
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().hide()
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._sync)
        self.table.cellDoubleClicked.connect(lambda row, _col: self.open_selected())
        self.emptyLabel = QLabel(self.tr("No unread escalations."), self)
        self.openButton = QPushButton(self.tr("Open case"), self)
        self.openButton.clicked.connect(self.open_selected)
        self.readButton = QPushButton(self.tr("Mark read"), self)
        self.readButton.clicked.connect(self.mark_selected)
        self.allButton = QPushButton(self.tr("Mark all read"), self)
        self.allButton.clicked.connect(
            lambda: self.markRequested.emit([n.id for n in self.notices])
        )
        buttons = QHBoxLayout()
        buttons.addWidget(self.emptyLabel, 1)
        for button in (self.openButton, self.readButton, self.allButton):
            buttons.addWidget(button)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(buttons)
        self.resize(760, 320)
        self._sync()

    def reason_text(self, reason: EscalationReason | None) -> str:
        match reason:
            case R.FIRST_RESPONSE_NEAR:
                return self.tr("First response nearly due")
            case R.FIRST_RESPONSE_BREACHED:
                return self.tr("First response overdue")
            case R.RESOLUTION_NEAR:
                return self.tr("Resolution nearly due")
            case R.RESOLUTION_BREACHED:
                return self.tr("Resolution overdue")
            case _:
                return self.tr("Escalated")

    def show_notices(self, notices: Sequence[Notice]) -> None:
        chosen = set(self.selected_ids())
        self.notices = list(notices)
        self.table.setRowCount(len(self.notices))
        for row, notice in enumerate(self.notices):
            when = notice.created_at.astimezone().strftime("%Y-%m-%d %H:%M")
            cells = (notice.number, notice.subject, self.reason_text(notice.reason), when)
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                item.setData(ID_ROLE, notice.id)
                item.setToolTip(text)
                self.table.setItem(row, column, item)
            if notice.id in chosen:
                self.table.selectRow(row)
        self.table.resizeColumnToContents(0)
        self.table.resizeColumnToContents(2)
        self.table.resizeColumnToContents(3)
        self._sync()

    def selected_ids(self) -> list[uuid.UUID]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self.notices[r].id for r in rows if r < len(self.notices)]

    def _selected_numbers(self) -> list[str]:
        rows = sorted({index.row() for index in self.table.selectedIndexes()})
        return [self.notices[r].number for r in rows if r < len(self.notices)]

    def _sync(self) -> None:
        selected = bool(self.table.selectedIndexes())
        self.emptyLabel.setVisible(not self.notices)
        self.openButton.setEnabled(len(set(self._selected_numbers())) == 1)
        self.readButton.setEnabled(selected)
        self.allButton.setEnabled(bool(self.notices))

    def open_selected(self) -> None:
        """Open the case in the case desk; its notice is read then."""
        numbers = self._selected_numbers()
        if numbers:
            self.caseRequested.emit(numbers[0])
            self.markRequested.emit(self.selected_ids())

    def mark_selected(self) -> None:
        self.markRequested.emit(self.selected_ids())

    def mark_all(self) -> None:
        self.markRequested.emit([notice.id for notice in self.notices])


class EscalationsButton(QToolButton):
    """ "2 escalations" in the status bar, hidden while there are none; opens the list."""

    changed = Signal()  # emitted by the feed's thread; delivered on the GUI thread
    caseRequested = Signal(str)

    def __init__(
        self, service: EscalationNotices, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("escalationsButton")
        self.setStyleSheet("QToolButton { color: #b00020; font-weight: bold; }")
        self._service = service
        self._executor = executor
        self.notices: list[Notice] = []
        self.busy = 0
        """Reads and writes not finished yet (the tests wait for none)."""
        self._again = False
        self._stopped = False
        # a change between the first read and the feed's start was not told: read again then
        self._feed = DeskFeed(self, executor, service.watch, self.changed.emit, self.reload)
        self.dialog = EscalationsDialog(self)
        self.dialog.caseRequested.connect(self.caseRequested)
        self.dialog.markRequested.connect(self.mark_read)
        self.clicked.connect(self.open_list)
        self.changed.connect(self.reload)
        self.hide()

    def start(self) -> None:
        """Read the notices, and follow the database from now on (the feed connects and stops
        on the executor: a desk opened or closed during an outage must not wait for it)."""
        self._stopped = False
        self.reload()
        self._feed.start()

    def stop(self) -> None:
        """Read nothing more: the feed stops on the executor, so a change it told just before
        can still arrive here after the desk has shut its executor down."""
        self._stopped = True
        self._feed.stop()

    def _run(self, work: Callable[[], Any], done: Callable[[Any], None]) -> None:
        self.busy += 1

        def ok(result: object) -> None:
            self.busy -= 1
            done(result)

        def failed(error: BaseException) -> None:
            self.busy -= 1
            self.setToolTip(self.tr("The escalations could not be read: {e}").format(e=error))

        run_in_background(self, self._executor, work, ok, failed)

    def reload(self) -> None:
        """Read the notices again; one read at a time, a change meanwhile reads once more."""
        if self._stopped:
            return
        if self.busy:
            self._again = True
            return
        self._run(self._service.unread, self._show)

    def _show(self, notices: object) -> None:
        assert isinstance(notices, list)
        self.notices = notices
        count = len(notices)
        if count == 1:
            self.setText(self.tr("1 escalation"))
        else:
            self.setText(self.tr("{count} escalations").format(count=count))
        self.setToolTip(self.tr("Cases escalated to you or from you: open the list"))
        self.setVisible(count > 0)
        self.dialog.show_notices(notices)
        if self._again:
            self._again = False
            self.reload()

    def mark_read(self, ids: object) -> None:
        wanted = list(ids) if isinstance(ids, list) else []
        if wanted:
            self._run(lambda: self._service.mark_read(wanted), lambda _: self.reload())

    def open_list(self) -> None:
        self.dialog.show()
        self.dialog.raise_()


class EscalationsDoor:
    """The main window's part: the button in the status bar, and the escalation pass on a
    schedule when the database says this user may escalate."""

    def __init__(self, window: MainWindow, context: DesktopContext) -> None:
        sessions, agent = context.database.sessions, context.agent
        self._window = window
        self._executor = context.executor
        self.button = EscalationsButton(EscalationNotices(sessions, agent), context.executor)
        self.button.caseRequested.connect(window.open_cases)
        window.statusBar().addPermanentWidget(self.button)
        self.schedule = EscalationSchedule(sessions, agent, context.services.service_zone)
        self._stopped = False

    def start(self) -> None:
        self.button.start()
        self._check()

    def _check(self) -> None:
        run_in_background(
            self.button, self._executor, self.schedule.may_run, self._may_run, self._retry
        )

    def _may_run(self, allowed: bool) -> None:
        if allowed and not self._stopped:
            self.schedule.start()

    def _retry(self, _error: BaseException) -> None:
        """The database did not answer (a desk opened during an outage): ask again later."""
        if not self._stopped:
            QTimer.singleShot(RETRY_MS, self.button, self._check)

    def stop(self) -> None:
        self._stopped = True
        self.button.stop()
        self.schedule.stop()
