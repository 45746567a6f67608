"""Caller lookup on SQLite and PostgreSQL: formats, matches, histories, soft deletes."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterator
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from typing import Any

import pytest
from sqlalchemy import Engine, event, select
from sqlalchemy import text as sql
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.records import RecordService
from agentdesk.crm.lookup import raw_pg
from agentdesk.crm.lookup.caller import CallerLookup
from agentdesk.crm.models import (
    Account,
    Call,
    Callback,
    Contact,
    Disposition,
    Lead,
    Opportunity,
    PhoneRecord,
    ServiceCase,
)
from agentdesk.crm.party_details import PartyDetails, PartyRef
from agentdesk.db.engine import unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import (
    CallbackStatus,
    CallDirection,
    CasePriority,
    CaseStatus,
    OpportunityStage,
    OwnerKind,
    PhoneKind,
)
from agentdesk.domain.phone import InvalidPhoneNumber

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
NUMBER = "+12015550123"
DEFAULT_PHONES = ((NUMBER, "(201) 555-0123", PhoneKind.MOBILE),)


@pytest.fixture
def lookup(sessions: sessionmaker[Session]) -> Iterator[CallerLookup]:
    service = CallerLookup(sessions, "US", history_limit=3, clock=lambda: NOW)
    yield service
    service.close()


@pytest.fixture
def make_account(sessions: sessionmaker[Session]) -> Callable[..., uuid.UUID]:
    def make(name: str = "Acme Inc.", *, phone: str | None = None, **kw: Any) -> uuid.UUID:
        with unit_of_work(sessions) as s:
            account = Account(name=name, **kw)
            s.add(account)
            s.flush()
            if phone:
                s.add(
                    PhoneRecord(raw=phone, e164=phone, kind=PhoneKind.WORK, account_id=account.id)
                )
            return account.id

    return make


@pytest.fixture
def make_contact(sessions: sessionmaker[Session]) -> Callable[..., uuid.UUID]:
    def make(
        first: str = "Ada",
        last: str = "Lovelace",
        *,
        phones: tuple[tuple[str, str, PhoneKind], ...] = (
            (NUMBER, "(201) 555-0123", PhoneKind.MOBILE),
        ),
        **kw: Any,
    ) -> uuid.UUID:
        with unit_of_work(sessions) as s:
            contact = Contact(first_name=first, last_name=last, **kw)
            s.add(contact)
            s.flush()
            for e164, raw, kind in phones:
                s.add(PhoneRecord(raw=raw, e164=e164, kind=kind, contact_id=contact.id))
            return contact.id

    return make


@pytest.fixture
def make_lead(sessions: sessionmaker[Session]) -> Callable[..., uuid.UUID]:
    def make(
        first: str = "Grace", last: str = "Hopper", *, phone: str = NUMBER, **kw: Any
    ) -> uuid.UUID:
        with unit_of_work(sessions) as s:
            lead = Lead(first_name=first, last_name=last, **kw)
            s.add(lead)
            s.flush()
            s.add(PhoneRecord(raw=phone, e164=phone, kind=PhoneKind.MOBILE, lead_id=lead.id))
            return lead.id

    return make


@pytest.fixture
def make_call(sessions: sessionmaker[Session]) -> Callable[..., uuid.UUID]:
    def make(started_at: datetime, code: str | None = None, **kw: Any) -> uuid.UUID:
        with unit_of_work(sessions) as s:
            ensure_default_dispositions(s)
            disposition = (
                s.scalar(select(Disposition.id).where(Disposition.code == code)) if code else None
            )
            call = Call(
                direction=kw.pop("direction", CallDirection.INBOUND),
                started_at=started_at,
                disposition_id=disposition,
                remote_e164=NUMBER,
                **kw,
            )
            s.add(call)
            s.flush()
            return call.id

    return make


def _add(sessions: sessionmaker[Session], *rows: Any) -> list[uuid.UUID]:
    with unit_of_work(sessions) as s:
        s.add_all(rows)
        s.flush()
        return [row.id for row in rows]


@pytest.mark.parametrize("region", [None, "US"])
def test_every_awkward_spelling_finds_the_same_contact(
    lookup: CallerLookup, make_contact: Callable[..., uuid.UUID], region: str | None
) -> None:
    contact = make_contact()
    forms = [
        "(201) 555-0123",
        "201-555-0123",
        "201.555.0123",
        "201 555 0123",
        "2015550123",
        "1-201-555-0123",
        "+1 201 555 0123",
        "+1 (201) 555-0123",
        "+12015550123",
        "00 1 201 555 0123",
        "0012015550123",
        "011 1 201 555 0123",
        "tel:+1-201-555-0123",
        "tel:+1-201-555-0123;ext=42",
        "sip:+12015550123@pbx.example;user=phone",
        "  +1 201 555 0123\t",
        "＋１ ２０１ ５５５ ０１２３",
        "(２０１) ５５５-０１２３",
    ]
    for text in forms:
        result = lookup.lookup(text, region)
        assert result.number.e164 == NUMBER, text
        assert [m.id for m in result.matches] == [contact], text
    assert lookup.lookup("tel:+1-201-555-0123;ext=42").number.extension == "42"


def test_national_number_is_read_in_the_given_region(
    lookup: CallerLookup, make_contact: Callable[..., uuid.UUID]
) -> None:
    london = "+442079460018"
    contact = make_contact(phones=((london, "020 7946 0018", PhoneKind.WORK),))
    assert [m.id for m in lookup.lookup("020 7946 0018", "GB").matches] == [contact]
    assert [m.id for m in lookup.lookup("(020) 7946-0018", "gb").matches] == [contact]
    assert [m.id for m in lookup.lookup("+44 (0)20 7946 0018").matches] == [contact]
    assert [m.id for m in lookup.lookup("0044 20 7946 0018").matches] == [contact]


@pytest.mark.parametrize(
    ("text", "region", "e164"),
    [
        # A merely possible national reading must not beat the valid international one.
        ("0061 412 991 840", "AU", "+61412991840"),
        ("00852 2193 7288", "HK", "+85221937288"),
        ("011 44 20 7946 0018", "DE", "+442079460018"),
    ],
)
def test_idd_prefixed_caller_id_prefers_the_valid_number(
    lookup: CallerLookup,
    make_contact: Callable[..., uuid.UUID],
    text: str,
    region: str,
    e164: str,
) -> None:
    contact = make_contact(phones=((e164, text, PhoneKind.MOBILE),))
    result = lookup.lookup(text, region)
    assert result.number.e164 == e164
    assert [m.id for m in result.matches] == [contact]


def test_possible_but_unassigned_caller_id_is_accepted(
    lookup: CallerLookup, make_contact: Callable[..., uuid.UUID]
) -> None:
    contact = make_contact(phones=(("+19995550123", "+1 999 555 0123", PhoneKind.OTHER),))
    assert [m.id for m in lookup.lookup("(999) 555-0123").matches] == [contact]


def test_unknown_number_has_no_matches(
    lookup: CallerLookup, make_contact: Callable[..., uuid.UUID]
) -> None:
    make_contact()
    result = lookup.lookup("+1 201 555 0199")
    assert result.number.e164 == "+12015550199"
    assert result.matches == ()


@pytest.mark.parametrize("text", ["", "   ", "hello", "12", "+", "x" * 80, "sip:alice@example.com"])
def test_garbage_raises(lookup: CallerLookup, text: str) -> None:
    with pytest.raises(InvalidPhoneNumber):
        lookup.lookup(text)


def test_one_contact_with_company(
    lookup: CallerLookup,
    make_account: Callable[..., uuid.UUID],
    make_contact: Callable[..., uuid.UUID],
) -> None:
    account = make_account("Globex Ltd")
    contact = make_contact("伟", "王", account_id=account, country="CN")
    (match,) = lookup.lookup("201-555-0123").matches
    assert match.kind is OwnerKind.CONTACT
    assert match.id == contact
    assert match.name == "王伟"
    assert match.company == "Globex Ltd"
    assert match.phone_kind is PhoneKind.MOBILE
    assert match.last_contact_at is None
    assert match.history.last_calls == ()


def test_contact_lead_and_account_on_one_number_in_order(
    lookup: CallerLookup,
    make_account: Callable[..., uuid.UUID],
    make_contact: Callable[..., uuid.UUID],
    make_lead: Callable[..., uuid.UUID],
    make_call: Callable[..., uuid.UUID],
) -> None:
    account = make_account("Initech", phone=NUMBER)
    lead = make_lead(company="Prospect Co")
    older = make_contact("Old", "Caller", account_id=account)
    recent = make_contact("Recent", "Caller")
    never = make_contact("Never", "Called")
    make_call(NOW - timedelta(days=30), contact_id=older)
    make_call(NOW - timedelta(days=1), contact_id=recent)

    matches = lookup.lookup("(201) 555-0123").matches
    assert [(m.kind, m.id) for m in matches] == [
        (OwnerKind.CONTACT, recent),
        (OwnerKind.CONTACT, older),
        (OwnerKind.CONTACT, never),
        (OwnerKind.LEAD, lead),
        (OwnerKind.ACCOUNT, account),
    ]
    assert matches[0].last_contact_at == NOW - timedelta(days=1)
    assert matches[2].last_contact_at is None
    assert matches[1].company == "Initech"
    assert matches[3].name == "Grace Hopper"
    assert matches[3].company == "Prospect Co"
    assert matches[4].name == "Initech"
    assert matches[4].company is None
    assert matches[4].phone_kind is PhoneKind.WORK


def test_several_numbers_of_one_owner_match_once(
    lookup: CallerLookup, make_contact: Callable[..., uuid.UUID]
) -> None:
    contact = make_contact(
        phones=(
            (NUMBER, "(201) 555-0123", PhoneKind.WORK),
            (NUMBER, "+1 201 555 0123", PhoneKind.MOBILE),
            ("+12015550124", "201 555 0124", PhoneKind.HOME),
        )
    )
    matches = lookup.lookup(NUMBER).matches
    assert [m.id for m in matches] == [contact]
    assert matches[0].phone_kind is PhoneKind.WORK  # the first number entered


def test_contact_history_contents_and_order(
    sessions: sessionmaker[Session],
    lookup: CallerLookup,
    make_account: Callable[..., uuid.UUID],
    make_contact: Callable[..., uuid.UUID],
    make_call: Callable[..., uuid.UUID],
) -> None:
    account = make_account("Umbrella")
    contact = make_contact(account_id=account)
    colleague = make_contact("Col", "League", phones=(), account_id=account)
    stranger = make_contact("Str", "Anger", phones=(("+12015550155", "x", PhoneKind.WORK),))

    calls = [
        make_call(NOW - timedelta(days=d), code, contact_id=contact, account_id=account)
        for d, code in ((10, "no_answer"), (1, "sale"), (5, "callback"), (20, None), (30, "busy"))
    ]
    deleted_call = make_call(NOW, "sale", contact_id=contact, deleted_at=NOW)
    make_call(NOW, "sale", contact_id=stranger)
    make_call(NOW, "sale", contact_id=colleague, account_id=account)

    def case(subject: str, status: CaseStatus, priority: CasePriority, **kw: Any) -> ServiceCase:
        return ServiceCase(subject=subject, status=status, priority=priority, **kw)

    open_low, open_urgent, account_case, open_high_late, open_high_soon = _add(
        sessions,
        case("low", CaseStatus.IN_PROGRESS, CasePriority.LOW, contact_id=contact),
        case("urgent", CaseStatus.NEW, CasePriority.URGENT, contact_id=contact),
        case("account", CaseStatus.WAITING, CasePriority.NORMAL, account_id=account),
        case("high late", CaseStatus.IN_PROGRESS, CasePriority.HIGH, contact_id=contact,
             due_at=NOW + timedelta(days=3)),
        case("high soon", CaseStatus.IN_PROGRESS, CasePriority.HIGH, contact_id=contact,
             due_at=NOW + timedelta(hours=2)),
    )  # fmt: skip
    _add(
        sessions,
        case("closed", CaseStatus.CLOSED, CasePriority.URGENT, contact_id=contact),
        case("resolved", CaseStatus.RESOLVED, CasePriority.URGENT, account_id=account),
        case(
            "deleted",
            CaseStatus.IN_PROGRESS,
            CasePriority.URGENT,
            contact_id=contact,
            deleted_at=NOW,
        ),
        case("stranger", CaseStatus.IN_PROGRESS, CasePriority.URGENT, contact_id=stranger),
    )
    late_deal, soon_deal, undated_deal = _add(
        sessions,
        Opportunity(name="late", stage=OpportunityStage.PROPOSAL, account_id=account,
                    close_date=date(2026, 6, 1), amount=Decimal("1200.50")),
        Opportunity(name="soon", stage=OpportunityStage.PROSPECTING, contact_id=contact,
                    close_date=date(2026, 3, 10)),
        Opportunity(name="undated", stage=OpportunityStage.NEGOTIATION, account_id=account),
    )  # fmt: skip
    _add(
        sessions,
        Opportunity(name="won", stage=OpportunityStage.CLOSED_WON, account_id=account),
        Opportunity(name="lost", stage=OpportunityStage.CLOSED_LOST, contact_id=contact),
        Opportunity(name="other", stage=OpportunityStage.PROPOSAL, contact_id=stranger),
    )
    overdue, due_today, this_week = _add(
        sessions,
        Callback(due_at=NOW - timedelta(days=2), contact_id=contact, note="overdue"),
        Callback(due_at=NOW + timedelta(hours=3), contact_id=contact, note="today"),
        Callback(due_at=NOW + timedelta(days=6), contact_id=contact, note="this week"),
    )
    _add(
        sessions,
        Callback(due_at=NOW + timedelta(days=8), contact_id=contact, note="later"),
        Callback(due_at=NOW - timedelta(hours=1), contact_id=contact,
                 status=CallbackStatus.DONE, completed_at=NOW),
        Callback(due_at=NOW, contact_id=stranger),
        Callback(due_at=NOW, contact_id=contact, deleted_at=NOW),
    )  # fmt: skip

    (match,) = lookup.lookup(NUMBER).matches
    history = match.history
    assert [c.id for c in history.last_calls] == [calls[1], calls[2], calls[0]]  # limit 3
    assert deleted_call not in [c.id for c in history.last_calls]
    assert [c.disposition_code for c in history.last_calls] == ["sale", "callback", "no_answer"]
    assert history.last_calls[0].direction is CallDirection.INBOUND
    assert match.last_contact_at == NOW - timedelta(days=1)

    assert [c.id for c in history.open_cases] == [
        open_urgent, open_high_soon, open_high_late, account_case, open_low
    ]  # fmt: skip
    assert history.open_cases[0].status is CaseStatus.NEW
    assert history.open_cases[1].due_at == NOW + timedelta(hours=2)

    assert [o.id for o in history.open_opportunities] == [soon_deal, late_deal, undated_deal]
    assert history.open_opportunities[1].amount == Decimal("1200.50")
    assert history.open_opportunities[1].close_date == date(2026, 6, 1)
    assert history.open_opportunities[0].stage == OpportunityStage.PROSPECTING

    assert [c.id for c in history.due_callbacks] == [overdue, due_today, this_week]  # a week
    assert history.due_callbacks[0].note == "overdue"


def test_account_history_and_lead_history(
    sessions: sessionmaker[Session],
    lookup: CallerLookup,
    make_account: Callable[..., uuid.UUID],
    make_contact: Callable[..., uuid.UUID],
    make_lead: Callable[..., uuid.UUID],
    make_call: Callable[..., uuid.UUID],
) -> None:
    account = make_account("Hooli", phone="+12015550177")
    employee = make_contact(phones=(), account_id=account)
    lead = make_lead(phone="+12015550178")
    account_call = make_call(NOW - timedelta(hours=5), "info_given", account_id=account,
                             contact_id=employee)  # fmt: skip
    lead_call = make_call(NOW - timedelta(hours=6), "interested", lead_id=lead)
    (case_id,) = _add(sessions, ServiceCase(subject="s", account_id=account))
    (deal,) = _add(sessions, Opportunity(name="d", account_id=account))
    employee_cb, lead_cb = _add(
        sessions,
        Callback(due_at=NOW, contact_id=employee),
        Callback(due_at=NOW - timedelta(minutes=5), lead_id=lead),
    )

    (acc,) = lookup.lookup("201 555 0177").matches
    assert acc.kind is OwnerKind.ACCOUNT
    assert [c.id for c in acc.history.last_calls] == [account_call]
    assert [c.id for c in acc.history.open_cases] == [case_id]
    assert [o.id for o in acc.history.open_opportunities] == [deal]
    assert [c.id for c in acc.history.due_callbacks] == [employee_cb]

    (ld,) = lookup.lookup("201 555 0178").matches
    assert ld.kind is OwnerKind.LEAD
    assert [c.id for c in ld.history.last_calls] == [lead_call]
    assert ld.history.open_cases == ld.history.open_opportunities == ()
    assert [c.id for c in ld.history.due_callbacks] == [lead_cb]


def test_soft_deleted_records_are_excluded(
    sessions: sessionmaker[Session],
    lookup: CallerLookup,
    make_account: Callable[..., uuid.UUID],
    make_contact: Callable[..., uuid.UUID],
    make_lead: Callable[..., uuid.UUID],
) -> None:
    gone_account = make_account("Gone Corp", phone=NUMBER, deleted_at=NOW)
    kept = make_contact("Kept", "Contact", account_id=gone_account)
    make_contact("Deleted", "Contact", deleted_at=NOW)
    make_lead(deleted_at=NOW)
    with unit_of_work(sessions) as s:
        other = Contact(first_name="Old", last_name="Number")
        s.add(other)
        s.flush()
        s.add(PhoneRecord(raw="x", e164=NUMBER, contact_id=other.id, deleted_at=NOW))

    matches = lookup.lookup(NUMBER).matches
    assert [m.id for m in matches] == [kept]
    assert matches[0].company is None  # its account is deleted too


def test_history_is_read_in_a_fixed_number_of_queries(
    engine: Engine,
    lookup: CallerLookup,
    make_account: Callable[..., uuid.UUID],
    make_contact: Callable[..., uuid.UUID],
    make_lead: Callable[..., uuid.UUID],
) -> None:
    account = make_account("Initech", phone=NUMBER)
    for i in range(6):
        make_contact(f"C{i}", "X", account_id=account)
    make_lead()
    with _count_statements(engine) as statements:
        result = lookup.lookup(NUMBER)
    assert len(result.matches) == 8
    # SQLite: the owners, then every history of every match in one statement. PostgreSQL:
    # owners and histories together, one round trip.
    assert len(statements) == (1 if engine.dialect.name == "postgresql" else 2), statements
    with _count_statements(engine) as statements:
        assert lookup.lookup("+12015550100").matches == ()
    assert len(statements) == 1


def test_many_matches_are_read_in_batches(
    engine: Engine,
    lookup: CallerLookup,
    make_account: Callable[..., uuid.UUID],
    make_contact: Callable[..., uuid.UUID],
    make_call: Callable[..., uuid.UUID],
) -> None:
    account = make_account("Switchboard Inc", phone=NUMBER)
    contacts = [make_contact(f"C{i:02d}", "X", account_id=account) for i in range(40)]
    make_call(NOW - timedelta(days=2), "sale", contact_id=contacts[33])
    with _count_statements(engine) as statements:
        matches = lookup.lookup(NUMBER).matches
    # SQLite: owners, then 41 histories in batches of 16; PostgreSQL: one statement.
    assert len(statements) == (1 if engine.dialect.name == "postgresql" else 1 + 3)
    assert len(matches) == 41
    assert matches[0].id == contacts[33]  # the one called recently, from the third batch
    assert matches[0].last_contact_at == NOW - timedelta(days=2)
    assert matches[-1].id == account


class _Statements(list[str]):
    pass


class _count_statements:
    """Statements sent, through SQLAlchemy or on the driver's cursor (raw_pg.RawStatement,
    which SQLAlchemy's events do not see: its fetch is wrapped, and still runs)."""

    def __init__(self, engine: Engine) -> None:
        self._engine = engine
        self._seen = _Statements()
        self._fetch = raw_pg.RawStatement.fetch

    def _on_execute(self, _conn: Any, _cursor: Any, statement: str, *_args: Any) -> None:
        if not statement.lstrip().upper().startswith(("BEGIN", "ROLLBACK", "COMMIT", "SET ")):
            self._seen.append(statement)

    def __enter__(self) -> _Statements:
        event.listen(self._engine, "before_cursor_execute", self._on_execute)
        fetch, seen = self._fetch, self._seen

        def counted(raw: raw_pg.RawStatement, conn: Any, params: dict[str, Any]) -> list[Any]:
            seen.append(raw.sql)
            return fetch(raw, conn, params)

        raw_pg.RawStatement.fetch = counted  # type: ignore[method-assign]
        return self._seen

    def __exit__(self, *_exc: object) -> None:
        raw_pg.RawStatement.fetch = self._fetch  # type: ignore[method-assign]
        event.remove(self._engine, "before_cursor_execute", self._on_execute)


def test_lookup_keeps_its_connection_between_calls(
    engine: Engine, lookup: CallerLookup, make_contact: Callable[..., uuid.UUID]
) -> None:
    # A pooled checkout per lookup cost a pre-ping on PostgreSQL and, on SQLite, the
    # connection's prepared statements (re-preparing the history union was ~0.4 ms a lookup).
    ada = make_contact()
    for _ in range(3):
        assert [m.id for m in lookup.lookup(NUMBER).matches] == [ada]
    assert engine.pool.checkedout() == 1
    lookup.close()
    assert engine.pool.checkedout() == 0


@pytest.mark.parametrize("engine", ["postgresql"], indirect=True)
def test_postgres_lookup_survives_a_dropped_connection(
    engine: Engine, lookup: CallerLookup, make_contact: Callable[..., uuid.UUID]
) -> None:
    ada = make_contact()
    assert [m.id for m in lookup.lookup(NUMBER).matches] == [ada]
    # The server drops every other session (a restart, a failover, an admin's kill).
    with engine.connect() as admin:
        admin.execute(
            sql(
                "SELECT pg_terminate_backend(pid) FROM pg_stat_activity "
                "WHERE datname = current_database() AND pid <> pg_backend_pid()"
            )
        )
    engine.dispose()  # the pool's idle connections are dead too; the pinned one is retried
    assert [m.id for m in lookup.lookup(NUMBER).matches] == [ada]
    assert engine.pool.checkedout() == 1  # the lookup keeps its connection between calls
    lookup.close()
    assert engine.pool.checkedout() == 0


def test_postgres_statement_fits_psycopg_query_cache() -> None:
    # Longer statements are re-parsed by psycopg on every execution (~0.4 ms a lookup).
    from psycopg._queries import MAX_CACHED_STATEMENT_LENGTH
    from sqlalchemy.dialects import postgresql

    from agentdesk.crm.lookup.caller import _one_trip_statement

    compiled = _one_trip_statement().compile(dialect=postgresql.dialect())
    assert "POSTCOMPILE" not in str(compiled)  # no statement re-rendering per execution
    assert len(str(compiled).encode()) <= MAX_CACHED_STATEMENT_LENGTH


# -- one history, every path -------------------------------------------------------------------


def _parts(history: Any) -> dict[str, list[uuid.UUID]]:
    """A pop history or the panel's details, as the ids of each part in order."""
    if isinstance(history, PartyDetails):
        parts = (history.calls, history.cases, history.opportunities, history.callbacks)
    else:
        parts = (
            history.last_calls,
            history.open_cases,
            history.open_opportunities,
            history.due_callbacks,
        )
    return {
        name: [row.id for row in rows]
        for name, rows in zip(("calls", "cases", "opportunities", "callbacks"), parts, strict=True)
    }


@pytest.fixture
def make_history_world(
    sessions: sessionmaker[Session],
    make_account: Callable[..., uuid.UUID],
    make_contact: Callable[..., uuid.UUID],
    make_lead: Callable[..., uuid.UUID],
    make_call: Callable[..., uuid.UUID],
) -> Callable[[], dict[str, Any]]:
    """Four parties on one number (a contact of an account, a contact of a deleted account, a
    lead, the account) and history that exercises every rule; returns the ids by name."""

    def make() -> dict[str, Any]:
        acme = make_account("Acme", phone=NUMBER)
        gone = make_account("Gone", deleted_at=NOW)
        ada = make_contact("Ada", "A", account_id=acme)
        bob = make_contact("Bob", "B", account_id=gone)
        colleague = make_contact("Col", "C", phones=(), account_id=acme)
        lead = make_lead()
        ids: dict[str, Any] = {"acme": acme, "ada": ada, "bob": bob, "lead": lead}
        # Seven calls of Ada (two at the same moment), one deleted; calls of the account alone
        # and of her colleague are the account's, not hers.
        ids["ada_calls"] = [
            make_call(NOW - timedelta(days=d), "sale", contact_id=ada, account_id=acme)
            for d in (1, 3, 3, 9, 2, 20, 15)
        ]
        make_call(NOW, "sale", contact_id=ada, deleted_at=NOW)
        ids["acme_calls"] = [
            make_call(NOW - timedelta(hours=4), "busy", account_id=acme),
            make_call(NOW - timedelta(hours=5), None, account_id=acme, contact_id=colleague),
        ]
        ids["lead_calls"] = [make_call(NOW - timedelta(days=4), "interested", lead_id=lead)]

        def case(
            priority: CasePriority, status: CaseStatus = CaseStatus.IN_PROGRESS, **kw: Any
        ) -> Any:
            return ServiceCase(subject=priority.value, status=status, priority=priority, **kw)

        soon, late = NOW + timedelta(hours=2), NOW + timedelta(days=3)
        ids["cases"] = _add(
            sessions,
            case(CasePriority.LOW, contact_id=ada, due_at=soon),
            case(CasePriority.URGENT, CaseStatus.NEW, contact_id=ada, due_at=late),
            case(CasePriority.HIGH, account_id=acme),
            case(CasePriority.HIGH, contact_id=ada, due_at=late),
            case(CasePriority.HIGH, CaseStatus.WAITING, contact_id=ada, due_at=soon),
            case(CasePriority.NORMAL, account_id=acme, due_at=soon),
            case(CasePriority.URGENT, account_id=gone),  # a deleted account's: nobody's
            case(CasePriority.NORMAL, contact_id=bob),
        )
        _add(
            sessions,
            case(CasePriority.URGENT, CaseStatus.CLOSED, contact_id=ada),
            case(CasePriority.URGENT, CaseStatus.RESOLVED, account_id=acme),
            case(CasePriority.URGENT, contact_id=ada, deleted_at=NOW),
        )
        ids["deals"] = _add(
            sessions,
            Opportunity(name="undated", stage=OpportunityStage.PROPOSAL, account_id=acme),
            Opportunity(name="june", stage=OpportunityStage.NEGOTIATION, account_id=acme,
                        close_date=date(2026, 6, 1), amount=Decimal("10.00")),
            Opportunity(name="march", stage=OpportunityStage.PROSPECTING, contact_id=ada,
                        close_date=date(2026, 3, 10)),
            Opportunity(name="april", stage=OpportunityStage.PROPOSAL, contact_id=bob,
                        close_date=date(2026, 4, 1)),
        )  # fmt: skip
        _add(
            sessions,
            Opportunity(name="won", stage=OpportunityStage.CLOSED_WON, account_id=acme),
            Opportunity(name="lost", stage=OpportunityStage.CLOSED_LOST, contact_id=ada),
            Opportunity(name="gone", stage=OpportunityStage.PROPOSAL, account_id=gone),
        )
        ids["callbacks"] = _add(
            sessions,
            Callback(due_at=NOW + timedelta(days=6), contact_id=ada, note="in six days"),
            Callback(due_at=NOW - timedelta(days=2), contact_id=ada, note="overdue"),
            Callback(due_at=NOW + timedelta(hours=3), contact_id=ada, note="today"),
            Callback(due_at=NOW - timedelta(hours=1), contact_id=ada, note="late"),
            Callback(due_at=NOW + timedelta(hours=1), contact_id=colleague, note="colleague"),
            Callback(due_at=NOW, lead_id=lead, note="lead"),
            Callback(due_at=NOW + timedelta(days=5), lead_id=lead, note="lead, this week"),
        )
        _add(
            sessions,
            Callback(due_at=NOW + timedelta(days=8), contact_id=ada, note="past the horizon"),
            Callback(due_at=NOW - timedelta(hours=2), contact_id=ada,
                     status=CallbackStatus.DONE, completed_at=NOW),
            Callback(due_at=NOW, contact_id=ada, deleted_at=NOW),
            Callback(due_at=NOW + timedelta(days=7, minutes=1), lead_id=lead),
        )  # fmt: skip
        return ids

    return make


def _histories(
    sessions: sessionmaker[Session], limit: int | None, one_trip: bool | None
) -> dict[tuple[OwnerKind, uuid.UUID], dict[str, list[uuid.UUID]]]:
    limits = {} if limit is None else {"history_limit": limit, "open_items_limit": limit}
    lookup = CallerLookup(sessions, "US", one_trip=one_trip, clock=lambda: NOW, **limits)
    try:
        matches = lookup.lookup(NUMBER).matches
    finally:
        lookup.close()
    return {(m.kind, m.id): _parts(m.history) for m in matches}


def _panel(
    sessions: sessionmaker[Session], refs: Any, limit: int | None
) -> dict[tuple[OwnerKind, uuid.UUID], dict[str, list[uuid.UUID]]]:
    kw = {} if limit is None else {"history_limit": limit}
    records = RecordService(sessions, "US", clock=lambda: NOW, **kw)
    return {(kind, id_): _parts(records.details(PartyRef(kind, id_))) for kind, id_ in refs}


def test_every_history_path_gives_the_same_rows(
    engine: Engine, sessions: sessionmaker[Session], make_history_world: Callable[[], Any]
) -> None:
    w = make_history_world()
    calls, cases, deals, callbacks = w["ada_calls"], w["cases"], w["deals"], w["callbacks"]
    # Ada's three newest calls: 1 day ago, then the two at 2 and 3 days (ties by id, descending).
    tied = sorted([calls[1], calls[2]], reverse=True)
    expected = {
        (OwnerKind.CONTACT, w["ada"]): {
            "calls": [calls[0], calls[4], tied[0]],
            # urgent; high due soon, high due later, the account's undated high
            "cases": [cases[1], cases[4], cases[3]],
            "opportunities": [deals[2], deals[1], deals[0]],
            "callbacks": [callbacks[1], callbacks[3], callbacks[2]],
        },
        (OwnerKind.CONTACT, w["bob"]): {
            "calls": [],
            "cases": [cases[7]],  # not those of his deleted account
            "opportunities": [deals[3]],
            "callbacks": [],
        },
        (OwnerKind.LEAD, w["lead"]): {
            "calls": w["lead_calls"],
            "cases": [],
            "opportunities": [],
            "callbacks": [callbacks[5], callbacks[6]],  # due within the week
        },
        (OwnerKind.ACCOUNT, w["acme"]): {
            # Ada's calls were logged against the account too
            "calls": [*w["acme_calls"], calls[0]],
            "cases": [cases[2], cases[5]],
            "opportunities": [deals[1], deals[0]],
            "callbacks": [callbacks[1], callbacks[3], callbacks[4]],  # its people's
        },
    }
    portable = _histories(sessions, 3, one_trip=False)
    assert portable == expected
    assert _panel(sessions, expected, 3) == expected
    if engine.dialect.name == "postgresql":
        assert _histories(sessions, 3, one_trip=True) == expected
    else:
        with pytest.raises(ValueError, match="PostgreSQL"):
            CallerLookup(sessions, "US", one_trip=True)


def test_the_pop_shows_the_first_rows_of_the_panel(
    sessions: sessionmaker[Session], make_history_world: Callable[[], Any]
) -> None:
    make_history_world()
    pop = _histories(sessions, None, one_trip=None)  # the desk's defaults: 5 calls, 10 items
    panel = _panel(sessions, pop, None)  # the panel's default: 20 of each
    for party, parts in pop.items():
        for name, rows in parts.items():
            assert rows == panel[party][name][: len(rows)], (party, name)
    ada = next(parts for (kind, _id), parts in panel.items() if parts["calls"][6:])
    assert len(ada["calls"]) == 7  # the panel reads further back than the pop's five
    assert sorted(len(parts["calls"]) for parts in pop.values()) == [0, 1, 5, 5]
