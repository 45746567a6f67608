"""Enumerations shared by every layer. Values are what the database and the CLI's JSON hold."""

from __future__ import annotations

from enum import StrEnum


class Role(StrEnum):
    AGENT = "agent"
    SUPERVISOR = "supervisor"
    SALES_REP = "sales_rep"
    SALES_MANAGER = "sales_manager"
    SERVICE_AGENT = "service_agent"
    ADMIN = "admin"


class OwnerKind(StrEnum):
    """What a phone number (or a screen-pop match) belongs to."""

    CONTACT = "contact"
    ACCOUNT = "account"
    LEAD = "lead"


class PhoneKind(StrEnum):
    WORK = "work"
    MOBILE = "mobile"
    HOME = "home"
    FAX = "fax"
    OTHER = "other"


class LeadStatus(StrEnum):
    NEW = "new"
    CONTACTED = "contacted"
    QUALIFIED = "qualified"
    DISQUALIFIED = "disqualified"
    CONVERTED = "converted"


class OpportunityStage(StrEnum):
    """The codes of the stages a new database is seeded with (``domain/stages.py``). Which
    stages exist, their order and which are won or lost are rows the admin sets
    (``opportunity_stages``): code reads those, not this enum."""

    PROSPECTING = "prospecting"
    QUALIFICATION = "qualification"
    PROPOSAL = "proposal"
    NEGOTIATION = "negotiation"
    CLOSED_WON = "closed_won"
    CLOSED_LOST = "closed_lost"


class CaseStatus(StrEnum):
    """A service case's status; which moves are allowed is ``domain/cases.py``."""

    NEW = "new"
    ASSIGNED = "assigned"
    IN_PROGRESS = "in_progress"
    WAITING = "waiting_on_customer"
    RESOLVED = "resolved"
    CLOSED = "closed"

    @property
    def is_open(self) -> bool:
        return self not in (CaseStatus.RESOLVED, CaseStatus.CLOSED)


class CaseChannel(StrEnum):
    """How a case came in."""

    PHONE = "phone"
    EMAIL = "email"
    WEB = "web"
    WALK_IN = "walk_in"


class ArticleStatus(StrEnum):
    DRAFT = "draft"
    PUBLISHED = "published"


class CasePriority(StrEnum):
    LOW = "low"
    NORMAL = "normal"
    HIGH = "high"
    URGENT = "urgent"


class CallDirection(StrEnum):
    INBOUND = "inbound"
    OUTBOUND = "outbound"


class CallbackStatus(StrEnum):
    PENDING = "pending"
    DONE = "done"
    CANCELLED = "cancelled"


class AuditAction(StrEnum):
    CREATE = "create"
    UPDATE = "update"
    DELETE = "delete"
    IMPORT = "import"
    EXPORT = "export"
    PRINT = "print"
    ASSIGN = "assign"
    SHARE = "share"
    UNSHARE = "unshare"
    TRANSFER = "transfer"


OPEN_CASE_STATUSES = tuple(s for s in CaseStatus if s.is_open)
