"""The callback queue: due list, reminders at the due time, snooze, reassign, dial, done."""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from datetime import UTC, datetime, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtGui import QBrush, QColor
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.desk import DeskServices
from agentdesk.app.dto import CHANGED_CALLBACKS, CallbackItem, OwnerKind, PartyRef
from agentdesk.ui.background import run_in_background
from agentdesk.ui.pop_views import short_when

SNOOZES = (
    (15, QT_TRANSLATE_NOOP("CallbacksPanel", "15 minutes")),
    (60, QT_TRANSLATE_NOOP("CallbacksPanel", "1 hour")),
    (24 * 60, QT_TRANSLATE_NOOP("CallbacksPanel", "1 day")),
)


class CallbacksPanel(QWidget):
    """Lists the agent's and unassigned pending callbacks; overdue ones in red."""

    dialRequested = Signal(str, object)  # number, PartyRef | None
    openRequested = Signal(object)  # PartyRef
    reminderDue = Signal(object)  # CallbackItem whose due time just passed
    noticeRaised = Signal(str)

    def __init__(
        self,
        services: DeskServices,
        executor: Executor,
        agent: str,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callbacksPanel")
        self._services = services
        self._executor = executor
        self._agent = agent
        self._clock = clock
        self.items: list[CallbackItem] = []
        self._reminded: set[Any] = set()
        self._loading = False

        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [self.tr("Due"), self.tr("Who"), self.tr("Phone"), self.tr("Note"), self.tr("Agent")]
        )
        for column, width in enumerate((140, 140, 120, 200, 110)):
            self.tree.setColumnWidth(column, width)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(3, QHeaderView.ResizeMode.Stretch)
        self.tree.itemDoubleClicked.connect(lambda *_: self.dial_selected())
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.emptyLabel = QLabel(self.tr("No callbacks due this week."), self)
        self.emptyLabel.setStyleSheet("color: #666;")
        self.countLabel = QLabel(self)

        self.dialButton = QPushButton(self.tr("Call"), self)
        self.dialButton.clicked.connect(self.dial_selected)
        self.openButton = QPushButton(self.tr("Open record"), self)
        self.openButton.clicked.connect(self._open_selected)
        self.snoozeButton = QToolButton(self)
        self.snoozeButton.setText(self.tr("Snooze"))
        self.snoozeButton.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        menu = QMenu(self.snoozeButton)
        for minutes, text in SNOOZES:
            action = menu.addAction(self.tr(str(text)))
            action.triggered.connect(self._snoozer(minutes))
        self.snoozeButton.setMenu(menu)
        self.reassignCombo = QComboBox(self)
        self.reassignCombo.setMinimumWidth(140)
        self.reassignButton = QPushButton(self.tr("Reassign"), self)
        self.reassignButton.clicked.connect(self.reassign_selected)
        self.doneButton = QPushButton(self.tr("Done"), self)
        self.doneButton.clicked.connect(self.complete_selected)
        self.refreshButton = QPushButton(self.tr("Refresh"), self)
        self.refreshButton.clicked.connect(self.reload)

        buttons = QHBoxLayout()
        for widget in (self.dialButton, self.openButton, self.snoozeButton, self.doneButton):
            buttons.addWidget(widget)
        buttons.addStretch(1)
        buttons.addWidget(self.reassignCombo)
        buttons.addWidget(self.reassignButton)
        top = QHBoxLayout()
        top.addWidget(self.countLabel, 1)
        top.addWidget(self.refreshButton)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.emptyLabel)
        layout.addLayout(buttons)

        # Reminders: check every few seconds which callbacks crossed their due time.
        self.reminderTimer = QTimer(self)
        self.reminderTimer.setInterval(5000)
        self.reminderTimer.timeout.connect(self.check_reminders)
        self.reminderTimer.start()
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        callbacks, records = self._services.callbacks, self._services.records

        def work() -> tuple[tuple[CallbackItem, ...], tuple[str, ...]]:
            return callbacks.for_agent(self._agent), records.agent_usernames()

        def loaded(result: tuple[tuple[CallbackItem, ...], tuple[str, ...]]) -> None:
            items, agents = result
            self._render(list(items))
            self._render_agents(agents)

        run_in_background(self, self._executor, work, loaded, self._failed)

    def refresh(self, changed: frozenset[str]) -> None:
        if CHANGED_CALLBACKS in changed:
            self.reload()

    def _failed(self, error: BaseException) -> None:
        self.noticeRaised.emit(self.tr("Callbacks: {e}").format(e=error))
        self.reload()

    def _render_agents(self, agents: tuple[str, ...]) -> None:
        current = self.reassignCombo.currentData()
        self.reassignCombo.clear()
        self.reassignCombo.addItem(self.tr("Anyone"), None)
        for name in agents:
            self.reassignCombo.addItem(name, name)
        index = self.reassignCombo.findData(current)
        self.reassignCombo.setCurrentIndex(max(0, index))

    def _render(self, items: list[CallbackItem]) -> None:
        selected = self.selected()
        self.items = items
        self.tree.clear()
        red = QBrush(QColor("#b3261e"))
        for cb in items:
            row = QTreeWidgetItem(
                [
                    short_when(cb.due_at, ""),
                    cb.name or self.tr("(unknown)"),
                    cb.phone_e164 or "",
                    cb.note or "",
                    cb.agent_username or self.tr("anyone"),
                ]
            )
            row.setData(0, Qt.ItemDataRole.UserRole, str(cb.id))
            row.setToolTip(3, cb.note or "")
            if cb.overdue:
                font = row.font(0)
                font.setBold(True)
                for column in range(5):
                    row.setForeground(column, red)
                    row.setFont(column, font)
                row.setToolTip(0, self.tr("Overdue"))
            elif cb.due:
                font = row.font(0)
                font.setBold(True)
                row.setFont(0, font)
            self.tree.addTopLevelItem(row)
            if selected is not None and selected.id == cb.id:
                self.tree.setCurrentItem(row)
        overdue = sum(1 for cb in items if cb.overdue)
        due = sum(1 for cb in items if cb.due)
        self.countLabel.setText(
            self.tr("Callbacks: {n} · due: {due} · overdue: {overdue}").format(
                n=len(items), due=due, overdue=overdue
            )
        )
        self.emptyLabel.setVisible(not items)
        self.tree.setVisible(bool(items))
        self._update_buttons()
        self.check_reminders()

    # -- reminders -----------------------------------------------------------------------------

    def check_reminders(self) -> None:
        now = self._clock()
        for cb in self.items:
            if cb.id not in self._reminded and cb.due_at <= now:
                self._reminded.add(cb.id)
                self.reminderDue.emit(cb)

    # -- actions -------------------------------------------------------------------------------

    def selected(self) -> CallbackItem | None:
        item = self.tree.currentItem()
        if item is None:
            return None
        wanted = item.data(0, Qt.ItemDataRole.UserRole)
        return next((cb for cb in self.items if str(cb.id) == wanted), None)

    def _update_buttons(self) -> None:
        cb = self.selected()
        for widget in (self.snoozeButton, self.doneButton, self.reassignButton):
            widget.setEnabled(cb is not None)
        self.dialButton.setEnabled(cb is not None and bool(cb.phone_e164))
        self.openButton.setEnabled(cb is not None and (cb.contact_id or cb.lead_id) is not None)

    def _party(self, cb: CallbackItem) -> PartyRef | None:
        if cb.contact_id is not None:
            return PartyRef(OwnerKind.CONTACT, cb.contact_id)
        if cb.lead_id is not None:
            return PartyRef(OwnerKind.LEAD, cb.lead_id)
        return None

    def dial_selected(self) -> None:
        cb = self.selected()
        if cb is not None and cb.phone_e164:
            self.dialRequested.emit(cb.phone_e164, self._party(cb))

    def _open_selected(self) -> None:
        cb = self.selected()
        ref = self._party(cb) if cb is not None else None
        if ref is not None:
            self.openRequested.emit(ref)

    def _edit(self, work: Callable[[CallbackItem], object]) -> None:
        cb = self.selected()
        if cb is None:
            return
        run_in_background(
            self, self._executor, lambda: work(cb), lambda _: self.reload(), self._failed
        )

    def _snoozer(self, minutes: int) -> Callable[[], None]:
        return lambda *_: self.snooze_selected(minutes)

    def snooze_selected(self, minutes: int) -> None:
        service = self._services.callbacks
        until = self._clock() + timedelta(minutes=minutes)
        self._edit(
            lambda cb: service.snooze(
                cb.id,
                max(until, cb.due_at + timedelta(minutes=minutes)),
                expected_version=cb.version,
                actor=self._agent,
            )
        )

    def reassign_selected(self) -> None:
        service = self._services.callbacks
        agent = self.reassignCombo.currentData()
        self._edit(
            lambda cb: service.reassign(
                cb.id, agent, expected_version=cb.version, actor=self._agent
            )
        )

    def complete_selected(self) -> None:
        service = self._services.callbacks
        self._edit(
            lambda cb: service.complete(cb.id, expected_version=cb.version, actor=self._agent)
        )
