"""The leads screens' door to the sales services: the Leads window's list and its actions, and
the Convert action on a lead popped during a call. Every method blocks: run it on the executor.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.org.admin import list_teams, list_users
from agentdesk.sales.lead_convert import Conversion, ConvertOptions, convert_leads
from agentdesk.sales.leads import (
    LeadFilter,
    LeadView,
    assign_leads,
    assign_round_robin,
    disqualify_lead,
    list_leads,
)


class LeadsService:
    def __init__(self, sessions: sessionmaker[Session], agent: str) -> None:
        self._sessions = sessions
        self._agent = agent

    def leads(self, filters: LeadFilter) -> list[LeadView]:
        return list_leads(self._sessions, filters, actor=self._agent)

    def choices(self) -> tuple[list[str], list[str]]:
        """The active usernames and the team names, for the assign controls."""
        users = [u.username for u in list_users(self._sessions) if u.active]
        return users, [t.name for t in list_teams(self._sessions)]

    def assign(self, ids: Sequence[uuid.UUID], username: str) -> dict[str, str]:
        return assign_leads(self._sessions, ids, username, actor=self._agent)

    def round_robin(self, ids: Sequence[uuid.UUID], team: str) -> dict[str, str]:
        return assign_round_robin(self._sessions, ids, team, actor=self._agent)

    def convert(self, ids: Sequence[uuid.UUID]) -> list[Conversion]:
        return convert_leads(self._sessions, ids, ConvertOptions(), actor=self._agent)

    def disqualify(self, lead_id: uuid.UUID, reason: str) -> LeadView:
        return disqualify_lead(self._sessions, lead_id, reason, actor=self._agent)
