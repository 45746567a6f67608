"""PostgreSQL policies test a row's owner against the role's owners by hash, not by array scan

Every owned table's policies read ``owner_id = ANY ((SELECT agentdesk_owners(...))::uuid[])``
(and the same for shared ids and campaigns): the array is computed once per statement, but
``= ANY`` compares each row with each element, so a manager whose department has 200 owners
pays 200 comparisons a row (the forecast on a manager's own login: 150,000 rows, about 0.5 s
of it). ``owner_id IN (SELECT unnest(agentdesk_owners(...)))`` is the same test (a NULL array
matches nothing either way) run as a hashed subplan: one hash probe a row.

The policies are rewritten where they stand (read from ``pg_policies``), so every table that
uses the helpers is covered, whichever revision made its policy; downgrade writes them back.

Revision ID: 0023
Revises: 0022
Create Date: 2026-12-05
"""

from __future__ import annotations

import re

import sqlalchemy as sa
from alembic import op

revision = "0023"
down_revision = "0022"
branch_labels = None
depends_on = None

# How PostgreSQL prints the two forms back (pg_policies.qual / with_check).
SCANNED = re.compile(r"(\b[\w.]+) = ANY \(\( SELECT (agentdesk_\w+\([^()]*\)) AS \w+\)::uuid\[\]\)")
HASHED = re.compile(r"(\b[\w.]+) IN \( SELECT unnest\((agentdesk_\w+\([^()]*\))\) AS unnest\)")


def upgrade() -> None:
    _rewrite(SCANNED, r"\1 IN (SELECT unnest(\2))")


def downgrade() -> None:
    _rewrite(HASHED, r"\1 = ANY ((SELECT \2)::uuid[])")


def _rewrite(pattern: re.Pattern[str], replacement: str) -> None:
    bind = op.get_bind()
    if bind.dialect.name != "postgresql":
        return
    policies = bind.execute(
        sa.text(
            "SELECT tablename, policyname, qual, with_check FROM pg_policies "
            "WHERE schemaname = current_schema()"
        )
    ).all()
    for table, name, qual, check in policies:
        clauses = []
        if qual is not None and pattern.search(qual):
            clauses.append(f"USING ({pattern.sub(replacement, qual)})")
        if check is not None and pattern.search(check):
            clauses.append(f"WITH CHECK ({pattern.sub(replacement, check)})")
        if clauses:
            op.execute(f'ALTER POLICY "{name}" ON "{table}" {" ".join(clauses)}')
