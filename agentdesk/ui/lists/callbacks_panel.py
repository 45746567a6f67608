"""The callback queue: due list, reminders at the due time, snooze, reassign, dial, done.

Beside the CRM callbacks it lists the agent's campaign callbacks (set in the wrap-up of a dialer
call). Those stay the dialer's: they are dialled through the dialer session (which judges DNC,
calling hours and the campaign's state again) and cannot be snoozed, reassigned or closed here.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor
from datetime import datetime, timedelta
from typing import Any

from PySide6.QtCore import QT_TRANSLATE_NOOP, Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QMenu,
    QPushButton,
    QToolButton,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.desk.core import DeskServices
from agentdesk.app.dialer.session import DialerSession
from agentdesk.app.dialer.views import DialerChanged, DialerEvent, EntryResult
from agentdesk.calls.callbacks import CallbackItem
from agentdesk.crm.party_details import PartyRef
from agentdesk.dialer.callbacks import CampaignCallback
from agentdesk.domain import changes
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import OwnerKind
from agentdesk.ui.lists.callback_rows import (
    CAMPAIGN,
    CAMPAIGN_COLUMN,
    CRM,
    NOTE_COLUMN,
    campaign_row,
    crm_row,
    row_key,
)
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background
from agentdesk.ui.shell.labels import pick_refusal

SNOOZES = (
    (15, QT_TRANSLATE_NOOP("CallbacksPanel", "15 minutes")),
    (60, QT_TRANSLATE_NOOP("CallbacksPanel", "1 hour")),
    (24 * 60, QT_TRANSLATE_NOOP("CallbacksPanel", "1 day")),
)
_Loaded = tuple[tuple[CallbackItem, ...], tuple[CampaignCallback, ...], tuple[str, ...]]


class CallbacksPanel(QWidget):
    """Lists the agent's and unassigned pending callbacks; overdue ones in red."""

    dialRequested = Signal(str, object)  # number, PartyRef | None
    openRequested = Signal(object)  # PartyRef
    reminderDue = Signal(object)  # CallbackItem whose due time just passed
    noticeRaised = Signal(str)
    dialerEvent = Signal(object)  # DialerEvent, relayed from the dialer session (GUI thread)

    def __init__(
        self,
        services: DeskServices,
        executor: Executor,
        agent: str,
        parent: QWidget | None = None,
        *,
        clock: Callable[[], datetime] = utcnow,
        dialer: DialerSession | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("callbacksPanel")
        self._services = services
        self._executor = executor
        self._agent = agent
        self._clock = clock
        self._dialer = dialer
        self.items: list[CallbackItem] = []
        self.campaign_items: list[CampaignCallback] = []
        self._last_result: EntryResult | None = dialer.view.last_result if dialer else None
        self._reminded: set[Any] = set()
        self._loading = False

        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels(
            [
                self.tr("Due"),
                self.tr("Who"),
                self.tr("Phone"),
                self.tr("Note"),
                self.tr("Campaign"),
                self.tr("Agent"),
            ]
        )
        # Room for a full international number and a username; the note takes the rest.
        for column, width in enumerate((135, 125, 128, 150, 95, 100)):
            self.tree.setColumnWidth(column, width)
        self.tree.header().setStretchLastSection(False)
        self.tree.header().setSectionResizeMode(NOTE_COLUMN, QHeaderView.ResizeMode.Stretch)
        self.tree.itemDoubleClicked.connect(lambda *_: self.dial_selected())
        self.tree.currentItemChanged.connect(lambda *_: self._update_buttons())
        self.emptyLabel = QLabel(self.tr("No callbacks due this week."), self)
        self.emptyLabel.setStyleSheet("color: #666;")
        self.countLabel = QLabel(self)
        self.refusalLabel = QLabel(self)
        self.refusalLabel.setObjectName("callbacksRefusal")
        self.refusalLabel.setStyleSheet("color: #b3261e;")
        self.refusalLabel.setWordWrap(True)
        self.refusalLabel.hide()

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
        layout.addWidget(self.refusalLabel)
        layout.addLayout(buttons)

        # Reminders: check every few seconds which callbacks crossed their due time.
        self.reminderTimer = QTimer(self)
        self.reminderTimer.setInterval(5000)
        self.reminderTimer.timeout.connect(self.check_reminders)
        self.reminderTimer.start()
        if dialer is not None:
            self.dialerEvent.connect(self._on_dialer_event)
            self._unsubscribe = dialer.subscribe(self.dialerEvent.emit)
            self.destroyed.connect(lambda *_: self._unsubscribe())
        self._update_buttons()

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        callbacks, records, dialer = self._services.callbacks, self._services.records, self._dialer

        def work() -> _Loaded:
            campaign = dialer.callbacks() if dialer is not None else ()
            return callbacks.for_agent(self._agent), campaign, records.agent_usernames()

        def loaded(result: _Loaded) -> None:
            items, campaign, agents = result
            self._render(list(items), list(campaign))
            self._render_agents(agents)

        run_in_background(self, self._executor, work, loaded, self._failed)

    def _on_dialer_event(self, event: DialerEvent) -> None:
        # An entry's state changed (a call's outcome or wrap-up, a DNC refusal...): campaign
        # callbacks may have been set, moved or closed.
        if isinstance(event, DialerChanged) and event.view.last_result is not self._last_result:
            self._last_result = event.view.last_result
            self.reload()

    def refresh(self, changed: frozenset[str]) -> None:
        if changes.CALLBACKS in changed:
            self.reload()

    def _failed(self, error: BaseException) -> None:
        self.noticeRaised.emit(self.tr("Callbacks: {e}").format(e=request_error_text(error)))
        self.reload()

    def _render_agents(self, agents: tuple[str, ...]) -> None:
        current = self.reassignCombo.currentData()
        self.reassignCombo.clear()
        self.reassignCombo.addItem(self.tr("Anyone"), None)
        for name in agents:
            self.reassignCombo.addItem(name, name)
        index = self.reassignCombo.findData(current)
        self.reassignCombo.setCurrentIndex(max(0, index))

    def _render(self, items: list[CallbackItem], campaign: list[CampaignCallback]) -> None:
        selected = self._selected_key()
        self.items = items
        self.campaign_items = campaign
        self.tree.clear()
        rows = [(cb.due_at, crm_row(cb)) for cb in items]
        rows += [(cb.due_at, campaign_row(cb, self._agent)) for cb in campaign]
        for _due, row in sorted(rows, key=lambda pair: pair[0]):
            self.tree.addTopLevelItem(row)
            if selected is not None and row.data(0, Qt.ItemDataRole.UserRole) == selected:
                self.tree.setCurrentItem(row)
        every: list[CallbackItem | CampaignCallback] = [*items, *campaign]
        self.countLabel.setText(
            self.tr("Callbacks: {n} · due: {due} · overdue: {overdue}").format(
                n=len(every),
                due=sum(1 for cb in every if cb.due),
                overdue=sum(1 for cb in every if cb.overdue),
            )
        )
        # Only agents with campaign callbacks give up note width to the campaign column.
        self.tree.setColumnHidden(CAMPAIGN_COLUMN, not campaign)
        self.emptyLabel.setVisible(not every)
        self.tree.setVisible(bool(every))
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

    def _selected_key(self) -> str | None:
        item = self.tree.currentItem()
        return None if item is None else str(item.data(0, Qt.ItemDataRole.UserRole))

    def selected(self) -> CallbackItem | None:
        """The selected CRM callback (``None`` also when a campaign callback is selected)."""
        wanted = self._selected_key()
        return next((cb for cb in self.items if row_key(CRM, cb.id) == wanted), None)

    def selected_campaign(self) -> CampaignCallback | None:
        """The selected campaign callback, if that is what is selected."""
        wanted = self._selected_key()
        return next((cb for cb in self.campaign_items if row_key(CAMPAIGN, cb.id) == wanted), None)

    def _update_buttons(self) -> None:
        cb = self.selected()
        campaign = self.selected_campaign()
        edits = (
            (
                self.snoozeButton,
                self.tr(
                    "The dialer schedules a campaign callback: "
                    "set a new time in the wrap-up of its call."
                ),
            ),
            (
                self.doneButton,
                self.tr(
                    "A campaign callback is closed by calling it: "
                    "its wrap-up ends it or sets a new time."
                ),
            ),
            (self.reassignButton, self.tr("A campaign callback stays with the agent who set it.")),
        )
        for widget, why in edits:
            widget.setEnabled(cb is not None)
            widget.setToolTip(why if campaign is not None else "")
        self.reassignCombo.setEnabled(campaign is None)
        if campaign is not None:
            self.dialButton.setEnabled(self._dialer is not None)
            self.openButton.setEnabled((campaign.contact_id or campaign.lead_id) is not None)
            return
        self.dialButton.setEnabled(cb is not None and bool(cb.phone_e164))
        self.openButton.setEnabled(cb is not None and (cb.contact_id or cb.lead_id) is not None)

    def _party(self, cb: CallbackItem | CampaignCallback) -> PartyRef | None:
        if cb.contact_id is not None:
            return PartyRef(OwnerKind.CONTACT, cb.contact_id)
        if cb.lead_id is not None:
            return PartyRef(OwnerKind.LEAD, cb.lead_id)
        return None

    def dial_selected(self) -> None:
        campaign = self.selected_campaign()
        if campaign is not None:
            self._dial_campaign(campaign)
            return
        cb = self.selected()
        if cb is not None and cb.phone_e164:
            self.dialRequested.emit(cb.phone_e164, self._party(cb))

    def _dial_campaign(self, cb: CampaignCallback) -> None:
        """Through the dialer: it reserves the entry under its rules, or says why not."""
        if self._dialer is None:
            return
        self.refusalLabel.hide()
        who = cb.name or cb.phone_e164

        def refused(reason: str, message: str) -> None:
            self._show_refusal(who, pick_refusal(reason) or message)
            self.reload()  # the entry's state changed (taken, listed, closed...)

        why = self._dialer.dial_callback(cb, refused)
        if why is not None:
            self._show_refusal(who, why)

    def _show_refusal(self, who: str, why: str) -> None:
        text = self.tr("Cannot call {who}: {why}").format(who=who, why=why)
        self.refusalLabel.setText(text)
        self.refusalLabel.show()
        self.noticeRaised.emit(text)

    def _open_selected(self) -> None:
        cb: CallbackItem | CampaignCallback | None = self.selected() or self.selected_campaign()
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
