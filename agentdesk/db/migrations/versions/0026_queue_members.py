"""queue members: who serves a queue (an agent, or a team's agents)

Configuration like ``queues`` (0020): every desk reads it, a user manager (``manage_users``)
writes it. The board counts the members' presence per queue tile; a ``--team`` queue or
hourly report reads the queues a team's agents serve.

Revision ID: 0026
Revises: 0024
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0026"
down_revision = "0024"
branch_labels = None
depends_on = None

TABLE = "queue_members"
MANAGE = "((SELECT agentdesk_has('manage_users')))"


def upgrade() -> None:
    op.create_table(
        TABLE,
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("queue_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.ForeignKeyConstraint(
            ["queue_id"], ["queues.id"], name="fk_queue_members_queue_id_queues",
            ondelete="CASCADE",
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name="fk_queue_members_user_id_users", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name="fk_queue_members_team_id_teams", ondelete="CASCADE"
        ),
        sa.CheckConstraint(
            "(user_id IS NULL) <> (team_id IS NULL)", name="ck_queue_members_one_member"
        ),
        sa.PrimaryKeyConstraint("id", name="pk_queue_members"),
        sa.UniqueConstraint("queue_id", "user_id", name="uq_queue_members_queue_user"),
        sa.UniqueConstraint("queue_id", "team_id", name="uq_queue_members_queue_team"),
    )  # fmt: skip
    op.create_index("ix_queue_members_user_id", TABLE, ["user_id"])
    op.create_index("ix_queue_members_team_id", TABLE, ["team_id"])
    if op.get_bind().dialect.name != "postgresql":
        return
    op.execute(f"ALTER TABLE {TABLE} OWNER TO agentdesk_owner")
    op.execute(f"ALTER TABLE {TABLE} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {TABLE} FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT SELECT, INSERT, UPDATE, DELETE ON {TABLE} TO agentdesk_desk")
    op.execute(f"GRANT SELECT ON {TABLE} TO agentdesk_security")
    op.execute(f"CREATE POLICY read ON {TABLE} FOR SELECT USING (true)")
    op.execute(f"CREATE POLICY write_insert ON {TABLE} FOR INSERT WITH CHECK ({MANAGE})")
    op.execute(
        f"CREATE POLICY write_update ON {TABLE} FOR UPDATE USING ({MANAGE}) WITH CHECK ({MANAGE})"
    )
    op.execute(f"CREATE POLICY write_delete ON {TABLE} FOR DELETE USING ({MANAGE})")


def downgrade() -> None:
    op.drop_index("ix_queue_members_team_id", table_name=TABLE)
    op.drop_index("ix_queue_members_user_id", table_name=TABLE)
    op.drop_table(TABLE)
