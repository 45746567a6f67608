"""Taking numbers off a do-not-call list (``agentdesk dnc remove``).

A listing stops calls for good, so taking one away is a decision someone answers for: it needs
the campaign update of the role matrix and leaves an audit entry naming the numbers. Entries the
listing closed (status ``dnc``) stay closed: whether to call them again is a new fill's choice,
not a side effect of the removal.
"""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import delete
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.dialer.campaigns import DialerError, load_campaign
from agentdesk.dialer.models import DncNumber
from agentdesk.domain.access import Action, Depth, RecordKind, Refusal
from agentdesk.domain.enums import AuditAction
from agentdesk.domain.phone import InvalidPhoneNumber, normalize
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import acting_user, audit_actor
from agentdesk.org.users import AgentRef


@dataclass(frozen=True, slots=True)
class DncRemoved:
    removed: tuple[str, ...]
    not_listed: tuple[str, ...]
    campaign: str | None

    def to_json(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "removed": list(self.removed),
            "not_listed": list(self.not_listed),
        }


def remove_numbers(
    sessions: sessionmaker[Session],
    numbers: Iterable[str],
    *,
    default_region: str = "US",
    campaign: str | None = None,
    actor: AgentRef | None = None,
) -> DncRemoved:
    """Take ``numbers`` off the global list, or off ``campaign``'s own list only.

    Raises :class:`DialerError` for an unreadable number (before anything changes) and
    :class:`AccessDeniedError` when the role may not change campaigns.
    """
    wanted: list[str] = []
    for text in numbers:
        try:
            wanted.append(normalize(text, default_region, strict=False).e164)
        except InvalidPhoneNumber as exc:
            raise DialerError(f"cannot read {exc.text!r} as a phone number: {exc.reason}") from None
    wanted = list(dict.fromkeys(wanted))
    if not wanted:
        raise DialerError("name at least one number to remove")
    with unit_of_work(sessions) as session:
        access = acting_access(session, actor)
        may = access is None or access.depth(RecordKind.CAMPAIGNS, Action.UPDATE) is Depth.ALL
        if access is not None and not may:  # as the database's policy on PostgreSQL
            raise AccessDeniedError(access.username, Refusal(Action.UPDATE, RecordKind.CAMPAIGNS))
        campaign_id = load_campaign(session, campaign).id if campaign else None
        scope = (
            DncNumber.campaign_id.is_(None)
            if campaign_id is None
            else DncNumber.campaign_id == campaign_id
        )
        gone = set(
            session.scalars(
                delete(DncNumber).where(DncNumber.e164.in_(wanted), scope).returning(DncNumber.e164)
            )
        )
        removed = tuple(e for e in wanted if e in gone)
        if removed:
            audit(
                session,
                audit_actor(session, acting_user(session, actor)),
                AuditAction.DELETE,
                "dnc",
                campaign_id,
                {"numbers": list(removed), "campaign": campaign},
            )
    return DncRemoved(removed, tuple(e for e in wanted if e not in gone), campaign)
