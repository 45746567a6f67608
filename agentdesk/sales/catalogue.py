"""The product catalogue and price lists: look-ups, listing, and a line's price.

Every desk reads the catalogue; changing it needs the ``manage_users`` capability (the
catalogue is configuration, as dispositions are), checked here and, on PostgreSQL, by the
policies of migration 0016.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import date
from decimal import Decimal

from sqlalchemy import false, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.errors import RequestError
from agentdesk.sales.models import PriceList, PriceRule, Product
from agentdesk.sales.money import PERCENT_STEP, QUANTITY_STEP, currency, from_steps, to_steps


def plain(value: Decimal) -> str:
    """A decimal as JSON and tables show it: no exponent, no trailing zeros."""
    return format(value.normalize(), "f")


def rate_of(bp: int) -> Decimal:
    """A rate stored in hundredths of a percent as a fraction (1300 -> 0.13)."""
    return from_steps(bp, PERCENT_STEP) / 100


@dataclass(frozen=True, slots=True)
class ProductView:
    code: str
    name: str
    unit: str | None
    spec: str | None
    category: str | None
    currency: str
    price: Decimal
    tax_rate: Decimal
    active: bool

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "name": self.name,
            "unit": self.unit,
            "category": self.category,
            "price": str(self.price),
            "tax_rate": plain(self.tax_rate),
        }


def product_view(product: Product) -> ProductView:
    money = currency(product.currency)
    return ProductView(
        code=product.code,
        name=product.name,
        unit=product.unit,
        spec=product.spec,
        category=product.category,
        currency=money.code,
        price=money.from_minor(product.price_minor),
        tax_rate=rate_of(product.tax_rate_bp),
        active=product.active,
    )


def list_products(
    sessions: sessionmaker[Session], *, active_only: bool = False
) -> list[ProductView]:
    """Every product by code (the catalogue is small: thousands, not millions)."""
    query = select(Product).where(Product.deleted_at.is_(None)).order_by(Product.code)
    if active_only:
        query = query.where(Product.active.is_(True))
    with sessions() as session:
        return [product_view(p) for p in session.scalars(query)]


def product_by_code(session: Session, code: str) -> Product:
    product = session.scalar(
        select(Product).where(Product.code == code.strip(), Product.deleted_at.is_(None))
    )
    if product is None or not product.active:
        raise RequestError(f"no active product with code {code!r}")
    return product


def price_list_named(session: Session, name: str) -> PriceList:
    found = session.scalar(
        select(PriceList).where(PriceList.name == name.strip(), PriceList.deleted_at.is_(None))
    )
    if found is None or not found.active:
        raise RequestError(f"no active price list named {name!r}")
    return found


def unit_price(
    session: Session,
    product: Product,
    quantity: Decimal,
    quote_currency: str,
    price_list: PriceList | None,
    on: date,
) -> int:
    """The unit price in minor units of ``quote_currency`` for ``quantity`` on ``on``.

    The list's rules that apply (the product's own, else its category's; minimum quantity
    reached; valid on the day) decide, the product's own before the category's, then the
    highest minimum quantity; a percentage off is taken from the standard price and rounded
    once to the minor unit, which is the unit price the quote shows and charges. Without a
    rule the standard price applies, when it is in the quote's currency (no conversion).
    """
    money = currency(quote_currency)
    standard = product.price_minor if product.currency == money.code else None
    if price_list is not None:
        rules = session.scalars(
            select(PriceRule).where(
                PriceRule.price_list_id == price_list.id,
                PriceRule.deleted_at.is_(None),
                or_(
                    PriceRule.product_id == product.id,
                    PriceRule.category == product.category if product.category else false(),
                ),
                PriceRule.min_quantity_milli <= to_steps(quantity, QUANTITY_STEP),
                or_(PriceRule.valid_from.is_(None), PriceRule.valid_from <= on),
                or_(PriceRule.valid_to.is_(None), PriceRule.valid_to >= on),
            )
        ).all()
        if rules:
            best = max(rules, key=lambda r: (r.product_id is not None, r.min_quantity_milli))
            if best.price_minor is not None:
                return best.price_minor
            if standard is not None and best.discount_bp is not None:
                off = from_steps(best.discount_bp, PERCENT_STEP)
                base = money.from_minor(standard)
                return money.to_minor(money.round(base * (100 - off) / 100))
    if standard is None:
        raise RequestError(
            f"product {product.code} has no price in {money.code} "
            f"(its standard price is in {product.currency}; choose a price list in {money.code})"
        )
    return standard
