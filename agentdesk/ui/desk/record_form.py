"""The record view's edit form: one widget per field, the rows each kind of record shows, the
values typed in, and how an edit merges with one someone else saved meanwhile.

The strings keep the ``RecordView`` translation context they were written in, so the
translations apply unchanged.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QComboBox, QFormLayout, QLineEdit, QPlainTextEdit, QWidget

from agentdesk.app.records import EDITABLE_FIELDS, LEAD_STATUSES
from agentdesk.domain.contact_fields import is_country, is_email
from agentdesk.domain.enums import OwnerKind

ALL_FIELDS = (
    "name",
    "first_name",
    "last_name",
    "company",
    "title",
    "industry",
    "website",
    "email",
    "status",
    "source",
    "city",
    "country",
    "notes",
)
"""Every field any kind of record edits, in form order (each kind shows its own rows)."""

FieldWidget = QLineEdit | QPlainTextEdit | QComboBox


def field_label(name: str) -> str:
    translate = QCoreApplication.translate
    labels = {
        "name": translate("RecordView", "Name:"),
        "first_name": translate("RecordView", "First name:"),
        "last_name": translate("RecordView", "Last name:"),
        "company": translate("RecordView", "Company:"),
        "title": translate("RecordView", "Title:"),
        "industry": translate("RecordView", "Industry:"),
        "website": translate("RecordView", "Website:"),
        "email": translate("RecordView", "Email:"),
        "status": translate("RecordView", "Status:"),
        "source": translate("RecordView", "Source:"),
        "city": translate("RecordView", "City:"),
        "country": translate("RecordView", "Country:"),
        "notes": translate("RecordView", "Notes:"),
    }
    return labels[name]


def field_problem(name: str, value: str) -> str | None:
    """Why the form must not send ``value`` for field ``name`` (the services' own rules, in
    the agent's words), or None. The service checks again: its refusal names the field too."""
    text = value.strip()
    if not text:
        return None
    translate = QCoreApplication.translate
    if name == "email" and not is_email(text):
        return translate(
            "RecordView", "E-mail “{value}” is not an e-mail address (like name@example.com)."
        ).format(value=text)
    if name == "country" and not is_country(text):
        return translate(
            "RecordView",
            "Country “{value}” is not a two-letter ISO country code (such as US, CN, GB).",
        ).format(value=text)
    return None


def status_labels() -> dict[str, str]:
    translate = QCoreApplication.translate
    return {
        "new": translate("RecordView", "New"),
        "contacted": translate("RecordView", "Contacted"),
        "qualified": translate("RecordView", "Qualified"),
        "disqualified": translate("RecordView", "Disqualified"),
        "converted": translate("RecordView", "Converted"),
    }


def form_order() -> tuple[str, ...]:
    # The translator decides: Chinese, Japanese, Korean... ask for the family name first.
    order = QCoreApplication.translate(
        "RecordView", "first-last", "name order in forms: translate as first-last or last-first"
    )
    if order != "last-first":
        return ALL_FIELDS
    swap = {"first_name": "last_name", "last_name": "first_name"}
    return tuple(swap.get(name, name) for name in ALL_FIELDS)


class FieldForm:
    """The field widgets, laid out in ``layout`` of ``box``; which rows show follows the kind
    of record (:data:`~agentdesk.app.records.EDITABLE_FIELDS`)."""

    def __init__(self, box: QWidget) -> None:
        self.layout = QFormLayout(box)
        self.fields: dict[str, FieldWidget] = {}
        for name in form_order():
            widget: FieldWidget
            if name == "notes":
                widget = QPlainTextEdit(box)
                widget.setFixedHeight(56)
            elif name == "status":
                widget = QComboBox(box)
                labels = status_labels()
                for code in LEAD_STATUSES:
                    widget.addItem(labels.get(code, code), code)
            else:
                widget = QLineEdit(box)
                if name == "country":
                    widget.setMaxLength(2)
                    widget.setPlaceholderText(
                        QCoreApplication.translate("RecordView", "two letters, e.g. US")
                    )
            widget.setObjectName(f"field_{name}")
            self.layout.addRow(field_label(name), widget)
            self.fields[name] = widget
        self.kind = OwnerKind.CONTACT
        self.show_kind(self.kind)

    def show_kind(self, kind: OwnerKind) -> None:
        self.kind = kind
        shown = EDITABLE_FIELDS[kind]
        for name, widget in self.fields.items():
            self.layout.setRowVisible(widget, name in shown)

    def editable_fields(self) -> tuple[str, ...]:
        return EDITABLE_FIELDS[self.kind]

    def set_editable(self, editable: bool) -> None:
        for widget in self.fields.values():
            if isinstance(widget, QComboBox):
                widget.setEnabled(editable)
            else:
                widget.setReadOnly(not editable)

    def write(self, values: dict[str, str]) -> None:
        for name, widget in self.fields.items():
            text = values.get(name, "")
            if isinstance(widget, QPlainTextEdit):
                widget.setPlainText(text)
            elif isinstance(widget, QComboBox):
                widget.setCurrentIndex(max(0, widget.findData(text)))
            else:
                widget.setText(text)

    def values(self) -> dict[str, str]:
        """What the form holds now, for the fields of the kind shown."""
        values = {}
        for name in self.editable_fields():
            widget = self.fields[name]
            if isinstance(widget, QPlainTextEdit):
                values[name] = widget.toPlainText()
            elif isinstance(widget, QComboBox):
                values[name] = str(widget.currentData() or "")
            else:
                values[name] = widget.text()
        return values


def merge_stale_edit(
    fields: tuple[str, ...],
    original: dict[str, str],
    mine: dict[str, str],
    theirs: dict[str, str],
) -> tuple[dict[str, str], list[str]]:
    """My edit over the values someone else saved since ``original``: their value wins where
    we both changed a field differently (those fields are returned as clashes), mine where only
    I changed it, theirs everywhere else."""
    merged, clashes = {}, []
    for name in fields:
        mine_changed = mine[name] != original.get(name, "")
        they_changed = theirs[name] != original.get(name, "")
        if mine_changed and they_changed and mine[name] != theirs[name]:
            clashes.append(name)
            merged[name] = theirs[name]
        elif mine_changed:
            merged[name] = mine[name]
        else:
            merged[name] = theirs[name]
    return merged, clashes
