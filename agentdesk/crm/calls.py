"""The call log and the wrap-up: what happened on a call and what the agent decided after it.

:class:`CallLog` records a call's facts as the softphone reports them (:meth:`CallLog.start_call`,
:meth:`CallLog.end_call`) and saves the wrap-up in **one transaction**
(:meth:`CallLog.save_wrapup`): the call row with its durations, the disposition, the notes, an
optional callback, an optional service case created from the call, an optional opportunity link
and an audit entry. Either all of it lands or none of it does.

Edits of shared records use optimistic concurrency: the caller passes the ``version`` it showed
the agent; if another agent saved in between, :class:`StaleRecordError` carries the other
agent's values so nothing is silently overwritten.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any

from sqlalchemy import Connection, Engine, and_, select
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from agentdesk.crm.base import Base, SharedRecord
from agentdesk.crm.db import unit_of_work
from agentdesk.crm.models import (
    AuditEntry,
    Call,
    Callback,
    Contact,
    Disposition,
    Opportunity,
    ServiceCase,
    User,
    display_name,
)
from agentdesk.domain.enums import (
    AuditAction,
    CallbackStatus,
    CallDirection,
    CasePriority,
    CaseStatus,
)

# Data kinds a mutation reports in ``changed`` so panels refresh only what they show.
CALLS = "calls"
CALLBACKS = "callbacks"
CASES = "cases"
OPPORTUNITIES = "opportunities"
CONTACTS = "contacts"

AgentRef = str | uuid.UUID
"""An agent by username or by user id."""


class CallLogError(ValueError):
    """A call-log request that cannot be carried out; the message is for the agent."""


class UnknownDispositionError(CallLogError):
    """The disposition code does not exist or is not active."""

    def __init__(self, code: str, known: tuple[str, ...]) -> None:
        super().__init__(
            f"unknown disposition code {code!r}; choose one of: {', '.join(known) or '(none)'}"
        )
        self.code = code
        self.known = known


class UnknownAgentError(CallLogError):
    def __init__(self, agent: AgentRef) -> None:
        super().__init__(f"no active user {agent!s}")
        self.agent = agent


class RecordNotFoundError(CallLogError):
    def __init__(self, kind: str, record_id: uuid.UUID) -> None:
        super().__init__(f"{kind} {record_id} does not exist")
        self.kind = kind
        self.record_id = record_id


class StaleRecordError(Exception):
    """Another agent saved this record since it was read: the edit was not applied.

    ``current`` holds the record's values as they are now (the other agent's change), and
    ``current_version`` the version to pass when the agent retries on top of it.
    """

    def __init__(
        self,
        kind: str,
        record_id: uuid.UUID,
        expected_version: int,
        current_version: int | None,
        current: Mapping[str, object],
    ) -> None:
        who = "deleted" if current_version is None else f"now at version {current_version}"
        super().__init__(
            f"{kind} {record_id} was changed by someone else (expected version "
            f"{expected_version}, {who}); reload and apply your change again"
        )
        self.kind = kind
        self.record_id = record_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.current = dict(current)


@dataclass(frozen=True, slots=True)
class CallFacts:
    """What the softphone knows about a call. Timestamps are aware UTC (naive is refused)."""

    direction: CallDirection
    started_at: datetime
    remote_raw: str | None = None
    remote_e164: str | None = None
    local_party: str | None = None
    agent: AgentRef | None = None
    sip_call_id: str | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    hold_seconds: float | None = None
    end_reason: str | None = None
    recording_path: str | None = None
    contact_id: uuid.UUID | None = None
    account_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None


@dataclass(frozen=True, slots=True)
class CallbackRequest:
    """A callback to schedule from the wrap-up.

    ``agent`` ``None`` means anyone may take it. ``contact_id``, ``lead_id`` and ``phone_e164``
    default to the call's.
    """

    due_at: datetime
    agent: AgentRef | None = None
    contact_id: uuid.UUID | None = None
    lead_id: uuid.UUID | None = None
    phone_e164: str | None = None
    note: str | None = None


@dataclass(frozen=True, slots=True)
class NewCase:
    """A service case opened from the call (linked to it and to the caller)."""

    subject: str
    priority: CasePriority = CasePriority.NORMAL
    description: str | None = None


@dataclass(frozen=True, slots=True)
class WrapUp:
    """Everything the wrap-up form saves, in one transaction.

    Give ``call_id`` for a call recorded with :meth:`CallLog.start_call`, ``facts`` for one that
    was not (the call row is created), or both to record the final facts at the same time.
    ``disposition_code`` is required.
    """

    disposition_code: str
    call_id: uuid.UUID | None = None
    facts: CallFacts | None = None
    notes: str | None = None
    callback: CallbackRequest | None = None
    new_case: NewCase | None = None
    opportunity_id: uuid.UUID | None = None
    actor: AgentRef | None = None  # who saved it (defaults to the call's agent)


@dataclass(frozen=True, slots=True)
class CallRecord:
    """One call as stored."""

    id: uuid.UUID
    version: int
    direction: CallDirection
    remote_e164: str | None
    remote_raw: str | None
    local_party: str | None
    agent_id: uuid.UUID | None
    sip_call_id: str | None
    started_at: datetime
    answered_at: datetime | None
    ended_at: datetime | None
    ring_seconds: float | None
    talk_seconds: float | None
    hold_seconds: float | None
    end_reason: str | None
    recording_path: str | None
    disposition_code: str | None
    notes: str | None
    contact_id: uuid.UUID | None
    account_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    opportunity_id: uuid.UUID | None
    case_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class WrapUpSaved:
    """The result of :meth:`CallLog.save_wrapup`; ``changed`` names the data kinds touched."""

    call: CallRecord
    callback_id: uuid.UUID | None
    case_id: uuid.UUID | None
    changed: frozenset[str]


@dataclass(frozen=True, slots=True)
class DispositionInfo:
    """A wrap-up code for the form's chooser."""

    id: uuid.UUID
    code: str
    label: str
    needs_callback: bool
    is_default: bool


@dataclass(frozen=True, slots=True)
class RecentCall:
    """A row of the agent's recent-calls list."""

    id: uuid.UUID
    direction: CallDirection
    remote_e164: str | None
    started_at: datetime
    talk_seconds: float | None
    disposition_code: str | None
    party_name: str | None
    contact_id: uuid.UUID | None
    lead_id: uuid.UUID | None
    account_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class ContactRecord:
    """A contact's editable fields and the version to send back with an edit."""

    id: uuid.UUID
    version: int
    first_name: str | None
    last_name: str | None
    title: str | None
    email: str | None
    city: str | None
    country: str | None
    notes: str | None
    account_id: uuid.UUID | None
    owner_id: uuid.UUID | None
    updated_at: datetime
    changed: frozenset[str] = field(default=frozenset())


CONTACT_EDITABLE = (
    "first_name",
    "last_name",
    "title",
    "email",
    "city",
    "country",
    "notes",
    "account_id",
    "owner_id",
)


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


class CallLog:
    """Records calls and their wrap-ups; every method is one short transaction."""

    def __init__(self, sessions: sessionmaker[Session]) -> None:
        self._sessions = sessions

    # -- recording facts -------------------------------------------------------------------

    def start_call(self, facts: CallFacts) -> CallRecord:
        """Insert a call row as soon as the call exists (offered or dialled)."""
        with unit_of_work(self._sessions) as session:
            call = Call()
            _apply_facts(session, call, facts)
            session.add(call)
            session.flush()
            return _call_record(call, None)

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
            return _call_record(call, _disposition_code(session, call.disposition_id))

    # -- wrap-up ---------------------------------------------------------------------------

    def save_wrapup(self, wrapup: WrapUp) -> WrapUpSaved:
        """Write the call, disposition, notes, callback, case, opportunity link and audit entry.

        One transaction: any failure (unknown code, a constraint, the database going away)
        leaves nothing of the wrap-up behind. Raises :class:`UnknownDispositionError`,
        :class:`RecordNotFoundError` or :class:`CallLogError` for bad input.
        """
        code = (wrapup.disposition_code or "").strip()
        with unit_of_work(self._sessions) as session, session.no_autoflush:
            # Order of writes: the case (the call points at it), then the call touched exactly
            # once (one version step), then the callback (it points at the call).
            disposition = _active_disposition(session, code)
            changed = {CALLS}
            call: Call | None = None
            if wrapup.call_id is not None:
                call = get_live(session, Call, wrapup.call_id, "call")
            elif wrapup.facts is None:
                raise CallLogError("a wrap-up needs the call id or the call's facts")
            party = _party(session, call, wrapup.facts)
            if wrapup.opportunity_id is not None:
                get_live(session, Opportunity, wrapup.opportunity_id, "opportunity")
                changed.add(OPPORTUNITIES)

            case_id = None
            if wrapup.new_case is not None:
                case_id = _open_case(session, party, wrapup.new_case, wrapup.notes)
                changed.add(CASES)

            action = AuditAction.UPDATE if call is not None else AuditAction.CREATE
            if call is None:
                call = Call()
                session.add(call)
            if wrapup.facts is not None:
                _apply_facts(session, call, wrapup.facts)
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
            actor = _find_agent(session, actor_ref) if actor_ref is not None else None
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
                call=_call_record(call, disposition.code),
                callback_id=callback_id,
                case_id=case_id,
                changed=frozenset(changed),
            )

    def dispositions(self) -> tuple[DispositionInfo, ...]:
        """The active wrap-up codes in the admin's order."""
        with self._sessions() as session:
            rows = session.scalars(
                select(Disposition)
                .where(Disposition.active.is_(True), Disposition.deleted_at.is_(None))
                .order_by(Disposition.sort_order, Disposition.code)
            )
            return tuple(_disposition_info(d) for d in rows)

    def default_disposition(self) -> DispositionInfo | None:
        """The code a wrap-up gets when its timer runs out (``None`` if no code is marked)."""
        with self._sessions() as session:
            row = session.scalars(
                select(Disposition)
                .where(
                    Disposition.is_default.is_(True),
                    Disposition.active.is_(True),
                    Disposition.deleted_at.is_(None),
                )
                .order_by(Disposition.sort_order, Disposition.code)
                .limit(1)
            ).first()
            return None if row is None else _disposition_info(row)

    # -- reading ---------------------------------------------------------------------------

    def get_call(self, call_id: uuid.UUID) -> CallRecord:
        with self._sessions() as session:
            call = get_live(session, Call, call_id, "call")
            return _call_record(call, _disposition_code(session, call.disposition_id))

    def recent_calls(self, agent: AgentRef, limit: int = 20) -> tuple[RecentCall, ...]:
        """The agent's latest calls, newest first (walks ``ix_calls_agent_started``)."""
        t = Base.metadata.tables
        calls, dispositions = t["calls"], t["dispositions"]
        contacts, leads, accounts = t["contacts"], t["leads"], t["accounts"]
        with self._sessions() as session:
            user = _find_agent(session, agent)
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
                if row.c_first is not None or row.c_last is not None:
                    party: str | None = display_name(row.c_first, row.c_last, row.c_country)
                elif row.l_first is not None or row.l_last is not None:
                    party = display_name(row.l_first, row.l_last, row.l_country)
                else:
                    party = row.a_name
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

    # -- contact edits ---------------------------------------------------------------------

    def get_contact(self, contact_id: uuid.UUID) -> ContactRecord:
        with self._sessions() as session:
            return _contact_record(get_live(session, Contact, contact_id, "contact"))

    def update_contact(
        self,
        contact_id: uuid.UUID,
        expected_version: int,
        changes: Mapping[str, object],
        *,
        actor: AgentRef | None = None,
    ) -> ContactRecord:
        """Apply ``changes`` (fields of :data:`CONTACT_EDITABLE`) if nobody saved meanwhile.

        Raises :class:`StaleRecordError` with the current values when the contact's version
        is no longer ``expected_version`` (or it was deleted).
        """
        unknown = set(changes) - set(CONTACT_EDITABLE)
        if unknown:
            raise CallLogError(f"cannot edit contact field(s): {', '.join(sorted(unknown))}")
        with unit_of_work(self._sessions) as session:
            contact = edit_versioned(
                session, Contact, "contact", contact_id, expected_version, changes,
                CONTACT_EDITABLE, actor,
            )  # fmt: skip
            assert isinstance(contact, Contact)
            record = _contact_record(contact)
        return replace(record, changed=frozenset({CONTACTS}))


# -- helpers shared with the callback service -----------------------------------------------------


def find_agent(session: Session, agent: AgentRef) -> User:
    """The active user named by username or id; :class:`UnknownAgentError` otherwise."""
    return _find_agent(session, agent)


def _find_agent(session: Session, agent: AgentRef) -> User:
    if isinstance(agent, uuid.UUID):
        user = session.get(User, agent)
    else:
        user = session.scalars(select(User).where(User.username == agent)).first()
    if user is None or not user.active or user.deleted_at is not None:
        raise UnknownAgentError(agent)
    return user


def audit(
    session: Session,
    actor: AgentRef | None,
    action: AuditAction,
    entity_kind: str,
    entity_id: uuid.UUID | None,
    details: dict[str, Any] | None = None,
) -> None:
    """Append an audit entry in the caller's transaction (unknown actors are kept by name)."""
    user: User | None = None
    if isinstance(actor, uuid.UUID):
        user = session.get(User, actor)
    elif isinstance(actor, str):
        user = session.scalars(select(User).where(User.username == actor)).first()
    session.add(
        AuditEntry(
            user_id=user.id if user else None,
            actor=user.username if user else (str(actor) if actor is not None else None),
            action=action,
            entity_kind=entity_kind,
            entity_id=entity_id,
            details=details,
        )
    )


def check_version(
    record: SharedRecord | None,
    kind: str,
    record_id: uuid.UUID,
    expected_version: int,
    fields: tuple[str, ...],
) -> None:
    """Raise :class:`StaleRecordError` unless ``record`` exists at ``expected_version``."""
    if record is None or record.deleted_at is not None:
        raise StaleRecordError(kind, record_id, expected_version, None, {})
    if record.version != expected_version:
        raise StaleRecordError(
            kind, record_id, expected_version, record.version, _values(record, fields)
        )


def flush_versioned(
    session: Session,
    record: SharedRecord,
    kind: str,
    expected_version: int,
    fields: tuple[str, ...],
) -> None:
    """Flush an edit; a concurrent commit between read and write becomes StaleRecordError."""
    # A failed flush rolls the session back and expires ``record``: take what we need first.
    bind, model, record_id = session.get_bind(), type(record), record.id
    try:
        session.flush()
    except StaleDataError as exc:
        # The ORM's UPDATE ... WHERE version = :read matched nothing: someone committed after
        # our read. Their values come from a fresh connection; the caller's unit of work rolls
        # this one back.
        raise _stale_from_fresh_read(bind, model, record_id, kind, expected_version,
                                     fields) from exc  # fmt: skip


def edit_versioned(
    session: Session,
    model: type[SharedRecord],
    kind: str,
    record_id: uuid.UUID,
    expected_version: int,
    changes: Mapping[str, object],
    fields: tuple[str, ...],
    actor: AgentRef | None,
) -> SharedRecord:
    """Apply ``changes`` to the record if it is still at ``expected_version``, with an audit
    entry of the fields and their old values; :class:`StaleRecordError` otherwise."""
    record = session.get(model, record_id)
    check_version(record, kind, record_id, expected_version, fields)
    assert record is not None
    before = {name: getattr(record, name) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    flush_versioned(session, record, kind, expected_version, fields)
    audit(
        session,
        actor,
        AuditAction.UPDATE,
        kind,
        record_id,
        {"fields": sorted(changes), "before": {k: _jsonable(v) for k, v in before.items()}},
    )
    return record


def _stale_from_fresh_read(
    bind: Engine | Connection,
    model: type[SharedRecord],
    record_id: uuid.UUID,
    kind: str,
    expected_version: int,
    fields: tuple[str, ...],
) -> StaleRecordError:
    with Session(bind) as fresh:
        current = fresh.get(model, record_id)
        if current is None or current.deleted_at is not None:
            return StaleRecordError(kind, record_id, expected_version, None, {})
        return StaleRecordError(
            kind, record_id, expected_version, current.version, _values(current, fields)
        )


def _values(record: object, fields: tuple[str, ...]) -> dict[str, object]:
    return {name: getattr(record, name) for name in fields}


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)


def get_live(session: Session, model: type[Any], record_id: uuid.UUID, kind: str) -> Any:
    """The record, or :class:`RecordNotFoundError` when it is missing or soft-deleted."""
    record = session.get(model, record_id)
    if record is None or record.deleted_at is not None:
        raise RecordNotFoundError(kind, record_id)
    return record


def _active_disposition(session: Session, code: str) -> Disposition:
    if not code:
        raise UnknownDispositionError(code, _known_codes(session))
    disposition = session.scalars(select(Disposition).where(Disposition.code == code)).first()
    if disposition is None or not disposition.active or disposition.deleted_at is not None:
        raise UnknownDispositionError(code, _known_codes(session))
    return disposition


def _known_codes(session: Session) -> tuple[str, ...]:
    return tuple(
        session.scalars(
            select(Disposition.code)
            .where(Disposition.active.is_(True), Disposition.deleted_at.is_(None))
            .order_by(Disposition.sort_order, Disposition.code)
        )
    )


def _disposition_code(session: Session, disposition_id: uuid.UUID | None) -> str | None:
    if disposition_id is None:
        return None
    return session.scalar(select(Disposition.code).where(Disposition.id == disposition_id))


def _apply_facts(session: Session, call: Call, facts: CallFacts) -> None:
    call.direction = facts.direction
    call.started_at = facts.started_at
    call.remote_raw = facts.remote_raw
    call.remote_e164 = facts.remote_e164
    call.local_party = facts.local_party
    call.agent_id = _find_agent(session, facts.agent).id if facts.agent is not None else None
    call.sip_call_id = facts.sip_call_id
    call.answered_at = facts.answered_at
    call.ended_at = facts.ended_at
    call.hold_seconds = facts.hold_seconds
    call.end_reason = facts.end_reason
    call.recording_path = facts.recording_path
    call.contact_id = facts.contact_id
    call.account_id = facts.account_id
    call.lead_id = facts.lead_id
    call.ring_seconds, call.talk_seconds = durations(
        facts.started_at, facts.answered_at, facts.ended_at, facts.hold_seconds
    )


@dataclass(frozen=True, slots=True)
class _Party:
    """Who the call was with and who took it, as the wrap-up will store it."""

    contact_id: uuid.UUID | None
    account_id: uuid.UUID | None
    agent_id: uuid.UUID | None


def _party(session: Session, call: Call | None, facts: CallFacts | None) -> _Party:
    if facts is not None:
        agent_id = _find_agent(session, facts.agent).id if facts.agent is not None else None
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
    )
    session.add(case)
    session.flush()
    return case.id


def _schedule_callback(session: Session, call: Call, spec: CallbackRequest) -> uuid.UUID:
    agent_id = _find_agent(session, spec.agent).id if spec.agent is not None else None
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


def _disposition_info(row: Disposition) -> DispositionInfo:
    return DispositionInfo(
        id=row.id,
        code=row.code,
        label=row.label,
        needs_callback=row.needs_callback,
        is_default=row.is_default,
    )


def _call_record(call: Call, disposition_code: str | None) -> CallRecord:
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


def _contact_record(contact: Contact) -> ContactRecord:
    return ContactRecord(
        id=contact.id,
        version=contact.version,
        first_name=contact.first_name,
        last_name=contact.last_name,
        title=contact.title,
        email=contact.email,
        city=contact.city,
        country=contact.country,
        notes=contact.notes,
        account_id=contact.account_id,
        owner_id=contact.owner_id,
        updated_at=contact.updated_at,
    )
