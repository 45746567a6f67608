"""The organisation's tables: users, teams, the permission matrix, shares and the scope table."""

from __future__ import annotations

import uuid
from datetime import datetime

from sqlalchemy import ForeignKey, Index, String, UniqueConstraint
from sqlalchemy.orm import Mapped, mapped_column

from agentdesk.db.base import Base, SharedRecord, UuidPk, str_enum
from agentdesk.domain.access import Action, Capability, Depth, RecordKind
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import Role


class Team(SharedRecord, Base):
    """A team; a team with teams below it is a department (``parent_id`` points up)."""

    __tablename__ = "teams"

    name: Mapped[str] = mapped_column(String(100), unique=True)
    parent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), index=True)


class User(SharedRecord, Base):
    """Anyone who signs in: agents, supervisors, sales and service staff, admins.

    On PostgreSQL the username is also the user's login role (``org/pg_logins.py``).
    """

    __tablename__ = "users"

    username: Mapped[str] = mapped_column(String(100), unique=True)
    display_name: Mapped[str] = mapped_column(String(200))
    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), default=Role.AGENT)
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"), index=True)
    email: Mapped[str | None] = mapped_column(String(254))
    sip_extension: Mapped[str | None] = mapped_column(String(64))
    active: Mapped[bool] = mapped_column(default=True)


class Permission(Base):
    """One cell of the role matrix: how far ``role`` may take ``action`` on ``kind``."""

    __tablename__ = "org_permissions"

    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), primary_key=True)
    kind: Mapped[RecordKind] = mapped_column(str_enum(RecordKind, "record_kind"), primary_key=True)
    action: Mapped[Action] = mapped_column(str_enum(Action, "access_action"), primary_key=True)
    depth: Mapped[Depth] = mapped_column(str_enum(Depth, "access_depth"))


class CapabilityGrant(Base):
    """A capability (export, print, reassign, ...) a role has."""

    __tablename__ = "org_capabilities"

    role: Mapped[Role] = mapped_column(str_enum(Role, "role"), primary_key=True)
    capability: Mapped[Capability] = mapped_column(
        str_enum(Capability, "capability"), primary_key=True
    )


class RecordShare(UuidPk, Base):
    """A record shared with a colleague, to read or (``can_write``) to read and update."""

    __tablename__ = "record_shares"
    __table_args__ = (
        UniqueConstraint("kind", "record_id", "user_id"),
        Index("ix_record_shares_user_kind", "user_id", "kind"),
    )

    kind: Mapped[RecordKind] = mapped_column(str_enum(RecordKind, "record_kind"))
    record_id: Mapped[uuid.UUID]
    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    can_write: Mapped[bool] = mapped_column(default=False)
    created_at: Mapped[datetime] = mapped_column(default=utcnow)


class ScopeRow(Base):
    """Maintained from users and teams (``org/scope.py``): whose records a viewer's ``team``
    and ``department`` depths reach. The access checks and the PostgreSQL policies read it
    instead of walking the team tree for every row."""

    __tablename__ = "org_scope"

    viewer_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
    depth: Mapped[Depth] = mapped_column(str_enum(Depth, "access_depth"), primary_key=True)
    owner_id: Mapped[uuid.UUID] = mapped_column(primary_key=True)
