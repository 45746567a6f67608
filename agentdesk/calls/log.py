"""The call log: what happened on a call, recorded as the softphone reports it.

:class:`CallLog` records a call's facts (:meth:`CallLog.start_call`, :meth:`CallLog.end_call`),
saves the wrap-up in one transaction (:meth:`CallLog.save_wrapup`) and reads an agent's recent
calls.
"""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import and_, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dispositions import active_dispositions, default_disposition, disposition_code
from agentdesk.calls.dto import (
    CallFacts,
    CallRecord,
    DispositionInfo,
    RecentCall,
    WrapUp,
    WrapUpSaved,
)
from agentdesk.calls.records import apply_facts, call_record, durations, person_name
from agentdesk.calls.wrapup import write_wrapup
from agentdesk.crm.models import Call
from agentdesk.db.base import Base
from agentdesk.db.engine import unit_of_work
from agentdesk.db.versioning import get_live
from agentdesk.domain.enums import CallDirection
from agentdesk.org.users import AgentRef, find_user


class CallLog:
    """Records calls and their wrap-ups; every method is one short transaction."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # -- recording facts -------------------------------------------------------------------

    def start_call(self, facts: CallFacts) -> CallRecord:
        """Insert a call row as soon as the call exists (offered or dialled)."""
        with unit_of_work(self._sessions) as session:
            call = Call()
            apply_facts(session, call, facts)
            session.add(call)
            session.flush()
            return call_record(call, None)

    def end_call(
        self,
        call_id: uuid.UUID,
        *,
        ended_at: datetime,
        answered_at: datetime | None = None,
        hold_seconds: float | None = None,
        end_reason: str | None = None,
        recording_path: str | None = None,
    ) -> CallRecord:
        """Record how the call ended (before the wrap-up is saved)."""
        with unit_of_work(self._sessions) as session:
            call = get_live(session, Call, call_id, "call")
            if answered_at is not None:
                call.answered_at = answered_at
            call.ended_at = ended_at
            if hold_seconds is not None:
                call.hold_seconds = hold_seconds
            if end_reason is not None:
                call.end_reason = end_reason
            if recording_path is not None:
                call.recording_path = recording_path
            call.ring_seconds, call.talk_seconds = durations(
                call.started_at, call.answered_at, call.ended_at, call.hold_seconds
            )
            session.flush()
            return call_record(call, disposition_code(session, call.disposition_id))

    # -- wrap-up ---------------------------------------------------------------------------

    def save_wrapup(self, wrapup: WrapUp) -> WrapUpSaved:
        """Save a wrap-up in one transaction (see :func:`~agentdesk.calls.wrapup.write_wrapup`)."""
        with unit_of_work(self._sessions) as session:
            return write_wrapup(session, wrapup)

    def dispositions(self) -> tuple[DispositionInfo, ...]:
        """The active wrap-up codes in the admin's order."""
        with self._sessions() as session:
            return active_dispositions(session)

    def default_disposition(self) -> DispositionInfo | None:
        """The code a wrap-up gets when its timer runs out (``None`` if no code is marked)."""
        with self._sessions() as session:
            return default_disposition(session)

    # -- reading ---------------------------------------------------------------------------

    def get_call(self, call_id: uuid.UUID) -> CallRecord:
        with self._sessions() as session:
            call = get_live(session, Call, call_id, "call")
            return call_record(call, disposition_code(session, call.disposition_id))

    def recent_calls(self, agent: AgentRef, limit: int = 20) -> tuple[RecentCall, ...]:
        """The agent's latest calls, newest first (walks ``ix_calls_agent_started``)."""
        t = Base.metadata.tables
        calls, dispositions = t["calls"], t["dispositions"]
        contacts, leads, accounts = t["contacts"], t["leads"], t["accounts"]
        with self._sessions() as session:
            user = find_user(session, agent)
            stmt = (
                select(
                    calls.c.id,
                    calls.c.direction,
                    calls.c.remote_e164,
                    calls.c.started_at,
                    calls.c.talk_seconds,
                    calls.c.contact_id,
                    calls.c.lead_id,
                    calls.c.account_id,
                    dispositions.c.code,
                    contacts.c.first_name.label("c_first"),
                    contacts.c.last_name.label("c_last"),
                    contacts.c.country.label("c_country"),
                    leads.c.first_name.label("l_first"),
                    leads.c.last_name.label("l_last"),
                    leads.c.country.label("l_country"),
                    accounts.c.name.label("a_name"),
                )
                .select_from(calls)
                .outerjoin(dispositions, dispositions.c.id == calls.c.disposition_id)
                # A deleted contact still names its old calls in the agent's own history.
                .outerjoin(contacts, contacts.c.id == calls.c.contact_id)
                .outerjoin(leads, and_(leads.c.id == calls.c.lead_id, leads.c.deleted_at.is_(None)))
                .outerjoin(
                    accounts,
                    and_(accounts.c.id == calls.c.account_id, accounts.c.deleted_at.is_(None)),
                )
                .where(calls.c.agent_id == user.id, calls.c.deleted_at.is_(None))
                .order_by(calls.c.started_at.desc(), calls.c.id.desc())
                .limit(limit)
            )
            result = []
            for row in session.execute(stmt):
                party = person_name(row) or row.a_name
                result.append(
                    RecentCall(
                        id=row.id,
                        direction=CallDirection(row.direction),
                        remote_e164=row.remote_e164,
                        started_at=row.started_at,
                        talk_seconds=row.talk_seconds,
                        disposition_code=row.code,
                        party_name=party,
                        contact_id=row.contact_id,
                        lead_id=row.lead_id,
                        account_id=row.account_id,
                    )
                )
            return tuple(result)
