"""What every tab of the admin screen shares: background work, its error line, combos of codes."""

from __future__ import annotations

from collections.abc import Callable, Iterable, Sequence
from concurrent.futures import Executor
from enum import StrEnum
from typing import TypeVar

from PySide6.QtCore import QCoreApplication, Signal
from PySide6.QtWidgets import QComboBox, QHBoxLayout, QLabel, QWidget

from agentdesk.app.admin import AdminService, AdminSnapshot
from agentdesk.db.errors import RequestError
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_holding

T = TypeVar("T")
E = TypeVar("E", bound=StrEnum)

ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #5f6368;"


def note_label(text: str, parent: QWidget) -> QLabel:
    label = QLabel(text, parent)
    label.setWordWrap(True)
    label.setStyleSheet(NOTE_STYLE)
    return label


def button_row(*buttons: QWidget) -> QHBoxLayout:
    """Buttons at the right, the way dialogs place them."""
    row = QHBoxLayout()
    row.addStretch(1)
    for button in buttons:
        row.addWidget(button)
    return row


def code_combo(parent: QWidget, codes: Iterable[E], label: Callable[[E], str]) -> QComboBox:
    """A combo showing each code's label, with the code as the item's data."""
    combo = QComboBox(parent)
    for code in codes:
        combo.addItem(label(code), code)
    return combo


def choose_data(combo: QComboBox, value: object) -> None:
    """Select the item whose data is ``value`` (the first item when none is)."""
    combo.setCurrentIndex(max(0, combo.findData(value)))


def fill_teams(combo: QComboBox, names: Sequence[str], none_text: str) -> None:
    """The team choices: "no team" first, then every team; keeps the current choice."""
    chosen = combo.currentData()
    combo.blockSignals(True)
    combo.clear()
    combo.addItem(none_text, None)
    for name in names:
        combo.addItem(name, name)
    combo.blockSignals(False)
    choose_data(combo, chosen)


class AdminTab(QWidget):
    """A tab: renders the snapshot, runs its changes in the background, shows their errors.

    After a change is saved it emits ``changed`` and the dialog reads the snapshot again, so
    every tab shows the new user, team or disposition.
    """

    changed = Signal()

    def __init__(self, service: AdminService, executor: Executor, parent: QWidget | None) -> None:
        super().__init__(parent)
        self.service = service
        self._executor = executor
        self.messageLabel = QLabel(self)
        self.messageLabel.setObjectName("adminMessage")
        self.messageLabel.setWordWrap(True)
        self.pending = 0
        """Background jobs not finished yet (the tests wait for none)."""

    def show_snapshot(self, snapshot: AdminSnapshot) -> None:
        raise NotImplementedError

    def run(
        self,
        work: Callable[[AdminService], T],
        done: Callable[[T], None],
        *,
        controls: Sequence[QWidget] = (),
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        """Run ``work(service)`` on the executor; ``controls`` are disabled until it is done.

        ``work`` gets the service and nothing of the tab: the worker never touches a widget
        (what it needs from the form is read before, on this thread). On failure the message
        shows under the tab and nothing the admin typed is cleared.
        """
        self.messageLabel.clear()
        self.pending += 1

        def succeeded(result: T) -> None:
            self.pending -= 1
            done(result)

        def on_failure(error: BaseException) -> None:
            self.pending -= 1
            self.say(self.error_text(error), error=True)
            if failed is not None:
                failed(error)

        service = self.service
        run_holding(self, self._executor, lambda: work(service), succeeded, on_failure, controls)

    def error_text(self, error: BaseException) -> str:
        """A service's refusal as it worded it; anything else named as the failure it is."""
        if isinstance(error, RequestError):
            return request_error_text(error)
        # Not self.tr: its context would be the subclass's name, not the one lupdate records.
        text = QCoreApplication.translate("AdminTab", "The database could not do this: {error}")
        return text.format(error=error)

    def say(self, text: str, *, error: bool = False) -> None:
        """One message line under the tab: a refusal in red, a confirmation in grey."""
        self.messageLabel.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
        self.messageLabel.setText(text)

    def saved(self, message: str) -> None:
        """Say what was saved and let the other tabs reload."""
        self.say(message)
        self.changed.emit()
