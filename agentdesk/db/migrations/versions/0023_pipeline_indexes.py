"""The pipeline's pages read in index order: opportunities by close date, and by stage then
close date

The pipeline screen reads one page (50 rows) of opportunities ordered by close date, for the
list and for each stage's column of the board. Without an index each page sorted every
opportunity: at 300,000 rows 156 ms for the list's first page and 496 ms for the board's six
columns on SQLite (scripts: the README's performance section). The id closes both keys, as
it closes the queries' order, so a page is one range of the index.

Revision ID: 0023
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0023"
down_revision = "0019"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_index("ix_opportunities_close", "opportunities", ["close_date", "id"])
    op.create_index("ix_opportunities_stage_close", "opportunities", ["stage", "close_date", "id"])


def downgrade() -> None:
    op.drop_index("ix_opportunities_stage_close", table_name="opportunities")
    op.drop_index("ix_opportunities_close", table_name="opportunities")
