"""The sales window (Sales menu): pipeline, quotes, orders and forecast in tabs, not modal,
so calls keep coming while it is open."""

from __future__ import annotations

from concurrent.futures import Executor

from PySide6.QtWidgets import QMainWindow, QTabWidget, QWidget

from agentdesk.app.sales import SalesService
from agentdesk.ui.sales.documents import OrdersList, QuotesList
from agentdesk.ui.sales.forecast_view import ForecastView
from agentdesk.ui.sales.pipeline import PipelineView


class SalesWindow(QMainWindow):
    def __init__(
        self, service: SalesService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Sales"))
        self.resize(1360, 820)
        self.tabs = QTabWidget(self)
        self.pipeline = PipelineView(service, executor, self.tabs)
        self.quotes = QuotesList(service, executor, self.tabs)
        self.orders = OrdersList(service, executor, self.tabs)
        self.forecast = ForecastView(service, executor, self.tabs)
        self.tabs.addTab(self.pipeline, self.tr("Pipeline"))
        self.tabs.addTab(self.quotes, self.tr("Quotes"))
        self.tabs.addTab(self.orders, self.tr("Orders"))
        self.tabs.addTab(self.forecast, self.tr("Forecast"))
        self.setCentralWidget(self.tabs)
        self._started = False

    def start(self) -> None:
        """Read every tab (the first time; later the lists again)."""
        if not self._started:
            self._started = True
            self.pipeline.start()
        else:
            self.pipeline.reload()
        self.quotes.reload()
        self.orders.reload()
        self.forecast.reload()

    @property
    def pending(self) -> int:
        return sum(
            view.jobs.pending for view in (self.pipeline, self.quotes, self.orders, self.forecast)
        )
