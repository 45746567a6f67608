"""Changing what a case's service level depends on: its priority, category and customer.

The due times follow (``service_levels.retarget``): the policy that applies to the changed
case gives its targets, counted again from the opening.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account
from agentdesk.crm.permissions import acting_access, check_edit
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import RecordKind
from agentdesk.domain.enums import AuditAction, CasePriority
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.service.calendar import load_calendar
from agentdesk.service.case_work import check_queue, find_case
from agentdesk.service.cases import CaseView, view_of
from agentdesk.service.service_levels import case_targets, retarget

KEEP: Any = ...
"""A detail left as it is (``None`` clears the category)."""


def set_details(
    sessions: sessionmaker[Session],
    number: str,
    *,
    agent: AgentRef | None,
    default_zone: str,
    priority: CasePriority | None = None,
    category: str | None = KEEP,
    account_id: uuid.UUID | None = None,
) -> CaseView:
    """Change a case's priority, category (``None`` or blank clears it) or customer; the
    due times are counted again when any of them changed. Checked like any edit of the case."""
    with unit_of_work(sessions) as session:
        case = find_case(session, number)
        access = acting_access(session, agent)
        check_queue(session, access, case)
        check_edit(session, access, RecordKind.CASES, case)
        # the targets the due times were counted from, read before the priority changes them
        # (a case without stored targets reads its priority's defaults)
        old = case_targets(case)
        change: dict[str, Any] = {}
        if priority is not None and priority != case.priority:
            change["priority"] = [CasePriority(case.priority).value, priority.value]
            case.priority = priority
        if category is not KEEP:
            cleaned = category.strip() if category and category.strip() else None
            if cleaned != case.category:
                change["category"] = [case.category, cleaned]
                case.category = cleaned
        if account_id is not None and account_id != case.account_id:
            _check_account(session, account_id)
            change["account"] = [str(case.account_id) if case.account_id else None, str(account_id)]
            case.account_id = account_id
        if change:
            retarget(session, case, load_calendar(session, default_zone), old)
            session.flush()
            who = actor_of(session, access.username if access else agent)
            change["sla_policy_id"] = str(case.sla_policy_id) if case.sla_policy_id else None
            audit(session, who, AuditAction.UPDATE, "case", case.id, change)
        return view_of(session, case)


def _check_account(session: Session, account_id: uuid.UUID) -> None:
    account = session.get(Account, account_id)
    if account is None or account.deleted_at is not None:
        raise RequestError(f"account {account_id} does not exist")
