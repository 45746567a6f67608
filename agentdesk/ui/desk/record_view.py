"""One record: header, phone numbers (click to dial), the edit form and the history."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtGui import QAction
from PySide6.QtWidgets import (
    QComboBox,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.records import PHONE_KINDS
from agentdesk.crm.field_checks import InvalidFieldError
from agentdesk.crm.lookup.summaries import Match
from agentdesk.crm.party_details import PartyDetails, PartyRef, PhoneView
from agentdesk.db.errors import StaleRecordError
from agentdesk.domain.enums import OwnerKind
from agentdesk.domain.labels import Label
from agentdesk.domain.phone import InvalidPhoneNumber
from agentdesk.ui.desk.pop_views import queue_label, title_label
from agentdesk.ui.desk.record_form import FieldForm, field_label, field_problem, merge_stale_edit
from agentdesk.ui.desk.record_timeline import PATH_ROLE, show_panel_history, show_pop_history
from agentdesk.ui.shell.access_labels import request_error_text
from agentdesk.ui.shell.labels import disposition_text


class RecordView(QWidget):
    """Renders a ``Match`` at once (from the pop) and the ``PartyDetails`` when loaded."""

    dialRequested = Signal(str)
    saveRequested = Signal(object, int, dict)  # PartyRef, version, changes
    phoneAddRequested = Signal(object, str, str)  # PartyRef, number as typed, phone kind
    phoneRemoveRequested = Signal(object, object)  # PartyRef, PhoneView
    playRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordView")
        self.details: PartyDetails | None = None
        self.dispositionLabels: dict[str, Label] = {}
        self._original: dict[str, str] = {}
        self._version = 0

        self.nameLabel = title_label("", self, 6)
        self.nameLabel.setObjectName("recordName")
        self.companyLabel = QLabel(self)
        self.companyLabel.setObjectName("recordCompany")
        self.queueLabel = queue_label(self)
        self.phonesBox = QWidget(self)
        self.phonesLayout = QHBoxLayout(self.phonesBox)
        self.phonesLayout.setContentsMargins(0, 0, 0, 0)

        self.editBox = QGroupBox(self.tr("Details"), self)
        self.fieldForm = FieldForm(self.editBox)
        self.form = self.fieldForm.layout
        self.fields = self.fieldForm.fields
        self.newPhoneEdit = QLineEdit(self)
        self.newPhoneEdit.setObjectName("newPhone")
        self.newPhoneEdit.setPlaceholderText(self.tr("another number for this record"))
        self.newPhoneEdit.returnPressed.connect(self._on_add_phone)
        self.newPhoneKind = QComboBox(self)
        kinds = self._phone_kind_labels()
        for code in PHONE_KINDS:
            self.newPhoneKind.addItem(kinds.get(code, code), code)
        self.addPhoneButton = QPushButton(self.tr("Add number"), self)
        self.addPhoneButton.clicked.connect(self._on_add_phone)
        self.newPhoneEdit.setMaximumWidth(220)
        self.saveButton = QPushButton(self.tr("Save changes"), self.editBox)
        self.saveButton.clicked.connect(self._on_save)
        self.messageLabel = QLabel(self.editBox)
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setObjectName("recordMessage")
        row = QHBoxLayout()
        row.addWidget(self.messageLabel, 1)
        row.addWidget(self.saveButton)
        self.form.addRow(row)

        self.timeline = QTreeWidget(self)
        self.timeline.setObjectName("timeline")
        self.timeline.setHeaderLabels([self.tr("History"), self.tr("When"), self.tr("Details")])
        self.timeline.setColumnWidth(0, 220)
        self.timeline.setColumnWidth(1, 130)
        self.timeline.currentItemChanged.connect(lambda *_: self._update_play())
        self.playButton = QPushButton(self.tr("▶ Play recording"), self)
        self.playButton.setEnabled(False)
        self.playButton.clicked.connect(self._on_play)
        history = QWidget(self)
        hl = QVBoxLayout(history)
        hl.setContentsMargins(0, 0, 0, 0)
        hl.addWidget(self.timeline, 1)
        prow = QHBoxLayout()
        prow.addStretch(1)
        prow.addWidget(self.playButton)
        hl.addLayout(prow)

        split = QSplitter(Qt.Orientation.Vertical, self)
        split.addWidget(self.editBox)
        split.addWidget(history)
        split.setStretchFactor(1, 1)
        layout = QVBoxLayout(self)
        layout.addWidget(self.nameLabel)
        layout.addWidget(self.companyLabel)
        layout.addWidget(self.queueLabel)
        # The numbers (click to dial) and, on the same line, a field to add one more.
        phone_row = QHBoxLayout()
        phone_row.addWidget(self.phonesBox, 1)
        phone_row.addWidget(self.newPhoneEdit, 1)
        phone_row.addWidget(self.newPhoneKind)
        phone_row.addWidget(self.addPhoneButton)
        layout.addLayout(phone_row)
        layout.addWidget(split, 1)

    # -- rendering -----------------------------------------------------------------------------

    def show_loading(self) -> None:
        self._clear_record_inputs()
        self.details = None
        self.nameLabel.setText(self.tr("Loading…"))
        self.companyLabel.clear()
        self._set_phones([])
        self.timeline.clear()
        self._set_fields({}, editable=False)

    def show_match(self, match: Match) -> None:
        self._clear_record_inputs()
        self.details = None
        self.nameLabel.setText(match.name or self.tr("(no name)"))
        self.companyLabel.setText(self._subtitle(match.kind, match.company))
        self._set_phones([])
        self.fieldForm.show_kind(match.kind)
        self._set_fields({}, editable=False)
        show_pop_history(self.timeline, match.history, self._disposition)

    def show_details(self, details: PartyDetails) -> None:
        same_record = self.details is not None and self.details.id == details.id
        message, style = self.messageLabel.text(), self.messageLabel.styleSheet()
        # A refresh (a wrap-up saved, a number added...) must not wipe what the agent is typing:
        # keep the form as it is, with the version it was read at, so a save that crosses
        # another agent's goes through the stale-edit merge.
        unsaved = None
        if same_record and self.current_values() != self._original:
            unsaved = (self.current_values(), dict(self._original), self._version)
        if not same_record:
            self._clear_record_inputs()
        self.details = details
        self.nameLabel.setText(details.name or self.tr("(no name)"))
        subtitle = self._subtitle(details.kind, details.company)
        if details.title:
            subtitle = f"{details.title} · {subtitle}"
        self.companyLabel.setText(subtitle)
        self._set_phones(list(details.phones))
        self.fieldForm.show_kind(details.kind)
        values = {name: getattr(details, name) or "" for name in self.editable_fields()}
        self._version = details.version
        self._set_fields(values, editable=details.editable)
        for action in self.phoneRemoveActions:
            action.setEnabled(details.editable)
        if not details.editable:
            self.messageLabel.setText(
                self.tr("You can read this record; your role does not allow changing it.")
            )
        if unsaved is not None:
            mine, self._original, self._version = unsaved
            self.fieldForm.write(mine)
        if same_record:  # a reload after a save keeps its "Saved." / conflict message
            self.messageLabel.setText(message)
            self.messageLabel.setStyleSheet(style)
        show_panel_history(self.timeline, details, self._label)

    def _clear_record_inputs(self) -> None:
        """Another record is shown: what was typed for the last one must not be added to it
        (the form's fields are rewritten by ``_set_fields``)."""
        self.newPhoneEdit.clear()
        self.newPhoneKind.setCurrentIndex(0)

    def _disposition(self, code: str | None) -> str:
        if code is None:
            return self.tr("no disposition")
        label = self.dispositionLabels.get(code)
        return code if label is None else disposition_text(label)

    def _label(self, label: Label | None) -> str:
        return disposition_text(label) if label else self.tr("no disposition")

    def _subtitle(self, kind: OwnerKind, company: str | None) -> str:
        kinds = {
            OwnerKind.CONTACT: self.tr("Contact"),
            OwnerKind.LEAD: self.tr("Lead"),
            OwnerKind.ACCOUNT: self.tr("Account"),
        }
        return " · ".join(p for p in (kinds[kind], company or "") if p)

    def _set_phones(self, phones: list[PhoneView]) -> None:
        while self.phonesLayout.count():
            child = self.phonesLayout.takeAt(0)
            if child is not None and (widget := child.widget()) is not None:
                widget.deleteLater()
        self.phoneButtons: list[QPushButton] = []
        self.phoneRemoveActions: list[QAction] = []
        kinds = self._phone_kind_labels()
        for phone in phones:
            number = phone.e164
            button = QPushButton(f"☎ {number}", self.phonesBox)
            button.setToolTip(
                self.tr("Call {number} ({kind}). Right-click to remove it.").format(
                    number=number, kind=kinds.get(phone.kind.value, phone.kind.value)
                )
            )
            button.clicked.connect(lambda *_, n=number: self.dialRequested.emit(n))
            remove = QAction(self.tr("Remove this number"), button)
            remove.triggered.connect(lambda *_, p=phone: self._on_remove_phone(p))
            button.addAction(remove)
            button.setContextMenuPolicy(Qt.ContextMenuPolicy.ActionsContextMenu)
            self.phonesLayout.addWidget(button)
            self.phoneButtons.append(button)
            self.phoneRemoveActions.append(remove)
        self.phonesLayout.addStretch(1)

    def _phone_kind_labels(self) -> dict[str, str]:
        return {
            "work": self.tr("work"),
            "mobile": self.tr("mobile"),
            "home": self.tr("home"),
            "fax": self.tr("fax"),
            "other": self.tr("other"),
        }

    def editable_fields(self) -> tuple[str, ...]:
        """The fields the form edits for the record shown."""
        return self.fieldForm.editable_fields()

    def _set_fields(self, values: dict[str, str], *, editable: bool) -> None:
        self._original = dict(values)
        self.fieldForm.write(values)
        self.fieldForm.set_editable(editable)
        self.saveButton.setEnabled(editable)
        for control in (self.newPhoneEdit, self.newPhoneKind, self.addPhoneButton):
            control.setEnabled(editable)
        self.messageLabel.clear()
        self.messageLabel.setStyleSheet("")

    def current_values(self) -> dict[str, str]:
        """What the form holds now, for the fields of the record shown."""
        return self.fieldForm.values()

    # -- editing -------------------------------------------------------------------------------

    def _on_save(self) -> None:
        if self.details is None:
            return
        mine = self.current_values()
        changes = {k: (v.strip() or None) for k, v in mine.items() if v != self._original.get(k)}
        if not changes:
            self.messageLabel.setStyleSheet("")
            self.messageLabel.setText(self.tr("Nothing changed."))
            return
        for name, value in changes.items():
            problem = field_problem(name, value or "")
            if problem is not None:  # nothing is sent: the agent corrects the field first
                self._show_field_problem(name, problem)
                return
        self.saveButton.setEnabled(False)
        self.messageLabel.setStyleSheet("")
        self.messageLabel.setText(self.tr("Saving…"))
        ref = PartyRef(self.details.kind, self.details.id)
        self.saveRequested.emit(ref, self._version, changes)

    def saved(self, version: int) -> None:
        self._version = version
        self._original = self.current_values()
        self.saveButton.setEnabled(True)
        self.messageLabel.setStyleSheet("color: #1b7f3a;")
        self.messageLabel.setText(self.tr("Saved."))

    def _show_field_problem(self, name: str, problem: str) -> None:
        self.messageLabel.setStyleSheet("color: #b3261e;")
        self.messageLabel.setText(self.tr("Not saved: {problem}").format(problem=problem))
        field = self.fields.get(name)
        if field is not None:
            field.setFocus()

    def save_failed(self, error: BaseException) -> None:
        self.saveButton.setEnabled(True)
        self.messageLabel.setStyleSheet("color: #b3261e;")
        if isinstance(error, InvalidFieldError):
            problem = field_problem(error.field, error.value)
            if problem is not None:  # in the agent's words, at the field
                self._show_field_problem(error.field, problem)
                return
        if not isinstance(error, StaleRecordError):
            self.messageLabel.setText(self.tr("Not saved: {e}").format(e=request_error_text(error)))
            return
        if error.current_version is None:
            self.saveButton.setEnabled(False)
            self.messageLabel.setText(
                self.tr("Not saved: someone else deleted this record meanwhile.")
            )
            return
        # Keep the other agent's values and re-apply only the fields they did not touch.
        fields = self.editable_fields()
        mine = self.current_values()
        theirs = {k: str(error.current.get(k) or "") for k in fields}
        merged, clashed = merge_stale_edit(fields, self._original, mine, theirs)
        clashes = [f"{field_label(name).rstrip(':：')} {mine[name]!r}" for name in clashed]
        self._version = error.current_version
        self._set_fields(theirs, editable=True)
        self.fieldForm.write(merged)
        text = self.tr(
            "Someone else saved this record while you were editing. Their changes are shown; "
            "your other edits are kept. Check and save again."
        )
        if clashes:
            text += " " + self.tr("You had typed: {values}").format(values="; ".join(clashes))
        self.messageLabel.setStyleSheet("color: #b3261e;")
        self.messageLabel.setText(text)

    def _on_add_phone(self) -> None:
        number = self.newPhoneEdit.text().strip()
        if self.details is None or not number:
            return
        self.addPhoneButton.setEnabled(False)
        self.messageLabel.setStyleSheet("")
        self.messageLabel.setText(self.tr("Adding {number}…").format(number=number))
        ref = PartyRef(self.details.kind, self.details.id)
        self.phoneAddRequested.emit(ref, number, str(self.newPhoneKind.currentData()))

    def _on_remove_phone(self, phone: PhoneView) -> None:
        if self.details is None:
            return
        self.messageLabel.setStyleSheet("")
        self.messageLabel.setText(self.tr("Removing {number}…").format(number=phone.e164))
        self.phoneRemoveRequested.emit(PartyRef(self.details.kind, self.details.id), phone)

    def phones_changed(self, message: str) -> None:
        """A number was added or removed: the panel reloads the record after this."""
        self.newPhoneEdit.clear()
        self.addPhoneButton.setEnabled(True)
        self.messageLabel.setStyleSheet("color: #1b7f3a;")
        self.messageLabel.setText(message)

    def phone_failed(self, error: BaseException) -> None:
        self.addPhoneButton.setEnabled(True)
        self.messageLabel.setStyleSheet("color: #b3261e;")
        if isinstance(error, StaleRecordError):
            text = self.tr("Someone else changed or removed this number meanwhile: reloaded.")
        elif isinstance(error, InvalidPhoneNumber):
            text = self.tr("Not a phone number: {reason}").format(reason=error.reason)
        else:
            text = self.tr("Not saved: {e}").format(e=request_error_text(error))
        self.messageLabel.setText(text)

    def _update_play(self) -> None:
        item = self.timeline.currentItem()
        self.playButton.setEnabled(bool(item is not None and item.data(0, PATH_ROLE)))

    def _on_play(self) -> None:
        item = self.timeline.currentItem()
        path = item.data(0, PATH_ROLE) if item is not None else None
        if path:
            self.playRequested.emit(str(path))
