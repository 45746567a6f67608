"""org: teams nest into departments; the role matrix, capabilities, shares and the scope table

The defaults below are the matrix this revision shipped with (``domain/access.py`` holds the
current defaults; an admin changes the table with ``agentdesk role set``). On PostgreSQL the
next revision adds the login roles and the row-level security that reads these tables.

Revision ID: 0008
Revises: 0007
Create Date: 2026-12-04
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0008"
down_revision = "0007"
branch_labels = None
depends_on = None

# role -> kind -> "read create update delete" depths
PERMISSIONS = {
    "agent": {
        "accounts": "all own own none",
        "contacts": "all own own none",
        "leads": "all own own none",
        "opportunities": "all own own none",
        "quotes": "own own own none",
        "orders": "own own own none",
        "cases": "all own own none",
        "calls": "all own own none",
        "callbacks": "all own own own",
        "campaigns": "own none none none",
        "users": "all none none none",
    },
    "service_agent": {
        "accounts": "all own own none",
        "contacts": "all own own none",
        "leads": "all own own none",
        "opportunities": "all own own none",
        "quotes": "own own own none",
        "orders": "own own own none",
        "cases": "all own team none",
        "calls": "all own own none",
        "callbacks": "all own own own",
        "campaigns": "own none none none",
        "users": "all none none none",
    },
    "supervisor": {
        "accounts": "all own department none",
        "contacts": "all own department none",
        "leads": "all own department none",
        "opportunities": "department own department none",
        "quotes": "department own department none",
        "orders": "department own department none",
        "cases": "all own department none",
        "calls": "department own department none",
        "callbacks": "department own department department",
        "campaigns": "all all all none",
        "users": "all none none none",
    },
    "sales_rep": {
        "accounts": "own own own own",
        "contacts": "own own own own",
        "leads": "own own own own",
        "opportunities": "own own own own",
        "quotes": "own own own own",
        "orders": "own own own own",
        "cases": "own own own none",
        "calls": "own own own none",
        "callbacks": "own own own own",
        "campaigns": "own none none none",
        "users": "all none none none",
    },
    "sales_manager": {
        "accounts": "department own department department",
        "contacts": "department own department department",
        "leads": "department own department department",
        "opportunities": "department own department department",
        "quotes": "department own department department",
        "orders": "department own department department",
        "cases": "department own department none",
        "calls": "department own department none",
        "callbacks": "department own department department",
        "campaigns": "all all all none",
        "users": "all none none none",
    },
    "admin": {
        "accounts": "all all all all",
        "contacts": "all all all all",
        "leads": "all all all all",
        "opportunities": "all all all all",
        "quotes": "all all all all",
        "orders": "all all all all",
        "cases": "all all all all",
        "calls": "all all all all",
        "callbacks": "all all all all",
        "campaigns": "all all all all",
        "users": "all all all all",
    },
}
CAPABILITIES = {
    "agent": "go_offline print",
    "service_agent": "go_offline print",
    "sales_rep": "go_offline print",
    "supervisor": "export go_offline print publish_articles reassign view_board",
    "sales_manager": "approve_orders export go_offline print reassign view_board",
    "admin": (
        "approve_orders export go_offline manage_users print publish_articles reassign view_board"
    ),
}
ACTIONS = ("read", "create", "update", "delete")


def upgrade() -> None:
    _add_parent_column()
    op.create_index(op.f("ix_teams_parent_id"), "teams", ["parent_id"], unique=False)
    permissions = op.create_table(
        "org_permissions",
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("action", sa.String(20), nullable=False),
        sa.Column("depth", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("role", "kind", "action", name=op.f("pk_org_permissions")),
    )
    capabilities = op.create_table(
        "org_capabilities",
        sa.Column("role", sa.String(20), nullable=False),
        sa.Column("capability", sa.String(20), nullable=False),
        sa.PrimaryKeyConstraint("role", "capability", name=op.f("pk_org_capabilities")),
    )
    op.create_table(
        "record_shares",
        sa.Column("id", sa.Uuid(), nullable=False),
        sa.Column("kind", sa.String(20), nullable=False),
        sa.Column("record_id", sa.Uuid(), nullable=False),
        sa.Column("user_id", sa.Uuid(), nullable=False),
        sa.Column("can_write", sa.Boolean(), nullable=False),
        sa.Column("created_at", sa.DateTime(timezone=True), nullable=False),
        sa.ForeignKeyConstraint(
            ["user_id"], ["users.id"], name=op.f("fk_record_shares_user_id_users")
        ),
        sa.PrimaryKeyConstraint("id", name=op.f("pk_record_shares")),
        sa.UniqueConstraint("kind", "record_id", "user_id", name=op.f("uq_record_shares_kind")),
    )
    op.create_index("ix_record_shares_user_kind", "record_shares", ["user_id", "kind"])
    op.create_table(
        "org_scope",
        sa.Column("viewer_id", sa.Uuid(), nullable=False),
        sa.Column("depth", sa.String(20), nullable=False),
        sa.Column("owner_id", sa.Uuid(), nullable=False),
        sa.PrimaryKeyConstraint("viewer_id", "depth", "owner_id", name=op.f("pk_org_scope")),
    )
    op.bulk_insert(
        permissions,
        [
            {"role": role, "kind": kind, "action": action, "depth": depth}
            for role, kinds in PERMISSIONS.items()
            for kind, depths in kinds.items()
            for action, depth in zip(ACTIONS, depths.split(), strict=True)
        ],
    )
    op.bulk_insert(
        capabilities,
        [
            {"role": role, "capability": cap}
            for role, caps in CAPABILITIES.items()
            for cap in caps.split()
        ],
    )


def downgrade() -> None:
    op.drop_table("org_scope")
    op.drop_index("ix_record_shares_user_kind", table_name="record_shares")
    op.drop_table("record_shares")
    op.drop_table("org_capabilities")
    op.drop_table("org_permissions")
    op.drop_index(op.f("ix_teams_parent_id"), table_name="teams")
    if op.get_bind().dialect.name == "sqlite":
        # SQLite cannot drop a column with a foreign key without rebuilding teams, which users
        # reference; the column stays, unused by the earlier version, and upgrade keeps it.
        return
    op.drop_constraint(op.f("fk_teams_parent_id_teams"), "teams", type_="foreignkey")
    op.drop_column("teams", "parent_id")


def _add_parent_column() -> None:
    bind = op.get_bind()
    if "parent_id" in {c["name"] for c in sa.inspect(bind).get_columns("teams")}:
        return  # an SQLite database downgraded from this revision keeps the column
    if bind.dialect.name == "sqlite":
        # ADD COLUMN with REFERENCES: batch mode would rebuild teams, which users reference
        op.execute(
            "ALTER TABLE teams ADD COLUMN parent_id CHAR(32) "
            "CONSTRAINT fk_teams_parent_id_teams REFERENCES teams (id)"
        )
        return
    op.add_column("teams", sa.Column("parent_id", sa.Uuid(), nullable=True))
    op.create_foreign_key(op.f("fk_teams_parent_id_teams"), "teams", "teams", ["parent_id"], ["id"])
