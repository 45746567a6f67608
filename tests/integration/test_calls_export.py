"""Call-log export (CSV and JSON) and the callback list, on both engines."""

from __future__ import annotations

import csv
import io
import json
import uuid
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallbackRequest, CallFacts, WrapUp
from agentdesk.calls.export import (
    CALL_FIELDS,
    CALLBACK_FIELDS,
    export_calls,
    list_callbacks,
    parse_since,
    write_csv,
    write_json,
    write_rows,
)
from agentdesk.calls.log import CallLog
from agentdesk.crm.models import Contact
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import AuditAction, CallDirection, Role
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.models import User

T0 = datetime(2026, 11, 20, 9, 0, 0, 250000, tzinfo=UTC)
REQUIRED = (
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
)


@pytest.fixture
def contact_id(sessions: sessionmaker[Session]) -> uuid.UUID:
    """Two days of calls by ``ada``: an answered inbound one with a callback, then others."""
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        # a supervisor: agents may not export
        s.add(User(username="ada", display_name="Ada", role=Role.SUPERVISOR))
        contact = Contact(first_name="小明", last_name="王", country="CN")
        s.add(contact)
        s.flush()
        cid = contact.id
    log = CallLog(sessions)
    log.save_wrapup(
        WrapUp(
            disposition_code="callback",
            notes='Said "call me", tomorrow',
            facts=CallFacts(
                direction=CallDirection.INBOUND,
                started_at=T0,
                answered_at=T0 + timedelta(seconds=4),
                ended_at=T0 + timedelta(seconds=94),
                hold_seconds=10.0,
                remote_raw="138 0013 8000",
                remote_e164="+8613800138000",
                agent="ada",
                sip_call_id="first@pbx",
                contact_id=cid,
            ),
            callback=CallbackRequest(due_at=T0 + timedelta(days=1), agent="ada", note="quote"),
        )
    )
    for day in (1, 2):
        log.save_wrapup(
            WrapUp(
                disposition_code="no_answer",
                facts=CallFacts(
                    direction=CallDirection.OUTBOUND,
                    started_at=T0 + timedelta(days=day),
                    ended_at=T0 + timedelta(days=day, seconds=25),
                    remote_e164="+8613800138000",
                    agent="ada",
                    sip_call_id=f"out-{day}@pbx",
                ),
                callback=CallbackRequest(due_at=T0 + timedelta(days=10), note=f"later {day}"),
            )
        )
    return cid


def test_export_rows_carry_the_documented_columns(
    sessions: sessionmaker[Session], contact_id: uuid.UUID
) -> None:
    rows = list(export_calls(sessions, None, actor="ada"))

    assert len(rows) == 3
    first = rows[0]
    assert set(REQUIRED) <= set(first) and tuple(first) == CALL_FIELDS
    assert first == {
        **first,
        "direction": "inbound",
        "remote_number": "+8613800138000",
        "contact_id": str(contact_id),
        "contact_name": "王小明",
        "agent": "ada",
        "started_at": "2026-11-20T09:00:00.250Z",
        "answered_at": "2026-11-20T09:00:04.250Z",
        "ended_at": "2026-11-20T09:01:34.250Z",
        "ring_seconds": 4.0,
        "talk_seconds": 80.0,
        "hold_seconds": 10.0,
        "disposition": "callback",
        "notes": 'Said "call me", tomorrow',
        "sip_call_id": "first@pbx",
        "remote_raw": "138 0013 8000",
    }
    assert [r["sip_call_id"] for r in rows] == ["first@pbx", "out-1@pbx", "out-2@pbx"]
    assert (rows[1]["answered_at"], rows[1]["talk_seconds"], rows[1]["contact_name"]) == (
        None,
        0.0,
        None,
    )
    with sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORT)).one()
    # On PostgreSQL the database function names the login that read the rows (the tests run
    # as the database owner, who may act for ada); on SQLite the service names ada.
    postgres = sessions.kw["bind"].dialect.name == "postgresql"
    assert (entry.actor, entry.entity_kind) == ("postgres" if postgres else "ada", "call")


def test_an_agent_may_not_export(sessions: sessionmaker[Session], contact_id: uuid.UUID) -> None:
    with sessions.begin() as s:
        s.add(User(username="bo", display_name="Bo"))
    with pytest.raises(AccessDeniedError, match="bo may not export"):
        list(export_calls(sessions, None, actor="bo"))
    with sessions() as s:
        assert (
            s.scalars(select(AuditEntry).where(AuditEntry.action == AuditAction.EXPORT)).all() == []
        )


def test_since_filters_on_the_start_time(
    sessions: sessionmaker[Session], contact_id: uuid.UUID
) -> None:
    since = parse_since("2026-11-21T09:00:00.250Z")
    assert [r["sip_call_id"] for r in export_calls(sessions, since)] == ["out-1@pbx", "out-2@pbx"]
    assert parse_since("2026-11-21") == datetime(2026, 11, 21, tzinfo=UTC)
    assert parse_since("2026-11-21T10:00+01:00") == datetime(2026, 11, 21, 9, tzinfo=UTC)
    with pytest.raises(ValueError, match="ISO 8601"):
        parse_since("yesterday")


def test_csv_and_json_round_trip(sessions: sessionmaker[Session], contact_id: uuid.UUID) -> None:
    as_csv, as_json = io.StringIO(), io.StringIO()

    assert write_csv(export_calls(sessions, None), as_csv) == 3
    assert write_json(export_calls(sessions, None), as_json) == 3

    csv_rows = list(csv.DictReader(io.StringIO(as_csv.getvalue())))
    json_rows = json.loads(as_json.getvalue())
    assert [r["notes"] for r in csv_rows] == ['Said "call me", tomorrow', "", ""]
    assert csv_rows[0]["contact_name"] == "王小明" and csv_rows[0]["talk_seconds"] == "80.0"
    assert json_rows == list(export_calls(sessions, None))
    empty = io.StringIO()
    assert write_json(iter(()), empty) == 0 and json.loads(empty.getvalue()) == []
    header_only = io.StringIO()
    assert write_csv(iter(()), header_only) == 0
    assert header_only.getvalue().strip() == ",".join(CALL_FIELDS)


def test_callback_list_all_and_due(sessions: sessionmaker[Session], contact_id: uuid.UUID) -> None:
    now = T0 + timedelta(days=3)

    everything = list_callbacks(sessions, due_only=False, now=now)
    due = list_callbacks(sessions, due_only=True, now=now)

    assert [r["note"] for r in everything] == ["quote", "later 1", "later 2"]
    assert [(r["note"], r["overdue"], r["agent"], r["name"]) for r in due] == [
        ("quote", True, "ada", "王小明")
    ]
    assert due[0]["due_at"] == "2026-11-21T09:00:00.250Z" and due[0]["state"] == "overdue"
    assert everything[1]["agent"] is None and everything[1]["state"] == "upcoming"
    out = io.StringIO()
    assert write_rows(due, out, "csv", CALLBACK_FIELDS) == 1
    (row,) = csv.DictReader(io.StringIO(out.getvalue()))
    assert row["phone"] == "+8613800138000"
    assert json.loads(json.dumps(everything)) == everything
    as_json = io.StringIO()
    assert write_rows(everything, as_json, "json") == 3
    assert json.loads(as_json.getvalue()) == everything
    with pytest.raises(ValueError, match="csv, json"):
        write_rows(everything, io.StringIO(), "xml")
