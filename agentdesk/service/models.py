"""The service module's own tables (migration 0015). The case itself is ``crm.models.
ServiceCase``: a party's history reads it, and crm sits below this module."""

from __future__ import annotations

import uuid
from datetime import datetime
from typing import Any

from sqlalchemy import ForeignKey, Index, String, Text
from sqlalchemy.orm import Mapped, mapped_column

import agentdesk.crm.models  # noqa: F401  (the cases and users these tables point at)
from agentdesk.db.base import Base, SharedRecord, UuidPk, str_enum
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import ArticleStatus, CasePriority


class CaseCounter(Base):
    """The last case number given in a year: incremented in the transaction that inserts the
    case, so a rolled-back case gives its number back and none is given twice."""

    __tablename__ = "service_case_counters"

    year: Mapped[int] = mapped_column(primary_key=True, autoincrement=False)
    last: Mapped[int] = mapped_column(default=0)


class BusinessCalendar(Base):
    """The service desk's opening hours: one row (``name`` ``default``), replaced by an
    import. ``hours`` maps ``mon``... to ``"09:00-18:00"``; ``holidays`` lists ISO dates."""

    __tablename__ = "service_calendars"

    name: Mapped[str] = mapped_column(String(40), primary_key=True)
    zone: Mapped[str] = mapped_column(String(64))
    hours: Mapped[dict[str, Any]]
    holidays: Mapped[dict[str, Any]]
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class CaseNotification(UuidPk, Base):
    """A message for one user's desk about a case (an escalation)."""

    __tablename__ = "service_notifications"
    __table_args__ = (Index("ix_service_notifications_user_created", "user_id", "created_at"),)

    user_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("users.id"))
    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_cases.id"), index=True)
    kind: Mapped[str] = mapped_column(String(40))
    message: Mapped[str] = mapped_column(String(300))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    read_at: Mapped[datetime | None]
    # why (migration 0025): ``domain.cases.EscalationReason``, worded by the desk
    reason: Mapped[str | None] = mapped_column(String(40))


class ServiceLevelPolicy(UuidPk, Base):
    """First-response and resolution targets (business minutes) for the cases matching its
    priority, category and customer (each optional; ``domain.service_levels`` picks the one
    that applies). ``match_key`` makes one policy per combination (migration 0025)."""

    __tablename__ = "service_sla_policies"

    match_key: Mapped[str] = mapped_column(String(200), unique=True)
    priority: Mapped[CasePriority | None] = mapped_column(str_enum(CasePriority, "case_priority"))
    category: Mapped[str | None] = mapped_column(String(100))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    first_response_minutes: Mapped[int]
    resolution_minutes: Mapped[int]
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
    updated_at: Mapped[datetime] = mapped_column(default=utcnow, onupdate=utcnow)


class Article(SharedRecord, Base):
    """A knowledge-base article. ``search_terms`` is the search column the application fills
    (``service/kb_terms.py``): SQLite indexes it in the FTS5 table ``kb_search``; PostgreSQL
    keeps ``to_tsvector('simple', search_terms)`` in the generated column ``search_vector``
    with a GIN index. Neither is declared here (no model of an engine's own full-text
    machinery; migration 0015 makes them)."""

    __tablename__ = "kb_articles"

    title: Mapped[str] = mapped_column(String(300))
    body: Mapped[str] = mapped_column(Text)
    topic: Mapped[str | None] = mapped_column(String(300), index=True)
    tags: Mapped[str | None] = mapped_column(String(500))
    status: Mapped[ArticleStatus] = mapped_column(
        str_enum(ArticleStatus, "article_status"), default="draft"
    )
    revision: Mapped[int] = mapped_column(default=1)
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    approver_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    source: Mapped[str | None] = mapped_column(String(500), index=True)
    search_terms: Mapped[str] = mapped_column(Text, default="")


class CaseEntry(UuidPk, Base):
    """One line of a case's timeline that is not a call (calls point at their case): a note,
    an article added to the case, or an article marked as what solved it. Append-only: a
    timeline is the record of what happened, so nothing in it is changed afterwards."""

    __tablename__ = "service_case_entries"
    __table_args__ = (Index("ix_service_case_entries_case_created", "case_id", "created_at"),)

    case_id: Mapped[uuid.UUID] = mapped_column(ForeignKey("service_cases.id"))
    kind: Mapped[str] = mapped_column(String(20))
    body: Mapped[str | None] = mapped_column(Text)
    article_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("kb_articles.id"))
    author_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    created_at: Mapped[datetime] = mapped_column(default=utcnow)
