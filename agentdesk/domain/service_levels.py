"""Service-level policies: which targets a case gets, and durations as the admin writes them.

Pure rules; ``agentdesk/service/service_levels.py`` stores the policies and applies them.
"""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime

from agentdesk.domain.business_time import (
    Calendar,
    add_business_minutes,
    business_minutes_between,
)
from agentdesk.domain.cases import DEFAULT_TARGETS, Targets
from agentdesk.domain.enums import CasePriority

ANY = "*"
"""What a match key holds for a criterion the policy leaves open."""


def category_key(category: str | None) -> str | None:
    """Categories match whatever their case and surrounding spaces: ``Billing `` is
    ``billing``. An empty category is none."""
    if category is None:
        return None
    key = category.strip().casefold()
    return key or None


@dataclass(frozen=True, slots=True)
class SlaPolicy:
    """Targets for the cases that match every criterion the policy sets (``None``: any)."""

    id: uuid.UUID
    priority: CasePriority | None
    category: str | None
    account_id: uuid.UUID | None
    targets: Targets

    @property
    def match_key(self) -> str:
        """One policy per combination of criteria: setting the same combination again
        replaces it, so two policies never match a case equally."""
        return match_key(self.priority, self.category, self.account_id)

    @property
    def specificity(self) -> tuple[bool, bool, bool]:
        """Compared as a tuple: customer first, then category, then priority."""
        return (self.account_id is not None, self.category is not None, self.priority is not None)

    def matches(
        self, priority: CasePriority, category: str | None, account_id: uuid.UUID | None
    ) -> bool:
        return (
            (self.priority is None or self.priority is priority)
            and (self.category is None or category_key(self.category) == category_key(category))
            and (self.account_id is None or self.account_id == account_id)
        )


def match_key(
    priority: CasePriority | None, category: str | None, account_id: uuid.UUID | None
) -> str:
    parts = (
        priority.value if priority is not None else ANY,
        str(account_id) if account_id is not None else ANY,
        category_key(category) or ANY,
    )
    return "|".join(parts)


def policy_for(
    policies: Iterable[SlaPolicy],
    priority: CasePriority,
    category: str | None,
    account_id: uuid.UUID | None,
) -> SlaPolicy | None:
    """The policy that applies to a case, ``None`` when none matches (then the defaults do).

    A policy matches when each criterion it sets equals the case's (categories compared by
    ``category_key``). Of the matches the most specific wins, in this order:

    1. a policy naming the customer (the case's account) beats any that does not;
    2. then one naming the category beats one that does not;
    3. then one naming the priority beats one that does not;
    4. a policy naming nothing (every case) comes last, still before the defaults.

    So a customer's policy beats a category-and-priority one. Ties cannot happen: the
    criteria a policy sets, with the case's values, make its match key, and there is one
    policy per key; two policies with the same key (a list not from the store) are resolved
    by the smaller id, so the answer never depends on the order of ``policies``.
    """
    best: SlaPolicy | None = None
    for policy in policies:
        if not policy.matches(priority, category, account_id):
            continue
        if best is None or _rank(policy) > _rank(best):
            best = policy
    return best


def _rank(policy: SlaPolicy) -> tuple[bool, bool, bool, int]:
    # the smaller id wins a tie: negated, so larger is better throughout
    return (*policy.specificity, -policy.id.int)


def targets_for(
    policies: Iterable[SlaPolicy],
    priority: CasePriority,
    category: str | None,
    account_id: uuid.UUID | None,
) -> tuple[SlaPolicy | None, Targets]:
    """The policy that applies (``None``: the defaults) and its targets."""
    policy = policy_for(policies, priority, category, account_id)
    return policy, policy.targets if policy is not None else DEFAULT_TARGETS[priority]


_DURATION = re.compile(r"(\d+)\s*(d|h|m)", re.IGNORECASE)
BUSINESS_DAY_MINUTES = 8 * 60
"""What ``1d`` means: eight business hours. Targets are business time, and a calendar's days
differ in length, so a day is a fixed working day, not the calendar's; prefer hours."""
MAX_TARGET_MINUTES = 366 * BUSINESS_DAY_MINUTES


def parse_duration(text: str) -> int:
    """Business minutes from ``90m``, ``2h``, ``1h30m`` or ``1d`` (eight business hours);
    a bare number is minutes. Raises ``ValueError`` for anything else, zero, or over a year
    of working days."""
    compact = text.strip().replace(" ", "")
    if compact.isdigit():
        minutes = int(compact)
    else:
        parts = _DURATION.findall(compact)
        if not parts or "".join(n + u for n, u in parts).lower() != compact.lower():
            raise ValueError(f"{text!r} is not a duration (90m, 2h, 1h30m, 1d = 8 business hours)")
        scale = {"d": BUSINESS_DAY_MINUTES, "h": 60, "m": 1}
        minutes = sum(int(n) * scale[u.lower()] for n, u in parts)
    if minutes <= 0:
        raise ValueError(f"{text!r}: a target must be at least one minute")
    if minutes > MAX_TARGET_MINUTES:
        raise ValueError(f"{text!r}: a target cannot exceed {MAX_TARGET_MINUTES} minutes")
    return minutes


def retargeted_due(
    calendar: Calendar, opened: datetime, due: datetime, old_minutes: int, new_minutes: int
) -> datetime:
    """A due time when its target changes from ``old_minutes`` to ``new_minutes``: counted
    again from the opening, keeping the business minutes that pauses added to the old due
    time (those between the opening and ``due`` beyond ``old_minutes``)."""
    paused = max(0.0, business_minutes_between(calendar, opened, due) - old_minutes)
    return add_business_minutes(calendar, opened, new_minutes + paused)
