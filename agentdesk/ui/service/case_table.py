"""The case desk's list: a row per case (a queued case's team in italics) and the SLA
countdowns coloured by urgency, which tick locally between reads."""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import Qt
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTableWidget, QTableWidgetItem

from agentdesk.service.cases import CaseView
from agentdesk.ui.service.sla import countdown, urgency
from agentdesk.ui.shell.labels import CASE_PRIORITIES, CASE_STATUSES, enum_text

NUMBER_ROLE = Qt.ItemDataRole.UserRole + 1
OWNER_COLUMN = 4
COUNTDOWN_COLUMN = 5


def fill_rows(
    table: QTableWidget, cases: Sequence[CaseView], queue_tip: Callable[[str], str]
) -> None:
    """One row per case; ``queue_tip(team)``: the owner cell's tooltip of a queued case."""
    table.setRowCount(len(cases))
    for row, case in enumerate(cases):
        cells = (
            case.number, case.subject, enum_text(CASE_STATUSES, case.status),
            enum_text(CASE_PRIORITIES, case.priority), case.owner or case.team or "—", "",
        )  # fmt: skip
        for column, text in enumerate(cells):
            item = QTableWidgetItem(text)
            item.setData(NUMBER_ROLE, case.number)
            item.setToolTip(text)
            table.setItem(row, column, item)
        if case.owner is None:  # in a team's queue: the team, in italics
            owner = table.item(row, OWNER_COLUMN)
            assert owner is not None
            font = owner.font()
            font.setItalic(True)
            owner.setFont(font)
            owner.setToolTip(queue_tip(case.team or "—"))


def render_countdowns(table: QTableWidget, cases: Sequence[CaseView], now: datetime) -> None:
    for row, case in enumerate(cases[: table.rowCount()]):
        item = table.item(row, COUNTDOWN_COLUMN)
        if item is None:
            continue
        item.setText(countdown(case, now))
        item.setBackground(QColor(urgency(case, now).value))
        item.setForeground(QColor("#000000"))
