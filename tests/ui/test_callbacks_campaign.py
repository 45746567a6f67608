"""Campaign callbacks in the Callbacks tab: listed beside CRM callbacks, dialled by the dialer."""

from __future__ import annotations

import uuid
from datetime import UTC, datetime, timedelta

from PySide6.QtGui import QColor
from PySide6.QtWidgets import QTreeWidgetItem

from agentdesk.app.desk.wrapup import WrapupForm
from agentdesk.app.dialer.views import DialerPhase
from agentdesk.dialer import outcomes
from agentdesk.dialer.campaigns import set_active
from agentdesk.dialer.dnc import add_numbers
from agentdesk.dialer.picking import reserve_entry
from agentdesk.ui.lists.callbacks_panel import CallbacksPanel
from tests.ui.conftest import Desk
from tests.ui.desk_support import add_crm_callback
from tests.ui.dialer_support import Loaded, attempts_of, callbacks_of, entry_row, make_campaign

RED = QColor("#b3261e")


def _campaign_callback(desk: Desk, loaded: Loaded, phone: str, due: datetime) -> uuid.UUID:
    """What a campaign call's wrap-up leaves: the entry is alice's callback, due at ``due``."""
    sessions = desk.context.database.sessions
    entry = entry_row(desk.context, phone).id
    reserve_entry(sessions, loaded.name, "alice", entry)
    outcomes.start_dialing(sessions, entry, "alice")
    outcomes.record_attempt(sessions, entry, "answered", 200, agent="alice")
    outcomes.apply_disposition(sessions, entry, "callback", agent="alice", callback_at=due)
    return entry


def _rows(panel: CallbacksPanel) -> list[QTreeWidgetItem]:
    items = [panel.tree.topLevelItem(i) for i in range(panel.tree.topLevelItemCount())]
    return [item for item in items if item is not None]


def _texts(item: QTreeWidgetItem) -> list[str]:
    return [item.text(column) for column in range(item.columnCount())]


def _select(panel: CallbacksPanel, phone: str) -> None:
    panel.tree.setCurrentItem(next(row for row in _rows(panel) if row.text(2) == phone))


def test_campaign_callbacks_are_listed_beside_crm_ones(desk: Desk) -> None:
    now = datetime.now(UTC)
    loaded = make_campaign(desk.context)
    _campaign_callback(desk, loaded, loaded.phones[0], now - timedelta(minutes=30))
    add_crm_callback(desk.context, "Crm", "+12025550777", now + timedelta(hours=3), "quote")
    panel = desk.window.callbacksPanel
    panel.reload()
    desk.wait(lambda: len(panel.items) == 1 and len(panel.campaign_items) == 1)

    assert panel.tree.headerItem().text(4) == "Campaign"
    first, second = _rows(panel)  # by due time, whichever list a callback comes from
    assert _texts(first)[1:] == ["Ada Lovelace", loaded.phones[0], "", "Spring", "alice"]
    assert _texts(second)[1:] == ["Crm Cb", "+12025550777", "quote", "", "alice"]
    # Overdue is marked as for CRM callbacks, and counted with them.
    assert first.foreground(0).color() == RED and first.font(0).bold()
    assert first.toolTip(0) == "Overdue"
    assert second.foreground(0).color() != RED
    assert panel.countLabel.text() == "Callbacks: 2 · due: 1 · overdue: 1"

    # The dialer owns it: no snooze, reassign or done here, and each button says why.
    panel.tree.setCurrentItem(first)
    assert panel.selected() is None and panel.selected_campaign() is not None
    assert panel.dialButton.isEnabled() and panel.openButton.isEnabled()
    for button in (panel.snoozeButton, panel.reassignButton, panel.doneButton):
        assert not button.isEnabled() and "campaign callback" in button.toolTip()
    assert not panel.reassignCombo.isEnabled()
    panel.tree.setCurrentItem(second)
    for button in (panel.snoozeButton, panel.reassignButton, panel.doneButton):
        assert button.isEnabled() and button.toolTip() == ""

    # A paused campaign's callback is still the agent's promise: listed, marked paused.
    set_active(desk.context.database.sessions, loaded.name, False)
    panel.reload()
    desk.wait(lambda: bool(panel.campaign_items) and not panel.campaign_items[0].campaign_active)
    assert _rows(panel)[0].text(3) == "Campaign paused"
    # Only one callback in the CRM list: the campaign's was not copied there.
    assert len(callbacks_of(desk.context)) == 1


def test_dialling_a_campaign_callback_goes_through_the_dialer(desk: Desk) -> None:
    now = datetime.now(UTC)
    loaded = make_campaign(desk.context)
    entry = _campaign_callback(desk, loaded, loaded.phones[1], now - timedelta(minutes=1))
    panel = desk.window.callbacksPanel
    dialer = desk.context.dialer
    assert dialer is not None
    panel.reload()
    desk.wait(lambda: len(panel.campaign_items) == 1)
    _select(panel, loaded.phones[1])
    panel.dialButton.click()

    desk.wait(lambda: desk.controller.call is not None)
    call = desk.controller.call
    assert call is not None and call.view.remote == loaded.phones[1] and not call.view.inbound
    row = entry_row(desk.context, loaded.phones[1])
    assert (row.status, row.reserved_by_id) == ("in_progress", desk.context.agent_id)
    assert not panel.refusalLabel.isVisible()
    # A one-off call: the dialer itself is not started by it.
    assert dialer.view.phase is DialerPhase.STOPPED

    # Answered; the wrap-up sets a new time: the entry stays alice's callback, not the CRM's.
    fake = next(c for c in desk.phone.calls.values() if c.remote == loaded.phones[1])
    desk.phone.remote_answer(fake.call_id)
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.phone.remote_hangup(fake.call_id)
    desk.wait(lambda: desk.controller.wrapup is not None)
    due = (now + timedelta(days=1)).replace(microsecond=0)
    assert desk.controller.save_wrapup(WrapupForm("callback", "", due, "again")) is None
    desk.wait(lambda: entry_row(desk.context, loaded.phones[1]).next_eligible_at == due)
    row = entry_row(desk.context, loaded.phones[1])
    assert (row.status, row.assigned_agent_id) == ("callback", desk.context.agent_id)
    assert [a.outcome for a in attempts_of(desk.context, entry)] == ["answered", "answered"]
    assert callbacks_of(desk.context) == []
    # The tab follows: the callback is listed with its new due time, no longer overdue.
    desk.wait(lambda: [cb.due_at for cb in panel.campaign_items] == [due])
    assert panel.countLabel.text() == "Callbacks: 1 · due: 0 · overdue: 0"
    assert dialer.view.phase is DialerPhase.STOPPED


def test_a_refused_campaign_callback_says_why(desk: Desk) -> None:
    now = datetime.now(UTC)
    loaded = make_campaign(desk.context)
    _campaign_callback(desk, loaded, loaded.phones[2], now - timedelta(minutes=1))
    panel = desk.window.callbacksPanel
    notices: list[str] = []
    panel.noticeRaised.connect(notices.append)
    panel.reload()
    desk.wait(lambda: len(panel.campaign_items) == 1)
    # Listed on a do-not-call list after the tab read it: the dialer's check at pick time stops it.
    add_numbers(desk.context.database.sessions, [loaded.phones[2]])
    _select(panel, loaded.phones[2])
    panel.dialButton.click()

    expected = "Cannot call Alan Turing: its number is on a do-not-call list"
    desk.wait(lambda: panel.refusalLabel.isVisible())
    assert panel.refusalLabel.text() == expected and notices == [expected]
    assert desk.controller.call is None and not desk.phone.calls
    assert entry_row(desk.context, loaded.phones[2]).status == "dnc"
    desk.wait(lambda: panel.campaign_items == [])  # read again: it is no longer a callback
