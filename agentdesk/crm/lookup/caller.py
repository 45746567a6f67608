"""Caller lookup for the screen pop: who is calling, and what happened with them lately.

The number is normalised once and found by an indexed equality on ``phone_numbers.e164``; the
owners come back in the same statement (left joins on primary keys). The histories of every
match (calls, open cases, open opportunities, due callbacks) are then read with one statement
that unions one small ``ORDER BY ... LIMIT`` per match and kind, so each part walks an index
for a handful of rows whatever the size of the tables. An unknown number costs one query, up to
16 matches two (more take one more per 16): round trips and statement overhead, not the
database, dominate at this size. On PostgreSQL, where a round trip is dearer, owners and
histories come back in one statement over a connection the lookup keeps (see
:mod:`agentdesk.crm.lookup.raw_pg`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Date,
    Engine,
    Executable,
    Float,
    Integer,
    Numeric,
    Row,
    Select,
    String,
    Uuid,
    and_,
    bindparam,
    case,
    cast,
    literal_column,
    null,
    or_,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.lookup import raw_pg as lookup_pg
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
from agentdesk.db.base import Base, UtcDateTime, table_of
from agentdesk.db.pinned import PinnedConnections
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import (
    OPEN_CASE_STATUSES,
    OPEN_OPPORTUNITY_STAGES,
    CallbackStatus,
    CallDirection,
    CasePriority,
    CaseStatus,
    OpportunityStage,
    OwnerKind,
    PhoneKind,
)
from agentdesk.domain.names import display_name
from agentdesk.domain.phone import PhoneNumber, normalize

# Core tables rather than mapped classes: the screen pop needs a few columns, and plain Core
# selects skip the ORM's per-row entity work (this path has a 2 ms budget).
_phones = table_of(PhoneRecord)
_contacts = table_of(Contact)
_accounts = table_of(Account)
_leads = table_of(Lead)
_calls = table_of(Call)
_dispositions = table_of(Disposition)
_cases = table_of(ServiceCase)
_opportunities = table_of(Opportunity)
_callbacks = table_of(Callback)

HISTORY_BATCH = 16
"""Matches whose histories are read by one statement (more matches take more round trips)."""

CALLBACK_HORIZON = timedelta(days=1)
"""Callbacks due within this horizon (or overdue) are shown with the caller."""

_KIND_ORDER = {OwnerKind.CONTACT: 0, OwnerKind.LEAD: 1, OwnerKind.ACCOUNT: 2}
_PRIORITY_RANK = {
    CasePriority.URGENT.value: 0,
    CasePriority.HIGH.value: 1,
    CasePriority.NORMAL.value: 2,
    CasePriority.LOW.value: 3,
}


@dataclass(frozen=True, slots=True)
class CallSummary:
    """One earlier call with this caller, newest first in :class:`History`."""

    id: uuid.UUID
    started_at: datetime
    direction: CallDirection
    disposition_code: str | None
    notes: str | None
    talk_seconds: float | None


@dataclass(frozen=True, slots=True)
class CaseSummary:
    """An open service case (new, open or pending)."""

    id: uuid.UUID
    subject: str
    status: CaseStatus
    priority: CasePriority
    due_at: datetime | None


@dataclass(frozen=True, slots=True)
class OpportunitySummary:
    """An opportunity that is neither won nor lost yet."""

    id: uuid.UUID
    name: str
    stage: OpportunityStage
    amount: Decimal | None
    close_date: date | None


@dataclass(frozen=True, slots=True)
class CallbackSummary:
    """A pending callback that is overdue or due within :data:`CALLBACK_HORIZON`."""

    id: uuid.UUID
    due_at: datetime
    note: str | None
    agent_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class History:
    """What the agent should see at a glance when this record calls."""

    last_calls: tuple[CallSummary, ...] = ()
    open_cases: tuple[CaseSummary, ...] = ()
    open_opportunities: tuple[OpportunitySummary, ...] = ()
    due_callbacks: tuple[CallbackSummary, ...] = ()


@dataclass(frozen=True, slots=True)
class Match:
    """One record that owns the calling number."""

    kind: OwnerKind
    id: uuid.UUID
    name: str
    company: str | None
    phone_kind: PhoneKind
    last_contact_at: datetime | None
    history: History


@dataclass(frozen=True, slots=True)
class CallerMatch:
    """The normalised number and every record it belongs to (possibly none)."""

    number: PhoneNumber
    matches: tuple[Match, ...]


@dataclass(slots=True)
class _Owner:
    """A match while its history is being collected."""

    kind: OwnerKind
    id: uuid.UUID
    name: str
    company: str | None
    phone_kind: PhoneKind
    account_id: uuid.UUID | None = None  # a contact's account, whose cases and deals count too
    calls: list[CallSummary] = field(default_factory=list)
    cases: list[CaseSummary] = field(default_factory=list)
    opportunities: list[OpportunitySummary] = field(default_factory=list)
    callbacks: list[CallbackSummary] = field(default_factory=list)

    def sort_history(self) -> None:
        # A union of per-match parts comes back in no particular order.
        self.calls.sort(key=lambda call: (call.started_at, call.id), reverse=True)
        self.cases.sort(key=_case_order)
        self.opportunities.sort(key=_opportunity_order)
        self.callbacks.sort(key=lambda item: (item.due_at, item.id))

    def freeze(self) -> Match:
        return Match(
            kind=self.kind,
            id=self.id,
            name=self.name,
            company=self.company,
            phone_kind=self.phone_kind,
            last_contact_at=self.calls[0].started_at if self.calls else None,
            history=History(
                last_calls=tuple(self.calls),
                open_cases=tuple(self.cases),
                open_opportunities=tuple(self.opportunities),
                due_callbacks=tuple(self.callbacks),
            ),
        )


class CallerLookup:
    """Finds the contacts, leads and accounts behind a caller ID, with a short history.

    ``history_limit`` bounds the calls shown per match; ``open_items_limit`` bounds the open
    cases, opportunities and due callbacks per match. ``clock`` is for tests.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        default_region: str,
        *,
        history_limit: int = 5,
        open_items_limit: int = 10,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._default_region = default_region
        self._history_limit = history_limit
        self._open_limit = open_items_limit
        self._clock = clock
        bind = sessions.kw.get("bind")
        self._pinned = PinnedConnections(bind) if isinstance(bind, Engine) else None
        self._one_trip = self._pinned is not None and self._pinned.dialect == "postgresql"

    def close(self) -> None:
        """Return the connections kept for PostgreSQL lookups to the pool (also done when the
        lookup is garbage-collected)."""
        if self._pinned is not None:
            self._pinned.close()

    def lookup(self, text: str, region: str | None = None) -> CallerMatch:
        """Normalise ``text`` and return every non-deleted record that owns the number.

        Raises :class:`~agentdesk.domain.phone.InvalidPhoneNumber` for text that is not a
        possible phone number. Matches are ordered contacts, leads, accounts, and within a kind
        by most recent call first.
        """
        # Caller IDs may be merely possible numbers (ranges phonenumbers does not know yet).
        number = normalize(text, region or self._default_region, strict=False)
        found: list[_Owner]
        pinned = self._pinned
        if pinned is None:  # sessions bound to something other than an engine
            with self._sessions() as session:
                found = self._read_in_two(session.connection(), number.e164)
        elif self._one_trip:
            found = pinned.run(lambda conn: self._read_in_one_trip(conn, number.e164))
        else:
            found = pinned.run(lambda conn: self._read_in_two(conn, number.e164))
        matches = [owner.freeze() for owner in found]
        matches.sort(key=_match_order)
        return CallerMatch(number=number, matches=tuple(matches))

    def _limits(self) -> dict[str, Any]:
        return {
            "calls_limit": max(self._history_limit, 0),
            "open_limit": max(self._open_limit, 0),
            "horizon": self._clock() + CALLBACK_HORIZON,
        }

    def _read_owners(self, conn: Connection, e164: str) -> list[_Owner]:
        owners: dict[tuple[OwnerKind, uuid.UUID], _Owner] = {}
        for row in conn.execute(_OWNERS, {"e164": e164}):
            owner = _owner_from_row(row)
            if owner is not None:
                # Several numbers of one record match once; the oldest number's kind shows.
                owners.setdefault((owner.kind, owner.id), owner)
        return list(owners.values())

    def _read_in_two(self, conn: Connection, e164: str) -> list[_Owner]:
        """SQLite: the owners, then all their histories in one statement.

        On the pinned autocommit connection the two reads see different snapshots, which a
        screen pop can live with.
        """
        found = self._read_owners(conn, e164)
        # A switchboard shared by hundreds of contacts must not build one giant statement.
        for start in range(0, len(found), HISTORY_BATCH):
            self._load_histories(conn, found[start : start + HISTORY_BATCH])
        return found

    def _read_in_one_trip(self, conn: Connection, e164: str) -> list[_Owner]:
        """PostgreSQL: owners and histories from one statement (see :mod:`lookup_pg`)."""
        owners: dict[tuple[OwnerKind, uuid.UUID], tuple[int, _Owner]] = {}
        statement = _one_trip_raw(conn.dialect)
        for row in statement.fetch(conn, {"e164": e164, **self._limits()}):
            owner = _owner_from_row(row)
            if owner is None:
                continue
            ordinal, kept = owners.setdefault((owner.kind, owner.id), (row.ord, owner))
            # A record with several matching numbers shows up once per number; the history
            # of the oldest number's row is the one kept.
            if ordinal == row.ord and row.part is not None:
                _add_history(kept, row)
        found = [owner for _ordinal, owner in owners.values()]
        for owner in found:
            owner.sort_history()
        return found

    def _load_histories(self, conn: Connection, owners: list[_Owner]) -> None:
        shapes = tuple((owner.kind, owner.account_id is not None) for owner in owners)
        params = self._limits()
        for index, owner in enumerate(owners):
            params[f"id{index}"] = owner.id
            params[f"acc{index}"] = owner.account_id
        for row in conn.execute(_history_statement(shapes), params):
            _add_history(owners[row.m], row)
        for owner in owners:
            owner.sort_history()


def _add_history(owner: _Owner, row: Row[Any]) -> None:
    """One history row of the shared union shape onto its owner."""
    if row.part == _CALLS:
        owner.calls.append(
            CallSummary(
                id=row.id,
                started_at=row.ts,
                direction=CallDirection(row.s1),
                disposition_code=row.s2,
                notes=row.s3,
                talk_seconds=row.num,
            )
        )
    elif row.part == _CASES:
        owner.cases.append(
            CaseSummary(
                id=row.id,
                subject=row.s1,
                status=CaseStatus(row.s2),
                priority=CasePriority(row.s3),
                due_at=row.ts,
            )
        )
    elif row.part == _OPPORTUNITIES:
        owner.opportunities.append(
            OpportunitySummary(
                id=row.id,
                name=row.s1,
                stage=OpportunityStage(row.s2),
                amount=row.amount,
                close_date=row.day,
            )
        )
    else:
        owner.callbacks.append(
            CallbackSummary(id=row.id, due_at=row.ts, note=row.s1, agent_id=row.ref)
        )


# -- statements ------------------------------------------------------------------------------
# Built once and reused: building a select is several times dearer than running it here.


def _owners_statement() -> tuple[Select[Any], tuple[ColumnElement[Any], ...]]:
    """The owners of ``:e164`` (unordered), and the order they are shown in."""
    # Short aliases keep the PostgreSQL statement, which embeds this one, short (lookup_pg).
    contact_account = _accounts.alias("ca")
    p, c, a, ld = _phones.alias("p"), _contacts.alias("c"), _accounts.alias("a"), _leads.alias("l")
    return (
        select(
            p.c.kind,
            p.c.contact_id,
            p.c.account_id,
            p.c.lead_id,
            c.c.id.label("c_id"),
            c.c.first_name.label("c_first"),
            c.c.last_name.label("c_last"),
            c.c.country.label("c_country"),
            contact_account.c.id.label("c_account_id"),
            contact_account.c.name.label("c_company"),
            ld.c.id.label("l_id"),
            ld.c.first_name.label("l_first"),
            ld.c.last_name.label("l_last"),
            ld.c.country.label("l_country"),
            ld.c.company.label("l_company"),
            a.c.id.label("a_id"),
            a.c.name.label("a_name"),
        )
        .select_from(p)
        .outerjoin(c, and_(c.c.id == p.c.contact_id, c.c.deleted_at.is_(None)))
        .outerjoin(
            contact_account,
            and_(contact_account.c.id == c.c.account_id, contact_account.c.deleted_at.is_(None)),
        )
        .outerjoin(ld, and_(ld.c.id == p.c.lead_id, ld.c.deleted_at.is_(None)))
        .outerjoin(a, and_(a.c.id == p.c.account_id, a.c.deleted_at.is_(None)))
        .where(p.c.e164 == bindparam("e164"), p.c.deleted_at.is_(None))
    ), (p.c.created_at, p.c.id)


_OWNERS_UNORDERED, _OWNERS_ORDER = _owners_statement()
_OWNERS = _OWNERS_UNORDERED.order_by(*_OWNERS_ORDER)

_Shape = tuple[OwnerKind, bool]  # owner kind, and whether a contact has an account

# Every history part selects the same columns so that all of them travel in one UNION ALL (one
# round trip instead of four). Strings are plain String here: a status Enum type on the first
# branch would otherwise try to read every other branch's text as that enum.
_CALLS, _CASES, _OPPORTUNITIES, _CALLBACKS = range(4)
_COLUMN_TYPES: dict[str, Any] = {
    "id": Uuid(),
    "ts": UtcDateTime(),
    "s1": String(),
    "s2": String(),
    "s3": String(),
    "num": Float(),
    "amount": Numeric(14, 2),
    "day": Date(),
    "ref": Uuid(),
}


def _columns(index: int, part: int, **values: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    return [literal_column(str(index)).label("m"), *_shape(part, **values)]


def _shape(part: int, **values: ColumnElement[Any]) -> list[ColumnElement[Any]]:
    """One history part's select list: its number, then every shared column, typed."""
    columns: list[ColumnElement[Any]] = [literal_column(str(part)).label("part")]
    for name, type_ in _COLUMN_TYPES.items():
        value = values.get(name)
        # A typed NULL: PostgreSQL reads an untyped NULL in a subquery as text, which then
        # does not UNION with timestamptz or uuid.
        expr = cast(null(), type_) if value is None else type_coerce(value, type_)
        columns.append(expr.label(name))
    return columns


def _calls_part(index: int, kind: OwnerKind, _has_account: bool) -> Select[Any] | None:
    column = {
        OwnerKind.CONTACT: _calls.c.contact_id,
        OwnerKind.ACCOUNT: _calls.c.account_id,
        OwnerKind.LEAD: _calls.c.lead_id,
    }[kind]
    cl = _calls.c
    return (
        select(
            *_columns(
                index,
                _CALLS,
                id=cl.id,
                ts=cl.started_at,
                s1=cl.direction,
                s2=_dispositions.c.code,
                s3=cl.notes,
                num=cl.talk_seconds,
            )
        )
        .select_from(_calls)
        .outerjoin(_dispositions, _dispositions.c.id == cl.disposition_id)
        .where(column == bindparam(f"id{index}"), cl.deleted_at.is_(None))
        .order_by(cl.started_at.desc(), cl.id.desc())
        .limit(bindparam("calls_limit", type_=Integer))
    )


def _account_scope(
    index: int,
    kind: OwnerKind,
    has_account: bool,
    contact_column: ColumnElement[Any],
    account_column: ColumnElement[Any],
) -> ColumnElement[bool] | None:
    """Rows of a contact (plus its account's), or of an account; leads have none."""
    if kind is OwnerKind.CONTACT:
        own = contact_column == bindparam(f"id{index}")
        return or_(own, account_column == bindparam(f"acc{index}")) if has_account else own
    if kind is OwnerKind.ACCOUNT:
        return account_column == bindparam(f"id{index}")
    return None


def _cases_part(index: int, kind: OwnerKind, has_account: bool) -> Select[Any] | None:
    sc = _cases.c
    scope = _account_scope(index, kind, has_account, sc.contact_id, sc.account_id)
    if scope is None:
        return None
    rank = case(_PRIORITY_RANK, value=sc.priority, else_=len(_PRIORITY_RANK))
    return (
        select(
            *_columns(
                index, _CASES, id=sc.id, ts=sc.due_at, s1=sc.subject, s2=sc.status, s3=sc.priority
            )
        )
        .where(
            scope,
            sc.status.in_([lookup_pg.constant(s.value) for s in OPEN_CASE_STATUSES]),
            sc.deleted_at.is_(None),
        )
        .order_by(rank, sc.due_at.asc().nulls_last(), sc.id)
        .limit(bindparam("open_limit", type_=Integer))
    )


def _opportunities_part(index: int, kind: OwnerKind, has_account: bool) -> Select[Any] | None:
    o = _opportunities.c
    scope = _account_scope(index, kind, has_account, o.contact_id, o.account_id)
    if scope is None:
        return None
    return (
        select(
            *_columns(
                index,
                _OPPORTUNITIES,
                id=o.id,
                s1=o.name,
                s2=o.stage,
                amount=o.amount,
                day=o.close_date,
            )
        )
        .where(
            scope,
            o.stage.in_([lookup_pg.constant(s.value) for s in OPEN_OPPORTUNITY_STAGES]),
            o.deleted_at.is_(None),
        )
        .order_by(o.close_date.asc().nulls_last(), o.id)
        .limit(bindparam("open_limit", type_=Integer))
    )


def _callbacks_part(index: int, kind: OwnerKind, _has_account: bool) -> Select[Any] | None:
    cb = _callbacks.c
    owner: BindParameter[Any] = bindparam(f"id{index}")
    scope: ColumnElement[bool]
    if kind is OwnerKind.CONTACT:
        scope = cb.contact_id == owner
    elif kind is OwnerKind.LEAD:
        scope = cb.lead_id == owner
    else:
        # Callbacks hang off people; an account's are those of its contacts.
        scope = cb.contact_id.in_(
            select(_contacts.c.id).where(
                _contacts.c.account_id == owner, _contacts.c.deleted_at.is_(None)
            )
        )
    return (
        select(*_columns(index, _CALLBACKS, id=cb.id, ts=cb.due_at, s1=cb.note, ref=cb.agent_id))
        .where(
            scope,
            cb.status == CallbackStatus.PENDING.value,
            cb.due_at <= bindparam("horizon", type_=UtcDateTime()),
            cb.deleted_at.is_(None),
        )
        .order_by(cb.due_at, cb.id)
        .limit(bindparam("open_limit", type_=Integer))
    )


_PART_BUILDERS: tuple[Callable[[int, OwnerKind, bool], Select[Any] | None], ...] = (
    _calls_part,
    _cases_part,
    _opportunities_part,
    _callbacks_part,
)


@lru_cache(maxsize=1)
def _one_trip_statement() -> Select[Any]:
    return lookup_pg.build_statement(
        _OWNERS_UNORDERED,
        _OWNERS_ORDER,
        dict(Base.metadata.tables),
        _COLUMN_TYPES,
        _PRIORITY_RANK,
        (_CALLS, _CASES, _OPPORTUNITIES, _CALLBACKS),
    )


@lru_cache(maxsize=4)
def _one_trip_raw(dialect: Dialect) -> lookup_pg.RawStatement:
    return lookup_pg.RawStatement.compile(_one_trip_statement(), dialect)


@lru_cache(maxsize=512)
def _history_statement(shapes: tuple[_Shape, ...]) -> Executable:
    """All history of all matches in one statement: per-match, per-kind ``ORDER BY ... LIMIT``
    parts glued by UNION ALL, each part a short walk down one index."""
    parts = [
        stmt
        for index, (kind, has_account) in enumerate(shapes)
        for build in _PART_BUILDERS
        if (stmt := build(index, kind, has_account)) is not None
    ]
    # A part keeps its own ORDER BY/LIMIT only as a subquery (SQLite and PostgreSQL agree).
    return union_all(*(select(part.subquery()) for part in parts))


def _owner_from_row(row: Row[Any]) -> _Owner | None:
    phone_kind = PhoneKind(row.kind)
    if row.contact_id is not None:
        if row.c_id is None:  # the contact is soft-deleted
            return None
        return _Owner(
            kind=OwnerKind.CONTACT,
            id=row.c_id,
            name=display_name(row.c_first, row.c_last, row.c_country),
            company=row.c_company,
            phone_kind=phone_kind,
            account_id=row.c_account_id,
        )
    if row.lead_id is not None:
        if row.l_id is None:
            return None
        return _Owner(
            kind=OwnerKind.LEAD,
            id=row.l_id,
            name=display_name(row.l_first, row.l_last, row.l_country),
            company=row.l_company,
            phone_kind=phone_kind,
        )
    if row.a_id is None:
        return None
    return _Owner(
        kind=OwnerKind.ACCOUNT,
        id=row.a_id,
        name=row.a_name,
        company=None,
        phone_kind=phone_kind,
    )


_EPOCH = datetime.min.replace(tzinfo=UTC)


def _match_order(match: Match) -> tuple[int, float, str, str]:
    recency = -(match.last_contact_at - _EPOCH).total_seconds() if match.last_contact_at else 0.0
    return (_KIND_ORDER[match.kind], recency, match.name.casefold(), str(match.id))


def _case_order(item: CaseSummary) -> tuple[int, bool, datetime, str]:
    due = item.due_at or _EPOCH
    return (_PRIORITY_RANK[item.priority.value], item.due_at is None, due, str(item.id))


def _opportunity_order(item: OpportunitySummary) -> tuple[bool, date, str]:
    return (item.close_date is None, item.close_date or date.min, str(item.id))
