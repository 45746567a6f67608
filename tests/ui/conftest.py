"""UI fixtures: one qasync loop for the session, and a desk window on SQLite with a fake phone."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
import qasync
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desktop import DesktopContext
from agentdesk.org.admin import set_user
from agentdesk.ui.shell.main_window import MainWindow
from tests.support.fake_softphone import FakeSoftphone
from tests.ui.desk_support import make_desk


@pytest.fixture(scope="session")
def _qasync_loop(qapp: QApplication) -> asyncio.AbstractEventLoop:
    loop = qasync.QEventLoop(qapp)
    return loop


@pytest.fixture
def qloop(_qasync_loop: asyncio.AbstractEventLoop) -> Iterator[asyncio.AbstractEventLoop]:
    """The GUI thread's asyncio loop, marked running for the test.

    Not run_forever: qtbot's waits spin Qt, and qasync schedules its callbacks on Qt timers.
    In the app the loop runs for the window's whole life; marking it running lets coroutines
    (the window's shutdown) use ``asyncio.sleep()`` as they do there. Unset afterwards so other
    tests can run their own loops.
    """
    asyncio.set_event_loop(_qasync_loop)
    asyncio.events._set_running_loop(_qasync_loop)
    yield _qasync_loop
    asyncio.events._set_running_loop(None)
    asyncio.set_event_loop(None)


@dataclass
class Desk:
    context: DesktopContext
    controller: DeskController
    phone: FakeSoftphone
    window: MainWindow
    qtbot: QtBot

    def wait(self, condition: Any, timeout: int = 5000) -> None:
        self.qtbot.waitUntil(lambda: bool(condition()), timeout=timeout)


def open_desk(
    qtbot: QtBot,
    loop: asyncio.AbstractEventLoop,
    tmp_path: Path,
    *,
    role: str | None = None,
    **agent: Any,
) -> Desk:
    """The desk of agent ``alice``; ``role`` gives her another role before the window opens."""
    context, phones = make_desk(tmp_path, **agent)
    if role is not None:
        set_user(context.database.sessions, context.agent, role=role)  # as the file's owner
    controller = context.build_controller(loop)
    window = MainWindow(context, controller)
    controller.start()
    # Not qtbot.addWidget: pytest-qt would destroy the window before the shutdown ran.
    window.show()
    return Desk(context, controller, phones[0], window, qtbot)


def close_desk(desk: Desk) -> None:
    desk.window.close()
    desk.wait(lambda: not desk.window.isVisible())
    assert desk.controller.wrapup is None, "the window closed before the wrap-up was saved"
    desk.window.deleteLater()
    desk.context.close()


@pytest.fixture
def desk(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Desk]:
    d = open_desk(qtbot, qloop, tmp_path, wrapup_seconds=120)
    yield d
    close_desk(d)
