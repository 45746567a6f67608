"""Exact money and quote arithmetic: ``Decimal`` only, never float.

The rules (issue 17), which the known bugs elsewhere break (tax summed from rounded line
taxes, a 100 % discount leaving -0.01):

* each line's net is ``quantity × unit price × (1 − discount %)``, rounded once, half up, to
  the currency's minor unit (two places, none for JPY);
* tax is computed once per rate on the sum of that rate's line nets, rounded the same way
  (three lines of 33.33 at 13 % give 13.00, not 3 × 4.33 = 12.99);
* net is the sum of the line nets, tax the sum of the per-rate taxes, gross their sum.

The database keeps amounts as integer minor units (:func:`to_minor`), quantities as
thousandths and percentages as hundredths of a percent (:data:`QUANTITY_STEP`,
:data:`PERCENT_STEP`), so SQLite, which has no decimal type, stores them exactly too.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation

# ISO 4217 minor units of the currencies a quote may be in.
MINOR_UNITS: Mapping[str, int] = {
    "CNY": 2, "HKD": 2, "TWD": 2, "USD": 2, "EUR": 2, "GBP": 2, "SGD": 2, "AUD": 2,
    "CAD": 2, "CHF": 2, "JPY": 0, "KRW": 0,
}  # fmt: skip

QUANTITY_STEP = Decimal("0.001")
PERCENT_STEP = Decimal("0.01")
_HUNDRED = Decimal(100)


class MoneyError(ValueError):
    """A value that is no amount, quantity, percentage or known currency; says which."""


@dataclass(frozen=True, slots=True)
class Currency:
    code: str
    exponent: int

    @property
    def unit(self) -> Decimal:
        """The minor unit as a quantum: ``0.01`` for CNY, ``1`` for JPY."""
        return Decimal(1).scaleb(-self.exponent)

    def round(self, value: Decimal) -> Decimal:
        """``value`` rounded half up to the minor unit; zero never carries a minus sign."""
        rounded = value.quantize(self.unit, rounding=ROUND_HALF_UP)
        return rounded if rounded else abs(rounded)

    def to_minor(self, amount: Decimal) -> int:
        """An amount already on the minor unit as an integer count of minor units."""
        scaled = amount.scaleb(self.exponent)
        if scaled != scaled.to_integral_value():
            raise MoneyError(f"{amount} has more than {self.exponent} decimals for {self.code}")
        return int(scaled)

    def from_minor(self, minor: int) -> Decimal:
        return Decimal(minor).scaleb(-self.exponent).quantize(self.unit)

    def text(self, amount: Decimal) -> str:
        """The decimal string of an amount, always with the currency's decimals."""
        return str(self.round(amount))


def currency(code: str) -> Currency:
    """The currency named ``code`` (ISO 4217, any case), or :class:`MoneyError`."""
    key = code.strip().upper()
    if key not in MINOR_UNITS:
        known = ", ".join(sorted(MINOR_UNITS))
        raise MoneyError(f"unknown currency {code!r}: use one of {known}")
    return Currency(key, MINOR_UNITS[key])


def parse_decimal(text: str | Decimal | int, what: str = "number") -> Decimal:
    """A finite decimal from user text (``1,234.50`` and full-width digits accepted)."""
    if isinstance(text, Decimal | int):
        value = Decimal(text)
    else:
        cleaned = text.strip().replace(",", "").replace("，", "")
        cleaned = cleaned.translate(str.maketrans("０１２３４５６７８９．－", "0123456789.-"))
        try:
            value = Decimal(cleaned)
        except InvalidOperation:
            raise MoneyError(f"{what} {text!r} is not a number") from None
    if not value.is_finite():
        raise MoneyError(f"{what} {text!r} is not a number")
    return value


def parse_rate(text: str | Decimal) -> Decimal:
    """A tax rate as a fraction: ``13%`` and ``0.13`` are both ``0.13``; 0 to 100 %."""
    if isinstance(text, str) and text.strip().endswith(("%", "％")):
        rate = parse_decimal(text.strip()[:-1], "tax rate") / _HUNDRED
    else:
        rate = parse_decimal(text, "tax rate")
    if not Decimal(0) <= rate <= 1:
        raise MoneyError(f"tax rate {text!r} is not between 0 and 100 %")
    return on_step(rate * _HUNDRED, PERCENT_STEP, "tax rate") / _HUNDRED


def on_step(value: Decimal, step: Decimal, what: str) -> Decimal:
    """``value`` unchanged when it is a whole number of ``step``; refused otherwise."""
    stepped = value.quantize(step)
    if stepped != value:
        raise MoneyError(f"{what} {value} has more decimals than {step} allows")
    return stepped


def to_steps(value: Decimal, step: Decimal) -> int:
    """An integer count of ``step`` (how a quantity or percentage is stored)."""
    return int(on_step(value, step, "value") / step)


def from_steps(count: int, step: Decimal) -> Decimal:
    return (Decimal(count) * step).normalize()


@dataclass(frozen=True, slots=True)
class LineInput:
    """What a quote line is priced from. ``discount_pct`` in percent (10 is 10 %),
    ``tax_rate`` a fraction (0.13)."""

    quantity: Decimal
    unit_price: Decimal
    discount_pct: Decimal
    tax_rate: Decimal


@dataclass(frozen=True, slots=True)
class RateTax:
    rate: Decimal
    base: Decimal
    tax: Decimal


@dataclass(frozen=True, slots=True)
class Totals:
    currency: Currency
    lines: tuple[Decimal, ...]
    """Each line's net, in input order."""
    rates: tuple[RateTax, ...]
    """Tax per rate, rates ascending."""
    net: Decimal
    tax: Decimal
    gross: Decimal


def check_line(line: LineInput) -> None:
    """Refuse what a line cannot hold: a negative quantity or price, a discount outside
    0 to 100 %, a tax rate outside 0 to 1."""
    if line.quantity <= 0:
        raise MoneyError(f"quantity {line.quantity} must be above zero")
    if line.unit_price < 0:
        raise MoneyError(f"unit price {line.unit_price} must not be negative")
    if not Decimal(0) <= line.discount_pct <= _HUNDRED:
        raise MoneyError(f"discount {line.discount_pct} % is not between 0 and 100")
    if not Decimal(0) <= line.tax_rate <= 1:
        raise MoneyError(f"tax rate {line.tax_rate} is not between 0 and 1")


def line_net(line: LineInput, money: Currency) -> Decimal:
    """The line's net, rounded once."""
    check_line(line)
    exact = line.quantity * line.unit_price * (_HUNDRED - line.discount_pct) / _HUNDRED
    return money.round(exact)


def totals(lines: Iterable[LineInput], money: Currency) -> Totals:
    """Line nets, tax per rate and the totals of a quote or order (see the module rules)."""
    items = list(lines)
    nets = tuple(line_net(line, money) for line in items)
    bases: dict[Decimal, Decimal] = {}
    for line, net in zip(items, nets, strict=True):
        rate = line.tax_rate.normalize()
        bases[rate] = bases.get(rate, Decimal(0)) + net
    rates = tuple(
        RateTax(rate, money.round(base), money.round(base * rate))
        for rate, base in sorted(bases.items())
    )
    net_total = money.round(sum(nets, Decimal(0)))
    tax_total = money.round(sum((r.tax for r in rates), Decimal(0)))
    return Totals(money, nets, rates, net_total, tax_total, money.round(net_total + tax_total))
