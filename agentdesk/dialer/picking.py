"""Manual mode: the agent sees the next few dialable entries and picks one.

:func:`peek_entries` lists, without reserving anything, what :func:`selection.next_entry` would
offer next, in the same order and by the same rules (calling hours per zone group, due
callbacks first, retries and max attempts, nobody else's callbacks, DNC). The list is a view:
by the time the agent picks, another agent may have taken the entry, the number may have been
listed, or its calling window may have closed. So :func:`reserve_entry` judges the picked
entry again, under the same locks as ``next_entry`` (``FOR UPDATE`` on PostgreSQL, waiting for
a concurrent picker's commit and then reading its result; ``BEGIN IMMEDIATE`` on SQLite), and
refuses with :class:`EntryUnavailableError` naming why.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import cache
from typing import Any

from sqlalchemy import Connection, Row, bindparam, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.dialer.blocked import blocked_counts
from agentdesk.dialer.campaigns import DialerError
from agentdesk.dialer.dnc import is_listed
from agentdesk.dialer.entry_statements import (
    ENTRIES,
    ENTRY_COLUMNS,
    pool_where,
    set_status,
    statements,
)
from agentdesk.dialer.rules import UNKNOWN_ZONE, EntryStatus
from agentdesk.dialer.selection import (
    OfferedEntry,
    group_heads,
    offered_entry,
    release_expired,
)
from agentdesk.dialer.selection_context import (
    SelectionContext,
    begin_immediate,
    is_postgres,
    load_context,
)
from agentdesk.domain.clock import utcnow

DEFAULT_PEEK = 20
PEEK_SLACK = 10
"""Extra candidates read per source, so listed (DNC) numbers do not shorten the list."""

# Why a picked entry cannot be reserved; the keys match blocked.blocked_counts' reasons
# where one applies, so the panel words them the same way.
REASONS = {
    "gone": "it is no longer in the campaign",
    "paused": "the campaign is paused",
    "reserved": "another agent has it",
    "done": "it is finished",
    "exhausted": "it is out of attempts",
    "invalid": "its number is invalid",
    "dnc": "its number is on a do-not-call list",
    "other_agent": "it is another agent's callback",
    "outside_hours": "it is outside calling hours",
    "unknown_time_zone": "its time zone is unknown",
    "retry_wait": "its next try is not due yet",
    "callback_not_due": "its callback is not due yet",
}


class EntryUnavailableError(DialerError):
    """The picked entry cannot be reserved now; ``reason`` is a key of :data:`REASONS`."""

    def __init__(self, entry_id: uuid.UUID, reason: str) -> None:
        super().__init__(f"the entry cannot be dialled: {REASONS.get(reason, reason)}")
        self.entry_id = entry_id
        self.reason = reason


@dataclass(frozen=True)
class PeekResult:
    """The entries the agent may pick, in offer order; ``blocked`` as in ``NextResult``."""

    entries: tuple[OfferedEntry, ...]
    blocked: Mapping[str, int] = field(default_factory=dict)


@cache
def _pick_statements() -> dict[str, Any]:
    columns = (*ENTRY_COLUMNS, ENTRIES.c.next_eligible_at)
    entry = select(
        *columns, ENTRIES.c.assigned_agent_id, ENTRIES.c.reserved_by_id, ENTRIES.c.deleted_at
    ).where(ENTRIES.c.id == bindparam("eid"), ENTRIES.c.campaign_id == bindparam("cid"))
    pool = (
        select(*columns)
        .where(pool_where("key"))
        .order_by(ENTRIES.c.next_eligible_at)
        .limit(bindparam("limit"))
    )
    return {"entry": entry, "entry_locked": entry.with_for_update(), "pool": pool}


def _pool(conn: Connection, ctx: SelectionContext, want: int) -> list[Row[Any]]:
    """The ``want`` earliest eligible pool entries over all dialable groups.

    Groups are read in the order of their heads, and reading stops once the next group's head
    is later than the ``want``-th entry found: nothing in it could make the list.
    """
    statement = _pick_statements()["pool"]
    rows: list[Row[Any]] = []
    for at, key in group_heads(conn, ctx):
        if len(rows) >= want and at > rows[want - 1].next_eligible_at:
            break
        rows.extend(conn.execute(statement, ctx.params | {"key": key, "limit": want}))
        rows.sort(key=lambda r: r.next_eligible_at)
    return rows[:want]


def peek_entries(
    sessions: sessionmaker[Session],
    campaign: str,
    agent: str,
    *,
    limit: int = DEFAULT_PEEK,
    now: datetime | None = None,
    explain: bool = True,
) -> PeekResult:
    """The next ``limit`` entries ``agent`` could dial at ``now``, reserving none of them.

    Due callbacks (the agent's, then anyone's) come first, then new entries and retries,
    earliest eligible first, as :func:`~agentdesk.dialer.selection.next_entry` would offer
    them. Listed numbers are left out (not marked: this is a read). With ``explain`` and an
    empty list, ``blocked`` says why. Raises ``DialerError`` as ``next_entry`` does.
    """
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime given as the selection time")
    if limit <= 0:
        return PeekResult(())
    with sessions() as session:
        conn = session.connection()
        ctx = load_context(conn, campaign, agent, now)
        entries: list[OfferedEntry] = []
        if ctx.campaign.active and ctx.keys:
            want = limit + PEEK_SLACK
            callbacks = conn.execute(
                statements()["callbacks"], ctx.params | {"keys": ctx.keys, "limit": want}
            ).all()
            pool = _pool(conn, ctx, want) if len(callbacks) < limit else []
            for row in [*callbacks, *pool]:
                if not is_listed(conn, row.e164, ctx.campaign.id):
                    entries.append(offered_entry(ctx, row, None))
                if len(entries) == limit:
                    break
        blocked: dict[str, int] = {}
        if explain and not entries:
            blocked = blocked_counts(
                conn,
                ctx.campaign.id,
                active=ctx.campaign.active,
                agent_id=ctx.agent.id,
                now=now,
                dialable=set(ctx.keys),
            )
        session.rollback()
    return PeekResult(tuple(entries), blocked)


def _why_not(ctx: SelectionContext, row: Row[Any] | None) -> str | None:
    """Why ``row`` may not be reserved by the agent now (``None``: it may)."""
    if row is None or row.deleted_at is not None:
        return "gone"
    status = row.status
    mine = row.reserved_by_id == ctx.agent.id
    if status == EntryStatus.RESERVED and mine:
        return None  # picked again after a hiccup: the reservation is renewed
    finished = {
        EntryStatus.DONE: "done",
        EntryStatus.EXHAUSTED: "exhausted",
        EntryStatus.INVALID: "invalid",
        EntryStatus.DNC: "dnc",
    }
    if status in finished:
        return finished[EntryStatus(status)]
    if status not in (EntryStatus.NEW, EntryStatus.CALLBACK):
        return "reserved"
    if row.assigned_agent_id is not None and row.assigned_agent_id != ctx.agent.id:
        return "other_agent"
    if row.zone_key not in ctx.keys:
        return "unknown_time_zone" if row.zone_key == UNKNOWN_ZONE else "outside_hours"
    callback = status == EntryStatus.CALLBACK
    if not callback and row.attempts >= ctx.campaign.max_attempts:
        return "exhausted"
    if row.next_eligible_at > ctx.now:
        return "callback_not_due" if callback else "retry_wait"
    return None


def reserve_entry(
    sessions: sessionmaker[Session],
    campaign: str,
    agent: str,
    entry_id: uuid.UUID,
    *,
    now: datetime | None = None,
) -> OfferedEntry:
    """Reserve the entry the agent picked, if it is still dialable for them at ``now``.

    The rules are those of ``next_entry``, judged on the committed row under its lock, so of
    two agents picking the same entry at once exactly one gets it. A number found on a DNC
    list is marked ``dnc`` (committed) before the refusal. Raises
    :class:`EntryUnavailableError` (with the reason) or ``DialerError`` for an unknown
    campaign or agent, or an agent not assigned to the campaign.
    """
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime given as the selection time")
    refusal: str | None = None
    offered: OfferedEntry | None = None
    with sessions() as session:
        postgres = is_postgres(session)
        if not postgres:
            begin_immediate(session)
        try:
            conn = session.connection()
            ctx = load_context(conn, campaign, agent, now)
            if not ctx.campaign.active:
                refusal = "paused"
            else:
                release_expired(conn, ctx.campaign.id, now)
                statement = _pick_statements()["entry_locked" if postgres else "entry"]
                row = conn.execute(statement, {"eid": entry_id, "cid": ctx.campaign.id}).first()
                refusal = _why_not(ctx, row)
                if refusal is None:
                    assert row is not None
                    if is_listed(conn, row.e164, ctx.campaign.id):
                        set_status(conn, row, EntryStatus.DNC, now)
                        refusal = "dnc"
                    else:
                        until = now + timedelta(minutes=ctx.campaign.reservation_minutes)
                        if not set_status(
                            conn, row, EntryStatus.RESERVED, now, ctx.agent.id, until
                        ):
                            raise RuntimeError(f"campaign entry {entry_id} changed under its lock")
                        offered = offered_entry(ctx, row, until)
            session.commit()
        except BaseException:
            session.rollback()
            raise
    if offered is None:
        raise EntryUnavailableError(entry_id, refusal or "gone")
    return offered
