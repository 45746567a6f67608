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
from datetime import UTC, datetime
from functools import lru_cache
from typing import Any

from sqlalchemy import (
    BindParameter,
    ColumnElement,
    Connection,
    Engine,
    Executable,
    Select,
    and_,
    bindparam,
    cast,
    literal_column,
    null,
    select,
    type_coerce,
    union_all,
)
from sqlalchemy.engine import Dialect
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.lookup import history, raw_pg
from agentdesk.crm.lookup.pop_rows import (
    COLUMN_TYPES,
    PART_TABLES,
    PARTS,
    CollectedMatch,
    match_from_row,
    part_values,
)
from agentdesk.crm.lookup.summaries import (
    CallerMatch,
    Match,
)
from agentdesk.crm.models import Account, Contact, Lead, PhoneRecord
from agentdesk.crm.read_scope import (
    history_rows,
    party_scope,
    row_policies_apply,
    viewer_access,
)
from agentdesk.db.base import table_of
from agentdesk.db.pinned import PinnedConnections
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import OwnerKind
from agentdesk.domain.phone import PhoneNumber, normalize
from agentdesk.org.access import Access
from agentdesk.org.users import AgentRef

# Core tables rather than mapped classes: the screen pop needs a few columns, and plain Core
# selects skip the ORM's per-row entity work (this path has a 2 ms budget).
_phones = table_of(PhoneRecord)
_contacts = table_of(Contact)
_accounts = table_of(Account)
_leads = table_of(Lead)

HISTORY_BATCH = 16
"""Matches whose histories are read by one statement (more matches take more round trips)."""

_KIND_ORDER = {OwnerKind.CONTACT: 0, OwnerKind.LEAD: 1, OwnerKind.ACCOUNT: 2}


class CallerLookup:
    """Finds the contacts, leads and accounts behind a caller ID, with a short history.

    ``history_limit`` bounds the calls shown per match; ``open_items_limit`` bounds the open
    cases, opportunities and due callbacks per match. ``one_trip`` chooses the single-statement
    read (``None``: where the engine has it, PostgreSQL); both reads give the same matches.
    ``clock`` is for tests.
    """

    def __init__(
        self,
        sessions: sessionmaker[Session],
        default_region: str,
        *,
        history_limit: int = 5,
        open_items_limit: int = 10,
        one_trip: bool | None = None,
        clock: Callable[[], datetime] = utcnow,
    ) -> None:
        self._sessions = sessions
        self._default_region = default_region
        self._history_limit = history_limit
        self._open_limit = open_items_limit
        self._clock = clock
        self._policies: bool | None = None
        bind = sessions.kw.get("bind")
        self._pinned = PinnedConnections(bind) if isinstance(bind, Engine) else None
        has_one_trip = self._pinned is not None and self._pinned.dialect == "postgresql"
        if one_trip and not has_one_trip:
            raise ValueError("the one-trip read needs a PostgreSQL engine")
        self._one_trip = has_one_trip if one_trip is None else one_trip

    def close(self) -> None:
        """Return the connections kept for PostgreSQL lookups to the pool (also done when the
        lookup is garbage-collected)."""
        if self._pinned is not None:
            self._pinned.close()

    def lookup(
        self, text: str, region: str | None = None, *, viewer: AgentRef | None = None
    ) -> CallerMatch:
        """Normalise ``text`` and return every non-deleted record that owns the number and
        ``viewer`` may read (``None``: every one; see :mod:`agentdesk.crm.read_scope`).

        Raises :class:`~agentdesk.domain.phone.InvalidPhoneNumber` for text that is not a
        possible phone number. Matches are ordered contacts, leads, accounts, and within a kind
        by most recent call first.
        """
        # Caller IDs may be merely possible numbers (ranges phonenumbers does not know yet).
        number = normalize(text, region or self._default_region, strict=False)
        found: list[CollectedMatch]
        pinned = self._pinned
        if viewer is not None and not self._row_policies_apply():
            return self._lookup_for(viewer, number)
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

    def _lookup_for(self, viewer: AgentRef, number: PhoneNumber) -> CallerMatch:
        """The lookup where no row policy filters (SQLite, the owner's connection acting for
        ``viewer``): the parties and the history rows the viewer's role reads, with the
        history statement built for them (a filter on each part, before its limit)."""
        with self._sessions() as session:
            access = viewer_access(session, viewer)
            conn = session.connection()
            found = self._read_owners(conn, number.e164)
            scope = party_scope(access)
            if scope is not None:
                readable = scope.readable(session, ((m.kind, m.id) for m in found))
                found = [m for m in found if (m.kind, m.id) in readable]
            for start in range(0, len(found), HISTORY_BATCH):
                self._load_histories(conn, found[start : start + HISTORY_BATCH], access)
        matches = sorted((owner.freeze() for owner in found), key=_match_order)
        return CallerMatch(number=number, matches=tuple(matches))

    def _row_policies_apply(self) -> bool:
        # Fixed by the engine's login: asked once, never on a screen pop's path after that.
        if self._policies is None:
            with self._sessions() as session:
                self._policies = row_policies_apply(session)
        return self._policies

    def _limits(self) -> dict[str, Any]:
        return history.limits(self._history_limit, self._open_limit, self._clock())

    def _read_owners(self, conn: Connection, e164: str) -> list[CollectedMatch]:
        owners: dict[tuple[OwnerKind, uuid.UUID], CollectedMatch] = {}
        for row in conn.execute(_OWNERS, {"e164": e164}):
            owner = match_from_row(row)
            if owner is not None:
                # Several numbers of one record match once; the oldest number's kind shows.
                owners.setdefault((owner.kind, owner.id), owner)
        return list(owners.values())

    def _read_in_two(self, conn: Connection, e164: str) -> list[CollectedMatch]:
        """SQLite: the owners, then all their histories in one statement.

        On the pinned autocommit connection the two reads see different snapshots, which a
        screen pop can live with.
        """
        found = self._read_owners(conn, e164)
        # A switchboard shared by hundreds of contacts must not build one giant statement.
        for start in range(0, len(found), HISTORY_BATCH):
            self._load_histories(conn, found[start : start + HISTORY_BATCH])
        return found

    def _read_in_one_trip(self, conn: Connection, e164: str) -> list[CollectedMatch]:
        """PostgreSQL: owners and histories from one statement (see :mod:`raw_pg`)."""
        owners: dict[tuple[OwnerKind, uuid.UUID], tuple[int, CollectedMatch]] = {}
        statement = _one_trip_raw(conn.dialect)
        for row in statement.fetch(conn, {"e164": e164, **self._limits()}):
            owner = match_from_row(row)
            if owner is None:
                continue
            ordinal, kept = owners.setdefault((owner.kind, owner.id), (row.ord, owner))
            # A record with several matching numbers shows up once per number; the history
            # of the oldest number's row is the one kept.
            if ordinal == row.ord and row.part is not None:
                kept.add(row)
        found = [owner for _ordinal, owner in owners.values()]
        for owner in found:
            owner.sort_history()
        return found

    def _load_histories(
        self, conn: Connection, owners: list[CollectedMatch], access: Access | None = None
    ) -> None:
        shapes = tuple((owner.kind, owner.account_id is not None) for owner in owners)
        params = self._limits()
        for index, owner in enumerate(owners):
            params[f"id{index}"] = owner.id
            params[f"acc{index}"] = owner.account_id
        # A viewer's statement holds their owners' ids: built for them, never cached.
        stmt = _history_statement(shapes) if access is None else _build_history(shapes, access)
        for row in conn.execute(stmt, params):
            owners[row.m].add(row)
        for owner in owners:
            owner.sort_history()


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


def _shape(part: int) -> list[ColumnElement[Any]]:
    """One history part's select list: its number, then every shared column, typed."""
    values = part_values(part, history.TABLES)
    columns: list[ColumnElement[Any]] = [literal_column(str(part)).label("part")]
    for name, type_ in COLUMN_TYPES.items():
        value = values.get(name)
        # A typed NULL: PostgreSQL reads an untyped NULL in a subquery as text, which then
        # does not UNION with timestamptz or uuid.
        expr = cast(null(), type_) if value is None else type_coerce(value, type_)
        columns.append(expr.label(name))
    return columns


@lru_cache(maxsize=1)
def _one_trip_statement() -> Select[Any]:
    return raw_pg.build_statement(_OWNERS_UNORDERED, _OWNERS_ORDER)


@lru_cache(maxsize=4)
def _one_trip_raw(dialect: Dialect) -> raw_pg.RawStatement:
    return raw_pg.RawStatement.compile(_one_trip_statement(), dialect)


@lru_cache(maxsize=512)
def _history_statement(shapes: tuple[_Shape, ...]) -> Executable:
    """All history of all matches in one statement: per-match, per-kind ``ORDER BY ... LIMIT``
    parts glued by UNION ALL, each part a short walk down one index."""
    return _build_history(shapes, None)


def _build_history(shapes: tuple[_Shape, ...], access: Access | None) -> Executable:
    """:func:`_history_statement`, each part limited to the rows ``access`` reads."""
    parts = []
    for index, (kind, has_account) in enumerate(shapes):
        account: BindParameter[Any] | None = bindparam(f"acc{index}") if has_account else None
        party = history.party_of(kind, bindparam(f"id{index}"), account)
        for part, build in PARTS:
            columns = [literal_column(str(index)).label("m"), *_shape(part)]
            if (stmt := build(history.TABLES, party, columns, None)) is not None:
                if access is not None:
                    stmt = stmt.where(history_rows(access, PART_TABLES[part]))
                parts.append(stmt)
    # A part keeps its own ORDER BY/LIMIT only as a subquery (SQLite and PostgreSQL agree).
    return union_all(*(select(part.subquery()) for part in parts))


_EPOCH = datetime.min.replace(tzinfo=UTC)


def _match_order(match: Match) -> tuple[int, float, str, str]:
    recency = -(match.last_contact_at - _EPOCH).total_seconds() if match.last_contact_at else 0.0
    return (_KIND_ORDER[match.kind], recency, match.name.casefold(), str(match.id))
