"""The main window on a first-run database, and the softphone bar driving the fake phone."""

from __future__ import annotations

import asyncio
from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QApplication
from pytestqt.qtbot import QtBot

from agentdesk.app.config import Settings
from agentdesk.app.desktop import FIRST_RUN_DEMO_CONTACTS, start_desktop
from agentdesk.ui.main_window import MainWindow
from agentdesk.ui.softphone_bar import SHORTCUTS
from tests.support.fake_softphone import FakeSoftphone
from tests.ui.conftest import Desk


def test_first_run_creates_database_with_demo_data(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    path = tmp_path / "desk.db"
    context = start_desktop(f"sqlite:///{path}", Settings(), phone_factory=FakeSoftphone)
    try:
        assert context.first_run
        window = MainWindow(context, context.build_controller(qloop))
        window.show()
        qtbot.waitUntil(lambda: "contacts" in window.summaryLabel.text(), timeout=5000)
        assert window.summaryLabel.text().startswith(f"{FIRST_RUN_DEMO_CONTACTS:,} contacts")
        assert "demo data" in window.statusBar().currentMessage()
        # The demo desk has callbacks and a profile for the configured agent.
        assert context.services.records.agent_usernames().count("agent") == 1
        window.close()
        qtbot.waitUntil(lambda: not window.isVisible(), timeout=5000)
        window.deleteLater()
    finally:
        context.close()

    again = start_desktop(f"sqlite:///{path}", Settings(), phone_factory=FakeSoftphone)
    try:
        assert not again.first_run
        assert again.summary().contacts == FIRST_RUN_DEMO_CONTACTS
    finally:
        again.close()


def test_registration_and_agent_state_selector(desk: Desk) -> None:
    bar = desk.window.softphoneBar
    assert "Direct SIP" in bar.registrationLabel.text()
    assert bar.stateCombo.currentText() == "Available" and bar.statusLabel.text() == ""
    bar.stateCombo.setCurrentIndex(2)  # Not ready: Lunch
    bar.stateCombo.activated.emit(2)
    assert desk.controller.state.status.value == "not_ready"
    assert desk.controller.state.not_ready_reason == "Lunch"
    assert bar.stateCombo.currentText() == "Not ready: Lunch"
    bar.stateCombo.activated.emit(0)
    assert desk.controller.state.status.value == "available"


def test_answer_hold_mute_dtmf_record_hangup_with_buttons(desk: Desk) -> None:
    bar = desk.window.softphoneBar
    assert not bar.answerButton.isEnabled() and not bar.hangupButton.isEnabled()
    call_id = desk.phone.offer_call("+12025550300")
    assert call_id is not None
    desk.wait(lambda: bar.answerButton.isEnabled())
    assert bar.rejectButton.isEnabled() and "+12025550300" in bar.callerLabel.text()
    bar.answerButton.click()
    desk.wait(lambda: bar.holdButton.isEnabled())
    assert bar.statusLabel.text() == "On call"
    assert bar.timerLabel.text().startswith("0:0")
    bar.holdButton.click()
    desk.wait(lambda: bar.statusLabel.text() == "On hold")
    assert bar.holdButton.isChecked()
    bar.holdButton.click()
    desk.wait(lambda: bar.statusLabel.text() == "On call")
    assert not bar.holdButton.isChecked()
    bar.muteButton.click()
    desk.wait(lambda: desk.controller.call is not None and desk.controller.call.view.muted)
    bar.keypadButtons["5"].click()
    bar.keypadButtons["#"].click()
    bar.recordButton.click()
    desk.wait(lambda: desk.controller.call is not None and desk.controller.call.view.recording)
    assert bar.recordButton.isChecked() and bar.muteButton.isChecked()
    fake = desk.phone.calls[call_id]
    assert fake.muted and fake.recording is not None
    assert [d for d, _ in fake.dtmf_sent] == ["5", "#"]
    bar.hangupButton.click()
    desk.wait(lambda: desk.controller.state.status.value == "wrap_up")
    assert fake.phase.value == "ended" and not bar.hangupButton.isEnabled()


def test_reject_button(desk: Desk) -> None:
    bar = desk.window.softphoneBar
    call_id = desk.phone.offer_call("+12025550301")
    assert call_id is not None
    desk.wait(lambda: bar.rejectButton.isEnabled())
    bar.rejectButton.click()
    desk.wait(lambda: desk.controller.state.status.value == "available")
    assert desk.phone.calls[call_id].phase.value == "ended"


def test_keyboard_shortcuts(desk: Desk) -> None:
    window, bar = desk.window, desk.window.softphoneBar
    assert {a.shortcut().toString() for a in bar.actions()} >= set(SHORTCUTS.values())
    window.activateWindow()
    bar.numberAction.trigger()
    QApplication.processEvents()
    assert bar.numberEdit.hasFocus() or QApplication.focusWidget() is bar.numberEdit
    call_id = desk.phone.offer_call("+12025550302")
    assert call_id is not None
    desk.wait(lambda: bar.answerButton.isEnabled())
    bar.answerAction.trigger()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    bar.holdAction.trigger()
    desk.wait(lambda: desk.controller.state.status.value == "held")
    bar.holdAction.trigger()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    bar.numberEdit.setText("+12025550399")
    bar.transferAction.trigger()
    desk.wait(lambda: desk.phone.calls[call_id].transfer_target == "+12025550399")
    bar.hangupAction.trigger()
    desk.wait(lambda: desk.controller.state.status.value == "wrap_up")


def test_click_to_dial_from_the_number_field(desk: Desk) -> None:
    bar = desk.window.softphoneBar
    desk.qtbot.keyClicks(bar.numberEdit, "(202) 555-0310")
    desk.qtbot.keyClick(bar.numberEdit, Qt.Key.Key_Return)
    desk.wait(lambda: desk.controller.call is not None)
    fake = next(iter(desk.phone.calls.values()))
    assert fake.remote == "+12025550310" and fake.direction.value == "outbound"
    assert "→ +12025550310" in bar.callerLabel.text()
    desk.phone.remote_answer(fake.call_id)
    desk.wait(lambda: bar.statusLabel.text() == "On call")


def test_consult_transfer_complete_and_cancel(desk: Desk) -> None:
    bar = desk.window.softphoneBar
    call_id = desk.phone.offer_call("+12025550320")
    assert call_id is not None
    desk.wait(lambda: bar.answerButton.isEnabled())
    bar.answerButton.click()
    desk.wait(lambda: bar.consultButton.isEnabled())
    assert not bar.completeButton.isVisible()
    bar.numberEdit.setText("2025550321")
    bar.consultButton.click()
    desk.wait(lambda: bar.cancelConsultButton.isVisible())
    assert not bar.completeButton.isEnabled()  # the consulted party has not answered yet
    bar.cancelConsultButton.click()
    desk.wait(lambda: not bar.cancelConsultButton.isVisible())
    assert desk.controller.state.status.value == "talking"

    bar.consultButton.click()
    desk.wait(lambda: bar.cancelConsultButton.isVisible())
    consult = desk.phone.calls[call_id].consult
    assert consult is not None
    desk.phone.remote_answer(consult)
    desk.wait(lambda: bar.completeButton.isEnabled())
    bar.completeButton.click()
    desk.wait(lambda: desk.phone.calls[call_id].transfer_target == "+12025550321")
    desk.phone.finish_transfer(call_id)
    desk.wait(lambda: desk.controller.state.status.value == "wrap_up")
