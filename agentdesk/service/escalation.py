"""Escalation: a case that has used 80 % of a target (or missed it) goes one priority up, to
its team's lead, and its owner and that supervisor are notified on their desks.

A case is escalated once (``escalated_at``); its breach flags are set whenever a pass finds a
target missed. The team's lead is its active supervisor (the first by username).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, cast

from sqlalchemy import ColumnElement, CursorResult, and_, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import ServiceCase
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import Actor, audit
from agentdesk.db.clock import database_now
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.access import Capability
from agentdesk.domain.business_time import (
    Calendar,
    add_business_minutes,
    business_minutes_between,
)
from agentdesk.domain.cases import (
    DEFAULT_TARGETS,
    ESCALATE_AT,
    EscalationReason,
    escalation_reason,
    raised,
)
from agentdesk.domain.enums import OPEN_CASE_STATUSES, AuditAction, CasePriority, CaseStatus, Role
from agentdesk.org.models import User
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.service.calendar import load_calendar
from agentdesk.service.case_work import workable
from agentdesk.service.models import CaseNotification
from agentdesk.service.service_levels import case_targets, load_policies

ESCALATED = "case_escalated"


@dataclass(frozen=True, slots=True)
class Escalation:
    number: str
    priority: CasePriority
    owner_id: uuid.UUID | None
    notified: tuple[uuid.UUID, ...]
    reason: EscalationReason


def _used(calendar: Calendar, due: datetime, now: datetime, minutes: int) -> float:
    """The share of a ``minutes`` target used when ``due`` is its due time (pauses moved
    ``due``, so what is left is counted from now)."""
    if now >= due:
        return 1.0
    left = business_minutes_between(calendar, now, due)
    return max(0.0, 1.0 - left / minutes)


def lead_of(session: Session, team_id: uuid.UUID | None) -> User | None:
    if team_id is None:
        return None
    return session.scalars(
        select(User)
        .where(
            User.team_id == team_id,
            User.role == Role.SUPERVISOR,
            User.active.is_(True),
            User.deleted_at.is_(None),
        )
        .order_by(User.username)
        .limit(1)
    ).first()


def _team(session: Session, case: ServiceCase) -> uuid.UUID | None:
    if case.team_id is not None:
        return case.team_id
    owner = session.get(User, case.owner_id) if case.owner_id else None
    return owner.team_id if owner else None


@dataclass(frozen=True, slots=True)
class _Verdict:
    first_response_breached: bool
    resolution_breached: bool
    escalate: bool
    reason: EscalationReason

    def changes(self, case: ServiceCase) -> bool:
        flags = (case.first_response_breached, case.resolution_breached)
        return self.escalate or flags != (self.first_response_breached, self.resolution_breached)


def _verdict(case: ServiceCase, calendar: Calendar, now: datetime) -> _Verdict:
    """The breach flags the case should have now, and whether it is due for escalation."""
    targets = case_targets(case)
    first_used = resolution_used = 0.0
    if case.first_responded_at is None and case.first_response_due is not None:
        first_used = _used(calendar, case.first_response_due, now, targets.first_response)
    if case.sla_paused_at is None and case.due_at is not None:
        resolution_used = _used(calendar, case.due_at, now, targets.resolution)
    return _Verdict(
        case.first_response_breached or first_used >= 1.0,
        case.resolution_breached or resolution_used >= 1.0,
        case.escalated_at is None and max(first_used, resolution_used) >= ESCALATE_AT,
        escalation_reason(first_used, resolution_used),
    )


def _escalate(
    session: Session,
    case: ServiceCase,
    now: datetime,
    who: Actor | None,
    reason: EscalationReason,
) -> Escalation:
    assert case.number is not None
    previous = case.owner_id
    before = CasePriority(case.priority)
    lead = lead_of(session, _team(session, case))
    case.priority = raised(before)
    case.escalated_at = now
    if lead is not None:
        case.owner_id = lead.id
    notified = tuple(dict.fromkeys(u for u in (previous, lead.id if lead else None) if u))
    # a case taken from its owner and raised must say who did it and when, like a reassign
    change = {
        "escalated": True,
        "priority": [before.value, CasePriority(case.priority).value],
        "owner": [
            str(previous) if previous else None,
            str(case.owner_id) if case.owner_id else None,
        ],
    }
    audit(session, who, AuditAction.ASSIGN, "case", case.id, change)
    for user_id in notified:
        session.add(
            CaseNotification(
                user_id=user_id,
                case_id=case.id,
                kind=ESCALATED,
                message=f"{case.number} escalated to {case.priority}: {case.subject}"[:300],
                created_at=now,
                reason=reason.value,
            )
        )
    return Escalation(case.number, CasePriority(case.priority), case.owner_id, notified, reason)


def escalate_due_cases(
    sessions: sessionmaker[Session],
    *,
    default_zone: str,
    agent: AgentRef | None = None,
    now: datetime | None = None,
) -> list[Escalation]:
    """One pass over the open cases the user works (``case_work.workable``): flags breaches,
    escalates. It hands cases to team leads, so it needs ``reassign`` (supervisors, admins,
    the owner's connection).

    Safe to run from several desks at once: the cases a first read finds due are each
    changed in a transaction of their own that locks the case's row before reading it again
    (a no-op ``UPDATE``: PostgreSQL's row lock, SQLite's write lock, taken by the first
    statement so no older snapshot is in the way), so a second pass waits for the first and
    then sees the case escalated: one escalation, one set of notices. Returns this pass's.

    Without ``now`` the pass takes the database's clock, the one clock every desk shares."""
    with unit_of_work(sessions) as session:
        if now is None:
            now = database_now(session)
        access = acting_access(session, agent)
        if access is not None:
            access.require(Capability.REASSIGN)
        calendar = load_calendar(session, default_zone)
        cases = session.scalars(
            select(ServiceCase)
            .where(
                ServiceCase.deleted_at.is_(None),
                ServiceCase.status.in_(OPEN_CASE_STATUSES),
                workable(session, access),
                _may_change(session, calendar, now),
            )
            .order_by(ServiceCase.number)
        )
        due = [case.id for case in cases if _verdict(case, calendar, now).changes(case)]
    done: list[Escalation] = []
    for case_id in due:
        with unit_of_work(sessions) as session:
            escalation = _settle(session, case_id, calendar, now, agent)
        if escalation is not None:
            done.append(escalation)
    return done


def _may_change(session: Session, calendar: Calendar, now: datetime) -> ColumnElement[bool]:
    """The cases a pass may change, so a desk's pass every minute reads only those: a flag
    not yet set on a target now missed, or a case not yet escalated whose due time is near.
    Escalating needs at most ``1 - ESCALATE_AT`` of its target left in business minutes, so
    its due time comes before ``near``, that share (and a minute) of the longest target any
    policy or default gives, counted from now; a case whose own target is longer (from a
    policy since removed) is always read."""
    longest = max(
        [t for d in DEFAULT_TARGETS.values() for t in (d.first_response, d.resolution)]
        + [t for p in load_policies(session) for t in (p.targets.first_response,
                                                       p.targets.resolution)]
    )  # fmt: skip
    near = add_business_minutes(calendar, now, (1 - ESCALATE_AT) * longest + 1)
    c = ServiceCase
    waiting_first = and_(c.first_responded_at.is_(None), c.first_response_due.is_not(None))
    running = and_(c.sla_paused_at.is_(None), c.due_at.is_not(None))
    return or_(
        and_(waiting_first, c.first_response_breached.is_(False), c.first_response_due <= now),
        and_(running, c.resolution_breached.is_(False), c.due_at <= now),
        and_(
            c.escalated_at.is_(None),
            or_(
                and_(waiting_first, c.first_response_due <= near),
                and_(running, c.due_at <= near),
                c.first_response_minutes > longest,
                c.resolution_minutes > longest,
            ),
        ),
    )


def _settle(
    session: Session, case_id: uuid.UUID, calendar: Calendar, now: datetime, agent: AgentRef | None
) -> Escalation | None:
    lock = update(ServiceCase).where(ServiceCase.id == case_id)
    locked = session.execute(lock.values(escalated_at=ServiceCase.escalated_at))
    if cast("CursorResult[Any]", locked).rowcount == 0:
        return None  # gone, or a row the login may not change (its policies): not this pass's
    case = session.get(ServiceCase, case_id)
    if case is None or case.deleted_at is not None or not CaseStatus(case.status).is_open:
        return None
    verdict = _verdict(case, calendar, now)
    case.first_response_breached = verdict.first_response_breached
    case.resolution_breached = verdict.resolution_breached
    if not verdict.escalate:
        return None
    access = acting_access(session, agent)
    who = actor_of(session, access.username if access else agent)
    return _escalate(session, case, now, who, verdict.reason)


def notifications_for(sessions: sessionmaker[Session], user_id: uuid.UUID) -> list[tuple[str, str]]:
    """A desk's unread notices, oldest first: (kind, message)."""
    with unit_of_work(sessions) as session:
        rows = session.execute(
            select(CaseNotification.kind, CaseNotification.message)
            .where(CaseNotification.user_id == user_id, CaseNotification.read_at.is_(None))
            .order_by(CaseNotification.created_at, CaseNotification.id)
        )
        return [(kind, message) for kind, message in rows]
