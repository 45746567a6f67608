"""dialer_entries: partial indexes on contact_id and lead_id

Deleting (or merging) a contact or lead makes the database check the campaign entries that
point at it; without an index that is a scan of every entry of every campaign (a million rows
in a big campaign) per deleted record. Most entries loaded from a file point at no record, so
the indexes are partial and stay small.

Revision ID: 0005
Revises: 0004
Create Date: 2026-12-02
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0005"
down_revision = "0004"
branch_labels = None
depends_on = None

_INDEXES = (("ix_dialer_entries_contact", "contact_id"), ("ix_dialer_entries_lead", "lead_id"))


def upgrade() -> None:
    for name, column in _INDEXES:
        present = sa.text(f"{column} IS NOT NULL")
        op.create_index(
            name, "dialer_entries", [column], sqlite_where=present, postgresql_where=present
        )


def downgrade() -> None:
    for name, _column in _INDEXES:
        op.drop_index(name, table_name="dialer_entries")
