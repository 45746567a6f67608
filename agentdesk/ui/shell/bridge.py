"""Turns the desk controller's callbacks into a Qt signal (widgets connect to signals)."""

from __future__ import annotations

from PySide6.QtCore import QObject, Signal

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.events import DeskEvent


class DeskBridge(QObject):
    """Re-emits every controller event as ``deskEvent`` (on the GUI thread, where it runs)."""

    deskEvent = Signal(object)

    def __init__(self, controller: DeskController, parent: QObject | None = None) -> None:
        super().__init__(parent)
        self.controller = controller
        controller.subscribe(self._relay)

    def _relay(self, event: DeskEvent) -> None:
        self.deskEvent.emit(event)
