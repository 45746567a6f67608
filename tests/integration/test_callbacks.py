"""The callback queue on both engines: own + anyone, states, and versioned edits."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.callbacks import CallbackService, CallbackState
from agentdesk.calls.records import CallLogError
from agentdesk.crm.models import Callback, Contact, Lead
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import StaleRecordError
from agentdesk.domain.enums import AuditAction, CallbackStatus
from agentdesk.org.models import User
from agentdesk.org.users import UnknownAgentError

NOW = datetime(2026, 11, 23, 12, 0, tzinfo=UTC)


@pytest.fixture
def make_callback(
    sessions: sessionmaker[Session],
) -> Callable[..., uuid.UUID]:
    with unit_of_work(sessions) as s:
        s.add_all(
            [
                User(username="ada", display_name="Ada"),
                User(username="bob", display_name="Bob"),
                Contact(first_name="小明", last_name="王", country="CN"),
            ]
        )

    def make(due_in: timedelta, agent: str | None = "ada", note: str | None = None) -> uuid.UUID:
        with unit_of_work(sessions) as s:
            agent_id = (
                s.scalars(select(User.id).where(User.username == agent)).one() if agent else None
            )
            contact_id = s.scalars(select(Contact.id)).one()
            callback = Callback(
                due_at=NOW + due_in,
                agent_id=agent_id,
                contact_id=contact_id,
                phone_e164="+8613800138000",
                note=note,
            )
            s.add(callback)
            s.flush()
            return callback.id

    return make


def service(sessions: sessionmaker[Session], now: datetime = NOW) -> CallbackService:
    return CallbackService(sessions, clock=lambda: now)


def test_agent_sees_own_and_anyones_callbacks_by_state(
    sessions: sessionmaker[Session], make_callback: Callable[..., uuid.UUID]
) -> None:
    overdue = make_callback(-timedelta(hours=2), note="overdue")
    due = make_callback(-timedelta(minutes=2), note="just due")  # within the grace period
    anyone = make_callback(timedelta(hours=1), agent=None, note="anyone")
    make_callback(timedelta(minutes=30), agent="bob", note="bob's")
    make_callback(timedelta(days=30), note="far future")

    items = service(sessions).for_agent("ada")

    assert [i.id for i in items] == [overdue, due, anyone]
    assert [i.state for i in items] == [
        CallbackState.OVERDUE,
        CallbackState.DUE,
        CallbackState.UPCOMING,
    ]
    assert [i.overdue for i in items] == [True, False, False]
    assert [i.due for i in items] == [True, True, False]
    assert items[0].name == "王小明" and items[0].agent_username == "ada"
    assert items[2].agent_id is None and items[2].agent_username is None
    assert [i.note for i in service(sessions).for_agent("bob")] == ["bob's", "anyone"]
    with pytest.raises(UnknownAgentError):
        service(sessions).for_agent("carol")


def test_snooze_moves_the_due_time_and_a_stale_snooze_is_refused(
    sessions: sessionmaker[Session], make_callback: Callable[..., uuid.UUID]
) -> None:
    callback_id = make_callback(-timedelta(hours=1))
    shown = service(sessions).for_agent("ada")[0]

    result = service(sessions).snooze(
        callback_id, NOW + timedelta(minutes=15), expected_version=shown.version, actor="ada"
    )

    assert result.changed == frozenset({"callbacks"})
    assert result.callback.due_at == NOW + timedelta(minutes=15)
    assert result.callback.version == shown.version + 1
    assert result.callback.state is CallbackState.UPCOMING
    with pytest.raises(StaleRecordError) as caught:
        service(sessions).snooze(
            callback_id, NOW + timedelta(hours=3), expected_version=shown.version
        )
    assert caught.value.current["due_at"] == NOW + timedelta(minutes=15)
    assert caught.value.current_version == shown.version + 1
    assert service(sessions).get(callback_id).due_at == NOW + timedelta(minutes=15)
    with pytest.raises(CallLogError, match="future"):
        service(sessions).snooze(callback_id, NOW, expected_version=result.callback.version)
    with sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == callback_id)).one()
        assert (entry.action, entry.actor) == (AuditAction.UPDATE, "ada")


def test_reassign_moves_the_callback_between_agents_and_to_anyone(
    sessions: sessionmaker[Session], make_callback: Callable[..., uuid.UUID]
) -> None:
    callback_id = make_callback(timedelta(hours=1))
    svc = service(sessions)

    moved = svc.reassign(callback_id, "bob", expected_version=1)

    assert moved.callback.agent_username == "bob"
    assert svc.for_agent("ada") == ()
    assert [i.id for i in svc.for_agent("bob")] == [callback_id]
    to_anyone = svc.reassign(callback_id, None, expected_version=moved.callback.version)
    assert to_anyone.callback.agent_id is None
    assert [i.id for i in svc.for_agent("ada")] == [callback_id]
    with pytest.raises(UnknownAgentError):
        svc.reassign(callback_id, "carol", expected_version=to_anyone.callback.version)
    with pytest.raises(StaleRecordError):
        svc.reassign(callback_id, "ada", expected_version=moved.callback.version)


def test_complete_and_cancel_close_the_callback(
    sessions: sessionmaker[Session], make_callback: Callable[..., uuid.UUID]
) -> None:
    first = make_callback(-timedelta(minutes=10))
    second = make_callback(timedelta(minutes=10))
    svc = service(sessions)

    done = svc.complete(first, expected_version=1)
    cancelled = svc.cancel(second, expected_version=1)

    assert (done.callback.status, done.callback.state) == (
        CallbackStatus.DONE,
        CallbackState.CLOSED,
    )
    assert done.callback.completed_at == NOW
    assert cancelled.callback.status is CallbackStatus.CANCELLED
    assert svc.for_agent("ada") == ()
    with pytest.raises(CallLogError, match="already done"):
        svc.cancel(first, expected_version=done.callback.version)
    with pytest.raises(StaleRecordError):
        svc.complete(second, expected_version=1)


def test_an_edit_by_another_desk_wins_and_is_reported(
    sessions: sessionmaker[Session], make_callback: Callable[..., uuid.UUID]
) -> None:
    callback_id = make_callback(timedelta(minutes=5))
    desk_a, desk_b = service(sessions), service(sessions)
    seen_by_a = desk_a.for_agent("ada")[0]
    seen_by_b = desk_b.for_agent("ada")[0]

    desk_b.complete(callback_id, expected_version=seen_by_b.version, actor="bob")

    with pytest.raises(StaleRecordError) as caught:
        desk_a.snooze(callback_id, NOW + timedelta(days=1), expected_version=seen_by_a.version)
    assert caught.value.current["status"] == CallbackStatus.DONE
    assert desk_a.get(callback_id).status is CallbackStatus.DONE


def test_each_callback_is_named_after_its_contact_or_lead(
    sessions: sessionmaker[Session], make_callback: Callable[..., uuid.UUID]
) -> None:
    for_contact = make_callback(timedelta(minutes=10), note="contact")
    with unit_of_work(sessions) as s:
        ada = s.scalars(select(User.id).where(User.username == "ada")).one()
        lead = Lead(first_name="Grace", last_name="Hopper", country="US")
        s.add(lead)
        s.flush()
        s.add(Callback(due_at=NOW + timedelta(minutes=20), agent_id=ada, lead_id=lead.id))
        s.add(Callback(due_at=NOW + timedelta(minutes=30), agent_id=ada, phone_e164="+12125550100"))

    names = [(i.id == for_contact, i.name) for i in service(sessions).for_agent("ada")]

    assert names == [(True, "王小明"), (False, "Grace Hopper"), (False, None)]
