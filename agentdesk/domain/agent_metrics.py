"""An agent's figures over a period: time per state from the state log, occupancy, calls
per hour (definitions in ``/work/shared/docs``: occupancy = handling / (handling + available
idle time), not-ready excluded).

Pure rules, shared by the reports and anything that recomputes them by hand.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime

from agentdesk.domain.agent_state import AgentStatus


@dataclass(frozen=True, slots=True)
class StateChange:
    """The agent entered ``state`` at ``at`` (aware); the next change ends it."""

    at: datetime
    state: str
    reason: str | None = None


@dataclass(frozen=True, slots=True)
class StateTimes:
    """Seconds spent per state within a period; ``not_ready_by_reason`` splits not-ready."""

    seconds: dict[str, float]
    not_ready_by_reason: dict[str, float]

    @property
    def available_s(self) -> float:
        return self.seconds.get(AgentStatus.AVAILABLE.value, 0.0)

    @property
    def not_ready_s(self) -> float:
        return self.seconds.get(AgentStatus.NOT_READY.value, 0.0)

    @property
    def staffed_s(self) -> float:
        """Time signed in: every state but logged out."""
        return sum(s for state, s in self.seconds.items() if state != AgentStatus.LOGGED_OUT)


def state_times(changes: Sequence[StateChange], start: datetime, end: datetime) -> StateTimes:
    """Time per state in ``[start, end)`` from ``changes`` sorted by time; the last change
    before ``start`` (if given) says what the agent was doing when the period began, and the
    last one lasts until ``end`` (pass the present for a period not over yet)."""
    seconds: dict[str, float] = {}
    reasons: dict[str, float] = {}
    for i, change in enumerate(changes):
        until = changes[i + 1].at if i + 1 < len(changes) else end
        begin, finish = max(change.at, start), min(until, end)
        if finish <= begin:
            continue
        span = (finish - begin).total_seconds()
        seconds[change.state] = seconds.get(change.state, 0.0) + span
        if change.state == AgentStatus.NOT_READY:
            key = change.reason or ""
            reasons[key] = reasons.get(key, 0.0) + span
    return StateTimes(seconds, reasons)


def occupancy_pct(handle_s: float, available_s: float) -> float | None:
    """Handling time / (handling + available idle time); ``None`` with neither."""
    whole = handle_s + available_s
    return 100.0 * (handle_s / whole) if whole > 0 else None  # a share first: never over 100


def calls_per_hour(handled: int, staffed_s: float) -> float | None:
    """Calls handled per hour signed in; ``None`` for an agent never signed in."""
    return handled * 3600.0 / staffed_s if staffed_s > 0 else None
