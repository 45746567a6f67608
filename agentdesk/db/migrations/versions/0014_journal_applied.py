"""The desks' journals: the shared table of applied entry ids

``journal_applied`` holds the id of every journal entry the shared database has applied,
written in the same transaction as the change: a desk replaying an entry after a crash finds
its id and applies nothing. PostgreSQL: insert and read only, like the audit log; a desk reads
and writes its own user's rows, an administrator reads all.

Revision ID: 0014
Revises: 0013
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0014"
down_revision = "0013"
branch_labels = None
depends_on = None

MANAGE = "(SELECT agentdesk_has('manage_users'))"
OWNER = "(SELECT agentdesk_is_owner())"
MINE = "user_id = (SELECT agentdesk_uid())"


def upgrade() -> None:
    op.create_table(
        "journal_applied",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(length=40), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=True),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("applied_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_journal_applied_user_id_users")
        ),
        sa.PrimaryKeyConstraint("entry_id", name=op.f("pk_journal_applied")),
    )
    if op.get_bind().dialect.name != "postgresql":
        return
    for statement in (
        "ALTER TABLE journal_applied OWNER TO agentdesk_owner",
        "ALTER TABLE journal_applied ENABLE ROW LEVEL SECURITY",
        "ALTER TABLE journal_applied FORCE ROW LEVEL SECURITY",
        "GRANT SELECT ON journal_applied TO agentdesk_security",
        "GRANT SELECT, INSERT ON journal_applied TO agentdesk_desk",
        f"CREATE POLICY read ON journal_applied FOR SELECT USING ({OWNER} OR {MINE} OR {MANAGE})",
        f"CREATE POLICY append ON journal_applied FOR INSERT WITH CHECK ({OWNER} OR {MINE})",
    ):
        op.execute(statement)


def downgrade() -> None:
    op.drop_table("journal_applied")
