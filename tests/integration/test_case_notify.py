"""Review finding on migration 0025's notifications (PostgreSQL only: SQLite has no NOTIFY):
its trigger function belongs to agentdesk_owner, a statement that changes no case (or only
locks one the way the escalation pass does) tells no desk, a real change tells them once."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from typing import Any

import psycopg
import pytest
from sqlalchemy import Engine, text, update
from sqlalchemy.engine import make_url

from agentdesk.crm.models import Contact, ServiceCase
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.domain.enums import CasePriority
from agentdesk.service.cases import CaseSpec, create_case

CHANNEL = "agentdesk_cases"
SENTINEL = "sentinel"


@pytest.fixture
def listener(pg_engine: Engine) -> Iterator[psycopg.Connection[Any]]:
    url = make_url(pg_engine.url).set(drivername="postgresql")
    conn = psycopg.connect(url.render_as_string(hide_password=False), autocommit=True)
    conn.execute(f"LISTEN {CHANNEL}")
    yield conn
    conn.close()


def _told(engine: Engine, listener: psycopg.Connection[Any]) -> list[str]:
    """The notifications sent so far: a sentinel notified after them (delivered in commit
    order) marks where they end, so nothing is waited for by the clock."""
    with engine.begin() as conn:
        conn.execute(text(f"NOTIFY {CHANNEL}, '{SENTINEL}'"))
    told: list[str] = []
    for note in listener.notifies(timeout=30):
        if note.payload == SENTINEL:
            return told
        told.append(note.payload)
    raise AssertionError(f"the sentinel never came; told {told}")


def _case(engine: Engine) -> uuid.UUID:
    sessions = session_factory(engine)
    with unit_of_work(sessions) as s:
        person = Contact(first_name="Li", last_name="Wei")
        s.add(person)
        s.flush()
        contact = person.id
    spec = CaseSpec("Line down", contact, priority=CasePriority.URGENT)
    return create_case(sessions, spec, agent=None, default_zone="UTC").id


def test_the_trigger_function_belongs_to_the_owner_role(pg_engine: Engine) -> None:
    with pg_engine.connect() as conn:
        owner = conn.execute(
            text(
                "SELECT pg_get_userbyid(proowner) FROM pg_proc "
                "WHERE proname = 'agentdesk_cases_changed'"
            )
        ).scalar_one()
    assert owner == "agentdesk_owner"


def test_only_statements_that_change_cases_notify(
    pg_engine: Engine, listener: psycopg.Connection[Any]
) -> None:
    case_id = _case(pg_engine)
    _told(pg_engine, listener)  # the case's creation, drained
    sessions = session_factory(pg_engine)
    with unit_of_work(sessions) as s:  # the escalation pass's lock: no value changes
        s.execute(
            update(ServiceCase)
            .where(ServiceCase.id == case_id)
            .values(escalated_at=ServiceCase.escalated_at)
        )
    with pg_engine.begin() as conn:
        conn.execute(text("UPDATE service_cases SET subject = 'x' WHERE false"))
        conn.execute(text("DELETE FROM service_notifications WHERE false"))
    assert _told(pg_engine, listener) == []
    with pg_engine.begin() as conn:  # one statement, one notification
        conn.execute(
            text("UPDATE service_cases SET subject = 'Line still down' WHERE id = :id"),
            {"id": case_id},
        )
    assert _told(pg_engine, listener) == ["service_cases"]
    with pg_engine.begin() as conn:
        conn.execute(text("DELETE FROM service_cases WHERE id = :id"), {"id": case_id})
    assert _told(pg_engine, listener) == ["service_cases"]
