"""supervision: one presence row per agent and the append-only log of their states

On PostgreSQL both tables are guarded like every shared table: a desk writes only its own
agent's rows, nobody changes or deletes the log, and a board reads the agents whose calls
the role reads (a supervisor their department) when the role may view the board, and
always the user's own row. A change of state or call (not a bare heartbeat) sends
``NOTIFY agentdesk_presence`` with the agent's id, so boards are told instead of asking.

Revision ID: 0018
Revises: 0017
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0018"
down_revision = "0017"
branch_labels = None
depends_on = None

UID = "(SELECT agentdesk_uid())"
WATCHED = (
    f"(user_id = {UID} OR ((SELECT agentdesk_has('view_board')) AND ("
    "(SELECT agentdesk_depth('calls', 'read')) = 'all' "
    "OR user_id = ANY ((SELECT agentdesk_owners('calls', 'read'))::uuid[]))))"
)
POLICIES = (
    f"CREATE POLICY read ON agent_presence FOR SELECT USING {WATCHED}",
    f"CREATE POLICY own_insert ON agent_presence FOR INSERT WITH CHECK (user_id = {UID})",
    f"CREATE POLICY own_update ON agent_presence FOR UPDATE USING (user_id = {UID}) "
    f"WITH CHECK (user_id = {UID})",
    f"CREATE POLICY read ON agent_state_log FOR SELECT USING {WATCHED}",
    f"CREATE POLICY own_insert ON agent_state_log FOR INSERT WITH CHECK (user_id = {UID})",
)


NOTIFY_SQL = """
CREATE FUNCTION agentdesk_presence_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM pg_notify('agentdesk_presence', NEW.user_id::text);
  RETURN NULL;
END
$$
"""
NOTIFY_WHEN = (
    "OLD.state IS DISTINCT FROM NEW.state OR OLD.reason IS DISTINCT FROM NEW.reason "
    "OR OLD.call_number IS DISTINCT FROM NEW.call_number "
    "OR OLD.party_name IS DISTINCT FROM NEW.party_name"
)


def upgrade() -> None:
    op.create_table(
        "agent_presence",
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("reason", sa.String(64)),
        sa.Column("since", sa.DateTime(timezone=True), nullable=False),
        sa.Column("heartbeat_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("call_direction", sa.String(16)),
        sa.Column("call_number", sa.String(64)),
        sa.Column("party_name", sa.String(200)),
        sa.Column("campaign", sa.String(120)),
        sa.PrimaryKeyConstraint("user_id", name="pk_agent_presence"),
    )
    op.create_table(
        "agent_state_log",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=False),
        sa.Column("state", sa.String(24), nullable=False),
        sa.Column("reason", sa.String(64)),
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_agent_state_log"),
    )
    op.create_index("ix_agent_state_log_user_at", "agent_state_log", ["user_id", "at"])
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, grants in (
        ("agent_presence", "SELECT, INSERT, UPDATE"),
        ("agent_state_log", "SELECT, INSERT"),
    ):
        op.execute(f"ALTER TABLE {table} OWNER TO agentdesk_owner")
        op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
        op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
        op.execute(f"GRANT {grants} ON {table} TO agentdesk_desk")
        op.execute(f"GRANT SELECT ON {table} TO agentdesk_security")
    for statement in POLICIES:
        op.execute(statement)
    op.execute(NOTIFY_SQL)
    op.execute(
        "CREATE TRIGGER presence_inserted AFTER INSERT ON agent_presence FOR EACH ROW "
        "EXECUTE FUNCTION agentdesk_presence_changed()"
    )
    op.execute(
        "CREATE TRIGGER presence_changed AFTER UPDATE ON agent_presence FOR EACH ROW "
        f"WHEN ({NOTIFY_WHEN}) EXECUTE FUNCTION agentdesk_presence_changed()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        for trigger in ("presence_inserted", "presence_changed"):
            op.execute(f"DROP TRIGGER IF EXISTS {trigger} ON agent_presence")
        op.execute("DROP FUNCTION IF EXISTS agentdesk_presence_changed()")
    op.drop_index("ix_agent_state_log_user_at", table_name="agent_state_log")
    op.drop_table("agent_state_log")
    op.drop_table("agent_presence")
