"""The kinds of journal entries the desk writes, their payloads and their appliers.

A payload is plain JSON (ids and times as text) so the file outlives the code that wrote it;
each kind's applier calls the service that makes the change, in the journal's transaction.
"""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy.orm import Session

from agentdesk.calls.dispositions import default_disposition
from agentdesk.calls.dto import CallbackRequest, CallFacts, NewCase, WrapUp, WrapUpSaved
from agentdesk.calls.records import CallLogError, apply_facts, durations
from agentdesk.calls.wrapup import write_wrapup
from agentdesk.crm.models import Call
from agentdesk.db.errors import RecordNotFoundError
from agentdesk.domain.enums import CallDirection, CasePriority
from agentdesk.journal.journal import Appliers
from agentdesk.journal.store import Entry
from agentdesk.supervision.queue_calls import assign_queue, leg_changed
from agentdesk.supervision.rollups import AgentPart, agent_part, book_agent

WRAPUP = "call.wrapup"
CALL_OPEN = "call.open"
"""The call row from the first ring (offered) or the dial (placed): its facts so far."""
CALL_UPDATE = "call.update"
"""Answered, hold time, recording: the fields the payload names."""
CALL_HELD = "call.held"
"""The caller was put on hold at ``held_at``: the row changes when the hold ends (its seconds);
kept so that a desk that stops during a hold counts the hold up to the stop."""
CALL_END = "call.end"
"""How the call ended; a desk that stopped during a call ends it at start ("desk stopped")."""
CALL_MISSED = "call.end-unanswered"
"""How a call that was never answered ended (it gets no wrap-up)."""
CALL_WRAPPED = "call.wrapped"
"""Written by desks before campaign wrap-ups went through the journal (the dialer saved them
in its own transaction): nothing to apply, the call has its wrap-up. Still read in old files."""
DESK_STOPPED = "desk stopped"


def _id(value: str | None) -> uuid.UUID | None:
    return uuid.UUID(value) if value else None


def _at(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None


def _text(value: uuid.UUID | datetime | None) -> str | None:
    return value.isoformat() if isinstance(value, datetime) else (str(value) if value else None)


def _agent(value: object) -> str | None:
    return None if value is None else str(value)


def facts_payload(facts: CallFacts) -> dict[str, Any]:
    return {
        "direction": facts.direction.value,
        "started_at": facts.started_at.isoformat(),
        "remote_raw": facts.remote_raw,
        "remote_e164": facts.remote_e164,
        "local_party": facts.local_party,
        "agent": _agent(facts.agent),
        "sip_call_id": facts.sip_call_id,
        "answered_at": _text(facts.answered_at),
        "ended_at": _text(facts.ended_at),
        "hold_seconds": facts.hold_seconds,
        "end_reason": facts.end_reason,
        "recording_path": facts.recording_path,
        "contact_id": _text(facts.contact_id),
        "account_id": _text(facts.account_id),
        "lead_id": _text(facts.lead_id),
        "queue_number": facts.queue_number,
        "answered_elsewhere": facts.answered_elsewhere,
        "wrapup_seconds": facts.wrapup_seconds,
    }


def facts_from(data: dict[str, Any]) -> CallFacts:
    started = _at(data["started_at"])
    assert started is not None
    return CallFacts(
        direction=CallDirection(data["direction"]),
        started_at=started,
        remote_raw=data["remote_raw"],
        remote_e164=data["remote_e164"],
        local_party=data["local_party"],
        agent=data["agent"],
        sip_call_id=data["sip_call_id"],
        answered_at=_at(data["answered_at"]),
        ended_at=_at(data["ended_at"]),
        hold_seconds=data["hold_seconds"],
        end_reason=data["end_reason"],
        recording_path=data["recording_path"],
        contact_id=_id(data["contact_id"]),
        account_id=_id(data["account_id"]),
        lead_id=_id(data["lead_id"]),
        # .get: entries written before these fields existed are still applied
        queue_number=data.get("queue_number"),
        answered_elsewhere=bool(data.get("answered_elsewhere")),
        wrapup_seconds=data.get("wrapup_seconds"),
    )


def wrapup_payload(wrapup: WrapUp) -> dict[str, Any]:
    """``disposition_code`` empty: the default code, chosen when the entry is applied (the
    timer ran out, perhaps while the database that names the default was away)."""
    callback = wrapup.callback
    case = wrapup.new_case
    return {
        "disposition_code": wrapup.disposition_code or None,
        "call_id": _text(wrapup.call_id),
        "record_id": _text(wrapup.record_id),
        "facts": facts_payload(wrapup.facts) if wrapup.facts is not None else None,
        "notes": wrapup.notes,
        "callback": None
        if callback is None
        else {
            "due_at": callback.due_at.isoformat(),
            "agent": _agent(callback.agent),
            "contact_id": _text(callback.contact_id),
            "lead_id": _text(callback.lead_id),
            "phone_e164": callback.phone_e164,
            "note": callback.note,
        },
        "new_case": None
        if case is None
        else {
            "subject": case.subject,
            "priority": case.priority.value,
            "description": case.description,
            "zone": case.zone,
            "opened_at": _text(case.opened_at),
        },
        "opportunity_id": _text(wrapup.opportunity_id),
        "actor": _agent(wrapup.actor),
        "linked_case_id": _text(wrapup.linked_case_id),
    }


def _new_case(case: dict[str, Any], made_at: datetime | None) -> NewCase:
    """An entry written before the payload held the opening time opens the case at the
    entry's time: a replay hours later must not move the case's service levels."""
    return NewCase(
        case["subject"], CasePriority(case["priority"]), case["description"],
        zone=case.get("zone"), opened_at=_at(case.get("opened_at")) or made_at,
    )  # fmt: skip


def wrapup_from(data: dict[str, Any], code: str, made_at: datetime | None = None) -> WrapUp:
    cb = data["callback"]
    case = data["new_case"]
    callback = None
    if cb is not None:
        due = _at(cb["due_at"])
        assert due is not None
        callback = CallbackRequest(
            due_at=due,
            agent=cb["agent"],
            contact_id=_id(cb["contact_id"]),
            lead_id=_id(cb["lead_id"]),
            phone_e164=cb["phone_e164"],
            note=cb["note"],
        )
    return WrapUp(
        disposition_code=code,
        call_id=_id(data["call_id"]),
        record_id=_id(data["record_id"]),
        facts=facts_from(data["facts"]) if data["facts"] is not None else None,
        notes=data["notes"],
        callback=callback,
        new_case=None if case is None else _new_case(case, made_at),
        opportunity_id=_id(data["opportunity_id"]),
        actor=data["actor"],
        linked_case_id=_id(data.get("linked_case_id")),  # entries written before links: none
    )


def wrapup_in(session: Session, data: dict[str, Any], made_at: datetime) -> WrapUp:
    """The wrap-up a payload of :func:`wrapup_payload` holds, its default code chosen now;
    ``made_at``: when the desk made it (a case it opens opens then, not at the replay)."""
    code = data["disposition_code"]
    if not code:
        default = default_disposition(session)
        if default is None:
            raise CallLogError("no default disposition is configured")
        code = default.code
    return wrapup_from(data, code, made_at)


def apply_wrapup(session: Session, entry: Entry) -> WrapUpSaved:
    wrapup = wrapup_in(session, entry.payload, entry.created_at)
    before = figures_before(session, wrapup)
    saved = write_wrapup(session, wrapup)
    book_wrapup(session, before, wrapup, saved)
    return saved


def figures_before(session: Session, wrapup: WrapUp) -> AgentPart | None:
    """The call's figures before its wrap-up is written (what the rollups hold of it now)."""
    known = session.get(Call, wrapup.record_id) if wrapup.record_id is not None else None
    return agent_part(known)


def book_wrapup(
    session: Session, before: AgentPart | None, wrapup: WrapUp, saved: WrapUpSaved
) -> None:
    """After any wrap-up is written (the desk's, the dialler's with its entry): its queue, its
    wrap-up seconds and the call's figures in the rollups, in the entry's transaction."""
    call = session.get(Call, saved.call.id)
    assert call is not None
    if wrapup.facts is not None:
        assign_queue(session, call, wrapup.facts.queue_number)
        # only through the journal: the agent's rollup books it from this entry
        if wrapup.facts.wrapup_seconds is not None:
            call.wrapup_seconds = wrapup.facts.wrapup_seconds
    _book(session, before, call)


def _book(session: Session, before: AgentPart | None, call: Call) -> None:
    """The call's figures in the rollups, in the entry's transaction (supervision)."""
    book_agent(session, before, agent_part(call))
    leg_changed(session, call)


def apply_call_open(session: Session, entry: Entry) -> None:
    if entry.record_id is None:
        raise CallLogError("a call entry needs the call's id")
    if session.get(Call, entry.record_id) is not None:
        return  # the wrap-up (the dialer's own transaction) wrote it first
    call = Call(id=entry.record_id)
    facts = facts_from(entry.payload)
    apply_facts(session, call, facts)
    assign_queue(session, call, facts.queue_number)
    session.add(call)
    session.flush()
    _book(session, None, call)


def apply_call_update(session: Session, entry: Entry) -> None:
    if entry.record_id is None:
        raise CallLogError("a call entry needs the call's id")
    call = session.get(Call, entry.record_id)
    if call is None:
        raise RecordNotFoundError("call", entry.record_id)
    before = agent_part(call)
    for name, value in update_fields(entry.payload).items():
        setattr(call, name, value)
    call.ring_seconds, call.talk_seconds = durations(
        call.started_at, call.answered_at, call.ended_at, call.hold_seconds
    )
    session.flush()
    _book(session, before, call)


def update_fields(data: dict[str, Any]) -> dict[str, Any]:
    """The fields a call update sets (those it names), typed."""
    fields: dict[str, Any] = {
        name: _at(data[name]) for name in ("answered_at", "ended_at") if data.get(name)
    }
    for name in ("hold_seconds", "end_reason", "recording_path", "wrapup_seconds"):
        if data.get(name) is not None:
            fields[name] = data[name]
    for name in ("contact_id", "account_id", "lead_id"):
        if data.get(name):
            fields[name] = _id(data[name])
    if data.get("answered_elsewhere"):
        fields["answered_elsewhere"] = True
    return fields


def call_update_payload(
    *,
    answered_at: datetime | None = None,
    ended_at: datetime | None = None,
    hold_seconds: float | None = None,
    end_reason: str | None = None,
    recording_path: str | None = None,
    party: CallFacts | None = None,
    answered_elsewhere: bool = False,
    wrapup_seconds: float | None = None,
) -> dict[str, Any]:
    """The fields to set (``None`` leaves one as it is); ``party``: the record the call was
    linked to (its contact, account or lead ids)."""
    return {
        "answered_at": _text(answered_at),
        "ended_at": _text(ended_at),
        "hold_seconds": hold_seconds,
        "end_reason": end_reason,
        "recording_path": recording_path,
        "contact_id": _text(party.contact_id) if party else None,
        "account_id": _text(party.account_id) if party else None,
        "lead_id": _text(party.lead_id) if party else None,
        "answered_elsewhere": answered_elsewhere,
        "wrapup_seconds": wrapup_seconds,
    }


def apply_nothing(session: Session, entry: Entry) -> None:
    """A mark for the desk's own bookkeeping: the shared database only records its id."""


CALL_APPLIERS: Appliers = {
    CALL_OPEN: apply_call_open,
    CALL_UPDATE: apply_call_update,
    CALL_END: apply_call_update,
    CALL_MISSED: apply_call_update,
    CALL_HELD: apply_nothing,
    CALL_WRAPPED: apply_nothing,
    WRAPUP: apply_wrapup,
}
"""The call log's kinds and the functions that apply them."""
