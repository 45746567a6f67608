"""sales: products, price lists, document counters, quotes, orders and their lines

Amounts are integer minor units, quantities thousandths, percentages hundredths of a percent
(``sales/money.py``). On PostgreSQL every new table gets row-level security: quotes belong to
their owner like the other owned records (record kind ``quotes``), their lines follow the
quote, the catalogue (products, price lists, price rules) is read by every desk and written
by a user manager, and every desk takes document numbers (the counter row, locked by the
transaction that takes a number). Orders belong to their owner too, and once submitted only a
holder of ``approve_orders`` changes them or their lines; an order becomes approved only by
such a holder or below the admin's limit (``order_approval_limits``). An admin's
change of a stage's place or default probability is configuration (``opportunity_stages``;
the defaults live in ``sales/opportunities.py``); stage changes are appended to a history
that follows the opportunity, and an opportunity's product lines follow it too. SQLite: the
tables.

Revision ID: 0016
Revises: 0015
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0016"
down_revision = "0015"
branch_labels = None
depends_on = None

CATALOGUE = (
    "products",
    "price_lists",
    "price_rules",
    "order_approval_limits",
    "opportunity_stages",
)
HISTORY = "opportunity_stage_changes"  # appended to, never changed
TABLES = (
    *CATALOGUE,
    "document_counters",
    "quotes",
    "quote_lines",
    "orders",
    "order_lines",
    "opportunity_lines",
)
APPROVE = "(SELECT agentdesk_has('approve_orders'))"
# An order is the rep's to change while a draft or rejected; submitted and later only an
# approver changes it (approved is "locked for the rep"). Nobody but an approver writes
# "approved", unless the gross is below the admin's limit for its currency (self-approval).
OPEN_ORDER = "status IN ('draft', 'rejected')"
MAY_APPROVE = (
    f"(status NOT IN ('approved', 'fulfilled') OR {APPROVE} OR gross_minor < "
    "(SELECT l.below_minor FROM order_approval_limits l WHERE l.currency = orders.currency))"
)
MANAGE = "((SELECT agentdesk_has('manage_users')))"


def _depth(kind: str, action: str) -> str:
    return f"(SELECT agentdesk_depth('{kind}', '{action}'))"


def _reach(kind: str, action: str, owner: str = "owner_id") -> str:
    """The rule of domain/access.py allows() for one action: depth all, a share (read and
    update), the common pool at any depth but none, the owner within the depth."""
    share = ""
    if action in ("read", "update"):
        write = "true" if action == "update" else "false"
        share = f" OR id = ANY ((SELECT agentdesk_shared('{kind}', {write}))::uuid[])"
    return (
        f"({_depth(kind, action)} = 'all'{share} OR ({owner} IS NULL AND "
        f"{_depth(kind, action)} <> 'none') OR "
        f"{owner} = ANY ((SELECT agentdesk_owners('{kind}', '{action}'))::uuid[]))"
    )


def _owned(table: str, kind: str, lock: str = "true", check: str = "true") -> list[str]:
    """Owned-record policies; ``lock`` further limits the rows an update may touch (as they
    were), ``check`` what an insert or update may write."""
    create = (
        f"{_depth(kind, 'create')} <> 'none' AND (owner_id IS NULL OR "
        "owner_id = (SELECT agentdesk_uid()) OR (SELECT agentdesk_has('reassign')))"
    )
    return [
        f"CREATE POLICY scope_read ON {table} FOR SELECT USING {_reach(kind, 'read')}",
        f"CREATE POLICY scope_update ON {table} FOR UPDATE "
        f"USING ({_reach(kind, 'update')} AND ({lock})) "
        f"WITH CHECK ({_reach(kind, 'update')} AND {check})",
        f"CREATE POLICY scope_delete ON {table} FOR DELETE USING {_reach(kind, 'delete')}",
        f"CREATE POLICY create_ ON {table} FOR INSERT WITH CHECK ({create} AND {check})",
        f"CREATE TRIGGER guard_owner BEFORE UPDATE ON {table} FOR EACH ROW "
        "EXECUTE FUNCTION agentdesk_guard_owner('owner_id')",
    ]


def _lines(table: str, parent: str, key: str, kind: str, lock: str = "true") -> list[str]:
    """A line follows its parent: seen when the parent is seen, written when the parent may
    be updated (the parent's own read policy applies inside the EXISTS)."""
    seen = f"EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {table}.{key})"
    write = (
        f"EXISTS (SELECT 1 FROM {parent} p WHERE p.id = {table}.{key} "
        f"AND agentdesk_can('{kind}', 'update', p.owner_id, p.id) AND ({lock}))"
    )
    return [
        f"CREATE POLICY follow_read ON {table} FOR SELECT USING ({seen})",
        f"CREATE POLICY follow_insert ON {table} FOR INSERT WITH CHECK ({write})",
        f"CREATE POLICY follow_update ON {table} FOR UPDATE USING ({write}) WITH CHECK ({write})",
        f"CREATE POLICY follow_delete ON {table} FOR DELETE USING ({write})",
    ]


def _policies() -> list[str]:
    sql: list[str] = []
    for table in CATALOGUE:
        sql += [
            f"CREATE POLICY read ON {table} FOR SELECT USING (true)",
            f"CREATE POLICY manage_insert ON {table} FOR INSERT WITH CHECK ({MANAGE})",
            f"CREATE POLICY manage_update ON {table} FOR UPDATE USING ({MANAGE}) "
            f"WITH CHECK ({MANAGE})",
            f"CREATE POLICY manage_delete ON {table} FOR DELETE USING ({MANAGE})",
        ]
    # numbers are no secret; every desk that may create a document takes the next one
    sql += [
        "CREATE POLICY read ON document_counters FOR SELECT USING (true)",
        "CREATE POLICY take_insert ON document_counters FOR INSERT WITH CHECK (true)",
        "CREATE POLICY take_update ON document_counters FOR UPDATE USING (true) WITH CHECK (true)",
    ]
    sql += _owned("quotes", "quotes")
    sql += _lines("quote_lines", "quotes", "quote_id", "quotes")
    sql += _owned("orders", "orders", f"{OPEN_ORDER} OR {APPROVE}", MAY_APPROVE)
    parent_open = f"p.{OPEN_ORDER} OR {APPROVE}"
    sql += _lines("order_lines", "orders", "order_id", "orders", parent_open)
    sql += _lines("opportunity_lines", "opportunities", "opportunity_id", "opportunities")
    # a stage change is seen with its opportunity and written by whoever may update it
    sql += [
        statement
        for statement in _lines(HISTORY, "opportunities", "opportunity_id", "opportunities")
        if " FOR SELECT " in statement or " FOR INSERT " in statement
    ]
    return sql


def upgrade() -> None:
    _tables()
    if op.get_bind().dialect.name != "postgresql":
        return
    for table in TABLES:
        op.execute(f"ALTER TABLE {table} OWNER TO agentdesk_owner")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"GRANT SELECT ON {table} TO agentdesk_security")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO agentdesk_desk")
    op.execute(f"ALTER TABLE {HISTORY} OWNER TO agentdesk_owner")
    op.execute(f"ALTER TABLE {HISTORY} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {HISTORY} FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON {HISTORY} TO agentdesk_security")
    op.execute(f"GRANT SELECT, INSERT ON {HISTORY} TO agentdesk_desk")
    for statement in _policies():
        op.execute(statement)


def downgrade() -> None:
    op.drop_index(op.f("ix_opportunity_lines_product_id"), table_name="opportunity_lines")
    op.drop_table("opportunity_lines")
    op.drop_index(op.f("ix_opportunity_stage_changes_opportunity_id"), table_name=HISTORY)
    op.drop_table(HISTORY)
    op.drop_table("opportunity_stages")
    op.drop_index(op.f("ix_order_lines_product_id"), table_name="order_lines")
    op.drop_table("order_lines")
    for column in ("quote_id", "owner_id", "account_id"):
        op.drop_index(op.f(f"ix_orders_{column}"), table_name="orders")
    op.drop_table("orders")
    op.drop_table("order_approval_limits")
    op.drop_index(op.f("ix_quote_lines_product_id"), table_name="quote_lines")
    op.drop_table("quote_lines")
    op.drop_index(op.f("ix_quotes_owner_id"), table_name="quotes")
    op.drop_index(op.f("ix_quotes_account_id"), table_name="quotes")
    op.drop_table("quotes")
    op.drop_index(op.f("ix_price_rules_product_id"), table_name="price_rules")
    op.drop_index(op.f("ix_price_rules_price_list_id"), table_name="price_rules")
    op.drop_table("price_rules")
    op.drop_index(op.f("ix_products_category"), table_name="products")
    op.drop_table("products")
    op.drop_table("price_lists")
    op.drop_table("document_counters")


def _tables() -> None:
    op.create_table(
        "document_counters",
        sa.Column("kind", sa.String(length=10), nullable=False),
        sa.Column("year", sa.Integer(), nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("kind", "year", name=op.f("pk_document_counters")),
    )
    op.create_table(
        "price_lists",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_lists")),
        sa.UniqueConstraint("name", name=op.f("uq_price_lists_name")),
    )
    op.create_table(
        "products",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("spec", sa.String(length=200), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("price_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_products")),
        sa.UniqueConstraint("code", name=op.f("uq_products_code")),
    )
    op.create_index(op.f("ix_products_category"), "products", ["category"], unique=False)
    op.create_table(
        "price_rules",
        sa.Column("price_list_id", sa.Uuid(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("category", sa.String(length=100), nullable=True),
        sa.Column("price_minor", sa.BigInteger(), nullable=True),
        sa.Column("discount_bp", sa.Integer(), nullable=True),
        sa.Column("min_quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("valid_from", sa.Date(), nullable=True),
        sa.Column("valid_to", sa.Date(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(price_minor IS NULL) <> (discount_bp IS NULL)", name=op.f("ck_price_rules_one_price")
        ),
        sa.CheckConstraint(
            "(product_id IS NULL) <> (category IS NULL)", name=op.f("ck_price_rules_one_target")
        ),
        sa.ForeignKeyConstraint(
            ["price_list_id"],
            ["price_lists.id"],
            name=op.f("fk_price_rules_price_list_id_price_lists"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_price_rules_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_price_rules")),
    )
    op.create_index(
        op.f("ix_price_rules_price_list_id"), "price_rules", ["price_list_id"], unique=False
    )
    op.create_index(op.f("ix_price_rules_product_id"), "price_rules", ["product_id"], unique=False)
    op.create_table(
        "quotes",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "sent",
                "accepted",
                "rejected",
                "expired",
                name="quote_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("price_list_id", sa.Uuid(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("valid_until", sa.Date(), nullable=True),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("gross_minor", sa.BigInteger(), nullable=False),
        sa.Column("terms", sa.Text(), nullable=True),
        sa.Column("sent_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_quotes_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_quotes_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_quotes_owner_id_users")),
        sa.ForeignKeyConstraint(
            ["price_list_id"], ["price_lists.id"], name=op.f("fk_quotes_price_list_id_price_lists")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quotes")),
        sa.UniqueConstraint("number", "revision", name="uq_quotes_number_revision"),
    )
    op.create_index(op.f("ix_quotes_account_id"), "quotes", ["account_id"], unique=False)
    op.create_index(op.f("ix_quotes_owner_id"), "quotes", ["owner_id"], unique=False)
    op.create_table(
        "quote_lines",
        sa.Column("quote_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_bp", sa.Integer(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_quote_lines_product_id_products")
        ),
        sa.ForeignKeyConstraint(
            ["quote_id"],
            ["quotes.id"],
            name=op.f("fk_quote_lines_quote_id_quotes"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_quote_lines")),
        sa.UniqueConstraint("quote_id", "position", name="uq_quote_lines_position"),
    )
    op.create_index(op.f("ix_quote_lines_product_id"), "quote_lines", ["product_id"], unique=False)
    op.create_table(
        "order_approval_limits",
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("below_minor", sa.BigInteger(), nullable=False),
        sa.PrimaryKeyConstraint("currency", name=op.f("pk_order_approval_limits")),
    )
    op.create_table(
        "orders",
        sa.Column("number", sa.String(length=20), nullable=False),
        sa.Column(
            "status",
            sa.Enum(
                "draft",
                "submitted",
                "approved",
                "rejected",
                "fulfilled",
                "cancelled",
                name="order_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("quote_id", sa.Uuid(), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("tax_minor", sa.BigInteger(), nullable=False),
        sa.Column("gross_minor", sa.BigInteger(), nullable=False),
        sa.Column("delivery_date", sa.Date(), nullable=True),
        sa.Column("payment_terms", sa.Text(), nullable=True),
        sa.Column("reject_reason", sa.Text(), nullable=True),
        sa.Column("approved_by_id", sa.Uuid(), nullable=True),
        sa.Column("approved_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_orders_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["approved_by_id"], ["users.id"], name=op.f("fk_orders_approved_by_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_orders_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_orders_owner_id_users")),
        sa.ForeignKeyConstraint(
            ["quote_id"], ["quotes.id"], name=op.f("fk_orders_quote_id_quotes")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_orders")),
        sa.UniqueConstraint("number", name=op.f("uq_orders_number")),
    )
    op.create_index(op.f("ix_orders_account_id"), "orders", ["account_id"], unique=False)
    op.create_index(op.f("ix_orders_owner_id"), "orders", ["owner_id"], unique=False)
    op.create_index(op.f("ix_orders_quote_id"), "orders", ["quote_id"], unique=False)
    op.create_table(
        "order_lines",
        sa.Column("order_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=True),
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("description", sa.String(length=300), nullable=False),
        sa.Column("unit", sa.String(length=20), nullable=True),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_bp", sa.Integer(), nullable=False),
        sa.Column("tax_rate_bp", sa.Integer(), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["order_id"],
            ["orders.id"],
            name=op.f("fk_order_lines_order_id_orders"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_order_lines_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_order_lines")),
        sa.UniqueConstraint("order_id", "position", name="uq_order_lines_position"),
    )
    op.create_index(op.f("ix_order_lines_product_id"), "order_lines", ["product_id"], unique=False)
    op.create_table(
        "opportunity_stages",
        sa.Column(
            "stage",
            sa.Enum(
                "prospecting",
                "qualification",
                "proposal",
                "negotiation",
                "closed_won",
                "closed_lost",
                name="opportunity_stage",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("probability", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("stage", name=op.f("pk_opportunity_stages")),
    )
    op.create_table(
        "opportunity_stage_changes",
        sa.Column("opportunity_id", sa.Uuid(), nullable=False),
        sa.Column(
            "from_stage",
            sa.Enum(
                "prospecting",
                "qualification",
                "proposal",
                "negotiation",
                "closed_won",
                "closed_lost",
                name="opportunity_stage",
                native_enum=False,
                length=20,
            ),
            nullable=True,
        ),
        sa.Column(
            "to_stage",
            sa.Enum(
                "prospecting",
                "qualification",
                "proposal",
                "negotiation",
                "closed_won",
                "closed_lost",
                name="opportunity_stage",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("probability", sa.Integer(), nullable=True),
        sa.Column("changed_by_id", sa.Uuid(), nullable=True),
        sa.Column("changed_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["changed_by_id"],
            ["users.id"],
            name=op.f("fk_opportunity_stage_changes_changed_by_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_opportunity_stage_changes_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_stage_changes")),
    )
    op.create_index(
        op.f("ix_opportunity_stage_changes_opportunity_id"),
        "opportunity_stage_changes",
        ["opportunity_id"],
        unique=False,
    )
    op.create_table(
        "opportunity_lines",
        sa.Column("opportunity_id", sa.Uuid(), nullable=False),
        sa.Column("position", sa.Integer(), nullable=False),
        sa.Column("product_id", sa.Uuid(), nullable=False),
        sa.Column("quantity_milli", sa.BigInteger(), nullable=False),
        sa.Column("unit_price_minor", sa.BigInteger(), nullable=False),
        sa.Column("discount_bp", sa.Integer(), nullable=False),
        sa.Column("net_minor", sa.BigInteger(), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_opportunity_lines_opportunity_id_opportunities"),
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["product_id"], ["products.id"], name=op.f("fk_opportunity_lines_product_id_products")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunity_lines")),
        sa.UniqueConstraint("opportunity_id", "position", name="uq_opportunity_lines_position"),
    )
    op.create_index(
        op.f("ix_opportunity_lines_product_id"), "opportunity_lines", ["product_id"], unique=False
    )
