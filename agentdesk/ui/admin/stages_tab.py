"""Opportunity stages: the pipeline's columns in order, with labels, default probability,
won / lost and retired; add, edit, move up or down, retire or bring back, remove an unused one.

The codes never change (opportunities keep them); a stage in use is retired, not removed.
"""

from __future__ import annotations

from concurrent.futures import Executor

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication, Qt
from PySide6.QtWidgets import (
    QAbstractItemView,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QSpinBox,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.admin import AdminService, AdminSnapshot, NewStage, StageEdit
from agentdesk.sales.stages import Stage
from agentdesk.ui.admin.common import AdminTab, button_row, note_label

MARK = "✓"
KINDS = {
    "open": QT_TRANSLATE_NOOP("StagesTab", "open"),
    "won": QT_TRANSLATE_NOOP("StagesTab", "won"),
    "lost": QT_TRANSLATE_NOOP("StagesTab", "lost"),
}


def kind_of(stage: Stage) -> str:
    return "won" if stage.won else "lost" if stage.lost else "open"


def kind_text(kind: str) -> str:
    return QCoreApplication.translate("StagesTab", str(KINDS[kind]))


def _percent_box(parent: QWidget) -> QSpinBox:
    box = QSpinBox(parent)
    box.setRange(0, 100)
    box.setSuffix(" %")
    return box


class StagesTab(AdminTab):
    def __init__(self, service: AdminService, executor: Executor, parent: QWidget | None) -> None:
        super().__init__(service, executor, parent)
        self.rows: tuple[Stage, ...] = ()
        headers = [
            self.tr("Order"), self.tr("Code"), self.tr("Label"), self.tr("Chinese label"),
            self.tr("Probability"), self.tr("Kind"), self.tr("Active"),
        ]  # fmt: skip
        self.table = QTableWidget(0, len(headers), self)
        self.table.setObjectName("stagesTable")
        self.table.setHorizontalHeaderLabels(headers)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        for label_column in (2, 3):  # both labels share the room
            header.setSectionResizeMode(label_column, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._selected)

        self.upButton = QPushButton(self.tr("Move up"), self)
        self.downButton = QPushButton(self.tr("Move down"), self)
        self.retireButton = QPushButton(self.tr("Retire"), self)
        self.removeButton = QPushButton(self.tr("Remove"), self)
        self.upButton.clicked.connect(lambda: self.shift(-1))
        self.downButton.clicked.connect(lambda: self.shift(1))
        self.retireButton.clicked.connect(self.toggle_active)
        self.removeButton.clicked.connect(self.remove)
        moves = QHBoxLayout()
        for button in (self.upButton, self.downButton, self.retireButton, self.removeButton):
            moves.addWidget(button)
        moves.addStretch(1)

        self.editBox = QGroupBox(self.tr("Selected stage"), self)
        self.editLabel = QLineEdit(self)
        self.editLabelZh = QLineEdit(self)
        self.editProbability = _percent_box(self)
        self.saveButton = QPushButton(self.tr("Save stage"), self)
        self.saveButton.clicked.connect(self.save)
        edit_form = QFormLayout(self.editBox)
        edit_form.addRow(self.tr("Label:"), self.editLabel)
        edit_form.addRow(self.tr("Chinese label:"), self.editLabelZh)
        edit_form.addRow(self.tr("Default probability:"), self.editProbability)
        edit_form.addRow(button_row(self.saveButton))

        self.newBox = QGroupBox(self.tr("New stage"), self)
        self.codeEdit = QLineEdit(self)
        self.codeEdit.setPlaceholderText(self.tr("e.g. demo_given"))
        self.labelEdit = QLineEdit(self)
        self.labelZhEdit = QLineEdit(self)
        self.labelZhEdit.setPlaceholderText(self.tr("optional"))
        self.probabilityBox = _percent_box(self)
        self.kindCombo = QComboBox(self)
        for kind in KINDS:
            self.kindCombo.addItem(kind_text(kind), kind)
        self.addButton = QPushButton(self.tr("Add stage"), self)
        self.addButton.clicked.connect(self.add)
        new_form = QFormLayout(self.newBox)
        new_form.addRow(self.tr("Code:"), self.codeEdit)
        new_form.addRow(self.tr("Label:"), self.labelEdit)
        new_form.addRow(self.tr("Chinese label:"), self.labelZhEdit)
        new_form.addRow(self.tr("Default probability:"), self.probabilityBox)
        new_form.addRow(self.tr("Kind:"), self.kindCombo)
        new_form.addRow(
            note_label(
                self.tr(
                    "A new stage goes after the selected one (none selected: before the won "
                    "and lost stages). Won is always 100 % and lost 0 %."
                ),
                self,
            )
        )
        new_form.addRow(button_row(self.addButton))

        forms = QHBoxLayout()
        forms.addWidget(self.editBox, 1)
        forms.addWidget(self.newBox, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(moves)
        layout.addLayout(forms)
        layout.addWidget(self.messageLabel)
        self._selected()

    def show_snapshot(self, snapshot: AdminSnapshot) -> None:
        chosen = self.current()
        self.rows = snapshot.stages
        self.table.setRowCount(len(self.rows))
        for row, stage in enumerate(self.rows):
            texts = (
                str(stage.order), stage.code, stage.label, stage.label_zh,
                f"{stage.probability} %", kind_text(kind_of(stage)),
                MARK if stage.active else "",
            )  # fmt: skip
            for column, text in enumerate(texts):
                item = QTableWidgetItem(text)
                if column in (0, 4, 6):
                    item.setTextAlignment(Qt.AlignmentFlag.AlignCenter)
                if not stage.active:
                    item.setForeground(Qt.GlobalColor.gray)
                self.table.setItem(row, column, item)
        codes = [stage.code for stage in self.rows]
        if chosen is not None and chosen.code in codes:
            self.table.selectRow(codes.index(chosen.code))
        self._selected()

    def current(self) -> Stage | None:
        rows = self.table.selectionModel().selectedRows()
        if not rows or not 0 <= rows[0].row() < len(self.rows):
            return None
        return self.rows[rows[0].row()]

    def select(self, code: str) -> None:
        codes = [stage.code for stage in self.rows]
        self.table.selectRow(codes.index(code))

    def _selected(self) -> None:
        stage = self.current()
        chosen = stage is not None
        for widget in (self.upButton, self.downButton, self.retireButton, self.editBox):
            widget.setEnabled(chosen)
        self.removeButton.setEnabled(chosen)
        if stage is None:
            return
        self.upButton.setEnabled(stage.order > 1)
        self.downButton.setEnabled(stage.order < len(self.rows))
        self.retireButton.setText(self.tr("Retire") if stage.active else self.tr("Bring back"))
        self.editLabel.setText(stage.label)
        self.editLabelZh.setText(stage.label_zh)
        self.editProbability.setValue(stage.probability)
        self.editProbability.setEnabled(stage.is_open)

    def _change(self, stage: Stage, edit: StageEdit, message: str) -> None:
        controls = [self.table, self.upButton, self.downButton, self.retireButton, self.editBox]
        self.run(
            lambda s: s.change_stage(stage.code, edit),
            lambda _: self.saved(message),
            controls=controls,
        )

    def shift(self, step: int) -> None:
        stage = self.current()
        if stage is None:
            return
        text = self.tr("Stage {code} moved to place {order}.")
        order = stage.order + step
        self._change(stage, StageEdit(order=order), text.format(code=stage.code, order=order))

    def toggle_active(self) -> None:
        stage = self.current()
        if stage is None:
            return
        if stage.active:
            text = self.tr("Stage {code} retired: no opportunity moves into it now.")
        else:
            text = self.tr("Stage {code} is in use again.")
        edit = StageEdit(active=not stage.active)
        self._change(stage, edit, text.format(code=stage.code))

    def save(self) -> None:
        stage = self.current()
        if stage is None:
            return
        edit = StageEdit(
            label=self.editLabel.text(),
            label_zh=self.editLabelZh.text(),
            probability=self.editProbability.value() if stage.is_open else None,
        )
        self._change(stage, edit, self.tr("Stage {code} saved.").format(code=stage.code))

    def remove(self) -> None:
        stage = self.current()
        if stage is None:
            return
        code = stage.code
        self.run(
            lambda s: s.remove_stage(code),
            lambda _: self.saved(self.tr("Stage {code} removed.").format(code=code)),
            controls=[self.removeButton],
        )

    def new_stage(self) -> NewStage:
        after = self.current()
        return NewStage(
            code=self.codeEdit.text(),
            label=self.labelEdit.text(),
            label_zh=self.labelZhEdit.text(),
            probability=self.probabilityBox.value(),
            kind=str(self.kindCombo.currentData()),
            after=after.code if after is not None else None,
        )

    def add(self) -> None:
        new = self.new_stage()

        def done(stage: Stage) -> None:
            for edit in (self.codeEdit, self.labelEdit, self.labelZhEdit):
                edit.clear()
            self.probabilityBox.setValue(0)
            self.kindCombo.setCurrentIndex(0)
            self.saved(self.tr("Stage {code} added.").format(code=stage.code))

        self.run(lambda s: s.add_stage(new), done, controls=[self.addButton])
