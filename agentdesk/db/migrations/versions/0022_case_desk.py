"""service: the case desk's timeline, publishing articles as a capability, the case list's
index

1. ``service_case_entries``: a case's notes, the articles added to it and the ones marked as
   what solved it (append-only; calls point at their case themselves).
2. The capability ``publish_articles`` (supervisors and admins by default): an article becomes
   published only by a holder (the services check it; on PostgreSQL the ``kb_articles``
   write policies do too), instead of by any desk that writes one.
3. The case lists' indexes, partial on the open cases, in due order: all of them
   (``ix_service_cases_open_due``), one owner's (``..._owner_due``), one team's queue
   (``..._queue_due``): a list's first page is read from an index in its order instead of
   reading and sorting every open case (or every case of an owner, open or closed).
4. PostgreSQL: row-level security on the new table: every desk reads the timeline (as it
   reads cases), a desk writes entries under its own name only (the owner's connection and
   a user manager under anyone's), nobody changes or deletes one.

Revision ID: 0022
Revises: 0021
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0022"
down_revision = "0021"
branch_labels = None
depends_on = None

PUBLISHERS = ("supervisor", "admin")
LIST_INDEXES: list[tuple[str, list[str], str]] = [
    ("ix_service_cases_open_due", [], ""),
    ("ix_service_cases_owner_due", ["owner_id"], ""),
    ("ix_service_cases_queue_due", ["team_id"], " AND owner_id IS NULL"),
]
OPEN = "status IN ('new', 'assigned', 'in_progress', 'waiting_on_customer')"
UID = "(SELECT agentdesk_uid())"
MANAGE = "((SELECT agentdesk_has('manage_users')))"
PUBLISH = "((SELECT agentdesk_has('publish_articles')))"
KB_WRITE = f"(author_id = {UID} OR {MANAGE})"
# the new row of a write: a draft is its author's, a published article a publisher's
KB_CHECK = f"({KB_WRITE} AND (status <> 'published' OR {PUBLISH} OR {MANAGE}))"


def _kb_policies(check: str) -> None:
    for name in ("insert", "update"):
        op.execute(f"DROP POLICY IF EXISTS write_{name} ON kb_articles")
    op.execute(f"CREATE POLICY write_insert ON kb_articles FOR INSERT WITH CHECK ({check})")
    op.execute(
        f"CREATE POLICY write_update ON kb_articles FOR UPDATE USING ({KB_WRITE}) "
        f"WITH CHECK ({check})"
    )


def upgrade() -> None:
    dialect = op.get_bind().dialect.name
    op.create_table(
        "service_case_entries",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("case_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("body", sa.Text(), nullable=True),
        sa.Column("article_id", sa.Uuid(), nullable=True),
        sa.Column("author_id", sa.Uuid(), nullable=True),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["case_id"], ["service_cases.id"],
            name=op.f("fk_service_case_entries_case_id_service_cases"),
        ),
        sa.ForeignKeyConstraint(
            ["article_id"], ["kb_articles.id"],
            name=op.f("fk_service_case_entries_article_id_kb_articles"),
        ),
        sa.ForeignKeyConstraint(
            ["author_id"], ["users.id"], name=op.f("fk_service_case_entries_author_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_case_entries")),
    )  # fmt: skip
    op.create_index(
        "ix_service_case_entries_case_created", "service_case_entries", ["case_id", "created_at"]
    )
    for name, columns, extra in LIST_INDEXES:
        where = sa.text(f"{OPEN} AND deleted_at IS NULL{extra}")
        op.create_index(
            name, "service_cases", [*columns, "due_at", "number"],
            sqlite_where=where, postgresql_where=where,
        )  # fmt: skip
    op.execute(
        "INSERT INTO org_capabilities (role, capability) VALUES "
        + ", ".join(f"('{role}', 'publish_articles')" for role in PUBLISHERS)
        + " ON CONFLICT DO NOTHING"
    )
    if dialect != "postgresql":
        return
    table = "service_case_entries"
    op.execute(f"ALTER TABLE {table} OWNER TO agentdesk_owner")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT ON {table} TO agentdesk_security")
    op.execute(f"GRANT SELECT, INSERT ON {table} TO agentdesk_desk")
    op.execute(
        f"CREATE POLICY read ON {table} FOR SELECT USING "
        "((SELECT agentdesk_depth('cases', 'read')) <> 'none')"
    )
    op.execute(
        f"CREATE POLICY write_own ON {table} FOR INSERT WITH CHECK "
        f"((author_id = {UID} OR {MANAGE}) "
        "AND (SELECT agentdesk_depth('cases', 'update')) <> 'none')"
    )
    _kb_policies(KB_CHECK)


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        _kb_policies(KB_WRITE)
    op.execute("DELETE FROM org_capabilities WHERE capability = 'publish_articles'")
    for name, _, _ in LIST_INDEXES:
        op.drop_index(name, table_name="service_cases")
    op.drop_index("ix_service_case_entries_case_created", table_name="service_case_entries")
    op.drop_table("service_case_entries")
