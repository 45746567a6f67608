"""Teams: departments and the teams under them as a tree; a new team under a chosen parent."""

from __future__ import annotations

from collections import defaultdict
from concurrent.futures import Executor

from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHeaderView,
    QLineEdit,
    QPushButton,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.admin import AdminService, AdminSnapshot
from agentdesk.org.admin import TeamInfo
from agentdesk.ui.admin.common import AdminTab, button_row, choose_data, fill_teams, note_label


class TeamsTab(AdminTab):
    def __init__(self, service: AdminService, executor: Executor, parent: QWidget | None) -> None:
        super().__init__(service, executor, parent)
        self.teams: tuple[TeamInfo, ...] = ()
        self.tree = QTreeWidget(self)
        self.tree.setHeaderLabels([self.tr("Team"), self.tr("Active members")])
        self.tree.header().setSectionResizeMode(0, QHeaderView.ResizeMode.Stretch)
        self.tree.header().setStretchLastSection(False)
        self.tree.currentItemChanged.connect(self._on_current)

        self.newBox = QGroupBox(self.tr("New team"), self)
        self.nameEdit = QLineEdit(self)
        self.parentCombo = QComboBox(self)
        self.addButton = QPushButton(self.tr("Add team"), self)
        self.addButton.clicked.connect(self.add_team)
        form = QFormLayout(self.newBox)
        form.addRow(self.tr("Name:"), self.nameEdit)
        form.addRow(self.tr("Under:"), self.parentCombo)
        form.addRow(
            note_label(
                self.tr(
                    "A team with nothing above it is a department: its manager sees the "
                    "department's teams and every team below them."
                ),
                self,
            )
        )
        form.addRow(button_row(self.addButton))
        layout = QVBoxLayout(self)
        layout.addWidget(self.tree, 1)
        layout.addWidget(self.newBox)
        layout.addWidget(self.messageLabel)

    def show_snapshot(self, snapshot: AdminSnapshot) -> None:
        self.teams = snapshot.teams
        fill_teams(
            self.parentCombo, [t.name for t in self.teams], self.tr("(nothing: a department)")
        )
        children: dict[str | None, list[TeamInfo]] = defaultdict(list)
        names = {t.name for t in self.teams}
        for team in self.teams:
            # A parent that is gone (deleted) leaves its team at the top rather than hidden.
            children[team.parent if team.parent in names else None].append(team)
        self.tree.blockSignals(True)
        self.tree.clear()

        placed: set[str] = set()

        def add(parent: QTreeWidget | QTreeWidgetItem, team: TeamInfo) -> None:
            placed.add(team.name)
            item = QTreeWidgetItem(parent, [team.name, str(team.members)])
            for child in children.get(team.name, []):
                if child.name not in placed:  # a loop in the data must not hang the screen
                    add(item, child)

        for root in children.get(None, []):
            add(self.tree, root)
        self.tree.expandAll()
        self.tree.blockSignals(False)

    def item_names(self) -> dict[str, str | None]:
        """Every team in the tree and the team it sits under (tests read the tree so)."""
        found: dict[str, str | None] = {}

        def walk(item: QTreeWidgetItem, parent: str | None) -> None:
            found[item.text(0)] = parent
            for i in range(item.childCount()):
                child = item.child(i)
                if child is not None:
                    walk(child, item.text(0))

        for i in range(self.tree.topLevelItemCount()):
            top = self.tree.topLevelItem(i)
            if top is not None:
                walk(top, None)
        return found

    def _on_current(self, item: QTreeWidgetItem | None, _: object) -> None:
        # The team picked in the tree is the likeliest parent of the next one.
        if item is not None:
            choose_data(self.parentCombo, item.text(0))

    def add_team(self) -> None:
        name, parent = self.nameEdit.text(), self.parentCombo.currentData()

        def done(team: TeamInfo) -> None:
            self.nameEdit.clear()
            self.saved(self.tr("Team {name} added.").format(name=team.name))

        self.run(lambda s: s.add_team(name, parent), done, controls=[self.addButton])
