"""The role matrix: read it, change one cell, grant or revoke a capability, restore defaults."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, TypeVar

from sqlalchemy import delete, insert, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.access import (
    DEFAULT_CAPABILITIES,
    DEFAULT_PERMISSIONS,
    Action,
    Capability,
    Depth,
    RecordKind,
)
from agentdesk.domain.enums import AuditAction, Role
from agentdesk.org.admin import OrgError, acting_user, audit_actor, require_capability
from agentdesk.org.models import CapabilityGrant, Permission
from agentdesk.org.users import AgentRef


@dataclass(frozen=True, slots=True)
class RoleInfo:
    role: Role
    matrix: dict[RecordKind, dict[Action, Depth]]
    capabilities: frozenset[Capability]

    def to_json(self) -> dict[str, Any]:
        return {
            "role": str(self.role),
            "permissions": {
                str(kind): {str(a): str(d) for a, d in row.items()}
                for kind, row in self.matrix.items()
            },
            "capabilities": sorted(str(c) for c in self.capabilities),
        }


E = TypeVar("E", Role, RecordKind, Action, Depth, Capability)


def _code(kind: type[E], value: str) -> E:
    try:
        return kind(value)
    except ValueError:
        choices = ", ".join(m.value for m in kind)
        raise OrgError(f"unknown {kind.__name__.lower()} {value!r}: use {choices}") from None


def show_role(sessions: sessionmaker[Session], role: str) -> RoleInfo:
    code = _code(Role, role)
    with sessions() as session:
        matrix = {kind: dict.fromkeys(Action, Depth.NONE) for kind in RecordKind}
        for kind, action, depth in session.execute(
            select(Permission.kind, Permission.action, Permission.depth).where(
                Permission.role == code
            )
        ):
            matrix[kind][action] = depth
        caps = session.scalars(
            select(CapabilityGrant.capability).where(CapabilityGrant.role == code)
        )
        return RoleInfo(code, matrix, frozenset(caps))


def set_permission(
    sessions: sessionmaker[Session],
    role: str,
    kind: str,
    action: str,
    depth: str,
    agent: AgentRef | None = None,
) -> RoleInfo:
    """Set how far ``role`` may take ``action`` on ``kind`` (admins only)."""
    code, k, a, d = (
        _code(Role, role),
        _code(RecordKind, kind),
        _code(Action, action),
        _code(Depth, depth),
    )
    with unit_of_work(sessions) as session:
        who = acting_user(session, agent)
        require_capability(session, who, Capability.MANAGE_USERS)
        _write_cell(session, code, k, a, d)
        audit(session, audit_actor(session, who), AuditAction.UPDATE, "role", None,
              {"role": str(code), "kind": str(k), "action": str(a), "depth": str(d)})  # fmt: skip
    return show_role(sessions, role)


def set_capability(
    sessions: sessionmaker[Session],
    role: str,
    capability: str,
    granted: bool,
    agent: AgentRef | None = None,
) -> RoleInfo:
    code, cap = _code(Role, role), _code(Capability, capability)
    with unit_of_work(sessions) as session:
        who = acting_user(session, agent)
        require_capability(session, who, Capability.MANAGE_USERS)
        session.execute(
            delete(CapabilityGrant).where(
                CapabilityGrant.role == code, CapabilityGrant.capability == cap
            )
        )
        if granted:
            session.execute(insert(CapabilityGrant).values(role=code, capability=cap))
        audit(session, audit_actor(session, who), AuditAction.UPDATE, "role", None,
              {"role": str(code), "capability": str(cap), "granted": granted})  # fmt: skip
    return show_role(sessions, role)


def _write_cell(
    session: Session, role: Role, kind: RecordKind, action: Action, depth: Depth
) -> None:
    session.execute(
        delete(Permission).where(
            Permission.role == role, Permission.kind == kind, Permission.action == action
        )
    )
    session.execute(insert(Permission).values(role=role, kind=kind, action=action, depth=depth))


def restore_defaults(session: Session) -> None:
    """Put the shipped matrix and capabilities back (tests, and a new database's seed).

    Writes nothing when the tables hold them already: on PostgreSQL every write re-grants the
    fast-path policies, which locks the tables they guard.
    """
    wanted_cells = {
        (role, kind, action, depth)
        for role, matrix in DEFAULT_PERMISSIONS.items()
        for kind, row in matrix.items()
        for action, depth in row.items()
    }
    wanted_caps = {(role, cap) for role, caps in DEFAULT_CAPABILITIES.items() for cap in caps}
    cells = {
        (r, k, a, d)
        for r, k, a, d in session.execute(
            select(Permission.role, Permission.kind, Permission.action, Permission.depth)
        )
    }
    caps = {
        (r, c) for r, c in session.execute(select(CapabilityGrant.role, CapabilityGrant.capability))
    }
    if cells != wanted_cells:
        session.execute(delete(Permission))
        session.execute(
            insert(Permission),
            [{"role": r, "kind": k, "action": a, "depth": d} for r, k, a, d in wanted_cells],
        )
    if caps != wanted_caps:
        session.execute(delete(CapabilityGrant))
        session.execute(
            insert(CapabilityGrant), [{"role": r, "capability": c} for r, c in wanted_caps]
        )
