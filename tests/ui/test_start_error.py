"""A desktop that cannot start says why in a window (issue 14): started from a desktop icon,
nobody reads standard error. The dialog is built and shown offscreen; its modal run is replaced
so no test blocks on ``exec()``."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest
from PySide6.QtWidgets import QApplication, QMessageBox
from pytestqt.qtbot import QtBot

from agentdesk.app.desktop import DesktopStartError, StartProblem
from agentdesk.cli.main import main
from agentdesk.ui.shell import start_error
from agentdesk.ui.shell.i18n import install_translators, remove_translators
from tests.support.pg_server import free_port


@pytest.fixture
def shown(monkeypatch: pytest.MonkeyPatch, qapp: QApplication) -> list[QMessageBox]:
    """The dialogs the app would run modally, in order (their run is a no-op here)."""
    boxes: list[QMessageBox] = []
    monkeypatch.setattr(start_error, "run_modal", boxes.append)
    return boxes


def test_an_unreachable_database_at_start_shows_the_reason_and_what_to_check(
    qtbot: QtBot, shown: list[QMessageBox], capsys: pytest.CaptureFixture[str]
) -> None:
    port = free_port()
    code = main(["--db", f"postgresql://agent@127.0.0.1:{port}/x"])
    assert code == 2  # and no window
    [box] = shown
    qtbot.addWidget(box)
    box.show()
    qtbot.waitExposed(box)
    assert box.windowTitle() == "AgentDesk cannot start"
    assert box.icon() is QMessageBox.Icon.Critical
    text = box.text()
    assert text.startswith("AgentDesk cannot open its database.")
    assert f"cannot open the database postgresql+psycopg://agent@127.0.0.1:{port}/x" in text
    assert "Connection refused" in text  # the reason as the system gave it
    check = box.informativeText()
    assert "the database server is running and reachable" in check
    assert "AGENTDESK_DB_URL" in check and "config.toml" in check
    assert [b.text() for b in box.buttons()] in (["Close"], ["&Close"])
    err = capsys.readouterr().err  # still on standard error for a terminal
    assert err.startswith(
        f"agentdesk: cannot open the database postgresql+psycopg://agent@127.0.0.1:{port}/x"
    )


@pytest.mark.parametrize(
    ("problem", "headline", "hint"),
    [
        (StartProblem.DATABASE_SERVER, "cannot open its database", "server is running"),
        (StartProblem.DATABASE_FILE, "cannot open its database", "you may write to it"),
        (StartProblem.DATABASE_URL, "cannot open its database", "postgresql://user@host"),
        (StartProblem.DATABASE_SCHEMA, "cannot open its database", "agentdesk db upgrade"),
        (StartProblem.CONFIG, "a setting is wrong", "Correct the setting named above"),
    ],
)
def test_each_problem_says_what_to_check(
    qtbot: QtBot, qapp: QApplication, problem: StartProblem, headline: str, hint: str
) -> None:
    error = DesktopStartError("the reason", problem, Path("/home/li/.config/agentdesk/c.toml"))
    box = start_error.start_error_box(error)
    qtbot.addWidget(box)
    assert headline in box.text() and box.text().endswith("\n\nthe reason")
    assert hint in box.informativeText()
    if problem is not StartProblem.DATABASE_SCHEMA:
        assert "/home/li/.config/agentdesk/c.toml" in box.informativeText()


def test_the_dialog_in_chinese(qtbot: QtBot, qapp: QApplication) -> None:
    translators = install_translators(qapp, "zh_CN")
    try:
        error = DesktopStartError("x", StartProblem.DATABASE_SERVER, Path("c.toml"))
        box = start_error.start_error_box(error)
        qtbot.addWidget(box)
        assert box.windowTitle() == "AgentDesk 无法启动"
        assert box.text().startswith("AgentDesk 无法打开数据库。")
        assert "c.toml" in box.informativeText() and "数据库服务器" in box.informativeText()
    finally:
        remove_translators(qapp, translators)


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the display check is Linux's")
def test_without_a_display_only_standard_error_tells(
    monkeypatch: pytest.MonkeyPatch, shown: list[QMessageBox]
) -> None:
    for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"):
        monkeypatch.delenv(name, raising=False)
    error = DesktopStartError("x", StartProblem.DATABASE_FILE, Path("c.toml"))
    assert start_error.show_start_error(error, None) is False
    assert shown == []
