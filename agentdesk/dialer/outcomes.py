"""After an entry is offered: dialing it, the SIP outcome, the wrap-up, skipping, progress.

The life of an entry::

    new/callback --next_entry--> reserved --start_dialing--> in_progress
    reserved|in_progress --record_attempt(outcome)--> in_progress (answered, waits for wrap-up)
                                                     | new (retry later) | exhausted | done
                                                     | invalid
    in_progress|new|exhausted --apply_disposition--> done | callback | dnc | new | exhausted
    reserved --skip_entry--> new (eligible again after a pause)

Every change goes through the ORM with the ``version`` check, so two clients acting on the same
entry cannot both win; the loser gets :class:`EntryStateError`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, insert, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from agentdesk.crm.models import Disposition, User
from agentdesk.db.audit import AuditEntry
from agentdesk.dialer.campaigns import DialerError, load_agent, load_campaign, policy_of
from agentdesk.dialer.dnc import is_listed
from agentdesk.dialer.models import Attempt, Campaign, CampaignEntry, DncNumber
from agentdesk.dialer.rules import (
    OPEN_STATUSES,
    DispositionFlags,
    EntryStatus,
    NextState,
    Outcome,
    RuleError,
    after_attempt,
    after_disposition,
)
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.domain.ids import uuid7

SKIP_DELAY = timedelta(minutes=30)


class EntryStateError(DialerError):
    """The entry is not in a state that allows this (or someone else changed it first)."""


class DoNotCallError(DialerError):
    """The number is on a do-not-call list: the entry was marked and must not be dialled."""


class UnknownDispositionError(DialerError):
    def __init__(self, code: str) -> None:
        super().__init__(f"unknown or inactive disposition code {code!r}")
        self.code = code


@dataclass(frozen=True, slots=True)
class EntryState:
    """Where an entry stands after a change."""

    id: uuid.UUID
    status: str
    attempts: int
    last_outcome: str | None
    last_disposition: str | None
    next_eligible_at: datetime
    assigned_agent_id: uuid.UUID | None
    version: int
    attempt_id: uuid.UUID | None = None
    """The attempt :func:`record_attempt` wrote (``None`` from the other changes)."""

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "status": self.status,
            "attempts": self.attempts,
            "last_outcome": self.last_outcome,
            "last_disposition": self.last_disposition,
            "next_eligible_at": self.next_eligible_at.isoformat(),
            "assigned_agent_id": str(self.assigned_agent_id) if self.assigned_agent_id else None,
        }


def _state(entry: CampaignEntry, attempt_id: uuid.UUID | None = None) -> EntryState:
    return EntryState(
        id=entry.id,
        status=entry.status,
        attempts=entry.attempts,
        last_outcome=entry.last_outcome,
        last_disposition=entry.last_disposition,
        next_eligible_at=entry.next_eligible_at,
        assigned_agent_id=entry.assigned_agent_id,
        version=entry.version,
        attempt_id=attempt_id,
    )


def _entry(session: Session, entry_id: uuid.UUID) -> tuple[CampaignEntry, Campaign]:
    entry = session.get(CampaignEntry, entry_id)
    if entry is None or entry.deleted_at is not None:
        raise EntryStateError(f"campaign entry {entry_id} does not exist")
    campaign = session.get(Campaign, entry.campaign_id)
    assert campaign is not None  # foreign key
    return entry, campaign


def _apply(entry: CampaignEntry, state: NextState, now: datetime) -> None:
    entry.status = state.status
    if state.next_eligible_at is not None:
        entry.next_eligible_at = state.next_eligible_at
    if state.status == EntryStatus.CALLBACK:
        entry.assigned_agent_id = state.assigned_agent_id
    entry.reserved_by_id = None
    entry.reserved_until = None
    entry.updated_at = now


def _commit(session: Session, entry_id: uuid.UUID) -> None:
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise EntryStateError(
            f"campaign entry {entry_id} was changed by someone else; reload it"
        ) from None


def _held_by(entry: CampaignEntry, agent: User) -> None:
    if entry.status == EntryStatus.RESERVED and entry.reserved_by_id not in (None, agent.id):
        raise EntryStateError(f"campaign entry {entry.id} is reserved by another agent")


def start_dialing(
    sessions: sessionmaker[Session],
    entry_id: uuid.UUID,
    agent: str,
    *,
    now: datetime | None = None,
) -> EntryState:
    """The agent's phone is about to dial the entry: last DNC check, then ``in_progress``.

    Raises :class:`DoNotCallError` (and marks the entry) when the number was listed after it
    was offered, :class:`EntryStateError` unless the entry is reserved by ``agent``.
    """
    now = now or utcnow()
    with sessions() as session:
        entry, campaign = _entry(session, entry_id)
        user = load_agent(session, agent)
        if entry.status != EntryStatus.RESERVED or entry.reserved_by_id != user.id:
            raise EntryStateError(f"campaign entry {entry_id} is not reserved by {agent}")
        if is_listed(session, entry.e164, campaign.id):
            _apply(entry, NextState(EntryStatus.DNC), now)
            _commit(session, entry_id)
            raise DoNotCallError(f"{entry.e164} is on a do-not-call list; not dialled")
        entry.status = EntryStatus.IN_PROGRESS
        entry.reserved_until = None
        entry.updated_at = now
        _commit(session, entry_id)
        return _state(entry)


def record_attempt(
    sessions: sessionmaker[Session],
    entry_id: uuid.UUID,
    outcome: Outcome | str,
    sip_code: int | None = None,
    *,
    agent: str | None = None,
    call_id: uuid.UUID | None = None,
    started_at: datetime | None = None,
    ended_at: datetime | None = None,
    now: datetime | None = None,
) -> EntryState:
    """Record one dial of the entry and move it on by the campaign's retry rules.

    The entry must be reserved (by ``agent`` when given) or in progress. ``answered`` leaves it
    ``in_progress`` for :func:`apply_disposition`; other outcomes schedule a retry, or end it
    (final outcome, or max attempts reached).
    """
    now = now or utcnow()
    try:
        result = Outcome(outcome)
    except ValueError:
        raise DialerError(f"unknown outcome {outcome!r}") from None
    with sessions() as session:
        entry, campaign = _entry(session, entry_id)
        user = load_agent(session, agent) if agent else None
        if entry.status not in (EntryStatus.RESERVED, EntryStatus.IN_PROGRESS):
            raise EntryStateError(f"campaign entry {entry_id} is {entry.status}, not being dialled")
        if user is not None:
            _held_by(entry, user)
        entry.attempts += 1
        entry.last_outcome = result
        _apply(entry, after_attempt(policy_of(campaign), result, entry.attempts, now), now)
        attempt_id = uuid7()
        session.execute(
            insert(Attempt),
            {
                "id": attempt_id,
                "entry_id": entry.id,
                "campaign_id": campaign.id,
                "agent_id": user.id if user else None,
                "started_at": started_at or now,
                "ended_at": ended_at or now,
                "outcome": result,
                "sip_code": sip_code,
                "call_id": call_id,
                "disposition_code": None,
            },
        )
        _commit(session, entry_id)
        return _state(entry, attempt_id)


def apply_disposition(
    sessions: sessionmaker[Session],
    entry_id: uuid.UUID,
    code: str,
    *,
    agent: str | None = None,
    callback_at: datetime | None = None,
    callback_for_anyone: bool = False,
    call_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> EntryState:
    """Apply the agent's wrap-up code to the entry (after :func:`record_attempt`).

    The code's flags decide: ``do_not_call`` lists the number globally; final codes end the
    entry; callback codes need ``callback_at`` and make the entry the agent's callback (or
    anyone's with ``callback_for_anyone``); other codes retry by the outcome's rule.
    ``counts_as_contact`` and ``is_success`` feed the campaign's progress. ``call_id`` links
    the entry's last attempt to the call row the wrap-up saved.
    """
    now = now or utcnow()
    with sessions() as session:
        entry, campaign = _entry(session, entry_id)
        user = load_agent(session, agent) if agent else None
        flags = _flags(session, code)
        if entry.attempts == 0 or entry.status in (EntryStatus.DNC, EntryStatus.DONE):
            raise EntryStateError(
                f"campaign entry {entry_id} is {entry.status} with {entry.attempts} attempts; "
                "record the attempt first"
            )
        if user is not None:
            _held_by(entry, user)
        last = Outcome(entry.last_outcome) if entry.last_outcome else None
        owner = None if callback_for_anyone or user is None else user.id
        try:
            state = after_disposition(
                policy_of(campaign),
                flags,
                last,
                entry.attempts,
                now,
                callback_at=callback_at,
                callback_agent=owner,
            )
        except RuleError as exc:
            raise DialerError(str(exc)) from None
        _apply(entry, state, now)
        entry.last_disposition = flags.code
        entry.contacted = entry.contacted or flags.counts_as_contact
        entry.succeeded = entry.succeeded or flags.is_success
        last_attempt = session.scalars(
            select(Attempt)
            .where(Attempt.entry_id == entry.id)
            .order_by(Attempt.started_at.desc(), Attempt.id.desc())
            .limit(1)
        ).first()
        if last_attempt is not None:
            last_attempt.disposition_code = flags.code
            if call_id is not None:
                last_attempt.call_id = call_id
        if flags.adds_to_dnc and not is_listed(session, entry.e164, campaign.id):
            session.add(DncNumber(e164=entry.e164, campaign_id=None, source="disposition"))
        _commit(session, entry_id)
        return _state(entry)


def link_attempt_call(
    sessions: sessionmaker[Session], attempt_id: uuid.UUID, call_id: uuid.UUID
) -> bool:
    """Link an attempt to the call row the desk logged for it (an unanswered call's row is
    written after the attempt). A link already made is kept; returns whether this one took."""
    with sessions() as session:
        result = session.execute(
            update(Attempt)
            .where(Attempt.id == attempt_id, Attempt.call_id.is_(None))
            .values(call_id=call_id)
        )
        session.commit()
        return int(result.rowcount) == 1  # type: ignore[attr-defined]


def _flags(session: Session, code: str) -> DispositionFlags:
    row = session.scalar(
        select(Disposition).where(
            Disposition.code == code, Disposition.active, Disposition.deleted_at.is_(None)
        )
    )
    if row is None:
        raise UnknownDispositionError(code)
    return DispositionFlags(
        code=row.code,
        is_final=row.is_final,
        needs_callback=row.needs_callback,
        counts_as_contact=row.counts_as_contact,
        is_success=row.is_success,
        adds_to_dnc=row.adds_to_dnc,
    )


def skip_entry(
    sessions: sessionmaker[Session],
    entry_id: uuid.UUID,
    agent: str,
    *,
    delay: timedelta = SKIP_DELAY,
    reason: str | None = None,
    now: datetime | None = None,
) -> EntryState:
    """The agent skipped a previewed entry: back to the pool, eligible again after ``delay``.

    A skip is not an attempt. A skipped callback stays a callback. A ``reason`` goes to the
    audit log (the entry has no column for it; a supervisor reads skips there).
    """
    now = now or utcnow()
    with sessions() as session:
        entry, _campaign = _entry(session, entry_id)
        user = load_agent(session, agent)
        if entry.status != EntryStatus.RESERVED or entry.reserved_by_id != user.id:
            raise EntryStateError(f"campaign entry {entry_id} is not reserved by {agent}")
        status = EntryStatus.CALLBACK if entry.assigned_agent_id else EntryStatus.NEW
        _apply(entry, NextState(status, now + delay, entry.assigned_agent_id), now)
        if reason and reason.strip():
            session.add(
                AuditEntry(
                    at=now,
                    user_id=user.id,
                    actor=agent,
                    action=AuditAction.UPDATE,
                    entity_kind="campaign_entry",
                    entity_id=entry.id,
                    details={"skipped": True, "reason": reason.strip()[:500]},
                )
            )
        _commit(session, entry_id)
        return _state(entry)


# ---------------------------------------------------------------------------------------------
# Progress


@dataclass(frozen=True)
class CampaignProgress:
    """Counts for the panel and ``campaign status``.

    ``dialed``: entries with at least one attempt; ``remaining``: entries still open (new,
    callback, reserved, in progress); ``contacted`` / ``successes``: entries whose wrap-up
    counted as a contact / a success. ``by_outcome`` counts attempts.
    """

    campaign: str
    active: bool
    total: int
    dialed: int
    remaining: int
    contacted: int
    successes: int
    attempts: int
    by_status: dict[str, int]
    by_outcome: dict[str, int]

    def to_json(self) -> dict[str, Any]:
        return {
            "campaign": self.campaign,
            "active": self.active,
            "total": self.total,
            "dialed": self.dialed,
            "remaining": self.remaining,
            "contacted": self.contacted,
            "successes": self.successes,
            "attempts": self.attempts,
            "by_status": dict(self.by_status),
            "by_outcome": dict(self.by_outcome),
        }


def campaign_progress(sessions: sessionmaker[Session], campaign: str) -> CampaignProgress:
    """Counts by status and outcome for ``campaign`` (two grouped scans of its rows)."""
    e = CampaignEntry
    with sessions() as session:
        row = load_campaign(session, campaign)
        by_status: dict[str, int] = {}
        total = dialed = contacted = successes = 0
        flags = (
            select(
                e.status.label("status"),
                (e.attempts > 0).label("dialed"),
                e.contacted.label("contacted"),
                e.succeeded.label("succeeded"),
            )
            .where(e.campaign_id == row.id, e.deleted_at.is_(None))
            .subquery()
        )
        columns = (flags.c.status, flags.c.dialed, flags.c.contacted, flags.c.succeeded)
        grouped = session.execute(select(*columns, func.count()).group_by(*columns))
        for status, was_dialed, was_contacted, was_success, n in grouped:
            by_status[status] = by_status.get(status, 0) + n
            total += n
            dialed += n if was_dialed else 0
            contacted += n if was_contacted else 0
            successes += n if was_success else 0
        by_outcome = {
            outcome: n
            for outcome, n in session.execute(
                select(Attempt.outcome, func.count())
                .where(Attempt.campaign_id == row.id)
                .group_by(Attempt.outcome)
            )
        }
        remaining = sum(by_status.get(s, 0) for s in OPEN_STATUSES)
        return CampaignProgress(
            campaign=row.name,
            active=row.active,
            total=total,
            dialed=dialed,
            remaining=remaining,
            contacted=contacted,
            successes=successes,
            attempts=sum(by_outcome.values()),
            by_status=by_status,
            by_outcome=by_outcome,
        )
