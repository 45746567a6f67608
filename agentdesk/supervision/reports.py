"""Supervisors' reports as JSON-ready data: queues, hourly and agents from the 15-minute
rollups, dispositions and campaigns from the call and dialer tables (``reports_calls``).

Every figure comes from ``domain.contact_metrics`` / ``domain.agent_metrics`` over summed
rollup rows, so a report equals the board and a hand fold of the raw calls. Reads are ranged
on indexed interval starts (migration 0024). A supervisor sees the agents of their
department only (:func:`agents_in_reach`, the rule of the board); queue figures are shared.
``--team`` narrows agent reports to the team's agents and queue-shaped reports (queues,
hourly) to the queues its agents serve (:func:`report_queues`).
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable, Mapping
from dataclasses import fields
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, func, or_, select, true
from sqlalchemy.orm import Session

from agentdesk.domain.access import Action, Capability, Depth, RecordKind
from agentdesk.domain.agent_metrics import (
    StateChange,
    StateTimes,
    calls_per_hour,
    occupancy_pct,
    state_times,
)
from agentdesk.domain.contact_metrics import QueueCounts
from agentdesk.org.access import Access
from agentdesk.org.models import Team, User
from agentdesk.supervision.models import AgentInterval, AgentStateLog, QueueInterval
from agentdesk.supervision.queue_members import team_queues
from agentdesk.supervision.report_request import ReportError, ReportKind, ReportRequest

QUEUE_KEYS = (
    "queue", "interval_start", "offered", "answered", "abandoned", "short_abandoned",
    "service_level_pct", "asa_s", "aht_s", "longest_wait_s",
)  # fmt: skip
HOURLY_KEYS = ("hour", *QUEUE_KEYS[2:])
AGENT_KEYS = (
    "agent", "handled_in", "handled_out", "talk_s", "hold_s", "wrapup_s", "not_ready_s",
    "available_s", "occupancy_pct", "calls_per_hour",
)  # fmt: skip
COUNT_FIELDS = tuple(f.name for f in fields(QueueCounts))


def rounded(value: float | None) -> float | None:
    return None if value is None else round(value, 2)


def agents_in_reach(access: Access | None) -> frozenset[uuid.UUID] | None:
    """The agents whose figures ``access`` may read (``None``: all): those whose calls the
    role reads, a supervisor their department; always themselves."""
    if access is None:
        return None
    access.require(Capability.VIEW_BOARD)
    match access.depth(RecordKind.CALLS, Action.READ):
        case Depth.ALL:
            return None
        case Depth.NONE | Depth.OWN:
            return frozenset({access.user_id})
        case Depth.TEAM:
            return access.team | {access.user_id}
        case Depth.DEPARTMENT:
            return access.department | {access.user_id}


def agent_filter(
    session: Session,
    column: Any,
    access: Access | None,
    team: str | None,
) -> ColumnElement[bool]:
    """``column`` (a user id) restricted to the agents in reach and in ``team`` (the team
    named and the teams below it)."""
    condition: ColumnElement[bool] = true()
    reach = agents_in_reach(access)
    if reach is not None:
        condition = column.in_(reach)
    if team is not None:
        members = select(User.id).where(User.team_id.in_(team_and_below(session, team)))
        condition = condition & column.in_(members)
    return condition


def team_and_below(session: Session, team: str) -> list[uuid.UUID]:
    """The team named and the teams directly below it (a department's teams): what
    ``--team`` covers in every report."""
    team_id = session.scalar(select(Team.id).where(Team.name == team))
    if team_id is None:
        raise ReportError(f"no team named {team!r}")
    return list(
        session.scalars(select(Team.id).where(or_(Team.id == team_id, Team.parent_id == team_id)))
    )


def report_queues(session: Session, request: ReportRequest) -> list[str] | None:
    """The queues a queue-shaped report covers; ``None``: every queue. ``--team T``: the
    queues T's teams serve as ``queue_members`` says now (a member team, or a member agent
    of one), ``--queue`` narrowing them."""
    if request.team is None:
        return None if request.queue is None else [request.queue]
    served = team_queues(session, team_and_below(session, request.team))
    return [q for q in served if request.queue is None or q == request.queue]


def queue_filters(queues: list[str] | None, request: ReportRequest) -> dict[str, str]:
    """The printed filters of a queue-shaped report: with ``--team``, the queues it meant."""
    given = request.filters()
    if request.team is not None and queues is not None:
        given["team_queues"] = ", ".join(queues)
    return given


def queue_figures(counts: QueueCounts, request: ReportRequest) -> dict[str, Any]:
    """The figures every queue-shaped row shows, from summed counts."""
    return {
        "offered": counts.offered,
        "answered": counts.answered,
        "abandoned": counts.abandoned,
        "short_abandoned": counts.short_abandoned,
        "service_level_pct": rounded(counts.service_level_pct(request.formula)),
        "asa_s": rounded(counts.asa_s()),
        "aht_s": rounded(counts.aht_s()),
        "longest_wait_s": rounded(counts.longest_wait_s),
    }


def interval_counts(
    session: Session, request: ReportRequest, queues: list[str] | None
) -> list[tuple[str, datetime, QueueCounts]]:
    """The rollup rows of ``queues`` (``None``: all) in the period (queue, interval start,
    counts), in order."""
    start, end = request.bounds()
    stmt = select(QueueInterval).where(
        QueueInterval.interval_start >= start, QueueInterval.interval_start < end
    )
    if queues is not None:
        stmt = stmt.where(QueueInterval.queue.in_(queues))
    stmt = stmt.order_by(QueueInterval.queue, QueueInterval.interval_start)
    return [
        (row.queue, row.interval_start, QueueCounts(**{k: getattr(row, k) for k in COUNT_FIELDS}))
        for row in session.scalars(stmt)
    ]


def _total(counts: Iterable[QueueCounts]) -> QueueCounts:
    total = QueueCounts()
    for c in counts:
        total = total + c
    return total


def queues_report(session: Session, request: ReportRequest) -> dict[str, Any]:
    queues = report_queues(session, request)
    found = interval_counts(session, request, queues)
    rows = [
        {"queue": q, "interval_start": request.local_iso(at), **queue_figures(c, request)}
        for q, at, c in found
    ]
    totals = {
        "queue": request.queue,
        "interval_start": None,
        **queue_figures(_total(c for _, _, c in found), request),
    }
    by_day: dict[str, QueueCounts] = {}
    for _, at, counts in found:
        day = request.zone.local(at).date().isoformat()
        by_day[day] = by_day.get(day, QueueCounts()) + counts
    days = [{"day": d, **queue_figures(c, request)} for d, c in sorted(by_day.items())]
    filters = queue_filters(queues, request)
    return {"filters": filters, "rows": rows, "totals": totals, "days": days}


def hourly_report(session: Session, request: ReportRequest) -> dict[str, Any]:
    """Per hour of the day (local), every queue (or the one asked) summed over the period."""
    by_hour: dict[int, QueueCounts] = {hour: QueueCounts() for hour in range(24)}
    queues = report_queues(session, request)
    found = interval_counts(session, request, queues)
    for _, at, counts in found:
        hour = request.zone.local(at).hour
        by_hour[hour] = by_hour[hour] + counts
    rows = [{"hour": f"{h:02d}:00", **queue_figures(c, request)} for h, c in by_hour.items()]
    totals = {"hour": None, **queue_figures(_total(by_hour.values()), request)}
    return {"filters": queue_filters(queues, request), "rows": rows, "totals": totals}


def _state_changes(
    session: Session, agents: set[uuid.UUID], start: datetime, end: datetime
) -> dict[uuid.UUID, list[StateChange]]:
    """Each agent's state log in the period, led by the state they were in when it began."""
    log = AgentStateLog
    changes: dict[uuid.UUID, list[StateChange]] = {a: [] for a in agents}
    if not agents:
        return changes
    before = (
        select(log.user_id, func.max(log.at).label("at"))
        .where(log.user_id.in_(agents), log.at < start)
        .group_by(log.user_id)
        .subquery()
    )
    leading = select(log.user_id, log.at, log.state, log.reason).join(
        before, (before.c.user_id == log.user_id) & (before.c.at == log.at)
    )
    inside = select(log.user_id, log.at, log.state, log.reason).where(
        log.user_id.in_(agents), log.at >= start, log.at < end
    )
    for stmt in (leading, inside.order_by(log.user_id, log.at)):
        for user_id, at, state, reason in session.execute(stmt):
            changes[user_id].append(StateChange(at, state, reason))
    return changes


def agents_report(
    session: Session, request: ReportRequest, access: Access | None, now: datetime
) -> dict[str, Any]:
    start, end = request.bounds()
    ai = AgentInterval
    sums = (
        select(
            ai.agent_id, func.sum(ai.handled_in), func.sum(ai.handled_out), func.sum(ai.talk_s),
            func.sum(ai.hold_s), func.sum(ai.wrapup_s),
        )
        .where(
            ai.interval_start >= start, ai.interval_start < end,
            agent_filter(session, ai.agent_id, access, request.team),
        )
        .group_by(ai.agent_id)
    )  # fmt: skip
    handled = {row[0]: row[1:] for row in session.execute(sums)}
    # The users are few (hundreds); each one's leading state and log in the period decide
    # whether they worked in it.
    candidates = set(
        session.scalars(select(User.id).where(agent_filter(session, User.id, access, request.team)))
    )
    states = _state_changes(session, candidates, start, end)
    until = min(end, now)
    times = {a: state_times(log, start, until) for a, log in states.items()}
    agents = set(handled) | {a for a, t in times.items() if t.staffed_s > 0}
    names = dict(session.execute(select(User.id, User.username).where(User.id.in_(agents))).all())
    rows = []
    for agent in sorted(agents, key=lambda a: names.get(a, "")):
        h_in, h_out, talk, hold, wrap = handled.get(agent, (0, 0, 0.0, 0.0, 0.0))
        spent = times.get(agent) or state_times([], start, until)
        rows.append(agent_row(names.get(agent, str(agent)), h_in, h_out, talk, hold, wrap, spent))
    return {"rows": rows, "totals": _agent_totals(rows)}


def agent_row(name: str, h_in: int, h_out: int, talk: float, hold: float, wrap: float,
              times: StateTimes) -> dict[str, Any]:  # fmt: skip
    handle = talk + hold + wrap
    return {
        "agent": name,
        "handled_in": int(h_in),
        "handled_out": int(h_out),
        "talk_s": rounded(talk),
        "hold_s": rounded(hold),
        "wrapup_s": rounded(wrap),
        "not_ready_s": rounded(times.not_ready_s),
        "available_s": rounded(times.available_s),
        "occupancy_pct": rounded(occupancy_pct(handle, times.available_s)),
        "calls_per_hour": rounded(calls_per_hour(int(h_in) + int(h_out), times.staffed_s)),
        "not_ready_by_reason": {k: rounded(v) for k, v in times.not_ready_by_reason.items()},
    }


def _agent_totals(rows: list[dict[str, Any]]) -> dict[str, Any]:
    def total(key: str) -> Any:
        return sum(r[key] or 0 for r in rows)

    handle = total("talk_s") + total("hold_s") + total("wrapup_s")
    return {
        "agent": None,
        **{k: rounded(float(total(k))) if k.endswith("_s") else total(k) for k in AGENT_KEYS[1:8]},
        "occupancy_pct": rounded(occupancy_pct(handle, total("available_s"))),
        "calls_per_hour": None,
    }


Builder = Callable[[Session, ReportRequest, Access | None, datetime], dict[str, Any]]


def build_report(
    session: Session,
    request: ReportRequest,
    access: Access | None,
    now: datetime,
    builders: Mapping[ReportKind, Builder],
) -> dict[str, Any]:
    """The report as JSON: ``service_level_formula`` first, the period, then its rows."""
    agents_in_reach(access)  # the view_board check, for every kind
    start, end = request.bounds()
    head: dict[str, Any] = {
        "service_level_formula": request.formula.value,
        "service_level_formula_text": request.formula.describe(),
        "report": request.kind.value,
        "from": request.first.isoformat(),
        "to": request.last.isoformat(),
        "time_zone": request.zone.name,
        "period_start": request.local_iso(start),
        "period_end": request.local_iso(end),
        "filters": request.filters(),
    }
    return {**head, **builders[request.kind](session, request, access, now)}
