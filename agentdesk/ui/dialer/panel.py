"""The dialer tab: campaign, start / pause, the next entry with its script, countdown, progress.

In manual mode a list of the next dialable entries replaces the single next entry; the agent
picks one (double-click or "Dial selected") and the session reserves and dials it.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Mapping
from concurrent.futures import Executor

from PySide6.QtCore import Qt, QTimer, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QTextBrowser,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.dialer.session import DialerSession
from agentdesk.app.dialer.views import (
    DialerChanged,
    DialerEvent,
    DialerNotice,
    DialerPhase,
    DialerView,
    party_of,
)
from agentdesk.dialer.campaigns import CampaignInfo
from agentdesk.dialer.selection import OfferedEntry
from agentdesk.ui.desk.pop_views import title_label
from agentdesk.ui.dialer.choices import EntryChoicesTable
from agentdesk.ui.dialer.progress import ProgressStrip
from agentdesk.ui.dialer.wording import (
    NO_ROUTE,
    SKIP_REASONS,
    blocked_text,
    entry_title,
    history_text,
    last_text,
    marked,
    mode_text,
    state_text,
    word,
)
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background
from agentdesk.ui.shell.labels import pick_refusal
from agentdesk.ui.shell.notices import notice_text


class DialerPanel(QWidget):
    """Renders the session's ``DialerView``; commands go back to the session."""

    entryOffered = Signal(object)  # PartyRef of the offered entry's record
    entryReleased = Signal(object)  # PartyRef of an offered entry given back (pause, nothing)
    noticeRaised = Signal(str, bool)
    dialerEvent = Signal(object)  # DialerEvent, relayed from the session (GUI thread)

    def __init__(
        self,
        session: DialerSession,
        executor: Executor,
        parent: QWidget | None = None,
        *,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("dialerPanel")
        self._session = session
        self._executor = executor
        self._now = monotonic
        self.campaigns: list[CampaignInfo] = []
        self.view: DialerView = session.view
        self._shown_entry: object = None
        self._offered_party: object = None

        self.campaignCombo = QComboBox(self)
        self.campaignCombo.setMinimumWidth(200)
        self.campaignCombo.currentIndexChanged.connect(self._on_campaign_chosen)
        self.modeLabel = QLabel(self)
        self.modeLabel.setObjectName("dialerMode")
        self.startButton = QPushButton(self.tr("Start"), self)
        self.startButton.setObjectName("dialerStart")
        self.startButton.clicked.connect(self.toggle)
        self.reloadButton = QPushButton(self.tr("Reload"), self)
        self.reloadButton.setToolTip(self.tr("Reload the campaigns assigned to you"))
        self.reloadButton.clicked.connect(self.reload)
        # The mode and hours get a line of their own: beside the combo they made the tab wider
        # than its half of the window, and the splitter took the room from the record panel.
        self.modeLabel.setWordWrap(True)
        self.modeLabel.setStyleSheet("color: #5f6368;")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Campaign:"), self))
        top.addWidget(self.campaignCombo, 1)
        top.addWidget(self.startButton)
        top.addWidget(self.reloadButton)

        self.stateLabel = title_label("", self, 1)
        self.stateLabel.setObjectName("dialerState")
        self.countdownBar = QProgressBar(self)
        self.countdownBar.setTextVisible(False)
        self.countdownBar.setMaximumHeight(8)
        self.blockedLabel = QLabel(self)
        self.blockedLabel.setObjectName("dialerBlocked")
        self.blockedLabel.setWordWrap(True)
        self.blockedLabel.setStyleSheet(
            "background: #fff4e5; border: 1px solid #f0c27b; border-radius: 4px; padding: 6px;"
        )

        self.nameLabel = title_label("", self, 3)
        self.phoneLabel = QLabel(self)
        self.phoneLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.companyLabel = QLabel(self)
        self.cityLabel = QLabel(self)
        self.historyLabel = QLabel(self)
        details = QFormLayout()
        details.addRow(self.tr("Phone:"), self.phoneLabel)
        details.addRow(self.tr("Company:"), self.companyLabel)
        details.addRow(self.tr("City:"), self.cityLabel)
        details.addRow(self.tr("Attempts:"), self.historyLabel)
        self.dialButton = QPushButton(self.tr("Dial now"), self)
        self.dialButton.setObjectName("dialerDialNow")
        self.dialButton.clicked.connect(self.dial_now)
        self.skipReasonCombo = QComboBox(self)
        self.skipReasonCombo.setEditable(True)
        self.skipReasonCombo.setMinimumWidth(200)
        edit = self.skipReasonCombo.lineEdit()
        if edit is not None:
            edit.setPlaceholderText(self.tr("Reason for skipping"))
        self.skipReasonCombo.addItem("")
        for reason in SKIP_REASONS:
            self.skipReasonCombo.addItem(marked(reason))
        self.skipButton = QPushButton(self.tr("Skip"), self)
        self.skipButton.setObjectName("dialerSkip")
        self.skipButton.clicked.connect(self.skip)
        actions = QHBoxLayout()
        actions.addWidget(self.dialButton)
        actions.addStretch(1)
        actions.addWidget(self.skipReasonCombo)
        actions.addWidget(self.skipButton)
        self.entryBox = QGroupBox(self.tr("Next entry"), self)
        entry_layout = QVBoxLayout(self.entryBox)
        entry_layout.addWidget(self.nameLabel)
        entry_layout.addLayout(details)
        entry_layout.addLayout(actions)

        self.choicesTable = EntryChoicesTable(self)
        self.choicesTable.cellDoubleClicked.connect(lambda row, _column: self._pick_row(row))
        self.choicesTable.itemSelectionChanged.connect(self._on_choice_selected)
        self.pickButton = QPushButton(self.tr("Dial selected"), self)
        self.pickButton.setObjectName("dialerPick")
        self.pickButton.clicked.connect(self.pick)
        self.refreshButton = QPushButton(self.tr("Refresh list"), self)
        self.refreshButton.setObjectName("dialerRefresh")
        self.refreshButton.clicked.connect(self._session.refresh_choices)
        pick_actions = QHBoxLayout()
        pick_actions.addWidget(self.pickButton)
        pick_actions.addStretch(1)
        pick_actions.addWidget(self.refreshButton)
        self.choicesBox = QGroupBox(self.tr("Next dialable entries"), self)
        choices_layout = QVBoxLayout(self.choicesBox)
        choices_layout.addWidget(self.choicesTable)
        choices_layout.addLayout(pick_actions)

        self.scriptView = QTextBrowser(self)
        self.scriptView.setObjectName("dialerScript")
        self.scriptView.setPlaceholderText(self.tr("The campaign has no script."))
        font = self.scriptView.font()
        font.setPointSize(font.pointSize() + 1)
        self.scriptView.setFont(font)
        self.scriptBox = QGroupBox(self.tr("Script"), self)
        QVBoxLayout(self.scriptBox).addWidget(self.scriptView)

        stats_frame = ProgressStrip(self)
        self.progressLabels = stats_frame.labels
        self.lastLabel = QLabel(self)
        self.lastLabel.setObjectName("dialerLast")
        self.lastLabel.setWordWrap(True)
        self.lastLabel.setStyleSheet("color: #444;")

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.modeLabel)
        layout.addWidget(self.stateLabel)
        layout.addWidget(self.countdownBar)
        layout.addWidget(self.blockedLabel)
        layout.addWidget(self.entryBox)
        layout.addWidget(self.choicesBox, 1)
        layout.addWidget(self.scriptBox, 1)
        # Takes the script's room while no entry is shown, so the numbers stay at the bottom.
        self._filler = QWidget(self)
        layout.addWidget(self._filler, 1)
        layout.addWidget(stats_frame)
        layout.addWidget(self.lastLabel)

        self.countdownTimer = QTimer(self)
        self.countdownTimer.setInterval(200)
        self.countdownTimer.timeout.connect(self._tick)
        self.dialerEvent.connect(self._on_dialer_event)
        self._unsubscribe = session.subscribe(self.dialerEvent.emit)
        self.destroyed.connect(lambda *_: self._unsubscribe())
        self.show_view(session.view)

    # -- loading -------------------------------------------------------------------------------

    def reload(self) -> None:
        """Load the campaigns assigned to the agent."""
        run_in_background(
            self, self._executor, self._session.campaigns, self._render_campaigns, self._failed
        )

    def _failed(self, error: BaseException) -> None:
        self.noticeRaised.emit(
            self.tr("Dialer: {error}").format(error=request_error_text(error)), True
        )

    def _render_campaigns(self, campaigns: list[CampaignInfo]) -> None:
        self.campaigns = campaigns
        current = self.view.campaign.name if self.view.campaign else None
        self.campaignCombo.blockSignals(True)
        self.campaignCombo.clear()
        for campaign in campaigns:
            self.campaignCombo.addItem(campaign.name, campaign.name)
        index = self.campaignCombo.findData(current) if current else (0 if campaigns else -1)
        self.campaignCombo.setCurrentIndex(index)
        self.campaignCombo.blockSignals(False)
        if not campaigns:
            self.stateLabel.setText(self.tr("No campaign is assigned to you."))
        self._on_campaign_chosen(self.campaignCombo.currentIndex())

    def _on_campaign_chosen(self, index: int) -> None:
        name = self.campaignCombo.itemData(index) if index >= 0 else None
        campaign = next((c for c in self.campaigns if c.name == name), None)
        if campaign is not None or self.view.campaign is not None:
            self._session.select_campaign(campaign)

    # -- commands ------------------------------------------------------------------------------

    def toggle(self) -> None:
        if self.view.running:
            self._session.pause()
            return
        problem = self._session.controller.route_problem()
        why = word(NO_ROUTE, problem) if problem is not None else self._session.start()
        if why:
            text = self.tr("Cannot start the dialer: {why}").format(why=why)
            self.noticeRaised.emit(text, True)
            if problem is not None:  # the setting to change stays in sight, not only 10 s
                self.blockedLabel.setText(text)
                self.blockedLabel.setVisible(True)

    def dial_now(self) -> None:
        why = self._session.dial_now()
        if why:
            self.noticeRaised.emit(self.tr("Cannot dial: {why}").format(why=why), True)

    def pick(self) -> None:
        """Dial the entry selected in the manual-mode list."""
        row = self.choicesTable.selected_row()
        if row is None:
            self.noticeRaised.emit(self.tr("Select an entry in the list first."), True)
            return
        self._pick_row(row)

    def _pick_row(self, row: int) -> None:
        choices = self.view.choices
        if not 0 <= row < len(choices):
            return
        why = self._session.pick(choices[row].id)
        if why:
            self.noticeRaised.emit(self.tr("Cannot dial: {why}").format(why=why), True)

    def _on_choice_selected(self) -> None:
        # Show the selected entry's record in the customer panel before dialling it.
        row = self.choicesTable.selected_row()
        choices = self.view.choices
        if row is not None and 0 <= row < len(choices):
            party = party_of(choices[row])
            if party is not None:
                self.entryOffered.emit(party)

    def skip(self) -> None:
        why = self._session.skip(self.skipReasonCombo.currentText().strip())
        if why:
            self.noticeRaised.emit(self.tr("Cannot skip: {why}").format(why=why), True)
        else:
            self.skipReasonCombo.setCurrentIndex(0)

    # -- rendering -----------------------------------------------------------------------------

    def _on_dialer_event(self, event: DialerEvent) -> None:
        if isinstance(event, DialerChanged):
            self.show_view(event.view)
        elif isinstance(event, DialerNotice):
            why = pick_refusal(event.reason)
            if why is not None:
                text = self.tr("Cannot dial {who}: {why}").format(who=event.who, why=why)
                self.noticeRaised.emit(text, event.error)
            else:
                self.noticeRaised.emit(notice_text(event.notice), event.error)

    def show_view(self, view: DialerView) -> None:
        self.view = view
        campaign = view.campaign
        self.modeLabel.setText(
            self.tr("{mode} · calls {window} callee time").format(
                mode=mode_text(campaign.mode), window=campaign.window
            )
            if campaign
            else ""
        )
        self.startButton.setText(self.tr("Pause") if view.running else self.tr("Start"))
        self.startButton.setEnabled(campaign is not None)
        self.campaignCombo.setEnabled(not view.running)
        self._render_entry(view.entry, view)
        self._render_choices(view)
        self._render_blocked(view.blocked if view.phase is DialerPhase.NOTHING else {})
        self._render_progress(view)
        self.lastLabel.setText(last_text(view.last_result))
        self.lastLabel.setVisible(view.last_result is not None)
        if view.countdown_deadline is not None:
            self.countdownTimer.start()
        else:
            self.countdownTimer.stop()
        self._tick()

    def _render_entry(self, entry: OfferedEntry | None, view: DialerView) -> None:
        offered = view.phase is DialerPhase.OFFERED and entry is not None
        self.dialButton.setEnabled(offered)
        self.skipButton.setEnabled(offered)
        self.skipReasonCombo.setEnabled(offered)
        self.entryBox.setVisible(entry is not None)
        self.scriptBox.setVisible(entry is not None)
        self._filler.setVisible(entry is None and view.phase is not DialerPhase.CHOOSING)
        # The picked entry of manual mode is already dialling: nothing to dial or skip.
        self.dialButton.setVisible(view.mode != "manual")
        self.skipButton.setVisible(view.mode != "manual")
        self.skipReasonCombo.setVisible(view.mode != "manual")
        if entry is None:
            self.scriptView.clear()
            self._shown_entry = None
            released = view.phase in (DialerPhase.STOPPED, DialerPhase.NOTHING, DialerPhase.OUTAGE)
            if released and self._offered_party is not None:
                # Paused: the entry went back to the pool, its record should not stay on
                # screen as if it were still the agent's to call.
                self.entryReleased.emit(self._offered_party)
                self._offered_party = None
            return
        self.nameLabel.setText(entry_title(entry))
        self.phoneLabel.setText(entry.phone)
        self.companyLabel.setText(entry.company or "–")
        self.cityLabel.setText(", ".join(p for p in (entry.city, entry.country) if p) or "–")
        self.historyLabel.setText(history_text(entry))
        if self._shown_entry != entry.id:
            self._shown_entry = entry.id
            self.scriptView.setPlainText(entry.script or "")
            party = party_of(entry)
            if offered and party is not None:
                self._offered_party = party
                self.entryOffered.emit(party)

    def _render_choices(self, view: DialerView) -> None:
        choosing = view.phase is DialerPhase.CHOOSING
        self.choicesBox.setVisible(choosing)
        self.pickButton.setEnabled(choosing and bool(view.choices))
        self.choicesTable.show_entries(view.choices)

    def _render_blocked(self, blocked: Mapping[str, int]) -> None:
        if self.view.phase is DialerPhase.NOTHING:
            self.blockedLabel.setText(blocked_text(blocked))
        self.blockedLabel.setVisible(self.view.phase is DialerPhase.NOTHING)

    def _render_progress(self, view: DialerView) -> None:
        progress = view.progress
        for key, label in self.progressLabels.items():
            label.setText(f"{getattr(progress, key):,}" if progress is not None else "–")

    def _tick(self) -> None:
        view = self.view
        deadline = view.countdown_deadline
        left = None if deadline is None else deadline - self._now()
        self.countdownBar.setVisible(left is not None)
        if left is not None:
            total = max(view.countdown_seconds, 0.001)
            self.countdownBar.setMaximum(1000)
            self.countdownBar.setValue(int(1000 * max(0.0, left) / total))
        self.stateLabel.setText(state_text(view, left))
