"""Lead and account edits on both engines: version checks, two desks, audit, validation."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.records import EDITABLE_FIELDS, RecordService
from agentdesk.crm.field_checks import InvalidFieldError
from agentdesk.crm.lookup.caller import CallerLookup
from agentdesk.crm.models import Account, Contact, Disposition, Lead
from agentdesk.crm.party_details import PartyRef
from agentdesk.crm.party_records import EDITABLE
from agentdesk.crm.records_edit import RecordEditor
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import create_db_engine, session_factory, unit_of_work
from agentdesk.db.errors import RecordNotFoundError, RequestError, StaleRecordError
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import AuditAction, LeadStatus, OwnerKind, PhoneKind
from agentdesk.domain.labels import Label
from agentdesk.domain.phone import InvalidPhoneNumber
from agentdesk.org.models import User


@pytest.fixture
def second_sessions(engine: Engine) -> Iterator[sessionmaker[Session]]:
    """A second agent's desk: its own engine (own connections) on the same database."""
    other = create_db_engine(engine.url.render_as_string(hide_password=False))
    yield session_factory(other)
    other.dispose()


@pytest.fixture
def make_world(sessions: sessionmaker[Session]) -> Callable[[], dict[str, uuid.UUID]]:
    def make() -> dict[str, uuid.UUID]:
        with unit_of_work(sessions) as s:
            s.add_all(
                [User(username="ada", display_name="Ada"), User(username="bob", display_name="Bob")]
            )
            lead = Lead(first_name="Grace", last_name="Hopper", company="Navy", source="fair")
            account = Account(name="Analytical Engines Ltd", city="London", country="GB")
            contact = Contact(first_name="Charles", last_name="Babbage")
            s.add_all([lead, account, contact])
            s.flush()
            return {"lead": lead.id, "account": account.id, "contact": contact.id}

    return make


def _audits(sessions: sessionmaker[Session], record_id: uuid.UUID) -> list[AuditEntry]:
    with sessions() as s:
        return list(
            s.scalars(
                select(AuditEntry)
                .where(AuditEntry.entity_id == record_id)
                .order_by(AuditEntry.at, AuditEntry.id)
            )
        )


def test_a_lead_edit_bumps_the_version_and_is_audited(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    ids = make_world()
    editor = RecordEditor(sessions)
    shown = editor.get_lead(ids["lead"])
    assert (shown.version, shown.status) == (1, LeadStatus.NEW)
    saved = editor.update_lead(
        ids["lead"],
        shown.version,
        {"status": "qualified", "company": "  US Navy ", "source": "", "country": "us"},
        actor="ada",
    )
    assert (saved.version, saved.changed) == (2, frozenset({"leads"}))
    assert (saved.status, saved.company, saved.source, saved.country) == (
        LeadStatus.QUALIFIED,
        "US Navy",
        None,  # blank means "no value"
        "US",
    )
    stored = editor.get_lead(ids["lead"])
    assert (stored.version, stored.company, stored.status) == (2, "US Navy", LeadStatus.QUALIFIED)
    [entry] = _audits(sessions, ids["lead"])
    assert (entry.action, entry.actor, entry.entity_kind) == (AuditAction.UPDATE, "ada", "lead")
    assert entry.details == {
        "fields": ["company", "country", "source", "status"],
        "before": {"company": "Navy", "country": None, "source": "fair", "status": "new"},
    }


def test_two_desks_edit_the_same_lead_and_the_second_gets_the_stale_error(
    sessions: sessionmaker[Session],
    second_sessions: sessionmaker[Session],
    make_world: Callable[[], dict[str, uuid.UUID]],
) -> None:
    ids = make_world()
    desk_a, desk_b = RecordEditor(sessions), RecordEditor(second_sessions)
    shown_to_a = desk_a.get_lead(ids["lead"])
    shown_to_b = desk_b.get_lead(ids["lead"])

    desk_a.update_lead(ids["lead"], shown_to_a.version, {"company": "Remington Rand"}, actor="ada")
    with pytest.raises(StaleRecordError) as caught:
        desk_b.update_lead(ids["lead"], shown_to_b.version, {"company": "UNIVAC"}, actor="bob")
    error = caught.value
    assert (error.kind, error.expected_version, error.current_version) == ("lead", 1, 2)
    assert error.current["company"] == "Remington Rand"  # what B's panel shows instead
    assert "changed by someone else" in str(error)

    reloaded = desk_b.get_lead(ids["lead"])
    assert (reloaded.company, reloaded.version) == ("Remington Rand", 2)  # A's change survives
    retried = desk_b.update_lead(ids["lead"], reloaded.version, {"source": "referral"}, actor="bob")
    assert (retried.company, retried.source, retried.version) == ("Remington Rand", "referral", 3)
    assert [(a.actor, a.details["fields"]) for a in _audits(sessions, ids["lead"])] == [  # type: ignore[index]
        ("ada", ["company"]),
        ("bob", ["source"]),
    ]


def test_two_desks_edit_the_same_account(
    sessions: sessionmaker[Session],
    second_sessions: sessionmaker[Session],
    make_world: Callable[[], dict[str, uuid.UUID]],
) -> None:
    ids = make_world()
    desk_a, desk_b = RecordEditor(sessions), RecordEditor(second_sessions)
    saved = desk_a.update_account(
        ids["account"], 1, {"industry": "Computing", "website": "engines.example"}, actor="ada"
    )
    assert (saved.version, saved.changed, saved.industry) == (
        2,
        frozenset({"accounts"}),
        "Computing",
    )
    with pytest.raises(StaleRecordError) as caught:
        desk_b.update_account(ids["account"], 1, {"city": "Cambridge"}, actor="bob")
    assert caught.value.current["industry"] == "Computing"
    assert caught.value.current["city"] == "London"
    stored = desk_b.get_account(ids["account"])
    assert (stored.city, stored.industry, stored.website) == (
        "London",
        "Computing",
        "engines.example",
    )
    [entry] = _audits(sessions, ids["account"])
    assert entry.details == {
        "fields": ["industry", "website"],
        "before": {"industry": None, "website": None},
    }


def test_a_save_racing_between_read_and_write_is_caught(
    sessions: sessionmaker[Session],
    second_sessions: sessionmaker[Session],
    make_world: Callable[[], dict[str, uuid.UUID]],
) -> None:
    """Desk B commits after desk A's version check but before A's UPDATE reaches the row."""
    ids = make_world()
    desk_a, desk_b = RecordEditor(sessions), RecordEditor(second_sessions)

    def desk_b_saves_first(session: Session, *_: object) -> None:
        desk_b.update_account(ids["account"], 1, {"name": "Babbage & Co"}, actor="bob")

    event.listen(sessions, "before_flush", desk_b_saves_first, once=True)
    try:
        with pytest.raises(StaleRecordError) as caught:
            desk_a.update_account(ids["account"], 1, {"name": "Lovelace Ltd"})
    finally:
        event.remove(sessions, "before_flush", desk_b_saves_first)
    assert (caught.value.current_version, caught.value.current["name"]) == (2, "Babbage & Co")
    assert desk_a.get_account(ids["account"]).name == "Babbage & Co"
    assert len(_audits(sessions, ids["account"])) == 1  # A's audit rolled back with its edit


@pytest.mark.parametrize(
    ("kind", "changes", "message"),
    [
        ("lead", {"version": 7}, "cannot edit lead field"),
        ("lead", {"status": "hot"}, "unknown lead status 'hot'"),
        ("lead", {"country": "USA"}, "ISO 3166 two-letter country code"),
        ("lead", {"country": "1A"}, "ISO 3166 two-letter country code"),
        ("lead", {"country": "ZZ"}, "country 'ZZ' is not an ISO 3166 two-letter country code"),
        ("lead", {"email": "not-an-email"}, "email 'not-an-email' is not an e-mail address"),
        ("account", {"country": "UK"}, "country 'UK' is not an ISO 3166"),
        ("lead", {"email": "x" * 250 + "@e.example"}, "longer than 254"),
        ("account", {"name": "   "}, "name cannot be empty"),
        ("account", {"owner": "ada"}, "cannot edit account field"),
    ],
)
def test_invalid_edits_are_refused_before_the_database(
    sessions: sessionmaker[Session],
    make_world: Callable[[], dict[str, uuid.UUID]],
    kind: str,
    changes: dict[str, object],
    message: str,
) -> None:
    ids = make_world()
    editor = RecordEditor(sessions)
    update = editor.update_lead if kind == "lead" else editor.update_account
    with pytest.raises(RequestError, match=message):
        update(ids[kind], 1, changes)
    current = editor.get_lead(ids["lead"]) if kind == "lead" else editor.get_account(ids[kind])
    assert current.version == 1  # nothing written
    assert _audits(sessions, ids[kind]) == []


def test_a_deleted_lead_is_a_stale_edit_without_values(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    ids = make_world()
    with unit_of_work(sessions) as s:
        lead = s.get(Lead, ids["lead"])
        assert lead is not None
        lead.deleted_at = lead.created_at
    with pytest.raises(StaleRecordError, match="deleted") as caught:
        RecordEditor(sessions).update_lead(ids["lead"], 2, {"company": "x"})
    assert (caught.value.current_version, caught.value.current) == (None, {})


def test_the_record_service_saves_each_kind_with_the_same_contract(
    sessions: sessionmaker[Session],
    second_sessions: sessionmaker[Session],
    make_world: Callable[[], dict[str, uuid.UUID]],
) -> None:
    ids = make_world()
    desk_a, desk_b = RecordService(sessions, "US"), RecordService(second_sessions, "US")
    for kind, changes, field, value in (
        (OwnerKind.CONTACT, {"country": "gb", "title": " Inventor "}, "title", "Inventor"),
        (OwnerKind.LEAD, {"status": "contacted"}, "status", "contacted"),
        (OwnerKind.ACCOUNT, {"industry": "Engines"}, "industry", "Engines"),
    ):
        ref = PartyRef(kind, ids[kind.value])
        before = desk_b.details(ref)
        saved = desk_a.save_party(ref, before.version, changes, actor="ada")
        assert (saved.ref, saved.version) == (ref, before.version + 1)
        after = desk_b.details(ref)
        assert getattr(after, field) == value and after.version == saved.version
        with pytest.raises(StaleRecordError):
            desk_b.save_party(ref, before.version, {"notes": "mine"}, actor="bob")
        assert desk_b.details(ref).notes is None
    assert desk_a.details(PartyRef(OwnerKind.CONTACT, ids["contact"])).country == "GB"
    with pytest.raises(RequestError, match="two-letter"):
        desk_a.save_party(PartyRef(OwnerKind.CONTACT, ids["contact"]), 2, {"country": "GBR"})


@pytest.mark.parametrize(
    ("field", "value"),
    [("email", "not-an-email"), ("email", "zhaolei@yunduan"), ("country", "ZZ")],
)
def test_email_and_country_are_refused_with_the_field_named(
    sessions: sessionmaker[Session],
    make_world: Callable[[], dict[str, uuid.UUID]],
    field: str,
    value: str,
) -> None:
    """Invalid values were saved (issue 14): the refusal names the field for the form."""
    ids = make_world()
    desk = RecordService(sessions, "US")
    ref = PartyRef(OwnerKind.CONTACT, ids["contact"])
    with pytest.raises(InvalidFieldError) as caught:
        desk.save_party(ref, 1, {field: value, "title": "CTO"}, actor="ada")
    assert isinstance(caught.value, RequestError)
    assert (caught.value.field, caught.value.value) == (field, value)
    assert str(caught.value).startswith(f"{field} {value!r} is not")
    after = desk.details(ref)
    assert (after.version, after.title, after.email, after.country) == (1, None, None, None)
    assert _audits(sessions, ids["contact"]) == []


def test_valid_email_and_country_are_stored_clean(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    ids = make_world()
    desk = RecordService(sessions, "US")
    ref = PartyRef(OwnerKind.LEAD, ids["lead"])
    desk.save_party(ref, 1, {"email": " grace@navy.example ", "country": "de"}, actor="ada")
    after = desk.details(ref)
    assert (after.email, after.country) == ("grace@navy.example", "DE")
    with pytest.raises(InvalidFieldError, match="not an e-mail address"):
        desk.create_party(
            OwnerKind.CONTACT, first_name="Ada", last_name="", phone="+12025550188", email="x@y"
        )


def test_disposition_labels_include_retired_codes(sessions: sessionmaker[Session]) -> None:
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        s.add(Disposition(code="old_code", label="Old outcome", active=False))
    labels = RecordService(sessions, "US").disposition_labels()
    assert labels["no_answer"] == Label("No answer", "无人接听")
    assert labels["old_code"] == Label("Old outcome")


def test_phone_numbers_are_added_normalised_and_removed_at_the_version_seen(
    sessions: sessionmaker[Session],
    second_sessions: sessionmaker[Session],
    make_world: Callable[[], dict[str, uuid.UUID]],
) -> None:
    ids = make_world()
    desk_a, desk_b = RecordService(sessions, "GB"), RecordService(second_sessions, "GB")
    account = PartyRef(OwnerKind.ACCOUNT, ids["account"])
    phone_id = desk_a.add_phone(account, " 020 7946 0018 ", "mobile", actor="ada")
    [shown_to_a] = desk_a.details(account).phones
    assert (shown_to_a.id, shown_to_a.raw, shown_to_a.e164, shown_to_a.kind) == (
        phone_id,
        "020 7946 0018",
        "+442079460018",
        PhoneKind.MOBILE,
    )
    lookup = CallerLookup(sessions, "GB")
    assert [m.id for m in lookup.lookup("+44 20 7946 0018").matches] == [ids["account"]]

    with pytest.raises(RequestError, match=r"already has \+442079460018"):
        desk_b.add_phone(account, "+44 20 7946 0018", "work")
    with pytest.raises(InvalidPhoneNumber):
        desk_b.add_phone(account, "12", "work")
    with pytest.raises(RecordNotFoundError):
        desk_b.add_phone(PartyRef(OwnerKind.LEAD, uuid.uuid4()), "020 7946 0019", "work")

    [shown_to_b] = desk_b.details(account).phones
    desk_b.remove_phone(shown_to_b, actor="bob")
    with pytest.raises(StaleRecordError):
        desk_a.remove_phone(shown_to_a, actor="ada")  # B removed it first
    assert desk_a.details(account).phones == ()
    assert lookup.lookup("+442079460018").matches == ()
    assert [(a.action, a.actor) for a in _audits(sessions, phone_id)] == [
        (AuditAction.CREATE, "ada"),
        (AuditAction.DELETE, "bob"),
    ]
    # The same number can come back later: only live numbers count as duplicates.
    desk_a.add_phone(account, "020 7946 0018", "work")
    assert [p.kind for p in desk_a.details(account).phones] == [PhoneKind.WORK]


def test_the_desk_login_is_one_user_and_only_active_users_are_listed(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    make_world()
    with unit_of_work(sessions) as s:
        s.add(User(username="cy", display_name="Cy", active=False))
        s.add(User(username="dee", display_name="Dee", deleted_at=datetime.now(UTC)))
    records = RecordService(sessions, "US")
    eve = records.ensure_agent("eve", "Eve E.")
    assert records.ensure_agent("eve") == eve  # found by username, not created twice
    with sessions() as s:
        ada = s.scalars(select(User).where(User.username == "ada")).one()
        created = s.get(User, eve)
        assert created is not None and created.display_name == "Eve E."
    assert records.ensure_agent("ada") == ada.id
    assert records.ensure_agent("cy") is not None  # an inactive login keeps its row
    assert records.agent_usernames() == ("ada", "bob", "eve")


def test_the_form_edits_what_the_services_accept() -> None:
    for kind in OwnerKind:
        fields = EDITABLE_FIELDS[kind]
        assert set(fields) <= set(EDITABLE[kind])
        assert set(EDITABLE[kind]) - set(fields) <= {"account_id", "owner_id"}
    assert EDITABLE_FIELDS[OwnerKind.ACCOUNT] == (
        "name", "industry", "website", "city", "country", "notes"
    )  # fmt: skip


def test_a_record_created_for_a_caller_is_owned_and_audited(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    """Records created from the unknown-caller card had no owner and no audit entry (issue 14)."""
    ids = make_world()
    desk = RecordService(sessions, "US")
    lead = desk.create_party(
        OwnerKind.LEAD, first_name="New", last_name="Lead", phone="(202) 555-0190", actor="ada"
    )
    contact = desk.create_party(
        OwnerKind.CONTACT,
        first_name="Ada",
        last_name="Byron",
        phone="(202) 555-0191",
        company="Analytical Engines Ltd",  # an account that exists: joined, not created
        actor="bob",
    )
    with sessions() as s:
        users = {u.username: u.id for u in s.scalars(select(User))}
        lead_row, contact_row = s.get(Lead, lead.id), s.get(Contact, contact.id)
        assert lead_row is not None and contact_row is not None
        assert (lead_row.owner_id, contact_row.owner_id) == (users["ada"], users["bob"])
        assert contact_row.account_id == ids["account"]
    for ref, who, number in ((lead, "ada", "+12025550190"), (contact, "bob", "+12025550191")):
        [entry] = _audits(sessions, ref.id)
        assert (entry.action, entry.entity_kind, entry.user_id, entry.actor) == (
            AuditAction.CREATE,
            ref.kind.value,
            users[who],
            who,
        )
        assert entry.details == {"source": "caller", "e164": number}
    assert _audits(sessions, ids["account"]) == []
