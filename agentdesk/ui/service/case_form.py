"""The case form: the case's fields, its status moved by the pure rule (``domain.cases.
may_move``: the combo offers only the allowed moves), the resolution, and the timeline with a
note to add. Read-only, with the role's refusal worded, when the user may not work the case.

The form shows a :class:`CaseDetail` and asks its owner (the case desk) to run changes; it
never touches the database.
"""

from __future__ import annotations

import html
from datetime import datetime

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QComboBox,
    QFormLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from agentdesk.domain.access import Action, RecordKind, Refusal
from agentdesk.domain.cases import may_move
from agentdesk.domain.enums import CasePriority, CaseStatus
from agentdesk.service.case_timeline import CaseDetail, EntryKind, TimelineEntry
from agentdesk.ui.shell.access_labels import refusal_text
from agentdesk.ui.shell.labels import CASE_PRIORITIES, CASE_STATUSES, enum_text

TEXT_ROLE = Qt.ItemDataRole.UserRole + 1
KIND_ROLE = Qt.ItemDataRole.UserRole + 2


def _when(value: datetime | None) -> str:
    return value.astimezone().strftime("%Y-%m-%d %H:%M") if value is not None else "—"


class CaseForm(QWidget):
    statusRequested = Signal(str, object, object)
    """(number, CaseStatus, resolution or None)"""
    noteRequested = Signal(str, str)
    """(number, text)"""
    detailsRequested = Signal(str, object, str)
    """(number, CasePriority, category: blank clears it); the due times are counted again"""

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("caseForm")
        self.detail: CaseDetail | None = None

        self.titleLabel = QLabel(self)
        self.titleLabel.setWordWrap(True)
        self.titleLabel.setTextFormat(Qt.TextFormat.PlainText)
        font = self.titleLabel.font()
        font.setPointSizeF(font.pointSizeF() * 1.2)
        font.setBold(True)
        self.titleLabel.setFont(font)
        self.values: dict[str, QLabel] = {}
        fields = QFormLayout()
        fields.setFieldGrowthPolicy(QFormLayout.FieldGrowthPolicy.AllNonFixedFieldsGrow)
        for key, text in (
            ("contact", self.tr("Customer:")), ("targets", self.tr("Targets:")),
            ("owner", self.tr("Owner:")), ("opened", self.tr("Opened:")),
            ("first", self.tr("First response due:")), ("due", self.tr("Resolution due:")),
            ("description", self.tr("Description:")),
        ):  # fmt: skip
            label = QLabel(self)
            label.setWordWrap(True)
            label.setTextFormat(Qt.TextFormat.PlainText)
            label.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
            self.values[key] = label
            fields.addRow(text, label)

        self.priorityCombo = QComboBox(self)
        for priority in CasePriority:
            self.priorityCombo.addItem(enum_text(CASE_PRIORITIES, priority), priority)
        self.categoryEdit = QLineEdit(self)
        self.categoryEdit.setPlaceholderText(self.tr("none"))
        self.detailsButton = QPushButton(self.tr("Apply"), self)
        self.detailsButton.setToolTip(
            self.tr("Change the priority or category: the due times are counted again")
        )
        self.detailsButton.clicked.connect(self._apply_details)
        level = QHBoxLayout()
        level.addWidget(self.categoryEdit, 1)
        level.addWidget(self.detailsButton)
        fields.insertRow(1, self.tr("Priority:"), self.priorityCombo)
        fields.insertRow(2, self.tr("Category:"), level)

        self.statusCombo = QComboBox(self)
        self.statusCombo.setObjectName("caseStatus")
        self.resolutionEdit = QPlainTextEdit(self)
        self.resolutionEdit.setPlaceholderText(self.tr("Resolution: what solved it"))
        self.resolutionEdit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.applyButton = QPushButton(self.tr("Apply status"), self)
        self.applyButton.clicked.connect(self._apply)
        status_row = QHBoxLayout()
        status_row.addWidget(QLabel(self.tr("Status:"), self))
        status_row.addWidget(self.statusCombo, 1)
        status_row.addWidget(self.applyButton)

        self.timeline = QListWidget(self)
        self.timeline.setObjectName("caseTimeline")
        self.timeline.setWordWrap(True)
        self.timeline.setVerticalScrollMode(QListWidget.ScrollMode.ScrollPerPixel)
        self.noteEdit = QPlainTextEdit(self)
        self.noteEdit.setPlaceholderText(self.tr("A note for the timeline"))
        self.noteEdit.setFixedHeight(self.fontMetrics().lineSpacing() * 3 + 12)
        self.noteButton = QPushButton(self.tr("Add note"), self)
        self.noteButton.clicked.connect(self._note)
        note_row = QHBoxLayout()
        note_row.addWidget(self.noteEdit, 1)
        note_row.addWidget(self.noteButton, 0, Qt.AlignmentFlag.AlignTop)
        self.readOnlyLabel = QLabel(self)
        self.readOnlyLabel.setWordWrap(True)
        self.readOnlyLabel.setStyleSheet("color: #8a4b00")

        # another desk (or the escalation pass) changed the case while this form has edits
        # not saved: say so instead of overwriting them; Reload shows the new version
        self._newer: CaseDetail | None = None
        self.elsewhereLabel = QLabel(self.tr("Changed elsewhere:"), self)
        self.elsewhereLabel.setStyleSheet("color: #8a4b00")
        self.reloadButton = QPushButton(self.tr("Reload"), self)
        self.reloadButton.clicked.connect(self._reload)
        self.elsewhereBar = QWidget(self)
        elsewhere = QHBoxLayout(self.elsewhereBar)
        elsewhere.setContentsMargins(0, 0, 0, 0)
        elsewhere.addWidget(self.elsewhereLabel, 1)
        elsewhere.addWidget(self.reloadButton)

        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.titleLabel)
        layout.addWidget(self.elsewhereBar)
        layout.addLayout(fields)
        layout.addLayout(status_row)
        layout.addWidget(self.resolutionEdit)
        layout.addWidget(self.readOnlyLabel)
        layout.addWidget(QLabel(self.tr("<b>Timeline</b>"), self))
        layout.addWidget(self.timeline, 1)
        layout.addLayout(note_row)
        self.show_detail(None)

    def show_detail(self, detail: CaseDetail | None) -> None:
        self.detail = detail
        self._newer = None
        self.elsewhereBar.hide()
        editable = detail is not None and detail.may_edit
        for widget in (self.statusCombo, self.applyButton, self.resolutionEdit,
                       self.priorityCombo, self.categoryEdit, self.detailsButton):  # fmt: skip
            widget.setEnabled(editable)
        self.noteEdit.setEnabled(editable)
        self.noteButton.setEnabled(editable)
        self.statusCombo.clear()
        self.timeline.clear()
        if detail is None:
            self.titleLabel.setText(self.tr("Choose a case in the list"))
            for label in self.values.values():
                label.clear()
            self.resolutionEdit.clear()
            self.categoryEdit.clear()
            self.readOnlyLabel.hide()
            return
        case = detail.case
        self.titleLabel.setText(f"{case.number}  {case.subject}")
        self.values["contact"].setText(detail.contact or "—")
        self.priorityCombo.setCurrentIndex(self.priorityCombo.findData(case.priority))
        self.categoryEdit.setText(case.category or "")
        targets = self.tr("{first} / {resolution}").format(
            first=self._minutes(case.first_response_minutes),
            resolution=self._minutes(case.resolution_minutes),
        )
        source = self.tr("policy") if case.sla_policy_id else self.tr("defaults")
        self.values["targets"].setText(f"{targets} ({source})")
        owner = case.owner or self.tr("queue {team}").format(team=case.team or "—")
        self.values["owner"].setText(owner)
        self.values["opened"].setText(_when(case.opened_at))
        self.values["first"].setText(_when(case.first_response_due))
        self.values["due"].setText(_when(case.resolution_due))
        self.values["description"].setText(detail.description or "—")
        self.statusCombo.addItem(enum_text(CASE_STATUSES, case.status), case.status)
        for status in CaseStatus:
            if may_move(case.status, status):
                self.statusCombo.addItem(enum_text(CASE_STATUSES, status), status)
        self.resolutionEdit.setPlainText(detail.resolution or "")
        refusal = refusal_text(Refusal(Action.UPDATE, RecordKind.CASES))
        self.readOnlyLabel.setText(self.tr("Read only: {why}").format(why=refusal))
        self.readOnlyLabel.setVisible(not detail.may_edit)
        for entry in detail.timeline:
            self._add_row(entry)

    def edited(self) -> bool:
        """Whether the form holds a status, resolution, priority or category not saved."""
        if self.detail is None or not self.detail.may_edit:
            return False
        case = self.detail.case
        return (
            self.statusCombo.currentIndex() > 0  # the first item is the current status
            or self.resolutionEdit.toPlainText() != (self.detail.resolution or "")
            or self.priorityCombo.currentData() != case.priority
            or self.categoryEdit.text() != (case.category or "")
        )

    def offer_reload(self, detail: CaseDetail) -> None:
        """A newer version of the open case, kept until the user asks for it."""
        self._newer = detail
        self.elsewhereBar.show()

    def _reload(self) -> None:
        if self._newer is not None:
            self.show_detail(self._newer)

    def _entry_text(self, entry: TimelineEntry) -> str:
        match entry.kind:
            case EntryKind.OPENED:
                return self.tr("Case opened: {text}").format(text=entry.text)
            case EntryKind.NOTE:
                return entry.text
            case EntryKind.CALL:
                arrow = "←" if entry.inbound else "→"
                return self.tr("{arrow} Call: {text}").format(arrow=arrow, text=entry.text)
            case EntryKind.ARTICLE:
                return self.tr("Article added: {title}").format(title=entry.text)
            case EntryKind.SOLVED:
                return self.tr("Solved by article: {title}").format(title=entry.text)

    def _add_row(self, entry: TimelineEntry) -> None:
        text = self._entry_text(entry)
        item = QListWidgetItem(self.timeline)
        item.setData(TEXT_ROLE, text)
        item.setData(KIND_ROLE, entry.kind.value)
        when = html.escape(_when(entry.at))
        by = f" · {html.escape(entry.author)}" if entry.author else ""
        body = html.escape(text).replace("\n", "<br>")
        if entry.kind is EntryKind.SOLVED:
            body = f"<b>{body}</b>"
        # a label per row: it wraps a long note to the list's width (a tree's row cuts it)
        label = QLabel(f'<span style="color:#666">{when}{by}</span><br>{body}')
        label.setTextFormat(Qt.TextFormat.RichText)
        label.setWordWrap(True)
        label.setContentsMargins(4, 3, 4, 3)
        item.setSizeHint(label.sizeHint())
        self.timeline.setItemWidget(item, label)

    def timeline_texts(self) -> list[str]:
        items = (self.timeline.item(i) for i in range(self.timeline.count()))
        return [str(item.data(TEXT_ROLE)) for item in items if item is not None]

    def _apply(self) -> None:
        if self.detail is None:
            return
        status = CaseStatus(self.statusCombo.currentData())  # Qt hands the code back as str
        if status is self.detail.case.status:
            return
        resolution = self.resolutionEdit.toPlainText().strip() or None
        self.statusRequested.emit(self.detail.case.number, status, resolution)

    def _minutes(self, minutes: int) -> str:
        hours, rest = divmod(minutes, 60)
        if not hours:
            return self.tr("{m} min").format(m=rest)
        if not rest:
            return self.tr("{h} h").format(h=hours)
        return self.tr("{h} h {m} min").format(h=hours, m=rest)

    def _apply_details(self) -> None:
        if self.detail is not None:
            priority = CasePriority(self.priorityCombo.currentData())  # Qt hands back a str
            category = self.categoryEdit.text().strip()
            self.detailsRequested.emit(self.detail.case.number, priority, category)

    def _note(self) -> None:
        text = self.noteEdit.toPlainText().strip()
        if self.detail is not None and text:
            self.noteRequested.emit(self.detail.case.number, text)

    def note_saved(self) -> None:
        self.noteEdit.clear()
