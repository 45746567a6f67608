"""Adding to the 15-minute rollups: one upsert per row, on both engines.

``INSERT ... ON CONFLICT DO UPDATE SET x = x + excluded.x`` is atomic on PostgreSQL and
SQLite, so two desks booking into one interval at once both count; the row lock it takes is
what lets a caller read a maximum after it without missing another desk's commit.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import Table
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from agentdesk.crm.models import Call
from agentdesk.db.base import table_of
from agentdesk.domain.contact_metrics import interval_of
from agentdesk.domain.enums import CallDirection
from agentdesk.supervision.models import AgentInterval

Numbers = Mapping[str, float]


def add_to_row(session: Session, table: Table, keys: Mapping[str, object], deltas: Numbers) -> None:
    """Add ``deltas`` to the row ``keys`` names, creating it (every other figure 0)."""
    values: dict[str, object] = {
        c.name: 0 for c in table.columns if c.name not in keys and c.name not in deltas
    }
    values.update(keys)
    values.update(deltas)
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    statement = dialect.insert(table).values(values)
    sets = {name: table.c[name] + statement.excluded[name] for name in deltas}
    if not sets:  # a row to lock and nothing to add: touch a key to take the lock all the same
        first = next(iter(keys))
        sets = {first: statement.excluded[first]}
    session.execute(statement.on_conflict_do_update(index_elements=list(keys), set_=sets))


@dataclass(frozen=True, slots=True)
class AgentPart:
    """What one handled call adds to its agent's interval (where the call ended)."""

    agent_id: uuid.UUID
    interval_start: datetime
    inbound: bool
    talk_s: float
    hold_s: float
    wrapup_s: float

    def figures(self, sign: int) -> dict[str, float]:
        return {
            "handled_in": sign * int(self.inbound),
            "handled_out": sign * int(not self.inbound),
            "talk_s": sign * self.talk_s,
            "hold_s": sign * self.hold_s,
            "wrapup_s": sign * self.wrapup_s,
        }


def agent_part(call: Call | None, length: timedelta | None = None) -> AgentPart | None:
    """What ``call`` adds to its agent's rollup as it stands: nothing until it was answered
    and ended."""
    if call is None or call.agent_id is None or call.answered_at is None:
        return None
    if call.ended_at is None:
        return None
    start = interval_of(call.ended_at) if length is None else interval_of(call.ended_at, length)
    return AgentPart(
        agent_id=call.agent_id,
        interval_start=start,
        inbound=CallDirection(call.direction) is CallDirection.INBOUND,
        talk_s=call.talk_seconds or 0.0,
        hold_s=call.hold_seconds or 0.0,
        wrapup_s=call.wrapup_seconds or 0.0,
    )


def book_agent(session: Session, before: AgentPart | None, after: AgentPart | None) -> None:
    """Replace what the call added (``before``) with what it adds now (``after``)."""
    if before == after:
        return
    table = table_of(AgentInterval)
    moves = [(before, -1), (after, 1)]
    for part, sign in sorted(
        ((p, s) for p, s in moves if p is not None), key=lambda m: m[0].interval_start
    ):
        keys = {"agent_id": part.agent_id, "interval_start": part.interval_start}
        add_to_row(session, table, keys, part.figures(sign))
