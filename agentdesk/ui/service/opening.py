"""Opening the case desk from the main window: one window, made on first use."""

from __future__ import annotations

import uuid

from PySide6.QtWidgets import QWidget

from agentdesk.app.desktop import DesktopContext
from agentdesk.app.service_desk import CaseDeskService
from agentdesk.ui.service.case_desk import CaseDeskWindow

__all__ = ["CaseDeskWindow", "open_case_desk"]


def open_case_desk(
    window: CaseDeskWindow | None, context: DesktopContext, parent: QWidget, case_id: object
) -> CaseDeskWindow:
    """Show the case desk (made the first time), with the case open if given: ``case_id``
    is its id (the customer panel) or its number (the escalations list)."""
    if window is None:
        service = CaseDeskService(
            context.database.sessions, context.agent, context.services.service_zone
        )
        window = CaseDeskWindow(service, context.executor, parent)
    window.start()  # again after a close: the list read afresh, the countdowns ticking
    if isinstance(case_id, uuid.UUID):
        window.open_case_id(case_id)
    elif isinstance(case_id, str) and case_id:
        window.select_number(case_id)
    window.show()
    window.raise_()
    return window
