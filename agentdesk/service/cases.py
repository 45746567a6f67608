"""Opening a case: its number, party, queue or owner, and service-level due times.

The acting user is the connection's login (PostgreSQL) or the configured agent (SQLite), as
for every service; a case for someone else needs ``reassign``, as any record.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Contact, ServiceCase
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import RecordKind
from agentdesk.domain.clock import utcnow, zone_named
from agentdesk.domain.enums import AuditAction, CaseChannel, CasePriority, CaseStatus
from agentdesk.org.models import Team, User
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.service.calendar import load_calendar
from agentdesk.service.numbering import next_number
from agentdesk.service.service_levels import case_targets, schedule


@dataclass(frozen=True, slots=True)
class CaseSpec:
    """A new case. ``team`` puts it in that team's queue (no owner); else the acting user
    owns it and it belongs to their team."""

    subject: str
    contact_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    description: str | None = None
    priority: CasePriority = CasePriority.NORMAL
    category: str | None = None
    channel: CaseChannel | None = None
    product: str | None = None
    team: str | None = None
    opened_at: datetime | None = None


@dataclass(frozen=True, slots=True)
class CaseView:
    """A case as the CLI and the desk show it."""

    id: uuid.UUID
    number: str
    subject: str
    status: CaseStatus
    priority: CasePriority
    category: str | None
    channel: CaseChannel | None
    contact_id: uuid.UUID | None
    account_id: uuid.UUID | None
    owner: str | None
    team: str | None
    created_at: datetime
    opened_at: datetime
    first_response_due: datetime | None
    resolution_due: datetime | None
    first_responded_at: datetime | None
    resolved_at: datetime | None
    paused: bool
    first_response_breached: bool
    resolution_breached: bool
    escalated: bool
    sla_policy_id: uuid.UUID | None
    """The service-level policy the due times were counted from; ``None``: the defaults."""
    first_response_minutes: int
    resolution_minutes: int

    def to_json(self) -> dict[str, Any]:
        def iso(value: datetime | None) -> str | None:
            return value.astimezone(UTC).isoformat() if value is not None else None

        return {
            "id": str(self.id),
            "number": self.number,
            "subject": self.subject,
            "status": self.status.value,
            "priority": self.priority.value,
            "category": self.category,
            "channel": self.channel.value if self.channel else None,
            "contact_id": str(self.contact_id) if self.contact_id else None,
            "account_id": str(self.account_id) if self.account_id else None,
            "owner": self.owner,
            "team": self.team,
            "created_at": iso(self.created_at),
            "opened_at": iso(self.opened_at),
            "first_response_due": iso(self.first_response_due),
            "resolution_due": iso(self.resolution_due),
            "first_responded_at": iso(self.first_responded_at),
            "resolved_at": iso(self.resolved_at),
            "paused": self.paused,
            "first_response_breached": self.first_response_breached,
            "resolution_breached": self.resolution_breached,
            "escalated": self.escalated,
            "sla_policy_id": str(self.sla_policy_id) if self.sla_policy_id else None,
            "first_response_minutes": self.first_response_minutes,
            "resolution_minutes": self.resolution_minutes,
        }


def view_of(session: Session, case: ServiceCase) -> CaseView:
    owner = session.get(User, case.owner_id) if case.owner_id else None
    team = session.get(Team, case.team_id) if case.team_id else None
    return view_named(case, owner.username if owner else None, team.name if team else None)


def view_named(case: ServiceCase, owner: str | None, team: str | None) -> CaseView:
    """The view of a case whose owner's and team's names were read with it (a list's join)."""
    assert case.number is not None and case.opened_at is not None
    targets = case_targets(case)
    return CaseView(
        id=case.id,
        number=case.number,
        subject=case.subject,
        status=CaseStatus(case.status),
        priority=CasePriority(case.priority),
        category=case.category,
        channel=CaseChannel(case.channel) if case.channel else None,
        contact_id=case.contact_id,
        account_id=case.account_id,
        owner=owner,
        team=team,
        created_at=case.created_at,
        opened_at=case.opened_at,
        first_response_due=case.first_response_due,
        resolution_due=case.due_at,
        first_responded_at=case.first_responded_at,
        resolved_at=case.resolved_at,
        paused=case.sla_paused_at is not None,
        first_response_breached=case.first_response_breached,
        resolution_breached=case.resolution_breached,
        escalated=case.escalated_at is not None,
        sla_policy_id=case.sla_policy_id,
        first_response_minutes=targets.first_response,
        resolution_minutes=targets.resolution,
    )


def open_case(
    session: Session,
    spec: CaseSpec,
    default_zone: str,
    agent: AgentRef | None,
    now: datetime | None = None,
) -> ServiceCase:
    """Insert the case in the session's transaction; the number is its first write, so call
    this before anything else in the transaction (see ``numbering.py``)."""
    subject = spec.subject.strip()
    if not subject:
        raise RequestError("a case needs a subject")
    opened = (spec.opened_at or now or utcnow()).astimezone(UTC)
    calendar = load_calendar(session, default_zone)  # a read: the number stays the first write
    number = next_number(session, _local_year(opened, calendar.zone))
    access = acting_access(session, agent)
    owner_id, team_id = _placement(session, spec, access.user_id if access else None)
    if access is not None:
        access.check_create(RecordKind.CASES, owner_id)
    account_id = spec.account_id
    if spec.contact_id is not None:
        contact = session.get(Contact, spec.contact_id)
        if contact is None or contact.deleted_at is not None:
            raise RequestError(f"contact {spec.contact_id} does not exist")
        account_id = account_id or contact.account_id
    case = ServiceCase(
        number=number,
        subject=subject,
        description=spec.description,
        status=CaseStatus.ASSIGNED if owner_id else CaseStatus.NEW,
        priority=spec.priority,
        category=spec.category,
        channel=spec.channel,
        product=spec.product,
        contact_id=spec.contact_id,
        account_id=account_id,
        owner_id=owner_id,
        team_id=team_id,
        opened_at=opened,
    )
    schedule(session, case, calendar)
    session.add(case)
    session.flush()
    who = actor_of(session, access.username if access else agent)
    audit(session, who, AuditAction.CREATE, "case", case.id, {"number": number})
    return case


def _local_year(opened: datetime, zone: str) -> int:
    """The year of the case's opening in the service's zone (its calendar's): a case opened
    at 01:00 on 1 January in Shanghai is numbered in the new year, though UTC is still in the
    old one."""
    return opened.astimezone(zone_named(zone).tz).year


def number_new_case(session: Session, case: ServiceCase, default_zone: str) -> None:
    """Number and schedule a case another module opened in this transaction (a wrap-up's):
    call it once that transaction has written, so the number's write does not come first."""
    opened = (case.opened_at or utcnow()).astimezone(UTC)
    calendar = load_calendar(session, default_zone)
    case.number = next_number(session, _local_year(opened, calendar.zone))
    case.opened_at = opened
    schedule(session, case, calendar)


def _placement(
    session: Session, spec: CaseSpec, user_id: uuid.UUID | None
) -> tuple[uuid.UUID | None, uuid.UUID | None]:
    if spec.team is not None:
        team_id = session.scalar(
            select(Team.id).where(Team.name == spec.team, Team.deleted_at.is_(None))
        )
        if team_id is None:
            raise RequestError(f"no team named {spec.team!r}")
        return None, team_id
    if user_id is None:
        return None, None
    user = session.get(User, user_id)
    return user_id, user.team_id if user else None


def create_case(
    sessions: sessionmaker[Session],
    spec: CaseSpec,
    *,
    agent: AgentRef | None,
    default_zone: str,
    now: datetime | None = None,
) -> CaseView:
    with unit_of_work(sessions) as session:
        case = open_case(session, spec, default_zone, agent, now)
        return view_of(session, case)
