"""The opportunity editor's stage history: each move (or the creation) with who and when,
newest first, times in the desk's own zone."""

from __future__ import annotations

from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from agentdesk.sales.opportunity_edit import StageMove
from agentdesk.ui.sales.common import stage_name


class HistoryTable(QTableWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 4, parent)
        self.setObjectName("stageHistory")
        self.setHorizontalHeaderLabels(
            [self.tr("When"), self.tr("Who"), self.tr("From"), self.tr("To")]
        )
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.verticalHeader().setVisible(False)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setStretchLastSection(True)

    def show_moves(self, moves: Sequence[StageMove]) -> None:
        self.setRowCount(0)
        for move in reversed(moves):
            row = self.rowCount()
            self.insertRow(row)
            values = (
                move.at.astimezone().strftime("%Y-%m-%d %H:%M"),
                move.who or "—",
                stage_name(move.from_stage) if move.from_stage else self.tr("(created)"),
                stage_name(move.to_stage),
            )
            for col, value in enumerate(values):
                self.setItem(row, col, QTableWidgetItem(value))
