"""What the sales screens share: background work with its message line, and the words of
stages, statuses and amounts in the UI language."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor
from datetime import date
from decimal import Decimal
from typing import TypeVar

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, QDate, QTimer
from PySide6.QtWidgets import QDateEdit, QHBoxLayout, QLabel, QWidget

from agentdesk.app.sales import SalesService
from agentdesk.db.errors import RequestError
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_holding
from agentdesk.ui.shell.labels import stage_label

T = TypeVar("T")
ERROR_STYLE = "color: #b3261e;"
NOTE_STYLE = "color: #5f6368;"
TOTAL_STYLE = "font-size: 15px; font-weight: bold;"
_CONTEXT = "SalesWords"

STATUSES = {
    "draft": QT_TRANSLATE_NOOP("SalesWords", "draft"),
    "sent": QT_TRANSLATE_NOOP("SalesWords", "sent"),
    "accepted": QT_TRANSLATE_NOOP("SalesWords", "accepted"),
    "rejected": QT_TRANSLATE_NOOP("SalesWords", "rejected"),
    "expired": QT_TRANSLATE_NOOP("SalesWords", "expired"),
    "submitted": QT_TRANSLATE_NOOP("SalesWords", "awaiting approval"),
    "approved": QT_TRANSLATE_NOOP("SalesWords", "approved"),
    "fulfilled": QT_TRANSLATE_NOOP("SalesWords", "fulfilled"),
    "cancelled": QT_TRANSLATE_NOOP("SalesWords", "cancelled"),
}
"""Quote and order statuses (``sales.status``)."""


def status_text(code: str) -> str:
    text = STATUSES.get(code)
    return code if text is None else QCoreApplication.translate(_CONTEXT, str(text))


def stage_name(stage: str) -> str:
    return stage_label(stage)


def money_text(amount: Decimal | None, code: str = "") -> str:
    """``12,000.00 CNY``; JPY and KRW already carry no decimals."""
    if amount is None:
        return "—"
    return f"{amount:,} {code}".rstrip()


def date_text(day: date | None) -> str:
    return day.isoformat() if day is not None else "—"


def to_qdate(day: date) -> QDate:
    return QDate(day.year, day.month, day.day)


def from_qdate(day: QDate) -> date:
    return date(day.year(), day.month(), day.day())


NO_DATE = QDate(2000, 1, 1)
"""An optional date's edit at this value means "no date" (shown as its special text)."""


def date_edit(parent: QWidget, day: date | None = None) -> QDateEdit:
    """A day picker as every sales screen shows it: ISO, with a calendar popup."""
    edit = QDateEdit(parent)
    edit.setCalendarPopup(True)
    edit.setDisplayFormat("yyyy-MM-dd")
    if day is not None:
        edit.setDate(to_qdate(day))
    return edit


def filter_row(
    parent: QWidget, fields: Sequence[tuple[str, QWidget]], button: QWidget
) -> QHBoxLayout:
    """A screen's filters in one row: each labelled field, then the button that applies them."""
    row = QHBoxLayout()
    for text, widget in fields:
        row.addWidget(QLabel(text, parent))
        row.addWidget(widget)
    row.addWidget(button)
    row.addStretch(1)
    return row


def single_shot(parent: QWidget, ms: int, slot: Callable[[], None]) -> QTimer:
    """A timer that runs ``slot`` ``ms`` after its last start (typing restarts it)."""
    timer = QTimer(parent)
    timer.setSingleShot(True)
    timer.setInterval(ms)
    timer.timeout.connect(slot)
    return timer


def row_widget(parent: QWidget, *widgets: QWidget) -> QWidget:
    """``widgets`` side by side at their own width, as one form field."""
    holder = QWidget(parent)
    row = QHBoxLayout(holder)
    row.setContentsMargins(0, 0, 0, 0)
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return holder


def optional_date_edit(parent: QWidget, none_text: str) -> QDateEdit:
    edit = date_edit(parent)
    edit.setMinimumDate(NO_DATE)
    edit.setSpecialValueText(none_text)
    edit.setDate(NO_DATE)
    return edit


def optional_day(edit: QDateEdit) -> date | None:
    return None if edit.date() == NO_DATE else from_qdate(edit.date())


def error_text(error: BaseException) -> str:
    """A service's refusal as it worded it (a role's in the UI language); anything else
    named as the failure it is."""
    if isinstance(error, RequestError):
        return request_error_text(error)
    text = QCoreApplication.translate("SalesWords", "The database could not do this: {error}")
    return text.format(error=error)


class SalesJobs:
    """Runs a screen's service calls on the executor and tells its message line the outcome.

    The worker gets the service and nothing of the screen (the form is read before, on the
    GUI thread); ``pending`` counts the jobs not finished (the tests wait for none).
    """

    def __init__(
        self, owner: QWidget, service: SalesService, executor: Executor, message: QLabel
    ) -> None:
        self._owner = owner
        self.service = service
        self._executor = executor
        self.message = message
        self.pending = 0

    def run(
        self,
        work: Callable[[SalesService], T],
        done: Callable[[T], None],
        *,
        controls: Sequence[QWidget] = (),
        failed: Callable[[BaseException], None] | None = None,
    ) -> None:
        self.say("")
        self.pending += 1

        def succeeded(result: T) -> None:
            self.pending -= 1
            done(result)

        def on_failure(error: BaseException) -> None:
            self.pending -= 1
            self.say(error_text(error), error=True)
            if failed is not None:
                failed(error)

        service = self.service
        run_holding(
            self._owner, self._executor, lambda: work(service), succeeded, on_failure, controls
        )

    def say(self, text: str, *, error: bool = False) -> None:
        """The screen's one message line: an error in red, a confirmation in grey; hidden
        while there is nothing to say, so it takes no room."""
        self.message.setStyleSheet(ERROR_STYLE if error else NOTE_STYLE)
        self.message.setText(text)
        self.message.setVisible(bool(text))


def message_label(parent: QWidget, name: str) -> QLabel:
    label = QLabel(parent)
    label.setObjectName(name)
    label.setWordWrap(True)
    label.hide()  # until there is something to say
    return label
