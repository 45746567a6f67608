"""opportunity chance: the effective probability kept on the opportunity, with its indexes

The pipeline's list sorted by probability computed ``CASE won/lost/override/stage default``
for every visible row and sorted them all (160-510 ms at 300,000 opportunities, issue 17).
``opportunities.chance`` keeps that value (crm/chance.py writes it with every stage or
override change and rewrites a stage's rows when its default changes), so a page is one
range of ``ix_opportunities_chance_owner`` (everyone's, the owner carried for the row
policies) or ``ix_opportunities_owner_chance`` (one rep's). The backfill is the same rule.

Revision ID: 0030
Revises: 0025
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0030"
down_revision = "0025"
branch_labels = None
depends_on = None

TABLE = "opportunities"
INDEXES = {
    "ix_opportunities_chance_owner": ["chance", "close_date", "id", "owner_id"],
    "ix_opportunities_owner_chance": ["owner_id", "chance", "close_date", "id"],
}
BACKFILL = """
UPDATE opportunities SET chance = COALESCE(
    (SELECT CASE WHEN s.won THEN 100 WHEN s.lost THEN 0
                 ELSE COALESCE(opportunities.probability, s.probability, 0) END
       FROM opportunity_stages s WHERE s.stage = opportunities.stage),
    opportunities.probability, 0)
"""


def upgrade() -> None:
    # added with a default so the existing rows are valid, then filled and the default
    # dropped (PostgreSQL): a writer that forgets the column fails instead of writing 0
    op.add_column(TABLE, sa.Column("chance", sa.Integer(), nullable=False, server_default="0"))
    op.execute(BACKFILL)
    if op.get_bind().dialect.name == "postgresql":
        op.alter_column(TABLE, "chance", server_default=None)
    for name, columns in INDEXES.items():
        op.create_index(name, TABLE, columns)
    # SQLite's planner guesses ten rows an owner for an index it has no statistics of and
    # took the owner-first one for a manager's 200 owners (0.8 s instead of 30 ms at 300,000,
    # any sort); PostgreSQL gets the new column's statistics
    op.execute(f"ANALYZE {TABLE}")


def downgrade() -> None:
    for name in INDEXES:
        op.drop_index(name, TABLE)
    op.drop_column(TABLE, "chance")
