"""Working cases: moving a case through its statuses (the service-level clock with it) and
the lists an agent works from (my cases, the team queue, breached ones)."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import ServiceCase
from agentdesk.crm.permissions import acting_access, check_edit
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Action, Depth, RecordKind, Refusal
from agentdesk.domain.business_time import resume_due
from agentdesk.domain.cases import is_first_response, is_reopen, may_move
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction, CaseStatus
from agentdesk.org.access import Access, AccessDeniedError
from agentdesk.org.models import User
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.service.calendar import load_calendar
from agentdesk.service.cases import CaseView, view_of

PAGE = 100
"""The first page of a case list."""


class CaseNotFoundError(RequestError):
    def __init__(self, number: str) -> None:
        super().__init__(f"no case numbered {number!r}")


def team_of(session: Session, access: Access) -> uuid.UUID | None:
    user = session.get(User, access.user_id)
    return user.team_id if user else None


def check_queue(session: Session, access: Access | None, case: ServiceCase) -> None:
    """A case in a team's queue is worked by that team (and whoever reaches every case)."""
    if access is None or case.owner_id is not None or case.team_id is None:
        return
    if access.depth(RecordKind.CASES, Action.UPDATE) is Depth.ALL:
        return
    if case.team_id != team_of(session, access):
        raise AccessDeniedError(access.username, Refusal(Action.UPDATE, RecordKind.CASES))


def find_case(session: Session, number: str) -> ServiceCase:
    case = session.scalar(
        select(ServiceCase).where(ServiceCase.number == number, ServiceCase.deleted_at.is_(None))
    )
    if case is None:
        raise CaseNotFoundError(number)
    return case


def set_status(
    sessions: sessionmaker[Session],
    number: str,
    status: CaseStatus,
    *,
    agent: AgentRef | None,
    default_zone: str,
    resolution: str | None = None,
    now: datetime | None = None,
) -> CaseView:
    """Move the case (``domain.cases.may_move``); taking a queued case to work claims it."""
    now = now or utcnow()
    with unit_of_work(sessions) as session:
        case = find_case(session, number)
        current = CaseStatus(case.status)
        if not may_move(current, status):
            raise RequestError(f"case {number} cannot go from {current.value} to {status.value}")
        access = acting_access(session, agent)
        claim = (
            case.owner_id is None
            and access is not None
            and status in (CaseStatus.ASSIGNED, CaseStatus.IN_PROGRESS)
        )
        check_queue(session, access, case)
        check_edit(session, access, RecordKind.CASES, case,
                   access.user_id if claim and access else ...)  # fmt: skip
        if claim and access is not None:
            case.owner_id = access.user_id
        _move_clock(session, case, current, status, default_zone, now)
        case.status = status
        if resolution is not None:
            case.resolution = resolution
        session.flush()
        who = actor_of(session, access.username if access else agent)
        change = {"status": [current.value, status.value]}
        audit(session, who, AuditAction.UPDATE, "case", case.id, change)
        return view_of(session, case)


def _move_clock(
    session: Session,
    case: ServiceCase,
    current: CaseStatus,
    status: CaseStatus,
    default_zone: str,
    now: datetime,
) -> None:
    if is_first_response(current, status) and case.first_responded_at is None:
        case.first_responded_at = now
        if case.first_response_due is not None and now > case.first_response_due:
            case.first_response_breached = True
    if current is CaseStatus.WAITING and case.sla_paused_at is not None:
        if case.due_at is not None:
            calendar = load_calendar(session, default_zone)
            case.due_at = resume_due(calendar, case.due_at, case.sla_paused_at, now)
        case.sla_paused_at = None
    if status is CaseStatus.WAITING:
        case.sla_paused_at = now
        if case.due_at is not None and now > case.due_at:
            case.resolution_breached = True
    if status in (CaseStatus.RESOLVED, CaseStatus.CLOSED) and case.resolved_at is None:
        case.resolved_at = now
        if case.due_at is not None and now > case.due_at:
            case.resolution_breached = True
    if is_reopen(current, status):
        case.resolved_at = None


def breached_filter(now: datetime) -> ColumnElement[bool]:
    """Open cases past a target, or flagged when one was missed.

    Not shared with the escalation pass's verdict (``escalation``), which flags by the share
    of business time used: it differs at ``now == due``, with no business minute left before
    a due time (a calendar changed since), and for a case paused after its due time; one
    rule for both would change which cases are flagged or listed."""
    return or_(
        ServiceCase.first_response_breached.is_(True),
        ServiceCase.resolution_breached.is_(True),
        and_(ServiceCase.first_responded_at.is_(None), ServiceCase.first_response_due < now),
        # a paused clock stops a case from breaching, not one that breached before the pause
        and_(
            ServiceCase.due_at < now,
            or_(
                ServiceCase.sla_paused_at.is_(None), ServiceCase.due_at < ServiceCase.sla_paused_at
            ),
        ),
    )


def workable(
    session: Session,
    access: Access | None,
    owner: ColumnElement[Any] | None = None,
    record_id: ColumnElement[Any] | None = None,
) -> ColumnElement[bool]:
    """What the user works: the cases their update depth reaches, and of the unowned ones
    those in no queue or in their team's. ``owner`` and ``record_id`` stand for the case's
    columns (an expression of them keeps a planner off their indexes)."""
    if access is None:
        return true()
    owner_col: ColumnElement[Any] = ServiceCase.owner_id if owner is None else owner  # type: ignore[assignment]
    id_col: ColumnElement[Any] = ServiceCase.id if record_id is None else record_id  # type: ignore[assignment]
    reach = access.visible(RecordKind.CASES, owner_col, id_col, Action.UPDATE)
    if access.depth(RecordKind.CASES, Action.UPDATE) is Depth.ALL:
        return reach
    team = team_of(session, access)
    queue = or_(
        owner_col.is_not(None),
        ServiceCase.team_id.is_(None),
        ServiceCase.team_id == team if team is not None else false(),
    )
    return and_(reach, queue)
