"""The case desk's door to the service module: the case list, a case with its timeline, its
changes, and the knowledge base, for the desk's user. Every method blocks (run it on the
executor); each returns frozen DTOs."""

from __future__ import annotations

import uuid
from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.case_watch import watch_cases
from agentdesk.domain.enums import CasePriority, CaseStatus
from agentdesk.service.case_desk import (
    CaseFilter,
    assign_cases,
    case_number_of,
    colleagues,
    desk_list,
    may_reassign,
    take_case,
)
from agentdesk.service.case_details import set_details
from agentdesk.service.case_timeline import CaseDetail, EntryKind, add_entry, case_detail
from agentdesk.service.case_work import set_status
from agentdesk.service.cases import CaseView
from agentdesk.service.kb import Hit, article_text, search
from agentdesk.supervision.changes import ChangeFeed


class CaseDeskService:
    def __init__(self, sessions: sessionmaker[Session], agent: str, zone: str) -> None:
        self._sessions = sessions
        self.agent = agent
        self._zone = zone

    def cases(self, chosen: CaseFilter) -> list[CaseView]:
        return desk_list(self._sessions, chosen, agent=self.agent)

    def number_for(self, case_id: uuid.UUID) -> str:
        return case_number_of(self._sessions, case_id)

    def detail(self, number: str) -> CaseDetail:
        return case_detail(self._sessions, number, agent=self.agent)

    def set_status(self, number: str, status: CaseStatus, resolution: str | None) -> CaseDetail:
        set_status(
            self._sessions, number, status, agent=self.agent, default_zone=self._zone,
            resolution=resolution,
        )  # fmt: skip
        return self.detail(number)

    def set_details(self, number: str, priority: CasePriority, category: str) -> CaseDetail:
        """A new priority or category (blank clears it): the due times are counted again."""
        set_details(
            self._sessions, number, agent=self.agent, default_zone=self._zone,
            priority=priority, category=category,
        )  # fmt: skip
        return self.detail(number)

    def add_note(self, number: str, text: str) -> CaseDetail:
        add_entry(self._sessions, number, EntryKind.NOTE, agent=self.agent, body=text)
        return self.detail(number)

    def add_article(self, number: str, article_id: uuid.UUID, solved: bool) -> CaseDetail:
        kind = EntryKind.SOLVED if solved else EntryKind.ARTICLE
        add_entry(self._sessions, number, kind, agent=self.agent, article_id=article_id)
        return self.detail(number)

    def take(self, number: str) -> CaseView:
        return take_case(self._sessions, number, agent=self.agent)

    def assign(self, numbers: Sequence[str], to: str) -> list[CaseView]:
        return assign_cases(self._sessions, numbers, to, agent=self.agent)

    def may_reassign(self) -> bool:
        return may_reassign(self._sessions, self.agent)

    def colleagues(self) -> tuple[str, ...]:
        """Whom a case may be given to (the desk offers them when the user may reassign)."""
        return colleagues(self._sessions)

    def search(self, query: str) -> list[Hit]:
        return search(self._sessions, query)

    def article(self, article_id: uuid.UUID) -> tuple[str, str]:
        """An article's title and Markdown body."""
        return article_text(self._sessions, article_id)

    def watch(self, on_change: Callable[[], None]) -> ChangeFeed:
        """A started feed calling ``on_change`` (on its own thread) when cases changed
        anywhere; stop it when the window closes."""
        return watch_cases(self._sessions, on_change)
