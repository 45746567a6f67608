"""What made a first day look unfinished (issue 14): counts that never refreshed, the left
panel narrowing when the Dialer tab opens, a paused dialer's contact left on screen, an
outbound call to an unknown number called an "unknown caller", and the menus."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from pathlib import Path

import pytest
from PySide6.QtGui import QAction, QKeySequence
from PySide6.QtWidgets import QApplication, QMenu
from pytestqt.qtbot import QtBot

from agentdesk import __version__
from agentdesk.app.dialer.views import DialerPhase
from agentdesk.ui.shell.main_window import MainWindow
from agentdesk.ui.shell.shortcuts import COMMANDS, SHORTCUTS, ShortcutsDialog
from tests.ui.conftest import Desk, close_desk
from tests.ui.desk_support import make_desk
from tests.ui.dialer_support import make_campaign


@pytest.fixture
def slow(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Desk]:
    context, phones = make_desk(tmp_path, wrapup_seconds=120)
    context.dialer_preview_seconds = 60
    controller = context.build_controller(qloop)
    window = MainWindow(context, controller)
    controller.start()
    window.show()
    d = Desk(context, controller, phones[0], window, qtbot)
    yield d
    close_desk(d)


def test_status_bar_counts_follow_a_saved_wrapup(desk: Desk) -> None:
    label = desk.window.summaryLabel
    desk.wait(lambda: label.text().endswith(" 0 calls"))
    call_id = desk.phone.offer_call("+12025550700")
    assert call_id is not None
    desk.wait(lambda: desk.controller.call is not None)
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.phone.remote_hangup(call_id)
    panel = desk.window.wrapupPanel
    desk.wait(lambda: panel.wrapup is not None)
    panel.dispositionCombo.setCurrentIndex(panel.dispositionCombo.findData("info_given"))
    panel.saveButton.click()
    desk.wait(lambda: label.text().endswith(" 1 calls"))
    assert desk.window.summaryTimer.isActive()  # and imports elsewhere show within a minute


def test_opening_the_dialer_tab_keeps_the_left_panel_width(slow: Desk) -> None:
    window = slow.window
    make_campaign(slow.context)
    QApplication.processEvents()
    before = window.customerPanel.width()
    panel = window.dialerPanel
    assert panel is not None
    window.tabs.setCurrentWidget(panel)
    panel.reload()
    slow.wait(lambda: panel.view.campaign is not None)
    panel.startButton.click()
    slow.wait(lambda: panel.view.phase is DialerPhase.OFFERED)
    QApplication.processEvents()
    assert window.customerPanel.width() == before


def test_pausing_the_dialer_clears_the_released_contact(slow: Desk) -> None:
    window = slow.window
    loaded = make_campaign(slow.context)
    panel = window.dialerPanel
    assert panel is not None
    window.tabs.setCurrentWidget(panel)
    panel.reload()
    slow.wait(lambda: panel.view.campaign is not None)
    panel.startButton.click()
    slow.wait(lambda: window.customerPanel.party == loaded.parties[0])
    panel.startButton.click()  # pause: the entry goes back to the pool
    slow.wait(lambda: panel.view.phase is DialerPhase.STOPPED)
    slow.wait(lambda: window.customerPanel.party is None)
    assert window.customerPanel.currentWidget() is window.customerPanel.emptyPage


def test_an_outbound_call_to_an_unknown_number_is_no_unknown_caller(desk: Desk) -> None:
    card = desk.window.customerPanel.unknownCard
    assert desk.controller.dial("+12025550777") is None
    desk.wait(lambda: desk.window.customerPanel.currentWidget() is card)
    assert card.titleLabel.text() == "Unknown number"
    assert card.numberLabel.text() == "+12025550777"
    desk.controller.hangup()
    desk.wait(lambda: desk.controller.call is None)


def _actions(window: MainWindow) -> dict[str, list[QAction]]:
    """Each key bound in the window, and the actions bound to it."""
    found: dict[str, list[QAction]] = {}
    seen: set[int] = set()
    for action in window.findChildren(QAction):
        if id(action) in seen or action.shortcut().isEmpty():
            continue
        seen.add(id(action))
        found.setdefault(action.shortcut().toString(), []).append(action)
    return found


def test_menus_hold_the_desk_commands_with_their_keys(desk: Desk) -> None:
    window = desk.window
    titles = [a.text().replace("&", "") for a in window.menuBar().actions()]
    assert titles == ["File", "Call", "View", "Sales", "Help"]
    texts: dict[str, list[str]] = {}
    for entry in window.menuBar().actions():
        menu = entry.menu()
        assert isinstance(menu, QMenu)
        texts[menu.title().replace("&", "")] = [a.text().replace("&", "") for a in menu.actions()]
    assert {"Answer", "Hang up", "Hold", "Mute", "Transfer"} <= set(texts["Call"])
    assert "Search records" in texts["View"] and "Keyboard shortcuts" in texts["Help"]
    bound = _actions(window)
    # One table, one action per key: no key is bound twice (Qt would then ignore it).
    assert all(len(actions) == 1 for actions in bound.values()), bound
    assert set(bound) == set(SHORTCUTS.values())
    for key, actions in bound.items():
        assert actions[0].toolTip().endswith(f"({key})")
    window.activateWindow()
    desk.wait(lambda: QApplication.activeWindow() is window)
    sequence = QKeySequence(SHORTCUTS["search"])[0]
    target = QApplication.focusWidget() or window
    desk.qtbot.keyClick(target, sequence.key(), sequence.keyboardModifiers())
    desk.wait(lambda: QApplication.focusWidget() is window.searchPanel.queryEdit)
    assert window.tabs.currentWidget() is window.searchPanel


def test_help_lists_the_shortcuts_and_about_names_the_version(desk: Desk) -> None:
    dialog = ShortcutsDialog(desk.window)
    desk.qtbot.addWidget(dialog)
    assert dialog.table.rowCount() == len(COMMANDS)
    items = [dialog.table.item(row, 1) for row in range(dialog.table.rowCount())]
    commands = [item.text() for item in items if item is not None]
    assert "Answer the ringing call" in commands
    assert __version__ in desk.window.menus.about_text()
