"""The board's queue tiles and each agent's calls and AHT today, read from the rollups the
desks' journals keep, and the active campaigns' progress (issue 16)."""

from __future__ import annotations

import asyncio
import itertools
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from pytestqt.qtbot import QtBot

from agentdesk.calls.dto import CallFacts
from agentdesk.dialer.campaigns import create_campaign
from agentdesk.dialer.loader import EntrySpec, load_entries
from agentdesk.domain.agent_state import AgentStatus
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import (
    CALL_END,
    CALL_OPEN,
    CALL_UPDATE,
    call_update_payload,
    facts_payload,
)
from agentdesk.journal.store import JournalStore
from agentdesk.org.admin import add_team, add_user, set_user
from agentdesk.supervision.presence import DeskState, heartbeat, publish
from agentdesk.supervision.queue_members import add_members
from agentdesk.supervision.queues import add_queue
from tests.ui.conftest import close_desk, open_desk


def test_queue_tiles_and_agent_figures_today(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    desk = open_desk(qtbot, qloop, tmp_path, role="supervisor")
    try:
        sessions = desk.context.database.sessions
        add_team(sessions, "Floor")  # a supervisor watches their department
        set_user(sessions, desk.context.agent, team="Floor")
        add_user(sessions, "bob", name="Bob", role="agent", team="Floor")
        publish(sessions, "bob", DeskState(AgentStatus.WRAP_UP))
        add_queue(sessions, "sales", ["+12025550900"], region="US")
        add_queue(sessions, "spare", ["+12025550901"], region="US")  # nobody named to serve it
        add_members(sessions, "sales", ["bob"])
        create_campaign(sessions, "Renewals", mode="preview")
        numbers = ["+12025550701", "+12025550702", "+12025550703"]
        load_entries(sessions, "Renewals", [EntrySpec(n, n) for n in numbers], source="test")
        minutes = itertools.count(step=60.0)
        journal = Journal(JournalStore(tmp_path / "bob.db"), sessions, APPLIERS,
                          monotonic=lambda: next(minutes))  # fmt: skip
        now = datetime.now(UTC).replace(microsecond=0)
        for sip, ring, answer, end in (("one", 40, 30, 10), ("two", 3, None, None)):
            record = uuid.uuid4()
            facts = CallFacts(direction=CallDirection.INBOUND, agent="bob", sip_call_id=sip,
                              started_at=now - timedelta(seconds=ring),
                              queue_number="+12025550900")  # fmt: skip
            journal.append(CALL_OPEN, facts_payload(facts), record_id=record, actor="bob")
            if answer is not None and end is not None:
                answered = now - timedelta(seconds=answer)
                update = call_update_payload(answered_at=answered)
                journal.append(CALL_UPDATE, update, record_id=record, actor="bob")
                done = call_update_payload(
                    answered_at=answered, ended_at=now - timedelta(seconds=end)
                )
                journal.append(CALL_END, done, record_id=record, actor="bob")
        assert journal.drain().refused == 0
        journal.store.close()

        heartbeat(sessions, "bob")  # bob's desk still rings the waiting caller, not lost
        desk.wait(lambda: desk.window.supervision.allowed is not None)
        desk.window.boardAction.trigger()
        board = desk.window.supervision.boardWindow
        assert board is not None
        desk.wait(lambda: board.figures is not None and board.loads == 0)
        desk.wait(lambda: board.queuesTable.rowCount() == 2 and board.table.rowCount() > 0)
        tile = [board.queuesTable.item(0, c).text() for c in range(11)]
        # one caller waiting (3 s and counting); one answered after waiting 10 s
        assert tile[0:2] == ["sales", "1"]
        waited = int(tile[2].split(":")[1])
        assert 3 <= waited < 60
        assert tile[3:7] == ["100%", "0%", "0:10", "1 / 1"]
        # the queue's members by state: bob, in wrap-up; the supervisor serves no queue
        assert tile[7:] == ["0", "0", "1", "0"]
        spare = [board.queuesTable.item(1, c).text() for c in range(11)]
        assert spare[0] == "spare" and spare[7:] == ["—"] * 4
        assert "queue member add" in board.queuesTable.item(1, 7).toolTip()
        publish(sessions, "bob", DeskState(AgentStatus.AVAILABLE))  # the counts follow
        desk.wait(lambda: board.queuesTable.item(0, 7).text() == "1")
        assert board.queuesTable.item(0, 9).text() == "0"
        assert "answered within T / answered" in board.formulaLabel.text()
        desk.wait(lambda: board.table.rowCount() > 0)
        rows = {board.table.item(r, 0).text(): r for r in range(board.table.rowCount())}
        bob = rows["Bob"]
        assert board.table.item(bob, 6).text() == "1"
        assert board.table.item(bob, 7).text() == "0:20"  # 20 s of talk, no wrap-up yet
        assert "0 in wrap-up" in board.summaryLabel.text()
        # the active campaigns' progress, on its own slower clock
        desk.wait(lambda: board.campaignsTable.rowCount() == 1)
        campaign = [board.campaignsTable.item(0, c).text() for c in range(5)]
        assert campaign == ["Renewals", "0", "0", "0", "3"]
        board.close()
    finally:
        close_desk(desk)
