"""What the acting user may do: the permission table, their scope and shares, read once per
request and applied by the services (:func:`domain.access.allows` is the rule).

On PostgreSQL the row-level security policies apply the same rule in the database (migration
0009); on SQLite, one user on one machine, these checks are a convenience, not a boundary.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from sqlalchemy import ColumnElement, and_, false, or_, select, true
from sqlalchemy.orm import InstrumentedAttribute, Session

from agentdesk.db.errors import RequestError
from agentdesk.domain.access import (
    Action,
    Capability,
    Depth,
    Reach,
    RecordKind,
    Refusal,
    Share,
    allows,
)
from agentdesk.domain.enums import Role
from agentdesk.org.models import CapabilityGrant, Permission, RecordShare, ScopeRow
from agentdesk.org.users import AgentRef, find_user


class AccessDeniedError(RequestError):
    """The acting user's role does not allow this: ``refusal`` says what, in codes the UI words
    in its language; the message is the English the CLI prints."""

    def __init__(self, username: str, refusal: Refusal) -> None:
        super().__init__(f"{username} may not {refusal.english()}")
        self.username = username
        self.refusal = refusal


@dataclass(frozen=True, slots=True)
class Access:
    """One user's permissions as of the start of a request."""

    user_id: uuid.UUID
    username: str
    role: Role
    depths: Mapping[tuple[RecordKind, Action], Depth]
    capabilities: frozenset[Capability]
    team: frozenset[uuid.UUID]
    department: frozenset[uuid.UUID]

    def depth(self, kind: RecordKind, action: Action) -> Depth:
        return self.depths.get((kind, action), Depth.NONE)

    def reach(self, owner_id: uuid.UUID | None) -> Reach | None:
        """How close ``owner_id`` is to this user; ``None`` for a record nobody owns."""
        if owner_id is None:
            return None
        if owner_id == self.user_id:
            return Reach.SELF
        if owner_id in self.team:
            return Reach.TEAM
        if owner_id in self.department:
            return Reach.DEPARTMENT
        return Reach.OTHER

    def may(
        self,
        kind: RecordKind,
        action: Action,
        owner_id: uuid.UUID | None,
        share: Share | None = None,
    ) -> bool:
        return allows(self.depth(kind, action), action, self.reach(owner_id), share)

    def has(self, capability: Capability) -> bool:
        return capability in self.capabilities

    def require(self, capability: Capability) -> None:
        if capability not in self.capabilities:
            raise AccessDeniedError(self.username, Refusal(capability=capability))

    def check(
        self,
        session: Session,
        kind: RecordKind,
        action: Action,
        record_id: uuid.UUID | None,
        owner_id: uuid.UUID | None,
    ) -> None:
        """Raise :class:`AccessDeniedError` unless ``action`` on the record is allowed."""
        share = share_of(session, kind, record_id, self.user_id) if record_id else None
        if not self.may(kind, action, owner_id, share):
            raise AccessDeniedError(self.username, Refusal(action, kind))

    def check_create(self, kind: RecordKind, owner_id: uuid.UUID | None) -> None:
        """Creating for someone else is a reassignment: it needs the capability too."""
        if self.depth(kind, Action.CREATE) is Depth.NONE:
            raise AccessDeniedError(self.username, Refusal(Action.CREATE, kind))
        if owner_id not in (None, self.user_id) and not (
            self.has(Capability.REASSIGN) or self.depth(kind, Action.CREATE) is Depth.ALL
        ):
            raise AccessDeniedError(self.username, Refusal(capability=Capability.REASSIGN))

    def visible(
        self,
        kind: RecordKind,
        owner: InstrumentedAttribute[uuid.UUID | None] | ColumnElement[Any],
        record_id: InstrumentedAttribute[uuid.UUID] | ColumnElement[Any],
        action: Action = Action.READ,
    ) -> ColumnElement[bool]:
        """A filter for the records ``action`` reaches, for list and search queries."""
        depth = self.depth(kind, action)
        if depth is Depth.ALL:
            return true()
        shared = record_id.in_(
            select(RecordShare.record_id).where(
                RecordShare.user_id == self.user_id,
                RecordShare.kind == kind,
                true() if action is Action.READ else RecordShare.can_write.is_(True),
            )
        )
        if depth is Depth.NONE:
            return shared if action in (Action.READ, Action.UPDATE) else false()
        owners = {
            Depth.OWN: {self.user_id},
            Depth.TEAM: self.team,
            Depth.DEPARTMENT: self.department,
        }
        return or_(owner.is_(None), owner.in_(owners[depth] | {self.user_id}), shared)


def share_of(
    session: Session, kind: RecordKind, record_id: uuid.UUID, user_id: uuid.UUID
) -> Share | None:
    can_write = session.scalar(
        select(RecordShare.can_write).where(
            and_(
                RecordShare.kind == kind,
                RecordShare.record_id == record_id,
                RecordShare.user_id == user_id,
            )
        )
    )
    if can_write is None:
        return None
    return Share.WRITE if can_write else Share.READ


def access_for(session: Session, agent: AgentRef) -> Access:
    """The permissions of the active user ``agent`` (:class:`UnknownAgentError` otherwise)."""
    user = find_user(session, agent)
    depths = {
        (kind, action): depth
        for kind, action, depth in session.execute(
            select(Permission.kind, Permission.action, Permission.depth).where(
                Permission.role == user.role
            )
        )
    }
    capabilities = frozenset(
        session.scalars(select(CapabilityGrant.capability).where(CapabilityGrant.role == user.role))
    )
    scope: dict[Depth, set[uuid.UUID]] = {Depth.TEAM: set(), Depth.DEPARTMENT: set()}
    for depth, owner_id in session.execute(
        select(ScopeRow.depth, ScopeRow.owner_id).where(ScopeRow.viewer_id == user.id)
    ):
        scope[depth].add(owner_id)
    return Access(
        user_id=user.id,
        username=user.username,
        role=user.role,
        depths=depths,
        capabilities=capabilities,
        team=frozenset(scope[Depth.TEAM]),
        department=frozenset(scope[Depth.DEPARTMENT] | scope[Depth.TEAM]),
    )
