"""A party's history: the one rule set behind the screen pop and the customer panel.

Both read the same four parts through the builders below; they differ only in the columns they
select and in how many rows they ask for (the pop a few, the panel more), never in the rules.

Whose rows (the party's scope):

- calls: the party's own (``calls.contact_id``, ``lead_id`` or ``account_id`` is the party);
  a call logged only against a contact's account is not that contact's call.
- cases and opportunities: a contact's own plus those of its account (when the account is not
  deleted); an account's own; a lead has none.
- callbacks: a contact's or a lead's own; an account's are those of its (not deleted) contacts,
  since callbacks hang off people.

Which rows: never soft-deleted ones; cases that are open (new, open, pending); opportunities
open (``crm.chance.stage_is_open``: no won or lost stage row has their code); callbacks
still pending and due before now + :data:`CALLBACK_HORIZON`
(overdue ones included).

Order (keys by precedence; the id last, so equal keys come back alike on both engines):

- calls: newest start first, then id descending;
- cases: priority (urgent, high, normal, low), then due soonest with undated last, then id;
- opportunities: close date soonest with undated last, then id;
- callbacks: due soonest (so overdue first), then id.

Limits: the parameter ``calls_limit`` bounds calls, ``open_limit`` each other part, and
``horizon`` is the latest due time of a callback shown. The ``*_key`` functions are the same
orders for rows merged in Python (a union of parts comes back in no particular order).
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from typing import Any

from sqlalchemy import (
    ColumnElement,
    FromClause,
    Integer,
    Select,
    bindparam,
    case,
    literal_column,
    or_,
    select,
)

from agentdesk.crm.chance import stage_is_open
from agentdesk.crm.models import (
    Call,
    Callback,
    Contact,
    Disposition,
    Opportunity,
    ServiceCase,
)
from agentdesk.db.base import UtcDateTime, table_of
from agentdesk.domain.enums import (
    OPEN_CASE_STATUSES,
    CallbackStatus,
    CasePriority,
    OwnerKind,
)

CALLBACK_HORIZON = timedelta(days=7)
"""Pending callbacks due within this horizon (or overdue) are part of a party's history; the
same week as the agent's list of upcoming callbacks."""

PRIORITY_RANK = {
    CasePriority.URGENT.value: 0,
    CasePriority.HIGH.value: 1,
    CasePriority.NORMAL.value: 2,
    CasePriority.LOW.value: 3,
}
"""Cases come most pressing first."""

CALLS_LIMIT, OPEN_LIMIT, HORIZON = "calls_limit", "open_limit", "horizon"
"""The parameters every history statement takes (see the module docstring)."""

_CONSTANT = re.compile(r"[a-z_]+")
_EPOCH = datetime.min.replace(tzinfo=UTC)


def constant(value: str) -> ColumnElement[Any]:
    """An enum value written into the statement: a bound list would make SQLAlchemy render the
    statement again on every execution (an expanding IN)."""
    if not _CONSTANT.fullmatch(value):
        raise ValueError(f"not a plain constant: {value!r}")
    return literal_column(f"'{value}'")


@dataclass(frozen=True, slots=True)
class HistoryTables:
    """The tables the parts read; a statement that needs short names passes aliases."""

    calls: FromClause
    dispositions: FromClause
    cases: FromClause
    opportunities: FromClause
    callbacks: FromClause
    contacts: FromClause


TABLES = HistoryTables(
    calls=table_of(Call),
    dispositions=table_of(Disposition),
    cases=table_of(ServiceCase),
    opportunities=table_of(Opportunity),
    callbacks=table_of(Callback),
    contacts=table_of(Contact),
)


@dataclass(frozen=True, slots=True)
class Party:
    """Whose history: the party's id in each role it has, as a bound parameter or a column of
    an enclosing query; ``None`` for the roles it does not have.

    A contact has ``contact`` and, when it belongs to an account that is not deleted,
    ``contact_account``; a lead has ``lead``; an account has ``account``.
    """

    contact: ColumnElement[Any] | None = None
    lead: ColumnElement[Any] | None = None
    account: ColumnElement[Any] | None = None
    contact_account: ColumnElement[Any] | None = None


def party_of(
    kind: OwnerKind, own: ColumnElement[Any], account: ColumnElement[Any] | None = None
) -> Party:
    """The party of a record of ``kind`` whose id is ``own``; ``account`` is a contact's (not
    deleted) account, ``None`` when it has none."""
    if kind is OwnerKind.CONTACT:
        return Party(contact=own, contact_account=account)
    if kind is OwnerKind.LEAD:
        return Party(lead=own)
    return Party(account=own)


def _any_of(*pairs: tuple[ColumnElement[Any], ColumnElement[Any] | None]) -> Any:
    terms = [column == value for column, value in pairs if value is not None]
    if not terms:
        return None
    return terms[0] if len(terms) == 1 else or_(*terms)


def _with_account(party: Party, contact: ColumnElement[Any], account: ColumnElement[Any]) -> Any:
    """A contact's own rows plus its account's; an account's own; a lead has none."""
    return _any_of(
        (contact, party.contact), (account, party.contact_account), (account, party.account)
    )


def _finish(
    stmt: Select[Any], correlate: FromClause | None, *order: ColumnElement[Any]
) -> Select[Any]:
    stmt = stmt.order_by(*order)
    return stmt if correlate is None else stmt.correlate(correlate)


def calls_part(
    t: HistoryTables,
    party: Party,
    columns: Sequence[ColumnElement[Any]],
    correlate: FromClause | None = None,
) -> Select[Any] | None:
    """The party's calls (``columns`` may use ``t.calls`` and ``t.dispositions``)."""
    cl = t.calls.c
    scope = _any_of(
        (cl.contact_id, party.contact), (cl.lead_id, party.lead), (cl.account_id, party.account)
    )
    if scope is None:
        return None
    stmt = (
        select(*columns)
        .select_from(t.calls)
        .outerjoin(t.dispositions, t.dispositions.c.id == cl.disposition_id)
        .where(scope, cl.deleted_at.is_(None))
    )
    stmt = _finish(stmt, correlate, cl.started_at.desc(), cl.id.desc())
    return stmt.limit(bindparam(CALLS_LIMIT, type_=Integer))


def cases_part(
    t: HistoryTables,
    party: Party,
    columns: Sequence[ColumnElement[Any]],
    correlate: FromClause | None = None,
) -> Select[Any] | None:
    """The open cases of the party (and of a contact's account)."""
    sc = t.cases.c
    scope = _with_account(party, sc.contact_id, sc.account_id)
    if scope is None:
        return None
    rank = case(
        {constant(k): literal_column(str(v)) for k, v in PRIORITY_RANK.items()},
        value=sc.priority,
        else_=literal_column(str(len(PRIORITY_RANK))),
    )
    stmt = select(*columns).where(
        scope,
        sc.status.in_([constant(s.value) for s in OPEN_CASE_STATUSES]),
        sc.deleted_at.is_(None),
    )
    stmt = _finish(stmt, correlate, rank, sc.due_at.asc().nulls_last(), sc.id)
    return stmt.limit(bindparam(OPEN_LIMIT, type_=Integer))


def opportunities_part(
    t: HistoryTables,
    party: Party,
    columns: Sequence[ColumnElement[Any]],
    correlate: FromClause | None = None,
) -> Select[Any] | None:
    """The open opportunities of the party (and of a contact's account)."""
    op = t.opportunities.c
    scope = _with_account(party, op.contact_id, op.account_id)
    if scope is None:
        return None
    stmt = select(*columns).where(
        scope,
        stage_is_open(op.stage),  # crm/chance.py: the admin's stages, read in the statement
        op.deleted_at.is_(None),
    )
    stmt = _finish(stmt, correlate, op.close_date.asc().nulls_last(), op.id)
    return stmt.limit(bindparam(OPEN_LIMIT, type_=Integer))


def callbacks_part(
    t: HistoryTables,
    party: Party,
    columns: Sequence[ColumnElement[Any]],
    correlate: FromClause | None = None,
) -> Select[Any] | None:
    """The party's pending callbacks due before the horizon (an account's: its contacts')."""
    cb = t.callbacks.c
    terms = [
        term
        for term in (_any_of((cb.contact_id, party.contact)), _any_of((cb.lead_id, party.lead)))
        if term is not None
    ]
    if party.account is not None:
        people = select(t.contacts.c.id).where(
            t.contacts.c.account_id == party.account, t.contacts.c.deleted_at.is_(None)
        )
        terms.append(
            cb.contact_id.in_(people if correlate is None else people.correlate(correlate))
        )
    if not terms:
        return None
    stmt = select(*columns).where(
        terms[0] if len(terms) == 1 else or_(*terms),
        cb.status == constant(CallbackStatus.PENDING.value),
        cb.due_at <= bindparam(HORIZON, type_=UtcDateTime()),
        cb.deleted_at.is_(None),
    )
    stmt = _finish(stmt, correlate, cb.due_at, cb.id)
    return stmt.limit(bindparam(OPEN_LIMIT, type_=Integer))


def limits(calls: int, open_items: int, now: datetime) -> dict[str, Any]:
    """The parameters of a history read: ``calls`` calls, ``open_items`` of each other part."""
    return {
        CALLS_LIMIT: max(calls, 0),
        OPEN_LIMIT: max(open_items, 0),
        HORIZON: now + CALLBACK_HORIZON,
    }


# -- the same orders in Python -----------------------------------------------------------------


def call_key(started_at: datetime, id_: uuid.UUID) -> tuple[datetime, uuid.UUID]:
    """Sort with ``reverse=True``: newest first, then id descending."""
    return (started_at, id_)


def case_key(
    priority: str, due_at: datetime | None, id_: uuid.UUID
) -> tuple[int, bool, datetime, str]:
    rank = PRIORITY_RANK.get(priority, len(PRIORITY_RANK))
    return (rank, due_at is None, due_at or _EPOCH, str(id_))


def opportunity_key(close_date: date | None, id_: uuid.UUID) -> tuple[bool, date, str]:
    return (close_date is None, close_date or date.min, str(id_))


def callback_key(due_at: datetime, id_: uuid.UUID) -> tuple[datetime, uuid.UUID]:
    return (due_at, id_)
