"""Manual mode's list: the next dialable entries, one row each, for the agent to pick from."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtWidgets import (
    QAbstractItemView,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QWidget,
)

from agentdesk.dialer.selection import OfferedEntry
from agentdesk.ui.dialer.wording import OUTCOMES, entry_title, word


class EntryChoicesTable(QTableWidget):
    """Name, number, company, attempts and last outcome of each entry, in offer order."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(0, 5, parent)
        self.setObjectName("dialerChoices")
        self.setHorizontalHeaderLabels(
            [
                self.tr("Name"),
                self.tr("Number"),
                self.tr("Company"),
                self.tr("Attempts"),
                self.tr("Last outcome"),
            ]
        )
        self.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.verticalHeader().setVisible(False)
        self.setAlternatingRowColors(True)
        header = self.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        header.setSectionResizeMode(2, QHeaderView.ResizeMode.Stretch)
        self._shown: tuple[tuple[uuid.UUID, int], ...] = ()

    def show_entries(self, entries: Sequence[OfferedEntry]) -> None:
        """Fill the rows, keeping the selected entry selected; unchanged entries redraw nothing."""
        shown = tuple((e.id, e.version) for e in entries)
        if shown == self._shown:
            return
        selected = self.selected_id()
        self._shown = shown
        self.blockSignals(True)
        self.setRowCount(len(entries))
        for row, entry in enumerate(entries):
            last = word(OUTCOMES, entry.last_outcome) if entry.last_outcome else "–"
            cells = (
                entry_title(entry),
                entry.phone,
                entry.company or "–",
                str(entry.attempts),
                last,
            )
            for column, text in enumerate(cells):
                self.setItem(row, column, QTableWidgetItem(text))
            if entry.id == selected:
                self.selectRow(row)
        self.blockSignals(False)

    def selected_row(self) -> int | None:
        """The row of the selected entry (``None``: nothing selected)."""
        rows = self.selectionModel().selectedRows()
        return rows[0].row() if rows else None

    def selected_id(self) -> uuid.UUID | None:
        row = self.selected_row()
        if row is not None and 0 <= row < len(self._shown):
            return self._shown[row][0]
        return None
