from __future__ import annotations

from pathlib import Path

from pytestqt.qtbot import QtBot

from agentdesk.app.config import Settings
from agentdesk.app.desktop import FIRST_RUN_DEMO_CONTACTS, start_desktop
from agentdesk.ui.main_window import MainWindow


def test_first_run_creates_database_with_demo_data(qtbot: QtBot, tmp_path: Path) -> None:
    path = tmp_path / "desk.db"
    context = start_desktop(f"sqlite:///{path}", Settings())
    try:
        assert context.first_run
        window = MainWindow(context)
        qtbot.addWidget(window)
        window.show()
        qtbot.waitUntil(lambda: "contacts" in window.summaryLabel.text(), timeout=5000)
        assert window.summaryLabel.text().startswith(f"{FIRST_RUN_DEMO_CONTACTS:,} contacts")
        assert "demo data" in window.statusBar().currentMessage()
    finally:
        context.close()

    # A second start finds the database and adds nothing.
    again = start_desktop(f"sqlite:///{path}", Settings())
    try:
        assert not again.first_run
        assert again.summary().contacts == FIRST_RUN_DEMO_CONTACTS
    finally:
        again.close()
