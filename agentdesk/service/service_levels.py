"""Service-level policies: stored in ``service_sla_policies`` (configuration: a user manager
writes them, audited), and the targets and due times they give a case.

A case's due times are counted from the policy that applies when it is opened, and again
when its priority, category or customer changes (``retarget``). Escalation's priority raise
does not retarget: it reacts to a target nearly used up, and counting the raised priority's
shorter target from the opening would breach the case on the spot for a move the desk made
itself; the escalated case keeps the targets it was promised.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, ServiceCase
from agentdesk.db.audit import Actor, audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.domain.business_time import Calendar, add_business_minutes
from agentdesk.domain.cases import DEFAULT_TARGETS, Targets
from agentdesk.domain.enums import AuditAction, CasePriority
from agentdesk.domain.service_levels import SlaPolicy, match_key, retargeted_due, targets_for
from agentdesk.org.access import access_for
from agentdesk.org.identity import current_login
from agentdesk.org.users import AgentRef, actor_of, user_by_ref
from agentdesk.service.models import ServiceLevelPolicy


@dataclass(frozen=True, slots=True)
class PolicyView:
    id: uuid.UUID
    priority: CasePriority | None
    category: str | None
    account_id: uuid.UUID | None
    customer: str | None
    first_response_minutes: int
    resolution_minutes: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "priority": self.priority.value if self.priority else None,
            "category": self.category,
            "customer_id": str(self.account_id) if self.account_id else None,
            "customer": self.customer,
            "first_response_minutes": self.first_response_minutes,
            "resolution_minutes": self.resolution_minutes,
        }


def _policy(row: ServiceLevelPolicy) -> SlaPolicy:
    return SlaPolicy(
        row.id,
        CasePriority(row.priority) if row.priority else None,
        row.category,
        row.account_id,
        Targets(row.first_response_minutes, row.resolution_minutes),
    )


def load_policies(session: Session) -> list[SlaPolicy]:
    return [_policy(row) for row in session.scalars(select(ServiceLevelPolicy))]


def _view(session: Session, row: ServiceLevelPolicy) -> PolicyView:
    account = session.get(Account, row.account_id) if row.account_id else None
    return PolicyView(
        row.id,
        CasePriority(row.priority) if row.priority else None,
        row.category,
        row.account_id,
        account.name if account else None,
        row.first_response_minutes,
        row.resolution_minutes,
    )


def _require_manager(session: Session, agent: AgentRef | None) -> Actor | None:
    """Policies are configuration: ``manage_users``, unless the owner's connection acts for
    no user (as for the business hours). The actor for the audit entry."""
    login = current_login(session)
    who = login.username if login.username is not None else agent
    if who is not None and not (login.is_owner and user_by_ref(session, who) is None):
        access_for(session, who).require(Capability.MANAGE_USERS)
    return actor_of(session, who)


def find_account(session: Session, name_or_id: str) -> uuid.UUID:
    """An account by id, else by its exact name (case-insensitive); refused when none or
    several have that name."""
    try:
        wanted = uuid.UUID(name_or_id)
    except ValueError:
        ids = session.scalars(
            select(Account.id)
            .where(func.lower(Account.name) == name_or_id.strip().lower())
            .where(Account.deleted_at.is_(None))
            .limit(2)
        ).all()
        if len(ids) == 1:
            return ids[0]
        if ids:
            raise RequestError(f"several customers are named {name_or_id!r}: give the id") from None
        raise RequestError(f"no customer named {name_or_id!r}") from None
    account = session.get(Account, wanted)
    if account is None or account.deleted_at is not None:
        raise RequestError(f"customer {name_or_id} does not exist")
    return wanted


def set_policy(
    sessions: sessionmaker[Session],
    *,
    priority: CasePriority | None,
    category: str | None,
    customer: str | None,
    targets: Targets,
    agent: AgentRef | None,
) -> PolicyView:
    """Add the policy for this combination of criteria, or replace its targets. Two admins
    adding the same one at once: the second is refused by ``match_key``'s unique index and
    asked to run it again (it then replaces the first's targets)."""
    category = category.strip() if category is not None and category.strip() else None
    try:
        return _set_policy(sessions, priority, category, customer, targets, agent)
    except IntegrityError:
        raise RequestError("this policy was added meanwhile: run the command again") from None


def _set_policy(
    sessions: sessionmaker[Session],
    priority: CasePriority | None,
    category: str | None,
    customer: str | None,
    targets: Targets,
    agent: AgentRef | None,
) -> PolicyView:
    with unit_of_work(sessions) as session:
        who = _require_manager(session, agent)
        account_id = find_account(session, customer) if customer is not None else None
        key = match_key(priority, category, account_id)
        row = session.scalar(select(ServiceLevelPolicy).where(ServiceLevelPolicy.match_key == key))
        action = AuditAction.UPDATE
        before = None
        if row is None:
            action = AuditAction.CREATE
            row = ServiceLevelPolicy(
                match_key=key, priority=priority, category=category, account_id=account_id,
                first_response_minutes=0, resolution_minutes=0,
            )  # fmt: skip
            session.add(row)
        else:
            before = [row.first_response_minutes, row.resolution_minutes]
        row.first_response_minutes = targets.first_response
        row.resolution_minutes = targets.resolution
        session.flush()
        change: dict[str, Any] = {
            "sla_policy": key,
            "targets": [targets.first_response, targets.resolution],
        }
        if before is not None:
            change["before"] = before
        audit(session, who, action, "sla_policy", row.id, change)
        return _view(session, row)


def list_policies(sessions: sessionmaker[Session]) -> list[PolicyView]:
    """The policies, the most specific first (the order ``policy_for`` prefers them)."""
    with unit_of_work(sessions) as session:
        rows = list(session.scalars(select(ServiceLevelPolicy)))
        views = [_view(session, row) for row in rows]
    specific = {row.id: _policy(row).specificity for row in rows}
    return sorted(
        views,
        key=lambda v: (
            tuple(not s for s in specific[v.id]),
            v.customer or "",
            (v.category or "").casefold(),
            list(CasePriority).index(v.priority) if v.priority else 0,
        ),
    )


def remove_policy(
    sessions: sessionmaker[Session], policy_id: uuid.UUID, *, agent: AgentRef | None
) -> PolicyView:
    """Delete a policy; the cases counted from it keep their due times and targets."""
    with unit_of_work(sessions) as session:
        who = _require_manager(session, agent)
        row = session.get(ServiceLevelPolicy, policy_id)
        if row is None:
            raise RequestError(f"no service-level policy {policy_id}")
        view = _view(session, row)
        audit(session, who, AuditAction.DELETE, "sla_policy", row.id, {"sla_policy": row.match_key})
        session.delete(row)
        return view


def case_targets(case: ServiceCase) -> Targets:
    """The targets a case's due times were counted from (its priority's defaults for a case
    from before the policies)."""
    if case.first_response_minutes is not None and case.resolution_minutes is not None:
        return Targets(case.first_response_minutes, case.resolution_minutes)
    return DEFAULT_TARGETS[CasePriority(case.priority)]


def schedule(session: Session, case: ServiceCase, calendar: Calendar) -> None:
    """Give a new case (``opened_at`` set) its policy, targets and due times."""
    assert case.opened_at is not None
    policy, targets = targets_for(
        load_policies(session), CasePriority(case.priority), case.category, case.account_id
    )
    case.sla_policy_id = policy.id if policy else None
    case.first_response_minutes = targets.first_response
    case.resolution_minutes = targets.resolution
    case.first_response_due = add_business_minutes(calendar, case.opened_at, targets.first_response)
    case.due_at = add_business_minutes(calendar, case.opened_at, targets.resolution)


def retarget(session: Session, case: ServiceCase, calendar: Calendar, old: Targets) -> None:
    """After a case's priority, category or customer changed: the policy that applies now,
    and the due times of the targets not yet met counted again from the opening (a pause's
    business time kept). ``old``: the targets the due times were counted from, read before
    the change (``case_targets`` of the changed case would give the new priority's defaults
    for a case without stored targets). A breach already recorded stays recorded."""
    assert case.opened_at is not None
    policy, targets = targets_for(
        load_policies(session), CasePriority(case.priority), case.category, case.account_id
    )
    case.sla_policy_id = policy.id if policy else None
    case.first_response_minutes = targets.first_response
    case.resolution_minutes = targets.resolution
    if case.first_responded_at is None and case.first_response_due is not None:
        case.first_response_due = retargeted_due(
            calendar, case.opened_at, case.first_response_due, old.first_response,
            targets.first_response,
        )  # fmt: skip
    if case.resolved_at is None and case.due_at is not None:
        case.due_at = retargeted_due(
            calendar, case.opened_at, case.due_at, old.resolution, targets.resolution
        )
