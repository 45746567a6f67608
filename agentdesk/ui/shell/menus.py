"""The main window's menu bar: File, Call, View and Help, each command with its key from the
one table (:mod:`agentdesk.ui.shell.shortcuts`)."""

from __future__ import annotations

from collections.abc import Callable
from functools import partial
from typing import TYPE_CHECKING

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMessageBox, QWidget

from agentdesk import __version__
from agentdesk.ui.shell.shortcuts import ShortcutsDialog, bound_action

if TYPE_CHECKING:
    from agentdesk.ui.shell.main_window import MainWindow


class WindowMenus(QObject):
    """Builds ``window``'s menu bar; the actions tests and other code reach are set on the
    window. A class, so its texts have a translation context of their own."""

    def __init__(self, window: MainWindow) -> None:
        super().__init__(window)
        self._window = window
        self._file(window)
        self._call(window)
        self._view(window)
        self._help(window)

    def about_text(self) -> str:
        return self.tr(
            "<b>AgentDesk {version}</b><br>The call-center agent desktop: softphone, screen "
            "pop, customer records, callbacks and the campaign dialer."
        ).format(version=__version__)

    def _keyed(self, text: str, key: str, slot: Callable[[], object]) -> QAction:
        action = bound_action(self._window, text, key, slot)
        self._window.addAction(action)  # the key works whether or not a menu is open
        return action

    def _file(self, window: MainWindow) -> None:
        menu = window.menuBar().addMenu(self.tr("&File"))
        window.adminAction = QAction(self.tr("&Administration…"), window)
        window.adminAction.setVisible(False)
        window.adminAction.triggered.connect(window.open_admin)
        menu.addAction(window.adminAction)
        window.settingsAction = self._keyed(self.tr("&Settings…"), "settings", window.open_settings)
        menu.addAction(window.settingsAction)
        menu.addSeparator()
        menu.addAction(self._keyed(self.tr("&Quit"), "quit", window.close))

    def _call(self, window: MainWindow) -> None:
        bar = window.softphoneBar
        menu = window.menuBar().addMenu(self.tr("&Call"))
        for action in (bar.answerAction, bar.hangupAction, bar.holdAction, bar.muteAction):
            menu.addAction(action)
        menu.addSeparator()
        menu.addAction(bar.transferAction)
        menu.addAction(bar.numberAction)

    def _view(self, window: MainWindow) -> None:
        menu = window.menuBar().addMenu(self.tr("&View"))
        window.searchAction = self._keyed(self.tr("&Search records"), "search", window.focus_search)
        menu.addAction(window.searchAction)
        menu.addSeparator()
        tabs: list[tuple[str, str, QWidget]] = [
            ("wrapup", self.tr("&Wrap-up"), window.wrapupPanel),
            ("callbacks", self.tr("Call&backs"), window.callbacksPanel),
            ("recent", self.tr("&Recent calls"), window.recentPanel),
        ]
        if window.dialerPanel is not None:
            tabs.append(("dialer", self.tr("&Dialer"), window.dialerPanel))
        for key, text, panel in tabs:
            menu.addAction(self._keyed(text, key, partial(window.tabs.setCurrentWidget, panel)))
        menu.addSeparator()
        window.refreshAction = self._keyed(
            self.tr("Re&load lists and counts"), "refresh", window.reload_all
        )
        menu.addAction(window.refreshAction)
        window.casesAction = QAction(self.tr("&Cases…"), window)
        window.casesAction.triggered.connect(lambda: window.open_cases())
        menu.addAction(window.casesAction)
        window.boardAction = QAction(self.tr("Supervisor &board…"), window)
        window.boardAction.setVisible(False)  # shown when the role may view the board
        window.boardAction.triggered.connect(window.supervision.open_board)
        menu.addAction(window.boardAction)
        window.leadsAction = QAction(self.tr("&Leads…"), window)
        window.leadsAction.triggered.connect(lambda: window.leadsDesk.open())
        menu.addAction(window.leadsAction)
        window.reportsAction = QAction(self.tr("&Reports…"), window)
        window.reportsAction.setVisible(False)  # beside the board, for the same roles
        window.reportsAction.triggered.connect(window.supervision.open_reports)
        menu.addAction(window.reportsAction)

    def _help(self, window: MainWindow) -> None:
        menu = window.menuBar().addMenu(self.tr("&Help"))
        window.shortcutsAction = self._keyed(
            self.tr("&Keyboard shortcuts"), "shortcuts", self.show_shortcuts
        )
        menu.addAction(window.shortcutsAction)
        window.testCallAction = QAction(self.tr("&Test call"), window)
        window.testCallAction.triggered.connect(window.run_test_call)
        menu.addAction(window.testCallAction)
        menu.addSeparator()
        window.aboutAction = QAction(self.tr("&About AgentDesk"), window)
        window.aboutAction.triggered.connect(
            lambda: QMessageBox.about(window, self.tr("About AgentDesk"), self.about_text())
        )
        menu.addAction(window.aboutAction)

    def show_shortcuts(self) -> ShortcutsDialog:
        dialog = ShortcutsDialog(self._window)
        dialog.show()
        return dialog
