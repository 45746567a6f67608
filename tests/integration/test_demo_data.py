"""Demo data: bulk-loaded rows read back through the ORM exactly like ORM-written ones."""

from __future__ import annotations

import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

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
from agentdesk.db import migrate
from agentdesk.db.engine import create_db_engine, session_factory, sqlite_url, unit_of_work
from agentdesk.demo.generate import DemoSummary, generate
from agentdesk.demo.seed import DEFAULT_DISPOSITIONS
from agentdesk.domain.enums import CallbackStatus
from agentdesk.domain.phone import normalize
from agentdesk.org.models import Team, User

NOW = datetime(2026, 3, 2, 15, 30, tzinfo=UTC)
CONTACTS = 400


@pytest.fixture
def demo(engine: Engine) -> DemoSummary:
    return generate(engine, CONTACTS, seed=7, calls_per_contact=2, now=NOW)


def _count(session: Session, model: type) -> int:
    return session.scalar(select(func.count()).select_from(model)) or 0


def test_summary_matches_the_tables(demo: DemoSummary, sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        assert demo.contacts == _count(s, Contact) == CONTACTS
        assert demo.accounts == _count(s, Account) == CONTACTS // 5
        assert demo.leads == _count(s, Lead) > 0
        assert demo.phone_numbers == _count(s, PhoneRecord) > CONTACTS
        assert demo.opportunities == _count(s, Opportunity) > 0
        assert demo.cases == _count(s, ServiceCase) > 0
        assert demo.calls == _count(s, Call) >= CONTACTS * 2
        assert demo.callbacks == _count(s, Callback) > 0
        assert demo.users == _count(s, User) == 22
        assert _count(s, Team) == 1
        assert demo.dispositions == _count(s, Disposition) == len(DEFAULT_DISPOSITIONS)
    assert demo.seconds > 0


def test_bulk_rows_read_and_update_through_the_orm(
    demo: DemoSummary, sessions: sessionmaker[Session]
) -> None:
    with sessions() as s:
        contact = s.scalars(select(Contact).where(Contact.account_id.is_not(None)).limit(1)).one()
        assert isinstance(contact.id, uuid.UUID)
        assert contact.created_at.tzinfo is not None
        assert contact.created_at.utcoffset() == timedelta(0)
        assert contact.created_at <= NOW
        assert contact.version == 1
        account = s.get(Account, contact.account_id)  # Uuid keys compare equal to bulk ones
        assert account is not None
        call = s.scalars(select(Call).where(Call.disposition_id.is_not(None)).limit(1)).one()
        assert call.started_at < call.ended_at <= NOW
        assert s.get(Disposition, call.disposition_id) is not None
        deal = s.scalars(select(Opportunity).limit(1)).one()
        assert isinstance(deal.amount, Decimal)
        assert deal.amount == deal.amount.quantize(Decimal("0.01"))
        assert isinstance(deal.close_date, date)
        contact_id = contact.id
    # An optimistic-concurrency UPDATE matches the row by id and version as stored in bulk.
    with unit_of_work(sessions) as s:
        row = s.get(Contact, contact_id)
        assert row is not None
        row.notes = "edited"
    with sessions() as s:
        row = s.get(Contact, contact_id)
        assert row is not None
        assert (row.notes, row.version) == ("edited", 2)


def test_bulk_rows_are_stored_exactly_like_orm_rows(
    demo: DemoSummary, engine: Engine, sessions: sessionmaker[Session]
) -> None:
    with unit_of_work(sessions) as s:
        stamp = NOW.replace(microsecond=123456)  # PostgreSQL prints no zero microseconds
        orm_contact = Contact(first_name="Orm", last_name="Row", created_at=stamp, updated_at=stamp)
        s.add(orm_contact)
        s.flush()
        orm_id = orm_contact.id
    query = text(
        "SELECT id, created_at, typeof(id), typeof(created_at) FROM contacts "
        "WHERE first_name = 'Orm' OR id = (SELECT min(id) FROM contacts WHERE first_name <> 'Orm')"
    ) if engine.dialect.name == "sqlite" else text(
        "SELECT id::text, created_at::text, pg_typeof(id)::text, pg_typeof(created_at)::text "
        "FROM contacts WHERE first_name = 'Orm' "
        "OR id = (SELECT min(id::text)::uuid FROM contacts WHERE first_name <> 'Orm')"
    )  # fmt: skip
    with engine.connect() as conn:
        rows = conn.execute(query).all()
    assert len(rows) == 2
    shapes = set()
    for ident, created, id_type, created_type in rows:
        text_id = str(ident)
        # SQLite: 32 hex digits, naive "YYYY-MM-DD HH:MM:SS.ffffff"; PostgreSQL: uuid and
        # timestamptz. Either way both rows have one shape.
        shapes.add((len(text_id), text_id == text_id.lower(), len(str(created)), id_type,
                    created_type))  # fmt: skip
    assert len(shapes) == 1, rows
    if engine.dialect.name == "sqlite":
        assert shapes == {(32, True, 26, "text", "text")}
    with sessions() as s:
        assert s.get(Contact, orm_id) is not None


def test_phone_numbers_are_human_formats_of_valid_e164(
    demo: DemoSummary, sessions: sessionmaker[Session]
) -> None:
    with sessions() as s:
        rows = s.execute(
            select(PhoneRecord.raw, PhoneRecord.e164, PhoneRecord.extension, Contact.country)
            .join(Contact, Contact.id == PhoneRecord.contact_id)
        ).all()  # fmt: skip
    assert len(rows) > CONTACTS
    for raw, e164, extension, country in rows:
        parsed = normalize(raw, country)  # strict: every number is valid, as an import needs
        assert parsed.e164 == e164, raw
        assert parsed.extension == extension, raw
    # Shared numbers are switchboards (an account and a few of its people), never a crowd.
    with sessions() as s:
        shared = s.execute(
            select(PhoneRecord.e164, func.count()).group_by(PhoneRecord.e164)
            .having(func.count() > 1).order_by(func.count().desc())
        ).all()  # fmt: skip
    assert shared, "no shared numbers: multi-match screen pops need some"
    assert shared[0][1] <= 6, shared[:3]
    raws = [raw for raw, *_ in rows]
    assert any(raw.startswith("+") for raw in raws)
    assert any(raw.startswith("00") for raw in raws)
    assert any("(" in raw for raw in raws)
    assert any("-" in raw for raw in raws)
    numbers = [e164 for _r, e164, *_ in rows]
    for country_code in ("+1", "+44", "+86", "+49", "+33"):
        assert any(e164.startswith(country_code) for e164 in numbers), country_code


def test_people_names_cities_and_reference_data(
    demo: DemoSummary, sessions: sessionmaker[Session]
) -> None:
    with sessions() as s:
        people = s.execute(select(Contact.last_name, Contact.country, Contact.email)).all()
        defaults = s.scalars(select(Disposition.code).where(Disposition.is_default)).all()
        codes = set(s.scalars(select(Disposition.code)))
        callbacks = s.execute(select(Callback.due_at, Callback.status)).all()
    assert any("\u4e00" <= name[0] <= "\u9fff" for name, _c, _e in people)
    assert any(name.isascii() for name, _c, _e in people)
    assert len({country for _n, country, _e in people}) >= 4
    assert all(email and "@" in email and email.isascii() for _n, _c, email in people)
    assert len(defaults) == 1
    assert {"sale", "no_answer", "callback", "do_not_call", "voicemail"} <= codes
    pending = [due for due, status in callbacks if status is CallbackStatus.PENDING]
    assert any(due < NOW for due in pending)
    assert any(NOW < due < NOW + timedelta(days=1) for due in pending)


def test_lookup_finds_demo_callers(demo: DemoSummary, sessions: sessionmaker[Session]) -> None:
    with sessions() as s:
        rows = s.execute(
            select(PhoneRecord.raw, Contact.country, Contact.id)
            .join(Contact, Contact.id == PhoneRecord.contact_id)
            .limit(25)
        ).all()
    lookup = CallerLookup(sessions, "US", clock=lambda: NOW)
    for raw, country, contact_id in rows:
        assert contact_id in [m.id for m in lookup.lookup(raw, country).matches], raw


def test_same_seed_same_rows_and_a_second_run_adds_new_ids(
    demo: DemoSummary, engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    other = create_db_engine(sqlite_url(tmp_path / "again.db"))
    try:
        migrate.upgrade(other)
        generate(other, CONTACTS, seed=7, calls_per_contact=2, now=NOW)
        assert _people(session_factory(other)) == _people(sessions)
    finally:
        other.dispose()

    before = _people(sessions)
    more = generate(engine, 100, seed=7, calls_per_contact=1, now=NOW)
    assert (more.contacts, more.users, more.dispositions) == (100, 0, 0)
    after = _people(sessions)
    assert set(before) < set(after)
    assert len({row[0] for row in after}) == len({row[0] for row in before}) + 100
    with sessions() as s:
        assert _count(s, Contact) == CONTACTS + 100
        assert _count(s, Team) == 1


def _people(sessions: sessionmaker[Session]) -> list[tuple[object, ...]]:
    with sessions() as s:
        return [
            tuple(row)
            for row in s.execute(
                select(Contact.id, Contact.first_name, Contact.last_name, Contact.email,
                       PhoneRecord.e164, PhoneRecord.raw)
                .join(PhoneRecord, PhoneRecord.contact_id == Contact.id)
                .order_by(Contact.id, PhoneRecord.id)
            )
        ]  # fmt: skip
