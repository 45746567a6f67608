"""The dialer tab in the real window: campaign, start, preview, countdown, skip, why-not text."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from zoneinfo import ZoneInfo

import pytest
from pytestqt.qtbot import QtBot

from agentdesk.app.desk.wrapup import WrapupForm
from agentdesk.app.dialer.views import DialerPhase
from agentdesk.dialer.dnc import add_numbers
from agentdesk.ui.dialer.panel import DialerPanel
from agentdesk.ui.shell.main_window import MainWindow
from tests.ui.conftest import Desk, close_desk
from tests.ui.desk_support import make_desk
from tests.ui.dialer_support import audits_of, entry_row, make_campaign


def _open(qtbot: QtBot, loop: asyncio.AbstractEventLoop, tmp_path: Path, preview: float) -> Desk:
    context, phones = make_desk(tmp_path, wrapup_seconds=120)
    context.dialer_preview_seconds = preview
    controller = context.build_controller(loop)
    window = MainWindow(context, controller)
    controller.start()
    window.show()
    return Desk(context, controller, phones[0], window, qtbot)


@pytest.fixture
def fast(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Desk]:
    d = _open(qtbot, qloop, tmp_path, preview=1.0)
    yield d
    close_desk(d)


@pytest.fixture
def slow(qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path) -> Iterator[Desk]:
    d = _open(qtbot, qloop, tmp_path, preview=60)
    yield d
    close_desk(d)


def _panel(desk: Desk) -> DialerPanel:
    panel = desk.window.dialerPanel
    assert panel is not None
    return panel


def _choose(desk: Desk, name: str) -> DialerPanel:
    panel = _panel(desk)
    desk.window.tabs.setCurrentWidget(panel)
    panel.reload()
    desk.wait(lambda: panel.campaignCombo.findData(name) >= 0)
    panel.campaignCombo.setCurrentIndex(panel.campaignCombo.findData(name))
    desk.wait(lambda: panel.view.campaign is not None and panel.view.campaign.name == name)
    return panel


def test_start_previews_the_entry_with_script_then_dials(fast: Desk) -> None:
    loaded = make_campaign(fast.context)
    panel = _choose(fast, loaded.name)
    assert panel.modeLabel.text() == "Preview · calls 00:00-24:00 callee time"
    panel.startButton.click()
    fast.wait(lambda: panel.view.phase is DialerPhase.OFFERED)
    assert panel.startButton.text() == "Pause"
    assert panel.nameLabel.text() == "Ada Lovelace"
    assert panel.phoneLabel.text() == loaded.phones[0]
    assert panel.companyLabel.text() == "Engines Ltd"
    assert panel.scriptView.toPlainText() == "Hello Ada, alice here about Engines Ltd."
    assert panel.countdownBar.isVisible() and panel.stateLabel.text().startswith("Dialing in")
    assert panel.dialButton.isEnabled() and panel.skipButton.isEnabled()
    assert fast.window.tabs.currentWidget() is panel
    fast.wait(lambda: fast.window.customerPanel.party == loaded.parties[0])
    assert panel.progressLabels["remaining"].text() == "3"

    fast.wait(lambda: fast.controller.call is not None, timeout=4000)  # the countdown ran out
    call = fast.controller.call
    assert call is not None and call.view.remote == loaded.phones[0] and not call.view.inbound
    assert not panel.dialButton.isEnabled()
    fast.wait(lambda: panel.stateLabel.text() == "Dialing Ada Lovelace…")
    fast.controller.hangup()  # the agent gives up before an answer: cancelled, retried later
    fast.wait(lambda: panel.view.entry is not None and panel.view.entry.phone == loaded.phones[1])
    assert entry_row(fast.context, loaded.phones[0]).last_outcome == "cancelled"
    assert panel.lastLabel.text().startswith("Last: Ada Lovelace — cancelled; next try after")
    assert panel.progressLabels["dialed"].text() == "1"


def test_skip_with_a_reason_and_pause(slow: Desk) -> None:
    loaded = make_campaign(slow.context)
    panel = _choose(slow, loaded.name)
    panel.startButton.click()
    slow.wait(lambda: panel.view.phase is DialerPhase.OFFERED)
    panel.skipReasonCombo.setCurrentText("Already a customer")
    panel.skipButton.click()
    slow.wait(lambda: panel.nameLabel.text() == "Grace Hopper")
    first = entry_row(slow.context, loaded.phones[0])
    assert first.status == "new"
    [audit] = audits_of(slow.context, first.id)
    assert audit.details == {"skipped": True, "reason": "Already a customer"}
    assert panel.skipReasonCombo.currentText() == ""

    panel.startButton.click()  # pause
    slow.wait(lambda: panel.view.phase is DialerPhase.STOPPED)
    slow.wait(lambda: entry_row(slow.context, loaded.phones[1]).status == "new")
    assert panel.startButton.text() == "Start" and not panel.entryBox.isVisible()
    assert panel.campaignCombo.isEnabled()
    assert slow.controller.call is None


def test_nothing_dialable_shows_why(slow: Desk) -> None:
    # A one-hour window two hours from now in New York: every entry is outside it.
    hour = datetime.now(ZoneInfo("America/New_York")).hour
    start = (hour + 2) % 24
    window = f"{start:02d}:00-{start + 1:02d}:00" if start < 23 else "23:00-24:00"
    loaded = make_campaign(slow.context, window=window)
    add_numbers(slow.context.database.sessions, [loaded.phones[2]])
    panel = _choose(slow, loaded.name)
    panel.startButton.click()
    slow.wait(lambda: panel.view.phase is DialerPhase.NOTHING)
    assert panel.blockedLabel.isVisible()
    assert panel.blockedLabel.text() == (
        "Nothing is dialable now. Held back: 2 outside calling hours; 1 on a do-not-call list."
    )
    assert not panel.entryBox.isVisible() and not panel.scriptBox.isVisible()
    assert panel.stateLabel.text() == "Nothing to dial now; asking again shortly"
    assert panel.progressLabels["remaining"].text() == "2"


def _cell(panel: DialerPanel, row: int, column: int) -> str:
    item = panel.choicesTable.item(row, column)
    assert item is not None
    return item.text()


def test_manual_mode_lists_entries_and_dials_the_picked_one(slow: Desk) -> None:
    loaded = make_campaign(slow.context, mode="manual")
    panel = _choose(slow, loaded.name)
    assert panel.modeLabel.text() == "Manual · calls 00:00-24:00 callee time"
    panel.startButton.click()
    slow.wait(lambda: panel.view.phase is DialerPhase.CHOOSING)
    table = panel.choicesTable
    assert panel.choicesBox.isVisible() and not panel.entryBox.isVisible()
    assert table.rowCount() == 3
    rows = {_cell(panel, r, 1): [_cell(panel, r, c) for c in range(5)] for r in range(3)}
    assert rows[loaded.phones[1]] == ["Grace Hopper", loaded.phones[1], "Navy Labs", "0", "–"]
    assert panel.stateLabel.text() == "Pick an entry to dial (3 listed)"
    assert all(entry_row(slow.context, p).status == "new" for p in loaded.phones)

    notices: list[str] = []
    panel.noticeRaised.connect(lambda text, _error: notices.append(text))
    panel.pickButton.click()  # nothing selected yet
    assert notices == ["Select an entry in the list first."]
    row = next(r for r in range(3) if _cell(panel, r, 1) == loaded.phones[1])
    table.selectRow(row)
    slow.wait(lambda: slow.window.customerPanel.party == loaded.parties[1])
    panel.pickButton.click()
    slow.wait(lambda: slow.controller.call is not None)
    call = slow.controller.call
    assert call is not None and call.view.remote == loaded.phones[1]
    assert not panel.choicesBox.isVisible() and panel.entryBox.isVisible()
    assert panel.nameLabel.text() == "Grace Hopper"
    assert not panel.dialButton.isVisible() and not panel.skipButton.isVisible()
    assert entry_row(slow.context, loaded.phones[1]).status == "in_progress"
    slow.controller.hangup()
    slow.wait(lambda: panel.view.phase is DialerPhase.CHOOSING and table.rowCount() == 2)
    assert {_cell(panel, r, 1) for r in range(2)} == {loaded.phones[0], loaded.phones[2]}
    assert panel.lastLabel.text().startswith("Last: Grace Hopper — cancelled; next try after")


def test_a_refused_pick_is_worded_by_the_panel(slow: Desk) -> None:
    loaded = make_campaign(slow.context, mode="manual")
    panel = _choose(slow, loaded.name)
    panel.startButton.click()
    slow.wait(lambda: panel.view.phase is DialerPhase.CHOOSING and panel.choicesTable.rowCount())
    row = next(r for r in range(3) if _cell(panel, r, 1) == loaded.phones[1])
    add_numbers(slow.context.database.sessions, [loaded.phones[1]])  # listed after the list
    notices: list[tuple[str, bool]] = []
    panel.noticeRaised.connect(lambda text, error: notices.append((text, error)))
    panel.choicesTable.selectRow(row)
    panel.pickButton.click()
    slow.wait(lambda: bool(notices))
    assert notices == [("Cannot dial Grace Hopper: its number is on a do-not-call list", False)]
    assert slow.controller.call is None


def test_start_without_a_route_says_which_setting_to_change(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    context, phones = make_desk(tmp_path, {"mode": "direct", "port": 5099}, wrapup_seconds=120)
    controller = context.build_controller(qloop)
    window = MainWindow(context, controller)
    controller.start()
    window.show()
    desk = Desk(context, controller, phones[0], window, qtbot)
    try:
        loaded = make_campaign(desk.context, mode="progressive")
        panel = _choose(desk, loaded.name)
        panel.startButton.click()
        assert not panel.view.running and panel.startButton.text() == "Start"
        message = window.statusBar().currentMessage()
        assert message.startswith("⚠ Cannot start the dialer: the phone is in direct SIP mode")
        assert "Settings > SIP account > Outbound proxy" in message
        assert panel.blockedLabel.isVisible() and "Outbound proxy" in panel.blockedLabel.text()
        assert desk.phone.calls == {}
        assert entry_row(desk.context, loaded.phones[0]).status == "new"
    finally:
        close_desk(desk)


def test_the_last_result_names_the_disposition_by_its_label(slow: Desk) -> None:
    """It showed the wrap-up's code ("not_interested"), not its label (issue 14)."""
    loaded = make_campaign(slow.context)
    panel = _choose(slow, loaded.name)
    panel.startButton.click()
    slow.wait(lambda: panel.view.phase is DialerPhase.OFFERED)
    panel.dialButton.click()
    slow.wait(lambda: slow.controller.call is not None)
    fake = next(c for c in slow.phone.calls.values() if c.remote == loaded.phones[0])
    slow.phone.remote_answer(fake.call_id)
    slow.wait(lambda: slow.controller.state.status.value == "talking")
    slow.phone.remote_hangup(fake.call_id)
    slow.wait(lambda: slow.controller.wrapup is not None)
    assert slow.controller.save_wrapup(WrapupForm("not_interested", "")) is None
    # First the attempt's outcome ("answered"), then where the wrap-up put the entry.
    slow.wait(lambda: panel.lastLabel.text().endswith("now done"))
    assert panel.lastLabel.text() == "Last: Ada Lovelace — Not interested; now done"
