"""Queue figures: what a call adds, that counts add up in any grouping, and every ratio."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentdesk.domain.contact_metrics import (
    INTERVAL,
    QueueCall,
    QueueCounts,
    ServiceLevelFormula,
    Thresholds,
    counts_of,
    fold,
    interval_of,
)

T0 = datetime(2026, 12, 1, 9, 0, tzinfo=UTC)
THRESHOLDS = Thresholds(service_seconds=20, short_abandon_seconds=5)


@st.composite
def queue_calls(draw: st.DrawFn) -> QueueCall:
    """Whole seconds, so sums of waits are exact and groupings compare equal."""
    offered = T0 + timedelta(seconds=draw(st.integers(0, 3 * 3600)))
    wait = timedelta(seconds=draw(st.integers(0, 600)))
    if draw(st.booleans()):
        talk, hold, wrap = (draw(st.integers(0, 900)) for _ in range(3))
        answered = offered + wait
        ended = answered + timedelta(seconds=talk + hold)
        wrapped = draw(st.booleans())
        return QueueCall(
            offered_at=offered,
            answered_at=answered,
            ended_at=ended,
            talk_seconds=talk,
            hold_seconds=hold,
            wrapup_seconds=wrap if wrapped else 0,
            wrapup_ended_at=ended + timedelta(seconds=wrap) if wrapped else None,
        )
    return QueueCall(offered_at=offered, ended_at=offered + wait)


def _merge(*parts: dict[datetime, QueueCounts]) -> dict[datetime, QueueCounts]:
    total: dict[datetime, QueueCounts] = {}
    for part in parts:
        for start, counts in part.items():
            total[start] = total.get(start, QueueCounts()) + counts
    return total


@given(st.lists(queue_calls(), max_size=40), st.data())
def test_counts_add_up_in_any_order_and_grouping(
    calls: list[QueueCall], data: st.DataObject
) -> None:
    shuffled = data.draw(st.permutations(calls))
    cut = data.draw(st.integers(0, len(calls)))
    whole = fold(calls, THRESHOLDS)
    assert fold(list(shuffled), THRESHOLDS) == whole
    assert _merge(fold(calls[:cut], THRESHOLDS), fold(calls[cut:], THRESHOLDS)) == whole


@given(st.lists(queue_calls(), max_size=40))
def test_every_call_is_offered_once_and_ends_one_way(calls: list[QueueCall]) -> None:
    totals = fold(calls, THRESHOLDS)
    everything = sum(totals.values(), QueueCounts())
    assert everything.offered == len(calls)
    assert everything.answered + everything.abandoned + everything.short_abandoned == len(calls)
    assert everything.handled == sum(1 for c in calls if c.wrapup_ended_at and c.answered_at)
    for counts in totals.values():
        assert counts.offered == counts.answered + counts.abandoned + counts.short_abandoned
        assert counts.answered_within <= counts.answered
        assert counts.abandoned_after <= counts.abandoned


@given(st.lists(queue_calls(), min_size=1, max_size=40))
def test_service_level_formulas_are_bounded_and_ordered(calls: list[QueueCall]) -> None:
    for counts in fold(calls, THRESHOLDS).values():
        levels = {f: counts.service_level_pct(f) for f in ServiceLevelFormula}
        for level in levels.values():
            assert level is None or 0 <= level <= 100
        # the denominators grow: answered <= + abandoned after T <= + every abandon
        answered = levels[ServiceLevelFormula.ANSWERED]
        after_t = levels[ServiceLevelFormula.ABANDONED_AFTER_T]
        against = levels[ServiceLevelFormula.ANSWERED_AND_ABANDONED]
        if answered is not None:
            assert after_t is not None and against is not None
            assert answered >= after_t >= against


def test_an_empty_interval_has_no_ratios() -> None:
    empty = QueueCounts()
    assert [empty.service_level_pct(f) for f in ServiceLevelFormula] == [None, None, None]
    assert (empty.abandon_pct(), empty.asa_s(), empty.aht_s()) == (None, None, None)
    only_short = counts_of(QueueCall(offered_at=T0, ended_at=T0 + timedelta(seconds=2)), THRESHOLDS)
    assert only_short[T0].abandon_pct() is None  # a short abandon is in no ratio


@given(st.datetimes(timezones=st.just(UTC)))
def test_an_interval_holds_its_moment(moment: datetime) -> None:
    start = interval_of(moment)
    assert start <= moment < start + INTERVAL
    assert start.minute % 15 == 0 and start.second == 0 and start.microsecond == 0


def test_a_call_spanning_two_intervals_is_booked_where_offered_and_handled_where_wrapped() -> None:
    offered = T0 + timedelta(minutes=14, seconds=50)
    call = QueueCall(
        offered_at=offered,
        answered_at=offered + timedelta(seconds=25),  # 09:15:15, in the next interval
        ended_at=offered + timedelta(minutes=3),
        talk_seconds=150,
        hold_seconds=5,
        wrapup_seconds=30,
        wrapup_ended_at=T0 + timedelta(minutes=31),
    )
    booked = counts_of(call, THRESHOLDS)
    assert set(booked) == {T0, T0 + timedelta(minutes=30)}
    first = booked[T0]
    assert (first.offered, first.answered, first.answered_within, first.asa_s()) == (1, 1, 0, 25)
    assert booked[T0 + timedelta(minutes=30)].aht_s() == 185


def test_figures_equal_a_hand_computation() -> None:
    """Six calls in one interval, computed by hand:

    answered after 5 s, 15 s and 30 s; abandoned after 10 s and 40 s; a 3 s short abandon.
    SL (T = 20 s): within T = 2 of answered 3 -> 66.67; of answered + abandoned 5 -> 40;
    of answered + abandoned after T (the 40 s one) 4 -> 50. Abandon % = 2 / 5 = 40.
    ASA = (5 + 15 + 30) / 3. Longest wait 40 s.
    """
    calls = [
        *(
            QueueCall(
                offered_at=T0,
                answered_at=T0 + timedelta(seconds=w),
                ended_at=T0 + timedelta(seconds=w + 60),
                talk_seconds=60,
                wrapup_seconds=10,
                wrapup_ended_at=T0 + timedelta(seconds=w + 70),
            )
            for w in (5, 15, 30)
        ),
        *(QueueCall(offered_at=T0, ended_at=T0 + timedelta(seconds=w)) for w in (10, 40, 3)),
    ]
    (counts,) = fold(calls, THRESHOLDS).values()
    assert counts.service_level_pct(ServiceLevelFormula.ANSWERED) == pytest.approx(200 / 3)
    assert counts.service_level_pct(ServiceLevelFormula.ANSWERED_AND_ABANDONED) == 40
    assert counts.service_level_pct(ServiceLevelFormula.ABANDONED_AFTER_T) == 50
    assert counts.abandon_pct() == 40
    assert counts.asa_s() == pytest.approx(50 / 3)
    assert counts.aht_s() == 70 and counts.longest_wait_s == 40 and counts.short_abandoned == 1


def test_bad_calls_fail_loudly() -> None:
    with pytest.raises(ValueError, match="naive"):
        QueueCall(offered_at=datetime(2026, 12, 1, 9), ended_at=T0)
    with pytest.raises(ValueError, match="answered between"):
        QueueCall(offered_at=T0, answered_at=T0 - timedelta(seconds=1), ended_at=T0)
    with pytest.raises(ValueError, match="divides the hour"):
        interval_of(T0, timedelta(minutes=7))
