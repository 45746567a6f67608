"""The record view's history tree: calls, open cases, open opportunities and callbacks, from
the screen pop's short history at once and from the customer panel's details once loaded.

Both come from one rule set (``agentdesk.crm.lookup.history``), so the rows the pop shows are
the first rows of the panel's. The strings keep the ``RecordView`` translation context.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from datetime import datetime

from PySide6.QtCore import QCoreApplication, Qt
from PySide6.QtWidgets import QTreeWidget, QTreeWidgetItem

from agentdesk.crm.lookup.summaries import History
from agentdesk.crm.party_details import PartyDetails, TimelineItem
from agentdesk.domain.labels import Label
from agentdesk.ui.desk.pop_views import short_when
from agentdesk.ui.shell.labels import case_text, stage_text

PATH_ROLE = Qt.ItemDataRole.UserRole + 1
"""Where a call's row keeps its recording's path."""
CASE_ROLE = Qt.ItemDataRole.UserRole + 2
"""Where an open case's row keeps the case's id (a double click opens it on the case desk)."""

Row = tuple[str, datetime | None, str, str | None]
"""One line: text, when, detail, recording path."""


def show_pop_history(
    tree: QTreeWidget, history: History, disposition: Callable[[str | None], str]
) -> None:
    """The pop's history; ``disposition`` names a call's wrap-up code."""
    translate = QCoreApplication.translate
    calls: list[Row] = [
        (disposition(c.disposition_code), c.started_at, c.notes or "", None)
        for c in history.last_calls
    ]
    _fill(
        tree,
        [
            (translate("RecordView", "Calls"), calls),
            (
                translate("RecordView", "Open cases"),
                [
                    (c.subject, c.due_at, case_text(c.status, c.priority), None)
                    for c in history.open_cases
                ],
            ),
            (
                translate("RecordView", "Open opportunities"),
                [(o.name, None, stage_text(o.stage), None) for o in history.open_opportunities],
            ),
            (
                translate("RecordView", "Callbacks"),
                [(c.note or "", c.due_at, "", None) for c in history.due_callbacks],
            ),
        ],
    )


def show_panel_history(
    tree: QTreeWidget, details: PartyDetails, label: Callable[[Label | None], str]
) -> None:
    """The panel's history; ``label`` shows a call's disposition label."""
    translate = QCoreApplication.translate
    calls: list[Row] = [
        (
            f"{'←' if c.direction == 'inbound' else '→'} {label(c.disposition)}",
            c.started_at,
            c.notes or "",
            c.recording_path,
        )
        for c in details.calls
    ]
    callback = translate("RecordView", "callback")
    _fill(
        tree,
        [
            (translate("RecordView", "Calls"), calls),
            (
                translate("RecordView", "Open cases"),
                [(i.title, i.when, _detail(i), None) for i in details.cases],
            ),
            (
                translate("RecordView", "Open opportunities"),
                [(i.title, i.when, _detail(i), None) for i in details.opportunities],
            ),
            (
                translate("RecordView", "Callbacks"),
                [(i.title or callback, i.when, i.detail, None) for i in details.callbacks],
            ),
        ],
    )
    cases = tree.topLevelItem(1)
    for index, case in enumerate(details.cases):
        row = cases.child(index) if cases is not None else None
        if row is None:
            continue
        row.setData(0, CASE_ROLE, case.id)
        row.setToolTip(0, translate("RecordView", "Double-click to open it on the case desk"))


def _detail(item: TimelineItem) -> str:
    """A case's status and priority, an opportunity's stage and amount, in the UI language."""
    if item.status is not None and item.priority is not None:
        return case_text(item.status, item.priority)
    if item.stage is not None:
        return stage_text(item.stage, item.amount, item.currency)
    return item.detail


def _fill(tree: QTreeWidget, sections: Sequence[tuple[str, Sequence[Row]]]) -> None:
    translate = QCoreApplication.translate
    tree.clear()
    for title, rows in sections:
        top = QTreeWidgetItem([f"{title} ({len(rows)})", "", ""])
        font = top.font(0)
        font.setBold(True)
        top.setFont(0, font)
        tree.addTopLevelItem(top)
        if not rows:
            top.addChild(QTreeWidgetItem([translate("RecordView", "none"), "", ""]))
        for text, when, detail, path in rows:
            item = QTreeWidgetItem([text, short_when(when, ""), detail.replace("\n", " ")])
            item.setToolTip(2, detail)
            if path:
                item.setData(0, PATH_ROLE, path)
                item.setText(0, translate("RecordView", "{text}  ● rec").format(text=text))
                item.setToolTip(0, translate("RecordView", "Recorded: select and press Play"))
            top.addChild(item)
        top.setExpanded(True)
