"""won index: on PostgreSQL the owner is carried by the forecast's won-deals index, not a key

0021 keyed ``ix_opportunities_won`` on (currency, stage, won_at, owner_id, amount,
deleted_at). On a desk's own PostgreSQL login the row policy's ``owner_id = ANY(owners)``
became a condition on that index's fourth column: one scan of the year's won range per owner
of the department (201 scans, 30,000 pages, a quarter of a second for 14,000 won deals). Keyed
on (currency, stage, won_at) with the rest INCLUDEd, the range is read once and the owners are
checked on each entry. SQLite has no INCLUDE: there the index is the three keys and the won
deals' rows are read (about 15 ms more at 14,000 won deals).

Revision ID: 0029
Revises: 0028
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0029"
down_revision = "0028"
branch_labels = None
depends_on = None

NAME, TABLE = "ix_opportunities_won", "opportunities"
KEYS = ["currency", "stage", "won_at"]
CARRIED = ["owner_id", "amount", "deleted_at"]


def upgrade() -> None:
    op.drop_index(NAME, TABLE)
    op.create_index(NAME, TABLE, KEYS, postgresql_include=CARRIED)


def downgrade() -> None:
    op.drop_index(NAME, TABLE)
    op.create_index(NAME, TABLE, KEYS + CARRIED)
