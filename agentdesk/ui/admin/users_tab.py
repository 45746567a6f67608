"""Users: the list, a new user, the chosen user's role, team and active flag, their password,
and handing everything they own to a colleague."""

from __future__ import annotations

from concurrent.futures import Executor

from PySide6.QtWidgets import (
    QAbstractItemView,
    QCheckBox,
    QComboBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QHeaderView,
    QLineEdit,
    QMessageBox,
    QPushButton,
    QTableWidget,
    QTableWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.admin import AdminService, AdminSnapshot, NewUser
from agentdesk.domain.access import RecordKind
from agentdesk.domain.enums import Role
from agentdesk.org.admin import UserInfo
from agentdesk.ui.admin.common import (
    AdminTab,
    button_row,
    choose_data,
    code_combo,
    fill_teams,
    note_label,
)
from agentdesk.ui.shell.access_labels import kind_label, role_label

COLUMNS = 7


class UsersTab(AdminTab):
    def __init__(self, service: AdminService, executor: Executor, parent: QWidget | None) -> None:
        super().__init__(service, executor, parent)
        self.users: tuple[UserInfo, ...] = ()
        self._shown: UserInfo | None = None  # the user the editor was filled from
        self._select_after: str | None = None
        self._passwords = False

        self.table = QTableWidget(0, COLUMNS, self)
        self.table.setHorizontalHeaderLabels([
            self.tr("Username"), self.tr("Name"), self.tr("Role"), self.tr("Team"),
            self.tr("Extension"), self.tr("E-mail"), self.tr("Active"),
        ])  # fmt: skip
        self.table.setSelectionBehavior(QAbstractItemView.SelectionBehavior.SelectRows)
        self.table.setSelectionMode(QAbstractItemView.SelectionMode.SingleSelection)
        self.table.setEditTriggers(QAbstractItemView.EditTrigger.NoEditTriggers)
        self.table.verticalHeader().setVisible(False)
        self.table.verticalHeader().setDefaultSectionSize(self.fontMetrics().height() + 10)
        header = self.table.horizontalHeader()
        header.setSectionResizeMode(QHeaderView.ResizeMode.ResizeToContents)
        header.setSectionResizeMode(1, QHeaderView.ResizeMode.Stretch)
        self.table.itemSelectionChanged.connect(self._on_selected)

        self.editBox = QGroupBox(self)  # titled after the chosen user
        self.roleCombo = code_combo(self, Role, role_label)
        self.teamCombo = QComboBox(self)
        self.activeCheck = QCheckBox(self.tr("Active (may sign in and take calls)"), self)
        self.applyButton = QPushButton(self.tr("Apply changes"), self)
        self.applyButton.clicked.connect(self.apply_user)
        self.passwordEdit = QLineEdit(self)
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passwordEdit.setPlaceholderText(self.tr("at least 8 characters"))
        self.passwordButton = QPushButton(self.tr("Set password"), self)
        self.passwordButton.clicked.connect(self.set_password)
        self.passwordNote = note_label(
            self.tr(
                "Passwords belong to PostgreSQL logins: the embedded SQLite database has none."
            ),
            self,
        )
        self.handoverCombo = QComboBox(self)
        self.handoverButton = QPushButton(self.tr("Transfer records…"), self)
        self.handoverButton.setToolTip(
            self.tr(
                "Give everything this user owns (accounts, contacts, leads, opportunities, "
                "cases) and their pending callbacks to the chosen user, e.g. when they leave."
            )
        )
        self.handoverButton.clicked.connect(self._on_handover)
        handover_row = QHBoxLayout()
        handover_row.addWidget(self.handoverCombo, 1)
        handover_row.addWidget(self.handoverButton)
        password_row = QHBoxLayout()
        password_row.addWidget(self.passwordEdit, 1)
        password_row.addWidget(self.passwordButton)
        edit = QFormLayout(self.editBox)
        edit.addRow(self.tr("Role:"), self.roleCombo)
        edit.addRow(self.tr("Team:"), self.teamCombo)
        edit.addRow(self.activeCheck)
        edit.addRow(button_row(self.applyButton))
        edit.addRow(self.tr("Password:"), password_row)
        edit.addRow(self.passwordNote)
        edit.addRow(self.tr("Hand over to:"), handover_row)

        self.newBox = QGroupBox(self.tr("New user"), self)
        self.usernameEdit = QLineEdit(self)
        self.usernameEdit.setPlaceholderText(self.tr("e.g. li.na"))
        self.nameEdit = QLineEdit(self)
        self.newRoleCombo = code_combo(self, Role, role_label)
        self.newTeamCombo = QComboBox(self)
        self.extensionEdit = QLineEdit(self)
        self.emailEdit = QLineEdit(self)
        self.addButton = QPushButton(self.tr("Add user"), self)
        self.addButton.clicked.connect(self.add_user)
        new = QFormLayout(self.newBox)
        new.addRow(self.tr("Username:"), self.usernameEdit)
        new.addRow(self.tr("Name:"), self.nameEdit)
        new.addRow(self.tr("Role:"), self.newRoleCombo)
        new.addRow(self.tr("Team:"), self.newTeamCombo)
        new.addRow(self.tr("Extension:"), self.extensionEdit)
        new.addRow(self.tr("E-mail:"), self.emailEdit)
        new.addRow(button_row(self.addButton))

        forms = QHBoxLayout()
        forms.addWidget(self.editBox, 1)
        forms.addWidget(self.newBox, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.table, 1)
        layout.addLayout(forms)
        layout.addWidget(self.messageLabel)
        self._show_user(None)

    # -- rendering ----------------------------------------------------------------------------

    def show_snapshot(self, snapshot: AdminSnapshot) -> None:
        chosen = self._select_after or (self._shown.username if self._shown else None)
        self._select_after = None
        teams = [t.name for t in snapshot.teams]
        for combo in (self.teamCombo, self.newTeamCombo):
            fill_teams(combo, teams, self.tr("(no team)"))
        self.passwordNote.setVisible(not snapshot.passwords)
        self._passwords = snapshot.passwords
        self.users = snapshot.users
        self.table.blockSignals(True)
        self.table.setRowCount(len(self.users))
        for row, user in enumerate(self.users):
            cells = (
                user.username, user.display_name, role_label(user.role), user.team or "—",
                user.extension or "", user.email or "",
                self.tr("Yes") if user.active else self.tr("No"),
            )  # fmt: skip
            for column, text in enumerate(cells):
                self.table.setItem(row, column, QTableWidgetItem(text))
        self.table.blockSignals(False)
        found = next((i for i, u in enumerate(self.users) if u.username == chosen), None)
        if found is None:
            self.table.clearSelection()
            self._show_user(None)
            return
        self.table.blockSignals(True)
        self.table.selectRow(found)
        self.table.blockSignals(False)
        user = self.users[found]
        if self._shown is None or self._shown.username != user.username or not self._edited():
            self._show_user(user)
        else:
            self._shown = user  # the admin's unsaved choices stay in the editor

    def _on_selected(self) -> None:
        rows = {index.row() for index in self.table.selectedIndexes()}
        self._show_user(self.users[rows.pop()] if len(rows) == 1 else None)

    def _show_user(self, user: UserInfo | None) -> None:
        self._shown = user
        self.editBox.setEnabled(user is not None)
        self.editBox.setTitle(
            self.tr("Selected user: {name} ({username})").format(
                name=user.display_name, username=user.username
            )
            if user is not None
            else self.tr("Selected user: pick one in the list")
        )
        if user is None:
            return
        self.handoverCombo.clear()
        for other in self.users:
            if other.username != user.username and other.active:
                self.handoverCombo.addItem(
                    f"{other.display_name} ({other.username})", other.username
                )
        self.handoverButton.setEnabled(self.handoverCombo.count() > 0)
        choose_data(self.roleCombo, user.role)
        choose_data(self.teamCombo, user.team)
        self.activeCheck.setChecked(user.active)
        self.passwordEdit.clear()
        self.passwordEdit.setEnabled(self._passwords)
        self.passwordButton.setEnabled(self._passwords)

    def _edited(self) -> bool:
        user = self._shown
        return user is not None and (
            self.roleCombo.currentData() != user.role
            or self.teamCombo.currentData() != user.team
            or self.activeCheck.isChecked() != user.active
        )

    # -- changes ------------------------------------------------------------------------------

    def new_user(self) -> NewUser:
        return NewUser(
            username=self.usernameEdit.text(),
            name=self.nameEdit.text(),
            role=Role(self.newRoleCombo.currentData()),
            team=self.newTeamCombo.currentData(),
            extension=self.extensionEdit.text(),
            email=self.emailEdit.text(),
        )

    def add_user(self) -> None:
        new = self.new_user()

        def done(user: UserInfo) -> None:
            for edit in (self.usernameEdit, self.nameEdit, self.extensionEdit, self.emailEdit):
                edit.clear()
            self._select_after = user.username
            self.saved(self.tr("User {username} added.").format(username=user.username))

        self.run(lambda s: s.add_user(new), done, controls=[self.addButton])

    def apply_user(self) -> None:
        user = self._shown
        if user is None:
            return
        role, team = Role(self.roleCombo.currentData()), self.teamCombo.currentData()
        active = self.activeCheck.isChecked()

        def done(saved: UserInfo) -> None:
            self._shown = saved
            self.saved(self.tr("User {username} saved.").format(username=saved.username))

        self.run(
            lambda s: s.set_user(user.username, role=role, team=team, active=active),
            done,
            controls=[self.applyButton],
        )

    def set_password(self) -> None:
        user, password = self._shown, self.passwordEdit.text()
        if user is None:
            return

        def done(_: None) -> None:
            self.passwordEdit.clear()
            self.say(self.tr("Password set for {username}.").format(username=user.username))

        self.run(
            lambda s: s.set_password(user.username, password),
            done,
            controls=[self.passwordButton],
        )

    def _on_handover(self) -> None:
        user, target = self._shown, self.handoverCombo.currentData()
        if user is None or target is None:
            return
        answer = QMessageBox.question(
            self,
            self.tr("Transfer records"),
            self.tr(
                "Give everything {source} owns and their pending callbacks to {target}? "
                "Each record kind moved is written to the audit log."
            ).format(source=user.username, target=target),
        )
        if answer == QMessageBox.StandardButton.Yes:
            self.transfer_records(str(target))

    def transfer_records(self, target: str) -> None:
        """Move the shown user's records to ``target`` and say how many of each kind."""
        user = self._shown
        if user is None:
            return

        def done(moved: dict[str, int]) -> None:
            counts = ", ".join(
                f"{kind_label(RecordKind(kind))} {count}" for kind, count in moved.items()
            )
            self.saved(
                self.tr("Moved from {source} to {target}: {counts}.").format(
                    source=user.username, target=target, counts=counts or self.tr("nothing")
                )
            )

        self.run(
            lambda s: s.transfer_records(user.username, target),
            done,
            controls=[self.handoverButton],
        )
