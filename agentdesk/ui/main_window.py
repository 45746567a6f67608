"""The agent's main window."""

from __future__ import annotations

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QFormLayout, QFrame, QLabel, QMainWindow, QVBoxLayout, QWidget

from agentdesk.app.desktop import DeskSummary, DesktopContext
from agentdesk.ui.background import run_in_background


class MainWindow(QMainWindow):
    """Shows who is logged in, which database is open and what it holds."""

    def __init__(self, context: DesktopContext) -> None:
        super().__init__()
        self._context = context
        self.setWindowTitle(self.tr("AgentDesk"))
        self.resize(960, 640)

        central = QWidget(self)
        layout = QVBoxLayout(central)
        layout.setContentsMargins(24, 24, 24, 24)
        title = QLabel(self.tr("AgentDesk"), central)
        font = title.font()
        font.setPointSize(font.pointSize() + 8)
        font.setBold(True)
        title.setFont(font)
        layout.addWidget(title)

        card = QFrame(central)
        card.setFrameShape(QFrame.Shape.StyledPanel)
        form = QFormLayout(card)
        agent = context.settings.agent
        form.addRow(self.tr("Agent:"), QLabel(agent.display_name or agent.username, card))
        db_label = QLabel(context.database_label, card)
        db_label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        form.addRow(self.tr("Database:"), db_label)
        self.summaryLabel = QLabel(self.tr("Loading…"), card)
        form.addRow(self.tr("Records:"), self.summaryLabel)
        layout.addWidget(card)
        layout.addStretch(1)
        self.setCentralWidget(central)

        self.statusBar().showMessage(
            self.tr("First run: demo data was added") if context.first_run else self.tr("Ready")
        )
        run_in_background(
            self,
            context.executor,
            context.summary,
            self._on_summary_loaded,
            self._on_summary_failed,
        )

    def _on_summary_failed(self, error: BaseException) -> None:
        self.summaryLabel.setText(self.tr("Cannot read the database: {error}").format(error=error))

    def _on_summary_loaded(self, s: DeskSummary) -> None:
        text = self.tr(
            "{contacts:,} contacts, {accounts:,} accounts, {leads:,} leads, {calls:,} calls"
        )
        self.summaryLabel.setText(
            text.format(contacts=s.contacts, accounts=s.accounts, leads=s.leads, calls=s.calls)
        )
