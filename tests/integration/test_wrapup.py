"""Call log and wrap-up on both engines: one transaction, computed durations, stale edits."""

from __future__ import annotations

import uuid
from collections.abc import Callable
from datetime import UTC, datetime, timedelta

import pytest
from sqlalchemy import Engine, event, func, select
from sqlalchemy.exc import IntegrityError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dispositions import UnknownDispositionError
from agentdesk.calls.dto import CallbackRequest, CallFacts, NewCase, WrapUp
from agentdesk.calls.log import CallLog
from agentdesk.calls.records import CallLogError
from agentdesk.crm.models import (
    Account,
    Call,
    Callback,
    Contact,
    Disposition,
    Opportunity,
    ServiceCase,
)
from agentdesk.crm.records_edit import RecordEditor
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import create_db_engine, session_factory, unit_of_work
from agentdesk.db.errors import RequestError, StaleRecordError
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import AuditAction, CallbackStatus, CallDirection, CasePriority
from agentdesk.org.models import User

T0 = datetime(2026, 11, 23, 9, 0, tzinfo=UTC)


@pytest.fixture
def make_world(sessions: sessionmaker[Session]) -> Callable[[], dict[str, uuid.UUID]]:
    def make() -> dict[str, uuid.UUID]:
        with unit_of_work(sessions) as s:
            ensure_default_dispositions(s)
            ada = User(username="ada", display_name="Ada Agent")
            bob = User(username="bob", display_name="Bob Agent")
            account = Account(name="Analytical Engines Ltd")
            s.add_all([ada, bob, account])
            s.flush()
            contact = Contact(
                first_name="Charles", last_name="Babbage", account_id=account.id, country="GB"
            )
            s.add(contact)
            s.flush()
            opportunity = Opportunity(name="Difference engine", account_id=account.id)
            s.add(opportunity)
            s.flush()
            return {
                "ada": ada.id,
                "bob": bob.id,
                "account": account.id,
                "contact": contact.id,
                "opportunity": opportunity.id,
            }

    return make


def facts(contact_id: uuid.UUID | None = None, **overrides: object) -> CallFacts:
    values: dict[str, object] = {
        "direction": CallDirection.INBOUND,
        "started_at": T0,
        "answered_at": T0 + timedelta(seconds=7),
        "ended_at": T0 + timedelta(seconds=7 + 120),
        "hold_seconds": 20.0,
        "remote_raw": "020 7946 0018",
        "remote_e164": "+442079460018",
        "local_party": "sip:ada@pbx.example",
        "agent": "ada",
        "sip_call_id": "abc-123@pbx",
        "end_reason": "remote hangup",
        "recording_path": "/rec/abc.wav",
        "contact_id": contact_id,
    }
    values.update(overrides)
    return CallFacts(**values)  # type: ignore[arg-type]


def count(sessions: sessionmaker[Session], model: type[object]) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0  # type: ignore[arg-type]


def test_wrapup_of_an_unrecorded_call_creates_it_with_durations(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    ids = make_world()
    log = CallLog(sessions)

    saved = log.save_wrapup(
        WrapUp(disposition_code="resolved", facts=facts(ids["contact"]), notes="Fixed it")
    )

    call = saved.call
    assert saved.changed == frozenset({"calls"})
    assert (call.ring_seconds, call.talk_seconds, call.hold_seconds) == (7.0, 100.0, 20.0)
    assert call.disposition_code == "resolved"
    assert call.notes == "Fixed it"
    assert call.agent_id == ids["ada"]
    assert call.contact_id == ids["contact"]
    stored = log.get_call(call.id)
    assert stored == call
    with sessions() as s:
        entry = s.scalars(select(AuditEntry).where(AuditEntry.entity_id == call.id)).one()
        assert (entry.action, entry.actor, entry.user_id) == (AuditAction.CREATE, "ada", ids["ada"])
        assert entry.details is not None and entry.details["disposition"] == "resolved"


def test_wrapup_writes_callback_case_and_opportunity_link_together(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    ids = make_world()
    log = CallLog(sessions)
    started = log.start_call(facts(ids["contact"], answered_at=None, ended_at=None))
    assert (started.ring_seconds, started.talk_seconds, started.disposition_code) == (
        None,
        None,
        None,
    )
    ended = log.end_call(
        started.id, answered_at=T0 + timedelta(seconds=3), ended_at=T0 + timedelta(seconds=63)
    )
    assert (ended.ring_seconds, ended.talk_seconds) == (3.0, 40.0)  # 60 s connected, 20 on hold

    saved = log.save_wrapup(
        WrapUp(
            disposition_code="callback",
            call_id=started.id,
            notes="Wants a quote",
            callback=CallbackRequest(due_at=T0 + timedelta(days=1), note="send quote first"),
            new_case=NewCase(subject="Quote request", priority=CasePriority.HIGH),
            opportunity_id=ids["opportunity"],
        )
    )

    assert saved.changed == frozenset({"calls", "callbacks", "cases", "opportunities"})
    assert saved.call.version == started.version + 2  # end_call, then the wrap-up
    assert saved.call.case_id == saved.case_id
    assert saved.call.opportunity_id == ids["opportunity"]
    with sessions() as s:
        callback = s.get(Callback, saved.callback_id)
        assert callback is not None
        assert (callback.call_id, callback.contact_id, callback.phone_e164) == (
            started.id,
            ids["contact"],
            "+442079460018",
        )
        assert (callback.agent_id, callback.status) == (None, CallbackStatus.PENDING)
        case = s.get(ServiceCase, saved.case_id)
        assert case is not None
        assert (case.subject, case.priority, case.description) == (
            "Quote request",
            CasePriority.HIGH,
            "Wants a quote",
        )
        assert (case.contact_id, case.account_id, case.owner_id) == (
            ids["contact"],
            ids["account"],
            ids["ada"],
        )
        # numbered and scheduled by the service module (high: 2 h / 8 h in business time)
        assert case.number is not None and case.number.startswith("CS-")
        assert case.opened_at is not None and case.first_response_due is not None
        assert case.due_at is not None and case.opened_at < case.first_response_due < case.due_at
        actions = s.scalars(select(AuditEntry.action).where(AuditEntry.entity_id == started.id))
        assert list(actions) == [AuditAction.UPDATE]


def test_unknown_or_missing_disposition_is_a_clear_error_and_writes_nothing(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    make_world()
    log = CallLog(sessions)

    with pytest.raises(UnknownDispositionError, match=r"'sold'.*choose one of: sale, interested"):
        log.save_wrapup(WrapUp(disposition_code="sold", facts=facts()))
    with pytest.raises(UnknownDispositionError):
        log.save_wrapup(WrapUp(disposition_code="  ", facts=facts()))

    assert count(sessions, Call) == 0
    assert count(sessions, AuditEntry) == 0


def test_a_failure_in_the_callback_part_leaves_the_call_untouched(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    ids = make_world()
    log = CallLog(sessions)
    started = log.start_call(facts(ids["contact"]))

    # The callback names a contact that does not exist: the foreign key fails at the very end,
    # after the call, its disposition and the new case were already flushed.
    with pytest.raises(IntegrityError):
        log.save_wrapup(
            WrapUp(
                disposition_code="callback",
                call_id=started.id,
                notes="lost?",
                new_case=NewCase(subject="should vanish"),
                callback=CallbackRequest(due_at=T0, contact_id=uuid.uuid4()),
            )
        )

    call = log.get_call(started.id)
    assert (call.disposition_code, call.notes, call.case_id) == (None, None, None)
    assert call.version == started.version
    assert count(sessions, ServiceCase) == 0
    assert count(sessions, Callback) == 0
    assert count(sessions, AuditEntry) == 0


def test_bad_input_is_refused_before_anything_is_written(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    make_world()
    log = CallLog(sessions)
    with pytest.raises(CallLogError, match="cannot end before"):
        log.save_wrapup(
            WrapUp(disposition_code="sale", facts=facts(ended_at=T0 - timedelta(seconds=1)))
        )
    with pytest.raises(CallLogError, match="call id or the call's facts"):
        log.save_wrapup(WrapUp(disposition_code="sale"))
    with pytest.raises(RequestError, match="no active user 'carol'"):
        log.save_wrapup(WrapUp(disposition_code="sale", facts=facts(agent="carol")))
    assert count(sessions, Call) == 0


def test_default_disposition_saves_an_expired_wrapup(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    make_world()
    log = CallLog(sessions)

    default = log.default_disposition()

    assert default is not None and default.code == "wrapup_expired" and default.is_default
    assert default.label == "Wrap-up expired"
    assert [d.code for d in log.dispositions()][:2] == ["sale", "interested"]
    answered = facts(
        answered_at=T0 + timedelta(seconds=5), ended_at=T0 + timedelta(seconds=30), hold_seconds=0
    )
    saved = log.save_wrapup(
        WrapUp(disposition_code=default.code, facts=answered, notes="typed so f")
    )
    assert (saved.call.ring_seconds, saved.call.talk_seconds) == (5.0, 25.0)
    assert (saved.call.disposition_code, saved.call.notes) == ("wrapup_expired", "typed so f")
    with sessions() as session:
        flags = session.scalars(select(Disposition).where(Disposition.code == "wrapup_expired"))
        row = flags.one()
    # Says what happened, not how the call went: no contact, no success, nothing final.
    assert not (row.counts_as_contact or row.is_success or row.is_final or row.needs_callback)
    assert [d.code for d in log.dispositions()].count("no_answer") == 1


def test_recent_calls_are_the_agents_own_newest_first(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    ids = make_world()
    log = CallLog(sessions)
    for minute in range(4):
        log.save_wrapup(
            WrapUp(
                disposition_code="info_given",
                facts=facts(
                    ids["contact"],
                    started_at=T0 + timedelta(minutes=minute),
                    answered_at=None,
                    ended_at=None,
                    sip_call_id=f"call-{minute}",
                ),
            )
        )
    log.start_call(facts(agent="bob", started_at=T0 - timedelta(hours=1)))

    recent = log.recent_calls("ada", limit=3)

    assert [c.started_at for c in recent] == [T0 + timedelta(minutes=m) for m in (3, 2, 1)]
    assert {c.party_name for c in recent} == {"Charles Babbage"}
    assert {c.disposition_code for c in recent} == {"info_given"}
    assert len(log.recent_calls(ids["bob"])) == 1


@pytest.fixture
def second_sessions(engine: Engine) -> sessionmaker[Session]:
    """A second agent's desk: its own engine (own connections) on the same database."""
    other = create_db_engine(engine.url.render_as_string(hide_password=False))
    yield session_factory(other)  # type: ignore[misc]
    other.dispose()


def test_stale_contact_edit_is_refused_with_the_other_agents_values(
    sessions: sessionmaker[Session],
    second_sessions: sessionmaker[Session],
    make_world: Callable[[], dict[str, uuid.UUID]],
) -> None:
    ids = make_world()
    desk_a, desk_b = RecordEditor(sessions), RecordEditor(second_sessions)
    shown_to_a = desk_a.get_contact(ids["contact"])
    shown_to_b = desk_b.get_contact(ids["contact"])
    assert shown_to_a.version == shown_to_b.version == 1

    saved_b = desk_b.update_contact(
        ids["contact"], shown_to_b.version, {"email": "cb@engines.example"}, actor="bob"
    )
    assert (saved_b.version, saved_b.changed) == (2, frozenset({"contacts"}))

    with pytest.raises(StaleRecordError) as caught:
        desk_a.update_contact(ids["contact"], shown_to_a.version, {"title": "Inventor"})
    error = caught.value
    assert (error.expected_version, error.current_version) == (1, 2)
    assert error.current["email"] == "cb@engines.example"
    assert "changed by someone else" in str(error)

    current = desk_a.get_contact(ids["contact"])
    assert (current.email, current.title) == ("cb@engines.example", None)  # B's edit survives
    retried = desk_a.update_contact(ids["contact"], error.current_version or 0, {"title": "Inv"})
    assert (retried.version, retried.email, retried.title) == (3, "cb@engines.example", "Inv")
    with sessions() as s:
        audits = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == ids["contact"]).order_by(AuditEntry.at)
        ).all()
        assert [(a.action, a.actor) for a in audits] == [
            (AuditAction.UPDATE, "bob"),
            (AuditAction.UPDATE, None),
        ]


def test_contact_edit_refuses_unknown_fields_and_deleted_contacts(
    sessions: sessionmaker[Session], make_world: Callable[[], dict[str, uuid.UUID]]
) -> None:
    ids = make_world()
    log = RecordEditor(sessions)
    with pytest.raises(RequestError, match="version"):
        log.update_contact(ids["contact"], 1, {"version": 9})
    with unit_of_work(sessions) as s:
        contact = s.get(Contact, ids["contact"])
        assert contact is not None
        contact.deleted_at = T0
    with pytest.raises(StaleRecordError, match="deleted") as caught:
        log.update_contact(ids["contact"], 2, {"title": "x"})
    assert caught.value.current_version is None


def test_a_save_racing_between_read_and_write_is_caught_too(
    sessions: sessionmaker[Session],
    second_sessions: sessionmaker[Session],
    make_world: Callable[[], dict[str, uuid.UUID]],
) -> None:
    """Desk B commits after desk A's version check but before A's UPDATE reaches the row."""
    ids = make_world()
    desk_a, desk_b = RecordEditor(sessions), RecordEditor(second_sessions)

    def desk_b_saves_first(session: Session, *_: object) -> None:
        desk_b.update_contact(ids["contact"], 1, {"city": "London"}, actor="bob")

    event.listen(sessions, "before_flush", desk_b_saves_first, once=True)
    try:
        with pytest.raises(StaleRecordError) as caught:
            desk_a.update_contact(ids["contact"], 1, {"city": "Paris"})
    finally:
        event.remove(sessions, "before_flush", desk_b_saves_first)

    assert (caught.value.current_version, caught.value.current["city"]) == (2, "London")
    assert desk_a.get_contact(ids["contact"]).city == "London"
