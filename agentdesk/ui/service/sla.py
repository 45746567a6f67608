"""A case's service-level countdown as the case list shows it: the time left to the next
target (first response while there is none, else resolution), coloured by urgency."""

from __future__ import annotations

from datetime import datetime
from enum import Enum

from PySide6.QtCore import QCoreApplication

from agentdesk.service.cases import CaseView


class Urgency(Enum):
    """Background colours, from calm to late; ``PAUSED`` while waiting on the customer."""

    CALM = "#ffffff"
    SOON = "#fff3b0"
    """Under four hours left."""
    PRESSING = "#ffc98a"
    """Under one hour left."""
    BREACHED = "#f4a6a6"
    PAUSED = "#e4e4e4"


SOON_SECONDS = 4 * 3600
PRESSING_SECONDS = 3600


def next_due(case: CaseView) -> datetime | None:
    if case.first_responded_at is None and case.first_response_due is not None:
        return case.first_response_due
    return case.resolution_due


def seconds_left(case: CaseView, now: datetime) -> float | None:
    due = next_due(case)
    return (due - now).total_seconds() if due is not None else None


def urgency(case: CaseView, now: datetime) -> Urgency:
    if case.first_response_breached or case.resolution_breached:
        return Urgency.BREACHED
    if case.paused:
        return Urgency.PAUSED
    left = seconds_left(case, now)
    if left is None:
        return Urgency.CALM
    if left <= 0:
        return Urgency.BREACHED
    if left < PRESSING_SECONDS:
        return Urgency.PRESSING
    if left < SOON_SECONDS:
        return Urgency.SOON
    return Urgency.CALM


def _span(seconds: float) -> str:
    minutes = int(abs(seconds)) // 60
    days, rest = divmod(minutes, 24 * 60)
    hours, mins = divmod(rest, 60)
    if days:
        return QCoreApplication.translate("CaseDesk", "{d}d {h}h").format(d=days, h=hours)
    return f"{hours}:{mins:02d}"


def countdown(case: CaseView, now: datetime) -> str:
    """``2:15 left``, ``3d 4h left``, ``late 0:40``, ``paused``; in the UI language."""
    if case.paused:
        return QCoreApplication.translate("CaseDesk", "paused")
    left = seconds_left(case, now)
    if left is None:
        return "—"
    if left < 0:
        return QCoreApplication.translate("CaseDesk", "late {span}").format(span=_span(left))
    return QCoreApplication.translate("CaseDesk", "{span} left").format(span=_span(left))
