"""Customer panel: details, click-to-dial, editing with optimistic concurrency, the timeline."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from decimal import Decimal

from PySide6.QtWidgets import QPlainTextEdit

from agentdesk.app.desk import WrapupForm
from agentdesk.app.records import PartyRef
from agentdesk.crm.models import Opportunity
from agentdesk.domain.enums import OpportunityStage
from tests.ui.conftest import Desk
from tests.ui.desk_support import add_party


def _open(desk: Desk, ref: PartyRef) -> None:
    desk.window.customerPanel.show_party(ref)
    desk.wait(lambda: desk.window.customerPanel.recordView.details is not None)


def _add_opportunity(desk: Desk, ref: PartyRef, name: str) -> None:
    with desk.context.database.sessions.begin() as session:
        session.add(
            Opportunity(
                name=name,
                contact_id=ref.id,
                stage=OpportunityStage.PROPOSAL,
                amount=Decimal("1200.00"),
            )
        )


def test_phone_numbers_are_click_to_dial(desk: Desk) -> None:
    ref = add_party(desk.context, "Dial", "Me", "+12025550500")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    view.phoneButtons[0].click()
    desk.wait(lambda: desk.controller.call is not None)
    fake = next(iter(desk.phone.calls.values()))
    assert fake.remote == "+12025550500" and fake.direction.value == "outbound"
    assert desk.controller.current_party() == ref


def test_edit_and_save_a_contact(desk: Desk) -> None:
    ref = add_party(desk.context, "Edit", "Me", "+12025550501")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    view.fields["email"].setText("edit@example.com")  # type: ignore[union-attr]
    view.saveButton.click()
    desk.wait(lambda: view.messageLabel.text() == "Saved.")
    stored = desk.context.services.calls.get_contact(ref.id)
    assert stored.email == "edit@example.com" and stored.version == 2


def test_stale_edit_keeps_the_other_agents_change(desk: Desk) -> None:
    ref = add_party(desk.context, "Stale", "Edit", "+12025550502")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    # Another agent saves the city while this one edits the title and the city.
    calls = desk.context.services.calls
    calls.update_contact(ref.id, 1, {"city": "Boston", "email": "other@example.com"})
    view.fields["title"].setText("CTO")  # type: ignore[union-attr]
    view.fields["city"].setText("Denver")  # type: ignore[union-attr]
    view.saveButton.click()
    desk.wait(lambda: "Someone else saved" in view.messageLabel.text())
    assert "Denver" in view.messageLabel.text()  # what this agent typed is shown
    values = view.current_values()
    assert values["city"] == "Boston" and values["email"] == "other@example.com"
    assert values["title"] == "CTO"  # the non-conflicting edit is kept
    assert calls.get_contact(ref.id).title is None  # nothing overwritten yet
    view.saveButton.click()
    desk.wait(lambda: view.messageLabel.text() == "Saved.")
    stored = calls.get_contact(ref.id)
    assert (stored.title, stored.city, stored.email) == ("CTO", "Boston", "other@example.com")


def test_timeline_shows_calls_cases_opportunities_callbacks(desk: Desk) -> None:
    ref = add_party(desk.context, "Time", "Line", "+12025550503")
    _add_opportunity(desk, ref, "Big deal")
    call_id = desk.phone.offer_call("+12025550503")
    assert call_id is not None
    desk.wait(lambda: desk.window.customerPanel.recordView.details is not None)
    desk.controller.toggle_recording()  # not live yet: ignored
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.controller.toggle_recording()
    desk.wait(lambda: desk.controller.call is not None and desk.controller.call.view.recording)
    desk.phone.remote_hangup(call_id)
    desk.wait(lambda: desk.controller.wrapup is not None)
    due = datetime.now(UTC) + timedelta(hours=2)
    desk.controller.save_wrapup(
        WrapupForm("callback", "asked for pricing", due, "send pricing", "Pricing question")
    )
    view = desk.window.customerPanel.recordView
    desk.wait(lambda: view.details is not None and len(view.details.calls) == 1)
    tree = view.timeline
    sections = [tree.topLevelItem(i).text(0) for i in range(tree.topLevelItemCount())]  # type: ignore[union-attr]
    assert sections == [
        "Calls (1)",
        "Open cases (1)",
        "Open opportunities (1)",
        "Callbacks (1)",
    ]
    calls = tree.topLevelItem(0)
    assert calls is not None
    row = calls.child(0)
    assert "Call back" in row.text(0) and row.text(2) == "asked for pricing"
    tree.setCurrentItem(row)
    assert view.playButton.isEnabled()  # the call has a recording
    cases = tree.topLevelItem(1)
    assert cases is not None and cases.child(0).text(0) == "Pricing question"
    opps = tree.topLevelItem(2)
    assert opps is not None and opps.child(0).text(0) == "Big deal"
    assert "1,200.00" in opps.child(0).text(2)
    callbacks = tree.topLevelItem(3)
    assert callbacks is not None and callbacks.child(0).text(0) == "send pricing"


def test_leads_are_read_only_here(desk: Desk) -> None:
    from agentdesk.domain.enums import OwnerKind

    ref = add_party(desk.context, "Read", "Only", "+12025550504", kind=OwnerKind.LEAD)
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    assert not view.saveButton.isEnabled()
    notes = view.fields["notes"]
    assert isinstance(notes, QPlainTextEdit) and notes.isReadOnly()
    assert "Only contacts" in view.messageLabel.text()
