"""The main window on a first-run database, and the softphone bar driving the fake phone."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime, timedelta
from pathlib import Path

from PySide6.QtCore import QObject, Qt
from PySide6.QtGui import QKeySequence
from PySide6.QtWidgets import QApplication, QSystemTrayIcon
from pytestqt.qtbot import QtBot

from agentdesk.app.desktop import FIRST_RUN_DEMO_CONTACTS, start_desktop
from agentdesk.calls.dto import CallbackRequest, CallFacts, WrapUp
from agentdesk.config.settings import Settings
from agentdesk.domain.enums import CallDirection
from agentdesk.ui.desk.softphone_bar import CALL_KEYS, SHORTCUTS
from agentdesk.ui.shell.main_window import MainWindow
from tests.support.fake_softphone import FakeSoftphone
from tests.ui.conftest import Desk
from tests.ui.desk_support import add_party


def test_first_run_creates_database_with_demo_data(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    path = tmp_path / "desk.db"
    context = start_desktop(f"sqlite:///{path}", Settings(), phone_factory=FakeSoftphone)
    try:
        assert context.first_run
        window = MainWindow(context, context.build_controller(qloop))
        # Said at once; the reminders of the first day's overdue callbacks follow it.
        assert "demo data" in window.statusBar().currentMessage()
        window.show()
        qtbot.waitUntil(lambda: "contacts" in window.summaryLabel.text(), timeout=5000)
        assert window.summaryLabel.text().startswith(f"{FIRST_RUN_DEMO_CONTACTS:,} contacts")
        qtbot.waitUntil(lambda: len(window.callbacksPanel.items) >= 5, timeout=5000)
        qtbot.waitUntil(lambda: len(window.recentPanel.calls) >= 8, timeout=5000)
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
    assert {a.shortcut().toString() for a in bar.actions()} >= {SHORTCUTS[k] for k in CALL_KEYS}
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


def _press(desk: Desk, shortcut: str) -> None:
    """Type a shortcut as the agent does: a real key event to the focused window."""
    sequence = QKeySequence(shortcut)
    combo = sequence[0]
    target = QApplication.focusWidget() or desk.window
    desk.qtbot.keyClick(target, combo.key(), combo.keyboardModifiers())


def test_shortcut_keys_reach_the_actions(desk: Desk) -> None:
    window, bar = desk.window, desk.window.softphoneBar
    window.activateWindow()
    desk.wait(lambda: QApplication.activeWindow() is window)
    window.customerPanel.setFocus()
    _press(desk, SHORTCUTS["number"])
    desk.wait(lambda: QApplication.focusWidget() is bar.numberEdit)
    _press(desk, SHORTCUTS["answer"])  # nothing ringing: the shortcut does nothing
    assert desk.controller.call is None
    call_id = desk.phone.offer_call("+12025550330")
    assert call_id is not None
    desk.wait(lambda: bar.answerButton.isEnabled())
    _press(desk, SHORTCUTS["answer"])
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    _press(desk, SHORTCUTS["hold"])
    desk.wait(lambda: desk.controller.state.status.value == "held")
    _press(desk, SHORTCUTS["hold"])
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    bar.numberEdit.setText("+12025550331")
    _press(desk, SHORTCUTS["transfer"])
    desk.wait(lambda: desk.phone.calls[call_id].transfer_target == "+12025550331")
    desk.phone.finish_transfer(call_id)
    desk.wait(lambda: desk.controller.state.status.value == "wrap_up")


def test_hang_up_key(desk: Desk) -> None:
    window, bar = desk.window, desk.window.softphoneBar
    window.activateWindow()
    desk.wait(lambda: QApplication.activeWindow() is window)
    call_id = desk.phone.offer_call("+12025550332")
    assert call_id is not None
    desk.wait(lambda: bar.answerButton.isEnabled())
    _press(desk, SHORTCUTS["answer"])
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    _press(desk, SHORTCUTS["hangup"])
    desk.wait(lambda: desk.controller.state.status.value == "wrap_up")
    assert desk.phone.calls[call_id].phase.value == "ended"
    assert bar.hangupButton.toolTip().endswith(f"({SHORTCUTS['hangup']})")  # discoverable


class RecordingTray(QSystemTrayIcon):
    """A tray icon that is "shown" and keeps its balloons: offscreen has no system tray."""

    def __init__(self, parent: QObject) -> None:
        super().__init__(parent)
        self.messages: list[tuple[str, str]] = []

    def isVisible(self) -> bool:
        return True

    def showMessage(self, title: str, message: str, *args: object) -> None:  # type: ignore[override]
        self.messages.append((title, message))


def test_without_a_system_tray_a_pop_still_brings_the_window_forward(desk: Desk) -> None:
    assert not QSystemTrayIcon.isSystemTrayAvailable()  # offscreen: the fallback path
    window = desk.window
    assert window.tray is None
    window.showMinimized()
    desk.wait(lambda: window.isMinimized())
    add_party(desk.context, "Tray", "Less", "+12025550333")
    desk.phone.offer_call("+12025550333")
    desk.wait(lambda: window.customerPanel.recordView.details is not None)
    assert not window.isMinimized()  # restored instead of a notice nobody could see
    assert window.customerPanel.recordView.nameLabel.text() == "Tray Less"


def test_the_tray_notice_only_when_minimised(desk: Desk) -> None:
    window = desk.window
    tray = RecordingTray(window)
    window.tray = tray
    # In front: the pop itself is the notice.
    first = desk.phone.offer_call("+12025550334")
    assert first is not None
    desk.wait(lambda: window.customerPanel.currentWidget() is window.customerPanel.unknownCard)
    assert tray.messages == []
    desk.controller.reject()
    desk.wait(lambda: desk.controller.call is None)
    # Minimised: a balloon names the caller, and the window comes back.
    window.showMinimized()
    desk.wait(lambda: window.isMinimized())
    second = desk.phone.offer_call("+12025550335")
    assert second is not None
    desk.wait(lambda: tray.messages != [])
    assert tray.messages == [("Incoming call", "+12025550335")]
    assert not window.isMinimized()
    desk.controller.reject()
    desk.wait(lambda: desk.controller.call is None)


def test_a_callback_reminder_also_goes_to_the_tray(desk: Desk) -> None:
    window = desk.window
    tray = RecordingTray(window)
    window.tray = tray
    ref = add_party(desk.context, "Remind", "Me", "+12025550336")
    now = datetime.now(UTC)
    desk.context.services.calls.save_wrapup(
        WrapUp(
            disposition_code="callback",
            facts=CallFacts(
                direction=CallDirection.INBOUND,
                started_at=now - timedelta(minutes=2),
                ended_at=now - timedelta(minutes=1),
                remote_e164="+12025550336",
                agent="alice",
                contact_id=ref.id,
            ),
            callback=CallbackRequest(
                due_at=now + timedelta(seconds=1), agent="alice", phone_e164="+12025550336"
            ),
        )
    )
    panel = window.callbacksPanel
    panel.reload()
    desk.wait(lambda: len(panel.items) == 1)
    panel.reminderTimer.setInterval(100)
    desk.wait(lambda: tray.messages != [], timeout=4000)
    assert tray.messages == [("Callback due", "Callback due: Remind Me +12025550336")]
