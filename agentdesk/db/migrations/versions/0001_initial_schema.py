"""initial schema

Revision ID: 0001
Revises:
Create Date: 2026-11-23
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op
from sqlalchemy.dialects import postgresql

revision = "0001"
down_revision = None
branch_labels = None
depends_on = None


def upgrade() -> None:

    op.create_table(
        "dispositions",
        sa.Column("code", sa.String(length=40), nullable=False),
        sa.Column("label", sa.String(length=100), nullable=False),
        sa.Column("counts_as_contact", sa.Boolean(), nullable=False),
        sa.Column("is_success", sa.Boolean(), nullable=False),
        sa.Column("needs_callback", sa.Boolean(), nullable=False),
        sa.Column("is_final", sa.Boolean(), nullable=False),
        sa.Column("is_default", sa.Boolean(), nullable=False),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("sort_order", sa.Integer(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_dispositions")),
        sa.UniqueConstraint("code", name=op.f("uq_dispositions_code")),
    )
    op.create_table(
        "teams",
        sa.Column("name", sa.String(length=100), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_teams")),
        sa.UniqueConstraint("name", name=op.f("uq_teams_name")),
    )
    op.create_table(
        "users",
        sa.Column("username", sa.String(length=100), nullable=False),
        sa.Column("display_name", sa.String(length=200), nullable=False),
        sa.Column(
            "role",
            sa.Enum("agent", "supervisor", "admin", name="role", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("team_id", sa.Uuid(), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("sip_extension", sa.String(length=64), nullable=True),
        sa.Column("active", sa.Boolean(), nullable=False),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["team_id"], ["teams.id"], name=op.f("fk_users_team_id_teams")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_users")),
        sa.UniqueConstraint("username", name=op.f("uq_users_username")),
    )
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_users_team_id"), ["team_id"], unique=False)

    op.create_table(
        "accounts",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("industry", sa.String(length=100), nullable=True),
        sa.Column("website", sa.String(length=200), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_accounts_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_accounts")),
    )
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_accounts_name"), ["name"], unique=False)
        batch_op.create_index(batch_op.f("ix_accounts_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "audit_log",
        sa.Column("at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=True),
        sa.Column("actor", sa.String(length=100), nullable=True),
        sa.Column(
            "action",
            sa.Enum(
                "create",
                "update",
                "delete",
                "import",
                "export",
                "print",
                name="audit_action",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("entity_kind", sa.String(length=40), nullable=False),
        sa.Column("entity_id", sa.Uuid(), nullable=True),
        sa.Column(
            "details",
            sa.JSON().with_variant(postgresql.JSONB(astext_type=sa.Text()), "postgresql"),
            nullable=True,
        ),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.ForeignKeyConstraint(["user_id"], ["users.id"], name=op.f("fk_audit_log_user_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_audit_log")),
    )
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_audit_log_at"), ["at"], unique=False)
        batch_op.create_index(batch_op.f("ix_audit_log_entity_id"), ["entity_id"], unique=False)

    op.create_table(
        "leads",
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("company", sa.String(length=200), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "contacted",
                "qualified",
                "disqualified",
                "converted",
                name="lead_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("source", sa.String(length=100), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(["owner_id"], ["users.id"], name=op.f("fk_leads_owner_id_users")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_leads")),
    )
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_leads_email"), ["email"], unique=False)
        batch_op.create_index(batch_op.f("ix_leads_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "contacts",
        sa.Column("first_name", sa.String(length=100), nullable=True),
        sa.Column("last_name", sa.String(length=100), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("title", sa.String(length=100), nullable=True),
        sa.Column("email", sa.String(length=254), nullable=True),
        sa.Column("city", sa.String(length=100), nullable=True),
        sa.Column("country", sa.String(length=2), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_contacts_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_contacts_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_contacts")),
    )
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_contacts_account_id"), ["account_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_email"), ["email"], unique=False)
        batch_op.create_index("ix_contacts_last_first", ["last_name", "first_name"], unique=False)
        batch_op.create_index(batch_op.f("ix_contacts_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "opportunities",
        sa.Column("name", sa.String(length=200), nullable=False),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column(
            "stage",
            sa.Enum(
                "prospecting",
                "qualification",
                "proposal",
                "negotiation",
                "closed_won",
                "closed_lost",
                name="opportunity_stage",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("amount", sa.Numeric(precision=14, scale=2), nullable=True),
        sa.Column("currency", sa.String(length=3), nullable=False),
        sa.Column("close_date", sa.Date(), nullable=True),
        sa.Column("probability", sa.Integer(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_opportunities_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_opportunities_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_opportunities_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_opportunities")),
    )
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_opportunities_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_opportunities_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_opportunities_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "phone_numbers",
        sa.Column("raw", sa.String(length=64), nullable=False),
        sa.Column("e164", sa.String(length=16), nullable=False),
        sa.Column("extension", sa.String(length=16), nullable=True),
        sa.Column(
            "kind",
            sa.Enum(
                "work",
                "mobile",
                "home",
                "fax",
                "other",
                name="phone_kind",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.CheckConstraint(
            "(CASE WHEN contact_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN account_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN lead_id IS NULL THEN 0 ELSE 1 END) = 1",
            name=op.f("ck_phone_numbers_one_owner"),
        ),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_phone_numbers_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_phone_numbers_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["lead_id"], ["leads.id"], name=op.f("fk_phone_numbers_lead_id_leads")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_phone_numbers")),
    )
    with op.batch_alter_table("phone_numbers", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_phone_numbers_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_phone_numbers_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_phone_numbers_e164"), ["e164"], unique=False)
        batch_op.create_index(batch_op.f("ix_phone_numbers_lead_id"), ["lead_id"], unique=False)

    op.create_table(
        "service_cases",
        sa.Column("subject", sa.String(length=200), nullable=False),
        sa.Column("description", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "new",
                "open",
                "pending",
                "resolved",
                "closed",
                name="case_status",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column(
            "priority",
            sa.Enum(
                "low",
                "normal",
                "high",
                "urgent",
                name="case_priority",
                native_enum=False,
                length=20,
            ),
            nullable=False,
        ),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("owner_id", sa.Uuid(), nullable=True),
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_service_cases_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_service_cases_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["owner_id"], ["users.id"], name=op.f("fk_service_cases_owner_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_service_cases")),
    )
    with op.batch_alter_table("service_cases", schema=None) as batch_op:
        batch_op.create_index(
            batch_op.f("ix_service_cases_account_id"), ["account_id"], unique=False
        )
        batch_op.create_index(
            batch_op.f("ix_service_cases_contact_id"), ["contact_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_service_cases_owner_id"), ["owner_id"], unique=False)

    op.create_table(
        "calls",
        sa.Column(
            "direction",
            sa.Enum("inbound", "outbound", name="call_direction", native_enum=False, length=20),
            nullable=False,
        ),
        sa.Column("remote_e164", sa.String(length=16), nullable=True),
        sa.Column("remote_raw", sa.String(length=256), nullable=True),
        sa.Column("local_party", sa.String(length=256), nullable=True),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("sip_call_id", sa.String(length=256), nullable=True),
        sa.Column("started_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("answered_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ended_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("ring_seconds", sa.Double(), nullable=True),
        sa.Column("talk_seconds", sa.Double(), nullable=True),
        sa.Column("hold_seconds", sa.Double(), nullable=True),
        sa.Column("end_reason", sa.String(length=100), nullable=True),
        sa.Column("disposition_id", sa.Uuid(), nullable=True),
        sa.Column("notes", sa.Text(), nullable=True),
        sa.Column("recording_path", sa.String(length=1024), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("account_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("opportunity_id", sa.Uuid(), nullable=True),
        sa.Column("case_id", sa.Uuid(), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["account_id"], ["accounts.id"], name=op.f("fk_calls_account_id_accounts")
        ),
        sa.ForeignKeyConstraint(["agent_id"], ["users.id"], name=op.f("fk_calls_agent_id_users")),
        sa.ForeignKeyConstraint(
            ["case_id"], ["service_cases.id"], name=op.f("fk_calls_case_id_service_cases")
        ),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_calls_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(
            ["disposition_id"],
            ["dispositions.id"],
            name=op.f("fk_calls_disposition_id_dispositions"),
        ),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_calls_lead_id_leads")),
        sa.ForeignKeyConstraint(
            ["opportunity_id"],
            ["opportunities.id"],
            name=op.f("fk_calls_opportunity_id_opportunities"),
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_calls")),
    )
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.create_index(
            "ix_calls_account_started", ["account_id", "started_at"], unique=False
        )
        batch_op.create_index("ix_calls_agent_started", ["agent_id", "started_at"], unique=False)
        batch_op.create_index(batch_op.f("ix_calls_case_id"), ["case_id"], unique=False)
        batch_op.create_index(
            "ix_calls_contact_started", ["contact_id", "started_at"], unique=False
        )
        batch_op.create_index("ix_calls_lead_started", ["lead_id", "started_at"], unique=False)
        batch_op.create_index(
            batch_op.f("ix_calls_opportunity_id"), ["opportunity_id"], unique=False
        )
        batch_op.create_index(batch_op.f("ix_calls_remote_e164"), ["remote_e164"], unique=False)
        batch_op.create_index(batch_op.f("ix_calls_sip_call_id"), ["sip_call_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_calls_started_at"), ["started_at"], unique=False)

    op.create_table(
        "callbacks",
        sa.Column("due_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("agent_id", sa.Uuid(), nullable=True),
        sa.Column("contact_id", sa.Uuid(), nullable=True),
        sa.Column("lead_id", sa.Uuid(), nullable=True),
        sa.Column("phone_e164", sa.String(length=16), nullable=True),
        sa.Column("note", sa.Text(), nullable=True),
        sa.Column(
            "status",
            sa.Enum(
                "pending", "done", "cancelled", name="callback_status", native_enum=False, length=20
            ),
            nullable=False,
        ),
        sa.Column("call_id", sa.Uuid(), nullable=True),
        sa.Column("completed_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("version", sa.Integer(), nullable=False),
        sa.Column("deleted_at", sa.DateTime(timezone=True), nullable=True),
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.Column("updated_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["agent_id"], ["users.id"], name=op.f("fk_callbacks_agent_id_users")
        ),
        sa.ForeignKeyConstraint(["call_id"], ["calls.id"], name=op.f("fk_callbacks_call_id_calls")),
        sa.ForeignKeyConstraint(
            ["contact_id"], ["contacts.id"], name=op.f("fk_callbacks_contact_id_contacts")
        ),
        sa.ForeignKeyConstraint(["lead_id"], ["leads.id"], name=op.f("fk_callbacks_lead_id_leads")),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_callbacks")),
    )
    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.create_index(batch_op.f("ix_callbacks_agent_id"), ["agent_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_callbacks_contact_id"), ["contact_id"], unique=False)
        batch_op.create_index(batch_op.f("ix_callbacks_lead_id"), ["lead_id"], unique=False)
        batch_op.create_index("ix_callbacks_status_due", ["status", "due_at"], unique=False)


def downgrade() -> None:

    with op.batch_alter_table("callbacks", schema=None) as batch_op:
        batch_op.drop_index("ix_callbacks_status_due")
        batch_op.drop_index(batch_op.f("ix_callbacks_lead_id"))
        batch_op.drop_index(batch_op.f("ix_callbacks_contact_id"))
        batch_op.drop_index(batch_op.f("ix_callbacks_agent_id"))

    op.drop_table("callbacks")
    with op.batch_alter_table("calls", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_calls_started_at"))
        batch_op.drop_index(batch_op.f("ix_calls_sip_call_id"))
        batch_op.drop_index(batch_op.f("ix_calls_remote_e164"))
        batch_op.drop_index(batch_op.f("ix_calls_opportunity_id"))
        batch_op.drop_index("ix_calls_lead_started")
        batch_op.drop_index("ix_calls_contact_started")
        batch_op.drop_index(batch_op.f("ix_calls_case_id"))
        batch_op.drop_index("ix_calls_agent_started")
        batch_op.drop_index("ix_calls_account_started")

    op.drop_table("calls")
    with op.batch_alter_table("service_cases", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_service_cases_owner_id"))
        batch_op.drop_index(batch_op.f("ix_service_cases_contact_id"))
        batch_op.drop_index(batch_op.f("ix_service_cases_account_id"))

    op.drop_table("service_cases")
    with op.batch_alter_table("phone_numbers", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_phone_numbers_lead_id"))
        batch_op.drop_index(batch_op.f("ix_phone_numbers_e164"))
        batch_op.drop_index(batch_op.f("ix_phone_numbers_contact_id"))
        batch_op.drop_index(batch_op.f("ix_phone_numbers_account_id"))

    op.drop_table("phone_numbers")
    with op.batch_alter_table("opportunities", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_opportunities_owner_id"))
        batch_op.drop_index(batch_op.f("ix_opportunities_contact_id"))
        batch_op.drop_index(batch_op.f("ix_opportunities_account_id"))

    op.drop_table("opportunities")
    with op.batch_alter_table("contacts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_contacts_owner_id"))
        batch_op.drop_index("ix_contacts_last_first")
        batch_op.drop_index(batch_op.f("ix_contacts_email"))
        batch_op.drop_index(batch_op.f("ix_contacts_account_id"))

    op.drop_table("contacts")
    with op.batch_alter_table("leads", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_leads_owner_id"))
        batch_op.drop_index(batch_op.f("ix_leads_email"))

    op.drop_table("leads")
    with op.batch_alter_table("audit_log", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_audit_log_entity_id"))
        batch_op.drop_index(batch_op.f("ix_audit_log_at"))

    op.drop_table("audit_log")
    with op.batch_alter_table("accounts", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_accounts_owner_id"))
        batch_op.drop_index(batch_op.f("ix_accounts_name"))

    op.drop_table("accounts")
    with op.batch_alter_table("users", schema=None) as batch_op:
        batch_op.drop_index(batch_op.f("ix_users_team_id"))

    op.drop_table("users")
    op.drop_table("teams")
    op.drop_table("dispositions")
