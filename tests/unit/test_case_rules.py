from __future__ import annotations

import pytest

from agentdesk.domain.cases import (
    EscalationReason,
    escalation_reason,
    is_first_response,
    is_reopen,
    may_move,
    raised,
)
from agentdesk.domain.enums import CasePriority, CaseStatus

S = CaseStatus


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.NEW, S.ASSIGNED),
        (S.NEW, S.IN_PROGRESS),
        (S.ASSIGNED, S.WAITING),
        (S.IN_PROGRESS, S.WAITING),
        (S.WAITING, S.IN_PROGRESS),
        (S.IN_PROGRESS, S.RESOLVED),
        (S.RESOLVED, S.CLOSED),
        (S.RESOLVED, S.IN_PROGRESS),
        (S.CLOSED, S.IN_PROGRESS),
    ],
)
def test_allowed_moves(current: CaseStatus, target: CaseStatus) -> None:
    assert may_move(current, target)


@pytest.mark.parametrize(
    ("current", "target"),
    [
        (S.IN_PROGRESS, S.NEW),
        (S.CLOSED, S.RESOLVED),
        (S.CLOSED, S.WAITING),
        (S.RESOLVED, S.WAITING),
        (S.WAITING, S.ASSIGNED),
        (S.ASSIGNED, S.ASSIGNED),
    ],
)
def test_refused_moves(current: CaseStatus, target: CaseStatus) -> None:
    assert not may_move(current, target)


def test_nothing_goes_back_to_new_and_every_status_can_end() -> None:
    for status in S:
        assert not may_move(status, S.NEW)
        if status.is_open:
            assert may_move(status, S.CLOSED)


def test_reopen_and_first_response() -> None:
    assert is_reopen(S.CLOSED, S.IN_PROGRESS)
    assert not is_reopen(S.WAITING, S.IN_PROGRESS)
    assert is_first_response(S.ASSIGNED, S.IN_PROGRESS)
    assert not is_first_response(S.NEW, S.ASSIGNED)
    assert not is_first_response(S.WAITING, S.IN_PROGRESS)


def test_priority_goes_up_one_step_and_stops_at_urgent() -> None:
    assert [raised(p) for p in CasePriority] == [
        CasePriority.NORMAL,
        CasePriority.HIGH,
        CasePriority.URGENT,
        CasePriority.URGENT,
    ]


@pytest.mark.parametrize(
    ("first", "resolution", "reason"),
    [
        (0.85, 0.5, EscalationReason.FIRST_RESPONSE_NEAR),
        (1.0, 0.9, EscalationReason.FIRST_RESPONSE_BREACHED),
        (0.0, 0.81, EscalationReason.RESOLUTION_NEAR),
        (0.0, 1.0, EscalationReason.RESOLUTION_BREACHED),
        (1.0, 1.0, EscalationReason.FIRST_RESPONSE_BREACHED),  # a tie: it came due first
    ],
)
def test_the_reason_is_the_target_most_used_up(
    first: float, resolution: float, reason: EscalationReason
) -> None:
    assert escalation_reason(first, resolution) is reason
