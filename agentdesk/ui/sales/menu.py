"""The main window's Sales menu (before Help): the pipeline, quotes, orders and forecast, each
a tab of one sales window that stays open beside the desk."""

from __future__ import annotations

from concurrent.futures import Executor

from PySide6.QtCore import QObject
from PySide6.QtGui import QAction
from PySide6.QtWidgets import QMainWindow, QWidget

from agentdesk.app.sales import SalesService
from agentdesk.ui.sales.window import SalesWindow


class SalesMenu(QObject):
    def __init__(self, window: QMainWindow, service: SalesService, executor: Executor) -> None:
        super().__init__(window)
        self._window = window
        self._service = service
        self._executor = executor
        self.salesWindow: SalesWindow | None = None
        bar = window.menuBar()
        menu = bar.addMenu(self.tr("Sa&les"))
        actions = bar.actions()
        if len(actions) >= 2:  # before Help, the last menu
            bar.insertMenu(actions[-2], menu)
        self.pipelineAction = self._add(menu, self.tr("&Pipeline…"), 0)
        self.quotesAction = self._add(menu, self.tr("&Quotes…"), 1)
        self.ordersAction = self._add(menu, self.tr("&Orders…"), 2)
        self.forecastAction = self._add(menu, self.tr("&Forecast…"), 3)

    def _add(self, menu: QWidget, text: str, tab: int) -> QAction:
        action = QAction(text, self._window)
        action.triggered.connect(lambda _checked=False: self.open(tab))
        menu.addAction(action)
        return action

    def open(self, tab: int = 0) -> SalesWindow:
        """The sales window on tab ``tab``; opened again it reads the database again."""
        if self.salesWindow is None:
            self.salesWindow = SalesWindow(self._service, self._executor, self._window)
        self.salesWindow.tabs.setCurrentIndex(tab)
        self.salesWindow.start()
        self.salesWindow.show()
        self.salesWindow.raise_()
        return self.salesWindow
