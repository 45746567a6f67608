"""Service cases: which status moves are allowed, the default service levels, escalation.

Pure rules; the service module (``agentdesk/service``) applies them to stored cases.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from agentdesk.domain.enums import CasePriority, CaseStatus

_S = CaseStatus
_WORKING = frozenset({_S.ASSIGNED, _S.IN_PROGRESS, _S.WAITING, _S.RESOLVED, _S.CLOSED})
TRANSITIONS: Mapping[CaseStatus, frozenset[CaseStatus]] = {
    _S.NEW: _WORKING,
    _S.ASSIGNED: _WORKING - {_S.ASSIGNED},
    _S.IN_PROGRESS: frozenset({_S.ASSIGNED, _S.WAITING, _S.RESOLVED, _S.CLOSED}),
    _S.WAITING: frozenset({_S.IN_PROGRESS, _S.RESOLVED, _S.CLOSED}),
    _S.RESOLVED: frozenset({_S.CLOSED, _S.IN_PROGRESS}),
    _S.CLOSED: frozenset({_S.IN_PROGRESS}),
}


def may_move(current: CaseStatus, target: CaseStatus) -> bool:
    """Whether a case may go from ``current`` to ``target``:

    - ``new`` → assigned, in progress, waiting on customer, resolved, closed;
    - ``assigned`` → in progress, waiting on customer, resolved, closed;
    - ``in progress`` → assigned (handed on), waiting on customer, resolved, closed;
    - ``waiting on customer`` → in progress (the customer answered), resolved, closed;
    - ``resolved`` → closed, or in progress (reopened);
    - ``closed`` → in progress (reopened).

    Staying in the same status is not a move. Nothing goes back to ``new``.
    """
    return target in TRANSITIONS[current]


def is_reopen(current: CaseStatus, target: CaseStatus) -> bool:
    return not current.is_open and target.is_open


def is_first_response(current: CaseStatus, target: CaseStatus) -> bool:
    """Work on a case begins (the first-response target is met) when it leaves ``new`` or
    ``assigned`` for anything but ``assigned``."""
    return current in (_S.NEW, _S.ASSIGNED) and target is not _S.ASSIGNED


@dataclass(frozen=True, slots=True)
class Targets:
    """Business minutes to the first response and to the resolution."""

    first_response: int
    resolution: int


DEFAULT_TARGETS: Mapping[CasePriority, Targets] = {
    CasePriority.URGENT: Targets(60, 4 * 60),
    CasePriority.HIGH: Targets(2 * 60, 8 * 60),
    CasePriority.NORMAL: Targets(4 * 60, 24 * 60),
    CasePriority.LOW: Targets(8 * 60, 40 * 60),
}
"""Until the admin changes them (issue 18): urgent 1 h / 4 h, high 2 h / 8 h, normal 4 h /
24 h, low 8 h / 40 h, in business time."""

ESCALATE_AT = 0.8
"""The share of a target used up when a case is escalated before it is breached."""


class EscalationReason(StrEnum):
    """Why a case was escalated: the target most used up, nearing (``ESCALATE_AT``) or
    missed."""

    FIRST_RESPONSE_NEAR = "first_response_near"
    FIRST_RESPONSE_BREACHED = "first_response_breached"
    RESOLUTION_NEAR = "resolution_near"
    RESOLUTION_BREACHED = "resolution_breached"


def escalation_reason(first_response_used: float, resolution_used: float) -> EscalationReason:
    """The reason from each target's used share (``used_share``; 1.0 is missed): the target
    more used up, the first response on a tie (it comes due first)."""
    if first_response_used >= resolution_used:
        if first_response_used >= 1.0:
            return EscalationReason.FIRST_RESPONSE_BREACHED
        return EscalationReason.FIRST_RESPONSE_NEAR
    if resolution_used >= 1.0:
        return EscalationReason.RESOLUTION_BREACHED
    return EscalationReason.RESOLUTION_NEAR


_RAISE = {
    CasePriority.LOW: CasePriority.NORMAL,
    CasePriority.NORMAL: CasePriority.HIGH,
    CasePriority.HIGH: CasePriority.URGENT,
    CasePriority.URGENT: CasePriority.URGENT,
}


def raised(priority: CasePriority) -> CasePriority:
    """One step more pressing; urgent stays urgent."""
    return _RAISE[priority]


def used_share(
    started: datetime, due: datetime, now: datetime, elapsed: float, total: float
) -> float:
    """How much of a target is used: ``elapsed`` of ``total`` business minutes; a due time
    already past counts as all of it whatever the minutes say."""
    if now >= due:
        return 1.0
    if total <= 0:
        return 1.0 if now >= started else 0.0
    return min(elapsed / total, 1.0)
