"""Due-time arithmetic in business time, on fixed instants (no wall clock is read)."""

from __future__ import annotations

from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentdesk.domain.business_time import (
    Calendar,
    CalendarError,
    add_business_minutes,
    business_minutes_between,
    office_calendar,
    resume_due,
)
from agentdesk.domain.cases import DEFAULT_TARGETS
from agentdesk.domain.enums import CasePriority

BERLIN = ZoneInfo("Europe/Berlin")
NEW_YORK = ZoneInfo("America/New_York")
HOLIDAYS = frozenset({date(2026, 3, 30), date(2026, 12, 25), date(2026, 12, 28)})
CALENDARS = {
    "berlin": Calendar("Europe/Berlin", dict.fromkeys(range(5), (time(9), time(18))), HOLIDAYS),
    "new_york": Calendar(
        "America/New_York",
        {**dict.fromkeys(range(5), (time(8, 30), time(17))), 5: (time(10), time(14))},
        frozenset({date(2026, 11, 26)}),
    ),
    "shanghai": office_calendar("Asia/Shanghai"),
}

# instants around both 2026 DST changes of Europe and the US, and the holidays above
starts = st.datetimes(
    min_value=datetime(2026, 3, 1), max_value=datetime(2027, 1, 10), timezones=st.just(UTC)
)
calendars = st.sampled_from(sorted(CALENDARS))
minutes = st.integers(min_value=0, max_value=60 * 60)  # up to 60 business hours


def _open_at(calendar: Calendar, moment: datetime) -> bool:
    local = moment.astimezone(calendar.tz)
    hours = calendar.hours.get(local.weekday())
    return (
        hours is not None
        and local.date() not in calendar.holidays
        and hours[0] <= local.time() <= hours[1]
    )


@settings(max_examples=300, deadline=None)
@given(calendars, starts, minutes)
def test_a_due_time_is_the_target_in_business_minutes_inside_opening_hours(
    name: str, start: datetime, target: int
) -> None:
    calendar = CALENDARS[name]
    due = add_business_minutes(calendar, start, target)
    assert due >= start
    assert business_minutes_between(calendar, start, due) == pytest.approx(target)
    if target > 0:
        assert _open_at(calendar, due)
        assert due.astimezone(calendar.tz).date() not in calendar.holidays


@settings(max_examples=200, deadline=None)
@given(calendars, starts, minutes, minutes)
def test_more_business_time_is_never_earlier_and_adds_up(
    name: str, start: datetime, first: int, second: int
) -> None:
    calendar = CALENDARS[name]
    one = add_business_minutes(calendar, start, first)
    both = add_business_minutes(calendar, start, first + second)
    assert one <= both
    # stepping in two goes lands where one step does (a target spanning several days)
    assert add_business_minutes(calendar, one, second) == both


@settings(max_examples=200, deadline=None)
@given(
    calendars,
    starts,
    st.integers(min_value=1, max_value=40 * 60),
    st.integers(min_value=0, max_value=20 * 24 * 60),
    st.integers(min_value=0, max_value=24 * 60),
)
def test_a_pause_gives_back_exactly_the_business_time_that_was_left(
    name: str, start: datetime, target: int, pause_after: int, pause_for: int
) -> None:
    calendar = CALENDARS[name]
    due = add_business_minutes(calendar, start, target)
    paused = start + timedelta(minutes=pause_after)
    resumed = paused + timedelta(minutes=pause_for)
    moved = resume_due(calendar, due, paused, resumed)
    if paused >= due:
        assert moved == due  # missed before the pause: stays missed
        return
    assert moved >= due
    counted = business_minutes_between(calendar, start, paused) + business_minutes_between(
        calendar, resumed, moved
    )
    assert counted == pytest.approx(target)


def _at(zone: ZoneInfo, *parts: int) -> datetime:
    return datetime(*parts, tzinfo=zone).astimezone(UTC)  # type: ignore[misc]


def test_the_defaults_are_the_issue_targets() -> None:
    hours = {p: (t.first_response / 60, t.resolution / 60) for p, t in DEFAULT_TARGETS.items()}
    assert hours == {
        CasePriority.URGENT: (1, 4),
        CasePriority.HIGH: (2, 8),
        CasePriority.NORMAL: (4, 24),
        CasePriority.LOW: (8, 40),
    }


def test_a_target_crosses_the_weekend_the_dst_change_and_a_holiday() -> None:
    # Friday 27 March 2026 16:00 in Berlin (UTC+1); clocks go forward on Sunday 29; Monday 30
    # is a holiday here. Two business hours left on Friday, 22 more from Tuesday (UTC+2).
    start = _at(BERLIN, 2026, 3, 27, 16, 0)
    due = add_business_minutes(CALENDARS["berlin"], start, 24 * 60)
    # Tue 9 h, Wed 9 h, Thu 4 h -> Thursday 2 April 13:00 local
    assert due == _at(BERLIN, 2026, 4, 2, 13, 0)
    assert due.astimezone(BERLIN).utcoffset() == timedelta(hours=2)
    assert start.astimezone(BERLIN).utcoffset() == timedelta(hours=1)


def test_a_day_the_clocks_go_back_still_opens_at_local_time() -> None:
    # New York falls back on Sunday 1 November 2026; Monday opens 08:30 local = 13:30 UTC.
    start = _at(NEW_YORK, 2026, 10, 30, 16, 0)  # Friday, EDT (UTC-4)
    due = add_business_minutes(CALENDARS["new_york"], start, 5 * 60)
    # Friday 1 h, Saturday 10:00-14:00 4 h -> Saturday 14:00 EDT
    assert due == _at(NEW_YORK, 2026, 10, 31, 14, 0)
    monday = add_business_minutes(CALENDARS["new_york"], due, 30)
    assert monday == datetime(2026, 11, 2, 14, 0, tzinfo=UTC)  # 09:00 EST


def test_outside_hours_the_clock_starts_at_the_next_opening() -> None:
    calendar = CALENDARS["shanghai"]
    saturday_night = _at(ZoneInfo("Asia/Shanghai"), 2026, 12, 5, 23, 0)
    assert add_business_minutes(calendar, saturday_night, 60) == _at(
        ZoneInfo("Asia/Shanghai"), 2026, 12, 7, 10, 0
    )
    assert (
        business_minutes_between(calendar, saturday_night, saturday_night + timedelta(days=1)) == 0
    )


def test_a_pause_over_the_night_moves_the_due_time_by_what_was_left() -> None:
    calendar = CALENDARS["shanghai"]
    zone = ZoneInfo("Asia/Shanghai")
    due = _at(zone, 2026, 12, 7, 17, 0)  # Monday
    # paused Monday 15:00 (2 h left), resumed Tuesday 11:00 -> due Tuesday 13:00
    moved = resume_due(calendar, due, _at(zone, 2026, 12, 7, 15, 0), _at(zone, 2026, 12, 8, 11, 0))
    assert moved == _at(zone, 2026, 12, 8, 13, 0)


def test_bad_calendars_and_naive_times_are_refused() -> None:
    with pytest.raises(CalendarError):
        Calendar("Mars/Olympus", {0: (time(9), time(18))})
    with pytest.raises(CalendarError):
        Calendar("UTC", {})
    with pytest.raises(CalendarError):
        Calendar("UTC", {0: (time(18), time(9))})
    with pytest.raises(ValueError, match="naive"):
        add_business_minutes(CALENDARS["berlin"], datetime(2026, 1, 5, 10), 10)
