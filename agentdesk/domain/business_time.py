"""Business time: a calendar of opening hours, and due times counted in business minutes.

Pure rules over aware datetimes. A calendar has one opening interval per open weekday, in
its time zone's wall-clock time, and holidays (local dates) on which it is closed. A business
minute is a real minute inside an opening interval: on the day clocks change, 09:00-18:00 is
still nine real hours, and an interval that spans the change counts the hours that happened.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from datetime import UTC, date, datetime, time, timedelta
from zoneinfo import ZoneInfo

WEEKDAY_KEYS = ("mon", "tue", "wed", "thu", "fri", "sat", "sun")
MAX_DAYS = 3660
"""How far the arithmetic walks before deciding the calendar is never open (ten years)."""


class CalendarError(ValueError):
    """A calendar that cannot be used: bad hours, an unknown zone, no open day."""


@dataclass(frozen=True, slots=True)
class Calendar:
    """Opening hours per weekday (0 = Monday), in ``zone``; closed on ``holidays``."""

    zone: str
    hours: Mapping[int, tuple[time, time]]
    holidays: frozenset[date] = field(default_factory=frozenset)

    def __post_init__(self) -> None:
        try:
            ZoneInfo(self.zone)
        except (ValueError, KeyError, OSError) as exc:  # ZoneInfoNotFoundError is a KeyError
            raise CalendarError(f"unknown time zone {self.zone!r}") from exc
        if not self.hours:
            raise CalendarError("a calendar needs at least one open weekday")
        for day, (start, end) in self.hours.items():
            if day not in range(7) or start >= end:
                raise CalendarError(f"{WEEKDAY_KEYS[day % 7]}: opening must be before closing")

    @property
    def tz(self) -> ZoneInfo:
        return ZoneInfo(self.zone)

    def intervals(self, since: datetime) -> Iterator[tuple[datetime, datetime]]:
        """Opening intervals in UTC that end after ``since``, in order (clipped to start at
        ``since``); stops after :data:`MAX_DAYS` days."""
        tz = self.tz
        day = since.astimezone(tz).date() - timedelta(days=1)
        for _ in range(MAX_DAYS):
            hours = self.hours.get(day.weekday())
            if hours is not None and day not in self.holidays:
                start = datetime.combine(day, hours[0], tz).astimezone(UTC)
                end = datetime.combine(day, hours[1], tz).astimezone(UTC)
                if end > since:
                    yield max(start, since), end
            day += timedelta(days=1)


def _aware(value: datetime) -> datetime:
    if value.tzinfo is None or value.utcoffset() is None:
        raise ValueError(f"naive datetime {value!r}: business time needs aware datetimes")
    return value.astimezone(UTC)


def add_business_minutes(calendar: Calendar, start: datetime, minutes: float) -> datetime:
    """The moment ``minutes`` business minutes after ``start`` (UTC). Zero minutes is
    ``start`` itself, even outside the opening hours."""
    start = _aware(start)
    if minutes < 0:
        raise ValueError("business minutes cannot be negative")
    if minutes == 0:
        return start
    left = timedelta(minutes=minutes)
    for begin, end in calendar.intervals(start):
        if end - begin >= left:
            return begin + left
        left -= end - begin
    raise CalendarError(f"the calendar is not open for {minutes} minutes in {MAX_DAYS} days")


def business_minutes_between(calendar: Calendar, start: datetime, end: datetime) -> float:
    """Business minutes from ``start`` to ``end`` (zero when ``end`` is not after it)."""
    start, end = _aware(start), _aware(end)
    total = timedelta(0)
    if end <= start:
        return 0.0
    for begin, close in calendar.intervals(start):
        if begin >= end:
            break
        total += min(close, end) - begin
    return total.total_seconds() / 60


def resume_due(
    calendar: Calendar, due: datetime, paused_at: datetime, resumed_at: datetime
) -> datetime:
    """A due time after its clock stood still from ``paused_at`` to ``resumed_at``: the
    business time that was left at the pause is counted again from the resumption. A target
    already missed when the clock stopped stays where it was."""
    if _aware(due) <= _aware(paused_at):
        return _aware(due)
    left = business_minutes_between(calendar, paused_at, due)
    return add_business_minutes(calendar, max(_aware(resumed_at), _aware(paused_at)), left)


def parse_hours(text: str) -> tuple[time, time]:
    """``"09:00-18:00"`` as opening and closing times."""
    try:
        first, second = (part.strip() for part in text.split("-"))
        opening, closing = time.fromisoformat(first), time.fromisoformat(second)
    except ValueError:
        raise CalendarError(f"opening hours {text!r}: write them as 09:00-18:00") from None
    if opening >= closing:
        raise CalendarError(f"opening hours {text!r}: opening must be before closing")
    return opening, closing


def office_calendar(zone: str) -> Calendar:
    """The calendar until one is imported: Monday to Friday, 09:00-18:00 in ``zone``."""
    return Calendar(zone, dict.fromkeys(range(5), (time(9), time(18))))
