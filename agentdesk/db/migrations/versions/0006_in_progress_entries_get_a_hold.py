"""dialer_entries: campaign entries in progress get a hold that runs out

Since this revision a desk holds the entry it is calling (``reserved_until``, renewed while the
call and its wrap-up last), so an entry whose desk died goes back to the pool when the hold
runs out. Entries left ``in_progress`` by earlier versions have no hold and would never go
back: they get one hour from the upgrade (a desk of the old version still on that call has
time to save its wrap-up).

Revision ID: 0006
Revises: 0005
Create Date: 2026-12-04
"""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

import sqlalchemy as sa
from alembic import op

revision = "0006"
down_revision = "0005"
branch_labels = None
depends_on = None

GRACE = timedelta(hours=1)


def upgrade() -> None:
    until = datetime.now(UTC) + GRACE
    if op.get_bind().dialect.name == "sqlite":
        until = until.replace(tzinfo=None)  # stored as naive UTC, as db.base.UtcDateTime does
    entries = sa.table(
        "dialer_entries",
        sa.column("status", sa.String()),
        sa.column("reserved_until", sa.DateTime(timezone=True)),
    )
    op.execute(
        entries.update()
        .where(entries.c.status == "in_progress", entries.c.reserved_until.is_(None))
        .values(reserved_until=until)
    )


def downgrade() -> None:
    # The holds are harmless to older versions, which never read them for in-progress entries.
    pass
