"""The admin screen's and the supervisor board's screenshots, shared by scripts/screenshots.py
(English) and scripts/screenshots_zh.py (Chinese): an organisation to show, then one PNG per
tab, and the board with the organisation's desks in several states.

The desk in those scripts is an agent's; the admin screen here acts as the demo data's admin
(``demo.admin``), as the desk of an administrator would.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from datetime import timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.admin import AdminService
from agentdesk.app.board import BoardService
from agentdesk.app.desktop import DesktopContext
from agentdesk.calls.disposition_admin import add_disposition
from agentdesk.dialer.campaigns import assign_campaign
from agentdesk.domain.agent_state import AgentStatus
from agentdesk.domain.enums import Role
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.models import User
from agentdesk.supervision.models import AgentPresence
from agentdesk.supervision.presence import DeskState, publish
from agentdesk.ui.admin.dialog import AdminDialog
from agentdesk.ui.supervision.board_window import BoardWindow

ADMIN = "demo.admin"
# (name, parent) and (username, name, role, team) in each language.
TEAMS = {
    "en": [("Sales", None), ("Sales East", "Sales"), ("Sales West", "Sales"),
           ("Service", None), ("Service Tier 1", "Service"), ("Service Tier 2", "Service")],
    "zh": [("销售部", None), ("华东销售组", "销售部"), ("华南销售组", "销售部"),
           ("客服部", None), ("一线客服组", "客服部"), ("二线客服组", "客服部")],
}  # fmt: skip
PEOPLE = {
    "en": [("wang.fang", "Wang Fang", "sales_manager", "Sales"),
           ("chen.jie", "Chen Jie", "sales_rep", "Sales East"),
           ("maria.lopez", "Maria Lopez", "sales_rep", "Sales West"),
           ("sam.okafor", "Sam Okafor", "supervisor", "Service"),
           ("liu.yang", "Liu Yang", "service_agent", "Service Tier 1")],
    "zh": [("wang.fang", "王芳", "sales_manager", "销售部"),
           ("chen.jie", "陈杰", "sales_rep", "华东销售组"),
           ("zhao.lei", "赵磊", "sales_rep", "华南销售组"),
           ("sun.li", "孙丽", "supervisor", "客服部"),
           ("liu.yang", "刘洋", "service_agent", "一线客服组")],
}  # fmt: skip


def pump(until: Callable[[], bool] = lambda: False, seconds: float = 0.4) -> None:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        QCoreApplication.processEvents()
        if until():
            deadline = min(deadline, time.monotonic() + 0.15)  # let the paint settle
        time.sleep(0.01)


def seed_organisation(sessions: sessionmaker[Session], language: str, campaign: str) -> None:
    """Departments with sub-teams, a few people in them, a disposition with both labels and
    ``campaign`` assigned to one team and one person."""
    for name, parent in TEAMS[language]:
        add_team(sessions, name, parent=parent)
    for index, (username, name, role, team) in enumerate(PEOPLE[language]):
        add_user(
            sessions, username, name=name, role=role, team=team, extension=str(2001 + index),
            email=f"{username}@agentdesk.example",
        )  # fmt: skip
    add_disposition(
        sessions, "wants_brochure", label="Wants a brochure", label_zh="需要宣传册", contact=True
    )
    first_team, first_rep = TEAMS[language][1][0], PEOPLE[language][1][0]
    assign_campaign(sessions, campaign, agents=[first_rep], teams=[first_team])


def shoot_admin(
    context: DesktopContext,
    parent: QWidget,
    out: Path,
    suffix: str = "",
    *,
    campaign: str | None = None,
) -> list[Path]:
    """Open the admin screen and save one PNG of each tab as ``admin-<tab><suffix>.png``."""
    service = AdminService(context.database.sessions, ADMIN, passwords=False)
    dialog = AdminDialog(service, context.executor, parent)
    dialog.show()
    pump(lambda: not dialog.busy and dialog.snapshot is not None, 5)
    users = dialog.usersTab
    row = next(i for i, u in enumerate(users.users) if u.username == "chen.jie")
    users.table.selectRow(row)
    roles = dialog.rolesTab
    roles.roleCombo.setCurrentIndex(roles.roleCombo.findData(Role.SALES_MANAGER))
    pump(lambda: not dialog.busy, 3)
    if campaign is not None:
        tab = dialog.campaignsTab
        tab.campaignCombo.setCurrentIndex(tab.campaignCombo.findData(campaign))
        settings_tab = dialog.campaignSettingsTab
        settings_tab.campaignCombo.setCurrentIndex(settings_tab.campaignCombo.findData(campaign))
        pump(lambda: not dialog.busy, 3)
    written = []
    for name, tab in (
        ("users", dialog.usersTab),
        ("teams", dialog.teamsTab),
        ("roles", dialog.rolesTab),
        ("dispositions", dialog.dispositionsTab),
        ("campaigns", dialog.campaignsTab),
        ("campaign-settings", dialog.campaignSettingsTab),
    ):
        dialog.tabs.setCurrentWidget(tab)
        pump(seconds=0.3)
        path = out / f"admin-{name}{suffix}.png"
        dialog.grab().save(str(path))
        print("wrote", path)
        written.append(path)
    dialog.close()
    return written


# (username, state, reason, minutes in state, call number, party); the seeded people's desks
BOARD = {
    "en": [("wang.fang", "talking", None, 3, "+8613800138000", "Li Wei"),
           ("chen.jie", "available", None, 7, None, None),
           ("maria.lopez", "not_ready", "Lunch", 18, None, None),
           ("sam.okafor", "wrap_up", None, 1, None, None),
           ("liu.yang", "talking", None, 12, "+14155550142", "Barbara Patel")],
    "zh": [("wang.fang", "talking", None, 3, "+8613800138000", "李伟"),
           ("chen.jie", "available", None, 7, None, None),
           ("zhao.lei", "not_ready", "午餐", 18, None, None),
           ("sun.li", "wrap_up", None, 1, None, None),
           ("liu.yang", "talking", None, 12, "+14155550142", "王小明")],
}  # fmt: skip


def shoot_board(
    context: DesktopContext, parent: QWidget, out: Path, language: str, suffix: str = ""
) -> Path:
    """The supervisor board as the admin sees it, the seeded people's desks in several states
    (their time in state set back so the colours show), as ``board<suffix>.png``."""
    sessions = context.database.sessions
    for username, state, reason, minutes, number, party in BOARD[language]:
        publish(
            sessions, username,
            DeskState(AgentStatus(state), reason, call_direction="inbound" if number else None,
                      call_number=number, party_name=party),
        )  # fmt: skip
        with sessions.begin() as session:
            user = session.scalars(select(User).where(User.username == username)).one()
            row = session.get_one(AgentPresence, user.id)
            row.since = row.since - timedelta(minutes=minutes)
    board = BoardWindow(BoardService(sessions, ADMIN), context.executor, parent)
    board.show()
    board.start()
    pump(lambda: board.loads == 0 and len(board.agents) >= len(BOARD[language]), 5)
    pump(seconds=0.5)
    path = out / f"board{suffix}.png"
    board.grab().save(str(path))
    print("wrote", path)
    board.close()
    return path
