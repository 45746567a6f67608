"""A call row: how its durations are computed and how it is read and written."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from agentdesk.calls.dto import CallFacts, CallRecord
from agentdesk.crm.models import Call
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import CallDirection
from agentdesk.domain.names import display_name
from agentdesk.org.users import find_user


class CallLogError(RequestError):
    """A call-log request that cannot be carried out; the message is for the agent."""


def durations(
    started_at: datetime,
    answered_at: datetime | None,
    ended_at: datetime | None,
    hold_seconds: float | None,
) -> tuple[float | None, float | None]:
    """(ring seconds, talk seconds) from the timestamps.

    Ring time runs from start to answer (or to the end of an unanswered call). Talk time runs
    from answer to end **minus hold**, so talk + hold is the connected time. Unknown parts are
    ``None``; an unanswered ended call talked for 0 seconds.
    """
    if answered_at is not None and answered_at < started_at:
        raise CallLogError("a call cannot be answered before it started")
    if ended_at is not None and ended_at < (answered_at or started_at):
        raise CallLogError("a call cannot end before it started or was answered")
    ring_end = answered_at or ended_at
    ring = None if ring_end is None else (ring_end - started_at).total_seconds()
    if answered_at is None:
        talk = 0.0 if ended_at is not None else None
    elif ended_at is None:
        talk = None
    else:
        talk = max(0.0, (ended_at - answered_at).total_seconds() - (hold_seconds or 0.0))
    return ring, talk


def apply_facts(session: Session, call: Call, facts: CallFacts) -> None:
    call.direction = facts.direction
    call.started_at = facts.started_at
    call.remote_raw = facts.remote_raw
    call.remote_e164 = facts.remote_e164
    call.local_party = facts.local_party
    call.agent_id = find_user(session, facts.agent).id if facts.agent is not None else None
    call.sip_call_id = facts.sip_call_id
    call.answered_at = facts.answered_at
    call.ended_at = facts.ended_at
    call.hold_seconds = facts.hold_seconds
    call.end_reason = facts.end_reason
    call.recording_path = facts.recording_path
    call.contact_id = facts.contact_id
    call.account_id = facts.account_id
    call.lead_id = facts.lead_id
    call.answered_elsewhere = facts.answered_elsewhere
    call.ring_seconds, call.talk_seconds = durations(
        facts.started_at, facts.answered_at, facts.ended_at, facts.hold_seconds
    )


def call_record(call: Call, disposition_code: str | None) -> CallRecord:
    return CallRecord(
        id=call.id,
        version=call.version,
        direction=CallDirection(call.direction),
        remote_e164=call.remote_e164,
        remote_raw=call.remote_raw,
        local_party=call.local_party,
        agent_id=call.agent_id,
        sip_call_id=call.sip_call_id,
        started_at=call.started_at,
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        ring_seconds=call.ring_seconds,
        talk_seconds=call.talk_seconds,
        hold_seconds=call.hold_seconds,
        end_reason=call.end_reason,
        recording_path=call.recording_path,
        disposition_code=disposition_code,
        notes=call.notes,
        contact_id=call.contact_id,
        account_id=call.account_id,
        lead_id=call.lead_id,
        opportunity_id=call.opportunity_id,
        case_id=call.case_id,
    )


def person_name(row: Any) -> str | None:
    """The name of the contact, else the lead, a row joined to (columns ``c_first``,
    ``c_last``, ``c_country`` and ``l_first``, ``l_last``, ``l_country``); ``None`` for neither."""
    if row.c_first is not None or row.c_last is not None:
        return display_name(row.c_first, row.c_last, row.c_country)
    if row.l_first is not None or row.l_last is not None:
        return display_name(row.l_first, row.l_last, row.l_country)
    return None
