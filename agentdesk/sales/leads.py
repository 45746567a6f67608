"""Leads: the list with its filters, assigning (one, a selection, round-robin over a team) and
disqualifying with a reason; converting is ``lead_convert.py``.

Here rather than in ``crm/``: a lead is worked by the sales team and becomes an opportunity
(``sales``' stage history), and ``sales`` sits above ``crm``, so it can use both the parties
and the opportunities; the ``leads`` table itself stays in ``crm/models.py`` with the other
parties the screen pop finds. Every operation is checked against the acting user's role
(record kind ``leads``: a sales rep owns their leads) and audited in its transaction;
PostgreSQL's row policies apply the same rule again on a desk login.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta

from sqlalchemy import func, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Lead
from agentdesk.crm.permissions import acting_access, check_edit
from agentdesk.db.audit import audit
from agentdesk.db.errors import RecordNotFoundError, RequestError
from agentdesk.domain.access import Action, RecordKind, Refusal
from agentdesk.domain.enums import AuditAction, LeadStatus
from agentdesk.domain.names import display_name
from agentdesk.org.access import Access, AccessDeniedError
from agentdesk.org.admin import audit_actor, team_by_name
from agentdesk.org.models import User
from agentdesk.org.users import AgentRef, find_user
from agentdesk.sales.models import LeadConversion

OPEN_STATUSES = (LeadStatus.NEW, LeadStatus.CONTACTED, LeadStatus.QUALIFIED)
"""A lead still being worked: the round-robin balances these."""


@dataclass(frozen=True, slots=True)
class LeadFilter:
    """What the list shows; every field left empty matches every lead. ``created_from`` and
    ``created_to`` are days (both inclusive) of the UTC creation time."""

    status: LeadStatus | None = None
    owner: str | None = None
    """A username; ``"-"`` for the leads nobody owns (the pool)."""
    source: str | None = None
    created_from: date | None = None
    created_to: date | None = None
    text: str | None = None
    """Part of the name, company or e-mail, case ignored."""
    limit: int = 200


@dataclass(frozen=True, slots=True)
class LeadView:
    id: uuid.UUID
    name: str
    company: str | None
    email: str | None
    status: str
    source: str | None
    owner: str | None
    created_at: datetime
    disqualified_reason: str | None = None
    converted: dict[str, str] = field(default_factory=dict)
    """``{account_id, contact_id, opportunity_id}`` once converted."""

    def as_json(self) -> dict[str, object]:
        return {
            "id": str(self.id),
            "name": self.name,
            "company": self.company,
            "email": self.email,
            "status": self.status,
            "source": self.source,
            "owner": self.owner,
            "created_at": self.created_at.isoformat(),
            "disqualified_reason": self.disqualified_reason,
            "converted": self.converted or None,
        }


def lead_name(lead: Lead) -> str:
    return display_name(lead.first_name, lead.last_name, lead.country) or (lead.company or "")


def _day_start(day: date) -> datetime:
    return datetime.combine(day, time(), UTC)


def list_leads(
    sessions: sessionmaker[Session],
    filters: LeadFilter = LeadFilter(),
    *,
    actor: AgentRef | None = None,
) -> list[LeadView]:
    """The newest leads the user may read that match ``filters``."""
    query = (
        select(Lead, User.username, LeadConversion)
        .outerjoin(User, User.id == Lead.owner_id)
        .outerjoin(LeadConversion, LeadConversion.lead_id == Lead.id)
        .where(Lead.deleted_at.is_(None))
        .order_by(Lead.created_at.desc(), Lead.id.desc())
        .limit(max(1, min(filters.limit, 5000)))
    )
    if filters.status is not None:
        query = query.where(Lead.status == filters.status)
    if filters.source:
        query = query.where(func.lower(Lead.source) == filters.source.strip().lower())
    if filters.created_from is not None:
        query = query.where(Lead.created_at >= _day_start(filters.created_from))
    if filters.created_to is not None:
        query = query.where(Lead.created_at < _day_start(filters.created_to + timedelta(days=1)))
    if filters.text and filters.text.strip():
        pattern = f"%{filters.text.strip().lower()}%"
        query = query.where(
            or_(
                *(
                    func.lower(column).like(pattern)
                    for column in (Lead.first_name, Lead.last_name, Lead.company, Lead.email)
                )
            )
        )
    with sessions() as session:
        if filters.owner == "-":
            query = query.where(Lead.owner_id.is_(None))
        elif filters.owner:
            query = query.where(Lead.owner_id == find_user(session, filters.owner).id)
        access = acting_access(session, actor)
        if access is not None:
            query = query.where(access.visible(RecordKind.LEADS, Lead.owner_id, Lead.id))
        return [_view(lead, owner, done) for lead, owner, done in session.execute(query)]


def _view(lead: Lead, owner: str | None, done: LeadConversion | None) -> LeadView:
    converted = {}
    if done is not None:
        converted = {
            "account_id": str(done.account_id),
            "contact_id": str(done.contact_id),
            "opportunity_id": str(done.opportunity_id),
        }
    return LeadView(
        id=lead.id,
        name=lead_name(lead),
        company=lead.company,
        email=lead.email,
        status=lead.status.value,
        source=lead.source,
        owner=owner,
        created_at=lead.created_at,
        disqualified_reason=lead.disqualified_reason,
        converted=converted,
    )


def load_lead(session: Session, lead_id: uuid.UUID) -> Lead:
    lead = session.get(Lead, lead_id)
    if lead is None or lead.deleted_at is not None:
        raise RecordNotFoundError(RecordKind.LEADS.value, lead_id)
    return lead


def _give(session: Session, access: Access | None, lead: Lead, target: User) -> bool:
    """Give ``lead`` to ``target`` as ``crm.ownership.assign`` does; whether it changed."""
    if lead.owner_id == target.id:
        return False
    check_edit(session, access, RecordKind.LEADS, lead, target.id)
    if access is not None and not access.may(RecordKind.LEADS, Action.UPDATE, target.id):
        # as PostgreSQL's WITH CHECK: the lead must stay within the assigner's reach
        refusal = Refusal(Action.UPDATE, RecordKind.LEADS, recipient=target.username)
        raise AccessDeniedError(access.username, refusal)
    before = lead.owner_id
    lead.owner_id = target.id
    actor = audit_actor(session, access.username if access else None)
    details = {"from": str(before) if before else None, "to": target.username}
    audit(session, actor, AuditAction.ASSIGN, RecordKind.LEADS.value, lead.id, details)
    return True


def assign_leads(
    sessions: sessionmaker[Session],
    ids: Sequence[uuid.UUID],
    to_user: str,
    *,
    actor: AgentRef | None = None,
) -> dict[str, str]:
    """Give the leads to ``to_user`` (all or none); returns ``{lead id: username}``."""
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        target = find_user(session, to_user)
        for lead_id in ids:
            _give(session, access, load_lead(session, lead_id), target)
        return {str(lead_id): target.username for lead_id in ids}


def team_members(session: Session, team: str) -> list[User]:
    """The active users of ``team``, those with the fewest open leads first (then by name), so
    a round-robin starts with whoever has least to do."""
    found = team_by_name(session, team)
    load = (
        select(func.count(Lead.id))
        .where(
            Lead.owner_id == User.id,
            Lead.deleted_at.is_(None),
            Lead.status.in_(OPEN_STATUSES),
        )
        .scalar_subquery()
    )
    members = list(
        session.scalars(
            select(User)
            .where(User.team_id == found.id, User.active.is_(True), User.deleted_at.is_(None))
            .order_by(load, User.username)
        )
    )
    if not members:
        raise RequestError(f"team {team!r} has no active members")
    return members


def assign_round_robin(
    sessions: sessionmaker[Session],
    ids: Sequence[uuid.UUID],
    team: str,
    *,
    actor: AgentRef | None = None,
) -> dict[str, str]:
    """Deal the leads out over ``team``'s members in turn, in the order given, starting with
    the member who has the fewest open leads; all or none. Returns ``{lead id: username}``."""
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        members = team_members(session, team)
        given: dict[str, str] = {}
        for turn, lead_id in enumerate(ids):
            member = members[turn % len(members)]
            _give(session, access, load_lead(session, lead_id), member)
            given[str(lead_id)] = member.username
        return given


def disqualify_lead(
    sessions: sessionmaker[Session],
    lead_id: uuid.UUID,
    reason: str,
    *,
    actor: AgentRef | None = None,
) -> LeadView:
    """Drop a lead with a reason; a converted lead cannot be disqualified."""
    if not reason.strip():
        raise RequestError("give the reason the lead is disqualified")
    with sessions() as session, session.begin():
        lead = load_lead(session, lead_id)
        access = acting_access(session, actor)
        check_edit(session, access, RecordKind.LEADS, lead)
        if lead.status is LeadStatus.CONVERTED:
            raise RequestError(f"lead {lead_id} is converted: it cannot be disqualified")
        before = lead.status
        lead.status = LeadStatus.DISQUALIFIED
        lead.disqualified_reason = reason.strip()
        session.flush()
        actor_row = audit_actor(session, access.username if access else None)
        details = {"status": [before, LeadStatus.DISQUALIFIED], "reason": reason.strip()}
        audit(session, actor_row, AuditAction.UPDATE, RecordKind.LEADS.value, lead.id, details)
        owner = session.get(User, lead.owner_id) if lead.owner_id else None
        return _view(lead, owner.username if owner else None, None)


def parse_ids(texts: Iterable[str]) -> list[uuid.UUID]:
    """Lead ids as typed; a bad one is a request error naming it."""
    ids = []
    for text in texts:
        try:
            ids.append(uuid.UUID(text.strip()))
        except ValueError:
            raise RequestError(f"{text!r} is not a lead id") from None
    if len(set(ids)) != len(ids):
        raise RequestError("a lead is named twice")
    return ids
