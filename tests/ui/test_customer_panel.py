"""Customer panel: details, click-to-dial, editing with optimistic concurrency, the timeline."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import UTC, datetime, timedelta
from decimal import Decimal

import pytest
from PySide6.QtWidgets import QComboBox, QLineEdit

from agentdesk.app.desk.events import ScreenPop
from agentdesk.app.desk.wrapup import WrapupForm
from agentdesk.app.records import RecordService
from agentdesk.calls.dto import CallFacts, WrapUp
from agentdesk.crm import ownership
from agentdesk.crm.field_checks import InvalidFieldError
from agentdesk.crm.models import Account, Lead, Opportunity, PhoneRecord
from agentdesk.crm.party_details import PartyRef
from agentdesk.crm.records_edit import RecordEditor
from agentdesk.db.engine import create_db_engine, session_factory
from agentdesk.domain.enums import CallDirection, OpportunityStage, OwnerKind, PhoneKind
from agentdesk.domain.labels import Label
from agentdesk.org.admin import add_user
from agentdesk.ui.desk.record_view import RecordView
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
    stored = RecordEditor(desk.context.database.sessions).get_contact(ref.id)
    assert stored.email == "edit@example.com" and stored.version == 2


def test_stale_edit_keeps_the_other_agents_change(desk: Desk) -> None:
    ref = add_party(desk.context, "Stale", "Edit", "+12025550502")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    # Another agent saves the city while this one edits the title and the city.
    calls = RecordEditor(desk.context.database.sessions)
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

    def wrapped_up() -> bool:
        # The call's row exists from the first ring (the journal): wait for the whole wrap-up
        # (callback and case too), not only a call in the history.
        d = view.details
        return d is not None and (len(d.calls), len(d.cases), len(d.callbacks)) == (1, 1, 1)

    desk.wait(wrapped_up)
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


@pytest.fixture
def other_agent(desk: Desk) -> Iterator[RecordService]:
    """A second agent's desk on the same database: its own engine and connections."""
    engine = create_db_engine(desk.context.database.engine.url)
    yield RecordService(session_factory(engine), "US")
    engine.dispose()


def _visible_fields(view: RecordView) -> list[str]:
    """The shown rows of the form, top to bottom."""
    rows = sorted((view.form.getWidgetPosition(w)[0], name) for name, w in view.fields.items())
    return [name for _, name in rows if view.form.isRowVisible(view.fields[name])]


def _add_account(desk: Desk, name: str, phone: str) -> PartyRef:
    with desk.context.database.sessions.begin() as session:
        account = Account(name=name, city="Oslo", country="NO")
        session.add(account)
        session.flush()
        session.add(PhoneRecord(raw=phone, e164=phone, kind=PhoneKind.WORK, account_id=account.id))
        return PartyRef(OwnerKind.ACCOUNT, account.id)


def test_each_kind_shows_its_own_fields(desk: Desk) -> None:
    view = desk.window.customerPanel.recordView
    contact = add_party(desk.context, "Form", "Contact", "+12025550505")
    _open(desk, contact)
    assert _visible_fields(view) == [
        "first_name",
        "last_name",
        "title",
        "email",
        "city",
        "country",
        "notes",
    ]
    lead = add_party(desk.context, "Form", "Lead", "+12025550506", kind=OwnerKind.LEAD)
    _open_other(desk, lead)
    assert _visible_fields(view) == [
        "first_name",
        "last_name",
        "company",
        "email",
        "status",
        "source",
        "city",
        "country",
        "notes",
    ]
    status = view.fields["status"]
    assert isinstance(status, QComboBox) and status.currentData() == "new"
    assert [status.itemText(i) for i in range(status.count())][:2] == ["New", "Contacted"]
    account = _add_account(desk, "Fjord Shipping", "+4722334455")
    _open_other(desk, account)
    assert _visible_fields(view) == ["name", "industry", "website", "city", "country", "notes"]
    assert view.current_values()["name"] == "Fjord Shipping"
    assert view.current_values()["country"] == "NO"
    assert view.saveButton.isEnabled()
    assert [b.text() for b in view.phoneButtons] == ["☎ +4722334455"]


def _open_other(desk: Desk, ref: PartyRef) -> None:
    panel = desk.window.customerPanel
    panel.show_party(ref)
    desk.wait(
        lambda: panel.recordView.details is not None and panel.recordView.details.id == ref.id
    )


def test_edit_and_save_a_lead(desk: Desk, other_agent: RecordService) -> None:
    ref = add_party(desk.context, "Lead", "Edit", "+12025550507", kind=OwnerKind.LEAD)
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    status = view.fields["status"]
    assert isinstance(status, QComboBox)
    status.setCurrentIndex(status.findData("qualified"))
    view.fields["company"].setText("Initech")  # type: ignore[union-attr]
    view.fields["source"].setText("trade fair")  # type: ignore[union-attr]
    view.saveButton.click()
    desk.wait(lambda: view.messageLabel.text() == "Saved.")
    stored = other_agent.details(ref)
    assert (stored.status, stored.company, stored.source, stored.version) == (
        "qualified",
        "Initech",
        "trade fair",
        2,
    )
    desk.wait(lambda: view.details is not None and view.details.version == 2)
    assert "Initech" in view.companyLabel.text()  # the header follows the saved record
    assert view.messageLabel.text() == "Saved."
    view.saveButton.click()
    assert view.messageLabel.text() == "Nothing changed."


def test_edit_and_save_an_account(desk: Desk, other_agent: RecordService) -> None:
    ref = _add_account(desk, "Fjord Shipping", "+4722334456")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    view.fields["name"].setText("Fjord Shipping AS")  # type: ignore[union-attr]
    view.fields["industry"].setText("Logistics")  # type: ignore[union-attr]
    view.saveButton.click()
    desk.wait(lambda: view.messageLabel.text() == "Saved.")
    stored = other_agent.details(ref)
    assert (stored.name, stored.industry, stored.city, stored.version) == (
        "Fjord Shipping AS",
        "Logistics",
        "Oslo",
        2,
    )
    desk.wait(lambda: view.nameLabel.text() == "Fjord Shipping AS")


def test_two_agents_edit_the_same_lead(desk: Desk, other_agent: RecordService) -> None:
    """The other agent saves first: this one gets the stale message and loses nothing."""
    ref = add_party(desk.context, "Twice", "Edited", "+12025550508", kind=OwnerKind.LEAD)
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    shown = other_agent.details(ref)
    other_agent.save_party(
        ref, shown.version, {"company": "Their Co", "status": "contacted"}, actor="bob"
    )
    view.fields["company"].setText("My Co")  # type: ignore[union-attr]
    view.fields["source"].setText("web form")  # type: ignore[union-attr]
    view.saveButton.click()
    desk.wait(lambda: "Someone else saved this record" in view.messageLabel.text())
    assert "'My Co'" in view.messageLabel.text()  # what this agent typed is still shown
    values = view.current_values()
    assert (values["company"], values["status"]) == ("Their Co", "contacted")
    assert values["source"] == "web form"  # the edit they did not touch is kept
    stored = other_agent.details(ref)
    assert (stored.company, stored.source, stored.version) == ("Their Co", None, 2)

    # Reloading shows the first agent's change; saving again applies the kept edit on top.
    desk.window.customerPanel.show_party(ref)
    desk.wait(lambda: view.details is not None and view.details.version == 2)
    assert view.current_values()["company"] == "Their Co"
    view.fields["source"].setText("web form")  # type: ignore[union-attr]
    view.saveButton.click()
    desk.wait(lambda: view.messageLabel.text() == "Saved.")
    stored = other_agent.details(ref)
    assert (stored.company, stored.status, stored.source, stored.version) == (
        "Their Co",
        "contacted",
        "web form",
        3,
    )


def test_stale_account_edit_merges_then_saves(desk: Desk, other_agent: RecordService) -> None:
    ref = _add_account(desk, "Merge AS", "+4722334457")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    other_agent.save_party(ref, 1, {"city": "Bergen"}, actor="bob")
    view.fields["website"].setText("merge.example")  # type: ignore[union-attr]
    view.saveButton.click()
    desk.wait(lambda: "Someone else saved" in view.messageLabel.text())
    assert "You had typed" not in view.messageLabel.text()  # no field clashed
    view.saveButton.click()
    desk.wait(lambda: view.messageLabel.text() == "Saved.")
    stored = other_agent.details(ref)
    assert (stored.city, stored.website, stored.version) == ("Bergen", "merge.example", 3)


def test_invalid_value_and_deleted_record_messages(desk: Desk, other_agent: RecordService) -> None:
    ref = add_party(desk.context, "Bad", "Country", "+12025550509", kind=OwnerKind.LEAD)
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    view.fields["country"].setText("1A")  # type: ignore[union-attr]
    view.saveButton.click()
    desk.wait(lambda: view.messageLabel.text().startswith("Not saved:"))
    assert "two-letter ISO country code" in view.messageLabel.text()
    assert other_agent.details(ref).version == 1
    with desk.context.database.sessions.begin() as session:
        lead = session.get(Lead, ref.id)
        assert lead is not None
        lead.deleted_at = lead.created_at
    view.fields["country"].setText("DE")  # type: ignore[union-attr]
    view.saveButton.click()
    desk.wait(lambda: "deleted this record" in view.messageLabel.text())
    assert not view.saveButton.isEnabled()


def test_the_pop_history_shows_disposition_labels(desk: Desk) -> None:
    ref = add_party(desk.context, "Pop", "Labels", "+12025550510")
    now = datetime.now(UTC)
    desk.context.services.calls.save_wrapup(
        WrapUp(
            disposition_code="no_answer",
            facts=CallFacts(
                direction=CallDirection.OUTBOUND,
                started_at=now - timedelta(minutes=5),
                ended_at=now - timedelta(minutes=4),
                remote_e164="+12025550510",
                agent="alice",
                contact_id=ref.id,
            ),
        )
    )
    view = desk.window.customerPanel.recordView
    desk.wait(lambda: view.dispositionLabels.get("no_answer") == Label("No answer", "无人接听"))
    [match] = desk.context.services.lookup.lookup("+12025550510").matches
    view.show_match(match)  # what the pop renders before the full record arrives
    calls = view.timeline.topLevelItem(0)
    assert calls is not None and calls.text(0) == "Calls (1)"
    assert calls.child(0).text(0) == "No answer"


def test_add_and_remove_phone_numbers(desk: Desk, other_agent: RecordService) -> None:
    ref = _add_account(desk, "Numbers AS", "+4722334458")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    view.newPhoneEdit.setText("(202) 555-0540")
    view.newPhoneKind.setCurrentIndex(view.newPhoneKind.findData("mobile"))
    view.addPhoneButton.click()
    desk.wait(lambda: len(view.phoneButtons) == 2)
    assert view.messageLabel.text() == "Number added." and view.newPhoneEdit.text() == ""
    assert [b.text() for b in view.phoneButtons] == ["☎ +4722334458", "☎ +12025550540"]
    assert "mobile" in view.phoneButtons[1].toolTip()
    [match] = desk.context.services.lookup.lookup("+12025550540").matches
    assert match.id == ref.id  # the next call from that number pops this account

    for typed, expected in (
        ("12", "Not a phone number:"),
        ("+1 202 555 0540", "already has +12025550540"),
    ):
        view.newPhoneEdit.setText(typed)
        view.addPhoneButton.click()
        desk.wait(lambda e=expected: e in view.messageLabel.text())  # type: ignore[misc]
    assert len(other_agent.details(ref).phones) == 2

    view.phoneRemoveActions[1].trigger()
    desk.wait(lambda: len(view.phoneButtons) == 1)
    assert view.messageLabel.text() == "Number removed."
    assert desk.context.services.lookup.lookup("+12025550540").matches == ()


def test_removing_a_number_someone_else_removed(desk: Desk, other_agent: RecordService) -> None:
    ref = _add_account(desk, "Gone AS", "+4722334459")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    [theirs] = other_agent.details(ref).phones
    other_agent.remove_phone(theirs, actor="bob")
    view.phoneRemoveActions[0].trigger()
    desk.wait(lambda: "Someone else changed or removed this number" in view.messageLabel.text())
    desk.wait(lambda: view.phoneButtons == [])  # reloaded: the numbers as they are now


def test_a_refresh_does_not_wipe_unsaved_edits(desk: Desk, other_agent: RecordService) -> None:
    ref = add_party(desk.context, "Keep", "Typing", "+12025550541")
    _open(desk, ref)
    panel = desk.window.customerPanel
    view = panel.recordView
    view.fields["title"].setText("CFO")  # type: ignore[union-attr]
    loads = view.details
    panel.refresh(frozenset({"calls"}))  # e.g. a wrap-up was saved meanwhile
    desk.wait(lambda: view.details is not loads)
    assert view.current_values()["title"] == "CFO"
    # Another agent saves meanwhile and a refresh comes in: still kept, and the save merges.
    other_agent.save_party(ref, 1, {"city": "Austin"}, actor="bob")
    loads = view.details
    panel.refresh(frozenset({"contacts"}))
    desk.wait(lambda: view.details is not loads)
    assert view.current_values()["title"] == "CFO"
    view.saveButton.click()
    desk.wait(lambda: "Someone else saved" in view.messageLabel.text())
    view.saveButton.click()
    desk.wait(lambda: view.messageLabel.text() == "Saved.")
    stored = other_agent.details(ref)
    assert (stored.title, stored.city, stored.version) == ("CFO", "Austin", 3)


def test_per_record_inputs_clear_when_another_record_opens(desk: Desk) -> None:
    """A number typed for one record must not wait, ready to add, on the next (issue 14)."""
    first = add_party(desk.context, "First", "Record", "+12025550542")
    second = add_party(desk.context, "Second", "Record", "+12025550543")
    panel = desk.window.customerPanel
    view = panel.recordView

    def type_for_this_record() -> None:
        view.newPhoneEdit.setText("(202) 555-0549")
        view.newPhoneKind.setCurrentIndex(view.newPhoneKind.findData("mobile"))
        view.fields["title"].setText("CFO")  # type: ignore[union-attr]

    def cleared() -> bool:
        return (view.newPhoneEdit.text(), view.newPhoneKind.currentData()) == ("", "work")

    _open(desk, first)
    type_for_this_record()
    loads = view.details
    panel.refresh(frozenset({"calls"}))  # the same record read again keeps what was typed
    desk.wait(lambda: view.details is not loads)
    assert view.newPhoneEdit.text() == "(202) 555-0549"

    _open(desk, second)  # a search result, a callback, the dialer's next entry...
    assert view.details is not None and view.details.id == second.id
    assert cleared() and view.current_values()["title"] == ""

    type_for_this_record()
    [match] = desk.context.services.lookup.lookup("+12025550542").matches
    panel.show_pop(ScreenPop("call-1", "sip-1", "+12025550542", (match,), match))  # a call
    assert cleared() and view.current_values()["title"] == ""
    desk.wait(lambda: view.details is not None and view.details.id == first.id)
    assert cleared()


def test_the_form_refuses_an_invalid_email_or_country_and_saves_nothing(
    desk: Desk, other_agent: RecordService
) -> None:
    """ "not-an-email" and "ZZ" were saved with "Saved." (issue 14)."""
    ref = add_party(desk.context, "Valid", "Values", "+12025550544")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    sent: list[object] = []
    view.saveRequested.connect(lambda *args: sent.append(args))
    email, country = view.fields["email"], view.fields["country"]
    assert isinstance(email, QLineEdit) and isinstance(country, QLineEdit)

    email.setText("not-an-email")
    view.saveButton.click()
    assert view.messageLabel.text() == (
        "Not saved: E-mail “not-an-email” is not an e-mail address (like name@example.com)."
    )
    email.setText("ok@example.com")
    country.setText("ZZ")
    view.saveButton.click()
    assert view.messageLabel.text() == (
        "Not saved: Country “ZZ” is not a two-letter ISO country code (such as US, CN, GB)."
    )
    assert sent == [] and other_agent.details(ref).version == 1

    country.setText("de")
    view.saveButton.click()
    desk.wait(lambda: view.messageLabel.text() == "Saved.")
    stored = other_agent.details(ref)
    assert (stored.email, stored.country, stored.version) == ("ok@example.com", "DE", 2)
    # A refusal by the service is worded at its field too.
    view.save_failed(InvalidFieldError("email", "zhaolei@yunduan", "email 'zhaolei@yunduan' ..."))
    assert view.messageLabel.text().startswith("Not saved: E-mail “zhaolei@yunduan” is not")


def test_a_record_the_role_cannot_change_opens_read_only(desk: Desk) -> None:
    """An agent reads every caller but changes only their own and the pool's (issue 13)."""
    sessions = desk.context.database.sessions
    add_user(sessions, "bob.other", name="Bob Other", role="agent")
    ref = add_party(desk.context, "Owned", "ByBob", "+12025550590")
    ownership.assign(sessions, "contacts", [ref.id], "bob.other")
    _open(desk, ref)
    view = desk.window.customerPanel.recordView
    assert view.details is not None and view.details.editable is False
    assert not view.saveButton.isEnabled() and not view.addPhoneButton.isEnabled()
    assert view.fields["email"].isReadOnly()  # type: ignore[union-attr]
    assert not any(action.isEnabled() for action in view.phoneRemoveActions)
    assert view.messageLabel.text() == (
        "You can read this record; your role does not allow changing it."
    )
    mine = add_party(desk.context, "Pool", "Record", "+12025550591")
    _open(desk, mine)
    desk.wait(lambda: view.details is not None and view.details.id == mine.id)
    assert view.saveButton.isEnabled() and not view.fields["email"].isReadOnly()  # type: ignore[union-attr]
