"""View > Supervisor board: the agents the supervisor watches, live, and a wallboard mode.

The database says when something changed (``app/board.py``'s feed, on a thread of its own);
the board then reads the agents again off the GUI thread. Time in state counts up locally
every second, coloured by thresholds in the manner of VICIdial's real-time report, so a
long call or a long pause stands out without reading the numbers.
"""

from __future__ import annotations

from collections.abc import Sequence
from concurrent.futures import Executor
from datetime import UTC, datetime

from PySide6.QtCore import QCoreApplication, Qt, QTimer, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.board import BoardService
from agentdesk.dialer.outcomes import CampaignProgress
from agentdesk.domain.contact_metrics import ServiceLevelFormula
from agentdesk.supervision.board_figures import CAMPAIGNS_EVERY_S, BoardFigures
from agentdesk.supervision.changes import ChangeFeed
from agentdesk.supervision.presence import LOST, AgentOnBoard
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background
from agentdesk.ui.shell.labels import agent_status_text

ALL_TEAMS = "__all__"
WALLBOARD_SCALE = 2.2
WALLBOARD_HEADER_SCALE = 1.4
"""Column titles smaller than the figures: eleven queue columns must fit a screen's width."""
# (state, seconds in state from which this colour applies): later thresholds darken
COLOURS: dict[str, tuple[tuple[float, str], ...]] = {
    "available": ((0, "#cfe3ff"), (60, "#8fbaf5"), (300, "#4a86d9")),
    "ringing": ((0, "#e8d7f7"),),
    "talking": ((0, "#e8d7f7"), (10, "#d0b0f0"), (60, "#b184e0"), (300, "#8c52c9")),
    "held": ((0, "#d0b0f0"), (60, "#8c52c9")),
    "wrap_up": ((0, "#d6f0d0"), (60, "#a6d99a")),
    "not_ready": ((0, "#fff3b0"), (300, "#ffd95e"), (900, "#f5b400")),
    LOST: ((0, "#c8c8c8"),),
}
DARK_FROM = ("#4a86d9", "#8c52c9", "#b184e0")
"""Backgrounds dark enough to need white text."""


def state_colour(state: str, seconds: float) -> str:
    """The background of a state cell after ``seconds`` in the state."""
    colour = "#ffffff"
    for since, shade in COLOURS.get(state, ()):
        if seconds >= since:
            colour = shade
    return colour


def percent(value: float | None) -> str:
    return "—" if value is None else f"{value:.0f}%"


def formula_text(formula: ServiceLevelFormula) -> str:
    translate = QCoreApplication.translate
    match formula:
        case ServiceLevelFormula.ANSWERED:
            return translate("BoardWindow", "answered within T / answered")
        case ServiceLevelFormula.ANSWERED_AND_ABANDONED:
            return translate("BoardWindow", "answered within T / (answered + abandoned)")
        case ServiceLevelFormula.ABANDONED_AFTER_T:
            return translate("BoardWindow", "answered within T / (answered + abandoned after T)")


def clock(seconds: float) -> str:
    whole = int(seconds)
    hours, rest = divmod(whole, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class BoardWindow(QWidget):
    changed = Signal()  # emitted by the feed's thread; delivered on the GUI thread

    def __init__(
        self, service: BoardService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent, Qt.WindowType.Window)
        self.setObjectName("boardWindow")
        self.setWindowTitle(self.tr("Supervisor board"))
        self._service = service
        self._executor = executor
        self.agents: list[AgentOnBoard] = []
        self.figures: BoardFigures | None = None
        self.read_at: datetime | None = None
        self.loads = 0
        """Reads not finished yet (the tests wait for none)."""
        self._feed: ChangeFeed | None = None

        self.teamCombo = QComboBox(self)
        self.teamCombo.addItem(self.tr("All teams"), ALL_TEAMS)
        self.teamCombo.currentIndexChanged.connect(lambda _: self._render())
        self.wallboardButton = QPushButton(self.tr("Wallboard"), self)
        self.wallboardButton.setCheckable(True)
        self.wallboardButton.setToolTip(self.tr("Full screen, large figures to read across a room"))
        self.wallboardButton.toggled.connect(self.set_wallboard)
        self.summaryLabel = QLabel(self)
        self.summaryLabel.setObjectName("boardSummary")
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Team:"), self))
        top.addWidget(self.teamCombo)
        top.addWidget(self.summaryLabel, 1)
        top.addWidget(self.wallboardButton)

        self.queuesTable = QTableWidget(0, 11, self)
        self.queuesTable.setObjectName("boardQueues")
        self.queuesTable.setHorizontalHeaderLabels([
            self.tr("Queue"), self.tr("Waiting"), self.tr("Longest wait"),
            self.tr("Service level"), self.tr("Abandon %"), self.tr("ASA"),
            self.tr("Answered / offered"), self.tr("Available"), self.tr("On call"),
            self.tr("Wrap-up"), self.tr("Not ready"),
        ])  # fmt: skip
        self._plain(self.queuesTable)
        self.formulaLabel = QLabel(self)
        self.formulaLabel.setObjectName("boardFormula")
        self.formulaLabel.setWordWrap(True)  # a long sentence must not widen the wallboard
        self.campaignsTable = QTableWidget(0, 5, self)
        self.campaignsTable.setObjectName("boardCampaigns")
        self.campaignsTable.setHorizontalHeaderLabels([
            self.tr("Campaign"), self.tr("Dialed"), self.tr("Contacted"), self.tr("Successes"),
            self.tr("Remaining"),
        ])  # fmt: skip
        self._plain(self.campaignsTable)
        self.campaignsTable.hide()
        self.campaigns: list[CampaignProgress] | None = None

        self.table = QTableWidget(0, 8, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Agent"), self.tr("Team"), self.tr("State"), self.tr("Time in state"),
            self.tr("Call"), self.tr("Party"), self.tr("Calls today"), self.tr("AHT today"),
        ])  # fmt: skip
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        self.table.verticalHeader().setVisible(False)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        # room for a name, a reason and a clock in every language, not just the text shown now
        header.setMinimumSectionSize(self.fontMetrics().horizontalAdvance("M") * 9)
        header.setSectionResizeMode(5, QHeaderView.ResizeMode.Stretch)
        self.messageLabel = QLabel(self)
        self.messageLabel.setWordWrap(True)
        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.queuesTable)
        layout.addWidget(self.formulaLabel)
        layout.addWidget(self.campaignsTable)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.messageLabel)

        self._tick = QTimer(self)
        self._tick.setInterval(1000)
        self._tick.timeout.connect(self._render)
        self._campaignTimer = QTimer(self)
        self._campaignTimer.setInterval(CAMPAIGNS_EVERY_S * 1000)
        self._campaignTimer.timeout.connect(self.reload_campaigns)
        self.changed.connect(self.reload)
        self.resize(980, 560)

    # -- life --------------------------------------------------------------------------------

    def start(self) -> None:
        """Read the agents and follow the database's changes until the window closes."""
        self.reload()
        self.reload_campaigns()
        self._campaignTimer.start()
        if self._feed is None:
            self._feed = self._service.watch(self.changed.emit)
        self._tick.start()

    def closeEvent(self, event: object) -> None:
        self._tick.stop()
        self._campaignTimer.stop()
        if self._feed is not None:
            self._feed.stop()
            self._feed = None
        super().closeEvent(event)  # type: ignore[arg-type]

    def reload(self) -> None:
        self.loads += 1

        def done(agents: Sequence[AgentOnBoard]) -> None:
            self.loads -= 1
            self.agents = list(agents)
            self.read_at = datetime.now(UTC)
            self.messageLabel.clear()
            self._fill_teams()
            self._render()

        def failed(error: BaseException) -> None:
            self.loads -= 1
            self.messageLabel.setText(
                self.tr("The board could not be read: {e}").format(e=request_error_text(error))
            )

        run_in_background(self, self._executor, self._service.agents, done, failed)
        self.loads += 1

        def figures_done(figures: BoardFigures) -> None:
            self.loads -= 1
            self.figures = figures
            self._render()

        run_in_background(self, self._executor, self._service.figures, figures_done, failed)

    def reload_campaigns(self) -> None:
        self.loads += 1

        def done(campaigns: list[CampaignProgress]) -> None:
            self.loads -= 1
            self.campaigns = campaigns
            self._render_campaigns()

        def failed(error: BaseException) -> None:
            self.loads -= 1
            self.messageLabel.setText(
                self.tr("The board could not be read: {e}").format(e=request_error_text(error))
            )

        run_in_background(self, self._executor, self._service.campaigns, done, failed)

    def _render_campaigns(self) -> None:
        rows = self.campaigns or []
        table = self.campaignsTable
        table.setRowCount(len(rows))
        for row, progress in enumerate(rows):
            cells = (
                progress.campaign, str(progress.dialed), str(progress.contacted),
                str(progress.successes), str(progress.remaining),
            )  # fmt: skip
            for column, text in enumerate(cells):
                table.setItem(row, column, QTableWidgetItem(text))
        height = table.horizontalHeader().height() + 4
        table.setFixedHeight(height + sum(table.rowHeight(r) for r in range(len(rows))))
        table.setVisible(bool(rows))

    @staticmethod
    def _plain(table: QTableWidget) -> None:
        table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        table.verticalHeader().setVisible(False)
        table.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        table.horizontalHeader().setStretchLastSection(True)

    # -- rendering ---------------------------------------------------------------------------

    def _fill_teams(self) -> None:
        chosen = self.teamCombo.currentData()
        teams = sorted({a.team for a in self.agents if a.team})
        known = [self.teamCombo.itemData(i) for i in range(1, self.teamCombo.count())]
        if known == teams:
            return
        self.teamCombo.blockSignals(True)
        while self.teamCombo.count() > 1:
            self.teamCombo.removeItem(1)
        for team in teams:
            self.teamCombo.addItem(team, team)
        index = self.teamCombo.findData(chosen)
        self.teamCombo.setCurrentIndex(max(index, 0))
        self.teamCombo.blockSignals(False)

    def shown_agents(self) -> list[AgentOnBoard]:
        team = self.teamCombo.currentData()
        return [a for a in self.agents if team == ALL_TEAMS or a.team == team]

    def _render(self) -> None:
        agents = self.shown_agents()
        elapsed = (datetime.now(UTC) - self.read_at).total_seconds() if self.read_at else 0.0
        self.table.setRowCount(len(agents))
        counts: dict[str, int] = {}
        for row, agent in enumerate(agents):
            seconds = agent.seconds_in_state + elapsed
            counts[agent.state] = counts.get(agent.state, 0) + 1
            state_text = agent_status_text(agent.state)
            if agent.reason:
                state_text = self.tr("{state}: {reason}").format(
                    state=state_text, reason=agent.reason
                )
            today = self.figures.agents.get(agent.user_id) if self.figures else None
            aht = today.aht_s if today is not None else None
            cells = (
                agent.name, agent.team or "—", state_text, clock(seconds),
                agent.call_number or "", agent.party_name or "",
                str(today.handled if today else 0), clock(aht) if aht is not None else "—",
            )  # fmt: skip
            background = QColor(state_colour(agent.state, seconds))
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if column in (2, 3):
                    item.setBackground(background)
                    if background.name() in DARK_FROM:
                        item.setForeground(QColor("#ffffff"))
                self.table.setItem(row, column, item)
        self.summaryLabel.setText(
            self.tr("{n} agents: {available} available, {busy} on a call, {wrapup} in wrap-up, "
                    "{paused} not ready, {lost} lost").format(
                n=len(agents),
                available=counts.get("available", 0),
                busy=sum(counts.get(s, 0) for s in ("ringing", "talking", "held")),
                wrapup=counts.get("wrap_up", 0),
                paused=counts.get("not_ready", 0),
                lost=counts.get(LOST, 0),
            )
        )  # fmt: skip
        self._render_queues(elapsed)

    def _render_queues(self, elapsed: float) -> None:
        tiles = self.figures.queues if self.figures is not None else []
        self.queuesTable.setRowCount(len(tiles))
        unstaffed = self.tr("Nobody is named to serve this queue: agentdesk queue member add")
        for row, tile in enumerate(tiles):
            counts = tile.today
            longest = tile.longest_waiting_s
            staff = tile.staffing(self.agents)
            people = (
                ("—",) * 4
                if staff is None
                else (str(staff.available), str(staff.on_call), str(staff.wrap_up),
                      str(staff.not_ready))
            )  # fmt: skip
            cells = (
                tile.queue,
                str(tile.waiting),
                clock(longest + elapsed) if longest is not None else "—",
                percent(tile.service_level_pct),
                percent(counts.abandon_pct()),
                clock(asa) if (asa := counts.asa_s()) is not None else "—",
                f"{counts.answered} / {counts.offered}",
                *people,
            )
            for column, text in enumerate(cells):
                item = QTableWidgetItem(text)
                if staff is None and column >= len(cells) - 4:
                    item.setToolTip(unstaffed)
                self.queuesTable.setItem(row, column, item)
        rows = max(len(tiles), 1)
        height = self.queuesTable.horizontalHeader().height() + 4
        height += sum(self.queuesTable.rowHeight(r) for r in range(len(tiles))) or rows * 30
        self.queuesTable.setFixedHeight(height)
        self.queuesTable.setVisible(bool(tiles))
        formula = self._service.formula
        self.formulaLabel.setVisible(bool(tiles))
        self.formulaLabel.setText(
            self.tr(
                "Today. Service level: {formula}; T is each queue's threshold. Agents: the "
                "queue's members that you watch (— where nobody is named to serve it)."
            ).format(formula=formula_text(formula))
        )

    def set_wallboard(self, on: bool) -> None:
        """Full screen with large type, for a screen on the wall; again to leave it."""
        font, titles = QFont(self.font()), QFont(self.font())
        if on:
            font.setPointSizeF(font.pointSizeF() * WALLBOARD_SCALE)
            titles.setPointSizeF(titles.pointSizeF() * WALLBOARD_HEADER_SCALE)
        tables = (self.table, self.queuesTable, self.campaignsTable)
        for widget in (*tables, self.summaryLabel, self.formulaLabel):
            widget.setFont(font)
        for table in tables:
            table.horizontalHeader().setFont(titles)
            table.verticalHeader().setDefaultSectionSize(QFontMetrics(font).height() + 12)
        self._render()  # the tiles' heights follow their rows
        self._render_campaigns()
        if on:
            self.showFullScreen()
        else:
            self.showNormal()
