"""Leads converted and disqualified, orders' payment plans, one order per quote, the pipeline's
indexes

- ``lead_conversions``: what a converted lead became (account, contact, opportunity); the lead
  is the primary key, so a lead is converted once even when two desks try at the same moment.
  ``leads.disqualified_reason`` keeps why a lead was dropped.
- ``order_instalments``: an order's payment plan (due date, amount, the percentage typed).
- ``uq_orders_quote_id``: a quote revision becomes one live order (a cancelled one aside); the
  services refuse a second, this refuses it under a race.
- ``opportunities.won_at``: when a deal was last moved into won (from the stage history,
  filled here for the deals won before), kept by the sales service with the history;
- the pipeline's page indexes on ``opportunities`` and the forecast's covering indexes of them
  (a year's deals; the deals won in a period): ``sales/pipeline.py``, ``sales/forecast.py``.

PostgreSQL: both new tables are owned by ``agentdesk_owner`` with row-level security enabled
and forced. A conversion is seen with its lead and written once by whoever may update the lead
(no update or delete policy: it is never changed); an instalment follows its order like an
order line (written while the order is the rep's to change, or by an approver). A trigger keeps
a converted lead converted and refuses ``converted`` without its conversion row.

Revision ID: 0021
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0021"
down_revision = "0020"
branch_labels = None
depends_on = None

ONE_ORDER_PER_QUOTE = "quote_id IS NOT NULL AND status <> 'cancelled'"
NEW_TABLES = ("lead_conversions", "order_instalments")
OPPORTUNITY_INDEXES = (
    ("ix_opportunities_stage_close_owner", ["stage", "close_date", "id", "owner_id"]),
    ("ix_opportunities_owner_stage_close", ["owner_id", "stage", "close_date", "id"]),
    ("ix_opportunities_close_owner", ["close_date", "id", "owner_id"]),
)
WON_COLUMNS = ("currency", "stage", "won_at", "owner_id", "amount", "deleted_at")
BACKFILL_WON = (
    "UPDATE opportunities SET won_at = (SELECT max(c.changed_at) FROM opportunity_stage_changes c "
    "WHERE c.opportunity_id = opportunities.id AND c.to_stage = 'closed_won') "
    "WHERE stage = 'closed_won'"
)
FORECAST_COLUMNS = ("currency", "close_date", "stage", "owner_id", "probability", "amount")
"""The forecast's covering index: a year of opportunities read without their table rows."""
APPROVE = "(SELECT agentdesk_has('approve_orders'))"
ORDER_OPEN = f"(p.status IN ('draft', 'rejected') OR {APPROVE})"
LEAD_SEEN = "EXISTS (SELECT 1 FROM leads p WHERE p.id = lead_conversions.lead_id)"
LEAD_WRITE = (
    "EXISTS (SELECT 1 FROM leads p WHERE p.id = lead_conversions.lead_id "
    "AND agentdesk_can('leads', 'update', p.owner_id, p.id))"
)
ORDER_SEEN = "EXISTS (SELECT 1 FROM orders p WHERE p.id = order_instalments.order_id)"
ORDER_WRITE = (
    "EXISTS (SELECT 1 FROM orders p WHERE p.id = order_instalments.order_id "
    f"AND agentdesk_can('orders', 'update', p.owner_id, p.id) AND {ORDER_OPEN})"
)
POLICIES = (
    f"CREATE POLICY follow_read ON lead_conversions FOR SELECT USING ({LEAD_SEEN})",
    f"CREATE POLICY follow_insert ON lead_conversions FOR INSERT WITH CHECK ({LEAD_WRITE})",
    f"CREATE POLICY follow_read ON order_instalments FOR SELECT USING ({ORDER_SEEN})",
    f"CREATE POLICY follow_insert ON order_instalments FOR INSERT WITH CHECK ({ORDER_WRITE})",
    f"CREATE POLICY follow_update ON order_instalments FOR UPDATE USING ({ORDER_WRITE}) "
    f"WITH CHECK ({ORDER_WRITE})",
    f"CREATE POLICY follow_delete ON order_instalments FOR DELETE USING ({ORDER_WRITE})",
)
GUARD_LEAD = """
CREATE FUNCTION agentdesk_guard_lead() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF agentdesk_is_owner() THEN
    RETURN NEW;
  END IF;
  IF OLD.status = 'converted' AND NEW.status <> 'converted' THEN
    RAISE EXCEPTION 'agentdesk: a converted lead stays converted' USING ERRCODE = '42501';
  END IF;
  IF NEW.status = 'converted' AND OLD.status <> 'converted'
     AND NOT EXISTS (SELECT 1 FROM lead_conversions c WHERE c.lead_id = NEW.id) THEN
    RAISE EXCEPTION 'agentdesk: a lead is converted by its conversion' USING ERRCODE = '42501';
  END IF;
  RETURN NEW;
END
$$;
"""


def _tables() -> None:
    op.create_table(
        "lead_conversions",
        sa.Column("lead_id", sa.Uuid(), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=False),
        sa.Column("opportunity_id", sa.Uuid(), nullable=False),
        sa.Column("converted_by_id", sa.Uuid(), nullable=True),
        sa.Column("converted_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_lead_conversions_lead_id_leads")
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_lead_conversions_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_lead_conversions_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_lead_conversions_opportunity_id_opportunities"),
        ),
        sa.ForeignKeyConstraint(
            ["converted_by_id"],
            ["users.id"],
            name=op.f("fk_lead_conversions_converted_by_id_users"),
        ),
        sa.PrimaryKeyConstraint("lead_id", name=op.f("pk_lead_conversions")),
    )
    for column in ("account_id", "contact_id", "opportunity_id"):
        op.create_index(op.f(f"ix_lead_conversions_{column}"), "lead_conversions", [column])
    op.create_table(
        "order_instalments",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("due_date", sa.Date(), nullable=False),
        sa.Column("amount_minor", sa.BigInteger(), nullable=False),
        sa.Column("percent_bp", sa.Integer(), nullable=True),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_instalments_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_instalments")),
        sa.UniqueConstraint("order_id", "position", name="uq_order_instalments_position"),
    )


def _refuse_duplicate_orders() -> None:
    """A desk that already made two live orders of one quote must cancel one first: which one
    is the customer's order is not for a migration to guess."""
    rows = op.get_bind().execute(
        sa.text(
            f"SELECT number FROM orders WHERE {ONE_ORDER_PER_QUOTE} AND quote_id IN "
            f"(SELECT quote_id FROM orders WHERE {ONE_ORDER_PER_QUOTE} "
            "GROUP BY quote_id HAVING count(*) > 1) ORDER BY number"
        )
    )
    numbers = [number for (number,) in rows]
    if numbers:
        raise RuntimeError(
            "these orders share a quote; cancel all but one, then upgrade again: "
            + ", ".join(numbers)
        )


def upgrade() -> None:
    _tables()
    op.add_column("leads", sa.Column("disqualified_reason", sa.Text(), nullable=True))
    op.add_column("opportunities", sa.Column("won_at", sa.DateTime(timezone=True), nullable=True))
    op.execute(BACKFILL_WON)
    op.create_index("ix_opportunities_won", "opportunities", list(WON_COLUMNS))
    _refuse_duplicate_orders()
    where = sa.text(ONE_ORDER_PER_QUOTE)
    op.create_index(
        "uq_orders_quote_id",
        "orders",
        ["quote_id"],
        unique=True,
        sqlite_where=where,
        postgresql_where=where,
    )
    for name, columns in OPPORTUNITY_INDEXES:
        op.create_index(name, "opportunities", columns)
    live = sa.text("deleted_at IS NULL")
    op.create_index(
        "ix_opportunities_forecast",
        "opportunities",
        list(FORECAST_COLUMNS),
        sqlite_where=live,
        postgresql_where=live,
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in NEW_TABLES:
        op.execute(f"ALTER TABLE {table} OWNER TO agentdesk_owner")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"GRANT SELECT ON {table} TO agentdesk_security")
    op.execute("GRANT SELECT, INSERT ON lead_conversions TO agentdesk_desk")
    op.execute("GRANT SELECT, INSERT, UPDATE, DELETE ON order_instalments TO agentdesk_desk")
    for statement in POLICIES:
        op.execute(statement)
    op.execute(GUARD_LEAD)
    op.execute("ALTER FUNCTION agentdesk_guard_lead() OWNER TO agentdesk_owner")
    op.execute(
        "CREATE TRIGGER guard_lead BEFORE UPDATE ON leads "
        "FOR EACH ROW EXECUTE FUNCTION agentdesk_guard_lead()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS guard_lead ON leads")
        op.execute("DROP FUNCTION IF EXISTS agentdesk_guard_lead()")
    op.drop_index("ix_opportunities_forecast", "opportunities")
    op.drop_index("ix_opportunities_won", "opportunities")
    op.drop_column("opportunities", "won_at")
    for name, _columns in OPPORTUNITY_INDEXES:
        op.drop_index(name, "opportunities")
    op.drop_index("uq_orders_quote_id", "orders")
    op.drop_column("leads", "disqualified_reason")
    op.drop_table("order_instalments")
    for column in ("account_id", "contact_id", "opportunity_id"):
        op.drop_index(op.f(f"ix_lead_conversions_{column}"), "lead_conversions")
    op.drop_table("lead_conversions")
