"""search-as-you-type indexes

Case-insensitive prefix search (agentdesk.crm.search) walks ranges of ``lower(column)``; both
engines can index that expression, so each branch of a search is one short index range scan.

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0002"
down_revision = "0001"
branch_labels = None
depends_on = None

# (index name, table, lowered columns in key order)
_INDEXES: tuple[tuple[str, str, tuple[str, ...]], ...] = (
    ("ix_contacts_lower_last_first", "contacts", ("last_name", "first_name")),
    ("ix_contacts_lower_first_last", "contacts", ("first_name", "last_name")),
    ("ix_contacts_lower_email", "contacts", ("email",)),
    ("ix_leads_lower_last_first", "leads", ("last_name", "first_name")),
    ("ix_leads_lower_first_last", "leads", ("first_name", "last_name")),
    ("ix_leads_lower_email", "leads", ("email",)),
    ("ix_leads_lower_company", "leads", ("company",)),
    ("ix_accounts_lower_name", "accounts", ("name",)),
)


def upgrade() -> None:
    for name, table, columns in _INDEXES:
        op.create_index(name, table, [sa.text(f"lower({column})") for column in columns])


def downgrade() -> None:
    for name, table, _columns in reversed(_INDEXES):
        op.drop_index(name, table_name=table)
