"""dialer: campaigns, entries, attempts, do-not-call numbers

``ix_dialer_entries_pick`` serves next-entry selection (see agentdesk.dialer.selection) and,
with the partial ``ix_dialer_entries_assigned``, the "why nothing is dialable" counts;
``ux_dialer_dnc_global_e164`` makes global DNC numbers unique (NULL campaign ids are distinct in
the ``(e164, campaign_id)`` constraint).

Revision ID: 0003
Revises: 0002
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0003"
down_revision = "0002"
branch_labels = None
depends_on = None


def upgrade() -> None:
    op.create_table(
        "dialer_campaigns",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("mode", sa.String(length=20), nullable=False),
        sa.Column("window_start_minute", sa.Integer(), nullable=False),
        sa.Column("window_end_minute", sa.Integer(), nullable=False),
        sa.Column(
            "weekdays",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("max_attempts", sa.Integer(), nullable=False),
        sa.Column(
            "retry_rules",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=False,
        ),
        sa.Column("script", sa.Text(), nullable=True),
        sa.Column("priority", sa.Integer(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("reservation_minutes", sa.Integer(), nullable=False),
        sa.Column(
            "source_query",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialer_campaigns")),
        sa.UniqueConstraint("name", name=op.f("uq_dialer_campaigns_name")),
    )
    op.create_table(
        "dialer_campaign_zones",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("zone_key", sa.String(length=64), nullable=False),
        sa.Column("zones", sa.Text(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["dialer_campaigns.id"],
            name=op.f("fk_dialer_campaign_zones_campaign_id_dialer_campaigns"),
        ),
        sa.PrimaryKeyConstraint("campaign_id", "zone_key", name=op.f("pk_dialer_campaign_zones")),
    )
    op.create_table(
        "dialer_dnc",
        sa.Column("e164", sa.String(length=16), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=True),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("added_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["dialer_campaigns.id"],
            name=op.f("fk_dialer_dnc_campaign_id_dialer_campaigns"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialer_dnc")),
        sa.UniqueConstraint("e164", "campaign_id", name=op.f("uq_dialer_dnc_e164")),
    )
    with op.batch_alter_table("dialer_dnc", schema=None) as batch_op:
        batch_op.create_index(
            "ux_dialer_dnc_global_e164",
            ["e164"],
            unique=True,
            sqlite_where=sa.text("campaign_id IS NULL"),
            postgresql_where=sa.text("campaign_id IS NULL"),
        )

    op.create_table(
        "dialer_campaign_assignments",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["dialer_campaigns.id"],
            name=op.f("fk_dialer_campaign_assignments_campaign_id_dialer_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["team_id"], ["teams.id"], name=op.f("fk_dialer_campaign_assignments_team_id_teams")
        ),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_dialer_campaign_assignments_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialer_campaign_assignments")),
        sa.UniqueConstraint(
            "campaign_id",
            "user_id",
            "team_id",
            name=op.f("uq_dialer_campaign_assignments_campaign_id"),
        ),
    )
    op.create_table(
        "dialer_entries",
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("phone_raw", sa.String(length=64), nullable=False),
        sa.Column("e164", sa.String(length=16), nullable=False),
        sa.Column("time_zone", sa.String(length=64), nullable=True),
        sa.Column("zone_key", sa.String(length=64), nullable=False),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("status", sa.String(length=20), nullable=False),
        sa.Column("attempts", sa.Integer(), nullable=False),
        sa.Column("last_outcome", sa.String(length=20), nullable=True),
        sa.Column("last_disposition", sa.String(length=40), nullable=True),
        sa.Column("next_eligible_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("assigned_agent_id", sa.Uuid(), nullable=True),
        sa.Column("reserved_by_id", sa.Uuid(), nullable=True),
        sa.Column("reserved_until", sa.DateTime(timezone=True), nullable=True),
        sa.Column("contacted", sa.Boolean(), nullable=False),
        sa.Column("succeeded", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["assigned_agent_id"],
            ["users.id"],
            name=op.f("fk_dialer_entries_assigned_agent_id_users"),
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["dialer_campaigns.id"],
            name=op.f("fk_dialer_entries_campaign_id_dialer_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_dialer_entries_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_dialer_entries_lead_id_leads")
        ),
        sa.ForeignKeyConstraint(
            ["reserved_by_id"], ["users.id"], name=op.f("fk_dialer_entries_reserved_by_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialer_entries")),
    )
    with op.batch_alter_table("dialer_entries", schema=None) as batch_op:
        batch_op.create_index("ix_dialer_entries_e164", ["e164"], unique=False)
        batch_op.create_index(
            "ix_dialer_entries_pick",
            ["campaign_id", "status", "zone_key", "next_eligible_at", "deleted_at"],
            unique=False,
        )
        batch_op.create_index(
            "ix_dialer_entries_assigned",
            ["campaign_id", "assigned_agent_id"],
            unique=False,
            sqlite_where=sa.text("assigned_agent_id IS NOT NULL"),
            postgresql_where=sa.text("assigned_agent_id IS NOT NULL"),
        )

    op.create_table(
        "dialer_attempts",
        sa.Column("entry_id", sa.Uuid(), nullable=False),
        sa.Column("campaign_id", sa.Uuid(), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("outcome", sa.String(length=20), nullable=False),
        sa.Column("sip_code", sa.Integer(), nullable=True),
        sa.Column("call_id", sa.Uuid(), nullable=True),
        sa.Column("disposition_code", sa.String(length=40), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["users.id"], name=op.f("fk_dialer_attempts_agent_id_users")
        ),
        sa.ForeignKeyConstraint(
            ["call_id"], ["calls.id"], name=op.f("fk_dialer_attempts_call_id_calls")
        ),
        sa.ForeignKeyConstraint(
            ["campaign_id"],
            ["dialer_campaigns.id"],
            name=op.f("fk_dialer_attempts_campaign_id_dialer_campaigns"),
        ),
        sa.ForeignKeyConstraint(
            ["entry_id"],
            ["dialer_entries.id"],
            name=op.f("fk_dialer_attempts_entry_id_dialer_entries"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dialer_attempts")),
    )
    with op.batch_alter_table("dialer_attempts", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_dialer_attempts_campaign_id"), ["campaign_id"], unique=False
        )
        batch_op.create_index(
            "ix_dialer_attempts_entry_started", ["entry_id", "started_at"], unique=False
        )


def downgrade() -> None:
    with op.batch_alter_table("dialer_attempts", schema=None) as batch_op:
        batch_op.drop_index("ix_dialer_attempts_entry_started")
        batch_op.drop_index(batch_op.f("ix_dialer_attempts_campaign_id"))

    op.drop_table("dialer_attempts")
    with op.batch_alter_table("dialer_entries", schema=None) as batch_op:
        batch_op.drop_index("ix_dialer_entries_assigned")
        batch_op.drop_index("ix_dialer_entries_pick")
        batch_op.drop_index("ix_dialer_entries_e164")

    op.drop_table("dialer_entries")
    op.drop_table("dialer_campaign_assignments")
    with op.batch_alter_table("dialer_dnc", schema=None) as batch_op:
        batch_op.drop_index(
            "ux_dialer_dnc_global_e164",
            sqlite_where=sa.text("campaign_id IS NULL"),
            postgresql_where=sa.text("campaign_id IS NULL"),
        )

    op.drop_table("dialer_dnc")
    op.drop_table("dialer_campaign_zones")
    op.drop_table("dialer_campaigns")
