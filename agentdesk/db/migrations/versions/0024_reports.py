"""reports: the period of a report is a range on attempt times; an agent's rollup is read
by those who watch the agent

A report reads the rollups of every queue or agent in a period (0020 indexes their interval
starts, for the board's day); the campaign report reads the dialer's attempts of the period
(they had an index per entry and per campaign only).

PostgreSQL: ``agent_intervals`` (0020) was readable by every desk; an agent's handled calls
and talk time are now read by the roles that watch that agent on the board (a supervisor
their department, with ``view_board``) and by the agent, as ``agent_presence`` (0018), so a
supervisor's own login cannot read another department's figures with plain SQL.

Revision ID: 0024
Revises: 0022
Create Date: 2026-12-05
"""

from __future__ import annotations

from alembic import op

revision = "0024"
down_revision = "0022"
branch_labels = None
depends_on = None

INDEXES = (("ix_dialer_attempts_started_at", "dialer_attempts", "started_at"),)


UID = "(SELECT agentdesk_uid())"
WATCHED = (
    f"(agent_id = {UID} OR ((SELECT agentdesk_has('view_board')) AND ("
    "(SELECT agentdesk_depth('calls', 'read')) = 'all' "
    "OR agent_id = ANY ((SELECT agentdesk_owners('calls', 'read'))::uuid[]))))"
)


def upgrade() -> None:
    for name, table, column in INDEXES:
        op.create_index(name, table, [column])
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY read ON agent_intervals")
        op.execute(f"CREATE POLICY read ON agent_intervals FOR SELECT USING {WATCHED}")


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP POLICY read ON agent_intervals")
        op.execute("CREATE POLICY read ON agent_intervals FOR SELECT USING (true)")
    for name, table, _column in reversed(INDEXES):
        op.drop_index(name, table_name=table)
