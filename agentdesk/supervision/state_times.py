"""How long each agent spent in each state over a period, from the presence state log.

The log (``agent_state_log``) has one row per state an agent entered; a state lasts until the
agent's next row. Over a period: the state in effect at its start (the last row before it)
counts from the start, and the last state counts until the period's end, or until ``now`` for
a period not over yet. A report's "available" and "not ready by reason" are these sums; the
board's agents today read presence instead. Logged-out time is not counted.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass, field
from datetime import datetime

from sqlalchemy import and_, func, or_, select
from sqlalchemy.orm import Session

from agentdesk.domain.agent_state import AgentStatus
from agentdesk.supervision.models import AgentStateLog


@dataclass(slots=True)
class StateTimes:
    """Seconds per state; ``not_ready`` also per reason (``""``: no reason given)."""

    seconds: dict[str, float] = field(default_factory=dict)
    not_ready: dict[str, float] = field(default_factory=dict)

    @property
    def available_s(self) -> float:
        return self.seconds.get(AgentStatus.AVAILABLE.value, 0.0)

    @property
    def not_ready_s(self) -> float:
        return self.seconds.get(AgentStatus.NOT_READY.value, 0.0)


def state_times(
    session: Session, since: datetime, until: datetime, now: datetime | None = None
) -> Mapping[uuid.UUID, StateTimes]:
    """Each agent's seconds per state between ``since`` and ``until`` (and not after ``now``)."""
    end = min(until, now) if now is not None else until
    if end <= since:
        return {}
    before = (
        select(AgentStateLog.user_id, func.max(AgentStateLog.at).label("at"))
        .where(AgentStateLog.at <= since)
        .group_by(AgentStateLog.user_id)
        .subquery()
    )
    rows = session.execute(
        select(AgentStateLog.user_id, AgentStateLog.at, AgentStateLog.state, AgentStateLog.reason)
        .outerjoin(
            before,
            and_(before.c.user_id == AgentStateLog.user_id, before.c.at == AgentStateLog.at),
        )
        .where(
            or_(
                and_(AgentStateLog.at > since, AgentStateLog.at < end),
                before.c.at.is_not(None),
            )
        )
        .order_by(AgentStateLog.user_id, AgentStateLog.at)
    ).all()
    times: dict[uuid.UUID, StateTimes] = {}
    for index, (agent, at, state, reason) in enumerate(rows):
        following = rows[index + 1] if index + 1 < len(rows) else None
        stop = following.at if following is not None and following.user_id == agent else end
        seconds = (min(stop, end) - max(at, since)).total_seconds()
        if seconds <= 0 or state == AgentStatus.LOGGED_OUT.value:
            continue
        bucket = times.setdefault(agent, StateTimes())
        bucket.seconds[state] = bucket.seconds.get(state, 0.0) + seconds
        if state == AgentStatus.NOT_READY.value:
            bucket.not_ready[reason or ""] = bucket.not_ready.get(reason or "", 0.0) + seconds
    return times
