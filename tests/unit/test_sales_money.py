"""Quote arithmetic: each line rounded once, tax once per rate, nothing lost or invented."""

from __future__ import annotations

from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given
from hypothesis import strategies as st

from agentdesk.db.errors import RequestError
from agentdesk.sales.documents import parse_line
from agentdesk.sales.money import (
    MINOR_UNITS,
    LineInput,
    MoneyError,
    currency,
    line_net,
    parse_decimal,
    parse_rate,
    totals,
)

RATES = [Decimal(r) for r in ("0", "0.03", "0.06", "0.09", "0.13", "0.175", "0.2")]


@st.composite
def lines(draw: st.DrawFn, exponent: int) -> LineInput:
    quantity = Decimal(draw(st.integers(1, 10_000_000))).scaleb(-3)
    price = Decimal(draw(st.integers(0, 10**9))).scaleb(-exponent)
    discount = Decimal(draw(st.integers(0, 10_000))).scaleb(-2)
    return LineInput(quantity, price, discount, draw(st.sampled_from(RATES)))


@st.composite
def quotes(draw: st.DrawFn) -> tuple[str, list[LineInput]]:
    code = draw(st.sampled_from(sorted(MINOR_UNITS)))
    items = draw(st.lists(lines(MINOR_UNITS[code]), min_size=1, max_size=60))
    return code, items


def _exact(line: LineInput) -> Fraction:
    return (
        Fraction(line.quantity)
        * Fraction(line.unit_price)
        * (100 - Fraction(line.discount_pct))
        / 100
    )


@given(quotes())
def test_the_lines_sum_to_the_net_total_and_tax_is_per_rate(quote: tuple[str, list[LineInput]]):
    code, items = quote
    money = currency(code)
    result = totals(items, money)
    assert result.net == sum(result.lines, Decimal(0))
    assert result.tax == sum((r.tax for r in result.rates), Decimal(0))
    assert result.gross == result.net + result.tax
    for rate in result.rates:
        base = sum(
            (n for n, line in zip(result.lines, items, strict=True) if line.tax_rate == rate.rate),
            Decimal(0),
        )
        assert rate.base == base
        assert rate.tax == money.round(base * rate.rate)
    for amount in (result.net, result.tax, result.gross, *result.lines):
        assert amount.as_tuple().exponent == -money.exponent
        assert not amount.is_signed()


@given(quotes())
def test_no_minor_unit_is_lost_or_invented(quote: tuple[str, list[LineInput]]):
    code, items = quote
    money = currency(code)
    half = Fraction(1, 2) * Fraction(money.unit)
    result = totals(items, money)
    for net, line in zip(result.lines, items, strict=True):
        # rounded once, half up: within half a minor unit, and a tie goes up
        gap = Fraction(net) - _exact(line)
        assert -half < gap <= half
    for rate in result.rates:
        gap = Fraction(rate.tax) - Fraction(rate.base) * Fraction(rate.rate)
        assert -half < gap <= half
    # the minor units in the totals are exactly those of the lines and the per-rate taxes
    assert money.to_minor(result.net) == sum(money.to_minor(n) for n in result.lines)
    assert money.to_minor(result.gross) == money.to_minor(result.net) + sum(
        money.to_minor(r.tax) for r in result.rates
    )


@given(quotes())
def test_a_full_discount_gives_exactly_zero(quote: tuple[str, list[LineInput]]):
    code, items = quote
    money = currency(code)
    free = [LineInput(i.quantity, i.unit_price, Decimal(100), i.tax_rate) for i in items]
    result = totals(free, money)
    zero = money.text(Decimal(0))
    assert {str(a) for a in (result.net, result.tax, result.gross, *result.lines)} == {zero}


def test_three_lines_of_33_33_at_13_percent_give_13_00_tax():
    line = LineInput(Decimal(1), Decimal("33.33"), Decimal(0), Decimal("0.13"))
    result = totals([line] * 3, currency("CNY"))
    assert (result.net, result.tax, result.gross) == (
        Decimal("99.99"),
        Decimal("13.00"),
        Decimal("112.99"),
    )


def test_lines_round_half_up_once_to_the_currency():
    line = LineInput(Decimal("3"), Decimal("0.335"), Decimal(0), Decimal(0))
    assert line_net(line, currency("CNY")) == Decimal("1.01")  # 1.005 -> 1.01, not banker's 1.00
    yen = LineInput(Decimal("1"), Decimal("1005"), Decimal("12.5"), Decimal(0))
    assert str(line_net(yen, currency("jpy"))) == "879"  # 879.375


def test_two_rates_are_taxed_separately():
    cny = currency("CNY")
    result = totals(
        [
            LineInput(Decimal(2), Decimal("10.05"), Decimal(0), Decimal("0.13")),
            LineInput(Decimal(1), Decimal("7.77"), Decimal(10), Decimal("0.06")),
        ],
        cny,
    )
    assert [(str(r.rate), str(r.base), str(r.tax)) for r in result.rates] == [
        ("0.06", "6.99", "0.42"),
        ("0.13", "20.10", "2.61"),
    ]
    assert str(result.gross) == "30.12"


@pytest.mark.parametrize(
    ("text", "rate"), [("13%", "0.13"), ("0.13", "0.13"), ("13 ％", "0.13"), ("0", "0")]
)
def test_tax_rates_read_as_percent_or_fraction(text: str, rate: str):
    assert parse_rate(text) == Decimal(rate)


@pytest.mark.parametrize("text", ["13", "abc", "-1%", "nan", "0.12345"])
def test_impossible_tax_rates_are_refused(text: str):
    with pytest.raises(MoneyError):
        parse_rate(text)


def test_bad_values_are_refused_with_what_was_wrong():
    with pytest.raises(MoneyError, match="currency"):
        currency("XXX")
    with pytest.raises(MoneyError, match="not a number"):
        parse_decimal("1e", "price")
    with pytest.raises(MoneyError, match="discount"):
        line_net(LineInput(Decimal(1), Decimal(1), Decimal(101), Decimal(0)), currency("CNY"))
    with pytest.raises(MoneyError, match="decimals"):
        currency("JPY").to_minor(Decimal("1.5"))
    assert parse_decimal("１,２３４.５０") == Decimal("1234.50")


@pytest.mark.parametrize("text", ["A:1e30", "A:1000000001", "A:1e999999999"])
def test_an_oversized_line_is_refused_not_a_crash(text: str) -> None:
    with pytest.raises(RequestError, match="line"):
        parse_line(text)
