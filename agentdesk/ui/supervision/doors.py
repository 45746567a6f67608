"""The supervisor's windows opened from the desk: the live board and the reports.

Both are offered to the roles that may view the board: their menu items stay hidden until
the database has said whether this user may (``check``), and each window is made once, on
first use.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from agentdesk.app.board import BoardService, service_level_formula
from agentdesk.app.desktop import DesktopContext
from agentdesk.app.reports import ReportsService
from agentdesk.ui.shell.background import run_in_background
from agentdesk.ui.supervision.board_window import BoardWindow
from agentdesk.ui.supervision.reports_dialog import ReportsDialog

if TYPE_CHECKING:
    from agentdesk.ui.shell.main_window import MainWindow


class SupervisorDoors:
    def __init__(self, window: MainWindow, context: DesktopContext) -> None:
        sessions, agent = context.database.sessions, context.agent
        self._window = window
        self._executor = context.executor
        self.board = BoardService(sessions, agent, service_level_formula(context.settings))
        self.reports = ReportsService(sessions, agent, context.settings)
        self.boardWindow: BoardWindow | None = None
        self.reportsDialog: ReportsDialog | None = None
        self.allowed: bool | None = None
        """Whether the user may view the board; ``None`` until the database answered."""

    def check(self) -> None:
        run_in_background(self._window, self._executor, self.board.allowed, self._checked)

    def _checked(self, allowed: bool) -> None:
        self.allowed = allowed
        self._window.boardAction.setVisible(allowed)
        self._window.reportsAction.setVisible(allowed)

    def open_board(self) -> None:
        """The supervisor board in a window of its own, following the database live."""
        if self.boardWindow is None:
            self.boardWindow = BoardWindow(self.board, self._executor, self._window)
        self.boardWindow.start()
        self.boardWindow.show()
        self.boardWindow.raise_()

    def open_reports(self) -> None:
        if self.reportsDialog is None:
            self.reportsDialog = ReportsDialog(self.reports, self._executor, self._window)
        self.reportsDialog.show()
