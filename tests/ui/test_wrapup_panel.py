"""Wrap-up panel: required disposition, notes, callback quick choices, case, opportunity link,
countdown, and saving on expiry with the default code and the notes typed so far."""

from __future__ import annotations

import asyncio
from datetime import datetime, timedelta
from decimal import Decimal
from pathlib import Path

from pytestqt.qtbot import QtBot

from agentdesk.crm.models import Opportunity
from agentdesk.crm.party_details import PartyRef
from agentdesk.domain.enums import OpportunityStage
from agentdesk.service.cases import CaseSpec, create_case
from tests.ui.conftest import Desk, close_desk, open_desk
from tests.ui.desk_support import add_party


def _end_a_call(desk: Desk, number: str) -> str:
    call_id = desk.phone.offer_call(number)
    assert call_id is not None
    desk.wait(lambda: desk.controller.call is not None)
    desk.controller.answer()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    desk.phone.remote_hangup(call_id)
    desk.wait(lambda: desk.window.wrapupPanel.wrapup is not None)
    return call_id


def test_idle_then_opens_when_a_call_ends(desk: Desk) -> None:
    panel = desk.window.wrapupPanel
    assert not panel.idleBox.isHidden() and panel.form.isHidden()
    assert not panel.saveButton.isEnabled()
    _end_a_call(desk, "+12025550600")
    assert panel.form.isVisible() and desk.window.tabs.currentWidget() is panel
    assert "left" in panel.countdownLabel.text()
    assert panel.dispositionCombo.count() == 13  # placeholder + the 12 default codes


def test_disposition_is_required_then_saves_everything(desk: Desk) -> None:
    ref = add_party(desk.context, "Wrap", "Panel", "+12025550601")
    with desk.context.database.sessions.begin() as session:
        session.add(
            Opportunity(
                name="Renewal",
                contact_id=ref.id,
                stage=OpportunityStage.NEGOTIATION,
                amount=Decimal("10"),
            )
        )
    _end_a_call(desk, "+12025550601")
    panel = desk.window.wrapupPanel
    desk.wait(lambda: panel.opportunityCombo.count() == 2)
    panel.saveButton.click()
    assert panel.errorLabel.text() == "Choose a disposition."
    assert desk.controller.state.status.value == "wrap_up"
    panel.dispositionCombo.setCurrentIndex(panel.dispositionCombo.findData("interested"))
    panel.notesEdit.setPlainText("wants the renewal")
    panel.quickButtons["tomorrow_morning"].click()
    panel.callbackNoteEdit.setText("call at nine")
    panel.caseCheck.setChecked(True)
    panel.caseSubjectEdit.setText("Renewal paperwork")
    panel.opportunityCombo.setCurrentIndex(1)
    panel.saveButton.click()
    desk.wait(lambda: desk.controller.state.status.value == "available")
    recent = desk.context.services.calls.recent_calls("alice")
    assert [(r.contact_id, r.disposition_code) for r in recent] == [(ref.id, "interested")]
    call = desk.context.services.calls.get_call(recent[0].id)
    assert call.notes == "wants the renewal" and call.case_id and call.opportunity_id
    callbacks = desk.context.services.callbacks.for_agent("alice")
    assert len(callbacks) == 1 and callbacks[0].note == "call at nine"
    due = callbacks[0].due_at.astimezone()
    tomorrow = (datetime.now().astimezone() + timedelta(days=1)).date()
    assert (due.date(), due.hour, due.minute) == (tomorrow, 9, 0)
    assert not panel.form.isVisible()
    # Only the panels whose data changed reloaded: the callbacks list shows the new one.
    desk.wait(lambda: len(desk.window.callbacksPanel.items) == 1)
    desk.wait(lambda: len(desk.window.recentPanel.calls) == 1)


def test_quick_choices(desk: Desk) -> None:
    _end_a_call(desk, "+12025550602")
    panel = desk.window.wrapupPanel
    now = datetime.now().astimezone()
    panel.quickButtons["in_1_hour"].click()
    chosen = datetime.fromtimestamp(panel.callbackEdit.dateTime().toSecsSinceEpoch())
    assert abs((chosen.astimezone() - now).total_seconds() - 3600) < 120
    panel.quickButtons["next_week"].click()
    chosen = datetime.fromtimestamp(panel.callbackEdit.dateTime().toSecsSinceEpoch())
    assert chosen.weekday() == 0 and chosen.hour == 9 and chosen.date() > now.date()
    assert panel.callbackCheck.isChecked()


def test_expiry_saves_default_with_typed_notes(
    qtbot: QtBot, qloop: asyncio.AbstractEventLoop, tmp_path: Path
) -> None:
    desk = open_desk(qtbot, qloop, tmp_path, wrapup_seconds=1)
    try:
        ref = add_party(desk.context, "Slow", "Typist", "+12025550603")
        _end_a_call(desk, "+12025550603")
        desk.window.wrapupPanel.notesEdit.setPlainText("typed so f")
        desk.wait(lambda: desk.controller.state.status.value == "available", timeout=4000)
        recent = desk.context.services.calls.recent_calls("alice")
        call = desk.context.services.calls.get_call(recent[0].id)
        assert (call.contact_id, call.disposition_code, call.notes) == (
            ref.id,
            "wrapup_expired",
            "typed so f",
        )
        assert call.answered_at is not None  # answered, so never "No answer"
        assert "default disposition" in desk.window.statusBar().currentMessage()
    finally:
        close_desk(desk)


def test_party_chosen_during_wrapup_links_the_call(desk: Desk) -> None:
    first = add_party(desk.context, "Two", "A", "+12025550604")
    add_party(desk.context, "Two", "B", "+12025550604")
    _end_a_call(desk, "+12025550604")
    desk.window.customerPanel.partyChosen.emit(PartyRef(first.kind, first.id))
    panel = desk.window.wrapupPanel
    panel.dispositionCombo.setCurrentIndex(panel.dispositionCombo.findData("resolved"))
    panel.saveButton.click()
    desk.wait(lambda: desk.controller.state.status.value == "available")
    recent = desk.context.services.calls.recent_calls("alice")
    assert recent[0].contact_id == first.id


def test_a_call_is_linked_to_one_of_the_callers_open_cases(desk: Desk) -> None:
    ref = add_party(desk.context, "Link", "Case", "+12025550609")
    sessions = desk.context.database.sessions
    made = create_case(sessions, CaseSpec("Router", ref.id), agent="alice", default_zone="UTC")
    _end_a_call(desk, "+12025550609")
    panel = desk.window.wrapupPanel
    desk.wait(lambda: panel.caseLinkCombo.count() == 2)
    assert panel.caseLinkCombo.itemText(1) == "Router"
    panel.caseCheck.setChecked(True)
    assert not panel.caseLinkCombo.isEnabled()  # a new case or a link, not both
    panel.caseCheck.setChecked(False)
    panel.dispositionCombo.setCurrentIndex(panel.dispositionCombo.findData("interested"))
    panel.caseLinkCombo.setCurrentIndex(1)
    panel.saveButton.click()
    desk.wait(lambda: desk.controller.state.status.value == "available")
    recent = desk.context.services.calls.recent_calls("alice")
    call = desk.context.services.calls.get_call(recent[0].id)
    assert call.case_id == made.id
