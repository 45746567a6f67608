"""The softphone bar: registration, agent state, number field and the call buttons."""

from __future__ import annotations

import time

from PySide6.QtCore import QT_TRANSLATE_NOOP, QTimer, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QFrame,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QMenu,
    QPushButton,
    QToolButton,
    QVBoxLayout,
    QWidget,
    QWidgetAction,
)

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.events import (
    AgentChanged,
    AgentView,
    CallChanged,
    CallPhase,
    CallView,
    DeskEvent,
    RegistrationChangedView,
    RegistrationView,
)
from agentdesk.ui.shell.notices import refusal_text
from agentdesk.ui.shell.shortcuts import SHORTCUTS, bound_action, with_key

__all__ = ["CALL_KEYS", "SHORTCUTS", "SoftphoneBar", "format_seconds"]

# Marked for lupdate; the agent state keeps the English word, the combo shows self.tr(reason).
NOT_READY_REASONS = (
    QT_TRANSLATE_NOOP("SoftphoneBar", "Break"),
    QT_TRANSLATE_NOOP("SoftphoneBar", "Lunch"),
    QT_TRANSLATE_NOOP("SoftphoneBar", "Meeting"),
    QT_TRANSLATE_NOOP("SoftphoneBar", "Training"),
    QT_TRANSLATE_NOOP("SoftphoneBar", "Admin work"),
)
KEYPAD = ("1", "2", "3", "4", "5", "6", "7", "8", "9", "*", "0", "#")

CALL_KEYS = ("answer", "hangup", "hold", "mute", "transfer", "number")
"""The commands of :data:`SHORTCUTS` the bar binds (the window binds the others)."""


def format_seconds(seconds: float) -> str:
    seconds = max(0, int(seconds))
    hours, rest = divmod(seconds, 3600)
    return f"{hours}:{rest // 60:02d}:{rest % 60:02d}" if hours else f"{rest // 60}:{rest % 60:02d}"


class SoftphoneBar(QFrame):
    """Renders the controller's call and agent views; buttons send commands back."""

    dtmfSent = Signal(str)

    def __init__(self, controller: DeskController, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._controller = controller
        self._call: CallView | None = None
        self._agent: AgentView = controller.agent_view
        self.setObjectName("softphoneBar")
        self.setFrameShape(QFrame.Shape.StyledPanel)

        self.registrationLabel = QLabel(self)
        self.registrationLabel.setObjectName("registrationLabel")
        self.stateCombo = QComboBox(self)
        self.stateCombo.setToolTip(self.tr("Your availability for calls"))
        self.stateCombo.addItem(self.tr("Available"), None)
        for reason in NOT_READY_REASONS:
            self.stateCombo.addItem(
                self.tr("Not ready: {reason}").format(reason=self.tr(str(reason))), reason
            )
        self.stateCombo.activated.connect(self._on_state_chosen)
        self.statusLabel = QLabel(self)
        self.statusLabel.setObjectName("agentStatusLabel")

        self.numberEdit = QLineEdit(self)
        self.numberEdit.setPlaceholderText(self.tr("Number or SIP address"))
        self.numberEdit.setClearButtonEnabled(True)
        self.numberEdit.setMinimumWidth(180)
        self.numberEdit.returnPressed.connect(self._on_dial)
        self.dialButton = self._button(self.tr("Call"), self._on_dial)

        self.answerButton = self._button(self.tr("Answer"), controller.answer)
        self.rejectButton = self._button(self.tr("Reject"), controller.reject)
        self.hangupButton = self._button(self.tr("Hang up"), controller.hangup)
        self.holdButton = self._button(self.tr("Hold"), controller.toggle_hold, True)
        self.muteButton = self._button(self.tr("Mute"), controller.toggle_mute, True)
        self.recordButton = self._button(self.tr("Record"), controller.toggle_recording, True)
        self.transferButton = self._button(self.tr("Transfer"), self._on_blind_transfer)
        self.consultButton = self._button(self.tr("Consult"), self._on_consult)
        self.consultButton.setToolTip(self.tr("Call the number in the field, then transfer"))
        self.completeButton = self._button(
            self.tr("Complete transfer"), controller.complete_consult
        )
        self.cancelConsultButton = self._button(
            self.tr("Cancel transfer"), controller.cancel_consult
        )
        # The window's Call menu shows these same actions: one binding per key.
        self._keyed: list[tuple[QPushButton, QAction]] = []
        self.answerAction = self._key_action(self.answerButton, "answer")
        self.hangupAction = self._key_action(self.hangupButton, "hangup")
        self.holdAction = self._key_action(self.holdButton, "hold")
        self.muteAction = self._key_action(self.muteButton, "mute")
        self.transferAction = self._key_action(self.transferButton, "transfer")
        self.transferButton.setToolTip(
            with_key(self.tr("Blind transfer to the number in the field"), "transfer")
        )
        self.keypadButton = QToolButton(self)
        self.keypadButton.setText(self.tr("Keypad"))
        self.keypadButton.setPopupMode(QToolButton.ToolButtonPopupMode.InstantPopup)
        self.keypadButton.setMenu(self._keypad_menu())
        self.callerLabel = QLabel(self)
        self.callerLabel.setObjectName("callerLabel")
        self.timerLabel = QLabel("", self)
        self.timerLabel.setObjectName("callTimer")
        self.timerLabel.setMinimumWidth(48)

        self.numberAction = bound_action(
            self, self.tr("Go to the number field"), "number", self._focus_number
        )
        self.addAction(self.numberAction)
        self.numberEdit.setToolTip(with_key(self.tr("Number or SIP address"), "number"))

        top = QHBoxLayout()
        top.addWidget(self.registrationLabel)
        top.addSpacing(12)
        top.addWidget(QLabel(self.tr("Status:"), self))
        top.addWidget(self.stateCombo)
        top.addWidget(self.statusLabel)
        top.addStretch(1)
        top.addWidget(self.callerLabel)
        top.addWidget(self.timerLabel)
        bottom = QHBoxLayout()
        bottom.addWidget(self.numberEdit, 1)
        for widget in (
            self.dialButton,
            self.answerButton,
            self.rejectButton,
            self.hangupButton,
            self.holdButton,
            self.muteButton,
            self.keypadButton,
            self.transferButton,
            self.consultButton,
            self.completeButton,
            self.cancelConsultButton,
            self.recordButton,
        ):
            bottom.addWidget(widget)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(8, 6, 8, 6)
        layout.addLayout(top)
        layout.addLayout(bottom)

        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)
        self.render_registration(controller.registration)
        self._render()

    # -- building ------------------------------------------------------------------------------

    def _button(self, text: str, slot: object, checkable: bool = False) -> QPushButton:
        button = QPushButton(text, self)
        button.setCheckable(checkable)
        button.clicked.connect(lambda *_: slot())  # type: ignore[operator]
        return button

    def _key_action(self, button: QPushButton, key: str) -> QAction:
        """The key of :data:`SHORTCUTS` for ``button``: clicks it when it is enabled, and
        says itself in the button's tooltip."""
        action = bound_action(
            self, button.text(), key, lambda: button.click() if button.isEnabled() else None
        )
        self.addAction(action)
        button.setToolTip(with_key(button.text(), key))
        self._keyed.append((button, action))
        return action

    def _keypad_menu(self) -> QMenu:
        menu = QMenu(self)
        pad = QWidget(menu)
        grid = QGridLayout(pad)
        grid.setContentsMargins(4, 4, 4, 4)
        self.keypadButtons: dict[str, QPushButton] = {}
        for index, digit in enumerate(KEYPAD):
            key = QPushButton(digit, pad)
            key.setFixedSize(40, 32)
            key.clicked.connect(lambda *_, d=digit: self.send_digit(d))
            grid.addWidget(key, index // 3, index % 3)
            self.keypadButtons[digit] = key
        action = QWidgetAction(menu)
        action.setDefaultWidget(pad)
        menu.addAction(action)
        return menu

    # -- commands ------------------------------------------------------------------------------

    def send_digit(self, digit: str) -> None:
        self._controller.send_dtmf(digit)
        self.dtmfSent.emit(digit)

    def _focus_number(self) -> None:
        self.numberEdit.setFocus()
        self.numberEdit.selectAll()

    def _on_dial(self) -> None:
        if self._call is not None:
            return
        why = self._controller.dial(self.numberEdit.text())
        if why:
            self.statusLabel.setText(self.tr("Cannot call: {why}").format(why=refusal_text(why)))

    def _on_blind_transfer(self) -> None:
        self._controller.blind_transfer(self.numberEdit.text())

    def _on_consult(self) -> None:
        self._controller.start_consult(self.numberEdit.text())

    def _on_state_chosen(self, index: int) -> None:
        reason = self.stateCombo.itemData(index)
        why = (
            self._controller.set_available()
            if reason is None
            else self._controller.set_not_ready(str(reason))
        )
        if why:
            self.statusLabel.setText(self.tr("Not changed: {why}").format(why=refusal_text(why)))
        self._render()

    # -- rendering -----------------------------------------------------------------------------

    def on_desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, CallChanged):
            self._call = event.call
            self._render()
        elif isinstance(event, AgentChanged):
            self._agent = event.agent
            self._render()
        elif isinstance(event, RegistrationChangedView):
            self.render_registration(event.registration)

    def render_registration(self, reg: RegistrationView) -> None:
        texts = {
            "direct": self.tr("● Direct SIP {detail}"),
            "registered": self.tr("● Registered"),
            "registering": self.tr("○ Registering…"),
            "unregistered": self.tr("○ Not registered"),
            "failed": self.tr("✕ Registration failed {detail}"),
        }
        text = texts.get(reg.state, reg.state).format(detail=reg.detail).strip()
        self.registrationLabel.setText(text)
        ok = reg.state in ("direct", "registered")
        self.registrationLabel.setStyleSheet("color: #1b7f3a;" if ok else "color: #b3261e;")

    def _status_text(self) -> str:
        agent = self._agent
        labels = {
            "logged_out": self.tr("Logged out"),
            "not_ready": self.tr("Not ready"),
            "available": self.tr("Available"),
            "ringing": self.tr("Ringing"),
            "talking": self.tr("On call"),
            "held": self.tr("On hold"),
            "wrap_up": self.tr("Wrap-up"),
        }
        text = labels.get(agent.status, agent.status)
        if agent.pending_not_ready:
            text += self.tr(" (then not ready: {reason})").format(
                reason=self.tr(agent.pending_not_ready)
            )
        return text

    def _render(self) -> None:
        call = self._call
        agent = self._agent
        phase = call.phase if call is not None else None
        live = phase in (CallPhase.TALKING, CallPhase.HELD)
        consulting = call is not None and call.consult_call_id is not None
        # The selector already says available / not ready; the label adds the call states.
        quiet = agent.status in ("available", "not_ready") and not agent.pending_not_ready
        self.statusLabel.setText("" if quiet else self._status_text())
        self._select_state(agent)
        self.dialButton.setEnabled(call is None and agent.status in ("available", "not_ready"))
        self.answerButton.setEnabled(phase is CallPhase.RINGING)
        self.rejectButton.setEnabled(phase is CallPhase.RINGING)
        self.hangupButton.setEnabled(call is not None)
        self.holdButton.setEnabled(live and not consulting)
        self.holdButton.setChecked(phase is CallPhase.HELD)
        self.muteButton.setEnabled(live)
        self.muteButton.setChecked(bool(call and call.muted))
        self.recordButton.setEnabled(live)
        self.recordButton.setChecked(bool(call and call.recording))
        self.keypadButton.setEnabled(phase is CallPhase.TALKING)
        self.transferButton.setEnabled(live and not consulting)
        self.consultButton.setEnabled(live and not consulting)
        self.completeButton.setVisible(consulting)
        self.cancelConsultButton.setVisible(consulting)
        self.completeButton.setEnabled(bool(call and call.consult_connected))
        for button, action in self._keyed:  # the Call menu greys what cannot be done now
            action.setEnabled(button.isEnabled())
        if call is None:
            self.callerLabel.setText("")
            self.timerLabel.setText("")
            self._ticker.stop()
        else:
            who = call.remote or self.tr("Withheld")
            if call.display_name and call.display_name != call.remote:
                who = f"{call.display_name} ({who})"
            arrow = "←" if call.inbound else "→"
            extra = f" · {call.transfer_status}" if call.transfer_status else ""
            self.callerLabel.setText(f"{arrow} {who}{extra}")
            self._tick()
            self._ticker.start()

    def _select_state(self, agent: AgentView) -> None:
        wanted = agent.not_ready_reason if agent.status == "not_ready" else None
        if agent.status not in ("available", "not_ready"):
            wanted = agent.pending_not_ready
        index = self.stateCombo.findData(wanted) if wanted is not None else 0
        if index < 0:
            self.stateCombo.addItem(self.tr("Not ready: {reason}").format(reason=wanted), wanted)
            index = self.stateCombo.count() - 1
        self.stateCombo.setCurrentIndex(index)

    def _tick(self) -> None:
        call = self._call
        if call is None:
            return
        since = call.answered if call.answered is not None else call.started
        self.timerLabel.setText(format_seconds(time.monotonic() - since))
