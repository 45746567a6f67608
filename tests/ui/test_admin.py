"""The admin screen on a real SQLite desk: who sees it, and what its tabs change in the database
(read back through the services, not the screen)."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agentdesk.calls.disposition_admin import list_dispositions
from agentdesk.crm.models import Account, Contact
from agentdesk.dialer.campaigns import assigned_to, create_campaign, get_campaign, load_campaign
from agentdesk.domain.access import Action, Capability, Depth, RecordKind, Refusal
from agentdesk.domain.enums import Role
from agentdesk.org import admin, roles
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.models import User
from agentdesk.ui.admin.dialog import AdminDialog
from agentdesk.ui.shell import access_labels as labels
from agentdesk.ui.shell.i18n import install_translators, remove_translators
from tests.ui.conftest import Desk, close_desk, open_desk


@pytest.fixture
def admin_desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Desk]:
    desk = open_desk(qtbot, qloop, tmp_path, role="admin")
    yield desk
    close_desk(desk)


def open_dialog(desk: Desk) -> AdminDialog:
    desk.window.open_admin()
    dialog = desk.window.adminDialog
    assert dialog is not None
    settle(desk, dialog)
    return dialog


def settle(desk: Desk, dialog: AdminDialog) -> None:
    """Wait until the dialog's reads and changes are all done."""
    desk.wait(lambda: not dialog.busy)


def test_an_admin_sees_the_entry_and_opens_the_screen(admin_desk: Desk) -> None:
    window = admin_desk.window
    admin_desk.wait(lambda: window.adminAllowed is not None)
    assert window.adminAllowed and window.adminAction.isVisible()
    window.adminAction.trigger()
    dialog = window.adminDialog
    assert dialog is not None and dialog.isVisible()
    settle(admin_desk, dialog)
    assert dialog.tabs.isEnabled() and not dialog.refusalLabel.isVisible()
    users = dialog.usersTab
    assert [u.username for u in users.users] == ["alice"]
    assert users.table.item(0, 2).text() == "Administrator"  # a label, not the code "admin"
    assert [dialog.tabs.tabText(i) for i in range(dialog.tabs.count())] == [
        "Users",
        "Teams",
        "Roles",
        "Dispositions",
        "Campaigns",
        "Campaign settings",
        "Sales stages",
    ]
    # SQLite has no logins: the password row is off, and says why.
    assert not users.passwordButton.isEnabled() and users.passwordNote.isVisible()
    dialog.close()


def test_an_agent_has_no_entry_and_the_screen_refuses(desk: Desk, qtbot: QtBot) -> None:
    window = desk.window
    desk.wait(lambda: window.adminAllowed is not None)
    assert window.adminAllowed is False and not window.adminAction.isVisible()
    # Opened anyway (by code, or a role taken away while the menu showed), it refuses.
    dialog = AdminDialog(window.admin, desk.context.executor, window)
    qtbot.addWidget(dialog)
    dialog.show()
    settle(desk, dialog)
    assert dialog.refusalLabel.isVisible()
    assert dialog.refusalLabel.text() == (
        "This screen is for administrators. Your role does not allow this: Manage users."
    )
    assert not dialog.tabs.isVisible() and dialog.snapshot is None


def test_handing_a_leaving_reps_records_to_a_colleague(
    admin_desk: Desk, monkeypatch: pytest.MonkeyPatch
) -> None:
    sessions = admin_desk.context.database.sessions
    for name in ("old.rep", "new.rep"):
        admin.add_user(sessions, name, name=name.title(), role="sales_rep")
    with sessions.begin() as s:
        old = s.scalars(select(User.id).where(User.username == "old.rep")).one()
        s.add_all([Contact(first_name=f"C{i}", owner_id=old) for i in range(3)])
        s.add(Account(name="Old Co", owner_id=old))
    dialog = open_dialog(admin_desk)
    tab = dialog.usersTab
    tab.table.selectRow([u.username for u in tab.users].index("old.rep"))
    tab.handoverCombo.setCurrentIndex(tab.handoverCombo.findData("new.rep"))
    asked: list[str] = []

    def answer(*args: object) -> QMessageBox.StandardButton:
        asked.append(str(args[2]))  # the admin clicks Yes: the one edge not run for real
        return QMessageBox.StandardButton.Yes

    monkeypatch.setattr(QMessageBox, "question", answer)
    tab.handoverButton.click()
    settle(admin_desk, dialog)
    assert "old.rep" in asked[0] and "new.rep" in asked[0]
    assert tab.messageLabel.text() == "Moved from old.rep to new.rep: Accounts 1, Contacts 3."
    with sessions() as s:
        new = s.scalars(select(User.id).where(User.username == "new.rep")).one()
        assert set(s.scalars(select(Contact.owner_id))) == {new}
        assert s.scalars(select(Account.owner_id)).one() == new


def test_adding_a_user_from_the_screen_creates_it(admin_desk: Desk) -> None:
    sessions = admin_desk.context.database.sessions
    admin.add_team(sessions, "Inbound")
    dialog = open_dialog(admin_desk)
    tab = dialog.usersTab
    tab.usernameEdit.setText("li.na")
    tab.nameEdit.setText("Li Na")
    tab.newRoleCombo.setCurrentIndex(tab.newRoleCombo.findData(Role.SUPERVISOR))
    tab.newTeamCombo.setCurrentIndex(tab.newTeamCombo.findData("Inbound"))
    tab.extensionEdit.setText("1002")
    tab.emailEdit.setText("li.na@example.cn")
    tab.addButton.click()
    settle(admin_desk, dialog)
    assert tab.messageLabel.text() == "User li.na added."
    created = {u.username: u for u in admin.list_users(sessions)}["li.na"]
    assert (created.display_name, created.role, created.team) == (
        "Li Na",
        Role.SUPERVISOR,
        "Inbound",
    )
    assert (created.extension, created.email, created.active) == ("1002", "li.na@example.cn", True)
    # The form is cleared for the next one, the list shows the new user selected.
    assert tab.usernameEdit.text() == "" and "li.na" in [u.username for u in tab.users]
    assert tab._shown is not None and tab._shown.username == "li.na"
    # Deactivate and move her from the selected-user box.
    tab.activeCheck.setChecked(False)
    tab.teamCombo.setCurrentIndex(tab.teamCombo.findData(None))
    tab.applyButton.click()
    settle(admin_desk, dialog)
    changed = {u.username: u for u in admin.list_users(sessions)}["li.na"]
    assert (changed.active, changed.team) == (False, None)


def test_a_refusal_shows_the_message_and_keeps_the_form(admin_desk: Desk) -> None:
    sessions = admin_desk.context.database.sessions
    admin.add_user(sessions, "bob", name="Bob Smith", role="agent")
    dialog = open_dialog(admin_desk)
    tab = dialog.usersTab
    tab.usernameEdit.setText("bob")
    tab.nameEdit.setText("Bob Again")
    tab.extensionEdit.setText("1003")
    tab.newRoleCombo.setCurrentIndex(tab.newRoleCombo.findData(Role.SALES_REP))
    tab.addButton.click()
    settle(admin_desk, dialog)
    assert "a user named 'bob' exists already" in tab.messageLabel.text()
    assert (tab.usernameEdit.text(), tab.nameEdit.text(), tab.extensionEdit.text()) == (
        "bob",
        "Bob Again",
        "1003",
    )
    assert tab.newRoleCombo.currentData() == Role.SALES_REP and tab.addButton.isEnabled()
    assert [u.display_name for u in admin.list_users(sessions) if u.username == "bob"] == [
        "Bob Smith"
    ]


def test_changing_a_depth_in_the_matrix_persists(admin_desk: Desk) -> None:
    sessions = admin_desk.context.database.sessions
    dialog = open_dialog(admin_desk)
    tab = dialog.rolesTab
    tab.roleCombo.setCurrentIndex(tab.roleCombo.findData(Role.AGENT))
    settle(admin_desk, dialog)
    assert tab.info is not None and tab.info.role is Role.AGENT
    cell = tab.depthCombos[RecordKind.CONTACTS, Action.UPDATE]
    assert cell.currentData() == Depth.OWN and cell.currentText() == "Own"
    cell.setCurrentIndex(cell.findData(Depth.TEAM))
    tab.capabilityChecks[Capability.EXPORT].setChecked(True)
    assert tab.pending_cells() == {(RecordKind.CONTACTS, Action.UPDATE): Depth.TEAM}
    assert not tab.roleCombo.isEnabled()  # switching now would drop the edits
    tab.saveButton.click()
    settle(admin_desk, dialog)
    stored = roles.show_role(sessions, "agent")
    assert stored.matrix[RecordKind.CONTACTS][Action.UPDATE] is Depth.TEAM
    assert Capability.EXPORT in stored.capabilities
    assert tab.pending_cells() == {} and tab.pending_capabilities() == {}
    assert tab.roleCombo.isEnabled() and tab.messageLabel.text() == "Agent: saved."


def test_a_refused_matrix_save_keeps_the_edits_it_could_not_write(admin_desk: Desk) -> None:
    sessions = admin_desk.context.database.sessions
    dialog = open_dialog(admin_desk)
    tab = dialog.rolesTab
    tab.roleCombo.setCurrentIndex(tab.roleCombo.findData(Role.ADMIN))
    settle(admin_desk, dialog)
    # The admin role gives up managing users first: the next change is refused.
    tab.capabilityChecks[Capability.MANAGE_USERS].setChecked(False)
    tab.capabilityChecks[Capability.VIEW_BOARD].setChecked(False)
    tab.saveButton.click()
    settle(admin_desk, dialog)
    assert tab.messageLabel.text() == "alice may not manage users"
    assert tab.pending_capabilities() == {Capability.VIEW_BOARD: False}
    assert not tab.capabilityChecks[Capability.VIEW_BOARD].isChecked()
    assert tab.saveButton.isEnabled()
    stored = roles.show_role(sessions, "admin").capabilities
    assert Capability.MANAGE_USERS not in stored and Capability.VIEW_BOARD in stored


def test_assigning_a_campaign_to_a_team_persists(admin_desk: Desk) -> None:
    sessions = admin_desk.context.database.sessions
    admin.add_team(sessions, "Outbound")
    admin.add_user(sessions, "carol", name="Carol", role="agent", team="Outbound")
    create_campaign(sessions, "Spring renewals")
    dialog = open_dialog(admin_desk)
    tab = dialog.campaignsTab
    assert tab.campaignCombo.currentData() == "Spring renewals"
    assert tab.assignment is not None and tab.assignment.open_to_all
    assert tab.stateLabel.text().startswith("Open to all")
    items = tab.teamList.findItems("Outbound", Qt.MatchFlag.MatchExactly)
    assert len(items) == 1
    items[0].setCheckState(Qt.CheckState.Checked)
    assert tab.saveButton.isEnabled() and not tab.campaignCombo.isEnabled()
    tab.saveButton.click()
    settle(admin_desk, dialog)
    with sessions() as session:
        stored = assigned_to(session, load_campaign(session, "Spring renewals"))
    assert stored == {"agents": [], "teams": ["Outbound"]}
    assert not tab.saveButton.isEnabled() and tab.campaignCombo.isEnabled()
    # Nobody ticked: open to all again.
    (outbound,) = tab.teamList.findItems("Outbound", Qt.MatchFlag.MatchExactly)
    assert outbound.checkState() is Qt.CheckState.Checked
    outbound.setCheckState(Qt.CheckState.Unchecked)
    tab.saveButton.click()
    settle(admin_desk, dialog)
    with sessions() as session:
        stored = assigned_to(session, load_campaign(session, "Spring renewals"))
    assert stored == {"agents": [], "teams": []}
    assert tab.stateLabel.text().startswith("Open to all")


def test_teams_nest_and_dispositions_are_added(admin_desk: Desk) -> None:
    sessions = admin_desk.context.database.sessions
    admin.add_team(sessions, "Sales")
    dialog = open_dialog(admin_desk)
    teams = dialog.teamsTab
    teams.nameEdit.setText("Sales East")
    teams.parentCombo.setCurrentIndex(teams.parentCombo.findData("Sales"))
    teams.addButton.click()
    settle(admin_desk, dialog)
    assert teams.item_names() == {"Sales": None, "Sales East": "Sales"}
    assert {t.name: t.parent for t in admin.list_teams(sessions)}["Sales East"] == "Sales"
    # The other tabs read the new team too.
    assert dialog.usersTab.newTeamCombo.findData("Sales East") >= 0

    tab = dialog.dispositionsTab
    tab.codeEdit.setText("wants_brochure")
    tab.labelEdit.setText("Wants a brochure")
    tab.labelZhEdit.setText("需要宣传册")
    tab.flagChecks["contact"].setChecked(True)
    tab.flagChecks["final"].setChecked(True)
    tab.addButton.click()
    settle(admin_desk, dialog)
    row = {d.code: d for d in list_dispositions(sessions)}["wants_brochure"]
    assert (row.label, row.label_zh, row.counts_as_contact, row.is_final, row.is_success) == (
        "Wants a brochure",
        "需要宣传册",
        True,
        True,
        False,
    )
    shown = [tab.table.item(r, 0).text() for r in range(tab.table.rowCount())]
    assert "wants_brochure" in shown and tab.codeEdit.text() == ""


def test_every_code_has_a_label() -> None:
    assert set(labels.ROLES) == set(Role)
    assert set(labels.KINDS) == set(RecordKind)
    assert set(labels.ACTIONS) == set(Action)
    assert set(labels.DEPTHS) == set(Depth)
    assert set(labels.CAPABILITIES) == set(Capability)


def test_codes_show_in_chinese(qapp: QApplication) -> None:
    translators = install_translators(qapp, "zh_CN")
    try:
        assert labels.role_label(Role.SALES_REP) == "销售代表"
        assert labels.depth_label(Depth.DEPARTMENT) == "本部门"
        assert labels.kind_label(RecordKind.OPPORTUNITIES) == "商机"
        assert labels.capability_label(Capability.MANAGE_USERS) == "管理用户"
    finally:
        remove_translators(qapp, translators)


def test_campaign_settings_edit_pause_and_archive(admin_desk: Desk) -> None:
    """Campaigns could be created but never changed from the admin screen (issue 14)."""
    sessions = admin_desk.context.database.sessions
    create_campaign(sessions, "Spring renewals", script="Hello {first_name}")
    dialog = open_dialog(admin_desk)
    tab = dialog.campaignSettingsTab
    admin_desk.wait(lambda: tab.info is not None)
    assert (
        tab.windowEdit.text() == "08:00-21:00"
        and tab.scriptEdit.toPlainText() == "Hello {first_name}"
    )
    assert all(check.isChecked() for check in tab.dayChecks)
    assert "no_answer=120" in tab.retryEdit.text()
    tab.windowEdit.setText("09:00-17:30")
    for check in tab.dayChecks[5:]:
        check.setChecked(False)
    tab.prioritySpin.setValue(7)
    tab.retryEdit.setText(tab.retryEdit.text().replace("no_answer=120", "no_answer=45"))
    tab.scriptEdit.setPlainText("Hi {first_name}, {agent_name} here.")
    tab.saveButton.click()
    settle(admin_desk, dialog)
    info = get_campaign(sessions, "Spring renewals")
    assert (info.window, info.weekdays, info.priority) == ("09:00-17:30", (0, 1, 2, 3, 4), 7)
    assert info.retry_rules["no_answer"] == {"retry_after_minutes": 45.0}
    assert info.script == "Hi {first_name}, {agent_name} here."
    assert "saved" in tab.messageLabel.text()

    tab.retryEdit.setText("ringing=5")  # refused: the form keeps what was typed
    tab.saveButton.click()
    settle(admin_desk, dialog)
    assert "retry rule 'ringing=5'" in tab.messageLabel.text()
    assert tab.retryEdit.text() == "ringing=5"

    tab.pauseButton.click()
    settle(admin_desk, dialog)
    assert not get_campaign(sessions, "Spring renewals").active
    assert tab.pauseButton.text() == "Resume" and tab.stateLabel.text() == "paused"
    tab.archive_now()
    settle(admin_desk, dialog)
    assert tab.campaignCombo.count() == 0 and not tab.emptyLabel.isHidden()


def test_a_refusal_is_worded_in_the_ui_language(qapp: QApplication) -> None:
    update = AccessDeniedError("ann", Refusal(Action.UPDATE, RecordKind.CONTACTS))
    export = AccessDeniedError("ann", Refusal(capability=Capability.EXPORT))
    give = AccessDeniedError("ann", Refusal(Action.UPDATE, RecordKind.LEADS, recipient="zed"))
    assert str(update) == "ann may not update these contacts"  # the CLI's English
    assert labels.request_error_text(update) == (
        "Your role does not allow you to update these contacts."
    )
    translators = install_translators(qapp, "zh_CN")
    try:
        assert labels.request_error_text(update) == "您的角色不允许修改这些联系人。"
        assert labels.request_error_text(export) == "您的角色不允许此操作：导出。"
        assert "zed" in labels.request_error_text(give)
        assert "线索" in labels.request_error_text(give)
    finally:
        remove_translators(qapp, translators)
