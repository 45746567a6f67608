"""After an entry is offered: dialing it, the SIP outcome, the wrap-up, skipping, progress.

The life of an entry::

    new/callback --next_entry--> reserved --start_dialing--> in_progress
    reserved|in_progress --record_attempt(outcome)--> in_progress (answered, waits for wrap-up)
                                                     | new (retry later) | exhausted | done
                                                     | invalid
    in_progress|new|exhausted --apply_disposition--> done | callback | dnc | new | exhausted
    reserved --skip_entry--> new (eligible again after a pause)
    reserved|in_progress --return_undialled--> new|callback as before (the call never left)
    reserved|in_progress --(its deadline passed: the desk died)--> new (selection.release_expired)

``in_progress`` has a deadline like a reservation (``reserved_until``, one reservation time
ahead), renewed by the dialling desk while the call and its wrap-up last
(:func:`keep_in_progress`); an entry whose desk died goes back to the pool when it passes.

Every change goes through the ORM with the ``version`` check, so two clients acting on the same
entry cannot both win; the loser gets :class:`EntryStateError`.
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime, timedelta
from typing import Any

from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.orm.exc import StaleDataError

from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import unit_of_work
from agentdesk.dialer.attempts import write_attempt
from agentdesk.dialer.campaigns import load_campaign
from agentdesk.dialer.dnc import is_listed
from agentdesk.dialer.entry_state import (
    DoNotCallError,
    EntryState,
    EntryStateError,
    commit_entry,
    hold_in_progress,
    load_entry,
    move_entry,
    stale,
    state_of,
    write_disposition,
)
from agentdesk.dialer.models import Attempt, CampaignEntry
from agentdesk.dialer.rules import OPEN_STATUSES, EntryStatus, NextState, Outcome
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.org.users import find_user

SKIP_DELAY = timedelta(minutes=30)


def start_dialing(
    sessions: sessionmaker[Session],
    entry_id: uuid.UUID,
    agent: str,
    *,
    now: datetime | None = None,
) -> EntryState:
    """The agent's phone is about to dial the entry: last DNC check, then ``in_progress``
    (held for one reservation time; :func:`keep_in_progress` renews it).

    Raises :class:`DoNotCallError` (and marks the entry) when the number was listed after it
    was offered, :class:`EntryStateError` unless the entry is reserved by ``agent``.
    """
    now = now or utcnow()
    with sessions() as session:
        entry, campaign = load_entry(session, entry_id)
        user = find_user(session, agent)
        if entry.status != EntryStatus.RESERVED or entry.reserved_by_id != user.id:
            raise EntryStateError(f"campaign entry {entry_id} is not reserved by {agent}")
        if is_listed(session, entry.e164, campaign.id):
            move_entry(entry, NextState(EntryStatus.DNC), now)
            commit_entry(session, entry_id)
            raise DoNotCallError(f"{entry.e164} is on a do-not-call list; not dialled")
        hold_in_progress(entry, campaign, user.id, now)
        commit_entry(session, entry_id)
        return state_of(entry)


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
    with sessions() as session:
        state = write_attempt(
            session,
            entry_id,
            outcome,
            sip_code,
            agent=agent,
            call_id=call_id,
            started_at=started_at,
            ended_at=ended_at,
            now=now or utcnow(),
        )
        commit_entry(session, entry_id)
        return state


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
    try:
        with unit_of_work(sessions) as session:
            return write_disposition(
                session,
                entry_id,
                code,
                agent=agent,
                callback_at=callback_at,
                callback_for_anyone=callback_for_anyone,
                call_id=call_id,
                now=now,
            )
    except StaleDataError:  # at the commit: someone else changed the entry meanwhile
        raise stale(entry_id) from None


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


def keep_in_progress(
    sessions: sessionmaker[Session],
    entry_id: uuid.UUID,
    agent: str,
    *,
    now: datetime | None = None,
) -> EntryState:
    """The agent's call on the entry (or its wrap-up) goes on: hold it one reservation time
    from ``now``. Raises :class:`EntryStateError` when it is no longer in progress for
    ``agent`` (its hold ran out and it went back to the pool, or the wrap-up moved it on)."""
    now = now or utcnow()
    with sessions() as session:
        entry, campaign = load_entry(session, entry_id)
        user = find_user(session, agent)
        if entry.status != EntryStatus.IN_PROGRESS or entry.reserved_by_id != user.id:
            raise EntryStateError(f"campaign entry {entry_id} is not in progress for {agent}")
        hold_in_progress(entry, campaign, user.id, now)
        commit_entry(session, entry_id)
        return state_of(entry)


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
        entry, _campaign = load_entry(session, entry_id)
        user = find_user(session, agent)
        if entry.status != EntryStatus.RESERVED or entry.reserved_by_id != user.id:
            raise EntryStateError(f"campaign entry {entry_id} is not reserved by {agent}")
        status = EntryStatus.CALLBACK if entry.assigned_agent_id else EntryStatus.NEW
        move_entry(entry, NextState(status, now + delay, entry.assigned_agent_id), now)
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
        commit_entry(session, entry_id)
        return state_of(entry)


def return_undialled(
    sessions: sessionmaker[Session],
    entry_id: uuid.UUID,
    agent: str,
    *,
    now: datetime | None = None,
) -> EntryState:
    """The call on the entry never left the desk (the phone refused to place it, or a call
    took the line during the last check): the entry goes back to the pool as it was.

    Not an attempt: nothing is recorded and ``attempts`` stays, so a phone that cannot place
    calls never uses up a call list. A callback stays the agent's callback; the entry is
    eligible again at once (its eligible time is left as it was when it was picked).
    """
    now = now or utcnow()
    with sessions() as session:
        entry, _campaign = load_entry(session, entry_id)
        user = find_user(session, agent)
        held = entry.status in (EntryStatus.RESERVED, EntryStatus.IN_PROGRESS)
        if not held or entry.reserved_by_id != user.id:
            raise EntryStateError(f"campaign entry {entry_id} is not being dialled by {agent}")
        status = EntryStatus.CALLBACK if entry.assigned_agent_id else EntryStatus.NEW
        move_entry(entry, NextState(status, None, entry.assigned_agent_id), now)
        commit_entry(session, entry_id)
        return state_of(entry)


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
