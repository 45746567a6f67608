"""Properties of the agent figures (``domain.agent_metrics``): time per state from a state
log clipped to a period adds up, whatever the split of the period; occupancy and calls per
hour read only what they are given."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import hypothesis.strategies as st
from hypothesis import given

from agentdesk.domain.agent_metrics import (
    StateChange,
    calls_per_hour,
    occupancy_pct,
    state_times,
)

T0 = datetime(2026, 12, 1, tzinfo=UTC)
STATES = ("available", "not_ready", "talking", "wrap_up", "logged_out")
changes = st.lists(
    st.tuples(st.integers(0, 3 * 86400), st.sampled_from(STATES), st.sampled_from(("", "lunch"))),
    max_size=30,
).map(lambda raw: [StateChange(T0 + timedelta(seconds=s), state, r or None)
                   for s, state, r in sorted(raw)])  # fmt: skip


@given(changes, st.integers(0, 3 * 86400), st.integers(0, 3 * 86400), st.integers(0, 100))
def test_state_time_adds_up_over_any_split(
    log: list[StateChange], a: int, b: int, cut_pct: int
) -> None:
    start, end = T0 + timedelta(seconds=min(a, b)), T0 + timedelta(seconds=max(a, b))
    whole = state_times(log, start, end)
    covered = (end - max(start, log[0].at)).total_seconds() if log and log[0].at < end else 0.0
    assert abs(sum(whole.seconds.values()) - max(0.0, covered)) < 1e-6
    cut = start + (end - start) * cut_pct / 100
    left, right = state_times(log, start, cut), state_times(log, cut, end)
    for state in STATES:
        parts = left.seconds.get(state, 0.0) + right.seconds.get(state, 0.0)
        assert abs(whole.seconds.get(state, 0.0) - parts) < 1e-6
    assert abs(sum(whole.not_ready_by_reason.values()) - whole.not_ready_s) < 1e-6
    assert whole.staffed_s == sum(s for k, s in whole.seconds.items() if k != "logged_out")


def test_a_state_entered_before_the_period_counts_from_its_start() -> None:
    log = [StateChange(T0 - timedelta(hours=5), "not_ready", "break"),
           StateChange(T0 + timedelta(hours=1), "available")]  # fmt: skip
    times = state_times(log, T0, T0 + timedelta(hours=3))
    assert times.seconds == {"not_ready": 3600.0, "available": 7200.0}
    assert times.not_ready_by_reason == {"break": 3600.0}
    assert state_times([], T0, T0 + timedelta(hours=1)).seconds == {}  # an empty period


@given(st.floats(0, 1e6), st.floats(0, 1e6))
def test_occupancy_is_a_share_of_handling(handle: float, available: float) -> None:
    value = occupancy_pct(handle, available)
    if handle + available == 0:
        assert value is None
    else:
        assert value is not None and 0.0 <= value <= 100.0


def test_calls_per_hour() -> None:
    assert calls_per_hour(9, 3 * 3600.0) == 3.0
    assert calls_per_hour(4, 0.0) is None
