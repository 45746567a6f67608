"""Call-log and callback exports for ``agentdesk calls export`` and ``agentdesk callbacks list``.

Rows are plain ``dict``\\ s of JSON-ready values (ISO 8601 UTC strings, numbers, ``None``), so the
CLI picks a writer and nothing else::

    since = parse_since(args.since) if args.since else None
    count = write_rows(export_calls(sessions, since, actor=username), sys.stdout, args.format)
    write_rows(list_callbacks(sessions, args.due), sys.stdout, "json" if args.json else "csv",
               CALLBACK_FIELDS)

The call export streams: rows are read in batches, oldest first, so a year of calls never sits
in memory. Every export leaves an audit entry (who, what, since when): on PostgreSQL written
by the database function the rows come from, in their transaction.
"""

from __future__ import annotations

import csv
import json
import uuid
from collections.abc import Iterable, Iterator
from datetime import UTC, datetime
from typing import IO, Any

from sqlalchemy import FromClause, Row, bindparam, func, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.callbacks import CallbackService
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.base import Base, UtcDateTime
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.access import Capability
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.domain.labels import Label
from agentdesk.domain.names import display_name
from agentdesk.org.users import AgentRef, actor_of

CALL_FIELDS: tuple[str, ...] = (
    "direction",
    "remote_number",
    "contact_id",
    "contact_name",
    "agent",
    "started_at",
    "answered_at",
    "ended_at",
    "ring_seconds",
    "talk_seconds",
    "hold_seconds",
    "disposition",
    "notes",
    "sip_call_id",
    "call_id",
    "lead_id",
    "account_id",
    "remote_raw",
    "local_party",
    "end_reason",
    "recording_path",
    "case_id",
    "opportunity_id",
    "disposition_label",
)
"""Columns of a call export, in order (the first fourteen are the documented contract; later
columns are added at the end)."""

CALLBACK_FIELDS: tuple[str, ...] = (
    "id",
    "due_at",
    "state",
    "overdue",
    "agent",
    "name",
    "phone",
    "note",
    "contact_id",
    "lead_id",
    "call_id",
    "version",
)

BATCH_ROWS = 1000

_t = Base.metadata.tables
_calls = _t["calls"]
_users = _t["users"]
_contacts = _t["contacts"]
_dispositions = _t["dispositions"]


def iso_utc(value: datetime | None) -> str | None:
    """``2026-11-23T17:48:21.123Z`` (milliseconds, always UTC) or ``None``."""
    if value is None:
        return None
    return value.astimezone(UTC).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def parse_since(text: str) -> datetime:
    """Read ``--since``: ISO 8601 date or date-time; no zone means UTC.

    Raises ``ValueError`` with a message for the user.
    """
    try:
        value = datetime.fromisoformat(text.strip().replace("Z", "+00:00"))
    except ValueError as exc:
        raise ValueError(f"--since {text!r} is not an ISO 8601 date or date-time") from exc
    return value.replace(tzinfo=UTC) if value.tzinfo is None else value.astimezone(UTC)


def export_calls(
    sessions: sessionmaker[Session],
    since: datetime | None = None,
    *,
    actor: AgentRef | None = None,
    language: str | None = None,
) -> Iterator[dict[str, object]]:
    """Every call started at or after ``since`` (all calls without it), oldest first; the
    disposition's label in ``language`` (``None``: English).

    Needs the ``export`` capability (:class:`~agentdesk.org.access.AccessDeniedError`). On
    PostgreSQL the rows come from ``agentdesk_export_calls``, which checks it again and writes
    the audit entry in the transaction that reads them; on SQLite the entry is committed
    before the first row.
    """
    with sessions() as session:
        access = acting_access(session, actor)
        if access is not None:
            access.require(Capability.EXPORT)
        postgres = session.get_bind().dialect.name == "postgresql"
    if not postgres:
        with unit_of_work(sessions) as session:
            audit(
                session,
                actor_of(session, actor),
                AuditAction.EXPORT,
                "call",
                None,
                {"export": "calls", "since": iso_utc(since)},
            )
    return _call_rows(sessions, since, language, audited_source=postgres)


def _call_rows(
    sessions: sessionmaker[Session],
    since: datetime | None,
    language: str | None,
    *,
    audited_source: bool,
) -> Iterator[dict[str, object]]:
    c: FromClause
    if audited_source:
        c = func.agentdesk_export_calls(
            bindparam("since", since, type_=UtcDateTime())
        ).table_valued(*_calls.c.keys(), name="c")
    else:
        c = _calls
    stmt = (
        select(
            c,
            _users.c.username,
            _contacts.c.first_name,
            _contacts.c.last_name,
            _contacts.c.country,
            _dispositions.c.code,
            _dispositions.c.label,
            _dispositions.c.label_zh,
        )
        .select_from(c)
        .outerjoin(_users, _users.c.id == c.c.agent_id)
        .outerjoin(_contacts, _contacts.c.id == c.c.contact_id)
        .outerjoin(_dispositions, _dispositions.c.id == c.c.disposition_id)
        .order_by(c.c.started_at, c.c.id)
    )
    if not audited_source:
        stmt = stmt.where(c.c.deleted_at.is_(None))
        if since is not None:
            stmt = stmt.where(c.c.started_at >= since)
    with sessions() as session:
        result = session.execute(stmt, execution_options={"yield_per": BATCH_ROWS})
        try:
            yield from (_call_row(row, language) for row in result)
        finally:
            result.close()
            # The rows have left the database: the function's audit entry stays, also when
            # the reader stopped early (a closed pipe).
            session.commit()


def _call_row(row: Row[Any], language: str | None) -> dict[str, object]:
    has_contact = row.first_name is not None or row.last_name is not None
    return {
        "direction": row.direction,
        "remote_number": row.remote_e164,
        "contact_id": _id(row.contact_id),
        "contact_name": (
            display_name(row.first_name, row.last_name, row.country) if has_contact else None
        ),
        "agent": row.username,
        "started_at": iso_utc(row.started_at),
        "answered_at": iso_utc(row.answered_at),
        "ended_at": iso_utc(row.ended_at),
        "ring_seconds": _seconds(row.ring_seconds),
        "talk_seconds": _seconds(row.talk_seconds),
        "hold_seconds": _seconds(row.hold_seconds),
        "disposition": row.code,
        "notes": row.notes,
        "sip_call_id": row.sip_call_id,
        "call_id": _id(row.id),
        "lead_id": _id(row.lead_id),
        "account_id": _id(row.account_id),
        "remote_raw": row.remote_raw,
        "local_party": row.local_party,
        "end_reason": row.end_reason,
        "recording_path": row.recording_path,
        "case_id": _id(row.case_id),
        "opportunity_id": _id(row.opportunity_id),
        "disposition_label": (
            None if row.label is None else Label(row.label, row.label_zh).text(language)
        ),
    }


def list_callbacks(
    sessions: sessionmaker[Session],
    due_only: bool = False,
    *,
    now: datetime | None = None,
) -> list[dict[str, object]]:
    """Every pending callback (only those due now or overdue with ``due_only``), soonest first."""
    clock = (lambda: now) if now is not None else utcnow
    items = CallbackService(sessions, clock=clock).pending(due_only=due_only)
    return [
        {
            "id": str(item.id),
            "due_at": iso_utc(item.due_at),
            "state": item.state.value,
            "overdue": item.overdue,
            "agent": item.agent_username,  # None: anyone
            "name": item.name,
            "phone": item.phone_e164,
            "note": item.note,
            "contact_id": _id(item.contact_id),
            "lead_id": _id(item.lead_id),
            "call_id": _id(item.call_id),
            "version": item.version,
        }
        for item in items
    ]


def write_csv(
    rows: Iterable[dict[str, object]], stream: IO[str], fields: tuple[str, ...] | None = None
) -> int:
    """Write ``rows`` as CSV with a header; returns the number of rows.

    ``fields`` defaults to :data:`CALL_FIELDS` (or the first row's keys if they differ), and
    ``None`` is an empty cell.
    """
    iterator = iter(rows)
    first = next(iterator, None)
    if fields is None:
        keys = tuple(first) if first is not None else CALL_FIELDS
        fields = CALL_FIELDS if set(keys) <= set(CALL_FIELDS) else keys
    writer = csv.DictWriter(stream, fieldnames=list(fields), extrasaction="ignore")
    writer.writeheader()
    count = 0
    if first is not None:
        writer.writerow(_csv_row(first))
        count = 1
        for row in iterator:
            writer.writerow(_csv_row(row))
            count += 1
    return count


def write_json(rows: Iterable[dict[str, object]], stream: IO[str]) -> int:
    """Write ``rows`` as one JSON array, one row per line (streamed); returns the count."""
    count = 0
    stream.write("[")
    for row in rows:
        stream.write(",\n" if count else "\n")
        stream.write(json.dumps(row, ensure_ascii=False, default=str))
        count += 1
    stream.write("\n]\n" if count else "]\n")
    return count


FORMATS = ("csv", "json")


def write_rows(
    rows: Iterable[dict[str, object]],
    stream: IO[str],
    fmt: str,
    fields: tuple[str, ...] | None = None,
) -> int:
    """:func:`write_csv` or :func:`write_json` by name (``--format csv|json``)."""
    if fmt == "csv":
        return write_csv(rows, stream, fields)
    if fmt == "json":
        return write_json(rows, stream)
    raise ValueError(f"unknown format {fmt!r}; use one of: {', '.join(FORMATS)}")


def _csv_row(row: dict[str, object]) -> dict[str, Any]:
    return {key: ("" if value is None else value) for key, value in row.items()}


def _id(value: uuid.UUID | None) -> str | None:
    return None if value is None else str(value)


def _seconds(value: float | None) -> float | None:
    return None if value is None else round(value, 3)
