"""Optimistic concurrency for shared records: an edit names the version it was based on.

If another agent saved in between, :class:`~agentdesk.db.errors.StaleRecordError` carries the
other agent's values, so nothing is silently overwritten and the form can merge.
"""

from __future__ import annotations

import uuid
from collections.abc import Mapping
from typing import Any

from sqlalchemy import Connection, Engine
from sqlalchemy.orm import Session
from sqlalchemy.orm.exc import StaleDataError

from agentdesk.db.audit import Actor, audit
from agentdesk.db.base import SharedRecord
from agentdesk.db.errors import RecordNotFoundError, StaleRecordError
from agentdesk.domain.enums import AuditAction


def get_live(session: Session, model: type[Any], record_id: uuid.UUID, kind: str) -> Any:
    """The record, or :class:`RecordNotFoundError` when it is missing or soft-deleted."""
    record = session.get(model, record_id)
    if record is None or record.deleted_at is not None:
        raise RecordNotFoundError(kind, record_id)
    return record


def check_version(
    record: SharedRecord | None,
    kind: str,
    record_id: uuid.UUID,
    expected_version: int,
    fields: tuple[str, ...],
) -> None:
    """Raise :class:`StaleRecordError` unless ``record`` exists at ``expected_version``."""
    if record is None or record.deleted_at is not None:
        raise StaleRecordError(kind, record_id, expected_version, None, {})
    if record.version != expected_version:
        raise StaleRecordError(
            kind, record_id, expected_version, record.version, _values(record, fields)
        )


def flush_versioned(
    session: Session,
    record: SharedRecord,
    kind: str,
    expected_version: int,
    fields: tuple[str, ...],
) -> None:
    """Flush an edit; a concurrent commit between read and write becomes StaleRecordError."""
    # A failed flush rolls the session back and expires ``record``: take what we need first.
    bind, model, record_id = session.get_bind(), type(record), record.id
    try:
        session.flush()
    except StaleDataError as exc:
        # The ORM's UPDATE ... WHERE version = :read matched nothing: someone committed after
        # our read. Their values come from a fresh connection; the caller's unit of work rolls
        # this one back.
        raise _stale_from_fresh_read(bind, model, record_id, kind, expected_version,
                                     fields) from exc  # fmt: skip


def edit_versioned(
    session: Session,
    model: type[SharedRecord],
    kind: str,
    record_id: uuid.UUID,
    expected_version: int,
    changes: Mapping[str, object],
    fields: tuple[str, ...],
    actor: Actor | None,
) -> SharedRecord:
    """Apply ``changes`` to the record if it is still at ``expected_version``, with an audit
    entry of the fields and their old values; :class:`StaleRecordError` otherwise."""
    record = session.get(model, record_id)
    check_version(record, kind, record_id, expected_version, fields)
    assert record is not None
    before = {name: getattr(record, name) for name in changes}
    for name, value in changes.items():
        setattr(record, name, value)
    flush_versioned(session, record, kind, expected_version, fields)
    audit(
        session,
        actor,
        AuditAction.UPDATE,
        kind,
        record_id,
        {"fields": sorted(changes), "before": {k: _jsonable(v) for k, v in before.items()}},
    )
    return record


def _stale_from_fresh_read(
    bind: Engine | Connection,
    model: type[SharedRecord],
    record_id: uuid.UUID,
    kind: str,
    expected_version: int,
    fields: tuple[str, ...],
) -> StaleRecordError:
    with Session(bind) as fresh:
        current = fresh.get(model, record_id)
        if current is None or current.deleted_at is not None:
            return StaleRecordError(kind, record_id, expected_version, None, {})
        return StaleRecordError(
            kind, record_id, expected_version, current.version, _values(current, fields)
        )


def _values(record: object, fields: tuple[str, ...]) -> dict[str, object]:
    return {name: getattr(record, name) for name in fields}


def _jsonable(value: object) -> object:
    if value is None or isinstance(value, str | int | float | bool):
        return value
    return str(value)
