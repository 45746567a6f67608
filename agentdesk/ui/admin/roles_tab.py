"""Roles: pick a role, see its matrix (record kinds by read / create / update / delete, a depth
in each cell) and its capabilities, change them and save.

Edits stay pending (marked) until "Save changes"; a refused save keeps the edits it could not
write, so nothing the admin chose is lost. The role cannot be switched while edits are pending.
"""

from __future__ import annotations

from concurrent.futures import Executor

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QGridLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLabel,
    QPushButton,
    QTableWidget,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.admin import AdminService, AdminSnapshot, Cell, RoleSaved
from agentdesk.domain.access import Action, Capability, Depth, RecordKind
from agentdesk.domain.enums import Role
from agentdesk.org.roles import RoleInfo
from agentdesk.ui.admin.common import AdminTab, choose_data, code_combo, note_label
from agentdesk.ui.shell.access_labels import (
    action_label,
    capability_label,
    depth_label,
    kind_label,
    role_label,
)

KINDS = tuple(RecordKind)
ACTIONS = tuple(Action)
CAPABILITY_COLUMNS = 3
PENDING_STYLE = "background: #fff1c2;"


class RolesTab(AdminTab):
    def __init__(self, service: AdminService, executor: Executor, parent: QWidget | None) -> None:
        super().__init__(service, executor, parent)
        self.info: RoleInfo | None = None
        self.roleCombo = code_combo(self, Role, role_label)
        self.roleCombo.currentIndexChanged.connect(self.load_role)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Role:"), self))
        top.addWidget(self.roleCombo)
        top.addStretch(1)

        self.matrix = QTableWidget(len(KINDS), len(ACTIONS), self)
        self.matrix.setHorizontalHeaderLabels([action_label(a) for a in ACTIONS])
        self.matrix.setVerticalHeaderLabels([kind_label(k) for k in KINDS])
        self.matrix.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Stretch)
        self.matrix.verticalHeader().setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        self.depthCombos: dict[Cell, QComboBox] = {}
        for row, kind in enumerate(KINDS):
            for column, action in enumerate(ACTIONS):
                combo = code_combo(self.matrix, Depth, depth_label)
                combo.currentIndexChanged.connect(self._on_edit)
                self.matrix.setCellWidget(row, column, combo)
                self.depthCombos[kind, action] = combo

        self.capabilityBox = QGroupBox(self.tr("Capabilities"), self)
        grid = QGridLayout(self.capabilityBox)
        self.capabilityChecks: dict[Capability, QCheckBox] = {}
        for i, capability in enumerate(Capability):
            check = QCheckBox(capability_label(capability), self.capabilityBox)
            check.toggled.connect(self._on_edit)
            grid.addWidget(check, i // CAPABILITY_COLUMNS, i % CAPABILITY_COLUMNS)
            self.capabilityChecks[capability] = check

        self.saveButton = QPushButton(self.tr("Save changes"), self)
        self.saveButton.clicked.connect(self.save)
        self.revertButton = QPushButton(self.tr("Revert"), self)
        self.revertButton.clicked.connect(self.revert)
        self.pendingLabel = note_label("", self)
        buttons = QHBoxLayout()
        buttons.addWidget(self.pendingLabel, 1)
        buttons.addWidget(self.revertButton)
        buttons.addWidget(self.saveButton)

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(
            note_label(
                self.tr(
                    "How far each action reaches: own records, the team's, the department's "
                    "(its teams and the teams below), or all. Records nobody owns are open at "
                    "any depth but none."
                ),
                self,
            )
        )
        layout.addWidget(self.matrix)
        layout.addWidget(self.capabilityBox)
        layout.addStretch(1)
        layout.addLayout(buttons)
        layout.addWidget(self.messageLabel)
        self._set_enabled(False)
        self._fit_matrix()

    def _fit_matrix(self) -> None:
        """As tall as its rows: the grid never scrolls, and no blank rows pad it."""
        matrix = self.matrix
        matrix.resizeRowsToContents()
        rows = sum(matrix.rowHeight(row) for row in range(matrix.rowCount()))
        header = matrix.horizontalHeader().sizeHint().height()
        matrix.setFixedHeight(rows + header + 2 * matrix.frameWidth())

    # -- reading ------------------------------------------------------------------------------

    @property
    def role(self) -> Role:
        return Role(self.roleCombo.currentData())

    def show_snapshot(self, snapshot: AdminSnapshot) -> None:
        if self.info is None and self.pending == 0:
            self.load_role()

    def load_role(self, *_: object) -> None:
        role = self.role
        self._set_enabled(False)
        self.run(lambda s: s.role(role), self._show)

    def _show(self, info: RoleInfo) -> None:
        """Fill the grid with the stored role (pending edits are dropped)."""
        if info.role is not self.role:
            return  # the admin picked another role meanwhile; its own load follows
        self.info = info
        for (kind, action), combo in self.depthCombos.items():
            combo.blockSignals(True)
            choose_data(combo, info.matrix[kind][action])
            combo.blockSignals(False)
        for capability, check in self.capabilityChecks.items():
            check.blockSignals(True)
            check.setChecked(capability in info.capabilities)
            check.blockSignals(False)
        self._set_enabled(True)
        self._on_edit()

    def pending_cells(self) -> dict[Cell, Depth]:
        if self.info is None:
            return {}
        return {
            (kind, action): Depth(combo.currentData())
            for (kind, action), combo in self.depthCombos.items()
            if combo.currentData() != self.info.matrix[kind][action]
        }

    def pending_capabilities(self) -> dict[Capability, bool]:
        if self.info is None:
            return {}
        return {
            capability: check.isChecked()
            for capability, check in self.capabilityChecks.items()
            if check.isChecked() != (capability in self.info.capabilities)
        }

    # -- editing ------------------------------------------------------------------------------

    def _set_enabled(self, enabled: bool) -> None:
        for widget in (self.matrix, self.capabilityBox):
            widget.setEnabled(enabled)

    def _on_edit(self, *_: object) -> None:
        cells, capabilities = self.pending_cells(), self.pending_capabilities()
        for cell, combo in self.depthCombos.items():
            combo.setStyleSheet(PENDING_STYLE if cell in cells else "")
        for capability, check in self.capabilityChecks.items():
            check.setStyleSheet(PENDING_STYLE if capability in capabilities else "")
        count = len(cells) + len(capabilities)
        self.saveButton.setEnabled(count > 0)
        self.revertButton.setEnabled(count > 0)
        # Switching role would drop the edits: save or revert them first.
        self.roleCombo.setEnabled(count == 0)
        self.pendingLabel.setText(
            self.tr(
                "{count} unsaved change(s): save or revert them before picking another role."
            ).format(count=count)
            if count
            else ""
        )

    def revert(self) -> None:
        if self.info is not None:
            self._show(self.info)

    def save(self) -> None:
        role, cells, capabilities = self.role, self.pending_cells(), self.pending_capabilities()
        if not cells and not capabilities:
            return

        def done(result: RoleSaved) -> None:
            # The stored role is the new baseline: what was written is no longer pending,
            # and what the refusal stopped still is.
            self.info = result.role
            self._set_enabled(True)
            self._on_edit()
            if result.error is not None:
                self.say(result.error, error=True)
            else:
                self.say(self.tr("{role}: saved.").format(role=role_label(role)))

        self._set_enabled(False)
        self.run(
            lambda s: s.save_role(role, cells, capabilities),
            done,
            controls=[self.saveButton, self.revertButton],
            failed=lambda _: self._set_enabled(True),
        )
