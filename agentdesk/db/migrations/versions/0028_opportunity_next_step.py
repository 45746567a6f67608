"""opportunities.next_step: what the rep does next on an opportunity (the opportunity editor)

A plain nullable column: the table's row-level security (0009) already covers it, and no
index is needed (it is read with its row, never searched).

Revision ID: 0028
Revises: 0024
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0028"
down_revision = "0024"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("opportunities", sa.Column("next_step", sa.String(300), nullable=True))


def downgrade() -> None:
    op.drop_column("opportunities", "next_step")
