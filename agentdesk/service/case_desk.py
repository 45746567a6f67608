"""What the case desk works with beyond a case's status: its list with filters, assigning
and reassigning (one or a selection), taking a case from the team queue.

The timeline (notes, calls, articles) is ``case_timeline.py``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import Uuid, literal_column, select, text
from sqlalchemy.orm import Session, aliased, sessionmaker

from agentdesk.crm.models import OPEN_CASES_SQL, ServiceCase
from agentdesk.crm.permissions import acting_access, check_edit
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability, RecordKind
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction, CasePriority, CaseStatus
from agentdesk.org.access import Access
from agentdesk.org.models import Team, User
from agentdesk.org.users import AgentRef, active_usernames, actor_of, find_user
from agentdesk.service.case_work import (
    PAGE,
    breached_filter,
    check_queue,
    find_case,
    team_of,
    workable,
)
from agentdesk.service.cases import CaseView, view_named, view_of


class Scope(StrEnum):
    """Whose cases a list shows."""

    MINE = "mine"
    QUEUE = "queue"
    """The user's team's queue: cases of the team that nobody owns yet."""
    ALL = "all"
    """Every open case the user works."""


@dataclass(frozen=True, slots=True)
class CaseFilter:
    scope: Scope = Scope.ALL
    status: CaseStatus | None = None
    """None: every open status."""
    priority: CasePriority | None = None
    breached: bool = False


def desk_list(
    sessions: sessionmaker[Session],
    chosen: CaseFilter,
    *,
    agent: AgentRef | None,
    now: datetime | None = None,
    limit: int = PAGE,
) -> list[CaseView]:
    """The first page of the cases ``chosen`` picks, most pressing due time first."""
    now = now or utcnow()
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        owner, team_row = aliased(User), aliased(Team)
        query = (
            select(ServiceCase, owner.username, team_row.name)
            .outerjoin(owner, owner.id == ServiceCase.owner_id)
            .outerjoin(team_row, team_row.id == ServiceCase.team_id)
            .where(ServiceCase.deleted_at.is_(None), text(OPEN_CASES_SQL))
        )
        if chosen.status is not None:
            query = query.where(ServiceCase.status == chosen.status)
        match chosen.scope:
            case Scope.MINE:
                if access is None:
                    raise RequestError("--mine needs a user: the owner's connection owns no cases")
                query = query.where(ServiceCase.owner_id == access.user_id)
            case Scope.QUEUE:
                team = team_of(session, access) if access is not None else None
                query = query.where(ServiceCase.owner_id.is_(None))
                if access is not None:
                    query = query.where(ServiceCase.team_id == team)
                else:
                    query = query.where(ServiceCase.team_id.is_not(None))
            case Scope.ALL:
                if session.get_bind().dialect.name == "sqlite":
                    # "+column" keeps SQLite off the owner and id indexes: it then walks the
                    # open cases in due order (the partial index) and stops at the page,
                    # instead of reading every case of the team's owners, open or closed,
                    # and sorting them (60,000 rows for one page at 1,000,000 cases)
                    plain = (literal_column("+service_cases.owner_id", Uuid),
                             literal_column("+service_cases.id", Uuid))  # fmt: skip
                    query = query.where(workable(session, access, *plain))
                else:
                    query = query.where(workable(session, access))
        if chosen.priority is not None:
            query = query.where(ServiceCase.priority == chosen.priority)
        if chosen.breached:
            query = query.where(breached_filter(now))
        # the partial index's order (PostgreSQL puts nulls last, SQLite first: a case without
        # due times, from before the service module, is rare either way)
        query = query.order_by(ServiceCase.due_at, ServiceCase.number).limit(limit)
        return [view_named(case, name, team) for case, name, team in session.execute(query)]


def list_cases(
    sessions: sessionmaker[Session],
    *,
    agent: AgentRef | None,
    mine: bool = False,
    breached: bool = False,
    now: datetime | None = None,
    limit: int = PAGE,
) -> list[CaseView]:
    """``case list``: the open cases the user works (``mine``: only their own; ``breached``:
    only those past a target), most pressing due time first: the desk's list."""
    chosen = CaseFilter(Scope.MINE if mine else Scope.ALL, breached=breached)
    return desk_list(sessions, chosen, agent=agent, now=now, limit=limit)


def _assign_one(
    session: Session, access: Access | None, agent: AgentRef | None, number: str, owner: User
) -> CaseView:
    case = find_case(session, number)
    check_queue(session, access, case)
    check_edit(session, access, RecordKind.CASES, case, owner.id)
    before = case.owner_id
    case.owner_id = owner.id
    case.team_id = owner.team_id if owner.team_id is not None else case.team_id
    if CaseStatus(case.status) is CaseStatus.NEW:
        case.status = CaseStatus.ASSIGNED
    session.flush()
    who = actor_of(session, access.username if access else agent)
    change = {"owner": [str(before) if before else None, str(owner.id)]}
    audit(session, who, AuditAction.ASSIGN, "case", case.id, change)
    return view_of(session, case)


def assign_cases(
    sessions: sessionmaker[Session],
    numbers: Sequence[str],
    to: AgentRef,
    *,
    agent: AgentRef | None,
) -> list[CaseView]:
    """Give the cases to ``to``, all or none: another's case, or one for someone else, needs
    ``reassign`` (``crm.permissions.check_edit``), a queued case the queue's team."""
    if not numbers:
        return []
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        owner = find_user(session, to)
        return [_assign_one(session, access, agent, n, owner) for n in numbers]


def take_case(sessions: sessionmaker[Session], number: str, *, agent: AgentRef) -> CaseView:
    """Take a case from the team queue for oneself (a claim: no ``reassign`` needed)."""
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        case = find_case(session, number)
        if case.owner_id is not None:
            raise RequestError(f"case {number} is not in a queue: someone works it already")
        owner = find_user(session, agent)
        return _assign_one(session, access, agent, number, owner)


def may_reassign(sessions: sessionmaker[Session], agent: AgentRef | None) -> bool:
    """Whether the user may give cases to others (the desk shows Assign to… only then)."""
    with sessions() as session:
        access = acting_access(session, agent)
        return access is None or access.has(Capability.REASSIGN)


def colleagues(sessions: sessionmaker[Session]) -> tuple[str, ...]:
    """The active users' names, whom a case may be given to."""
    with sessions() as session:
        return active_usernames(session)


def case_number_of(sessions: sessionmaker[Session], case_id: uuid.UUID) -> str:
    """A case's number from its id (the party history knows cases by id)."""
    with sessions() as session:
        number = session.scalar(select(ServiceCase.number).where(ServiceCase.id == case_id))
        if number is None:
            raise RequestError(f"no case {case_id}")
        return number
