"""Who owns a record, and the ownership operations of a CRM: assign (one or a selection),
claim from the common pool, share with a colleague, transfer everything a leaving rep owns,
and update one field over a selection. Each is checked against the acting user's role
(``org/access.py``) and audited in the same transaction.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable

from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Callback
from agentdesk.crm.permissions import (
    OWNED,
    acting_access,
    check_edit,
    owned,
    owner_of,
)
from agentdesk.crm.records_edit import clean_changes
from agentdesk.db.audit import audit
from agentdesk.db.base import SharedRecord
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RecordNotFoundError, RequestError
from agentdesk.domain.access import Action, Capability, RecordKind, Refusal
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction, CallbackStatus
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import audit_actor, user_id_of
from agentdesk.org.models import RecordShare
from agentdesk.org.users import AgentRef


def _load(session: Session, kind: RecordKind, record_id: uuid.UUID) -> SharedRecord:
    row = session.get(OWNED[kind].model, record_id)
    if row is None or row.deleted_at is not None:
        raise RecordNotFoundError(kind.value, record_id)
    return row


def assign(
    sessions: sessionmaker[Session],
    kind: str,
    ids: Iterable[uuid.UUID],
    to_user: str,
    agent: AgentRef | None = None,
) -> int:
    """Give the records ``ids`` to ``to_user``; returns how many changed owner."""
    record_kind, what = owned(kind)
    changed = 0
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        target = user_id_of(session, to_user)
        actor = audit_actor(session, access.username if access else None)
        for record_id in ids:
            row = _load(session, record_kind, record_id)
            before = owner_of(row, record_kind)
            if before == target:
                continue
            check_edit(session, access, record_kind, row, target)
            if access is not None and not access.may(record_kind, Action.UPDATE, target):
                # as PostgreSQL's WITH CHECK: the record must stay within the assigner's reach
                raise AccessDeniedError(
                    access.username, Refusal(Action.UPDATE, record_kind, recipient=to_user)
                )
            setattr(row, what.owner, target)  # the kind's owner column, from OWNED
            changed += 1
            audit(session, actor, AuditAction.ASSIGN, record_kind.value, record_id,
                  {"from": str(before) if before else None, "to": to_user})  # fmt: skip
    return changed


def share(
    sessions: sessionmaker[Session],
    kind: str,
    record_id: uuid.UUID,
    with_user: str,
    *,
    write: bool = False,
    agent: AgentRef | None = None,
) -> None:
    """Share a record with a colleague (to read, or with ``write`` to read and update)."""
    record_kind, _ = owned(kind)
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        row = _load(session, record_kind, record_id)
        if access is not None and not access.has(Capability.REASSIGN):
            access.check(session, record_kind, Action.UPDATE, record_id, owner_of(row, record_kind))
        target = user_id_of(session, with_user)
        existing = session.scalar(
            select(RecordShare).where(
                RecordShare.kind == record_kind,
                RecordShare.record_id == record_id,
                RecordShare.user_id == target,
            )
        )
        if existing is None:
            session.add(
                RecordShare(kind=record_kind, record_id=record_id, user_id=target, can_write=write)
            )
        else:
            existing.can_write = write
        audit(session, audit_actor(session, access.username if access else None),
              AuditAction.SHARE, record_kind.value, record_id,
              {"with": with_user, "write": write})  # fmt: skip


def transfer(
    sessions: sessionmaker[Session],
    from_user: str,
    to_user: str,
    agent: AgentRef | None = None,
) -> dict[str, int]:
    """Move everything ``from_user`` owns (and their pending callbacks) to ``to_user``;
    returns the count per kind. Needs the ``reassign`` capability."""
    moved: dict[str, int] = {}
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        if access is not None:
            access.require(Capability.REASSIGN)
        source, target = user_id_of(session, from_user), user_id_of(session, to_user)
        actor = audit_actor(session, access.username if access else None)
        for kind, what in OWNED.items():
            column = what.model.__table__.c[what.owner]  # type: ignore[attr-defined]
            stmt = (
                update(what.model)
                .where(column == source, what.model.deleted_at.is_(None))
                .values(
                    {what.owner: target, "version": what.model.version + 1, "updated_at": utcnow()}
                )
                .execution_options(synchronize_session=False)
            )
            if what.model is Callback:
                stmt = stmt.where(Callback.status == CallbackStatus.PENDING)
            count = session.execute(stmt).rowcount  # type: ignore[attr-defined]
            if count:
                moved[kind.value] = int(count)
                audit(session, actor, AuditAction.TRANSFER, kind.value, None,
                      {"from": from_user, "to": to_user, "count": int(count)})  # fmt: skip
    return moved


def batch_update(
    sessions: sessionmaker[Session],
    kind: str,
    ids: Iterable[uuid.UUID],
    field: str,
    value: object,
    agent: AgentRef | None = None,
) -> int:
    """Set one field to one value over a selection; all or nothing. Returns the count."""
    record_kind, what = owned(kind)
    if field == what.owner:
        raise RequestError(f"change owners with assign, not a batch update of {field}")
    cleaned = clean_changes(what.model, record_kind.value, {field: value}, what.editable)
    count = 0
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        actor = audit_actor(session, access.username if access else None)
        for record_id in ids:
            row = _load(session, record_kind, record_id)
            check_edit(session, access, record_kind, row)
            before = getattr(row, field)  # a field named in the kind's editable list
            setattr(row, field, cleaned[field])
            count += 1
            audit(session, actor, AuditAction.UPDATE, record_kind.value, record_id,
                  {"field": field, "from": _text(before), "to": _text(cleaned[field]),
                   "batch": True})  # fmt: skip
    return count


def _text(value: object) -> str | None:
    return None if value is None else str(value)
