"""What a selection starts from: SQLite's write lock, and the campaign and agent in one read.

Both :mod:`agentdesk.dialer.selection` (the next entry) and :mod:`agentdesk.dialer.picking`
(manual mode) begin here, so they judge an entry by the same campaign, agent, zone groups and
dialable keys.
"""

from __future__ import annotations

import random
import time
import uuid
from dataclasses import dataclass
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import Connection, Row, text
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session

from agentdesk.dialer.campaigns import (
    NotAssignedError,
    UnknownCampaignError,
    window_from,
)
from agentdesk.dialer.entry_statements import GROUP_SEPARATOR, Executor, statements
from agentdesk.dialer.rules import dialable_keys
from agentdesk.org.users import UnknownAgentError

SQLITE_LOCK_WAIT_S = 60.0
"""How long a reservation waits for SQLite's write lock before giving up."""


class Agent(NamedTuple):
    """The agent asking, as the context statement read them."""

    id: uuid.UUID
    username: str
    display_name: str
    team_id: uuid.UUID | None


@dataclass(frozen=True, slots=True)
class SelectionContext:
    """The campaign row, the agent, the zone groups and which of them are dialable at ``now``."""

    campaign: Row[Any]
    agent: Agent
    now: datetime
    groups: dict[str, tuple[str, ...]]
    keys: list[str]
    expired: bool = True
    """Some reservation may have run out (``False``: nothing to release)."""
    callbacks_due: bool = True
    """A callback may be due for the agent (``False``: no callback query)."""

    @property
    def params(self) -> dict[str, Any]:
        return {
            "cid": self.campaign.id,
            "agent": self.agent.id,
            "now": self.now,
            "max_attempts": self.campaign.max_attempts,
        }


def parse_groups(text: str | None) -> dict[str, tuple[str, ...]]:
    """The context row's zone groups ("key zone zone ..." per line): key -> zones."""
    groups: dict[str, tuple[str, ...]] = {}
    for line in text.split(GROUP_SEPARATOR) if text else ():
        key, *zones = line.split()  # zone keys and IANA names have no spaces
        groups[key] = tuple(zones)
    return groups


def load_context(session: Executor, campaign: str, agent: str, now: datetime) -> SelectionContext:
    """Read the context in one round trip; raise ``DialerError`` when the agent may not dial.

    Raises :class:`UnknownCampaignError`, :class:`UnknownAgentError` or
    :class:`NotAssignedError`.
    """
    row = session.execute(
        statements()["context"], {"name": campaign, "agent_name": agent, "now": now}
    ).first()
    if row is None:
        raise UnknownCampaignError(campaign)
    if row.agent_id is None:
        raise UnknownAgentError(agent)
    if not row.assigned:
        raise NotAssignedError(agent, campaign)
    groups = parse_groups(row.groups)
    window = window_from(row.window_start_minute, row.window_end_minute, row.weekdays)
    keys = sorted(dialable_keys(window, groups, now))
    return SelectionContext(
        campaign=row,
        agent=Agent(row.agent_id, row.agent_username, row.agent_display_name, row.agent_team_id),
        now=now,
        groups=groups,
        keys=keys,
        expired=bool(row.expired),
        callbacks_due=bool(row.callbacks_due),
    )


def is_postgres(session: Executor) -> bool:
    """True on PostgreSQL (row locks, one-statement reservation), False on SQLite."""
    bind = session if isinstance(session, Connection) else session.get_bind()
    return bind.dialect.name == "postgresql"


def begin_immediate(session: Session) -> None:
    """Take SQLite's write lock before reading, waiting up to :data:`SQLITE_LOCK_WAIT_S`.

    The read and the reservation are then one serial step, and no BUSY_SNAPSHOT can hit the
    UPDATE. SQLite's busy handler is not fair: with many agents asking in a tight loop one of
    them can lose every race for longer than the connection's busy timeout, so a refused
    ``BEGIN IMMEDIATE`` is retried with jitter until the deadline instead of failing.
    """
    deadline = time.monotonic() + SQLITE_LOCK_WAIT_S
    while True:
        try:
            session.execute(text("BEGIN IMMEDIATE"))
            return
        except OperationalError as exc:
            session.rollback()
            if "locked" not in str(exc.orig) or time.monotonic() > deadline:
                raise
            time.sleep(random.uniform(0.001, 0.02))
