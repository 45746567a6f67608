"""The two pop cards that are not a record: an unknown caller, and several matches."""

from __future__ import annotations

from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.crm.lookup.summaries import Match
from agentdesk.domain.enums import OwnerKind


def short_when(value: datetime | None, never: str) -> str:
    if value is None:
        return never
    return value.astimezone().strftime("%Y-%m-%d %H:%M")


def queue_label(parent: QWidget) -> QLabel:
    """The line that says which queue the caller dialed (hidden for a direct call)."""
    label = QLabel(parent)
    label.setObjectName("popQueue")
    label.setStyleSheet("color: #1a5fb4; font-weight: 600;")
    label.hide()
    return label


def show_queue(label: QLabel, queue: str | None) -> None:
    text = QCoreApplication.translate("PopViews", "Queue: {queue}")
    label.setText(text.format(queue=queue or ""))
    label.setVisible(bool(queue))


def title_label(text: str, parent: QWidget, grow: int = 4) -> QLabel:
    label = QLabel(text, parent)
    font = label.font()
    font.setPointSize(font.pointSize() + grow)
    font.setBold(True)
    label.setFont(font)
    label.setWordWrap(True)
    return label


class UnknownCallerCard(QFrame):
    """No record has this number: offer to create a contact or a lead with it."""

    createRequested = Signal(object, dict)  # OwnerKind, fields

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("unknownCallerCard")
        self.titleLabel = title_label(self.tr("Unknown caller"), self)
        self.numberLabel = QLabel(self)
        self.numberLabel.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.queueLabel = queue_label(self)
        self.hintLabel = hint = QLabel(self._no_record(), self)
        hint.setWordWrap(True)
        self.firstEdit = QLineEdit(self)
        self.lastEdit = QLineEdit(self)
        self.companyEdit = QLineEdit(self)
        self.phoneEdit = QLineEdit(self)
        form = QFormLayout()
        form.addRow(self.tr("Phone:"), self.phoneEdit)
        form.addRow(self.tr("First name:"), self.firstEdit)
        form.addRow(self.tr("Last name:"), self.lastEdit)
        form.addRow(self.tr("Company:"), self.companyEdit)
        self.createContactButton = QPushButton(self.tr("Create contact"), self)
        self.createLeadButton = QPushButton(self.tr("Create lead"), self)
        self.createContactButton.clicked.connect(lambda: self._create(OwnerKind.CONTACT))
        self.createLeadButton.clicked.connect(lambda: self._create(OwnerKind.LEAD))
        self.errorLabel = QLabel(self)
        self.errorLabel.setStyleSheet("color: #b3261e;")
        self.errorLabel.setWordWrap(True)
        buttons = QHBoxLayout()
        buttons.addWidget(self.createContactButton)
        buttons.addWidget(self.createLeadButton)
        buttons.addStretch(1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.titleLabel)
        layout.addWidget(self.numberLabel)
        layout.addWidget(self.queueLabel)
        layout.addWidget(hint)
        layout.addLayout(form)
        layout.addLayout(buttons)
        layout.addWidget(self.errorLabel)
        layout.addStretch(1)

    def _no_record(self) -> str:
        return self.tr("No contact, lead or account has this number.")

    def show_unavailable(self, number: str) -> None:
        """The database cannot be reached: the number, and no claim that nobody has it."""
        self.show_number(number)
        self.titleLabel.setText(self.tr("Record lookup unavailable"))
        self.hintLabel.setText(
            self.tr("The database cannot be reached: the desk tries again while the call lasts.")
        )
        for button in (self.createContactButton, self.createLeadButton):
            button.setEnabled(False)

    def show_number(self, number: str, inbound: bool = True) -> None:
        # The agent dialled this number: they know it, nobody "called" them.
        self.titleLabel.setText(self.tr("Unknown caller") if inbound else self.tr("Unknown number"))
        self.hintLabel.setText(self._no_record())
        for button in (self.createContactButton, self.createLeadButton):
            button.setEnabled(True)
        self.numberLabel.setText(number or self.tr("Number withheld"))
        self.phoneEdit.setText(number)
        for edit in (self.firstEdit, self.lastEdit, self.companyEdit):
            edit.clear()
        self.errorLabel.clear()

    def _create(self, kind: OwnerKind) -> None:
        fields = {
            "first_name": self.firstEdit.text(),
            "last_name": self.lastEdit.text(),
            "company": self.companyEdit.text(),
            "phone": self.phoneEdit.text(),
        }
        if not (fields["first_name"].strip() or fields["last_name"].strip()):
            self.errorLabel.setText(self.tr("Enter a first or last name."))
            return
        self.errorLabel.clear()
        self.createRequested.emit(kind, fields)


class MatchChooser(QFrame):
    """Several records share the number: the agent picks the caller."""

    chosen = Signal(object)  # Match

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("matchChooser")
        self.titleLabel = title_label(self.tr("Several records have this number"), self)
        self.numberLabel = QLabel(self)
        self.queueLabel = queue_label(self)
        self.tree = QTreeWidget(self)
        self.tree.setRootIsDecorated(False)
        self.tree.setHeaderLabels([self.tr("Name"), self.tr("Company"), self.tr("Last contact")])
        self.tree.setColumnWidth(0, 200)
        self.tree.setColumnWidth(1, 200)
        self.tree.itemDoubleClicked.connect(lambda *_: self._choose())
        self.openButton = QPushButton(self.tr("Show this record"), self)
        self.openButton.clicked.connect(self._choose)
        layout = QVBoxLayout(self)
        layout.addWidget(self.titleLabel)
        layout.addWidget(self.numberLabel)
        layout.addWidget(self.queueLabel)
        layout.addWidget(self.tree, 1)
        row = QHBoxLayout()
        row.addStretch(1)
        row.addWidget(self.openButton)
        layout.addLayout(row)
        self._matches: list[Match] = []

    def show_matches(self, number: str, matches: tuple[Match, ...]) -> None:
        self.numberLabel.setText(number)
        self.tree.clear()
        self._matches = list(matches)
        kinds = {
            "contact": self.tr("contact"),
            "lead": self.tr("lead"),
            "account": self.tr("account"),
        }
        for match in matches:
            name = f"{match.name}  ({kinds.get(match.kind.value, match.kind.value)})"
            item = QTreeWidgetItem(
                [name, match.company or "", short_when(match.last_contact_at, self.tr("never"))]
            )
            self.tree.addTopLevelItem(item)
        first = self.tree.topLevelItem(0)
        if first is not None:
            self.tree.setCurrentItem(first)

    def _choose(self) -> None:
        current = self.tree.currentItem()
        index = self.tree.indexOfTopLevelItem(current) if current is not None else -1
        if 0 <= index < len(self._matches):
            self.chosen.emit(self._matches[index])
