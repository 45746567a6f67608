"""View > Supervisor board: whom it shows, live updates pushed by the database, the team
filter and the wallboard."""

from __future__ import annotations

import asyncio
from pathlib import Path

from pytestqt.qtbot import QtBot

from agentdesk.domain.agent_state import AgentStatus
from agentdesk.org.admin import add_team, add_user, set_user
from agentdesk.supervision.presence import DeskState, publish
from agentdesk.ui.supervision.board_window import state_colour
from tests.ui.conftest import Desk, close_desk, open_desk


def _rows(desk: Desk) -> dict[str, tuple[str, str]]:
    board = desk.window.supervision.boardWindow
    assert board is not None
    table = board.table
    return {
        table.item(r, 0).text(): (table.item(r, 2).text(), table.item(r, 4).text())
        for r in range(table.rowCount())
    }


def test_a_supervisor_watches_their_floor_live(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    desk = open_desk(qtbot, qloop, tmp_path, role="supervisor")
    try:
        sessions = desk.context.database.sessions
        add_team(sessions, "Floor")
        set_user(sessions, desk.context.agent, team="Floor")
        add_user(sessions, "bob", name="Bob", role="agent", team="Floor")
        add_user(sessions, "zed", name="Zed", role="agent")  # not in her department
        for name in ("bob", "zed"):
            publish(sessions, name, DeskState(AgentStatus.AVAILABLE))
        desk.wait(lambda: desk.window.supervision.allowed is not None)
        assert desk.window.boardAction.isVisible()
        desk.window.boardAction.trigger()
        board = desk.window.supervision.boardWindow
        assert board is not None and board.isVisible()
        desk.wait(lambda: "Bob" in _rows(desk))
        assert "Zed" not in _rows(desk) and _rows(desk)["Bob"] == ("available", "")
        # a change on bob's desk reaches the open board without anyone asking
        publish(sessions, "bob", DeskState(AgentStatus.TALKING, call_number="+12025550111"))
        desk.wait(lambda: _rows(desk).get("Bob") == ("on call", "+12025550111"))
        board.teamCombo.setCurrentIndex(board.teamCombo.findData("Floor"))
        assert set(_rows(desk)) <= {"Bob", desk.context.agent, "Alice"}
        board.wallboardButton.click()
        desk.wait(lambda: board.isFullScreen())
        assert board.table.font().pointSizeF() > board.font().pointSizeF() * 2
        board.wallboardButton.click()
        desk.wait(lambda: not board.isFullScreen())
        board.close()
    finally:
        close_desk(desk)


def test_an_agent_has_no_board(desk: Desk) -> None:
    desk.wait(lambda: desk.window.supervision.allowed is not None)
    assert desk.window.supervision.allowed is False and not desk.window.boardAction.isVisible()


def test_time_in_state_darkens_the_colour() -> None:
    assert state_colour("available", 5) != state_colour("available", 400)
    assert state_colour("talking", 0) != state_colour("talking", 301)
    assert state_colour("lost", 999) == "#c8c8c8"
