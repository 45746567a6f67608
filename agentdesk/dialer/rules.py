"""The dialer's pure rules: calling windows, callee time zones, retries, dispositions.

No I/O and no clock: every function takes the instant it judges (an aware datetime), so tests
freeze time by passing one. The database layer (:mod:`agentdesk.dialer.selection`) only asks
these functions which *zone groups* are inside the window now and filters entries by group.
(Call scripts and their merge fields are :mod:`agentdesk.dialer.scripts`.)

Zone groups
    An entry's callee zones are resolved once, at load time: the explicit zone if the list gave
    one, else the zones phonenumbers gives for the number. The sorted zone names form the
    entry's group, stored as a short key (:func:`zone_key`): the zone name itself for one zone,
    ``~`` and a hash for several. A number with several zones is dialable only when the window is
    open in *all* of them (:func:`window_open_in_all`), which is evaluated per group, not per
    entry: a campaign of a million US numbers has a few dozen groups.
"""

from __future__ import annotations

import hashlib
import re
import uuid
from collections.abc import Iterable, Mapping
from dataclasses import dataclass, field
from datetime import datetime, time, timedelta
from enum import StrEnum
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError, available_timezones

import phonenumbers
from phonenumbers import timezone as phone_timezone

UNKNOWN_ZONE = "Etc/Unknown"
"""What phonenumbers answers for a number it cannot place; such entries are never dialable."""

ALL_WEEKDAYS: tuple[int, ...] = (0, 1, 2, 3, 4, 5, 6)
"""Monday is 0, as :meth:`datetime.weekday` counts."""

_MULTI_PREFIX = "~"
_TIME = re.compile(r"^([01]?\d|2[0-4]):([0-5]\d)$")


class EntryStatus(StrEnum):
    NEW = "new"
    RESERVED = "reserved"
    IN_PROGRESS = "in_progress"
    CALLBACK = "callback"
    DONE = "done"
    DNC = "dnc"
    EXHAUSTED = "exhausted"
    INVALID = "invalid"


POOL_STATUSES = (EntryStatus.NEW, EntryStatus.CALLBACK)
"""Statuses an entry can be offered from."""
OPEN_STATUSES = (*POOL_STATUSES, EntryStatus.RESERVED, EntryStatus.IN_PROGRESS)
"""Statuses that still count as remaining work."""


class Outcome(StrEnum):
    """What the SIP leg of an attempt came to."""

    ANSWERED = "answered"
    BUSY = "busy"
    NO_ANSWER = "no_answer"
    INVALID_NUMBER = "invalid_number"
    DECLINED = "declined"
    CANCELLED = "cancelled"
    FAILED = "failed"


class DialMode(StrEnum):
    PREVIEW = "preview"
    PROGRESSIVE = "progressive"
    MANUAL = "manual"


class RuleError(ValueError):
    """A campaign setting that cannot be used; the message is for the admin."""


# ---------------------------------------------------------------------------------------------
# Calling window


@dataclass(frozen=True, slots=True)
class CallingWindow:
    """Local wall-clock hours ``[start, end)`` on the allowed weekdays (Monday = 0)."""

    start: time = time(8, 0)
    end: time = time(21, 0)
    weekdays: frozenset[int] = frozenset(ALL_WEEKDAYS)

    def __post_init__(self) -> None:
        if self.start >= self.end:
            raise RuleError("the calling window must end after it starts (e.g. 08:00-21:00)")
        if not self.weekdays or not self.weekdays <= set(ALL_WEEKDAYS):
            raise RuleError("allowed weekdays must be a non-empty subset of 0 (Mon) .. 6 (Sun)")

    def contains_local(self, local: datetime) -> bool:
        return local.weekday() in self.weekdays and self.start <= local.time() < self.end


def parse_clock(text: str) -> time:
    """``"8:00"``/``"21:00"``/``"24:00"`` as a :class:`time` (24:00 is the end of the day)."""
    match = _TIME.match(text.strip())
    if match is None:
        raise RuleError(f"{text!r} is not a time of day (HH:MM)")
    hour, minute = int(match.group(1)), int(match.group(2))
    if hour == 24:
        if minute:
            raise RuleError(f"{text!r} is not a time of day (HH:MM)")
        return time.max
    return time(hour, minute)


def parse_window(text: str, weekdays: Iterable[int] = ALL_WEEKDAYS) -> CallingWindow:
    """``"08:00-21:00"`` as a :class:`CallingWindow`."""
    start, sep, end = text.partition("-")
    if not sep:
        raise RuleError(f"{text!r} is not a window (HH:MM-HH:MM)")
    return CallingWindow(parse_clock(start), parse_clock(end), frozenset(weekdays))


def format_clock(value: time) -> str:
    return "24:00" if value == time.max else value.strftime("%H:%M")


@lru_cache(maxsize=1024)
def _zone(name: str) -> ZoneInfo | None:
    try:
        return ZoneInfo(name)
    except (ZoneInfoNotFoundError, ValueError):
        return None


@lru_cache(maxsize=1)
def _known_zones() -> frozenset[str]:
    return frozenset(available_timezones())


def is_known_zone(name: str) -> bool:
    """True for an IANA zone this machine's tz database has (``Europe/Paris``, ``UTC``)."""
    return name in _known_zones()


def window_open_in_all(window: CallingWindow, zones: Iterable[str], now: datetime) -> bool:
    """True when ``now`` is inside ``window`` in every one of ``zones`` (and there is one).

    Unknown zones are never open: not dialling is the safe side of a calling-hours rule.
    """
    if now.tzinfo is None:
        raise ValueError("naive datetime given as the current instant")
    seen = False
    for name in zones:
        zone = _zone(name)
        if zone is None or not window.contains_local(now.astimezone(zone)):
            return False
        seen = True
    return seen


def dialable_keys(
    window: CallingWindow, groups: Mapping[str, tuple[str, ...]], now: datetime
) -> set[str]:
    """The zone-group keys of ``groups`` (key -> zones) inside ``window`` at ``now``."""
    return {key for key, zones in groups.items() if window_open_in_all(window, zones, now)}


# ---------------------------------------------------------------------------------------------
# Callee time zones


def zone_key(zones: Iterable[str]) -> str:
    """The stored group key of a set of zones: the name for one zone, ``~hash`` for several."""
    names = sorted(set(zones))
    if not names:
        return UNKNOWN_ZONE
    if len(names) == 1:
        return names[0]
    digest = hashlib.sha1(" ".join(names).encode(), usedforsecurity=False).hexdigest()
    return _MULTI_PREFIX + digest[:24]


def _block_key(e164: str) -> str:
    # Number type (geographic or not), and so the zones, follows from the leading digits and
    # the length; numbering plans allocate in blocks of at least 10,000, so numbers that differ
    # only in the last four digits share their zones. This turns ~25 us of parsing per number
    # into a dict hit for all but the first number of each block.
    return e164[:-4] + "." + str(len(e164)) if len(e164) >= 10 else e164


_BLOCK_ZONES: dict[str, tuple[str, ...]] = {}
_BLOCK_CACHE_LIMIT = 500_000


def _lookup_zones(e164: str) -> tuple[str, ...]:
    try:
        number = phonenumbers.parse(e164, None)
    except phonenumbers.NumberParseException:
        return (UNKNOWN_ZONE,)
    zones = tuple(sorted(phone_timezone.time_zones_for_number(number)))
    return zones or (UNKNOWN_ZONE,)


def zones_for_number(e164: str) -> tuple[str, ...]:
    """The IANA zones phonenumbers gives for ``e164`` (sorted); ``(UNKNOWN_ZONE,)`` if none."""
    block = _block_key(e164)
    zones = _BLOCK_ZONES.get(block)
    if zones is None:
        if len(_BLOCK_ZONES) >= _BLOCK_CACHE_LIMIT:
            _BLOCK_ZONES.clear()
        zones = _BLOCK_ZONES[block] = _lookup_zones(e164)
    return zones


def callee_zones(e164: str, explicit_zone: str | None) -> tuple[str, ...]:
    """The zones whose clocks decide when ``e164`` may be called."""
    if explicit_zone:
        return (explicit_zone,)
    return zones_for_number(e164)


# ---------------------------------------------------------------------------------------------
# Retries


@dataclass(frozen=True, slots=True)
class RetryRule:
    """What an outcome leads to: final, or eligible again after ``retry_after``."""

    final: bool = False
    retry_after: timedelta = timedelta(0)

    def to_json(self) -> dict[str, Any]:
        if self.final:
            return {"final": True}
        return {"retry_after_minutes": self.retry_after.total_seconds() / 60}

    @classmethod
    def from_json(cls, data: Mapping[str, Any]) -> RetryRule:
        if data.get("final"):
            return cls(final=True)
        minutes = data.get("retry_after_minutes", 0)
        if not isinstance(minutes, int | float) or minutes < 0:
            raise RuleError(f"retry_after_minutes must be a number >= 0, not {minutes!r}")
        return cls(retry_after=timedelta(minutes=minutes))


DEFAULT_RETRY_RULES: Mapping[str, RetryRule] = {
    Outcome.NO_ANSWER: RetryRule(retry_after=timedelta(hours=2)),
    Outcome.BUSY: RetryRule(retry_after=timedelta(minutes=15)),
    Outcome.DECLINED: RetryRule(final=True),
    Outcome.INVALID_NUMBER: RetryRule(final=True),
    # The agent hung up before an answer: the callee was not reached, try again soon.
    Outcome.CANCELLED: RetryRule(retry_after=timedelta(minutes=5)),
    # Our side failed (network, 5xx): not the callee's doing, retry after a pause.
    Outcome.FAILED: RetryRule(retry_after=timedelta(minutes=30)),
    # Answered but the wrap-up was neither final nor a callback (e.g. "information given").
    Outcome.ANSWERED: RetryRule(retry_after=timedelta(days=1)),
}


@dataclass(frozen=True, slots=True)
class RetryPolicy:
    """Per-outcome rules (defaults filled in) and the attempt limit of a campaign."""

    max_attempts: int = 5
    rules: Mapping[str, RetryRule] = field(default_factory=lambda: dict(DEFAULT_RETRY_RULES))

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise RuleError("max attempts must be 1 or more")

    def rule(self, outcome: Outcome) -> RetryRule:
        return self.rules.get(outcome) or DEFAULT_RETRY_RULES[outcome]

    @classmethod
    def from_json(cls, max_attempts: int, data: Mapping[str, Any] | None) -> RetryPolicy:
        rules = dict(DEFAULT_RETRY_RULES)
        for outcome, rule in (data or {}).items():
            if outcome not in Outcome.__members__.values():
                raise RuleError(f"unknown outcome {outcome!r} in the retry rules")
            rules[Outcome(outcome)] = RetryRule.from_json(rule)
        return cls(max_attempts=max_attempts, rules=rules)

    def to_json(self) -> dict[str, Any]:
        return {str(outcome): rule.to_json() for outcome, rule in self.rules.items()}


@dataclass(frozen=True, slots=True)
class NextState:
    """Where an entry goes after an attempt or a wrap-up."""

    status: EntryStatus
    next_eligible_at: datetime | None = None
    """Set when the entry becomes eligible again later; ``None`` keeps the current value."""
    assigned_agent_id: uuid.UUID | None = None
    """For callbacks: the agent the callback belongs to (``None``: anyone)."""


def after_attempt(policy: RetryPolicy, outcome: Outcome, attempts: int, now: datetime) -> NextState:
    """The entry's state after its ``attempts``-th attempt ended with ``outcome``.

    An answered call waits for the wrap-up (:func:`after_disposition`) in ``in_progress``.
    """
    if outcome is Outcome.ANSWERED:
        return NextState(EntryStatus.IN_PROGRESS)
    if outcome is Outcome.INVALID_NUMBER and policy.rule(outcome).final:
        return NextState(EntryStatus.INVALID)
    return _retry(policy, policy.rule(outcome), attempts, now)


def _retry(policy: RetryPolicy, rule: RetryRule, attempts: int, now: datetime) -> NextState:
    if rule.final:
        return NextState(EntryStatus.DONE)
    if attempts >= policy.max_attempts:
        return NextState(EntryStatus.EXHAUSTED)
    return NextState(EntryStatus.NEW, now + rule.retry_after)


@dataclass(frozen=True, slots=True)
class DispositionFlags:
    """The flags of a wrap-up code the dialer reads (see ``crm.models.Disposition``)."""

    code: str
    is_final: bool = False
    needs_callback: bool = False
    counts_as_contact: bool = False
    is_success: bool = False
    adds_to_dnc: bool = False


def after_disposition(
    policy: RetryPolicy,
    flags: DispositionFlags,
    last_outcome: Outcome | None,
    attempts: int,
    now: datetime,
    *,
    callback_at: datetime | None = None,
    callback_agent: uuid.UUID | None = None,
) -> NextState:
    """The entry's state after the agent's wrap-up ``flags``.

    Do-not-call beats everything, then final, then a callback (which needs ``callback_at``;
    a callback is a promise, so it does not count against max attempts); otherwise the retry rule
    of the attempt's outcome decides (an answered call that was not final retries after the
    ``answered`` delay).
    """
    if flags.adds_to_dnc:
        return NextState(EntryStatus.DNC)
    if flags.is_final:
        return NextState(EntryStatus.DONE)
    if flags.needs_callback:
        if callback_at is None:
            raise RuleError(f"disposition {flags.code!r} needs a callback time")
        if callback_at.tzinfo is None:
            raise ValueError("naive datetime given as the callback time")
        return NextState(EntryStatus.CALLBACK, callback_at, callback_agent)
    outcome = last_outcome or Outcome.ANSWERED
    if outcome is Outcome.INVALID_NUMBER:
        return NextState(EntryStatus.INVALID)
    return _retry(policy, policy.rule(outcome), attempts, now)
