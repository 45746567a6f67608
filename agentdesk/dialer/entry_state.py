"""A campaign entry's state, and the steps every change to it is made of, in the caller's session.

:mod:`agentdesk.dialer.outcomes` builds its one-transaction services from these;
:mod:`agentdesk.dialer.campaign_wrapup` joins :func:`write_disposition` with the call's wrap-up
in one unit of work. Version conflicts (someone else changed the entry first) surface as
:class:`EntryStateError` at the flush or commit, never as a raw ``StaleDataError``.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from agentdesk.calls.dispositions import active_disposition
from agentdesk.dialer.campaigns import DialerError, policy_of
from agentdesk.dialer.dnc import is_listed
from agentdesk.dialer.models import Attempt, Campaign, CampaignEntry, DncNumber
from agentdesk.dialer.rules import (
    DispositionFlags,
    EntryStatus,
    NextState,
    Outcome,
    RuleError,
    after_disposition,
)
from agentdesk.org.models import User
from agentdesk.org.users import find_user


class EntryStateError(DialerError):
    """The entry is not in a state that allows this (or someone else changed it first)."""


class StaleEntryError(EntryStateError):
    """Someone else changed the entry between this transaction's read and its write: trying
    again (a fresh read) gives the real answer."""


class DoNotCallError(DialerError):
    """The number is on a do-not-call list: the entry was marked and must not be dialled."""


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
    """The attempt :func:`~agentdesk.dialer.outcomes.record_attempt` wrote (else ``None``)."""
    held_until: datetime | None = None
    """While ``in_progress``: when the entry goes back to the pool unless the desk that dials
    it renews the hold (:func:`~agentdesk.dialer.outcomes.keep_in_progress`)."""

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


def state_of(entry: CampaignEntry, attempt_id: uuid.UUID | None = None) -> EntryState:
    held = entry.reserved_until if entry.status == EntryStatus.IN_PROGRESS else None
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
        held_until=held,
    )


def load_entry(session: Session, entry_id: uuid.UUID) -> tuple[CampaignEntry, Campaign]:
    entry = session.get(CampaignEntry, entry_id)
    if entry is None or entry.deleted_at is not None:
        raise EntryStateError(f"campaign entry {entry_id} does not exist")
    campaign = session.get(Campaign, entry.campaign_id)
    assert campaign is not None  # foreign key
    return entry, campaign


def move_entry(entry: CampaignEntry, state: NextState, now: datetime) -> None:
    """Put the entry in ``state``; whatever held it (reservation, call) is let go."""
    entry.status = state.status
    if state.next_eligible_at is not None:
        entry.next_eligible_at = state.next_eligible_at
    if state.status == EntryStatus.CALLBACK:
        entry.assigned_agent_id = state.assigned_agent_id
    entry.reserved_by_id = None
    entry.reserved_until = None
    entry.updated_at = now


def hold_in_progress(
    entry: CampaignEntry, campaign: Campaign, agent_id: uuid.UUID | None, now: datetime
) -> None:
    """Mark the entry as on a call of ``agent_id`` until one reservation time from ``now``.

    The deadline is the reservation's (``reserved_until``), so a desk that dies mid-call or
    mid-wrap-up loses the entry the way an expired reservation is lost: the next selection in
    the campaign returns it to the pool. A live desk renews it while the call lasts.
    """
    entry.status = EntryStatus.IN_PROGRESS
    entry.reserved_by_id = agent_id
    entry.reserved_until = now + hold_time(campaign)
    entry.updated_at = now


def hold_time(campaign: Campaign) -> timedelta:
    return timedelta(minutes=campaign.reservation_minutes)


def commit_entry(session: Session, entry_id: uuid.UUID) -> None:
    try:
        session.commit()
    except StaleDataError:
        session.rollback()
        raise stale(entry_id) from None


def flush_entry(session: Session, entry_id: uuid.UUID) -> None:
    """Flush in a transaction someone else commits: the version check happens here."""
    try:
        session.flush()
    except StaleDataError:
        raise stale(entry_id) from None


def stale(entry_id: uuid.UUID) -> StaleEntryError:
    return StaleEntryError(f"campaign entry {entry_id} was changed by someone else; reload it")


def check_held_by(entry: CampaignEntry, agent: User) -> None:
    """Refuse a change by ``agent`` to an entry another agent holds: reserved, or in progress
    (being dialled, or waiting for that agent's wrap-up). A desk's report replayed after its
    hold ran out must not take over the entry from whoever has it now."""
    held = entry.status in (EntryStatus.RESERVED, EntryStatus.IN_PROGRESS)
    if held and entry.reserved_by_id not in (None, agent.id):
        raise EntryStateError(f"campaign entry {entry.id} is held by another agent")


def disposition_flags(session: Session, code: str) -> DispositionFlags:
    row = active_disposition(session, code)
    return DispositionFlags(
        code=row.code,
        is_final=row.is_final,
        needs_callback=row.needs_callback,
        counts_as_contact=row.counts_as_contact,
        is_success=row.is_success,
        adds_to_dnc=row.adds_to_dnc,
    )


@dataclass(frozen=True, slots=True)
class _Disposed:
    """What a disposition does to an entry, decided before anything is written."""

    entry: CampaignEntry
    campaign: Campaign
    flags: DispositionFlags
    state: NextState


def _dispose(
    session: Session,
    entry_id: uuid.UUID,
    code: str,
    *,
    agent: str | None,
    callback_at: datetime | None,
    now: datetime,
    callback_for_anyone: bool,
    missing_callback_delay: timedelta | None,
) -> _Disposed:
    """The checks and the rule of :func:`write_disposition`; raises :class:`DialerError`
    before anything in the session is changed."""
    entry, campaign = load_entry(session, entry_id)
    user = find_user(session, agent) if agent else None
    flags = disposition_flags(session, code)
    if entry.attempts == 0 or entry.status in (EntryStatus.DNC, EntryStatus.DONE):
        raise EntryStateError(
            f"campaign entry {entry_id} is {entry.status} with {entry.attempts} attempts; "
            "record the attempt first"
        )
    if user is not None:
        check_held_by(entry, user)
    if flags.needs_callback and callback_at is None and missing_callback_delay is not None:
        callback_at = now + missing_callback_delay
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
    return _Disposed(entry, campaign, flags, state)


def disposition_refusal(
    session: Session,
    entry_id: uuid.UUID,
    code: str,
    *,
    agent: str | None,
    callback_at: datetime | None,
    now: datetime,
    missing_callback_delay: timedelta | None = None,
) -> str | None:
    """Why :func:`write_disposition` would refuse ``code`` now (``None``: it would not).

    Changes nothing, so the caller's transaction goes on either way (the campaign wrap-up
    saves the call alone when the entry has moved on).
    """
    try:
        _dispose(
            session,
            entry_id,
            code,
            agent=agent,
            callback_at=callback_at,
            now=now,
            callback_for_anyone=False,
            missing_callback_delay=missing_callback_delay,
        )
    except DialerError as refusal:
        return str(refusal)
    return None


def write_disposition(
    session: Session,
    entry_id: uuid.UUID,
    code: str,
    *,
    agent: str | None,
    callback_at: datetime | None,
    now: datetime,
    callback_for_anyone: bool = False,
    call_id: uuid.UUID | None = None,
    missing_callback_delay: timedelta | None = None,
) -> EntryState:
    """Apply the wrap-up code to the entry in ``session``'s transaction, flushed, not committed.

    The rules are :func:`~agentdesk.dialer.outcomes.apply_disposition`'s. A callback code
    without ``callback_at`` calls back after ``missing_callback_delay`` when one is given (the
    desk's form allows a callback code without a time), and is refused otherwise.
    """
    disposed = _dispose(
        session,
        entry_id,
        code,
        agent=agent,
        callback_at=callback_at,
        now=now,
        callback_for_anyone=callback_for_anyone,
        missing_callback_delay=missing_callback_delay,
    )
    entry, campaign, flags = disposed.entry, disposed.campaign, disposed.flags
    move_entry(entry, disposed.state, now)
    entry.last_disposition = flags.code
    entry.contacted = entry.contacted or flags.counts_as_contact
    entry.succeeded = entry.succeeded or flags.is_success
    # The call's own attempt when it is linked already (the journal's), else the latest.
    latest = select(Attempt).where(Attempt.entry_id == entry.id)
    if call_id is not None:
        latest = latest.order_by((Attempt.call_id == call_id).desc())
    last_attempt = session.scalars(
        latest.order_by(Attempt.started_at.desc(), Attempt.id.desc()).limit(1)
    ).first()
    if last_attempt is not None:
        last_attempt.disposition_code = flags.code
        if call_id is not None:
            last_attempt.call_id = call_id
    if flags.adds_to_dnc and not is_listed(session, entry.e164, campaign.id):
        session.add(DncNumber(e164=entry.e164, campaign_id=None, source="disposition"))
    flush_entry(session, entry_id)
    return state_of(entry)
