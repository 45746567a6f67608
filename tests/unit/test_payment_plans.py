"""Payment plans: the instalments sum exactly to the order's gross, whatever the rounding; the
last takes the remainder; what is typed wrong is refused, saying why."""

from __future__ import annotations

from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import hypothesis.strategies as st
import pytest
from hypothesis import given

from agentdesk.db.errors import RequestError
from agentdesk.domain.clock import zone_named
from agentdesk.sales.money import MINOR_UNITS, currency
from agentdesk.sales.numbering import year_at
from agentdesk.sales.payment_plans import InstalmentRequest, parse_instalment, split

DAY = date(2026, 7, 1)


def _due(n: int) -> date:
    return DAY + timedelta(days=30 * n)


@given(
    gross=st.integers(min_value=0, max_value=10**13),
    code=st.sampled_from(sorted(MINOR_UNITS)),
    shares=st.lists(st.integers(min_value=1, max_value=9999), min_size=0, max_size=12),
)
def test_percentages_and_the_rest_sum_exactly_to_the_gross(
    gross: int, code: str, shares: list[int]
) -> None:
    money = currency(code)
    requests = [
        InstalmentRequest(_due(i), percent=Decimal(bp) / 100) for i, bp in enumerate(shares)
    ]
    requests.append(InstalmentRequest(_due(len(shares))))  # the last: the rest
    if sum(shares) > 10_000:
        with pytest.raises(RequestError):
            split(gross, money, requests)
        return
    plan = split(gross, money, requests)
    assert sum(item.amount_minor for item in plan) == gross
    assert all(item.amount_minor >= 0 for item in plan)
    running = 0
    for k, (item, bp) in enumerate(zip(plan, shares, strict=False), start=1):
        exact = Decimal(gross) * bp / 10_000
        assert abs(Decimal(item.amount_minor) - exact) < 1  # within one minor unit
        assert item.percent_bp == bp
        running += item.amount_minor  # the running total is rounded once, half up
        assert abs(Decimal(running) - Decimal(gross) * sum(shares[:k]) / 10_000) <= Decimal("0.5")


@given(
    gross=st.integers(min_value=1, max_value=10**12),
    parts=st.integers(min_value=1, max_value=40),
)
def test_equal_percentages_typed_for_every_instalment_still_sum_exactly(
    gross: int, parts: int
) -> None:
    """Three times 33.33 % (or 40 × 2.5 %) of an odd amount: the last instalment absorbs the
    cents the rounding moved, and the typed total (within the rounding) is accepted."""
    share = (Decimal(10_000) / parts).quantize(Decimal(1)) / 100
    requests = [InstalmentRequest(_due(i), percent=share) for i in range(parts - 1)]
    requests.append(InstalmentRequest(_due(parts), percent=Decimal(100) - share * (parts - 1)))
    if requests[-1].percent is not None and requests[-1].percent <= 0:
        return
    plan = split(gross, currency("CNY"), requests)
    assert sum(item.amount_minor for item in plan) == gross


def test_amounts_typed_must_add_up_unless_the_last_is_left_open() -> None:
    money = currency("CNY")
    thirds = [InstalmentRequest(_due(i), amount=Decimal("33.33")) for i in range(3)]
    plan = split(10_000, money, thirds)  # 99.99 typed for 100.00: one cent within rounding
    assert [item.amount_minor for item in plan] == [3333, 3333, 3334]
    with pytest.raises(RequestError, match="leave the last one open"):
        split(20_000, money, thirds)
    with pytest.raises(RequestError, match="more than the order"):
        split(5_000, money, [*thirds[:2], InstalmentRequest(_due(3))])
    assert split(0, money, []) == []
    zero = split(0, money, [InstalmentRequest(DAY, percent=Decimal(30)), InstalmentRequest(DAY)])
    assert [item.amount_minor for item in zero] == [0, 0]  # a 100 % discount's order
    yen = split(1001, currency("JPY"), [InstalmentRequest(DAY, percent=Decimal(50)),
                                        InstalmentRequest(DAY)])  # fmt: skip
    assert [item.amount_minor for item in yen] == [501, 500]


def test_what_is_typed_wrong_is_refused() -> None:
    money = currency("CNY")
    with pytest.raises(RequestError, match="due dates"):
        split(100, money, [InstalmentRequest(_due(2), percent=Decimal(50)),
                           InstalmentRequest(_due(1))])  # fmt: skip
    with pytest.raises(RequestError, match="give an amount or a percentage"):
        split(100, money, [InstalmentRequest(DAY), InstalmentRequest(DAY)])
    with pytest.raises(RequestError, match="not both"):
        split(100, money, [InstalmentRequest(DAY, Decimal(1), Decimal(1))])
    with pytest.raises(RequestError, match="above 0"):
        split(100, money, [InstalmentRequest(DAY, percent=Decimal(120))])
    with pytest.raises(RequestError, match="decimals"):
        split(100, money, [InstalmentRequest(DAY, amount=Decimal("0.001")), InstalmentRequest(DAY)])
    assert parse_instalment("2026-07-01:30%") == InstalmentRequest(DAY, percent=Decimal(30))
    assert parse_instalment("2026-07-01:1,200.50") == InstalmentRequest(DAY, Decimal("1200.50"))
    assert parse_instalment("2026-07-01") == InstalmentRequest(DAY)
    with pytest.raises(RequestError, match="DATE"):
        parse_instalment("July:30%")


def test_a_documents_year_is_the_business_zones() -> None:
    """Review finding: QT-/SO- years came from the desk's local date. 17:00 UTC on 31 December
    is already next year in Shanghai and still this year in Los Angeles."""
    instant = datetime(2026, 12, 31, 17, 0, tzinfo=UTC)
    assert year_at(instant, zone_named("Asia/Shanghai")) == 2027
    assert year_at(instant, zone_named("America/Los_Angeles")) == 2026
