"""Contact-center figures of a queue: what one call adds, and the ratios of what was added.

Pure rules, shared by the rollups kept as calls end and by anything that recomputes them:
a call adds :class:`QueueCounts` to intervals, counts add up (in any order or grouping), and
the ratios are read from counts only, so a board that sums rollup rows and a report that folds
raw calls give the same figures.

Where a call is booked (by precedence of the question asked):

1. offered, answered, abandoned, short abandons, waits and service level: the interval in
   which the call was offered to the queue, even when it was answered or ended in the next;
2. handling (talk + hold + wrap-up, for AHT): the interval in which the wrap-up ended, as
   handling time is known only then.

A caller who hangs up before any desk answered is an abandon, unless they waited less than
the short-abandon threshold: then it is a short abandon, counted apart and in no ratio (the
caller misdialled or changed their mind). A call answered elsewhere (another desk of a forked
call) is not this queue's abandon: the caller was answered.
"""

from __future__ import annotations

from dataclasses import dataclass, fields
from datetime import datetime, timedelta
from enum import StrEnum

INTERVAL = timedelta(minutes=15)
DEFAULT_SERVICE_SECONDS = 20.0
DEFAULT_SHORT_ABANDON_SECONDS = 5.0


class ServiceLevelFormula(StrEnum):
    """The standard definitions of service level; every report prints the one it used."""

    ANSWERED = "answered"
    """answered within T / answered (abandons ignored: Asterisk's)"""
    ANSWERED_AND_ABANDONED = "answered_and_abandoned"
    """answered within T / (answered + abandoned) (abandons count against)"""
    ABANDONED_AFTER_T = "abandoned_after_t"
    """answered within T / (answered + abandoned after T) (callers who gave up before T
    are not held against the queue)"""

    def describe(self) -> str:
        """The formula in words, as printed on a report."""
        return {
            ServiceLevelFormula.ANSWERED: "answered within T / answered",
            ServiceLevelFormula.ANSWERED_AND_ABANDONED: (
                "answered within T / (answered + abandoned)"
            ),
            ServiceLevelFormula.ABANDONED_AFTER_T: (
                "answered within T / (answered + abandoned after T)"
            ),
        }[self]


@dataclass(frozen=True, slots=True)
class Thresholds:
    service_seconds: float = DEFAULT_SERVICE_SECONDS
    short_abandon_seconds: float = DEFAULT_SHORT_ABANDON_SECONDS

    def __post_init__(self) -> None:
        if self.service_seconds <= 0 or self.short_abandon_seconds < 0:
            raise ValueError("the service level threshold is positive, the short abandon one 0+")


@dataclass(frozen=True, slots=True)
class QueueCall:
    """One call offered to a queue, as the desks logged it (times are aware, UTC).

    ``answered_at`` is ``None`` when no desk answered; ``ended_at`` is when the caller left
    (hung up, or the call ended); ``wrapup_ended_at`` is ``None`` until the wrap-up is saved.
    """

    offered_at: datetime
    ended_at: datetime
    answered_at: datetime | None = None
    talk_seconds: float = 0.0
    hold_seconds: float = 0.0
    wrapup_seconds: float = 0.0
    wrapup_ended_at: datetime | None = None

    def __post_init__(self) -> None:
        for moment in (self.offered_at, self.ended_at, self.answered_at, self.wrapup_ended_at):
            if moment is not None and moment.tzinfo is None:
                raise ValueError("naive datetime given to a queue call")
        if self.ended_at < self.offered_at:
            raise ValueError("a call ends after it was offered")
        if self.answered_at is not None and not (
            self.offered_at <= self.answered_at <= self.ended_at
        ):
            raise ValueError("a call is answered between its offer and its end")

    @property
    def wait_seconds(self) -> float:
        """How long the caller waited: until answered, else until they hung up."""
        until = self.answered_at if self.answered_at is not None else self.ended_at
        return (until - self.offered_at).total_seconds()


@dataclass(frozen=True, slots=True)
class QueueCounts:
    """What calls added to one queue interval; every field adds up (``longest_wait_s`` is a
    maximum, the one that does not sum)."""

    offered: int = 0
    answered: int = 0
    abandoned: int = 0
    short_abandoned: int = 0
    answered_within: int = 0
    abandoned_after: int = 0
    answered_wait_s: float = 0.0
    longest_wait_s: float = 0.0
    handled: int = 0
    handle_s: float = 0.0

    def __add__(self, other: QueueCounts) -> QueueCounts:
        values = {
            f.name: getattr(self, f.name) + getattr(other, f.name)
            for f in fields(self)
            if f.name != "longest_wait_s"
        }
        return QueueCounts(**values, longest_wait_s=max(self.longest_wait_s, other.longest_wait_s))

    # -- ratios (None when the interval has nothing to divide by) -------------------------

    def service_level_pct(self, formula: ServiceLevelFormula) -> float | None:
        match formula:
            case ServiceLevelFormula.ANSWERED:
                base = self.answered
            case ServiceLevelFormula.ANSWERED_AND_ABANDONED:
                base = self.answered + self.abandoned
            case ServiceLevelFormula.ABANDONED_AFTER_T:
                base = self.answered + self.abandoned_after
        return _pct(self.answered_within, base)

    def abandon_pct(self) -> float | None:
        """Abandoned / offered; short abandons are in neither."""
        return _pct(self.abandoned, self.offered - self.short_abandoned)

    def asa_s(self) -> float | None:
        """Average speed of answer: the queue wait of answered calls / answered calls."""
        return self.answered_wait_s / self.answered if self.answered else None

    def aht_s(self) -> float | None:
        """Average handling time: (talk + hold + wrap-up) / calls handled."""
        return self.handle_s / self.handled if self.handled else None


def _pct(part: int, whole: int) -> float | None:
    return 100.0 * part / whole if whole else None


def interval_of(moment: datetime, length: timedelta = INTERVAL) -> datetime:
    """The start of the interval ``moment`` falls in (intervals start at whole hours, UTC)."""
    if moment.tzinfo is None:
        raise ValueError("naive datetime given to interval_of")
    step = int(length.total_seconds())
    if step <= 0 or 3600 % step:
        raise ValueError("an interval divides the hour")
    hour = moment.replace(minute=0, second=0, microsecond=0)
    seconds = int((moment - hour).total_seconds())
    return hour + timedelta(seconds=seconds - seconds % step)


def counts_of(
    call: QueueCall, thresholds: Thresholds, length: timedelta = INTERVAL
) -> dict[datetime, QueueCounts]:
    """What ``call`` adds, per interval start (see the module docstring for where)."""
    wait = call.wait_seconds
    booked: dict[datetime, QueueCounts] = {}
    if call.answered_at is not None:
        queue = QueueCounts(
            offered=1,
            answered=1,
            answered_within=int(wait <= thresholds.service_seconds),
            answered_wait_s=wait,
            longest_wait_s=wait,
        )
    elif wait < thresholds.short_abandon_seconds:
        queue = QueueCounts(offered=1, short_abandoned=1, longest_wait_s=wait)
    else:
        queue = QueueCounts(
            offered=1,
            abandoned=1,
            abandoned_after=int(wait > thresholds.service_seconds),
            longest_wait_s=wait,
        )
    booked[interval_of(call.offered_at, length)] = queue
    if call.answered_at is not None and call.wrapup_ended_at is not None:
        handle = call.talk_seconds + call.hold_seconds + call.wrapup_seconds
        end = interval_of(call.wrapup_ended_at, length)
        booked[end] = booked.get(end, QueueCounts()) + QueueCounts(handled=1, handle_s=handle)
    return booked


def fold(
    calls: list[QueueCall], thresholds: Thresholds, length: timedelta = INTERVAL
) -> dict[datetime, QueueCounts]:
    """Every call's counts, summed per interval."""
    totals: dict[datetime, QueueCounts] = {}
    for call in calls:
        for start, counts in counts_of(call, thresholds, length).items():
            totals[start] = totals.get(start, QueueCounts()) + counts
    return totals
