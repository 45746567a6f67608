"""The admin screen's and the supervisor board's screenshots, shared by scripts/screenshots.py
(English) and scripts/screenshots_zh.py (Chinese): an organisation to show, then one PNG per
tab, and the board with the organisation's desks in several states.

The desk in those scripts is an agent's; the admin screen here acts as the demo data's admin
(``demo.admin``), as the desk of an administrator would.
"""

from __future__ import annotations

import itertools
import tempfile
import time
import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QWidget
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.admin import AdminService
from agentdesk.app.board import BoardService
from agentdesk.app.desktop import DesktopContext
from agentdesk.calls.disposition_admin import add_disposition
from agentdesk.calls.dto import CallFacts
from agentdesk.dialer.campaigns import all_campaigns, assign_campaign
from agentdesk.dialer.loader import EntrySpec, load_entries
from agentdesk.domain.agent_state import AgentStatus
from agentdesk.domain.enums import CallDirection, Role
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import (
    CALL_END,
    CALL_MISSED,
    CALL_OPEN,
    CALL_UPDATE,
    call_update_payload,
    facts_payload,
)
from agentdesk.journal.store import JournalStore
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.models import User
from agentdesk.supervision.models import AgentPresence
from agentdesk.supervision.presence import DeskState, publish
from agentdesk.supervision.queue_members import add_members
from agentdesk.supervision.queues import add_queue
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
    seed_queue_calls(sessions, language, out)
    for campaign in all_campaigns(sessions):  # entries to call: the board's campaign row
        numbers = [f"+1202555{8000 + n:04d}" for n in range(40)]
        load_entries(sessions, campaign.name, [EntrySpec(n, n) for n in numbers], source="demo")
    board = BoardWindow(BoardService(sessions, ADMIN), context.executor, parent)
    board.show()
    board.start()
    pump(lambda: board.loads == 0 and len(board.agents) >= len(BOARD[language]), 5)
    pump(lambda: board.figures is not None and board.queuesTable.rowCount() > 0, 5)
    pump(seconds=0.5)
    path = out / f"board{suffix}.png"
    board.grab().save(str(path))
    print("wrote", path)
    board.set_wallboard(True)
    board.resize(1600, 900)  # the offscreen platform has no real full screen to fill
    pump(seconds=0.8)
    wall = out / f"wallboard{suffix}.png"
    board.grab().save(str(wall))
    print("wrote", wall)
    board.set_wallboard(False)
    board.close()
    return path


# (queue, numbers) and the calls of the last hour: (agent, queue, seconds ago offered, waited,
# talked or None for an abandon) in each language
QUEUES = {"en": [("Sales", "+12025550900"), ("Support", "+12025550901"),
                 ("Billing", "+12025550902")],
          "zh": [("销售热线", "+861088880000"), ("售后服务", "+861088880001"),
                 ("账务查询", "+861088880002")]}  # fmt: skip
# who serves each queue: (usernames, teams) by the queue's index; the last queue has nobody
# named, so its tile shows no agent counts
MEMBERS = {
    "en": [(["wang.fang"], ["Sales East", "Sales West"]), (["sam.okafor"], ["Service Tier 1"])],
    "zh": [(["wang.fang"], ["华东销售组", "华南销售组"]), (["sun.li"], ["一线客服组"])],
}
CALLS = [(0, 0, 3000, 8, 240), (1, 0, 2400, 15, 180), (0, 1, 2000, 35, 300),
         (4, 1, 1500, 12, 420), (1, 0, 900, 6, None), (4, 1, 600, 25, None),
         (3, 1, 400, 4, 200), (0, 0, 200, 9, 120)]  # fmt: skip


def seed_queue_calls(sessions: sessionmaker[Session], language: str, workdir: Path) -> None:
    """Queues and calls of the last hour through a desk's journal, as desks would book them:
    the board's tiles and the agents' figures today come from these rollups; two callers are
    left waiting."""
    queues = QUEUES[language]
    for name, number in queues:
        add_queue(sessions, name, [number], region="US")
    for (name, _), (users, teams) in zip(queues, MEMBERS[language], strict=False):
        add_members(sessions, name, users, teams)
    people = [username for username, *_ in PEOPLE[language]]
    minutes = itertools.count(step=60.0)
    with tempfile.TemporaryDirectory(dir=workdir) as folder:
        journal = Journal(JournalStore(Path(folder) / "journal.db"), sessions, APPLIERS,
                          monotonic=lambda: next(minutes))  # fmt: skip
        now = datetime.now(UTC)
        calls = [*CALLS, (2, 0, 40, None, None), (2, 1, 15, None, None)]
        for n, (who, queue, ago, waited, talked) in enumerate(calls):
            agent, record = people[who], uuid.uuid4()
            start = now - timedelta(seconds=ago)
            facts = CallFacts(
                direction=CallDirection.INBOUND,
                started_at=start,
                agent=agent,
                sip_call_id=f"screens-{language}-{n}",
                remote_e164=f"+1202555{n:04d}",
                queue_number=queues[queue][1],
            )
            journal.append(CALL_OPEN, facts_payload(facts), record_id=record, actor=agent)
            if waited is None:
                continue  # still ringing
            answered = start + timedelta(seconds=waited) if talked is not None else None
            ended = answered + timedelta(seconds=talked) if answered and talked else None
            if answered is not None:
                update = call_update_payload(answered_at=answered)
                journal.append(CALL_UPDATE, update, record_id=record, actor=agent)
            gone = ended or start + timedelta(seconds=waited)
            end = call_update_payload(answered_at=answered, ended_at=gone)
            kind = CALL_END if answered else CALL_MISSED
            journal.append(kind, end, record_id=record, actor=agent)
        journal.drain()
        journal.store.close()
