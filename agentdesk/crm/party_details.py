"""A contact, lead or account as the customer panel shows it: fields, numbers and history.

The history follows the one rule set of :mod:`agentdesk.crm.lookup.history` (the screen pop's),
read with a larger limit and with the columns the panel shows (recordings, disposition labels,
amounts with their currency).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, FromClause, Select, Uuid, literal, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.lookup import history
from agentdesk.crm.models import Account, Contact, Lead, Opportunity, PhoneRecord, ServiceCase
from agentdesk.crm.party_records import OWNER_COLUMNS, PARTY_MODELS
from agentdesk.crm.permissions import acting_access, may_change
from agentdesk.crm.read_scope import history_rows, viewer_access
from agentdesk.db.base import SharedRecord
from agentdesk.db.versioning import get_live
from agentdesk.domain.enums import (
    CallDirection,
    CasePriority,
    CaseStatus,
    OwnerKind,
    PhoneKind,
)
from agentdesk.domain.labels import Label
from agentdesk.domain.names import display_name
from agentdesk.org.access import Access
from agentdesk.org.users import AgentRef


@dataclass(frozen=True, slots=True)
class PartyRef:
    """Which record a call is about."""

    kind: OwnerKind
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class PhoneView:
    """One phone number of a record, as entered and normalised."""

    raw: str
    e164: str
    kind: PhoneKind
    id: uuid.UUID | None = None
    version: int = 0


@dataclass(frozen=True, slots=True)
class TimelineCall:
    """A past call in the customer panel's timeline."""

    id: uuid.UUID
    started_at: datetime
    direction: str
    disposition: Label | None
    notes: str | None
    talk_seconds: float | None
    recording_path: str | None


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """An open case, an open opportunity or a pending callback.

    The UI words the codes (a case's status and priority, an opportunity's stage) in its
    language; ``detail`` is what needs no words (a callback's number)."""

    id: uuid.UUID
    title: str
    detail: str
    when: datetime | None
    status: CaseStatus | None = None
    priority: CasePriority | None = None
    stage: str | None = None
    amount: Decimal | None = None
    currency: str | None = None


@dataclass(frozen=True, slots=True)
class PartyDetails:
    """A contact, lead or account as the customer panel shows and edits it."""

    kind: OwnerKind
    id: uuid.UUID
    version: int
    name: str
    first_name: str | None
    last_name: str | None
    company: str | None
    title: str | None
    email: str | None
    city: str | None
    country: str | None
    notes: str | None
    phones: tuple[PhoneView, ...]
    calls: tuple[TimelineCall, ...]
    cases: tuple[TimelineItem, ...]
    opportunities: tuple[TimelineItem, ...]
    callbacks: tuple[TimelineItem, ...]
    status: str | None = None
    """A lead's status code (:class:`~agentdesk.domain.enums.LeadStatus`)."""
    source: str | None = None
    industry: str | None = None
    website: str | None = None
    editable: bool = True
    """Whether the viewer's role lets them change the record (the form is read-only if not)."""


def read_details(
    sessions: sessionmaker[Session],
    ref: PartyRef,
    *,
    limit: int,
    now: datetime,
    viewer: AgentRef | None = None,
) -> PartyDetails:
    """Everything the customer panel shows ``viewer`` of one record, with up to ``limit`` rows
    of each part of its history (as of ``now``).

    :class:`~agentdesk.db.errors.RecordNotFoundError` when it is gone, or when the viewer's
    role does not let them read it (what PostgreSQL's row policies answer too).
    """
    with sessions() as session:
        row = get_live(session, PARTY_MODELS[ref.kind], ref.id, ref.kind.value)
        editable = may_change(session, acting_access(session, viewer), row)
        readable = viewer_access(session, viewer)  # None: the row policies filter, or no one
        account = _account_of(session, row)
        column = getattr(PhoneRecord, OWNER_COLUMNS[ref.kind])
        phones = tuple(
            PhoneView(p.raw, p.e164, p.kind, p.id, p.version)
            for p in session.scalars(
                select(PhoneRecord)
                .where(column == ref.id, PhoneRecord.deleted_at.is_(None))
                .order_by(PhoneRecord.created_at)
            )
        )
        # The history counts a contact's account only while the account is not deleted.
        live_account = account.id if account is not None and account.deleted_at is None else None
        party = history.party_of(ref.kind, _id(ref.id), _id(live_account) if live_account else None)
        reader = _HistoryReader(session, party, history.limits(limit, limit, now), readable)
        return PartyDetails(
            kind=ref.kind,
            id=ref.id,
            version=row.version,
            phones=phones,
            calls=reader.calls(),
            cases=reader.cases(),
            opportunities=reader.opportunities(),
            callbacks=reader.callbacks(),
            editable=editable,
            **_names(row, account),
        )


def resolve_context(
    sessions: sessionmaker[Session], kind: str, record_text: str
) -> PartyRef | None:
    """The contact, lead or account an ``X-AgentDesk-Context`` names (a case or opportunity
    resolves to its contact, else its account); ``None`` when it does not exist."""
    record_id = uuid.UUID(record_text)
    with sessions() as session:
        if kind in ("contact", "lead", "account"):
            owner = OwnerKind(kind)
            row = session.get(PARTY_MODELS[owner], record_id)
            return PartyRef(owner, record_id) if row and row.deleted_at is None else None
        item: ServiceCase | Opportunity | None
        if kind == "case":
            item = session.get(ServiceCase, record_id)
        elif kind == "opportunity":
            item = session.get(Opportunity, record_id)
        else:
            return None
        if item is None or item.deleted_at is not None:
            return None
        if item.contact_id is not None:
            return PartyRef(OwnerKind.CONTACT, item.contact_id)
        if item.account_id is not None:
            return PartyRef(OwnerKind.ACCOUNT, item.account_id)
        return None


def _id(value: uuid.UUID) -> ColumnElement[Any]:
    return literal(value, Uuid())


class _HistoryReader:
    """The four parts of one party's history, each with the columns the panel shows."""

    def __init__(
        self,
        session: Session,
        party: history.Party,
        params: dict[str, Any],
        readable: Access | None,
    ) -> None:
        self._session = session
        self._party = party
        self._params = params
        self._readable = readable

    def _rows(self, stmt: Select[Any] | None, table: FromClause) -> Sequence[Any]:
        if stmt is None:
            return ()
        if self._readable is not None:  # WHERE, so still before the part's LIMIT
            stmt = stmt.where(history_rows(self._readable, table))
        return self._session.execute(stmt, self._params).all()

    def calls(self) -> tuple[TimelineCall, ...]:
        t = history.TABLES
        cl = t.calls.c
        columns = (cl.id, cl.started_at, cl.direction, t.dispositions.c.label,
                   t.dispositions.c.label_zh, cl.notes, cl.talk_seconds,
                   cl.recording_path)  # fmt: skip
        return tuple(
            TimelineCall(
                r.id,
                r.started_at,
                CallDirection(r.direction).value,
                None if r.label is None else Label(r.label, r.label_zh),
                r.notes,
                r.talk_seconds,
                r.recording_path,
            )
            for r in self._rows(history.calls_part(t, self._party, columns), t.calls)
        )

    def cases(self) -> tuple[TimelineItem, ...]:
        t = history.TABLES
        sc = t.cases.c
        columns = (sc.id, sc.subject, sc.status, sc.priority, sc.due_at)
        return tuple(
            TimelineItem(
                r.id,
                r.subject,
                "",
                r.due_at,
                status=CaseStatus(r.status),
                priority=CasePriority(r.priority),
            )
            for r in self._rows(history.cases_part(t, self._party, columns), t.cases)
        )

    def opportunities(self) -> tuple[TimelineItem, ...]:
        t = history.TABLES
        op = t.opportunities.c
        columns = (op.id, op.name, op.stage, op.amount, op.currency)
        return tuple(
            TimelineItem(
                r.id,
                r.name,
                "",
                None,
                stage=r.stage,
                amount=r.amount,
                currency=r.currency,
            )
            for r in self._rows(
                history.opportunities_part(t, self._party, columns), t.opportunities
            )
        )

    def callbacks(self) -> tuple[TimelineItem, ...]:
        t = history.TABLES
        cb = t.callbacks.c
        columns = (cb.id, cb.note, cb.phone_e164, cb.due_at)
        return tuple(
            TimelineItem(r.id, r.note or "", r.phone_e164 or "", r.due_at)
            for r in self._rows(history.callbacks_part(t, self._party, columns), t.callbacks)
        )


def _account_of(session: Session, row: SharedRecord) -> Account | None:
    account_id = row.account_id if isinstance(row, Contact) else None
    return session.get(Account, account_id) if account_id is not None else None


def _names(row: SharedRecord, account: Account | None) -> dict[str, Any]:
    """The record's own fields of :class:`PartyDetails`; ``account`` is a contact's."""
    if isinstance(row, Account):
        return {
            "name": row.name,
            "company": row.name,
            "industry": row.industry,
            "website": row.website,
            "first_name": None,
            "last_name": None,
            "title": None,
            "email": None,
            "city": row.city,
            "country": row.country,
            "notes": row.notes,
        }
    if not isinstance(row, Contact | Lead):
        raise TypeError(f"not a party: {type(row).__name__}")
    person = {
        "name": display_name(row.first_name, row.last_name, row.country),
        "first_name": row.first_name,
        "last_name": row.last_name,
        "email": row.email,
        "city": row.city,
        "country": row.country,
        "notes": row.notes,
    }
    if isinstance(row, Contact):
        return {**person, "company": account.name if account else None, "title": row.title}
    return {
        **person,
        "company": row.company,
        "title": None,
        "status": row.status.value,
        "source": row.source,
    }
