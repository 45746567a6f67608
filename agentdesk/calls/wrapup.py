"""The wrap-up: the call's disposition, notes, callback, case and opportunity link, at once.

:func:`write_wrapup` works in the caller's transaction, so a use case that also moves a
campaign entry on commits both or neither; :meth:`CallLog.save_wrapup
<agentdesk.calls.log.CallLog.save_wrapup>` is the one-transaction form for a plain call.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass

from sqlalchemy.orm import Session

from agentdesk.calls.dispositions import active_disposition
from agentdesk.calls.dto import CallbackRequest, CallFacts, NewCase, WrapUp, WrapUpSaved
from agentdesk.calls.records import CallLogError, apply_facts, call_record, durations
from agentdesk.crm.models import Call, Callback, Contact, Opportunity, ServiceCase
from agentdesk.db.audit import AuditEntry
from agentdesk.db.versioning import get_live
from agentdesk.domain.changes import CALLBACKS, CALLS, CASES, OPPORTUNITIES
from agentdesk.domain.enums import AuditAction, CallbackStatus, CaseStatus
from agentdesk.org.users import find_user
from agentdesk.service.calendar import default_zone
from agentdesk.service.cases import number_new_case


def write_wrapup(session: Session, wrapup: WrapUp) -> WrapUpSaved:
    """Write the call, disposition, notes, callback, case, opportunity link and audit entry.

    Everything goes into ``session``'s transaction: any failure (unknown code, a constraint,
    the database going away) leaves nothing of the wrap-up behind once the caller rolls back.
    Raises :class:`~agentdesk.calls.dispositions.UnknownDispositionError`,
    :class:`~agentdesk.db.errors.RecordNotFoundError` or :class:`CallLogError` for bad input.
    """
    code = (wrapup.disposition_code or "").strip()
    with session.no_autoflush:
        # Order of writes: the case (the call points at it), then the call touched exactly
        # once (one version step), then the callback (it points at the call).
        disposition = active_disposition(session, code)
        changed = {CALLS}
        call: Call | None = None
        if wrapup.call_id is not None:
            call = get_live(session, Call, wrapup.call_id, "call")
        elif wrapup.record_id is not None:
            call = session.get(Call, wrapup.record_id)
        if call is None and wrapup.facts is None:
            raise CallLogError("a wrap-up needs the call id or the call's facts")
        party = _party(session, call, wrapup.facts)
        if wrapup.opportunity_id is not None:
            get_live(session, Opportunity, wrapup.opportunity_id, "opportunity")
            changed.add(OPPORTUNITIES)

        case_id = None
        if wrapup.new_case is not None:
            case_id = _open_case(session, party, wrapup.new_case, wrapup.notes)
            changed.add(CASES)
        elif wrapup.linked_case_id is not None:
            case_id = get_live(session, ServiceCase, wrapup.linked_case_id, "case").id
            changed.add(CASES)

        action = AuditAction.UPDATE if call is not None else AuditAction.CREATE
        if call is None:
            call = Call() if wrapup.record_id is None else Call(id=wrapup.record_id)
            session.add(call)
        if wrapup.facts is not None:
            apply_facts(session, call, wrapup.facts)
        call.ring_seconds, call.talk_seconds = durations(
            call.started_at, call.answered_at, call.ended_at, call.hold_seconds
        )
        call.disposition_id = disposition.id
        call.notes = wrapup.notes if wrapup.notes and wrapup.notes.strip() else None
        if case_id is not None:
            call.case_id = case_id
        if wrapup.opportunity_id is not None:
            call.opportunity_id = wrapup.opportunity_id
        session.flush()

        callback_id = None
        if wrapup.callback is not None:
            callback_id = _schedule_callback(session, call, wrapup.callback)
            changed.add(CALLBACKS)

        actor_ref = wrapup.actor if wrapup.actor is not None else call.agent_id
        actor = find_user(session, actor_ref) if actor_ref is not None else None
        session.add(
            AuditEntry(
                user_id=actor.id if actor else None,
                actor=actor.username if actor else None,
                action=action,
                entity_kind="call",
                entity_id=call.id,
                details={
                    "wrapup": True,
                    "disposition": disposition.code,
                    "callback_id": str(callback_id) if callback_id else None,
                    "case_id": str(case_id) if case_id else None,
                    "opportunity_id": (
                        str(wrapup.opportunity_id) if wrapup.opportunity_id else None
                    ),
                },
            )
        )
        session.flush()
        return WrapUpSaved(
            call=call_record(call, disposition.code),
            callback_id=callback_id,
            case_id=case_id,
            changed=frozenset(changed),
        )


@dataclass(frozen=True, slots=True)
class _Party:
    """Who the call was with and who took it, as the wrap-up will store it."""

    contact_id: uuid.UUID | None
    account_id: uuid.UUID | None
    agent_id: uuid.UUID | None


def _party(session: Session, call: Call | None, facts: CallFacts | None) -> _Party:
    if facts is not None:
        agent_id = find_user(session, facts.agent).id if facts.agent is not None else None
        return _Party(facts.contact_id, facts.account_id, agent_id)
    assert call is not None
    return _Party(call.contact_id, call.account_id, call.agent_id)


def _open_case(session: Session, party: _Party, spec: NewCase, notes: str | None) -> uuid.UUID:
    subject = spec.subject.strip()
    if not subject:
        raise CallLogError("a service case needs a subject")
    account_id = party.account_id
    if account_id is None and party.contact_id is not None:
        contact = session.get(Contact, party.contact_id)
        account_id = contact.account_id if contact is not None else None
    case = ServiceCase(
        subject=subject,
        description=spec.description if spec.description is not None else notes,
        status=CaseStatus.NEW,
        priority=spec.priority,
        contact_id=party.contact_id,
        account_id=account_id,
        owner_id=party.agent_id,
        opened_at=spec.opened_at,
    )
    session.add(case)
    number_new_case(session, case, default_zone(spec.zone))
    session.flush()
    return case.id


def _schedule_callback(session: Session, call: Call, spec: CallbackRequest) -> uuid.UUID:
    agent_id = find_user(session, spec.agent).id if spec.agent is not None else None
    contact_id = spec.contact_id if spec.contact_id is not None else call.contact_id
    lead_id = spec.lead_id if spec.lead_id is not None else call.lead_id
    phone = spec.phone_e164 if spec.phone_e164 is not None else call.remote_e164
    if contact_id is None and lead_id is None and phone is None:
        raise CallLogError("a callback needs a contact, a lead or a number to call")
    callback = Callback(
        due_at=spec.due_at,
        agent_id=agent_id,
        contact_id=contact_id,
        lead_id=lead_id,
        phone_e164=phone,
        note=spec.note,
        status=CallbackStatus.PENDING,
        call_id=call.id,
    )
    session.add(callback)
    session.flush()
    return callback.id
