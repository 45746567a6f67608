"""dispositions: an ``adds_to_dnc`` flag instead of the dialer knowing one code by name

A wrap-up code with the flag lists the number on the global do-not-call list (for example
"Do not call", or an admin's own "Asked to be removed"). The shipped ``do_not_call`` code keeps
its meaning.

Revision ID: 0004
Revises: 0003
Create Date: 2026-12-01
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0004"
down_revision = "0003"
branch_labels = None
depends_on = None


def upgrade() -> None:
    # A plain ADD COLUMN (SQLite takes NOT NULL with a constant default): batch mode would copy
    # and drop the table, which calls reference, and fail on any desk that has calls.
    op.add_column(
        "dispositions",
        sa.Column("adds_to_dnc", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    dispositions = sa.table("dispositions", sa.column("code", sa.String), sa.column("adds_to_dnc"))
    op.execute(
        dispositions.update()
        .where(dispositions.c.code == "do_not_call")
        .values(adds_to_dnc=sa.true())
    )


def downgrade() -> None:
    # SQLite 3.35+ drops a column in place; see upgrade() for why not batch mode.
    op.drop_column("dispositions", "adds_to_dnc")
