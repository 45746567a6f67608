"""service levels: policies by priority, category and customer; a case keeps its targets

1. ``service_sla_policies``: first-response and resolution targets in business minutes for
   the cases matching an optional priority, category and customer (account); ``match_key``
   (unique) holds one policy per combination. Configuration: every desk reads it, a user
   manager writes it (PostgreSQL row-level security, like the CONFIG tables of 0009).
2. ``service_cases`` records the policy whose targets its due times were counted from
   (``sla_policy_id``, no foreign key: a removed policy leaves its cases as they were) and
   those targets' minutes; existing cases get their priority's defaults (the targets their
   due times were counted from), so a later change of priority counts from what they had.
3. ``service_notifications.reason``: why a case was escalated (``first_response_near``,
   ``resolution_breached``...), for the desk to word in its language.
4. PostgreSQL: ``NOTIFY agentdesk_cases`` when a statement changed cases or notices (once per
   statement, none for a statement that changed nothing but ``updated_at``), so the case desk
   and the desk's escalations list are told instead of asking in a loop.

Revision ID: 0025
Revises: 0027
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0025"
down_revision = "0027"
branch_labels = None
depends_on = None

TABLE = "service_sla_policies"
DEFAULT_MINUTES = {
    "urgent": (60, 240),
    "high": (120, 480),
    "normal": (240, 1440),
    "low": (480, 2400),
}
"""``domain.cases.DEFAULT_TARGETS`` as they were at this revision (first response, resolution)."""
CASE_COLUMNS = (
    ("sla_policy_id", sa.Uuid()),
    ("first_response_minutes", sa.Integer()),
    ("resolution_minutes", sa.Integer()),
)
MANAGE = "((SELECT agentdesk_has('manage_users')))"
NOTIFY_SQL = """
CREATE FUNCTION agentdesk_cases_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  IF TG_OP = 'UPDATE' THEN
    -- updated_at aside: the escalation pass locks a case by setting a column to itself
    IF NOT EXISTS (
      SELECT 1 FROM new_rows n JOIN old_rows o USING (id)
      WHERE to_jsonb(n) - 'updated_at' IS DISTINCT FROM to_jsonb(o) - 'updated_at'
    ) THEN
      RETURN NULL;
    END IF;
  ELSIF TG_OP = 'INSERT' THEN
    IF NOT EXISTS (SELECT 1 FROM new_rows) THEN
      RETURN NULL;
    END IF;
  ELSIF NOT EXISTS (SELECT 1 FROM old_rows) THEN
    RETURN NULL;
  END IF;
  PERFORM pg_notify('agentdesk_cases', TG_TABLE_NAME);
  RETURN NULL;
END
$$
"""
TRIGGERS = (
    ("cases_changed", "service_cases"),
    ("notices_changed", "service_notifications"),
)
EVENTS = (
    ("insert", "INSERT", "NEW TABLE AS new_rows"),
    ("update", "UPDATE", "OLD TABLE AS old_rows NEW TABLE AS new_rows"),
    ("delete", "DELETE", "OLD TABLE AS old_rows"),
)
"""A trigger per event: PostgreSQL gives transition tables (the rows a statement changed, so
a statement that changed none notifies nobody) only to a trigger of one event."""


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("match_key", sa.String(200), nullable=False),
        sa.Column("priority", sa.String(20), nullable=True),
        sa.Column("category", sa.String(100), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("first_response_minutes", sa.Integer(), nullable=False),
        sa.Column("resolution_minutes", sa.Integer(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"],
            ["accounts.id"],
            name=op.f("fk_service_sla_policies_account_id_accounts"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_sla_policies")),
        sa.UniqueConstraint("match_key", name=op.f("uq_service_sla_policies_match_key")),
    )
    op.create_index("ix_service_sla_policies_account_id", TABLE, ["account_id"])
    for name, kind in CASE_COLUMNS:
        op.add_column("service_cases", sa.Column(name, kind, nullable=True))
    op.add_column("service_notifications", sa.Column("reason", sa.String(40), nullable=True))
    _fill_targets()
    if op.get_bind().dialect.name == "postgresql":
        _secure()
        op.execute(NOTIFY_SQL)
        op.execute("ALTER FUNCTION agentdesk_cases_changed() OWNER TO agentdesk_owner")
        for trigger, table in TRIGGERS:
            for suffix, event, rows in EVENTS:
                op.execute(
                    f"CREATE TRIGGER {trigger}_{suffix} AFTER {event} ON {table} "
                    f"REFERENCING {rows} FOR EACH STATEMENT "
                    "EXECUTE FUNCTION agentdesk_cases_changed()"
                )


def _fill_targets() -> None:
    """Every existing case's targets: its priority's defaults (normal's for an unknown one)."""
    first = " ".join(f"WHEN '{p}' THEN {f}" for p, (f, _r) in DEFAULT_MINUTES.items())
    resolution = " ".join(f"WHEN '{p}' THEN {r}" for p, (_f, r) in DEFAULT_MINUTES.items())
    normal = DEFAULT_MINUTES["normal"]
    op.execute(
        f"UPDATE service_cases SET first_response_minutes = CASE priority {first} "
        f"ELSE {normal[0]} END, resolution_minutes = CASE priority {resolution} "
        f"ELSE {normal[1]} END"
    )


def _secure() -> None:
    op.execute(f"ALTER TABLE {TABLE} OWNER TO agentdesk_owner")
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON {TABLE} TO agentdesk_security")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {TABLE} TO agentdesk_desk")
    op.execute(f"CREATE POLICY read ON {TABLE} FOR SELECT USING (true)")
    op.execute(f"CREATE POLICY manage_insert ON {TABLE} FOR INSERT WITH CHECK ({MANAGE})")
    op.execute(
        f"CREATE POLICY manage_update ON {TABLE} FOR UPDATE USING ({MANAGE}) WITH CHECK ({MANAGE})"
    )
    op.execute(f"CREATE POLICY manage_delete ON {TABLE} FOR DELETE USING ({MANAGE})")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger, table in TRIGGERS:
            for suffix, _event, _rows in EVENTS:
                op.execute(f"DROP TRIGGER IF EXISTS {trigger}_{suffix} ON {table}")
        op.execute("DROP FUNCTION IF EXISTS agentdesk_cases_changed()")
    op.drop_column("service_notifications", "reason")
    for name, _kind in reversed(CASE_COLUMNS):
        op.drop_column("service_cases", name)
    op.drop_index("ix_service_sla_policies_account_id", table_name=TABLE)
    op.drop_table(TABLE)
