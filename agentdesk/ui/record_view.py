"""One record: header, phone numbers (click to dial), the edit form and the history."""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from typing import Any

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QPlainTextEdit,
    QPushButton,
    QSplitter,
    QTreeWidget,
    QTreeWidgetItem,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.dto import Match, OwnerKind, PartyDetails, StaleRecordError
from agentdesk.ui.pop_views import short_when, title_label

EDITABLE = ("first_name", "last_name", "title", "email", "city", "notes")
PATH_ROLE = Qt.ItemDataRole.UserRole + 1


class RecordView(QWidget):
    """Renders a ``Match`` at once (from the pop) and the ``PartyDetails`` when loaded."""

    dialRequested = Signal(str)
    saveRequested = Signal(object, int, dict)  # contact id, version, changes
    playRequested = Signal(str)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setObjectName("recordView")
        self.details: PartyDetails | None = None
        self._original: dict[str, str] = {}
        self._version = 0

        self.nameLabel = title_label("", self, 6)
        self.nameLabel.setObjectName("recordName")
        self.companyLabel = QLabel(self)
        self.companyLabel.setObjectName("recordCompany")
        self.phonesBox = QWidget(self)
        self.phonesLayout = QHBoxLayout(self.phonesBox)
        self.phonesLayout.setContentsMargins(0, 0, 0, 0)

        self.editBox = QGroupBox(self.tr("Details"), self)
        form = QFormLayout(self.editBox)
        self.fields: dict[str, QLineEdit | QPlainTextEdit] = {}
        labels = {
            "first_name": self.tr("First name:"),
            "last_name": self.tr("Last name:"),
            "title": self.tr("Title:"),
            "email": self.tr("Email:"),
            "city": self.tr("City:"),
            "notes": self.tr("Notes:"),
        }
        for name in EDITABLE:
            widget: QLineEdit | QPlainTextEdit
            if name == "notes":
                widget = QPlainTextEdit(self.editBox)
                widget.setFixedHeight(56)
            else:
                widget = QLineEdit(self.editBox)
            form.addRow(labels[name], widget)
            self.fields[name] = widget
        self.saveButton = QPushButton(self.tr("Save changes"), self.editBox)
        self.saveButton.clicked.connect(self._on_save)
        self.messageLabel = QLabel(self.editBox)
        self.messageLabel.setWordWrap(True)
        self.messageLabel.setObjectName("recordMessage")
        row = QHBoxLayout()
        row.addWidget(self.messageLabel, 1)
        row.addWidget(self.saveButton)
        form.addRow(row)

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
        layout.addWidget(self.phonesBox)
        layout.addWidget(split, 1)

    # -- rendering -----------------------------------------------------------------------------

    def show_loading(self) -> None:
        self.details = None
        self.nameLabel.setText(self.tr("Loading…"))
        self.companyLabel.clear()
        self._set_phones([])
        self.timeline.clear()
        self._set_fields({}, editable=False)

    def show_match(self, match: Match) -> None:
        self.details = None
        self.nameLabel.setText(match.name or self.tr("(no name)"))
        self.companyLabel.setText(self._subtitle(match.kind, match.company))
        self._set_phones([])
        self._set_fields({}, editable=False)
        self.timeline.clear()
        h = match.history
        calls = [
            (c.disposition_code or self.tr("no disposition"), c.started_at, c.notes or "", None)
            for c in h.last_calls
        ]
        self._section(self.tr("Calls"), calls)
        self._section(
            self.tr("Open cases"),
            [(c.subject, c.due_at, c.status.value, None) for c in h.open_cases],
        )
        self._section(
            self.tr("Open opportunities"),
            [(o.name, None, o.stage.value, None) for o in h.open_opportunities],
        )
        self._section(
            self.tr("Callbacks"), [(c.note or "", c.due_at, "", None) for c in h.due_callbacks]
        )

    def show_details(self, details: PartyDetails) -> None:
        same_record = self.details is not None and self.details.id == details.id
        message, style = self.messageLabel.text(), self.messageLabel.styleSheet()
        self.details = details
        self.nameLabel.setText(details.name or self.tr("(no name)"))
        subtitle = self._subtitle(details.kind, details.company)
        if details.title:
            subtitle = f"{details.title} · {subtitle}"
        self.companyLabel.setText(subtitle)
        self._set_phones([p.e164 for p in details.phones])
        values = {name: getattr(details, name) or "" for name in EDITABLE}
        self._version = details.version
        self._set_fields(values, editable=details.kind is OwnerKind.CONTACT)
        if details.kind is not OwnerKind.CONTACT:
            self.messageLabel.setText(self.tr("Only contacts can be edited here."))
        elif same_record:  # a reload after a save keeps its "Saved." / conflict message
            self.messageLabel.setText(message)
            self.messageLabel.setStyleSheet(style)
        self.timeline.clear()
        self._section(
            self.tr("Calls"),
            [
                (
                    f"{'←' if c.direction == 'inbound' else '→'} "
                    f"{c.disposition or self.tr('no disposition')}",
                    c.started_at,
                    c.notes or "",
                    c.recording_path,
                )
                for c in details.calls
            ],
        )
        self._section(
            self.tr("Open cases"), [(i.title, i.when, i.detail, None) for i in details.cases]
        )
        self._section(
            self.tr("Open opportunities"),
            [(i.title, i.when, i.detail, None) for i in details.opportunities],
        )
        self._section(
            self.tr("Callbacks"),
            [(i.title or self.tr("callback"), i.when, i.detail, None) for i in details.callbacks],
        )

    def _subtitle(self, kind: OwnerKind, company: str | None) -> str:
        kinds = {
            OwnerKind.CONTACT: self.tr("Contact"),
            OwnerKind.LEAD: self.tr("Lead"),
            OwnerKind.ACCOUNT: self.tr("Account"),
        }
        return " · ".join(p for p in (kinds[kind], company or "") if p)

    def _section(self, title: str, rows: Sequence[tuple[str, Any, str, str | None]]) -> None:
        top = QTreeWidgetItem([f"{title} ({len(rows)})", "", ""])
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        self.timeline.addTopLevelItem(top)
        if not rows:
            top.addChild(QTreeWidgetItem([self.tr("none"), "", ""]))
        for text, when, detail, path in rows:
            item = QTreeWidgetItem([text, short_when(when, ""), detail.replace("\n", " ")])
            item.setToolTip(2, detail)
            if path:
                item.setData(0, PATH_ROLE, path)
                item.setText(0, self.tr("{text}  ● rec").format(text=text))
                item.setToolTip(0, self.tr("Recorded: select and press Play"))
            top.addChild(item)
        top.setExpanded(True)

    def _set_phones(self, numbers: list[str]) -> None:
        while self.phonesLayout.count():
            child = self.phonesLayout.takeAt(0)
            if child is not None and (widget := child.widget()) is not None:
                widget.deleteLater()
        self.phoneButtons: list[QPushButton] = []
        for number in numbers:
            button = QPushButton(f"☎ {number}", self.phonesBox)
            button.setToolTip(self.tr("Call {number}").format(number=number))
            button.clicked.connect(lambda *_, n=number: self.dialRequested.emit(n))
            self.phonesLayout.addWidget(button)
            self.phoneButtons.append(button)
        self.phonesLayout.addStretch(1)

    def _set_fields(self, values: dict[str, str], *, editable: bool) -> None:
        self._original = dict(values)
        for name, widget in self.fields.items():
            text = values.get(name, "")
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(text)
            else:
                widget.setText(text)
            widget.setReadOnly(not editable)
        self.saveButton.setEnabled(editable)
        self.messageLabel.clear()
        self.messageLabel.setStyleSheet("")

    def current_values(self) -> dict[str, str]:
        return {
            name: (w.toPlainText() if isinstance(w, QPlainTextEdit) else w.text())
            for name, w in self.fields.items()
        }

    # -- editing -------------------------------------------------------------------------------

    def _on_save(self) -> None:
        if self.details is None or self.details.kind is not OwnerKind.CONTACT:
            return
        mine = self.current_values()
        changes = {k: (v.strip() or None) for k, v in mine.items() if v != self._original.get(k)}
        if not changes:
            self.messageLabel.setText(self.tr("Nothing changed."))
            return
        self.saveButton.setEnabled(False)
        self.messageLabel.setText(self.tr("Saving…"))
        self.saveRequested.emit(self.details.id, self._version, changes)

    def saved(self, version: int) -> None:
        self._version = version
        self.saveButton.setEnabled(True)
        self.messageLabel.setStyleSheet("color: #1b7f3a;")
        self.messageLabel.setText(self.tr("Saved."))

    def save_failed(self, error: BaseException) -> None:
        self.saveButton.setEnabled(True)
        self.messageLabel.setStyleSheet("color: #b3261e;")
        if not isinstance(error, StaleRecordError) or error.current_version is None:
            self.messageLabel.setText(self.tr("Not saved: {e}").format(e=error))
            return
        # Keep the other agent's values and re-apply only the fields they did not touch.
        mine = self.current_values()
        theirs = {k: str(error.current.get(k) or "") for k in EDITABLE}
        merged, clashes = {}, []
        for name in EDITABLE:
            mine_changed = mine[name] != self._original.get(name, "")
            they_changed = theirs[name] != self._original.get(name, "")
            if mine_changed and they_changed and mine[name] != theirs[name]:
                clashes.append(f"{name}: {mine[name]!r}")
                merged[name] = theirs[name]
            elif mine_changed:
                merged[name] = mine[name]
            else:
                merged[name] = theirs[name]
        self._version = error.current_version
        self._set_fields(theirs, editable=True)
        for name, value in merged.items():
            widget = self.fields[name]
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(value)
            else:
                widget.setText(value)
        text = self.tr(
            "Someone else saved this contact while you were editing. Their changes are shown; "
            "your other edits are kept. Check and save again."
        )
        if clashes:
            text += " " + self.tr("You had typed: {values}").format(values="; ".join(clashes))
        self.messageLabel.setStyleSheet("color: #b3261e;")
        self.messageLabel.setText(text)

    def _update_play(self) -> None:
        item = self.timeline.currentItem()
        self.playButton.setEnabled(bool(item is not None and item.data(0, PATH_ROLE)))

    def _on_play(self) -> None:
        item = self.timeline.currentItem()
        path = item.data(0, PATH_ROLE) if item is not None else None
        if path:
            self.playRequested.emit(str(path))


def contact_id(details: PartyDetails | None) -> uuid.UUID | None:
    return details.id if details is not None and details.kind is OwnerKind.CONTACT else None
