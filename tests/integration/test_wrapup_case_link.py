"""A wrap-up links the call to one of the party's open cases, through the journal, on both
engines: applied once however often the journal is drained, and the case's timeline shows
the call."""

from __future__ import annotations

import itertools
import uuid
from datetime import UTC, datetime, timedelta
from pathlib import Path

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts, WrapUp
from agentdesk.crm.models import Call, Contact
from agentdesk.db.engine import unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.journal import Journal
from agentdesk.journal.kinds import WRAPUP, apply_wrapup, wrapup_payload
from agentdesk.journal.store import Entry, JournalStore
from agentdesk.org.admin import add_user
from agentdesk.service import models as service_models  # noqa: F401
from agentdesk.service.case_timeline import EntryKind, case_detail
from agentdesk.service.cases import CaseSpec, create_case

T0 = datetime(2026, 12, 7, 2, 0, tzinfo=UTC)


def test_a_wrapup_links_the_call_to_an_open_case_once(
    sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    add_user(sessions, "ann", name="Ann", role="service_agent")
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        person = Contact(first_name="Li", last_name="Wei")
        s.add(person)
        s.flush()
        contact = person.id
    case = create_case(sessions, CaseSpec("Router", contact), agent="ann", default_zone="UTC")
    facts = CallFacts(
        direction=CallDirection.INBOUND, started_at=T0, answered_at=T0 + timedelta(seconds=4),
        ended_at=T0 + timedelta(minutes=3), remote_e164="+8613800138000", agent="ann",
        sip_call_id="c-link", contact_id=contact,
    )  # fmt: skip
    wrapup = WrapUp(disposition_code="sale", facts=facts, notes="still rebooting",
                    actor="ann", record_id=uuid.uuid4(), linked_case_id=case.id)  # fmt: skip
    minutes = itertools.count(step=60.0)
    journal = Journal(JournalStore(tmp_path / "j.db"), sessions, APPLIERS,
                      monotonic=lambda: next(minutes))  # fmt: skip
    journal.append(WRAPUP, wrapup_payload(wrapup), record_id=wrapup.record_id, actor="ann")
    assert journal.drain().applied == 1
    assert journal.drain().applied == 0  # a replay applies nothing twice
    with sessions() as s:
        calls = s.scalars(select(Call)).all()
        assert len(calls) == 1 and calls[0].case_id == case.id
        assert s.scalar(select(func.count()).select_from(Call)) == 1
    timeline = case_detail(sessions, case.number, agent="ann").timeline
    calls_shown = [e for e in timeline if e.kind is EntryKind.CALL]
    assert [(e.text, e.inbound) for e in calls_shown] == [("still rebooting", True)]


def test_an_entry_from_before_links_still_applies(sessions: sessionmaker[Session]) -> None:
    facts = CallFacts(direction=CallDirection.OUTBOUND, started_at=T0, ended_at=T0,
                      remote_e164="+8613800138001")  # fmt: skip
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
    payload = wrapup_payload(WrapUp(disposition_code="sale", facts=facts, record_id=uuid.uuid4()))
    del payload["linked_case_id"]
    with unit_of_work(sessions) as s:
        saved = apply_wrapup(s, Entry(1, uuid.uuid4(), WRAPUP, None, None, None, payload, T0))
    assert saved.case_id is None
