"""The service module's review findings, each on both engines: a wrap-up's case is scheduled
in ``[service] timezone`` and opened at the journal entry's time; escalation is audited; a
case that breached before its pause stays on the breached list; publishing an article needs
``publish_articles``; full-width Latin is found."""

from __future__ import annotations

import uuid
from datetime import datetime, timedelta
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dto import CallFacts, NewCase, WrapUp
from agentdesk.config.settings import parse_settings
from agentdesk.crm.models import Contact, ServiceCase
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import CallDirection, CasePriority, CaseStatus
from agentdesk.journal.kinds import WRAPUP, apply_wrapup, wrapup_payload
from agentdesk.journal.store import Entry
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user
from agentdesk.service import models as service_models  # noqa: F401
from agentdesk.service.case_desk import list_cases
from agentdesk.service.case_work import set_status
from agentdesk.service.cases import CaseSpec, create_case
from agentdesk.service.escalation import escalate_due_cases
from agentdesk.service.kb import ArticleText, import_articles, search

SHANGHAI = ZoneInfo("Asia/Shanghai")


def local(*parts: int) -> datetime:
    return datetime(*parts, tzinfo=SHANGHAI)  # type: ignore[misc]


@pytest.fixture
def contact(sessions: sessionmaker[Session]) -> uuid.UUID:
    add_team(sessions, "Care")
    add_user(sessions, "care.lead", name="Lead", role="supervisor", team="Care")
    add_user(sessions, "care.ann", name="Ann", role="service_agent", team="Care")
    with unit_of_work(sessions) as s:
        ensure_default_dispositions(s)
        person = Contact(first_name="Li", last_name="Wei")
        s.add(person)
        s.flush()
        return person.id


def _wrapup_entry(contact: uuid.UUID, made: datetime, case: NewCase) -> Entry:
    facts = CallFacts(
        direction=CallDirection.INBOUND, started_at=made - timedelta(minutes=5),
        answered_at=made - timedelta(minutes=4), ended_at=made - timedelta(minutes=1),
        remote_e164="+8613800138000", agent="care.ann", sip_call_id="c-1", contact_id=contact,
    )  # fmt: skip
    wrapup = WrapUp(disposition_code="sale", facts=facts, notes="router", new_case=case,
                    actor="care.ann", record_id=uuid.uuid4())  # fmt: skip
    return Entry(1, uuid.uuid4(), WRAPUP, wrapup.record_id, None, "care.ann",
                 wrapup_payload(wrapup), made)  # fmt: skip


def _case(sessions: sessionmaker[Session], case_id: uuid.UUID | None) -> ServiceCase:
    with sessions() as s:
        case = s.get(ServiceCase, case_id)
        assert case is not None
        return case


def test_a_wrapups_case_uses_the_service_zone_not_the_machines(
    sessions: sessionmaker[Session], contact: uuid.UUID, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TZ", "America/New_York")  # the machine's zone
    settings = parse_settings({"service": {"timezone": "Asia/Shanghai"}})
    assert settings.service_timezone == "Asia/Shanghai"
    made = local(2026, 12, 7, 10, 0)  # Monday 10:00 in Shanghai, Sunday night in New York
    spec = NewCase("Router", zone=settings.service_timezone, opened_at=made)
    with unit_of_work(sessions) as s:
        saved = apply_wrapup(s, _wrapup_entry(contact, made, spec))
    case = _case(sessions, saved.case_id)
    # normal: 4 business hours from Monday 10:00 in Shanghai's office hours
    assert case.first_response_due == local(2026, 12, 7, 14, 0)


def test_a_replayed_case_opens_at_the_journal_entrys_time(
    sessions: sessionmaker[Session], contact: uuid.UUID
) -> None:
    made = local(2026, 12, 7, 10, 0)
    # an entry written before the payload carried the opening time: the entry's time counts,
    # not the replay's (today)
    entry = _wrapup_entry(contact, made, NewCase("Router", zone="Asia/Shanghai"))
    assert entry.payload["new_case"]["opened_at"] is None
    with unit_of_work(sessions) as s:
        saved = apply_wrapup(s, entry)
    case = _case(sessions, saved.case_id)
    assert case.opened_at == made and case.first_response_due == local(2026, 12, 7, 14, 0)
    assert case.number == "CS-2026-00001"


def test_escalation_is_audited(sessions: sessionmaker[Session], contact: uuid.UUID) -> None:
    opened = local(2026, 12, 7, 9, 0)
    case = create_case(
        sessions, CaseSpec("Down", contact, priority=CasePriority.URGENT), agent="care.ann",
        default_zone="Asia/Shanghai", now=opened,
    )  # fmt: skip
    done = escalate_due_cases(sessions, default_zone="Asia/Shanghai", agent="care.lead",
                              now=local(2026, 12, 7, 9, 50))  # fmt: skip
    assert [e.number for e in done] == [case.number]
    with sessions() as s:
        entries = s.scalars(
            select(AuditEntry).where(AuditEntry.entity_id == case.id).order_by(AuditEntry.id)
        ).all()
    escalated = [e for e in entries if (e.details or {}).get("escalated")]
    assert len(escalated) == 1 and escalated[0].actor == "care.lead"
    assert escalated[0].details is not None
    assert escalated[0].details["priority"] == ["urgent", "urgent"]
    assert escalated[0].details["owner"][1] != escalated[0].details["owner"][0]


def test_a_case_breached_before_its_pause_stays_on_the_breached_list(
    sessions: sessionmaker[Session], contact: uuid.UUID
) -> None:
    zone = "Asia/Shanghai"
    opened = local(2026, 12, 7, 9, 0)
    late = create_case(sessions, CaseSpec("Late", contact, priority=CasePriority.URGENT),
                       agent="care.ann", default_zone=zone, now=opened)  # fmt: skip
    on_time = create_case(sessions, CaseSpec("Waiting", contact, priority=CasePriority.URGENT),
                          agent="care.ann", default_zone=zone, now=opened)  # fmt: skip
    # urgent: resolution due 13:00; one is paused at 15:00 (late), the other at 10:00
    set_status(sessions, late.number, CaseStatus.WAITING, agent="care.ann", default_zone=zone,
               now=local(2026, 12, 7, 15, 0))  # fmt: skip
    set_status(sessions, on_time.number, CaseStatus.WAITING, agent="care.ann",
               default_zone=zone, now=local(2026, 12, 7, 10, 0))  # fmt: skip
    assert _case(sessions, late.id).resolution_breached  # flagged when it was paused late
    assert not _case(sessions, on_time.id).resolution_breached
    listed = list_cases(sessions, agent="care.ann", breached=True, now=local(2026, 12, 8, 9, 0))
    assert [c.number for c in listed] == [late.number]
    # a case paused late by an earlier version has no flags: its due time before the pause
    # keeps it on the list
    with unit_of_work(sessions) as s:
        flags = {"resolution_breached": False, "first_response_breached": False}
        s.execute(update(ServiceCase).values(**flags))
    listed = list_cases(sessions, agent="care.ann", breached=True, now=local(2026, 12, 8, 9, 0))
    assert [c.number for c in listed] == [late.number]


def test_publishing_an_article_needs_the_capability(
    sessions: sessionmaker[Session], contact: uuid.UUID
) -> None:
    article = ArticleText("退款流程", "七天无理由退款。", None, None, "t:refund")
    with pytest.raises(AccessDeniedError, match="publish articles"):
        import_articles(sessions, [article], agent="care.ann")
    assert search(sessions, "退款") == []
    assert import_articles(sessions, [article], agent="care.lead").added == 1
    assert [h.title for h in search(sessions, "退款")] == ["退款流程"]


def test_full_width_latin_is_searchable_and_scripts_stay_apart(
    sessions: sessionmaker[Session], contact: uuid.UUID
) -> None:
    articles = [
        ArticleText("ＶＰＮ 连接失败", "请重新安装ＶＰＮ客户端，版本２．３。", None, None, "t:1"),
        ArticleText("VPN 帳戶", "繁體：VPN 帳戶被鎖。", None, None, "t:2"),
    ]
    import_articles(sessions, articles, agent="care.lead")
    assert [h.title for h in search(sessions, "vpn 连接")] == ["ＶＰＮ 连接失败"]
    assert {h.title for h in search(sessions, "ＶＰＮ")} == {"ＶＰＮ 连接失败", "VPN 帳戶"}
    assert [h.title for h in search(sessions, "VPN 帐户")] == []  # simplified is not 帳戶
    hit = search(sessions, "vpn 连接")[0]
    assert "<mark>VPN</mark>" in hit.snippet  # the snippet shows the folded text
