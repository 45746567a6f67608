"""Every keyboard shortcut of the desk, in one table.

The menus, the softphone bar's buttons, their tooltips and Help > Keyboard shortcuts all read
:data:`COMMANDS`, so a key is defined once and the list the agent reads cannot drift from what
the keys do. Keys are Qt's portable text ("Ctrl+Shift+A"); the dialog shows the platform's
form.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import (
    QAbstractItemView,
    QDialog,
    QDialogButtonBox,
    QHeaderView,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

CONTEXT = "Shortcuts"


@dataclass(frozen=True, slots=True)
class Command:
    key: str
    keys: str
    what: str
    """English; translated in the ``Shortcuts`` context."""


COMMANDS: tuple[Command, ...] = (
    Command(
        "answer", "Ctrl+Shift+A", str(QT_TRANSLATE_NOOP("Shortcuts", "Answer the ringing call"))
    ),
    Command("hangup", "Ctrl+Shift+E", str(QT_TRANSLATE_NOOP("Shortcuts", "Hang up"))),
    Command("hold", "Ctrl+Shift+H", str(QT_TRANSLATE_NOOP("Shortcuts", "Hold or resume the call"))),
    Command("mute", "Ctrl+Shift+M", str(QT_TRANSLATE_NOOP("Shortcuts", "Mute or unmute"))),
    Command(
        "transfer",
        "Ctrl+Shift+T",
        str(QT_TRANSLATE_NOOP("Shortcuts", "Transfer to the number in the field")),
    ),
    Command("number", "Ctrl+L", str(QT_TRANSLATE_NOOP("Shortcuts", "Go to the number field"))),
    Command("search", "Ctrl+F", str(QT_TRANSLATE_NOOP("Shortcuts", "Search records"))),
    Command("wrapup", "Ctrl+1", str(QT_TRANSLATE_NOOP("Shortcuts", "Show the wrap-up"))),
    Command("callbacks", "Ctrl+2", str(QT_TRANSLATE_NOOP("Shortcuts", "Show the callbacks"))),
    Command("recent", "Ctrl+3", str(QT_TRANSLATE_NOOP("Shortcuts", "Show the recent calls"))),
    Command("dialer", "Ctrl+4", str(QT_TRANSLATE_NOOP("Shortcuts", "Show the dialer"))),
    Command("refresh", "F5", str(QT_TRANSLATE_NOOP("Shortcuts", "Reload the lists and counts"))),
    Command("settings", "Ctrl+,", str(QT_TRANSLATE_NOOP("Shortcuts", "Settings"))),
    Command("shortcuts", "F1", str(QT_TRANSLATE_NOOP("Shortcuts", "List the keyboard shortcuts"))),
    Command("quit", "Ctrl+Q", str(QT_TRANSLATE_NOOP("Shortcuts", "Quit"))),
)

SHORTCUTS: dict[str, str] = {command.key: command.keys for command in COMMANDS}
"""Command name to key, for the code that binds a key (the one table above)."""


def with_key(text: str, key: str) -> str:
    """A tooltip that teaches the key: "Hang up (Ctrl+Shift+E)"."""
    return f"{text} ({SHORTCUTS[key]})"


def bound_action(parent: QWidget, text: str, key: str, slot: Callable[[], object]) -> QAction:
    """An action with the table's key for ``key``, active anywhere in ``parent``'s window."""
    action = QAction(text, parent)
    action.setShortcut(QKeySequence(SHORTCUTS[key]))
    action.setToolTip(with_key(text.replace("&", ""), key))
    action.triggered.connect(lambda *_: slot())
    return action


class ShortcutsDialog(QDialog):
    """Help > Keyboard shortcuts: the table, in the language showing."""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Keyboard shortcuts"))
        self.table = QTableWidget(len(COMMANDS), 2, self)
        self.table.setHorizontalHeaderLabels([self.tr("Keys"), self.tr("Command")])
        self.table.verticalHeader().setVisible(False)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.NoSelection)
        for row, command in enumerate(COMMANDS):
            native = QKeySequence(command.keys).toString(QKeySequence.SequenceFormat.NativeText)
            self.table.setItem(row, 0, QTableWidgetItem(native))
            self.table.setItem(
                row, 1, QTableWidgetItem(QCoreApplication.translate(CONTEXT, command.what))
            )
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(0, QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table)
        layout.addWidget(buttons)
        self.resize(480, 548)  # every row without a scroll bar, in both languages
