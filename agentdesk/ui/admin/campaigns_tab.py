"""Campaigns: pick one, tick the agents and teams who may work it; nobody ticked opens it to all.

Ticks stay pending until "Save assignment" (a refused save keeps them); the campaign cannot be
switched while ticks are pending.
"""

from __future__ import annotations

from collections.abc import Iterable
from concurrent.futures import Executor

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.admin import AdminService, AdminSnapshot, Assignment
from agentdesk.ui.admin.common import AdminTab, choose_data, note_label
from agentdesk.ui.shell.access_labels import role_label

DATA = Qt.ItemDataRole.UserRole


def _checked(widget: QListWidget) -> set[str]:
    found = set()
    for i in range(widget.count()):
        item = widget.item(i)
        if item is not None and item.checkState() is Qt.CheckState.Checked:
            found.add(str(item.data(DATA)))
    return found


def _fill(widget: QListWidget, choices: Iterable[tuple[str, str]], checked: set[str]) -> None:
    """``choices`` are (code, text); the codes in ``checked`` come ticked."""
    widget.blockSignals(True)
    widget.clear()
    for code, text in choices:
        item = QListWidgetItem(text, widget)
        item.setData(DATA, code)
        item.setFlags(item.flags() | Qt.ItemFlag.ItemIsUserCheckable)
        item.setCheckState(Qt.CheckState.Checked if code in checked else Qt.CheckState.Unchecked)
    widget.blockSignals(False)


class CampaignsTab(AdminTab):
    def __init__(self, service: AdminService, executor: Executor, parent: QWidget | None) -> None:
        super().__init__(service, executor, parent)
        self.assignment: Assignment | None = None
        self._snapshot: AdminSnapshot | None = None
        self.campaignCombo = QComboBox(self)
        self.campaignCombo.setMinimumWidth(240)
        self.campaignCombo.currentIndexChanged.connect(self.load_assignment)
        top = QHBoxLayout()
        top.addWidget(QLabel(self.tr("Campaign:"), self))
        top.addWidget(self.campaignCombo)
        top.addStretch(1)
        self.stateLabel = QLabel(self)
        self.stateLabel.setObjectName("assignmentState")
        self.stateLabel.setWordWrap(True)

        self.agentList = QListWidget(self)
        self.agentList.itemChanged.connect(self._on_edit)
        self.teamList = QListWidget(self)
        self.teamList.itemChanged.connect(self._on_edit)
        agents_box = QGroupBox(self.tr("Users"), self)
        QVBoxLayout(agents_box).addWidget(self.agentList)
        teams_box = QGroupBox(self.tr("Teams (every member)"), self)
        QVBoxLayout(teams_box).addWidget(self.teamList)
        lists = QHBoxLayout()
        lists.addWidget(agents_box, 3)
        lists.addWidget(teams_box, 2)

        self.saveButton = QPushButton(self.tr("Save assignment"), self)
        self.saveButton.clicked.connect(self.save)
        self.revertButton = QPushButton(self.tr("Revert"), self)
        self.revertButton.clicked.connect(self.revert)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        buttons.addWidget(self.revertButton)
        buttons.addWidget(self.saveButton)
        self.emptyLabel = note_label(
            self.tr("No campaigns yet: create one with `agentdesk campaign create`."), self
        )

        layout = QVBoxLayout(self)
        layout.addLayout(top)
        layout.addWidget(self.emptyLabel)
        layout.addWidget(self.stateLabel)
        layout.addLayout(lists, 1)
        layout.addLayout(buttons)
        layout.addWidget(self.messageLabel)
        self._on_edit()

    # -- reading ------------------------------------------------------------------------------

    def show_snapshot(self, snapshot: AdminSnapshot) -> None:
        self._snapshot = snapshot
        chosen = self.campaignCombo.currentData()
        self.campaignCombo.blockSignals(True)
        self.campaignCombo.clear()
        for name in snapshot.campaigns:
            self.campaignCombo.addItem(name, name)
        choose_data(self.campaignCombo, chosen)
        self.campaignCombo.blockSignals(False)
        self.emptyLabel.setVisible(not snapshot.campaigns)
        if self.assignment is None or self.assignment.campaign != self.campaignCombo.currentData():
            self.load_assignment()
        else:
            self._fill_lists(_checked(self.agentList), _checked(self.teamList))

    def load_assignment(self, *_: object) -> None:
        name = self.campaignCombo.currentData()
        self.assignment = None
        self._fill_lists(set(), set())
        if name is None:
            return
        self.run(lambda s: s.assignment(str(name)), self._show)

    def _show(self, assignment: Assignment) -> None:
        if assignment.campaign != self.campaignCombo.currentData():
            return  # another campaign was picked meanwhile
        self.assignment = assignment
        self._fill_lists(set(assignment.agents), set(assignment.teams))

    def _fill_lists(self, agents: set[str], teams: set[str]) -> None:
        snapshot = self._snapshot
        users = snapshot.users if snapshot is not None else ()
        # Inactive users are listed only while still assigned, so they can be taken off.
        _fill(
            self.agentList,
            (
                (u.username, f"{u.display_name} ({u.username}) · {role_label(u.role)}"
                 + ("" if u.active else " · " + self.tr("inactive")))
                for u in users
                if u.active or u.username in agents
            ),
            agents,
        )  # fmt: skip
        team_names = [t.name for t in snapshot.teams] if snapshot is not None else []
        _fill(self.teamList, ((name, name) for name in team_names), teams)
        self._on_edit()

    # -- editing ------------------------------------------------------------------------------

    def chosen(self) -> tuple[set[str], set[str]]:
        return _checked(self.agentList), _checked(self.teamList)

    def _pending(self) -> bool:
        if self.assignment is None:
            return False
        agents, teams = self.chosen()
        return agents != set(self.assignment.agents) or teams != set(self.assignment.teams)

    def _on_edit(self, *_: object) -> None:
        loaded = self.assignment is not None
        pending = self._pending()
        for widget in (self.agentList, self.teamList):
            widget.setEnabled(loaded)
        self.saveButton.setEnabled(pending)
        self.revertButton.setEnabled(pending)
        self.campaignCombo.setEnabled(not pending)
        agents, teams = self.chosen()
        if not loaded:
            self.stateLabel.setText("")
        elif not agents and not teams:
            self.stateLabel.setText(self.tr("Open to all: every agent may work this campaign."))
        else:
            self.stateLabel.setText(
                self.tr(
                    "Only {agents} user(s) and the members of {teams} team(s) may work it."
                ).format(agents=len(agents), teams=len(teams))
            )
        if pending:
            self.stateLabel.setText(self.stateLabel.text() + " " + self.tr("(not saved yet)"))

    def revert(self) -> None:
        if self.assignment is not None:
            self._show(self.assignment)

    def save(self) -> None:
        name = self.campaignCombo.currentData()
        if name is None:
            return
        agents, teams = self.chosen()

        def done(assignment: Assignment) -> None:
            self.assignment = assignment
            self._fill_lists(set(assignment.agents), set(assignment.teams))
            self.say(self.tr("Assignment of {campaign} saved.").format(campaign=name))

        self.run(
            lambda s: s.assign(str(name), sorted(agents), sorted(teams)),
            done,
            controls=[self.saveButton],
        )
