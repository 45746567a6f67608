"""The agent's main window: softphone bar on top, customer panel, and the work tabs."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt, QTimer
from PySide6.QtGui import QAction, QCloseEvent, QIcon
from PySide6.QtWidgets import (
    QApplication,
    QLabel,
    QMainWindow,
    QSplitter,
    QSystemTrayIcon,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.admin import AdminService
from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.events import (
    DataChanged,
    DeskEvent,
    DeskNotice,
    JournalChanged,
    JournalView,
    PartyChosen,
    ScreenPopReady,
    WrapupFinished,
    WrapupStarted,
)
from agentdesk.app.desktop import DeskSummary, DesktopContext
from agentdesk.calls.callbacks import CallbackItem
from agentdesk.crm.party_details import PartyRef
from agentdesk.domain.changes import ACCOUNTS, CALLS, CONTACTS, LEADS
from agentdesk.ui.admin.dialog import AdminDialog
from agentdesk.ui.desk.customer_panel import CustomerPanel
from agentdesk.ui.desk.softphone_bar import SoftphoneBar
from agentdesk.ui.desk.wrapup_panel import WrapupPanel
from agentdesk.ui.dialer.panel import DialerPanel
from agentdesk.ui.lists.callbacks_panel import CallbacksPanel
from agentdesk.ui.lists.lists_panel import RecentCallsPanel, SearchPanel
from agentdesk.ui.sales.desk_parts import attach_sales
from agentdesk.ui.service.escalations import EscalationsDoor
from agentdesk.ui.service.opening import CaseDeskWindow, open_case_desk
from agentdesk.ui.shell.background import run_in_background
from agentdesk.ui.shell.bridge import DeskBridge
from agentdesk.ui.shell.menus import WindowMenus
from agentdesk.ui.shell.notices import notice_text, refusal_text
from agentdesk.ui.shell.phone_check import run_test_call as test_call
from agentdesk.ui.supervision.doors import SupervisorDoors

ICON = Path(__file__).resolve().parents[3] / "resources" / "icons" / "agentdesk.svg"
SUMMARY_REFRESH_MS = 60_000
_COUNTED = frozenset({CALLS, CONTACTS, ACCOUNTS, LEADS})
"""Changed kinds of data that the status bar's counts show."""


class MainWindow(QMainWindow):
    """Wires the controller's events to the panels; owns no call logic itself."""

    # Set by WindowMenus.
    adminAction: QAction
    boardAction: QAction
    leadsAction: QAction
    casesAction: QAction
    reportsAction: QAction
    settingsAction: QAction
    searchAction: QAction
    refreshAction: QAction
    shortcutsAction: QAction
    testCallAction: QAction
    aboutAction: QAction

    def __init__(self, context: DesktopContext, controller: DeskController) -> None:
        super().__init__()
        self._context = context
        self.controller = controller
        self._shutdown_started = False
        self._closed_clean = False
        self._shutdown_task: asyncio.Future[None] | None = None
        self.setWindowTitle(self.tr("AgentDesk — {agent}").format(agent=context.agent))
        if ICON.exists():
            self.setWindowIcon(QIcon(str(ICON)))
        self.resize(1280, 800)

        services, executor, agent = context.services, context.executor, context.agent
        self.bridge = DeskBridge(controller, self)
        self.softphoneBar = SoftphoneBar(controller, self)
        self.customerPanel = CustomerPanel(services, executor, agent, self)
        self.wrapupPanel = WrapupPanel(controller, services, executor, self)
        self.callbacksPanel = CallbacksPanel(services, executor, agent, self, dialer=context.dialer)
        self.recentPanel = RecentCallsPanel(services, executor, agent, self)
        self.searchPanel = SearchPanel(services, executor, agent, self)
        self.dialerPanel: DialerPanel | None = None
        self.admin = AdminService(
            context.database.sessions, agent, passwords=not context.database.embedded
        )
        self.adminDialog: AdminDialog | None = None
        self.adminAllowed: bool | None = None  # not known until the database answered
        self.supervision = SupervisorDoors(self, context)  # the board and the reports
        self.caseDesk: CaseDeskWindow | None = None
        if context.dialer is not None:
            self.dialerPanel = DialerPanel(context.dialer, executor, self)

        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.wrapupPanel, self.tr("Wrap-up"))
        self.tabs.addTab(self.callbacksPanel, self.tr("Callbacks"))
        self.tabs.addTab(self.recentPanel, self.tr("Recent calls"))
        self.tabs.addTab(self.searchPanel, self.tr("Search"))
        if self.dialerPanel is not None:
            self.tabs.addTab(self.dialerPanel, self.tr("Dialer"))
        self.tabs.setCurrentWidget(self.callbacksPanel)  # between calls, the work queue
        split = QSplitter(Qt.Orientation.Horizontal, self)
        split.addWidget(self.customerPanel)
        split.addWidget(self.tabs)
        split.setSizes([640, 640])
        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(8, 8, 8, 4)
        layout.addWidget(self.softphoneBar)
        layout.addWidget(split, 1)
        self.setCentralWidget(central)

        self.summaryLabel = QLabel(self.tr("Loading…"), self)
        self.journalLabel = QLabel(self)
        self.journalLabel.setObjectName("journalBanner")
        self.journalLabel.setStyleSheet("QLabel { background: #fff3cd; padding: 0 6px; }")
        self.statusBar().addPermanentWidget(self.journalLabel)  # an outage's banner
        self.show_journal(controller.journal)
        self.statusBar().addPermanentWidget(self.summaryLabel)
        self.escalations = EscalationsDoor(self, context)  # "2 escalations", the schedule
        self.statusBar().showMessage(
            self.tr("First run: demo data was added") if context.first_run else self.tr("Ready")
        )
        self.tray: QSystemTrayIcon | None = None
        if QSystemTrayIcon.isSystemTrayAvailable():
            self.tray = QSystemTrayIcon(self.windowIcon(), self)
            self.tray.show()
        self.menus = WindowMenus(self)
        sales = attach_sales(self, context)
        self.salesMenu, self.partySales, self.leadsDesk = sales.menu, sales.party, sales.leads
        self._connect()
        self.callbacksPanel.reload()
        self.recentPanel.reload()
        if self.dialerPanel is not None:
            self.dialerPanel.reload()
        self._summary_running = False
        self._summary_again = False
        self.refresh_summary()
        # Counts change behind the desk too (an import, a colleague's calls): a slow timer,
        # the read on the executor like every other.
        self.summaryTimer = QTimer(self)
        self.summaryTimer.setInterval(SUMMARY_REFRESH_MS)
        self.summaryTimer.timeout.connect(self.refresh_summary)
        self.summaryTimer.start()
        # Hidden until the database says this user may manage users.
        run_in_background(self, executor, self.admin.allowed, self._on_admin_checked)
        self.supervision.check()
        self.escalations.start()

    # -- wiring --------------------------------------------------------------------------------

    def _connect(self) -> None:
        self.bridge.deskEvent.connect(self._on_desk_event)
        self.bridge.deskEvent.connect(self.softphoneBar.on_desk_event)
        self.bridge.deskEvent.connect(self.wrapupPanel.on_desk_event)
        self.customerPanel.popShown.connect(self.controller.screen_pop_shown)
        self.customerPanel.partyChosen.connect(self.controller.choose_party)
        self.customerPanel.partyCreated.connect(self._on_party_created)
        self.customerPanel.noticeRaised.connect(self.notify)
        self.customerPanel.caseOpenRequested.connect(self.open_cases)
        self.callbacksPanel.noticeRaised.connect(self.notify)
        self.callbacksPanel.reminderDue.connect(self._on_reminder)
        for panel in (self.customerPanel, self.callbacksPanel, self.recentPanel, self.searchPanel):
            panel.dialRequested.connect(self.dial)
        for panel in (self.callbacksPanel, self.recentPanel, self.searchPanel):
            panel.openRequested.connect(self.customerPanel.show_party)
        if self.dialerPanel is not None:
            self.dialerPanel.noticeRaised.connect(self.notify)
            self.dialerPanel.entryOffered.connect(self._on_entry_offered)
            self.dialerPanel.entryReleased.connect(self._on_entry_released)

    def _on_desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, ScreenPopReady):
            self.customerPanel.show_pop(event.pop)
            self.bring_forward(event.pop.number)
        elif isinstance(event, PartyChosen):
            if event.party is not None and event.party != self.customerPanel.party:
                self.customerPanel.show_party(event.party)
        elif isinstance(event, WrapupStarted):
            self.tabs.setCurrentWidget(self.wrapupPanel)
        elif isinstance(event, JournalChanged):
            self.show_journal(event.journal)
        elif isinstance(event, WrapupFinished):
            self.refresh(event.changed)
            if event.kept:
                self.notify(
                    self.tr(
                        "Wrap-up saved on this computer: it goes to the database when the "
                        "database can be reached."
                    )
                )
            elif event.expired:
                self.notify(self.tr("Wrap-up time is over: saved with the default disposition."))
            else:
                self.notify(self.tr("Wrap-up saved."))
        elif isinstance(event, DataChanged):
            self.refresh(event.changed)
        elif isinstance(event, DeskNotice):
            text = notice_text(event.notice)
            self.notify(text, error=event.error)
            if event.error and self.wrapupPanel.wrapup is not None:
                self.wrapupPanel.errorLabel.setText(text)

    def show_journal(self, view: JournalView | None) -> None:
        """The outage banner: shown while changes wait for the database, gone once drained."""
        if view is None or view.pending == 0:
            self.journalLabel.hide()
            self.journalLabel.clear()
            return
        if view.unreachable:
            text = self.tr(
                "The database cannot be reached: %n change(s) kept on this computer",
                "",
                view.pending,
            )
        else:
            text = self.tr("Saving %n change(s) kept on this computer…", "", view.pending)
        self.journalLabel.setText("⚠ " + text)
        self.journalLabel.show()

    def refresh(self, changed: frozenset[str]) -> None:
        """Only the panels that show a changed kind of data reload."""
        self.customerPanel.refresh(changed)
        self.callbacksPanel.refresh(changed)
        self.recentPanel.refresh(changed)
        if changed & _COUNTED:
            self.refresh_summary()

    def reload_all(self) -> None:
        """View > Reload: every list and the counts read again."""
        self.callbacksPanel.reload()
        self.recentPanel.reload()
        if self.dialerPanel is not None:
            self.dialerPanel.reload()
        self.refresh_summary()

    def focus_search(self) -> None:
        self.tabs.setCurrentWidget(self.searchPanel)
        self.searchPanel.queryEdit.setFocus()
        self.searchPanel.queryEdit.selectAll()

    def refresh_summary(self) -> None:
        """Read the status bar's counts again (one read at a time: a slow database must not
        pile them up; a request meanwhile reads once more when it is done)."""
        if self._summary_running:
            self._summary_again = True  # a change after the running read began: read again
            return
        self._summary_running = True
        self._summary_again = False
        run_in_background(
            self, self._context.executor, self._context.summary, self._on_summary,
            self._on_summary_failed,
        )  # fmt: skip

    # -- actions -------------------------------------------------------------------------------

    def notify(self, message: str, error: bool = False) -> None:
        self.statusBar().showMessage(("⚠ " if error else "") + message, 10000)

    def bring_forward(self, who: str) -> None:
        if self.isMinimized():
            if self.tray is not None and self.tray.isVisible():
                self.tray.showMessage(
                    self.tr("Incoming call"), who, QSystemTrayIcon.MessageIcon.Information, 8000
                )
            self.showNormal()
        self.raise_()
        self.activateWindow()
        # Window managers may refuse to focus a window that did not ask; the taskbar entry
        # then flashes instead, which is the tray's fallback on desktops without one.
        QApplication.alert(self)

    def dial(self, number: str, party: object = None) -> None:
        ref = party if isinstance(party, PartyRef) else None
        why = self.controller.dial(number, ref)
        if why:
            why = refusal_text(why)
            self.notify(self.tr("Cannot call {number}: {why}").format(number=number, why=why), True)
        else:
            self.softphoneBar.numberEdit.setText(number)

    def _on_entry_offered(self, ref: PartyRef) -> None:
        # The previewed entry's record fills the customer panel, unless a call has it.
        if self.controller.call is None and self.controller.wrapup is None:
            self.customerPanel.show_party(ref)
            if self.dialerPanel is not None:
                self.tabs.setCurrentWidget(self.dialerPanel)

    def _on_entry_released(self, ref: PartyRef) -> None:
        # The paused dialer gave the entry back: its record leaves the screen unless a call
        # or a wrap-up is about it, or the agent has opened another record meanwhile.
        idle = self.controller.call is None and self.controller.wrapup is None
        if idle and self.customerPanel.party == ref:
            self.customerPanel.clear()

    def _on_party_created(self, ref: PartyRef) -> None:
        self.controller.choose_party(ref)
        self.refresh_summary()
        self.notify(self.tr("Record created and linked to the call."))

    def _on_reminder(self, item: CallbackItem) -> None:
        text = self.tr("Callback due: {who} {phone}").format(
            who=item.name or "", phone=item.phone_e164 or ""
        )
        self.notify(text)
        if self.tray is not None and self.tray.isVisible():
            self.tray.showMessage(self.tr("Callback due"), text)

    def open_settings(self) -> None:
        from agentdesk.ui.shell.settings_dialog import SettingsDialog

        SettingsDialog(self._context, self).exec()

    def _on_admin_checked(self, allowed: bool) -> None:
        self.adminAllowed = allowed
        self.adminAction.setVisible(allowed)

    def open_admin(self) -> None:
        """The admin screen, one at a time and not modal: calls keep coming while it is open.
        Opened again, it reads the database again and keeps what was typed in its forms."""
        if self.adminDialog is None:
            self.adminDialog = AdminDialog(self.admin, self._context.executor, self)
        else:
            self.adminDialog.reload()
        self.adminDialog.show()
        self.adminDialog.raise_()
        self.adminDialog.activateWindow()

    def open_cases(self, case_id: object = None) -> None:
        """View > Cases, or one case from the customer panel's open cases."""
        self.caseDesk = open_case_desk(self.caseDesk, self._context, self, case_id)

    def run_test_call(self) -> None:
        test_call(self._context, self)

    def _summary_done(self) -> None:
        self._summary_running = False
        if self._summary_again and not self._shutdown_started:
            self.refresh_summary()

    def _on_summary_failed(self, error: BaseException) -> None:
        self._summary_done()
        self.summaryLabel.setText(self.tr("Cannot read the database: {error}").format(error=error))

    def _on_summary(self, s: DeskSummary) -> None:
        self._summary_done()
        text = self.tr(
            "{contacts:,} contacts, {accounts:,} accounts, {leads:,} leads, {calls:,} calls"
        )
        self.summaryLabel.setText(
            text.format(contacts=s.contacts, accounts=s.accounts, leads=s.leads, calls=s.calls)
        )

    # -- closing -------------------------------------------------------------------------------

    def closeEvent(self, event: QCloseEvent) -> None:
        if self._closed_clean:
            event.accept()
            return
        event.ignore()
        if not self._shutdown_started:
            self._shutdown_started = True
            self.summaryTimer.stop()  # the executor goes away with the window
            self.escalations.stop()
            self.notify(self.tr("Closing: hanging up and saving…"))
            self._shutdown_task = asyncio.ensure_future(self._shutdown())

    async def _shutdown(self) -> None:
        try:
            if self._context.dialer is not None:
                self._context.dialer.close()  # a reserved entry goes back to the pool
            await self.controller.shutdown()
        finally:
            self._closed_clean = True
            self.close()
