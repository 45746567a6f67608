"""The records a print shows, read only with the ``print`` capability and audited as a print;
and the audit step of a print that reads its records itself.

On a PostgreSQL desk login the rows come from ``agentdesk_print_records`` (migration 0013),
which checks the capability again and writes the audit entry in the transaction that returns
them, so a print cannot skip its audit entry. SQLite and the owner's connection acting for a
user apply the same check and write the same entry here, in one transaction with the read.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from datetime import date
from decimal import Decimal
from enum import Enum
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session, sessionmaker
from sqlalchemy.types import Uuid

from agentdesk.crm.permissions import acting_access, owned
from agentdesk.crm.read_scope import row_policies_apply
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RecordNotFoundError
from agentdesk.domain.access import Capability
from agentdesk.domain.enums import AuditAction
from agentdesk.org.access import Access
from agentdesk.org.admin import audit_actor
from agentdesk.org.users import AgentRef


def records_to_print(
    sessions: sessionmaker[Session],
    kind: str,
    ids: Sequence[uuid.UUID],
    *,
    actor: AgentRef | None = None,
) -> list[dict[str, Any]]:
    """The records ``ids`` of ``kind`` the acting user may read, as JSON-ready dicts in id
    order; one audit entry names them all.

    Raises :class:`~agentdesk.org.access.AccessDeniedError` without the ``print`` capability
    (nothing is read and nothing audited then).
    """
    record_kind, what = owned(kind)
    wanted = sorted(set(ids))
    with unit_of_work(sessions) as session:
        access = acting_access(session, actor)
        if access is not None:  # refused in the user's words before the database refuses
            access.require(Capability.PRINT)
        if row_policies_apply(session):
            array = bindparam("ids", wanted, type_=ARRAY(Uuid()))
            printed = func.agentdesk_print_records(record_kind.value, array)
            return [dict(row) for row in session.scalars(select(printed))]
        model = what.model
        stmt = select(model).where(model.id.in_(wanted), model.deleted_at.is_(None))
        if access is not None:
            owner = getattr(model, what.owner)  # the kind's owner column, from OWNED
            stmt = stmt.where(access.visible(record_kind, owner, model.id))
        rows = [_jsonable(row) for row in session.scalars(stmt.order_by(model.id))]
        audit(
            session,
            audit_actor(session, access.username if access is not None else None),
            AuditAction.PRINT,
            record_kind.value,
            wanted[0] if len(wanted) == 1 else None,
            {"print": record_kind.value, "ids": [str(i) for i in wanted]},
        )
        return rows


def audit_print(
    session: Session,
    access: Access | None,
    kind: str,
    record_id: uuid.UUID,
    details: dict[str, Any],
) -> None:
    """The audit entry of a print the caller renders itself (a quote's PDF), in the caller's
    transaction: on a desk login written by ``agentdesk_print_records``, which checks the
    ``print`` capability again and refuses a record the login may not read; elsewhere here.
    ``details`` (the number, the language...) go in the entry written here; the database's
    entry names the record.
    """
    if access is not None:
        access.require(Capability.PRINT)
    if row_policies_apply(session):
        array = bindparam("ids", [record_id], type_=ARRAY(Uuid()))
        printed = list(session.scalars(select(func.agentdesk_print_records(kind, array))))
        if not printed:  # the policies hid it: nothing of it may be printed
            raise RecordNotFoundError(kind, record_id)
        return
    who = audit_actor(session, access.username if access is not None else None)
    audit(session, who, AuditAction.PRINT, kind, record_id, {"print": kind, **details})


def _jsonable(row: Any) -> dict[str, Any]:
    """A row's columns as JSON values: ids and decimals as text, dates and times in ISO."""
    values: dict[str, Any] = {}
    for column in row.__table__.columns:
        value = getattr(row, column.key)
        match value:
            case uuid.UUID() | Decimal():
                value = str(value)
            case date():  # datetimes too
                value = value.isoformat()
            case Enum():
                value = value.value
        values[column.name] = value
    return values
