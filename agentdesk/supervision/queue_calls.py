"""One queue call per SIP Call-ID, summed from the legs of every desk it rang.

A proxy that forks a call rings several desks with one Call-ID; each desk logs its own leg
(offered, answered or not, ended, cancelled because another answered). Whenever a journal
entry changes a leg, the desk that applies it copies the leg into ``queue_legs``, sums the
legs into the call's ``queue_calls`` row and replaces what the call had added to its
intervals (``queue_intervals``) with what it adds now, in the same transaction. A replayed
entry changes nothing (the journal applies an entry once), and legs may arrive in any order:
the rollups always equal the figures of the calls as the legs now stand.

A call is booked once it is complete: the answering leg has ended, or, when no desk
answered, every leg has ended and none was cancelled for another desk's answer (that desk's
leg is on its way).
"""

from __future__ import annotations

import uuid
from dataclasses import asdict, dataclass, fields
from datetime import datetime, timedelta

from sqlalchemy import func, select, update
from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session

from agentdesk.crm.models import Call
from agentdesk.db.base import table_of
from agentdesk.domain.contact_metrics import QueueCall as Figures
from agentdesk.domain.contact_metrics import QueueCounts, Thresholds, counts_of
from agentdesk.domain.enums import CallDirection
from agentdesk.supervision.models import Queue, QueueCall, QueueInterval, QueueLeg
from agentdesk.supervision.queues import queue_for
from agentdesk.supervision.rollups import add_to_row

ADDED = [f.name for f in fields(QueueCounts) if f.name != "longest_wait_s"]


def assign_queue(session: Session, call: Call, queue_number: str | None) -> None:
    """Name the call's queue from the number the caller dialed (once: a queue renamed
    later does not move calls already booked)."""
    if call.queue is None and CallDirection(call.direction) is CallDirection.INBOUND:
        ref = queue_for(session, queue_number)
        if ref is not None:
            call.queue = ref.name


def leg_changed(session: Session, call: Call) -> None:
    """Copy ``call`` (one desk's leg) and book its queue call again; no queue, nothing."""
    if call.queue is None or not call.sip_call_id:
        return
    session.flush()
    dialect = postgresql if session.get_bind().dialect.name == "postgresql" else sqlite
    leg = {
        "call_id": call.id,
        "sip_call_id": call.sip_call_id,
        "queue": call.queue,
        "agent_id": call.agent_id,
        "offered_at": call.started_at,
        "answered_at": call.answered_at,
        "ended_at": call.ended_at,
        "answered_elsewhere": bool(call.answered_elsewhere),
        "talk_seconds": call.talk_seconds or 0.0,
        "hold_seconds": call.hold_seconds or 0.0,
        "wrapup_seconds": call.wrapup_seconds,
    }
    legs = table_of(QueueLeg)
    upsert = dialect.insert(legs).values(leg)
    changed = {k: upsert.excluded[k] for k in leg if k != "call_id"}
    session.execute(upsert.on_conflict_do_update(index_elements=["call_id"], set_=changed))
    thresholds = _thresholds(session, call.queue)
    calls = table_of(QueueCall)
    first = dialect.insert(calls).values(
        sip_call_id=call.sip_call_id,
        queue=call.queue,
        offered_at=call.started_at,
        talk_seconds=0.0,
        hold_seconds=0.0,
        service_seconds=thresholds.service_seconds,
        short_abandon_seconds=thresholds.short_abandon_seconds,
    )
    session.execute(first.on_conflict_do_nothing(index_elements=["sip_call_id"]))
    # The row lock (PostgreSQL; SQLite's writer holds the file) serialises the desks of one call.
    row = session.scalars(
        select(QueueCall)
        .where(QueueCall.sip_call_id == call.sip_call_id)
        .with_for_update()
        .execution_options(populate_existing=True)
    ).one()
    _rebook(session, row, thresholds)


def _thresholds(session: Session, name: str) -> Thresholds:
    row = session.execute(
        select(Queue.service_seconds, Queue.short_abandon_seconds).where(Queue.name == name)
    ).one_or_none()
    return Thresholds(row[0], row[1]) if row is not None else Thresholds()


@dataclass(frozen=True, slots=True)
class _Sum:
    offered_at: datetime
    answered_at: datetime | None
    agent: uuid.UUID | None
    ended_at: datetime | None
    talk: float
    hold: float
    wrapup: float | None
    complete: bool


def _sum(legs: list[QueueLeg]) -> _Sum:
    offered = min(leg.offered_at for leg in legs)
    answered = sorted((leg for leg in legs if leg.answered_at is not None), key=_answered_at)
    if answered:
        leg = answered[0]
        return _Sum(
            offered, leg.answered_at, leg.agent_id, leg.ended_at, leg.talk_seconds,
            leg.hold_seconds, leg.wrapup_seconds, leg.ended_at is not None,
        )  # fmt: skip
    ends = [leg.ended_at for leg in legs]
    done = all(end is not None for end in ends) and not any(leg.answered_elsewhere for leg in legs)
    last = max((end for end in ends if end is not None), default=None)
    return _Sum(offered, None, None, last, 0.0, 0.0, None, done)


def _answered_at(leg: QueueLeg) -> datetime:
    assert leg.answered_at is not None
    return leg.answered_at


def figures_of(row: QueueCall) -> Figures | None:
    """The call as ``domain.contact_metrics`` counts it, or ``None`` while not booked."""
    return _figures(row) if row.booked_interval is not None else None


def _figures(row: QueueCall) -> Figures | None:
    if row.ended_at is None:
        return None
    wrapup_end = None
    if row.answered_at is not None and row.wrapup_seconds is not None:
        wrapup_end = row.ended_at + timedelta(seconds=row.wrapup_seconds)
    return Figures(
        offered_at=row.offered_at,
        ended_at=max(row.ended_at, row.offered_at),
        answered_at=row.answered_at,
        talk_seconds=row.talk_seconds,
        hold_seconds=row.hold_seconds,
        wrapup_seconds=row.wrapup_seconds or 0.0,
        wrapup_ended_at=wrapup_end,
    )


def _rebook(session: Session, row: QueueCall, thresholds: Thresholds) -> None:
    legs = list(session.scalars(select(QueueLeg).where(QueueLeg.sip_call_id == row.sip_call_id)))
    old_figures = figures_of(row)
    old = (
        counts_of(old_figures, Thresholds(row.service_seconds, row.short_abandon_seconds))
        if old_figures is not None
        else {}
    )
    total = _sum(legs)
    row.offered_at = total.offered_at
    row.answered_at = total.answered_at
    row.agent_id = total.agent
    row.ended_at = total.ended_at
    row.talk_seconds, row.hold_seconds, row.wrapup_seconds = total.talk, total.hold, total.wrapup
    row.service_seconds = thresholds.service_seconds
    row.short_abandon_seconds = thresholds.short_abandon_seconds
    row.booked_interval = None
    row.booked_wait = None
    new: dict[datetime, QueueCounts] = {}
    figures = _figures(row) if total.complete else None
    if figures is not None:
        new = counts_of(figures, thresholds)
        row.booked_wait = figures.wait_seconds
        row.booked_interval = min(new)  # the offer's interval comes first
    session.flush()
    table = table_of(QueueInterval)
    for start in sorted(set(old) | set(new)):
        before = asdict(old.get(start, QueueCounts()))
        after = asdict(new.get(start, QueueCounts()))
        deltas = {name: after[name] - before[name] for name in ADDED}
        add_to_row(session, table, {"queue": row.queue, "interval_start": start}, deltas)
    for start in sorted(set(old) | set(new)):
        longest = session.scalar(
            select(func.coalesce(func.max(QueueCall.booked_wait), 0.0)).where(
                QueueCall.queue == row.queue, QueueCall.booked_interval == start
            )
        )
        session.execute(
            update(QueueInterval)
            .where(QueueInterval.queue == row.queue, QueueInterval.interval_start == start)
            .values(longest_wait_s=longest)
        )
