"""The opportunity editor's probability: the stage's, or the rep's override shown as one
(with a button back to the stage's); fixed for won (100 %) and lost (0 %)."""

from __future__ import annotations

from PySide6.QtWidgets import QHBoxLayout, QLabel, QPushButton, QSpinBox, QWidget

from agentdesk.sales.opportunity_edit import StageChoice


class ProbabilityField(QWidget):
    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.override: int | None = None
        """The rep's figure; ``None``: the stage's."""
        self.stage: StageChoice | None = None
        self.editable = True
        self.spin = QSpinBox(self)
        self.spin.setRange(0, 100)
        self.spin.setSuffix(" %")
        self.clearButton = QPushButton(self.tr("Use the stage's"), self)
        self.note = QLabel(self)
        self.note.setStyleSheet("color: #5f6368;")
        row = QHBoxLayout(self)
        row.setContentsMargins(0, 0, 0, 0)
        row.addWidget(self.spin)
        row.addWidget(self.clearButton)
        row.addWidget(self.note)
        row.addStretch(1)
        self.spin.valueChanged.connect(self._typed)
        self.clearButton.clicked.connect(self.clear_override)

    def show_stage(self, stage: StageChoice | None, *, editable: bool | None = None) -> None:
        """Show ``stage``'s probability, or the override marked as one."""
        self.stage = stage
        if editable is not None:
            self.editable = editable
        if stage is None:
            return
        fixed = stage.fixed
        value = stage.probability if fixed or self.override is None else self.override
        self.spin.blockSignals(True)
        self.spin.setValue(value)
        self.spin.blockSignals(False)
        self.spin.setEnabled(self.editable and not fixed)
        overridden = self.override is not None and not fixed
        self.clearButton.setVisible(overridden)
        self.clearButton.setEnabled(self.editable)
        if fixed:
            note = self.tr("fixed by the stage")
        elif overridden:
            note = self.tr("override (the stage says {p} %)").format(p=stage.probability)
        else:
            note = self.tr("the stage's")
        self.note.setText(note)

    def saved_override(self) -> int | None:
        """What is saved: no override for won or lost."""
        return None if self.stage is None or self.stage.fixed else self.override

    def _typed(self, value: int) -> None:
        self.override = value
        self.show_stage(self.stage)

    def clear_override(self) -> None:
        self.override = None
        self.show_stage(self.stage)
