"""dispositions: a Chinese label beside the English one

Revision ID: 0010
Revises: 0009
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0010"
down_revision = "0009"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.add_column("dispositions", sa.Column("label_zh", sa.String(100), nullable=True))


def downgrade() -> None:
    op.drop_column("dispositions", "label_zh")
