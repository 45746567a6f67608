"""Creating and reading campaigns; the errors every dialer service raises."""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from datetime import time
from typing import Any

from sqlalchemy import delete, insert, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.dialer.models import Campaign, CampaignAssignment
from agentdesk.dialer.rules import (
    ALL_WEEKDAYS,
    CallingWindow,
    DialMode,
    RetryPolicy,
    RuleError,
    format_clock,
    parse_window,
)
from agentdesk.dialer.scripts import unknown_fields
from agentdesk.domain.ids import uuid7
from agentdesk.org.models import Team, User
from agentdesk.org.users import find_user

DEFAULT_WINDOW = "08:00-21:00"
MINUTES_PER_DAY = 24 * 60


class DialerError(RequestError):
    """A dialer request that cannot be carried out; the message is for the user."""


class UnknownCampaignError(DialerError):
    def __init__(self, name: str) -> None:
        super().__init__(f"no campaign named {name!r}")
        self.name = name


class NotAssignedError(DialerError):
    def __init__(self, agent: str, campaign: str) -> None:
        super().__init__(f"{agent} is not assigned to campaign {campaign!r}")


@dataclass(frozen=True, slots=True)
class CampaignInfo:
    """A campaign's settings as the CLI and the panel show them."""

    id: uuid.UUID
    name: str
    mode: str
    window: str
    weekdays: tuple[int, ...]
    max_attempts: int
    retry_rules: Mapping[str, Any]
    script: str | None
    priority: int
    active: bool
    reservation_minutes: int

    def to_json(self) -> dict[str, Any]:
        return {
            "id": str(self.id),
            "name": self.name,
            "mode": self.mode,
            "window": self.window,
            "weekdays": list(self.weekdays),
            "max_attempts": self.max_attempts,
            "retry_rules": dict(self.retry_rules),
            "script": self.script,
            "priority": self.priority,
            "active": self.active,
            "reservation_minutes": self.reservation_minutes,
        }


def minute_of(value: time) -> int:
    """A window bound as stored: minutes after local midnight, 24:00 (``time.max``) as 1440."""
    return MINUTES_PER_DAY if value == time.max else value.hour * 60 + value.minute


def _clock(minute: int) -> time:
    return time.max if minute >= MINUTES_PER_DAY else time(minute // 60, minute % 60)


def window_from(start_minute: int, end_minute: int, weekdays: Iterable[int]) -> CallingWindow:
    """The window stored as minutes after local midnight (end exclusive, 1440 = midnight)."""
    return CallingWindow(_clock(start_minute), _clock(end_minute), frozenset(weekdays))


def window_of(campaign: Campaign) -> CallingWindow:
    return window_from(campaign.window_start_minute, campaign.window_end_minute, campaign.weekdays)


def policy_of(campaign: Campaign) -> RetryPolicy:
    return RetryPolicy.from_json(campaign.max_attempts, campaign.retry_rules)


def info_of(campaign: Campaign) -> CampaignInfo:
    window = window_of(campaign)
    return CampaignInfo(
        id=campaign.id,
        name=campaign.name,
        mode=campaign.mode,
        window=f"{format_clock(window.start)}-{format_clock(window.end)}",
        weekdays=tuple(sorted(window.weekdays)),
        max_attempts=campaign.max_attempts,
        retry_rules=policy_of(campaign).to_json(),
        script=campaign.script,
        priority=campaign.priority,
        active=campaign.active,
        reservation_minutes=campaign.reservation_minutes,
    )


def load_campaign(session: Session, name: str) -> Campaign:
    campaign = session.scalar(
        select(Campaign).where(Campaign.name == name, Campaign.deleted_at.is_(None))
    )
    if campaign is None:
        raise UnknownCampaignError(name)
    return campaign


def check_assigned(session: Session, campaign: Campaign, agent: User) -> None:
    """Raise :class:`NotAssignedError` unless ``agent`` may work ``campaign``.

    A campaign without assignments is open to every agent.
    """
    rows = session.execute(
        select(CampaignAssignment.user_id, CampaignAssignment.team_id).where(
            CampaignAssignment.campaign_id == campaign.id
        )
    ).all()
    if not rows:
        return
    for user_id, team_id in rows:
        if user_id == agent.id or (team_id is not None and team_id == agent.team_id):
            return
    raise NotAssignedError(agent.username, campaign.name)


def create_campaign(
    sessions: sessionmaker[Session],
    name: str,
    *,
    mode: str = DialMode.PREVIEW,
    window: str = DEFAULT_WINDOW,
    weekdays: Iterable[int] = ALL_WEEKDAYS,
    max_attempts: int = 5,
    retry_rules: Mapping[str, Any] | None = None,
    script: str | None = None,
    priority: int = 0,
    reservation_minutes: int = 5,
    agents: Iterable[str] = (),
    teams: Iterable[str] = (),
) -> CampaignInfo:
    """Create a campaign; ``agents`` (usernames) and ``teams`` (names) restrict who works it.

    Raises :class:`DialerError` for a duplicate name or unusable settings.
    """
    name = name.strip()
    if not name or len(name) > 100:
        raise DialerError("a campaign name is 1 to 100 characters")
    try:
        dial_mode = DialMode(mode)
    except ValueError:
        raise DialerError(f"unknown mode {mode!r}: use preview, progressive or manual") from None
    try:
        calling = parse_window(window, weekdays)
        policy = RetryPolicy.from_json(max_attempts, retry_rules)
    except RuleError as exc:
        raise DialerError(str(exc)) from None
    if reservation_minutes < 1:
        raise DialerError("the reservation time is at least one minute")
    if script and (typos := unknown_fields(script)):
        raise DialerError(f"unknown merge fields in the script: {', '.join(typos)}")
    campaign = Campaign(
        name=name,
        mode=str(dial_mode),
        window_start_minute=minute_of(calling.start),
        window_end_minute=minute_of(calling.end),
        weekdays=sorted(calling.weekdays),
        max_attempts=policy.max_attempts,
        retry_rules=policy.to_json(),
        script=script,
        priority=priority,
        active=True,
        reservation_minutes=reservation_minutes,
    )
    try:
        with unit_of_work(sessions) as session:
            session.add(campaign)
            session.flush()
            _assign(session, campaign, agents, teams)
    except IntegrityError:
        raise DialerError(f"a campaign named {name!r} already exists") from None
    return info_of(campaign)


def _assign(
    session: Session, campaign: Campaign, agents: Iterable[str], teams: Iterable[str]
) -> None:
    rows: list[dict[str, Any]] = []
    for username in agents:
        rows.append({"user_id": find_user(session, username).id, "team_id": None})
    for team_name in teams:
        rows.append({"user_id": None, "team_id": _team_id(session, team_name)})
    if rows:
        session.execute(
            insert(CampaignAssignment),
            [{"id": uuid7(), "campaign_id": campaign.id, **row} for row in rows],
        )


def _team_id(session: Session, team_name: str) -> uuid.UUID:
    team_id = session.scalar(select(Team.id).where(Team.name == team_name))
    if team_id is None:
        raise DialerError(f"no team named {team_name!r}")
    return team_id


def assign_campaign(
    sessions: sessionmaker[Session],
    name: str,
    *,
    agents: Iterable[str] = (),
    teams: Iterable[str] = (),
    replace: bool = True,
    remove: bool = False,
) -> dict[str, list[str]]:
    """Set (or with ``replace=False`` extend, with ``remove`` shrink) who may work campaign
    ``name``; returns who is assigned now. A campaign nobody is assigned to is open to all."""
    with unit_of_work(sessions) as session:
        campaign = load_campaign(session, name)
        if remove:
            user_ids = [find_user(session, username).id for username in agents]
            team_ids = [_team_id(session, team) for team in teams]
            session.execute(
                delete(CampaignAssignment).where(
                    CampaignAssignment.campaign_id == campaign.id,
                    CampaignAssignment.user_id.in_(user_ids)
                    | CampaignAssignment.team_id.in_(team_ids),
                )
            )
        else:
            if replace:
                session.execute(
                    delete(CampaignAssignment).where(CampaignAssignment.campaign_id == campaign.id)
                )
            _assign(session, campaign, agents, teams)
        return assigned_to(session, campaign)


def assigned_to(session: Session, campaign: Campaign) -> dict[str, list[str]]:
    rows = session.execute(
        select(User.username, Team.name)
        .select_from(CampaignAssignment)
        .outerjoin(User, User.id == CampaignAssignment.user_id)
        .outerjoin(Team, Team.id == CampaignAssignment.team_id)
        .where(CampaignAssignment.campaign_id == campaign.id)
    ).all()
    return {
        "agents": sorted(u for u, _ in rows if u),
        "teams": sorted(t for _, t in rows if t),
    }


def set_active(sessions: sessionmaker[Session], name: str, active: bool) -> CampaignInfo:
    """Start (``True``) or pause (``False``) a campaign: a paused one offers nothing."""
    with unit_of_work(sessions) as session:
        campaign = load_campaign(session, name)
        campaign.active = active
    return info_of(campaign)


def get_campaign(sessions: sessionmaker[Session], name: str) -> CampaignInfo:
    with sessions() as session:
        return info_of(load_campaign(session, name))


def all_campaigns(sessions: sessionmaker[Session]) -> list[CampaignInfo]:
    """Every live campaign, highest priority first (the admin screen assigns them)."""
    with sessions() as session:
        rows = session.scalars(
            select(Campaign)
            .where(Campaign.deleted_at.is_(None))
            .order_by(Campaign.priority.desc(), Campaign.name)
        )
        return [info_of(campaign) for campaign in rows]


def agent_campaigns(sessions: sessionmaker[Session], agent: str) -> list[CampaignInfo]:
    """The live campaigns ``agent`` may work, highest priority first."""
    with sessions() as session:
        user = find_user(session, agent)
        rows = session.scalars(
            select(Campaign)
            .where(Campaign.deleted_at.is_(None))
            .order_by(Campaign.priority.desc(), Campaign.name)
        ).all()
        mine = []
        for campaign in rows:
            try:
                check_assigned(session, campaign, user)
            except DialerError:
                continue
            mine.append(info_of(campaign))
        return mine
