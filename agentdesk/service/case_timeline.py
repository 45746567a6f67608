"""A case's timeline: the notes agents add, the calls linked to it, the knowledge-base
articles added to it and the ones marked as what solved it, oldest first.

Entries are appended, never changed (``service_case_entries``); adding one is working the
case, so it needs the case's update permission (and its queue's team, as any change).
"""

from __future__ import annotations

import uuid
from dataclasses import dataclass
from datetime import datetime
from enum import StrEnum

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Call, Contact, ServiceCase
from agentdesk.crm.permissions import acting_access, check_edit
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import RecordKind
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction, CallDirection
from agentdesk.org.models import User
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.service.case_work import check_queue, find_case
from agentdesk.service.cases import CaseView, view_of
from agentdesk.service.models import Article, CaseEntry


class EntryKind(StrEnum):
    OPENED = "opened"
    NOTE = "note"
    CALL = "call"
    ARTICLE = "article"
    SOLVED = "solved"
    """The article that solved the case."""


STORED = (EntryKind.NOTE, EntryKind.ARTICLE, EntryKind.SOLVED)


@dataclass(frozen=True, slots=True)
class TimelineEntry:
    kind: EntryKind
    at: datetime
    text: str
    """A note's text, an article's title, a call's notes."""
    author: str | None = None
    article_id: uuid.UUID | None = None
    inbound: bool | None = None
    """A call's direction."""


@dataclass(frozen=True, slots=True)
class CaseDetail:
    case: CaseView
    description: str | None
    product: str | None
    resolution: str | None
    contact: str | None
    timeline: tuple[TimelineEntry, ...]
    solved_by: tuple[uuid.UUID, ...]
    may_edit: bool


def _contact_name(session: Session, contact_id: uuid.UUID | None) -> str | None:
    contact = session.get(Contact, contact_id) if contact_id else None
    if contact is None:
        return None
    return contact.full_name or None


def _stored_entries(session: Session, case: ServiceCase) -> list[TimelineEntry]:
    rows = session.execute(
        select(CaseEntry, User.username, Article.title)
        .outerjoin(User, User.id == CaseEntry.author_id)
        .outerjoin(Article, Article.id == CaseEntry.article_id)
        .where(CaseEntry.case_id == case.id)
    )
    return [
        TimelineEntry(
            EntryKind(entry.kind), entry.created_at,
            title if entry.article_id is not None else entry.body or "",
            username, entry.article_id,
        )
        for entry, username, title in rows
    ]  # fmt: skip


def _calls(session: Session, case: ServiceCase) -> list[TimelineEntry]:
    rows = session.execute(
        select(Call, User.username)
        .outerjoin(User, User.id == Call.agent_id)
        .where(Call.case_id == case.id, Call.deleted_at.is_(None))
    )
    return [
        TimelineEntry(
            EntryKind.CALL, call.started_at, call.notes or call.remote_e164 or "", username,
            inbound=CallDirection(call.direction) is CallDirection.INBOUND,
        )
        for call, username in rows
    ]  # fmt: skip


def case_detail(
    sessions: sessionmaker[Session], number: str, *, agent: AgentRef | None
) -> CaseDetail:
    """The case, its fields and its timeline; ``may_edit`` whether the user may work it."""
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        case = find_case(session, number)
        view = view_of(session, case)
        may_edit = True
        try:
            check_queue(session, access, case)
            check_edit(session, access, RecordKind.CASES, case)
        except RequestError:
            may_edit = False
        opened = TimelineEntry(EntryKind.OPENED, view.opened_at, case.subject)
        entries = sorted(
            [opened, *_stored_entries(session, case), *_calls(session, case)],
            key=lambda e: e.at,
        )
        solved = tuple(e.article_id for e in entries if e.kind is EntryKind.SOLVED and e.article_id)
        return CaseDetail(
            view, case.description, case.product, case.resolution,
            _contact_name(session, case.contact_id), tuple(entries), solved, may_edit,
        )  # fmt: skip


def add_entry(
    sessions: sessionmaker[Session],
    number: str,
    kind: EntryKind,
    *,
    agent: AgentRef | None,
    body: str | None = None,
    article_id: uuid.UUID | None = None,
    now: datetime | None = None,
) -> None:
    """Append a note (``body``), an article or a solved-by mark (``article_id``)."""
    if kind not in STORED:
        raise RequestError(f"a timeline entry is a note, an article or a solved-by mark: {kind}")
    if kind is EntryKind.NOTE and not (body or "").strip():
        raise RequestError("a note needs some text")
    if kind is not EntryKind.NOTE and article_id is None:
        raise RequestError("name the article")
    with unit_of_work(sessions) as session:
        access = acting_access(session, agent)
        case = find_case(session, number)
        check_queue(session, access, case)
        check_edit(session, access, RecordKind.CASES, case)
        if article_id is not None and session.get(Article, article_id) is None:
            raise RequestError(f"no article {article_id}")
        entry = CaseEntry(
            case_id=case.id, kind=kind.value, body=(body or "").strip() or None,
            article_id=article_id, author_id=access.user_id if access else None,
            created_at=now or utcnow(),
        )  # fmt: skip
        session.add(entry)
        session.flush()
        who = actor_of(session, access.username if access else agent)
        detail = {"entry": kind.value, "article": str(article_id) if article_id else None}
        audit(session, who, AuditAction.UPDATE, "case", case.id, detail)
