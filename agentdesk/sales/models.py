"""The sales module's tables: products, price lists, counters, quotes, orders (and lines).

Amounts are integer minor units of the row's currency, quantities thousandths and
percentages hundredths of a percent (``sales.money``): exact on SQLite, which has no decimal
type. ``opportunities`` stays in ``crm/models.py`` while the screen pop's history reads it.
"""

from __future__ import annotations

import uuid
from datetime import date, datetime

from sqlalchemy import (
    BigInteger,
    CheckConstraint,
    ForeignKey,
    Index,
    String,
    Text,
    UniqueConstraint,
    text,
)
from sqlalchemy.orm import Mapped, mapped_column

import agentdesk.crm.models  # noqa: F401  (accounts and contacts the quotes point at)
from agentdesk.db.base import Base, SharedRecord, UuidPk, str_enum
from agentdesk.sales.status import OrderStatus, QuoteStatus


class Product(SharedRecord, Base):
    __tablename__ = "products"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    name: Mapped[str] = mapped_column(String(200))
    unit: Mapped[str | None] = mapped_column(String(20))
    spec: Mapped[str | None] = mapped_column(String(200))
    category: Mapped[str | None] = mapped_column(String(100), index=True)
    currency: Mapped[str] = mapped_column(String(3))
    price_minor: Mapped[int] = mapped_column(BigInteger)
    tax_rate_bp: Mapped[int]
    """Hundredths of a percent: 13 % is 1300."""
    active: Mapped[bool] = mapped_column(default=True)


class PriceList(SharedRecord, Base):
    __tablename__ = "price_lists"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    currency: Mapped[str] = mapped_column(String(3))
    active: Mapped[bool] = mapped_column(default=True)


class PriceRule(SharedRecord, Base):
    """A product's or a category's price on a list: fixed, or a percentage off the standard
    price, from a minimum quantity, within validity dates (both inclusive, open when empty)."""

    __tablename__ = "price_rules"
    __table_args__ = (
        CheckConstraint("(product_id IS NULL) <> (category IS NULL)", name="one_target"),
        CheckConstraint("(price_minor IS NULL) <> (discount_bp IS NULL)", name="one_price"),
    )

    price_list_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("price_lists.id", ondelete="CASCADE"), index=True
    )
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"), index=True)
    category: Mapped[str | None] = mapped_column(String(100))
    price_minor: Mapped[int | None] = mapped_column(BigInteger)
    discount_bp: Mapped[int | None]
    min_quantity_milli: Mapped[int] = mapped_column(BigInteger, default=0)
    valid_from: Mapped[date | None]
    valid_to: Mapped[date | None]


class DocumentCounter(Base):
    """The last number given to a kind of document in a year; its row is locked by the
    transaction that takes the next number, so numbers have neither gaps nor duplicates."""

    __tablename__ = "document_counters"

    kind: Mapped[str] = mapped_column(String(10), primary_key=True)
    year: Mapped[int] = mapped_column(primary_key=True)
    last: Mapped[int] = mapped_column(default=0)


class Quote(SharedRecord, Base):
    """One revision of a quote; the revisions of a number share it."""

    __tablename__ = "quotes"
    __table_args__ = (UniqueConstraint("number", "revision", name="uq_quotes_number_revision"),)

    number: Mapped[str] = mapped_column(String(20))
    revision: Mapped[int] = mapped_column(default=1)
    status: Mapped[QuoteStatus] = mapped_column(
        str_enum(QuoteStatus, "quote_status"), default=QuoteStatus.DRAFT
    )
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"))
    price_list_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("price_lists.id"))
    currency: Mapped[str] = mapped_column(String(3))
    valid_until: Mapped[date | None]
    net_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    gross_minor: Mapped[int] = mapped_column(BigInteger)
    terms: Mapped[str | None] = mapped_column(Text)
    sent_at: Mapped[datetime | None]
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)


class PricedLine(UuidPk):
    """What a quote's and an order's lines hold (an order copies its quote's lines)."""

    position: Mapped[int]
    product_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("products.id"), index=True)
    code: Mapped[str] = mapped_column(String(40))
    description: Mapped[str] = mapped_column(String(300))
    unit: Mapped[str | None] = mapped_column(String(20))
    quantity_milli: Mapped[int] = mapped_column(BigInteger)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    discount_bp: Mapped[int]
    tax_rate_bp: Mapped[int]
    net_minor: Mapped[int] = mapped_column(BigInteger)


class QuoteLine(PricedLine, Base):
    __tablename__ = "quote_lines"
    __table_args__ = (UniqueConstraint("quote_id", "position", name="uq_quote_lines_position"),)

    quote_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("quotes.id", ondelete="CASCADE"))


ONE_ORDER_PER_QUOTE = "quote_id IS NOT NULL AND status <> 'cancelled'"


class Order(SharedRecord, Base):
    """A sales order: from an accepted quote (its lines copied) or entered directly."""

    __tablename__ = "orders"
    # One live order per quote revision, also when two desks make it at once (migration 0021);
    # a cancelled order gives its quote back.
    __table_args__ = (
        Index(
            "uq_orders_quote_id",
            "quote_id",
            unique=True,
            sqlite_where=text(ONE_ORDER_PER_QUOTE),
            postgresql_where=text(ONE_ORDER_PER_QUOTE),
        ),
    )

    number: Mapped[str] = mapped_column(String(20), unique=True)
    status: Mapped[OrderStatus] = mapped_column(
        str_enum(OrderStatus, "order_status"), default=OrderStatus.DRAFT
    )
    quote_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("quotes.id"), index=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"))
    currency: Mapped[str] = mapped_column(String(3))
    net_minor: Mapped[int] = mapped_column(BigInteger)
    tax_minor: Mapped[int] = mapped_column(BigInteger)
    gross_minor: Mapped[int] = mapped_column(BigInteger)
    delivery_date: Mapped[date | None]
    payment_terms: Mapped[str | None] = mapped_column(Text)
    reject_reason: Mapped[str | None] = mapped_column(Text)
    approved_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    approved_at: Mapped[datetime | None]
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)


class OrderLine(PricedLine, Base):
    __tablename__ = "order_lines"
    __table_args__ = (UniqueConstraint("order_id", "position", name="uq_order_lines_position"),)

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))


class ApprovalLimit(Base):
    """Orders of this currency whose gross is below ``below_minor`` approve themselves on
    submission; without a row every order needs a sales manager's approval."""

    __tablename__ = "order_approval_limits"

    currency: Mapped[str] = mapped_column(String(3), primary_key=True)
    below_minor: Mapped[int] = mapped_column(BigInteger)


class StageChange(UuidPk, Base):
    """One move of an opportunity between stages (or its creation, ``from_stage`` empty):
    who, when, and the probability override it had then; time in stage and stage-to-stage
    conversion are read from these rows."""

    __tablename__ = "opportunity_stage_changes"

    opportunity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE"), index=True
    )
    from_stage: Mapped[str | None] = mapped_column(String(20))
    to_stage: Mapped[str] = mapped_column(String(20))
    probability: Mapped[int | None]
    changed_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    changed_at: Mapped[datetime]


class OpportunityLine(UuidPk, Base):
    """A product on an opportunity: the amount can come from these lines, and they give the
    forecast by product category. Net in minor units of the opportunity's currency."""

    __tablename__ = "opportunity_lines"
    __table_args__ = (
        UniqueConstraint("opportunity_id", "position", name="uq_opportunity_lines_position"),
    )

    opportunity_id: Mapped[uuid.UUID] = mapped_column(
        ForeignKey("opportunities.id", ondelete="CASCADE")
    )
    position: Mapped[int]
    product_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("products.id"), index=True)
    quantity_milli: Mapped[int] = mapped_column(BigInteger)
    unit_price_minor: Mapped[int] = mapped_column(BigInteger)
    discount_bp: Mapped[int]
    net_minor: Mapped[int] = mapped_column(BigInteger)


class LeadConversion(Base):
    """What a converted lead became (migration 0021). The lead is its primary key, so a lead is
    converted once, also when two desks convert it at the same moment; rows are never changed."""

    __tablename__ = "lead_conversions"

    lead_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("leads.id"), primary_key=True)
    account_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("contacts.id"), index=True)
    opportunity_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("opportunities.id"), index=True)
    converted_by_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    converted_at: Mapped[datetime]


class OrderInstalment(UuidPk, Base):
    """One instalment of an order's payment plan (migration 0021): the amounts of a plan sum
    exactly to the order's gross; ``percent_bp`` keeps a share as it was typed (hundredths of a
    percent), ``None`` for an amount typed as such."""

    __tablename__ = "order_instalments"
    __table_args__ = (
        UniqueConstraint("order_id", "position", name="uq_order_instalments_position"),
    )

    order_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("orders.id", ondelete="CASCADE"))
    position: Mapped[int]
    due_date: Mapped[date]
    amount_minor: Mapped[int] = mapped_column(BigInteger)
    percent_bp: Mapped[int | None]
