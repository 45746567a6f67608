"""Which service-level policy applies to a case (the most specific match: customer, then
category, then priority), durations as the admin writes them, due times counted again."""

from __future__ import annotations

import random
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from agentdesk.domain.business_time import (
    add_business_minutes,
    office_calendar,
    resume_due,
)
from agentdesk.domain.cases import DEFAULT_TARGETS, Targets
from agentdesk.domain.enums import CasePriority
from agentdesk.domain.service_levels import (
    SlaPolicy,
    parse_duration,
    policy_for,
    retargeted_due,
    targets_for,
)

ACCOUNTS = [uuid.UUID(int=n) for n in (1, 2)]
CATEGORIES = ["billing", "Hardware"]
priorities = st.sampled_from(list(CasePriority))
maybe_priority = st.none() | priorities
maybe_category = st.none() | st.sampled_from(CATEGORIES)
maybe_account = st.none() | st.sampled_from(ACCOUNTS)


@st.composite
def policy_lists(draw: st.DrawFn) -> list[SlaPolicy]:
    """Policies as the store holds them: one per combination of criteria."""
    combos = draw(
        st.lists(st.tuples(maybe_priority, maybe_category, maybe_account), unique=True,
                 max_size=12)
    )  # fmt: skip
    return [
        SlaPolicy(uuid.uuid4(), p, c, a, Targets(n + 1, 10 * (n + 1)))
        for n, (p, c, a) in enumerate(combos)
    ]


@settings(max_examples=300, deadline=None)
@given(policy_lists(), priorities, maybe_category, maybe_account, st.randoms())
def test_the_most_specific_matching_policy_applies_whatever_the_order(
    policies: list[SlaPolicy],
    priority: CasePriority,
    category: str | None,
    account: uuid.UUID | None,
    rnd: random.Random,
) -> None:
    chosen = policy_for(policies, priority, category, account)
    matching = [p for p in policies if p.matches(priority, category, account)]
    if not matching:
        assert chosen is None
        assert targets_for(policies, priority, category, account) == (
            None, DEFAULT_TARGETS[priority],
        )  # fmt: skip
        return
    assert chosen is not None and chosen in matching
    # customer before category before priority: no match outranks the chosen one
    assert all(p.specificity <= chosen.specificity for p in matching)
    assert [p for p in matching if p.specificity == chosen.specificity] == [chosen]
    shuffled = list(policies)
    rnd.shuffle(shuffled)
    assert policy_for(shuffled, priority, category, account) == chosen


def _policy(priority: CasePriority | None = None, category: str | None = None,
            account: uuid.UUID | None = None, minutes: int = 30) -> SlaPolicy:  # fmt: skip
    return SlaPolicy(uuid.uuid4(), priority, category, account, Targets(minutes, 4 * minutes))


def test_a_customers_policy_beats_a_category_and_priority_one() -> None:
    vip = _policy(account=ACCOUNTS[0], minutes=10)
    narrow = _policy(CasePriority.URGENT, "billing", minutes=20)
    everything = _policy(minutes=99)
    policies = [everything, narrow, vip]
    assert policy_for(policies, CasePriority.URGENT, "Billing ", ACCOUNTS[0]) == vip
    assert policy_for(policies, CasePriority.URGENT, "BILLING", ACCOUNTS[1]) == narrow
    assert policy_for(policies, CasePriority.LOW, "billing", None) == everything
    assert policy_for([narrow], CasePriority.LOW, "billing", None) is None


def test_policies_with_the_same_criteria_resolve_to_the_smaller_id() -> None:
    first = SlaPolicy(uuid.UUID(int=5), None, "billing", None, Targets(1, 2))
    second = SlaPolicy(uuid.UUID(int=9), None, "Billing", None, Targets(3, 4))
    assert first.match_key == second.match_key
    assert policy_for([second, first], CasePriority.LOW, "billing", None) == first


@pytest.mark.parametrize(
    ("text", "minutes"),
    [("90m", 90), ("2h", 120), ("1h30m", 90), ("1d", 480), ("45", 45), ("2H 15M", 135)],
)
def test_durations(text: str, minutes: int) -> None:
    assert parse_duration(text) == minutes


@pytest.mark.parametrize("text", ["", "0m", "h", "2x", "1.5h", "-3h", "2h junk", "9999d"])
def test_bad_durations_are_refused(text: str) -> None:
    with pytest.raises(ValueError, match=r"duration|at least|exceed"):
        parse_duration(text)


CALENDAR = office_calendar("Asia/Shanghai")
instants = st.datetimes(
    min_value=datetime(2026, 1, 1), max_value=datetime(2027, 12, 31), timezones=st.just(UTC)
)
targets = st.integers(min_value=1, max_value=5000)


@settings(max_examples=200, deadline=None)
@given(instants, targets, targets)
def test_a_new_target_counts_from_the_opening(opened: datetime, old: int, new: int) -> None:
    due = add_business_minutes(CALENDAR, opened, old)
    again = retargeted_due(CALENDAR, opened, due, old, new)
    assert abs(again - add_business_minutes(CALENDAR, opened, new)) < timedelta(seconds=1)


@settings(max_examples=200, deadline=None)
@given(instants, targets, targets, st.integers(1, 3000), st.integers(1, 20_000))
def test_a_new_target_keeps_the_business_time_a_pause_gave_back(
    opened: datetime, old: int, new: int, after: int, paused_for: int
) -> None:
    due = add_business_minutes(CALENDAR, opened, old)
    paused = min(opened + timedelta(minutes=after), due - timedelta(seconds=1))
    if paused <= opened:
        return
    resumed = paused + timedelta(minutes=paused_for)
    moved = resume_due(CALENDAR, due, paused, resumed)
    # the same pause on a case that had the new target from the start
    expected = resume_due(CALENDAR, add_business_minutes(CALENDAR, opened, new), paused, resumed)
    again = retargeted_due(CALENDAR, opened, moved, old, new)
    if add_business_minutes(CALENDAR, opened, new) > paused:
        assert abs(again - expected) < timedelta(seconds=1)
    else:
        assert again >= add_business_minutes(CALENDAR, opened, new)
