"""Callbacks list (due, overdue, reminders, snooze, reassign, dial, done), recent calls, search."""

from __future__ import annotations

import asyncio
import threading
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from PySide6.QtCore import QCoreApplication
from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidgetItem
from pytestqt.qtbot import QtBot
from sqlalchemy import select

from agentdesk.calls.dto import CallFacts, WrapUp
from agentdesk.crm.models import Contact, Disposition, Lead
from agentdesk.domain.enums import CallDirection, OwnerKind
from agentdesk.org.admin import add_user
from agentdesk.org.users import find_user
from agentdesk.ui.lists.callbacks_panel import CallbacksPanel
from agentdesk.ui.lists.lists_panel import SearchPanel
from tests.ui.conftest import Desk, close_desk, open_desk
from tests.ui.desk_support import add_crm_callback, add_party, drain_executor


def _row(panel: CallbacksPanel, note: str) -> QTreeWidgetItem:
    for i in range(panel.tree.topLevelItemCount()):
        item = panel.tree.topLevelItem(i)
        if item is not None and item.text(3) == note:
            return item
    raise AssertionError(f"no callback {note!r}")


def test_callbacks_list_due_overdue_and_actions(desk: Desk) -> None:
    now = datetime.now(UTC)
    add_crm_callback(desk.context, "Over", "+12025550700", now - timedelta(hours=2), "late one")
    add_crm_callback(desk.context, "Up", "+12025550701", now + timedelta(days=2), "later")
    panel = desk.window.callbacksPanel
    panel.reload()
    desk.wait(lambda: len(panel.items) == 2)
    assert panel.countLabel.text() == "Callbacks: 2 · due: 1 · overdue: 1"
    first = panel.tree.topLevelItem(0)
    assert first is not None and first.text(3) == "late one"
    assert first.foreground(0).color() == QColor("#b3261e") and first.font(0).bold()
    second = panel.tree.topLevelItem(1)
    assert second is not None and second.foreground(0).color() != QColor("#b3261e")

    # Snooze the overdue one by an hour: it is no longer overdue.
    panel.tree.setCurrentItem(first)
    panel.snooze_selected(60)
    desk.wait(lambda: "overdue: 0" in panel.countLabel.text())
    # Reassign the upcoming one to anyone.
    item = next(
        panel.tree.topLevelItem(i)
        for i in range(2)
        if panel.tree.topLevelItem(i).text(3) == "later"
    )  # type: ignore[union-attr]
    panel.tree.setCurrentItem(item)
    panel.reassignCombo.setCurrentIndex(0)  # "Anyone"
    panel.reassignButton.click()
    desk.wait(lambda: any(cb.agent_username is None for cb in panel.items))
    # Done removes it from the list.
    item = next(
        panel.tree.topLevelItem(i)
        for i in range(2)
        if panel.tree.topLevelItem(i).text(3) == "later"
    )  # type: ignore[union-attr]
    panel.tree.setCurrentItem(item)
    panel.doneButton.click()
    desk.wait(lambda: len(panel.items) == 1)
    # Dial from the callback.
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    panel.dialButton.click()
    desk.wait(lambda: desk.controller.call is not None)
    fake = next(iter(desk.phone.calls.values()))
    assert fake.remote == "+12025550700"


def test_reminder_fires_at_the_due_time(desk: Desk) -> None:
    now = datetime.now(UTC)
    add_crm_callback(desk.context, "Remind", "+12025550702", now + timedelta(seconds=1), "soon")
    panel = desk.window.callbacksPanel
    reminded: list[object] = []
    panel.reminderDue.connect(reminded.append)
    panel.reload()
    desk.wait(lambda: len(panel.items) == 1)
    assert reminded == []
    panel.reminderTimer.setInterval(100)
    desk.wait(lambda: len(reminded) == 1, timeout=4000)
    assert "Callback due" in desk.window.statusBar().currentMessage()
    ticks: list[None] = []  # connected after the check: a tick counted is a check done
    panel.reminderTimer.timeout.connect(lambda: ticks.append(None))
    desk.wait(lambda: len(ticks) >= 3)
    assert len(reminded) == 1  # once per callback


def test_missed_call_refreshes_the_recent_list(desk: Desk) -> None:
    panel = desk.window.recentPanel
    desk.wait(lambda: not panel.emptyLabel.isHidden())
    call_id = desk.phone.offer_call("+12025550706")
    assert call_id is not None
    desk.wait(lambda: desk.controller.call is not None)
    desk.phone.remote_hangup(call_id)
    desk.wait(lambda: len(panel.calls) == 1)
    item = panel.tree.topLevelItem(0)
    assert item is not None and item.text(4) == "missed" and item.text(2) == "+12025550706"


def test_empty_states(desk: Desk) -> None:
    assert desk.window.callbacksPanel.emptyLabel.text() == "No callbacks due this week."
    assert not desk.window.callbacksPanel.emptyLabel.isHidden()
    desk.wait(lambda: not desk.window.recentPanel.emptyLabel.isHidden())
    assert desk.window.recentPanel.emptyLabel.text() == "No calls yet."


def test_recent_calls_open_the_record(desk: Desk) -> None:
    now = datetime.now(UTC)
    add_crm_callback(desk.context, "Recent", "+12025550703", now + timedelta(days=1), "x")
    panel = desk.window.recentPanel
    panel.reload()
    desk.wait(lambda: len(panel.calls) == 1)
    item = panel.tree.topLevelItem(0)
    assert item is not None and item.text(1) == "Recent Cb" and item.text(4) == "Call back"
    panel.tree.setCurrentItem(item)
    panel.tree.itemDoubleClicked.emit(item, 0)
    customer = desk.window.customerPanel
    desk.wait(lambda: customer.recordView.details is not None)
    assert customer.recordView.details.name == "Recent Cb"  # type: ignore[union-attr]


def _wrapped_call(desk: Desk, phone: str, code: str, minutes_ago: int) -> None:
    ref = add_party(desk.context, "Result", code, phone)
    started = datetime.now(UTC) - timedelta(minutes=minutes_ago)
    desk.context.services.calls.save_wrapup(
        WrapUp(
            disposition_code=code,
            facts=CallFacts(
                direction=CallDirection.OUTBOUND,
                started_at=started,
                ended_at=started + timedelta(seconds=30),
                remote_e164=phone,
                agent="alice",
                contact_id=ref.id,
            ),
        )
    )


def test_recent_calls_show_disposition_labels_not_codes(desk: Desk) -> None:
    _wrapped_call(desk, "+12025550710", "no_answer", 3)
    _wrapped_call(desk, "+12025550711", "wrong_number", 2)
    _wrapped_call(desk, "+12025550712", "info_given", 1)
    # The admin renames one code and retires another: old calls follow the current label.
    with desk.context.database.sessions.begin() as session:
        for code, label, active in (("info_given", "Info provided", True),
                                    ("wrong_number", "Wrong number (old)", False)):  # fmt: skip
            row = session.scalars(select(Disposition).where(Disposition.code == code)).one()
            row.label, row.active = label, active
    panel = desk.window.recentPanel
    panel.reload()
    desk.wait(lambda: len(panel.calls) == 3)
    rows = [panel.tree.topLevelItem(i) for i in range(3)]
    assert [r.text(4) for r in rows if r is not None] == [
        "Info provided",
        "Wrong number (old)",
        "No answer",
    ]
    assert rows[2] is not None and rows[2].toolTip(4) == "no_answer"  # the code stays at hand


def test_search_as_you_type_latest_query_wins(desk: Desk, monkeypatch: pytest.MonkeyPatch) -> None:
    add_party(desk.context, "Zelda", "Fitzgerald", "+12025550704", company="Jazz Age")
    add_party(desk.context, "Zora", "Hurston", "+12025550705")
    panel = desk.window.searchPanel
    desk.qtbot.keyClicks(panel.queryEdit, "Zel")
    desk.wait(lambda: [h.name for h in panel.hits] == ["Zelda Fitzgerald"])
    assert panel.statusLabel.text() == "1 found"
    # Two queries in flight, the older one answering last: only the later one's result shows.
    search = desk.context.services.search
    real, older_may_answer = search.search, threading.Event()

    def older_answers_last(text: str, limit: int = 50, **viewer: Any) -> Any:
        if text == "Zora":
            older_may_answer.wait(10)
        return real(text, limit, **viewer)

    monkeypatch.setattr(search, "search", older_answers_last)
    panel.queryEdit.blockSignals(True)
    panel.queryEdit.setText("Zora")
    panel.run_query()
    panel.queryEdit.setText("202 555 0704")
    panel.run_query()
    panel.queryEdit.blockSignals(False)
    desk.wait(
        lambda: panel.statusLabel.text() == "1 found" and panel.hits[0].name.startswith("Zelda")
    )
    older_may_answer.set()
    drain_executor(desk.context.executor)  # both queries have finished...
    QCoreApplication.sendPostedEvents()  # ...and their results reached the panel
    assert [h.name for h in panel.hits] == ["Zelda Fitzgerald"]
    panel.tree.setCurrentItem(panel.tree.topLevelItem(0))
    panel.callButton.click()
    desk.wait(lambda: desk.controller.call is not None)
    assert next(iter(desk.phone.calls.values())).remote == "+12025550704"


def _search(desk: Desk, text: str, n: int) -> SearchPanel:
    panel = desk.window.searchPanel
    panel.queryEdit.setText(text)
    desk.wait(lambda: len(panel.hits) == n)
    return panel


def test_an_agent_is_told_in_words_that_assigning_is_not_theirs(desk: Desk) -> None:
    add_user(desk.context.database.sessions, "bob", name="Bob", role="agent")
    add_party(desk.context, "Quentin", "Assignee", "+12025550710")
    panel = _search(desk, "Quentin", 1)
    panel.tree.selectAll()
    panel.assign_selected("bob")
    desk.wait(lambda: panel.statusLabel.text() != "Assigning…")
    assert panel.statusLabel.text() == "Your role does not allow this: Reassign records."


def test_an_admin_assigns_a_selection_of_search_results(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    desk = open_desk(qtbot, qloop, tmp_path, role="admin")
    try:
        sessions = desk.context.database.sessions
        add_user(sessions, "bob", name="Bob", role="sales_rep")
        for first, phone in (("Quinn", "+12025550711"), ("Quincy", "+12025550712")):
            add_party(desk.context, first, "Selected", phone)
        add_party(desk.context, "Quincy", "Lead", "+12025550713", kind=OwnerKind.LEAD)
        panel = _search(desk, "Quin", 3)
        panel.tree.selectAll()
        assert len(panel.selected()) == 3
        panel.assign_selected("bob")
        desk.wait(lambda: panel.statusLabel.text() == "3 records assigned to bob.")
        with sessions() as s:
            bob = find_user(s, "bob").id
            owners = {*s.scalars(select(Contact.owner_id)), *s.scalars(select(Lead.owner_id))}
        assert owners == {bob}
    finally:
        close_desk(desk)
