"""File > Administration: users, teams, roles, dispositions, campaign assignment, campaign
settings and opportunity stages in tabs.

For users whose role has the ``manage_users`` capability. The main window shows the menu entry
only to them, and the dialog asks again when it opens (the first read is refused otherwise):
it then shows why and nothing else. Not modal, so calls can still be answered while it is open.
"""

from __future__ import annotations

from concurrent.futures import Executor

from PySide6.QtCore import QSize
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.admin import AdminService, AdminSnapshot
from agentdesk.db.errors import RequestError
from agentdesk.ui.admin.campaign_settings_tab import CampaignSettingsTab
from agentdesk.ui.admin.campaigns_tab import CampaignsTab
from agentdesk.ui.admin.common import ERROR_STYLE, AdminTab
from agentdesk.ui.admin.dispositions_tab import DispositionsTab
from agentdesk.ui.admin.roles_tab import RolesTab
from agentdesk.ui.admin.stages_tab import StagesTab
from agentdesk.ui.admin.teams_tab import TeamsTab
from agentdesk.ui.admin.users_tab import UsersTab
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.background import run_in_background

FULL_SIZE = QSize(1040, 720)


class AdminDialog(QDialog):
    def __init__(
        self, service: AdminService, executor: Executor, parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self.setObjectName("adminDialog")
        self.setWindowTitle(self.tr("Administration"))
        self._service = service
        self._executor = executor
        self.snapshot: AdminSnapshot | None = None
        self.loads = 0
        """Snapshot reads not finished yet (the tests wait for none)."""

        self.usersTab = UsersTab(service, executor, self)
        self.teamsTab = TeamsTab(service, executor, self)
        self.rolesTab = RolesTab(service, executor, self)
        self.dispositionsTab = DispositionsTab(service, executor, self)
        self.campaignsTab = CampaignsTab(service, executor, self)
        self.campaignSettingsTab = CampaignSettingsTab(service, executor, self)
        self.stagesTab = StagesTab(service, executor, self)
        self.tabs = QTabWidget(self)
        self.tabs.addTab(self.usersTab, self.tr("Users"))
        self.tabs.addTab(self.teamsTab, self.tr("Teams"))
        self.tabs.addTab(self.rolesTab, self.tr("Roles"))
        self.tabs.addTab(self.dispositionsTab, self.tr("Dispositions"))
        self.tabs.addTab(self.campaignsTab, self.tr("Campaigns"))
        self.tabs.addTab(self.campaignSettingsTab, self.tr("Campaign settings"))
        self.tabs.addTab(self.stagesTab, self.tr("Sales stages"))
        self.tabs.setEnabled(False)
        for tab in self.all_tabs():
            tab.changed.connect(self.reload)

        self.refusalLabel = QLabel(self)
        self.refusalLabel.setObjectName("adminRefusal")
        self.refusalLabel.setWordWrap(True)
        self.refusalLabel.setStyleSheet(ERROR_STYLE)
        self.refusalLabel.hide()
        buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Close, self)
        buttons.rejected.connect(self.close)
        layout = QVBoxLayout(self)
        layout.addWidget(self.refusalLabel)
        layout.addWidget(self.tabs, 1)
        layout.addWidget(buttons)
        self.resize(FULL_SIZE)
        self.reload()

    def all_tabs(self) -> tuple[AdminTab, ...]:
        return (
            self.usersTab,
            self.teamsTab,
            self.rolesTab,
            self.dispositionsTab,
            self.campaignsTab,
            self.campaignSettingsTab,
            self.stagesTab,
        )

    @property
    def busy(self) -> bool:
        """Whether a read or a change is still running (the tests wait for it to end)."""
        return self.loads > 0 or any(tab.pending for tab in self.all_tabs())

    def reload(self) -> None:
        """Read users, teams, dispositions and campaigns again and show them in every tab;
        refused (the user may not administer) the tabs go and the reason shows."""
        self.loads += 1
        run_in_background(
            self, self._executor, self._service.snapshot, self._on_snapshot, self._on_refused
        )

    def _on_snapshot(self, snapshot: AdminSnapshot) -> None:
        self.loads -= 1
        self.snapshot = snapshot
        if self.tabs.isHidden():  # refused before, allowed now
            self.refusalLabel.hide()
            self.tabs.show()
            self.resize(FULL_SIZE)
        self.tabs.setEnabled(True)
        for tab in self.all_tabs():
            tab.show_snapshot(snapshot)

    def _on_refused(self, error: BaseException) -> None:
        self.loads -= 1
        if isinstance(error, RequestError):
            text = self.tr("This screen is for administrators. {reason}")
        else:
            text = self.tr("The database could not be read: {reason}")
        self.refusalLabel.setText(text.format(reason=request_error_text(error)))
        self.refusalLabel.show()
        self.tabs.setEnabled(False)
        self.tabs.hide()
        # One sentence and a Close button: shrink around them rather than float in the middle.
        self.setMinimumSize(0, 0)
        self.resize(max(480, self.refusalLabel.sizeHint().width() + 40), 1)
