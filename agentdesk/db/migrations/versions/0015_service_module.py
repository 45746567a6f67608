"""service: numbered cases with service levels and team queues, business hours, escalation
notices and the knowledge base

1. ``service_cases`` gets its number (``CS-2026-00001``, given in order of creation to the
   cases that exist, per UTC year), team queue, channel, category, product, resolution,
   opening time, service-level due times, breach flags and escalation time; the statuses
   ``open`` and ``pending`` become ``in_progress`` and ``waiting_on_customer``.
2. ``service_case_counters`` (the last number per year), ``service_calendars`` (business
   hours), ``service_notifications`` (escalation notices for a desk), ``kb_articles`` with
   its search column: SQLite indexes the published ones in the FTS5 table ``kb_search``
   (kept by triggers), PostgreSQL in the generated column ``search_vector``
   (``to_tsvector('simple', search_terms)``) with a GIN index.
3. PostgreSQL: row-level security on the new tables; a case in a team's queue (no owner) is
   worked only by that team (``pool_update`` of ``service_cases``), and whoever reads cases
   reads them as before.

Revision ID: 0015
Revises: 0014
Create Date: 2026-12-05
"""

from __future__ import annotations

from typing import Any

import sqlalchemy as sa
from alembic import op

revision = "0015"
down_revision = "0014"
branch_labels = None
depends_on = None

CASE_COLUMNS: list[tuple[str, Any]] = [
    ("number", sa.String(20)),
    ("channel", sa.String(20)),
    ("category", sa.String(100)),
    ("product", sa.String(200)),
    ("resolution", sa.Text()),
    ("opened_at", sa.DateTime(timezone=True)),
    ("first_response_due", sa.DateTime(timezone=True)),
    ("first_responded_at", sa.DateTime(timezone=True)),
    ("resolved_at", sa.DateTime(timezone=True)),
    ("sla_paused_at", sa.DateTime(timezone=True)),
    ("escalated_at", sa.DateTime(timezone=True)),
]
FLAGS = ("first_response_breached", "resolution_breached")
STATUS_MAP = (("open", "in_progress"), ("pending", "waiting_on_customer"))
NEW_TABLES = ("service_case_counters", "service_calendars", "service_notifications", "kb_articles")

# SQLite's index holds the published articles only, so a search ranks in the index alone and
# reads just the rows it returns
_LISTED = "new.status = 'published' AND new.deleted_at IS NULL"
SQLITE_FTS = [
    "CREATE VIRTUAL TABLE kb_search USING fts5(article_id UNINDEXED, terms)",
    "CREATE TRIGGER kb_search_insert AFTER INSERT ON kb_articles WHEN "
    f"{_LISTED} BEGIN "
    "INSERT INTO kb_search (article_id, terms) VALUES (new.id, new.search_terms); END",
    # one trigger, so the old entry goes before the new one comes (SQLite fires several
    # triggers of one event in no promised order)
    "CREATE TRIGGER kb_search_update AFTER UPDATE ON kb_articles BEGIN "
    "DELETE FROM kb_search WHERE article_id = old.id; "
    "INSERT INTO kb_search (article_id, terms) SELECT new.id, new.search_terms "
    f"WHERE {_LISTED}; END",
    "CREATE TRIGGER kb_search_delete AFTER DELETE ON kb_articles BEGIN "
    "DELETE FROM kb_search WHERE article_id = old.id; END",
]

# Five digits at least, more past 99,999 cases in a year (lpad alone would cut them to five
# and number two cases alike), as service/numbering.py writes them.
NUMBERS_SQL = {
    "postgresql": """
UPDATE service_cases s
   SET number = 'CS-' || n.y || '-' || lpad(n.seq::text, greatest(5, length(n.seq::text)), '0')
  FROM (SELECT id, extract(year FROM created_at AT TIME ZONE 'UTC')::int AS y,
               row_number() OVER (PARTITION BY extract(year FROM created_at AT TIME ZONE 'UTC')
                                  ORDER BY created_at, id) AS seq
          FROM service_cases) n
 WHERE s.id = n.id
""",
    "sqlite": """
UPDATE service_cases SET number = (
  SELECT 'CS-' || n.y || '-' || printf('%05d', n.seq) FROM (
    SELECT id, strftime('%Y', created_at) AS y,
           row_number() OVER (PARTITION BY strftime('%Y', created_at)
                              ORDER BY created_at, id) AS seq
      FROM service_cases) n
   WHERE n.id = service_cases.id)
""",
}
COUNTERS_SQL = """
INSERT INTO service_case_counters (year, last)
SELECT CAST(substr(number, 4, 4) AS INTEGER), count(*) FROM service_cases
 GROUP BY substr(number, 4, 4)
"""

# PostgreSQL: the user's team, for the queue policies (owned by agentdesk_security like the
# helpers of revision 0009, so it reads users whatever the caller's own read depth; PL/pgSQL
# because a SQL function with SET options is planned again on every call).
TEAM_FUNCTION = """
CREATE FUNCTION agentdesk_team() RETURNS uuid LANGUAGE plpgsql STABLE SECURITY DEFINER
AS $$
BEGIN
  RETURN (SELECT team_id FROM users
           WHERE username = session_user AND active AND deleted_at IS NULL);
END
$$
"""
POOL = "owner_id IS NULL"
QUEUE = "owner_id IS NULL AND (team_id IS NULL OR team_id = (SELECT agentdesk_team()))"
MANAGE = "((SELECT agentdesk_has('manage_users')))"
CASES_WRITE = "(SELECT agentdesk_depth('cases', 'update')) <> 'none'"
CASES_CREATE = "(SELECT agentdesk_depth('cases', 'create')) <> 'none'"
KB_WRITE = f"(author_id = (SELECT agentdesk_uid()) OR {MANAGE})"


def _writes(name: str, table: str, using: str, check: str | None = None) -> list[str]:
    check = check or using
    return [
        f"CREATE POLICY {name}_insert ON {table} FOR INSERT WITH CHECK ({check})",
        f"CREATE POLICY {name}_update ON {table} FOR UPDATE USING ({using}) WITH CHECK ({check})",
        f"CREATE POLICY {name}_delete ON {table} FOR DELETE USING ({using})",
    ]


def _policies() -> list[str]:
    return [
        # numbers are taken by whoever may create a case; nobody deletes one
        f"CREATE POLICY read ON service_case_counters FOR SELECT USING ({CASES_CREATE})",
        "CREATE POLICY take_insert ON service_case_counters FOR INSERT "
        f"WITH CHECK ({CASES_CREATE})",
        "CREATE POLICY take_update ON service_case_counters FOR UPDATE "
        f"USING ({CASES_CREATE}) WITH CHECK ({CASES_CREATE})",
        # business hours: configuration (every desk reads it, a user manager replaces it)
        "CREATE POLICY read ON service_calendars FOR SELECT USING (true)",
        *_writes("manage", "service_calendars", MANAGE),
        # a desk reads its own notices; whoever works cases may notify (escalation)
        "CREATE POLICY read ON service_notifications FOR SELECT USING "
        f"(user_id = (SELECT agentdesk_uid()) OR {MANAGE})",
        f"CREATE POLICY notify ON service_notifications FOR INSERT WITH CHECK ({CASES_WRITE})",
        "CREATE POLICY mark_read ON service_notifications FOR UPDATE USING "
        "(user_id = (SELECT agentdesk_uid())) WITH CHECK (user_id = (SELECT agentdesk_uid()))",
        # articles: every desk reads the published ones and its own drafts
        f"CREATE POLICY read ON kb_articles FOR SELECT USING (status = 'published' OR {KB_WRITE})",
        *_writes("write", "kb_articles", KB_WRITE),
    ]


def _pool_update(expr: str) -> None:
    """Redefine the ``pool_update`` policy of ``service_cases`` keeping its grantees (the
    policy sync of revision 0009 finds it by name)."""
    roles = (
        op.get_bind()
        .exec_driver_sql(
            "SELECT array_to_string(roles, ', ') FROM pg_policies "
            "WHERE tablename = 'service_cases' AND policyname = 'pool_update'"
        )
        .scalar_one()
    )
    op.execute("DROP POLICY pool_update ON service_cases")
    # the new row may be anyone's queue or a claim (the owner policies check that one)
    op.execute(
        f"CREATE POLICY pool_update ON service_cases FOR UPDATE TO {roles} "
        f"USING ({expr}) WITH CHECK ({POOL})"
    )


def _add_case_columns(dialect: str) -> None:
    existing = {c["name"] for c in sa.inspect(op.get_bind()).get_columns("service_cases")}
    for name, kind in CASE_COLUMNS:
        op.add_column("service_cases", sa.Column(name, kind, nullable=True))
    for name in FLAGS:
        op.add_column(
            "service_cases",
            sa.Column(name, sa.Boolean(), nullable=False, server_default=sa.false()),
        )
    if "team_id" in existing:
        return  # an SQLite database downgraded from this revision keeps the column
    if dialect == "sqlite":
        # ADD COLUMN with REFERENCES: batch mode would rebuild service_cases, which calls
        # reference
        op.execute(
            "ALTER TABLE service_cases ADD COLUMN team_id CHAR(32) "
            "CONSTRAINT fk_service_cases_team_id_teams REFERENCES teams (id)"
        )
        return
    op.add_column("service_cases", sa.Column("team_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(
        op.f("fk_service_cases_team_id_teams"), "service_cases", "teams", ["team_id"], ["id"]
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    _add_case_columns(dialect)
    op.create_index("ix_service_cases_number", "service_cases", ["number"], unique=True)
    op.create_index("ix_service_cases_team_status", "service_cases", ["team_id", "status"])
    for old, new in STATUS_MAP:
        op.execute(f"UPDATE service_cases SET status = '{new}' WHERE status = '{old}'")
    op.execute("UPDATE service_cases SET opened_at = created_at")

    op.create_table(
        "service_case_counters",
        sa.Column("year", sa.Integer(), autoincrement=False, nullable=False),
        sa.Column("last", sa.Integer(), nullable=False),
        sa.PrimaryKeyConstraint("year", name=op.f("pk_service_case_counters")),
    )
    op.execute(NUMBERS_SQL[dialect])
    op.execute(COUNTERS_SQL)
    op.create_table(
        "service_calendars",
        sa.Column("name", sa.String(40), nullable=False),
        sa.Column("zone", sa.String(64), nullable=False),
        sa.Column("hours", sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.Column("holidays",
                  sa.JSON().with_variant(sa.dialects.postgresql.JSONB(), "postgresql"),
                  nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("name", name=op.f("pk_service_calendars")),
    )  # fmt: skip
    op.create_table(
        "service_notifications",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(40), nullable=False),
        sa.Column("message", sa.String(300), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("read_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["case_id"], ["service_cases.id"],
            name=op.f("fk_service_notifications_case_id_service_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_service_notifications_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_notifications")),
    )  # fmt: skip
    op.create_index("ix_service_notifications_case_id", "service_notifications", ["case_id"])
    op.create_index(
        "ix_service_notifications_user_created", "service_notifications",
        ["user_id", "created_at"],
    )  # fmt: skip
    op.create_table(
        "kb_articles",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("title", sa.String(300), nullable=False),
        sa.Column("body", sa.Text(), nullable=False),
        sa.Column("topic", sa.String(300), nullable=True),
        sa.Column("tags", sa.String(500), nullable=True),
        sa.Column("status", sa.String(20), nullable=False),
        sa.Column("revision", sa.Integer(), nullable=False),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("approver_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(500), nullable=True),
        sa.Column("search_terms", sa.Text(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_kb_articles_author_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["approver_id"], ["users.id"], name=op.f("fk_kb_articles_approver_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_kb_articles")),
    )
    op.create_index("ix_kb_articles_topic", "kb_articles", ["topic"])
    op.create_index("ix_kb_articles_source", "kb_articles", ["source"])
    if dialect == "sqlite":
        for statement in SQLITE_FTS:
            op.execute(statement)
        return
    # stored, so ranking reads each vector instead of parsing the text again per row
    op.execute(
        "ALTER TABLE kb_articles ADD COLUMN search_vector tsvector "
        "GENERATED ALWAYS AS (to_tsvector('simple', search_terms)) STORED"
    )
    op.execute("CREATE INDEX ix_kb_articles_search ON kb_articles USING gin (search_vector)")
    _secure()


def _secure() -> None:
    schema = op.get_bind().exec_driver_sql("SELECT current_schema()").scalar_one()
    op.execute(TEAM_FUNCTION)
    op.execute("ALTER FUNCTION agentdesk_team() OWNER TO agentdesk_security")
    op.execute(f"ALTER FUNCTION agentdesk_team() SET search_path = {schema}, pg_temp")
    for table in NEW_TABLES:
        op.execute(f"ALTER TABLE {table} OWNER TO agentdesk_owner")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"GRANT SELECT ON {table} TO agentdesk_security")
        op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {table} TO agentdesk_desk")
    for statement in _policies():
        op.execute(statement)
    _pool_update(QUEUE)


def downgrade() -> None:
    dialect = op.get_bind().dialect.name
    if dialect == "postgresql":
        _pool_update(POOL)
        op.execute("DROP FUNCTION IF EXISTS agentdesk_team()")
        op.execute("DROP INDEX IF EXISTS ix_kb_articles_search")
    else:
        for name in ("insert", "update", "delete"):
            op.execute(f"DROP TRIGGER IF EXISTS kb_search_{name}")
        op.execute("DROP TABLE IF EXISTS kb_search")
    op.drop_index("ix_kb_articles_source", table_name="kb_articles")
    op.drop_index("ix_kb_articles_topic", table_name="kb_articles")
    op.drop_table("kb_articles")
    op.drop_index("ix_service_notifications_user_created", table_name="service_notifications")
    op.drop_index("ix_service_notifications_case_id", table_name="service_notifications")
    op.drop_table("service_notifications")
    op.drop_table("service_calendars")
    op.drop_table("service_case_counters")
    for old, new in STATUS_MAP:
        op.execute(f"UPDATE service_cases SET status = '{old}' WHERE status = '{new}'")
    op.execute("UPDATE service_cases SET status = 'open' WHERE status = 'assigned'")
    op.drop_index("ix_service_cases_team_status", table_name="service_cases")
    op.drop_index("ix_service_cases_number", table_name="service_cases")
    for name in (*(n for n, _ in CASE_COLUMNS), *FLAGS):
        op.drop_column("service_cases", name)
    if dialect == "sqlite":
        # SQLite cannot drop a column with a foreign key without rebuilding service_cases,
        # which calls reference; the column stays, unused by the earlier version.
        return
    op.drop_constraint(op.f("fk_service_cases_team_id_teams"), "service_cases", type_="foreignkey")
    op.drop_column("service_cases", "team_id")
