"""reports: the period of a report is a range on interval starts and attempt times

A report reads the rollups of every queue or agent in a period; their primary keys lead
with the queue or the agent, so the period alone needs an index on the interval start. The
campaign report reads the dialer's attempts of the period (they had an index per entry and
per campaign only). Indexes only: the row policies of the tables are unchanged.

Revision ID: 0024
Revises: 0020
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0020"
branch_labels = None
depends_on = None

INDEXES = (
    ("ix_queue_intervals_interval_start", "queue_intervals", "interval_start"),
    ("ix_agent_intervals_interval_start", "agent_intervals", "interval_start"),
    ("ix_dialer_attempts_started_at", "dialer_attempts", "started_at"),
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])


def downgrade() -> None:
    for name, table, _column in reversed(INDEXES):
        op.drop_index(name, table_name=table)
