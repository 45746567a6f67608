"""Next-entry selection: which entry an agent gets now, reserved so nobody else gets it.

Rules, every time an entry is offered
    1. expired reservations of the campaign return to the pool (a crashed client's entry), and
       so do entries ``in_progress`` whose hold ran out (a desk that died on the call);
    2. the calling window is evaluated per *zone group*, not per entry: the campaign's groups
       (``dialer_campaign_zones``, a few dozen rows even for a million US numbers) are judged in
       Python with zoneinfo (:func:`rules.dialable_keys`: inside the window, allowed weekday,
       in *all* the group's zones, DST included), giving the set of dialable keys;
    3. due callbacks first: the agent's own, then those for anyone;
    4. then new and retry entries with ``next_eligible_at <= now`` and fewer attempts than the
       campaign allows, not assigned to another agent, earliest eligible first;
    5. the chosen entry's number is checked against the DNC lists (global and campaign) at this
       moment; a listed one is marked ``dnc`` and the next candidate is taken.

Why it is fast (p95 under 10 ms with 1,000,000 entries and 1,000,000 DNC numbers)
    No per-row time-zone work: the window filter is ``zone_key = :k`` on a precomputed column.
    ``ix_dialer_entries_pick (campaign_id, status, zone_key, next_eligible_at)`` makes "the
    earliest eligible new entry of group k" a single index seek. ``zone_key IN (...)`` with
    ``ORDER BY next_eligible_at`` would have to sort every eligible row of all groups, so each
    dialable group is asked for its head (one index seek each) and the earliest head wins.
    The DNC check is one probe of the ``(e164, campaign_id)`` unique index for the chosen
    candidate, not an anti-join over a million rows. The campaign, agent, assignment, zone
    groups and "anything to release / any callback due" come back in one context statement.
    The statements are built once and run as Core on the session's connection: per-call
    expression building and ORM loading cost more than the SQL. On PostgreSQL the time is
    round trips, so the whole pick is one statement
    (:func:`~agentdesk.dialer.entry_statements.reserve_statement`): a selection is two round
    trips, the context and the reservation.

Never offered twice
    PostgreSQL: candidates are read with ``FOR UPDATE SKIP LOCKED`` inside the reserving
    UPDATE, so concurrent agents skip each other's candidate instead of waiting, and the
    status check is re-evaluated on committed data. SQLite: the transaction starts with
    ``BEGIN IMMEDIATE`` (the single write lock, taken before reading), so selections are
    serialised; a refused lock is retried
    (:func:`~agentdesk.dialer.selection_context.begin_immediate`), and the reserving UPDATE also
    checks the version (optimistic concurrency) as a last guard.

Explaining "nothing to dial"
    :func:`~agentdesk.dialer.blocked.blocked_counts` groups the campaign's open entries by why
    they are held back (outside hours, DNC, exhausted, reserved, waiting for a retry, ...). It
    scans the campaign's index, so the CLI always shows it but a panel should ask only when
    ``entry`` is ``None``; it is outside the write lock.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import Connection, Row
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.dialer.blocked import blocked_counts
from agentdesk.dialer.dnc import is_listed
from agentdesk.dialer.entry_statements import (
    UNION_CHUNK,
    Executor,
    heads_statement,
    reserve_statement,
    set_status,
    statements,
)
from agentdesk.dialer.rules import EntryStatus
from agentdesk.dialer.scripts import render_script
from agentdesk.dialer.selection_context import (
    SelectionContext,
    begin_immediate,
    is_postgres,
    load_context,
)
from agentdesk.domain.clock import utcnow
from agentdesk.domain.names import display_name

MAX_DNC_SKIPS = 100
"""Listed candidates marked per call before giving up (DNC loads mark entries eagerly)."""
DRY_RUN_CANDIDATES = 25


@dataclass(frozen=True, slots=True)
class OfferedEntry:
    """The entry an agent gets, with what the preview screen shows."""

    id: uuid.UUID
    campaign: str
    phone: str
    phone_raw: str
    name: str
    first_name: str | None
    last_name: str | None
    company: str | None
    city: str | None
    country: str | None
    contact_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    status: str
    attempts: int
    last_outcome: str | None
    is_callback: bool
    zones: tuple[str, ...]
    reserved_until: datetime | None
    script: str | None
    version: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "campaign": self.campaign,
            "phone": self.phone,
            "phone_raw": self.phone_raw,
            "name": self.name,
            "first_name": self.first_name,
            "last_name": self.last_name,
            "company": self.company,
            "city": self.city,
            "country": self.country,
            "contact_id": str(self.contact_id) if self.contact_id else None,
            "lead_id": str(self.lead_id) if self.lead_id else None,
            "status": self.status,
            "attempts": self.attempts,
            "last_outcome": self.last_outcome,
            "is_callback": self.is_callback,
            "zones": list(self.zones),
            "reserved_until": self.reserved_until.isoformat() if self.reserved_until else None,
            "script": self.script,
        }


@dataclass(frozen=True)
class NextResult:
    """``entry`` is ``None`` when nothing is dialable; ``blocked`` counts entries held back."""

    entry: OfferedEntry | None
    blocked: Mapping[str, int] = field(default_factory=dict)
    reserved: bool = False

    def to_json(self) -> dict[str, Any]:
        return {
            "entry": self.entry.to_json() if self.entry else None,
            "blocked": dict(self.blocked),
            "reserved": self.reserved,
        }


def release_expired(session: Executor, campaign_id: uuid.UUID, now: datetime) -> int:
    """Return reservations and in-progress holds that ran out to the pool; returns how many."""
    result = session.execute(statements()["release"], {"cid": campaign_id, "now": now})
    return int(result.rowcount)  # type: ignore[attr-defined]


def campaign_groups(session: Executor, campaign_id: uuid.UUID) -> dict[str, tuple[str, ...]]:
    """The campaign's zone groups: key -> zones."""
    rows = session.execute(statements()["groups"], {"cid": campaign_id})
    return {key: tuple(zones.split()) for key, zones in rows}


def group_heads(session: Executor, ctx: SelectionContext) -> list[tuple[datetime, str]]:
    """(earliest eligible time, key) of every dialable group that has a pool entry, in order."""
    heads: list[tuple[datetime, str]] = []
    for start in range(0, len(ctx.keys), UNION_CHUNK):
        chunk = ctx.keys[start : start + UNION_CHUNK]
        params = ctx.params | {f"key{i}": key for i, key in enumerate(chunk)}
        rows = session.execute(heads_statement(len(chunk)), params)
        heads.extend((at, key) for key, at in rows)
    return sorted(heads)


def _group_order(session: Executor, ctx: SelectionContext) -> list[str]:
    """Dialable groups that have an eligible entry, earliest head first."""
    if len(ctx.keys) <= 1:
        return list(ctx.keys)
    return [key for _at, key in group_heads(session, ctx)]


def _choose(session: Executor, ctx: SelectionContext, dry_run: bool) -> Row[Any] | None:
    if not ctx.keys:
        return None
    prebuilt = statements()
    params = ctx.params
    if dry_run:
        # Each candidate's number is probed once, in offer order, until one is not listed.
        limit = {"limit": DRY_RUN_CANDIDATES}
        batches = itertools.chain(
            [session.execute(prebuilt["callbacks"], params | limit | {"keys": ctx.keys}).all()],
            (
                session.execute(prebuilt["pool"], params | limit | {"key": key}).all()
                for key in _group_order(session, ctx)
            ),
        )
        return next(
            (
                c
                for batch in batches
                for c in batch
                if not is_listed(session, c.e164, ctx.campaign.id)
            ),
            None,
        )
    # SQLite, under BEGIN IMMEDIATE: nobody else reads or writes until the commit.
    skips = 0
    for statement, values in _sources(session, ctx):
        while skips <= MAX_DNC_SKIPS:
            entry = session.execute(statement, values | {"limit": 1}).first()
            if entry is None:
                break
            if not is_listed(session, entry.e164, ctx.campaign.id):
                return entry
            set_status(session, entry, EntryStatus.DNC, ctx.now)
            skips += 1
    return None


def _sources(session: Executor, ctx: SelectionContext) -> Iterator[tuple[Any, dict[str, Any]]]:
    """Where the next entry comes from, in order: due callbacks, then each group's head.

    A generator, so the group order (a round trip) is only asked for when no callback won.
    """
    prebuilt = statements()
    if ctx.callbacks_due:
        yield prebuilt["callbacks"], ctx.params | {"keys": ctx.keys}
    for key in _group_order(session, ctx):
        yield prebuilt["pool"], ctx.params | {"key": key}


def _reserve_locked(conn: Connection, ctx: SelectionContext) -> OfferedEntry | None:
    """PostgreSQL, in autocommit: each :func:`reserve_statement` is its own transaction."""
    until = ctx.now + timedelta(minutes=ctx.campaign.reservation_minutes)
    values = ctx.params | {"keys": ctx.keys, "by": ctx.agent.id, "until": until}
    callbacks = reserve_statement("callbacks")
    sources = [callbacks] if ctx.callbacks_due else []
    sources.append(reserve_statement("pool"))
    skips = 0
    for statement in sources:
        while skips <= MAX_DNC_SKIPS:
            entry = conn.execute(statement, values).first()
            if entry is None:
                break
            if entry.status == EntryStatus.RESERVED:
                # RETURNING gives the row after the update: its version is the new one.
                offered = offered_entry(ctx, entry, until)
                return replace(offered, version=entry.version, is_callback=statement is callbacks)
            skips += 1  # it was listed and is now marked dnc: take the next one
    return None


def next_entry(
    sessions: sessionmaker[Session],
    campaign: str,
    agent: str,
    *,
    now: datetime | None = None,
    dry_run: bool = False,
    explain: bool = True,
) -> NextResult:
    """Reserve (or with ``dry_run`` only show) the entry ``agent`` would get at ``now``.

    ``explain`` adds :func:`~agentdesk.dialer.blocked.blocked_counts` (a scan of the campaign:
    leave it off in a progressive loop and ask only when ``entry`` is ``None``). A paused
    campaign offers nothing. Raises :class:`~agentdesk.dialer.campaigns.DialerError` for an
    unknown campaign or agent, or an agent not assigned to the campaign.
    """
    now = now or utcnow()
    if now.tzinfo is None:
        raise ValueError("naive datetime given as the selection time")
    offered: OfferedEntry | None = None
    with sessions() as session:
        postgres = is_postgres(session)
        if postgres and not dry_run:
            # Every write below is one self-contained statement (see reserve_statement), so
            # no transaction is needed around them: a BEGIN and a COMMIT round trip saved.
            conn = session.connection(execution_options={"isolation_level": "AUTOCOMMIT"})
        else:
            if not dry_run:
                begin_immediate(session)
            # Core on the session's connection: the ORM session adds nothing for these rows.
            conn = session.connection()
        try:
            ctx = load_context(conn, campaign, agent, now)
            if ctx.campaign.active:
                if not dry_run and ctx.expired:
                    release_expired(conn, ctx.campaign.id, now)
                if dry_run:
                    chosen = _choose(conn, ctx, dry_run=True)
                    offered = offered_entry(ctx, chosen, None) if chosen is not None else None
                elif postgres:
                    offered = _reserve_locked(conn, ctx) if ctx.keys else None
                else:
                    chosen = _choose(conn, ctx, dry_run=False)
                    if chosen is not None:
                        until = now + timedelta(minutes=ctx.campaign.reservation_minutes)
                        # The write lock makes losing this race impossible; the version check
                        # is the last guard, so fail loudly.
                        if not set_status(
                            conn, chosen, EntryStatus.RESERVED, now, ctx.agent.id, until
                        ):
                            raise RuntimeError(f"campaign entry {chosen.id} changed under its lock")
                        offered = offered_entry(ctx, chosen, until)
            if dry_run:
                session.rollback()
            else:
                session.commit()
        except BaseException:
            session.rollback()
            raise
        blocked: dict[str, int] = {}
        if explain:
            blocked = blocked_counts(
                session,
                ctx.campaign.id,
                active=ctx.campaign.active,
                agent_id=ctx.agent.id,
                now=now,
                dialable=set(ctx.keys),
            )
            session.rollback()
    return NextResult(entry=offered, blocked=blocked, reserved=offered is not None and not dry_run)


def offered_entry(ctx: SelectionContext, entry: Row[Any], until: datetime | None) -> OfferedEntry:
    name = display_name(entry.first_name, entry.last_name, entry.country) or entry.company or ""
    script = None
    if ctx.campaign.script:
        script = render_script(
            ctx.campaign.script,
            {
                "first_name": entry.first_name,
                "last_name": entry.last_name,
                "name": name,
                "company": entry.company,
                "city": entry.city,
                "phone": entry.e164,
                "agent_name": ctx.agent.display_name,
                "campaign": ctx.campaign.name,
            },
        )
    return OfferedEntry(
        id=entry.id,
        campaign=ctx.campaign.name,
        phone=entry.e164,
        phone_raw=entry.phone_raw,
        name=name,
        first_name=entry.first_name,
        last_name=entry.last_name,
        company=entry.company,
        city=entry.city,
        country=entry.country,
        contact_id=entry.contact_id,
        lead_id=entry.lead_id,
        status=EntryStatus.RESERVED if until else entry.status,
        attempts=entry.attempts,
        last_outcome=entry.last_outcome,
        is_callback=entry.status == EntryStatus.CALLBACK,
        zones=ctx.groups.get(entry.zone_key, (entry.zone_key,)),
        reserved_until=until,
        script=script,
        version=entry.version + (1 if until else 0),
    )
