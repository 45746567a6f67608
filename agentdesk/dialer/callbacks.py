"""An agent's campaign callbacks, for the Callbacks tab.

A callback set in the wrap-up of a campaign call stays a campaign entry (status ``callback``,
assigned to the agent, due at ``next_eligible_at``): the dialer owns it, so DNC, calling hours
and the attempt count apply when it is dialled. This module only *lists* them, beside the CRM
callbacks; dialling one goes through :func:`agentdesk.dialer.picking.reserve_entry`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.callbacks import OVERDUE_GRACE, UPCOMING_HORIZON, CallbackState, state_of
from agentdesk.dialer.models import Campaign, CampaignEntry
from agentdesk.dialer.rules import EntryStatus
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import CallbackStatus
from agentdesk.domain.names import display_name
from agentdesk.org.users import find_user


@dataclass(frozen=True, slots=True)
class CampaignCallback:
    """One campaign entry the agent is to call back; ``id`` is the entry's."""

    id: uuid.UUID
    campaign: str
    campaign_active: bool
    due_at: datetime
    state: CallbackState
    name: str
    phone_e164: str
    contact_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    attempts: int
    last_disposition: str | None
    version: int

    @property
    def overdue(self) -> bool:
        return self.state is CallbackState.OVERDUE

    @property
    def due(self) -> bool:
        """Due or overdue, as :attr:`agentdesk.calls.callbacks.CallbackItem.due`."""
        return self.state in (CallbackState.DUE, CallbackState.OVERDUE)


def agent_callbacks(
    sessions: sessionmaker[Session],
    agent: str,
    *,
    now: datetime | None = None,
    horizon: timedelta = UPCOMING_HORIZON,
    grace: timedelta = OVERDUE_GRACE,
    limit: int = 200,
) -> tuple[CampaignCallback, ...]:
    """The agent's campaign callbacks due within ``horizon``, oldest due first.

    Overdue is judged as for CRM callbacks (``grace`` after the due time). Entries of deleted
    campaigns are left out; those of paused campaigns are listed (``campaign_active`` false):
    they are still the agent's promise, the dialer just will not dial them yet. Raises
    :class:`~agentdesk.org.users.UnknownAgentError` for an unknown agent.
    """
    now = now or utcnow()
    with sessions() as session:
        user = find_user(session, agent)
        rows = session.execute(
            select(
                CampaignEntry.id,
                Campaign.name,
                Campaign.active,
                CampaignEntry.next_eligible_at,
                CampaignEntry.first_name,
                CampaignEntry.last_name,
                CampaignEntry.country,
                CampaignEntry.company,
                CampaignEntry.e164,
                CampaignEntry.contact_id,
                CampaignEntry.lead_id,
                CampaignEntry.attempts,
                CampaignEntry.last_disposition,
                CampaignEntry.version,
            )
            .join(Campaign, Campaign.id == CampaignEntry.campaign_id)
            .where(
                CampaignEntry.assigned_agent_id == user.id,
                CampaignEntry.status == EntryStatus.CALLBACK.value,
                CampaignEntry.deleted_at.is_(None),
                CampaignEntry.next_eligible_at <= now + horizon,
                Campaign.deleted_at.is_(None),
            )
            .order_by(CampaignEntry.next_eligible_at, CampaignEntry.id)
            .limit(limit)
        ).all()
    return tuple(
        CampaignCallback(
            id=row.id,
            campaign=row.name,
            campaign_active=row.active,
            due_at=row.next_eligible_at,
            state=state_of(CallbackStatus.PENDING, row.next_eligible_at, now, grace),
            name=display_name(row.first_name, row.last_name, row.country) or row.company or "",
            phone_e164=row.e164,
            contact_id=row.contact_id,
            lead_id=row.lead_id,
            attempts=row.attempts,
            last_disposition=row.last_disposition,
            version=row.version,
        )
        for row in rows
    )
