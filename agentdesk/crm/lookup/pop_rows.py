"""The screen pop's rows: one column set shared by every history part, and a match collected
from them.

Every history part selects the same columns so that all of them travel in one UNION ALL (one
round trip instead of four); both the portable statement (:mod:`agentdesk.crm.lookup.caller`)
and the PostgreSQL one (:mod:`agentdesk.crm.lookup.raw_pg`) take the columns from
:func:`part_values` and the rows from :mod:`agentdesk.crm.lookup.history`.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from typing import Any

from sqlalchemy import ColumnElement, Date, Float, FromClause, Numeric, Row, Select, String, Uuid

from agentdesk.crm.lookup import history
from agentdesk.crm.lookup.summaries import (
    CallbackSummary,
    CallSummary,
    CaseSummary,
    History,
    Match,
    OpportunitySummary,
)
from agentdesk.db.base import UtcDateTime
from agentdesk.domain.enums import (
    CallDirection,
    CasePriority,
    CaseStatus,
    OwnerKind,
    PhoneKind,
)
from agentdesk.domain.names import display_name

CALLS, CASES, OPPORTUNITIES, CALLBACKS = range(4)
"""The ``part`` column: which kind of history a row is."""

# Strings are plain String here: a status Enum type on the first branch would otherwise try to
# read every other branch's text as that enum.
COLUMN_TYPES: dict[str, Any] = {
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
"""The shared union columns after ``part``, and their types."""

PartBuilder = Callable[
    [history.HistoryTables, history.Party, Sequence[ColumnElement[Any]], FromClause | None],
    Select[Any] | None,
]

PARTS: tuple[tuple[int, PartBuilder], ...] = (
    (CALLS, history.calls_part),
    (CASES, history.cases_part),
    (OPPORTUNITIES, history.opportunities_part),
    (CALLBACKS, history.callbacks_part),
)
"""Each part's number and the history rule that selects its rows."""
PART_TABLES: dict[int, FromClause] = {
    CALLS: history.TABLES.calls,
    CASES: history.TABLES.cases,
    OPPORTUNITIES: history.TABLES.opportunities,
    CALLBACKS: history.TABLES.callbacks,
}
"""The table whose rows each part returns (a viewer's filter applies to it)."""


def part_values(part: int, t: history.HistoryTables) -> dict[str, ColumnElement[Any]]:
    """What a part puts in the shared columns (the others are NULL)."""
    if part == CALLS:
        cl = t.calls.c
        return {
            "id": cl.id,
            "ts": cl.started_at,
            "s1": cl.direction,
            "s2": t.dispositions.c.code,
            "s3": cl.notes,
            "num": cl.talk_seconds,
        }
    if part == CASES:
        sc = t.cases.c
        return {"id": sc.id, "ts": sc.due_at, "s1": sc.subject, "s2": sc.status, "s3": sc.priority}
    if part == OPPORTUNITIES:
        op = t.opportunities.c
        return {
            "id": op.id,
            "s1": op.name,
            "s2": op.stage,
            "amount": op.amount,
            "day": op.close_date,
        }
    cb = t.callbacks.c
    return {"id": cb.id, "ts": cb.due_at, "s1": cb.note, "ref": cb.agent_id}


@dataclass(slots=True)
class CollectedMatch:
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

    def add(self, row: Row[Any]) -> None:
        """One history row of the shared union shape."""
        if row.part == CALLS:
            self.calls.append(
                CallSummary(
                    id=row.id,
                    started_at=row.ts,
                    direction=CallDirection(row.s1),
                    disposition_code=row.s2,
                    notes=row.s3,
                    talk_seconds=row.num,
                )
            )
        elif row.part == CASES:
            self.cases.append(
                CaseSummary(
                    id=row.id,
                    subject=row.s1,
                    status=CaseStatus(row.s2),
                    priority=CasePriority(row.s3),
                    due_at=row.ts,
                )
            )
        elif row.part == OPPORTUNITIES:
            self.opportunities.append(
                OpportunitySummary(
                    id=row.id,
                    name=row.s1,
                    stage=row.s2,
                    amount=row.amount,
                    close_date=row.day,
                )
            )
        else:
            self.callbacks.append(
                CallbackSummary(id=row.id, due_at=row.ts, note=row.s1, agent_id=row.ref)
            )

    def sort_history(self) -> None:
        # A union of per-match parts comes back in no particular order.
        self.calls.sort(key=lambda c: history.call_key(c.started_at, c.id), reverse=True)
        self.cases.sort(key=lambda c: history.case_key(c.priority.value, c.due_at, c.id))
        self.opportunities.sort(key=lambda o: history.opportunity_key(o.close_date, o.id))
        self.callbacks.sort(key=lambda c: history.callback_key(c.due_at, c.id))

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


def match_from_row(row: Row[Any]) -> CollectedMatch | None:
    """The record an owners row names; ``None`` when it is soft-deleted."""
    phone_kind = PhoneKind(row.kind)
    if row.contact_id is not None:
        if row.c_id is None:  # the contact is soft-deleted
            return None
        return CollectedMatch(
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
        return CollectedMatch(
            kind=OwnerKind.LEAD,
            id=row.l_id,
            name=display_name(row.l_first, row.l_last, row.l_country),
            company=row.l_company,
            phone_kind=phone_kind,
        )
    if row.a_id is None:
        return None
    return CollectedMatch(
        kind=OwnerKind.ACCOUNT,
        id=row.a_id,
        name=row.a_name,
        company=None,
        phone_kind=phone_kind,
    )
