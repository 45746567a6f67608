"""Dispositions: the wrap-up codes with their flags and both labels; a new code."""

from __future__ import annotations

from concurrent.futures import Executor

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QFormLayout,
    QGridLayout,
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.admin import AdminService, AdminSnapshot, NewDisposition
from agentdesk.calls.disposition_admin import DispositionRow
from agentdesk.ui.admin.common import AdminTab, button_row

FLAG_COLUMNS = 3
MARK = "✓"


class DispositionsTab(AdminTab):
    def __init__(self, service: AdminService, executor: Executor, parent: QWidget | None) -> None:
        super().__init__(service, executor, parent)
        self.rows: tuple[DispositionRow, ...] = ()
        headers = [
            self.tr("Code"), self.tr("Label"), self.tr("Chinese label"), self.tr("Success"),
            self.tr("Contact"), self.tr("Callback"), self.tr("Final"), self.tr("Do not call"),
            self.tr("Default"), self.tr("Active"),
        ]  # fmt: skip
        self.table = QTableWidget(0, len(headers), self)
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)

        self.newBox = QGroupBox(self.tr("New disposition"), self)
        self.codeEdit = QLineEdit(self)
        self.codeEdit.setPlaceholderText(self.tr("e.g. wants_brochure"))
        self.labelEdit = QLineEdit(self)
        self.labelZhEdit = QLineEdit(self)
        self.labelZhEdit.setPlaceholderText(self.tr("optional"))
        self.flagChecks = {
            "success": QCheckBox(self.tr("Counts as a success"), self),
            "contact": QCheckBox(self.tr("Counts as a contact"), self),
            "callback": QCheckBox(self.tr("Asks for a callback time"), self),
            "final": QCheckBox(self.tr("Ends the campaign entry"), self),
            "dnc": QCheckBox(self.tr("Adds the number to the do-not-call list"), self),
        }
        flags = QGridLayout()
        for i, check in enumerate(self.flagChecks.values()):
            flags.addWidget(check, i // FLAG_COLUMNS, i % FLAG_COLUMNS)
        self.addButton = QPushButton(self.tr("Add disposition"), self)
        self.addButton.clicked.connect(self.add_disposition)
        form = QFormLayout(self.newBox)
        form.addRow(self.tr("Code:"), self.codeEdit)
        form.addRow(self.tr("Label:"), self.labelEdit)
        form.addRow(self.tr("Chinese label:"), self.labelZhEdit)
        form.addRow(flags)
        form.addRow(button_row(self.addButton))

        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addWidget(self.newBox)
        layout.addWidget(self.messageLabel)

    def show_snapshot(self, snapshot: AdminSnapshot) -> None:
        self.rows = snapshot.dispositions
        self.table.setRowCount(len(self.rows))
        for row, d in enumerate(self.rows):
            texts = (d.code, d.label, d.label_zh or "")
            flags = (
                d.is_success, d.counts_as_contact, d.needs_callback, d.is_final, d.adds_to_dnc,
                d.is_default, d.active,
            )  # fmt: skip
            for column, text in enumerate(texts):
                self.table.setItem(row, column, QTableWidgetItem(text))
            for column, flag in enumerate(flags, start=len(texts)):
                item = QTableWidgetItem(MARK if flag else "")
                item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                self.table.setItem(row, column, item)

    def new_disposition(self) -> NewDisposition:
        checked = {name: check.isChecked() for name, check in self.flagChecks.items()}
        return NewDisposition(
            code=self.codeEdit.text(),
            label=self.labelEdit.text(),
            label_zh=self.labelZhEdit.text(),
            success=checked["success"],
            contact=checked["contact"],
            callback=checked["callback"],
            final=checked["final"],
            dnc=checked["dnc"],
        )

    def add_disposition(self) -> None:
        new = self.new_disposition()

        def done(row: DispositionRow) -> None:
            for edit in (self.codeEdit, self.labelEdit, self.labelZhEdit):
                edit.clear()
            for check in self.flagChecks.values():
                check.setChecked(False)
            self.saved(self.tr("Disposition {code} added.").format(code=row.code))

        self.run(lambda s: s.add_disposition(new), done, controls=[self.addButton])
