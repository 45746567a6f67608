"""The wrap-up form: disposition (required), notes, callback, case, opportunity, countdown."""

from __future__ import annotations

import time
from concurrent.futures import Executor
from datetime import datetime
from functools import partial

from PySide6.QtCore import QDateTime, QTimer, Signal
from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDateTimeEdit,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.core import DeskServices
from agentdesk.app.desk.events import (
    DeskEvent,
    PartyChosen,
    WrapupFinished,
    WrapupStarted,
    WrapupView,
)
from agentdesk.app.desk.wrapup import WrapupForm
from agentdesk.app.records import LinkChoice, quick_due_times
from agentdesk.crm.party_details import PartyRef
from agentdesk.ui.desk.pop_views import title_label
from agentdesk.ui.desk.softphone_bar import format_seconds
from agentdesk.ui.shell.background import run_in_background
from agentdesk.ui.shell.labels import disposition_text
from agentdesk.ui.shell.notices import refusal_text


class WrapupPanel(QWidget):
    """Enabled while the agent wraps up a call; pushes typed notes to the controller."""

    wrapupActive = Signal(bool)

    def __init__(
        self,
        controller: DeskController,
        services: DeskServices,
        executor: Executor,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("wrapupPanel")
        self._controller = controller
        self._services = services
        self._executor = executor
        self.wrapup: WrapupView | None = None

        self.titleLabel = title_label(self.tr("Wrap-up"), self, 2)
        self.titleLabel.setWordWrap(False)
        self.countdownLabel = QLabel(self)
        self.countdownLabel.setObjectName("wrapupCountdown")
        self.idleLabel = QLabel(
            self.tr("No call to wrap up. The form opens when a call ends."), self
        )
        self.idleLabel.setWordWrap(True)
        self.idleLabel.setStyleSheet("color: #666;")

        self.dispositionCombo = QComboBox(self)
        self.notesEdit = QPlainTextEdit(self)
        self.notesEdit.setPlaceholderText(self.tr("What was the call about?"))
        self.notesEdit.textChanged.connect(self._on_notes_changed)

        self.callbackCheck = QCheckBox(self.tr("Schedule a callback"), self)
        self.callbackEdit = QDateTimeEdit(self)
        self.callbackEdit.setCalendarPopup(True)
        self.callbackEdit.setDisplayFormat("yyyy-MM-dd HH:mm")
        self.callbackNoteEdit = QLineEdit(self)
        self.callbackNoteEdit.setPlaceholderText(self.tr("Callback note"))
        self.quickButtons: dict[str, QPushButton] = {}
        quick = QHBoxLayout()
        for key, text in (
            ("in_1_hour", self.tr("In 1 hour")),
            ("tomorrow_morning", self.tr("Tomorrow 09:00")),
            ("next_week", self.tr("Next week")),
        ):
            button = QPushButton(text, self)
            button.clicked.connect(lambda *_, k=key: self.choose_quick(k))
            quick.addWidget(button)
            self.quickButtons[key] = button
        quick.addStretch(1)

        self.caseCheck = QCheckBox(self.tr("Create a service case"), self)
        self.caseSubjectEdit = QLineEdit(self)
        self.caseSubjectEdit.setPlaceholderText(self.tr("Case subject"))
        self.caseLinkCombo = QComboBox(self)
        self.caseLinkCombo.setToolTip(self.tr("Link the call to one of the caller's open cases"))
        self.opportunityCombo = QComboBox(self)
        self.opportunityCombo.addItem(self.tr("No opportunity"), None)

        self.errorLabel = QLabel(self)
        self.errorLabel.setStyleSheet("color: #b3261e;")
        self.errorLabel.setWordWrap(True)
        self.saveButton = QPushButton(self.tr("Save wrap-up"), self)
        self.saveButton.setDefault(True)
        self.saveButton.clicked.connect(self.save)

        self.form = QWidget(self)
        form = QFormLayout(self.form)
        form.setContentsMargins(0, 0, 0, 0)
        form.addRow(self.tr("Disposition:"), self.dispositionCombo)
        form.addRow(self.tr("Notes:"), self.notesEdit)
        form.addRow(self.callbackCheck, self.callbackEdit)
        form.addRow("", quick)
        form.addRow("", self.callbackNoteEdit)
        form.addRow(self.caseCheck, self.caseSubjectEdit)
        form.addRow(self.tr("Or link to case:"), self.caseLinkCombo)
        self.caseCheck.toggled.connect(lambda on: self.caseLinkCombo.setEnabled(not on))
        form.addRow(self.tr("Opportunity:"), self.opportunityCombo)
        header = QHBoxLayout()
        header.addWidget(self.titleLabel)
        header.addStretch(1)
        header.addWidget(self.countdownLabel)
        buttons = QHBoxLayout()
        buttons.addWidget(self.errorLabel, 1)
        buttons.addWidget(self.saveButton)
        layout = QVBoxLayout(self)
        self.idleBox = QWidget(self)
        idle = QVBoxLayout(self.idleBox)
        idle.setContentsMargins(0, 8, 0, 0)
        idle.addWidget(self.idleLabel)
        idle.addStretch(1)
        layout.addLayout(header)
        layout.addWidget(self.idleBox, 1)
        layout.addWidget(self.form, 1)
        layout.addLayout(buttons)

        self._ticker = QTimer(self)
        self._ticker.setInterval(250)
        self._ticker.timeout.connect(self._tick)
        self._set_active(False)

    # -- events --------------------------------------------------------------------------------

    def on_desk_event(self, event: DeskEvent) -> None:
        if isinstance(event, WrapupStarted):
            self.start(event.wrapup)
        elif isinstance(event, WrapupFinished):
            self.wrapup = None
            self._set_active(False)
        elif isinstance(event, PartyChosen) and self.wrapup is not None:
            self._load_links(event.party)

    def start(self, wrapup: WrapupView) -> None:
        self.wrapup = wrapup
        self.dispositionCombo.clear()
        self.dispositionCombo.addItem(self.tr("Choose a disposition…"), None)
        for info in wrapup.dispositions:
            self.dispositionCombo.addItem(disposition_text(info.labels), info.code)
        self.notesEdit.blockSignals(True)
        self.notesEdit.clear()
        self.notesEdit.blockSignals(False)
        self.callbackCheck.setChecked(False)
        self.callbackNoteEdit.clear()
        self.caseCheck.setChecked(False)
        self.caseSubjectEdit.clear()
        self.choose_quick("in_1_hour")
        self.callbackCheck.setChecked(False)
        self.errorLabel.clear()
        self.titleLabel.setText(self.tr("Wrap-up: {number}").format(number=wrapup.number or "—"))
        self._load_links(wrapup.party)
        self._set_active(True)
        self.notesEdit.setFocus()

    def _set_active(self, active: bool) -> None:
        self.form.setVisible(active)
        self.idleBox.setVisible(not active)
        self.saveButton.setEnabled(active)
        if not active:
            self.titleLabel.setText(self.tr("Wrap-up"))
            self.countdownLabel.clear()
            self.errorLabel.clear()
            self._ticker.stop()
        else:
            self._tick()
            self._ticker.start()
        self.wrapupActive.emit(active)

    def _load_links(self, party: PartyRef | None) -> None:
        """The party's open opportunities and open cases the call may be linked to."""
        records = self._services.records
        for combo, empty, read in (
            (self.opportunityCombo, self.tr("No opportunity"), records.opportunities_for),
            (self.caseLinkCombo, self.tr("No case"), records.open_cases_for),
        ):
            combo.clear()
            combo.addItem(empty, None)
            if party is not None:
                run_in_background(
                    self, self._executor, partial(read, party), partial(self._add_links, combo)
                )

    def _add_links(self, combo: QComboBox, choices: tuple[LinkChoice, ...]) -> None:
        for choice in choices:
            combo.addItem(choice.label, choice.id)

    def _tick(self) -> None:
        wrapup = self.wrapup
        if wrapup is None or wrapup.deadline is None:
            self.countdownLabel.setText(self.tr("no time limit") if wrapup else "")
            return
        left = max(0.0, wrapup.deadline - time.monotonic())
        self.countdownLabel.setText(
            self.tr("{time} left, then saved as default").format(time=format_seconds(left + 0.99))
        )
        self.countdownLabel.setStyleSheet("color: #b3261e;" if left < 10 else "")

    def _on_notes_changed(self) -> None:
        self._controller.set_wrapup_notes(self.notesEdit.toPlainText())

    # -- actions -------------------------------------------------------------------------------

    def choose_quick(self, key: str) -> None:
        due = quick_due_times(datetime.now().astimezone())[key]
        self.callbackEdit.setDateTime(QDateTime.fromSecsSinceEpoch(int(due.timestamp())))
        self.callbackCheck.setChecked(True)

    def form_values(self) -> WrapupForm | None:
        code = self.dispositionCombo.currentData()
        if not code:
            self.errorLabel.setText(self.tr("Choose a disposition."))
            return None
        due = None
        if self.callbackCheck.isChecked():
            secs = self.callbackEdit.dateTime().toSecsSinceEpoch()
            due = datetime.fromtimestamp(secs).astimezone()
        case = self.caseSubjectEdit.text().strip() if self.caseCheck.isChecked() else None
        if self.caseCheck.isChecked() and not case:
            self.errorLabel.setText(self.tr("Enter the case subject."))
            return None
        return WrapupForm(
            disposition_code=str(code),
            notes=self.notesEdit.toPlainText(),
            callback_due=due,
            callback_note=self.callbackNoteEdit.text() or None,
            case_subject=case,
            opportunity_id=self.opportunityCombo.currentData(),
            linked_case_id=None if case else self.caseLinkCombo.currentData(),
        )

    def save(self) -> None:
        form = self.form_values()
        if form is None:
            return
        why = self._controller.save_wrapup(form)
        if why:
            self.errorLabel.setText(refusal_text(why))
        else:
            self.errorLabel.setText(self.tr("Saving…"))
