"""The desk tells the shared database what its agent is doing, and logs them out on close."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agentdesk.org.models import User
from agentdesk.supervision.models import AgentPresence
from tests.ui.conftest import Desk, close_desk, open_desk


def _presence(desk: Desk) -> tuple[str, str | None, str | None] | None:
    with desk.context.database.sessions() as session:
        row = session.execute(
            select(AgentPresence.state, AgentPresence.reason, AgentPresence.call_number)
            .join(User, User.id == AgentPresence.user_id)
            .where(User.username == desk.context.agent)
        ).one_or_none()
    return None if row is None else (row.state, row.reason, row.call_number)


def test_the_desk_publishes_its_agents_state_and_logs_out_on_close(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    desk = open_desk(qtbot, qloop, tmp_path)
    closed = False
    try:
        desk.wait(lambda: _presence(desk) == ("available", None, None))
        desk.controller.set_not_ready("Lunch")
        desk.wait(lambda: _presence(desk) == ("not_ready", "Lunch", None))
        desk.controller.set_available()
        desk.phone.offer_call("+12025550300")
        desk.wait(lambda: _presence(desk) == ("ringing", None, "+12025550300"))
        desk.controller.reject()
        desk.wait(lambda: _presence(desk) == ("available", None, None))
        close_desk(desk)
        closed = True
        assert _presence(desk) == ("logged_out", None, None)
    finally:
        if not closed:
            close_desk(desk)
