"""supervision: queues, the legs of queue calls, and the rollups the board and reports read

``queues`` and ``queue_numbers`` are configuration: every desk reads them, a user manager
(``manage_users``) writes them. The call row gains its queue, its wrap-up seconds and whether
another desk answered it (a forked call). ``queue_legs`` copies each desk's figures of a queue
call (a desk may not read another's call rows); ``queue_calls`` is one row per SIP Call-ID;
``queue_intervals`` and ``agent_intervals`` are the 15-minute rollups. Desks write them as
their journal applies call entries: a desk writes only its own agent's legs and intervals,
and any desk the queue rows (a call's sum is kept by whichever desk reports last).

Revision ID: 0020
Revises: 0019
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0020"
down_revision = "0019"
branch_labels = None
depends_on = None

UID = "(SELECT agentdesk_uid())"
MANAGE = "((SELECT agentdesk_has('manage_users')))"
OWN_AGENT = f"(agent_id = {UID})"
# table -> (grants to the desks, who may write rows: an expression, or None for every desk)
TABLES: dict[str, tuple[str, str]] = {
    "queues": ("SELECT, INSERT, UPDATE, DELETE", MANAGE),
    "queue_numbers": ("SELECT, INSERT, UPDATE, DELETE", MANAGE),
    "queue_legs": ("SELECT, INSERT, UPDATE", OWN_AGENT),
    "queue_calls": ("SELECT, INSERT, UPDATE", "true"),
    "queue_intervals": ("SELECT, INSERT, UPDATE", "true"),
    "agent_intervals": ("SELECT, INSERT, UPDATE", OWN_AGENT),
}
CALL_COLUMNS = ("queue", "wrapup_seconds", "answered_elsewhere")
# A queue call that starts waiting, is answered or ends changes the board's tiles: the boards
# listening on the presence channel reload (one notice per transaction: identical payloads
# merge). The payload names no row: the board reads its figures again.
NOTIFY_SQL = """
CREATE FUNCTION agentdesk_queue_changed() RETURNS trigger LANGUAGE plpgsql
AS $$
BEGIN
  PERFORM pg_notify('agentdesk_presence', 'queues');
  RETURN NULL;
END
$$
"""


def _when() -> sa.Column[object]:
    return sa.Column("interval_start", sa.DateTime(timezone=True), nullable=False)


def _create_tables() -> None:
    op.create_table(
        "queues",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("name", sa.String(64), nullable=False),
        sa.Column("service_seconds", sa.Double(), nullable=False),
        sa.Column("short_abandon_seconds", sa.Double(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name="pk_queues"),
        sa.UniqueConstraint("name", name="uq_queues_name"),
    )
    op.create_table(
        "queue_numbers",
        sa.Column("e164", sa.String(16), nullable=False),
        sa.Column("queue_id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["queue_id"],
            ["queues.id"],
            name="fk_queue_numbers_queue_id_queues",
            ondelete="CASCADE",
        ),
        sa.PrimaryKeyConstraint("e164", name="pk_queue_numbers"),
    )
    op.create_index("ix_queue_numbers_queue_id", "queue_numbers", ["queue_id"])
    op.create_table(
        "queue_legs",
        sa.Column("call_id", sa.Uuid(), nullable=False),
        sa.Column("sip_call_id", sa.String(256), nullable=False),
        sa.Column("queue", sa.String(64), nullable=False),
        sa.Column("agent_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("answered_elsewhere", sa.Boolean(), nullable=False),
        sa.Column("talk_seconds", sa.Double(), nullable=False),
        sa.Column("hold_seconds", sa.Double(), nullable=False),
        sa.Column("wrapup_seconds", sa.Double(), nullable=True),
        sa.PrimaryKeyConstraint("call_id", name="pk_queue_legs"),
    )
    op.create_index("ix_queue_legs_sip_call_id", "queue_legs", ["sip_call_id"])
    op.create_table(
        "queue_calls",
        sa.Column("sip_call_id", sa.String(256), nullable=False),
        sa.Column("queue", sa.String(64), nullable=False),
        sa.Column("offered_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("agent_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("talk_seconds", sa.Double(), nullable=False),
        sa.Column("hold_seconds", sa.Double(), nullable=False),
        sa.Column("wrapup_seconds", sa.Double(), nullable=True),
        sa.Column("booked_interval", sa.DateTime(timezone=True), nullable=True),
        sa.Column("booked_wait", sa.Double(), nullable=True),
        sa.Column("service_seconds", sa.Double(), nullable=False),
        sa.Column("short_abandon_seconds", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("sip_call_id", name="pk_queue_calls"),
    )
    op.create_index("ix_queue_calls_interval_queue", "queue_calls", ["booked_interval", "queue"])
    counts = [
        sa.Column(name, sa.Integer(), nullable=False)
        for name in (
            "offered",
            "answered",
            "abandoned",
            "short_abandoned",
            "answered_within",
            "abandoned_after",
        )
    ]
    op.create_table(
        "queue_intervals",
        sa.Column("queue", sa.String(64), nullable=False),
        _when(),
        *counts,
        sa.Column("answered_wait_s", sa.Double(), nullable=False),
        sa.Column("longest_wait_s", sa.Double(), nullable=False),
        sa.Column("handled", sa.Integer(), nullable=False),
        sa.Column("handle_s", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("queue", "interval_start", name="pk_queue_intervals"),
    )
    op.create_index("ix_queue_intervals_start", "queue_intervals", ["interval_start"])
    op.create_table(
        "agent_intervals",
        sa.Column("agent_id", sa.Uuid(), sa.ForeignKey("users.id"), nullable=False),
        _when(),
        sa.Column("handled_in", sa.Integer(), nullable=False),
        sa.Column("handled_out", sa.Integer(), nullable=False),
        sa.Column("talk_s", sa.Double(), nullable=False),
        sa.Column("hold_s", sa.Double(), nullable=False),
        sa.Column("wrapup_s", sa.Double(), nullable=False),
        sa.PrimaryKeyConstraint("agent_id", "interval_start", name="pk_agent_intervals"),
    )
    op.create_index("ix_agent_intervals_start", "agent_intervals", ["interval_start"])


def _guard(table: str, grants: str, writer: str) -> None:
    op.execute(f"ALTER TABLE {table} OWNER TO agentdesk_owner")
    op.execute(f"ALTER TABLE {table} ENABLE ROW LEVEL SECURITY")
    op.execute(f"ALTER TABLE {table} FORCE ROW LEVEL SECURITY")
    op.execute(f"GRANT {grants} ON {table} TO agentdesk_desk")
    op.execute(f"GRANT SELECT ON {table} TO agentdesk_security")
    op.execute(f"CREATE POLICY read ON {table} FOR SELECT USING (true)")
    op.execute(f"CREATE POLICY write_insert ON {table} FOR INSERT WITH CHECK ({writer})")
    op.execute(
        f"CREATE POLICY write_update ON {table} FOR UPDATE USING ({writer}) WITH CHECK ({writer})"
    )
    if "DELETE" in grants:
        op.execute(f"CREATE POLICY write_delete ON {table} FOR DELETE USING ({writer})")


def upgrade() -> None:
    op.add_column("calls", sa.Column("queue", sa.String(64), nullable=True))
    op.add_column("calls", sa.Column("wrapup_seconds", sa.Double(), nullable=True))
    op.add_column(
        "calls",
        sa.Column("answered_elsewhere", sa.Boolean(), nullable=False, server_default=sa.false()),
    )
    _create_tables()
    if op.get_bind().dialect.name != "postgresql":
        return
    for table, (grants, writer) in TABLES.items():
        _guard(table, grants, writer)
    op.execute(NOTIFY_SQL)
    op.execute(
        "CREATE TRIGGER queue_call_changed AFTER INSERT OR UPDATE ON queue_calls "
        "FOR EACH STATEMENT EXECUTE FUNCTION agentdesk_queue_changed()"
    )


def downgrade() -> None:
    if op.get_bind().dialect.name == "postgresql":
        op.execute("DROP TRIGGER IF EXISTS queue_call_changed ON queue_calls")
        op.execute("DROP FUNCTION IF EXISTS agentdesk_queue_changed()")
    op.drop_index("ix_agent_intervals_start", table_name="agent_intervals")
    op.drop_table("agent_intervals")
    op.drop_index("ix_queue_intervals_start", table_name="queue_intervals")
    op.drop_table("queue_intervals")
    op.drop_index("ix_queue_calls_interval_queue", table_name="queue_calls")
    op.drop_table("queue_calls")
    op.drop_index("ix_queue_legs_sip_call_id", table_name="queue_legs")
    op.drop_table("queue_legs")
    op.drop_index("ix_queue_numbers_queue_id", table_name="queue_numbers")
    op.drop_table("queue_numbers")
    op.drop_table("queues")
    for name in CALL_COLUMNS:
        op.drop_column("calls", name)
