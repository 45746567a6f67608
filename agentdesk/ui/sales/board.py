"""The pipeline's board: a column per stage, a card per opportunity, cards dragged between
columns. The columns only carry the drag; the pipeline view promotes through the service and
moves the card (back, when the service refused)."""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from PySide6.QtCore import QCoreApplication, QMimeData, QSize, Qt, Signal
from PySide6.QtGui import QColor, QDragEnterEvent, QDragMoveEvent, QDropEvent
from PySide6.QtWidgets import (
    QAbstractItemView,
    QFrame,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.sales.pipeline import PipelineCard
from agentdesk.ui.sales.common import date_text, money_text, stage_name

MIME = "application/x-agentdesk-opportunity"
ID_ROLE = Qt.ItemDataRole.UserRole
CARD_STYLE = """
QListWidget { background: #f1f3f4; border: none; }
QListWidget::item { background: white; border: 1px solid #dadce0; border-radius: 6px;
                    margin: 3px 4px; padding: 6px; color: #202124; }
QListWidget::item:selected { border: 2px solid #1a73e8; background: #e8f0fe; }
"""


def card_text(card: PipelineCard) -> str:
    lines = [card.name, card.account or "—"]
    lines.append(f"{money_text(card.amount, card.currency)} · {date_text(card.close_date)}")
    lines.append(f"{card.owner or '—'} · {card.probability} %")
    return "\n".join(lines)


class StageList(QListWidget):
    """One stage's cards; a card dropped here asks ``dropped(id, stage)``."""

    dropped = Signal(object, object)  # opportunity id, stage code

    def __init__(self, stage: str, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.stage = stage
        self.setObjectName(f"stage-{stage}")
        self.setDragEnabled(True)
        self.setAcceptDrops(True)
        self.setDropIndicatorShown(True)
        self.setDragDropMode(QAbstractItemView.DragDropMode.DragDrop)
        self.setDefaultDropAction(Qt.DropAction.MoveAction)
        self.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.setVerticalScrollMode(QAbstractItemView.ScrollMode.ScrollPerPixel)
        self.setWordWrap(True)
        self.setStyleSheet(CARD_STYLE)

    def mimeTypes(self) -> list[str]:
        return [MIME]

    def mimeData(self, items: Sequence[QListWidgetItem]) -> QMimeData:
        data = QMimeData()
        if items:
            data.setData(MIME, str(items[0].data(ID_ROLE)).encode())
        return data

    def dragEnterEvent(self, event: QDragEnterEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dragMoveEvent(self, event: QDragMoveEvent) -> None:
        if event.mimeData().hasFormat(MIME):
            event.acceptProposedAction()
        else:
            event.ignore()

    def dropEvent(self, event: QDropEvent) -> None:
        if not event.mimeData().hasFormat(MIME):
            event.ignore()
            return
        opportunity = uuid.UUID(bytes(event.mimeData().data(MIME).data()).decode())
        # Copy, not move: the source list must not delete the card itself; the view moves it
        # when the service agreed (and back when it refused).
        event.setDropAction(Qt.DropAction.CopyAction)
        event.accept()
        self.dropped.emit(opportunity, self.stage)

    def add_card(self, card: PipelineCard, row: int | None = None) -> QListWidgetItem:
        item = QListWidgetItem(card_text(card))
        item.setData(ID_ROLE, card.id)
        if not card.editable:  # the role may read it, not move it
            item.setFlags(item.flags() & ~Qt.ItemFlag.ItemIsDragEnabled)
            item.setForeground(QColor("#5f6368"))
            item.setToolTip(
                QCoreApplication.translate("StageList", "Your role does not let you move this one.")
            )
        lines = item.text().count("\n") + 1
        item.setSizeHint(QSize(200, self.fontMetrics().lineSpacing() * lines + 24))
        if row is None:
            self.addItem(item)
        else:
            self.insertItem(row, item)
        return item

    def row_of(self, opportunity: uuid.UUID) -> int:
        """The row of the card, or -1."""
        for row in range(self.count()):
            item = self.item(row)
            if item is not None and item.data(ID_ROLE) == opportunity:
                return row
        return -1

    def ids(self) -> list[uuid.UUID]:
        return [self.item(row).data(ID_ROLE) for row in range(self.count())]


class StageColumn(QFrame):
    """A stage's header (name, default probability, how many cards) over its list."""

    def __init__(
        self, stage: str, probability: int, parent: QWidget, *, retired: bool = False
    ) -> None:
        super().__init__(parent)
        self.stage = stage
        self.probability = probability
        self.retired = retired
        """A stage the admin retired: shown while cards are in it; none moves in."""
        self.setMinimumWidth(210)
        self.header = QLabel(self)
        self.header.setStyleSheet("font-weight: bold; padding: 4px;")
        self.list = StageList(stage, self)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(2, 2, 2, 2)
        layout.setSpacing(2)
        layout.addWidget(self.header)
        layout.addWidget(self.list, 1)
        self.more = False
        """Whether the stage has more cards than its first page."""
        self.set_count(0, more=False)

    def recount(self) -> None:
        """The header after a card came or went."""
        self.set_count(self.list.count(), more=self.more)

    def set_count(self, count: int, *, more: bool) -> None:
        self.more = more
        shown = f"{count}+" if more else str(count)
        text = f"{stage_name(self.stage)} · {self.probability} % · {shown}"
        if self.retired:
            text += " · " + self.tr("retired")
        self.header.setText(text)
