"""Changing a campaign after it was made: its settings, pause and resume, archive.

Every change needs the role matrix's campaign update (a supervisor's, a manager's, an admin's;
not an agent's) and leaves an audit entry with what changed, in the same transaction. Who acts
is the connection's user on PostgreSQL; on SQLite the name given (``None``: the file's owner,
which may do anything, as for every service).
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.dialer.campaigns import (
    DialerError,
    assigned_to,
    info_of,
    load_campaign,
    minute_of,
)
from agentdesk.dialer.models import Campaign
from agentdesk.dialer.rules import (
    ALL_WEEKDAYS,
    DialMode,
    Outcome,
    RetryPolicy,
    RuleError,
    parse_window,
)
from agentdesk.dialer.scripts import unknown_fields
from agentdesk.domain.access import Action, Depth, RecordKind, Refusal
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import acting_user, audit_actor
from agentdesk.org.users import AgentRef

WEEKDAY_NAMES = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
_DAY_PART = re.compile(r"^([a-z]{3}|\d)(?:-([a-z]{3}|\d))?$")


@dataclass(frozen=True, slots=True)
class CampaignChanges:
    """What ``campaign set`` changes; ``None`` leaves a setting as it is."""

    script: str | None = None
    """The new script; an empty text removes it."""
    window: str | None = None
    weekdays: tuple[int, ...] | None = None
    max_attempts: int | None = None
    retry_rules: Mapping[str, Any] | None = None
    """Per outcome, laid over the current rules (``{"busy": {"retry_after_minutes": 30}}``)."""
    priority: int | None = None
    mode: str | None = None
    reservation_minutes: int | None = None

    def empty(self) -> bool:
        values = (
            self.script, self.window, self.weekdays, self.max_attempts, self.retry_rules,
            self.priority, self.mode, self.reservation_minutes,
        )  # fmt: skip
        return all(value is None for value in values)


@dataclass(frozen=True, slots=True)
class CampaignRow:
    """One line of ``campaign list``."""

    name: str
    mode: str
    active: bool
    archived: bool
    priority: int
    window: str
    weekdays: tuple[int, ...]
    max_attempts: int

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "mode": self.mode,
            "active": self.active,
            "archived": self.archived,
            "priority": self.priority,
            "window": self.window,
            "weekdays": list(self.weekdays),
            "max_attempts": self.max_attempts,
        }


def parse_weekdays(text: str) -> tuple[int, ...]:
    """``mon-fri``, ``mon,wed,fri``, ``0-4`` or ``sat,sun`` as weekday numbers (Monday 0)."""
    days: set[int] = set()
    for part in (p.strip().lower() for p in text.split(",")):
        match = _DAY_PART.match(part)
        if match is None:
            raise DialerError(
                f"weekdays {text!r}: use day names or numbers, e.g. mon-fri or 0,2,4 (Monday 0)"
            )
        first = _day(match.group(1), text)
        last = _day(match.group(2), text) if match.group(2) else first
        if last < first:
            raise DialerError(f"weekdays {text!r}: a range runs forward, e.g. mon-fri")
        days.update(range(first, last + 1))
    return tuple(sorted(days))


def _day(token: str, text: str) -> int:
    if token.isdigit():
        value = int(token)
        if value in ALL_WEEKDAYS:
            return value
    elif token in WEEKDAY_NAMES:
        return WEEKDAY_NAMES.index(token)
    raise DialerError(f"weekdays {text!r}: {token!r} is not a day (mon..sun or 0..6)")


def parse_retry(items: Iterable[str]) -> dict[str, Any]:
    """``OUTCOME=MINUTES`` or ``OUTCOME=final`` items as retry rules."""
    rules: dict[str, Any] = {}
    known = [str(o) for o in Outcome]
    for item in items:
        outcome, sep, value = item.partition("=")
        outcome, value = outcome.strip(), value.strip().lower()
        if not sep or outcome not in known:
            raise DialerError(
                f"retry rule {item!r}: use OUTCOME=MINUTES or OUTCOME=final, "
                f"OUTCOME one of {', '.join(known)}"
            )
        if value == "final":
            rules[outcome] = {"final": True}
            continue
        try:
            minutes = float(value)
        except ValueError:
            minutes = -1.0
        if minutes < 0:
            raise DialerError(f"retry rule {item!r}: minutes are a number 0 or more, or final")
        rules[outcome] = {"retry_after_minutes": minutes}
    return rules


def _require_update(session: Session, actor: AgentRef | None) -> None:
    # Depth all, as the database's own policy on PostgreSQL (campaigns are nobody's records).
    access = acting_access(session, actor)
    if access is not None and access.depth(RecordKind.CAMPAIGNS, Action.UPDATE) is not Depth.ALL:
        raise AccessDeniedError(access.username, Refusal(Action.UPDATE, RecordKind.CAMPAIGNS))


def _audit(
    session: Session, actor: AgentRef | None, campaign: Campaign, details: dict[str, Any]
) -> None:
    who = acting_user(session, actor)
    audit(session, audit_actor(session, who), AuditAction.UPDATE, "campaign", campaign.id, details)


def list_campaigns(sessions: sessionmaker[Session], *, archived: bool = False) -> list[CampaignRow]:
    """Live campaigns (and with ``archived`` the archived ones too), highest priority first."""
    with sessions() as session:
        stmt = select(Campaign).order_by(Campaign.priority.desc(), Campaign.name)
        if not archived:
            stmt = stmt.where(Campaign.deleted_at.is_(None))
        rows = []
        for campaign in session.scalars(stmt):
            info = info_of(campaign)
            rows.append(
                CampaignRow(
                    info.name,
                    info.mode,
                    info.active,
                    campaign.deleted_at is not None,
                    info.priority,
                    info.window,
                    info.weekdays,
                    info.max_attempts,
                )
            )
        return rows


def show_campaign(sessions: sessionmaker[Session], name: str) -> dict[str, Any]:
    """A campaign's settings and who may work it."""
    with sessions() as session:
        campaign = load_campaign(session, name)
        assigned = assigned_to(session, campaign)
        return {
            **info_of(campaign).to_json(),
            "assigned": assigned,
            "open_to_all": not (assigned["agents"] or assigned["teams"]),
        }


def update_campaign(
    sessions: sessionmaker[Session],
    name: str,
    changes: CampaignChanges,
    *,
    actor: AgentRef | None = None,
) -> dict[str, Any]:
    """Apply ``changes`` to campaign ``name``; returns its settings after the change.

    Raises :class:`DialerError` for nothing to change or an unusable value (nothing is
    written), :class:`AccessDeniedError` when the role may not change campaigns.
    """
    if changes.empty():
        raise DialerError(
            "nothing to change: give --script, --window, --weekdays, --max-attempts, --retry, "
            "--priority, --mode or --reservation-minutes"
        )
    with unit_of_work(sessions) as session:
        _require_update(session, actor)
        campaign = load_campaign(session, name)
        before = info_of(campaign).to_json()
        _apply(campaign, changes)
        after = info_of(campaign).to_json()
        changed = {key: after[key] for key in after if after[key] != before[key]}
        _audit(session, actor, campaign, {"campaign": campaign.name, "changed": changed})
        return after


def _apply(campaign: Campaign, changes: CampaignChanges) -> None:
    try:
        if changes.mode is not None:
            try:
                campaign.mode = str(DialMode(changes.mode))
            except ValueError:
                raise DialerError(
                    f"unknown mode {changes.mode!r}: use preview, progressive or manual"
                ) from None
        if changes.window is not None or changes.weekdays is not None:
            current = info_of(campaign)
            calling = parse_window(
                changes.window or current.window,
                current.weekdays if changes.weekdays is None else changes.weekdays,
            )
            campaign.window_start_minute = minute_of(calling.start)
            campaign.window_end_minute = minute_of(calling.end)
            campaign.weekdays = sorted(calling.weekdays)
        if changes.max_attempts is not None or changes.retry_rules is not None:
            rules = {**(campaign.retry_rules or {}), **(changes.retry_rules or {})}
            attempts = changes.max_attempts or campaign.max_attempts
            if changes.max_attempts is not None and changes.max_attempts < 1:
                raise RuleError("max attempts must be 1 or more")
            policy = RetryPolicy.from_json(attempts, rules)
            campaign.max_attempts = policy.max_attempts
            campaign.retry_rules = policy.to_json()
    except RuleError as exc:
        raise DialerError(str(exc)) from None
    if changes.script is not None:
        script = changes.script.strip()
        if script and (typos := unknown_fields(script)):
            raise DialerError(f"unknown merge fields in the script: {', '.join(typos)}")
        campaign.script = script or None
    if changes.priority is not None:
        campaign.priority = changes.priority
    if changes.reservation_minutes is not None:
        if changes.reservation_minutes < 1:
            raise DialerError("the reservation time is at least one minute")
        campaign.reservation_minutes = changes.reservation_minutes


def set_running(
    sessions: sessionmaker[Session], name: str, active: bool, *, actor: AgentRef | None = None
) -> dict[str, Any]:
    """Pause (``active=False``) or resume a campaign: a paused one offers no entry."""
    with unit_of_work(sessions) as session:
        _require_update(session, actor)
        campaign = load_campaign(session, name)
        if campaign.active != active:
            campaign.active = active
            _audit(session, actor, campaign, {"campaign": name, "active": active})
        return info_of(campaign).to_json()


def archive_campaign(
    sessions: sessionmaker[Session], name: str, *, actor: AgentRef | None = None
) -> dict[str, Any]:
    """Take a finished campaign out of every list; its entries, attempts and calls stay for
    the reports (``campaign list --archived`` still shows it)."""
    with unit_of_work(sessions) as session:
        _require_update(session, actor)
        campaign = load_campaign(session, name)
        campaign.active = False
        campaign.deleted_at = utcnow()
        _audit(session, actor, campaign, {"campaign": name, "archived": True})
        return {"campaign": name, "archived": True}
