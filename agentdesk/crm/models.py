"""The shared CRM schema (people, sales, service, calls). Changes go through Alembic only."""

from __future__ import annotations

import uuid
from datetime import date, datetime
from decimal import Decimal

from sqlalchemy import (
    CheckConstraint,
    ColumnElement,
    ForeignKey,
    Index,
    Numeric,
    String,
    Text,
    event,
    false,
    func,
    literal_column,
    select,
    text,
)
from sqlalchemy.engine.default import DefaultExecutionContext
from sqlalchemy.orm import Mapped, mapped_column

import agentdesk.org.models  # noqa: F401  (the users these tables point at must be mapped too)
from agentdesk.db.base import Base, SharedRecord, str_enum
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import (
    CallbackStatus,
    CallDirection,
    CaseChannel,
    CasePriority,
    CaseStatus,
    LeadStatus,
    OwnerKind,
    PhoneKind,
)
from agentdesk.domain.names import display_name


class Account(SharedRecord, Base):
    """A company."""

    __tablename__ = "accounts"

    name: Mapped[str] = mapped_column(String(200), index=True)
    industry: Mapped[str | None] = mapped_column(String(100))
    website: Mapped[str | None] = mapped_column(String(200))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    notes: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)


class Contact(SharedRecord, Base):
    """A person, optionally working for an account."""

    __tablename__ = "contacts"
    __table_args__ = (Index("ix_contacts_last_first", "last_name", "first_name"),)

    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    title: Mapped[str | None] = mapped_column(String(100))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    notes: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)

    @property
    def full_name(self) -> str:
        return display_name(self.first_name, self.last_name, self.country)


class Lead(SharedRecord, Base):
    """A prospect not yet qualified into a contact and account."""

    __tablename__ = "leads"

    first_name: Mapped[str | None] = mapped_column(String(100))
    last_name: Mapped[str | None] = mapped_column(String(100))
    company: Mapped[str | None] = mapped_column(String(200))
    email: Mapped[str | None] = mapped_column(String(254), index=True)
    status: Mapped[LeadStatus] = mapped_column(str_enum(LeadStatus, "lead_status"), default="new")
    source: Mapped[str | None] = mapped_column(String(100))
    city: Mapped[str | None] = mapped_column(String(100))
    country: Mapped[str | None] = mapped_column(String(2))
    notes: Mapped[str | None] = mapped_column(Text)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    disqualified_reason: Mapped[str | None] = mapped_column(Text)
    """Why a disqualified lead was dropped (migration 0021); what a converted one became is in
    ``sales.models.LeadConversion``."""


def _reversed_digits_sql(column: str, digits: int = 15) -> str:
    expr = f"substr({column}, {digits + 1}, 1)"
    for position in range(digits, 1, -1):
        expr = f"({expr} || substr({column}, {position}, 1))"
    return expr


E164_REVERSED_SQL = _reversed_digits_sql("e164")
"""An E.164 number's digits, last first: ``+442079460018`` gives ``810064970244``.

The end of a number (``4525991``, the digits agents read out) is a prefix of this key, so
finding it is an index range scan like a prefix of the number (migration 0011 indexes it).
Written with ``substr`` and ``||`` alone (SQLite has no ``reverse()``), so one expression serves
both engines; bracketed as PostgreSQL prints the index back, so autogenerate sees the same index.
A query must use this very text (:func:`e164_reversed`): an engine recognises an expression
index only by its expression.
"""


def e164_reversed() -> ColumnElement[str]:
    """:data:`E164_REVERSED_SQL` in a query whose FROM has ``phone_numbers`` alone."""
    return literal_column(E164_REVERSED_SQL, String)


class PhoneRecord(SharedRecord, Base):
    """One number of a contact, account or lead: raw text as entered and its E.164 key."""

    __tablename__ = "phone_numbers"
    __table_args__ = (
        CheckConstraint(
            "(CASE WHEN contact_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN account_id IS NULL THEN 0 ELSE 1 END)"
            " + (CASE WHEN lead_id IS NULL THEN 0 ELSE 1 END) = 1",
            name="one_owner",
        ),
        Index("ix_phone_numbers_e164_reversed", text(E164_REVERSED_SQL)),
    )

    raw: Mapped[str] = mapped_column(String(64))
    e164: Mapped[str] = mapped_column(String(16), index=True)
    extension: Mapped[str | None] = mapped_column(String(16))
    kind: Mapped[PhoneKind] = mapped_column(str_enum(PhoneKind, "phone_kind"), default="work")
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    lead_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leads.id"), index=True)

    @property
    def owner_kind(self) -> OwnerKind:
        if self.contact_id is not None:
            return OwnerKind.CONTACT
        if self.account_id is not None:
            return OwnerKind.ACCOUNT
        return OwnerKind.LEAD


WON_KEYS = ("currency", "stage", "won_at")
WON_CARRIED = ("owner_id", "amount", "deleted_at")
"""The forecast's won-in-period reads a range of ``WON_KEYS``; on PostgreSQL the rest is carried
in the index (INCLUDE), never a key: a row policy's ``owner_id = ANY(...)`` on a key column
made one scan of the range per owner (migration 0029)."""


class Opportunity(SharedRecord, Base):
    __tablename__ = "opportunities"
    # The pipeline's pages (sales/pipeline.py, migration 0021): a stage column, a rep's stage
    # column and the list view, each read in (close date, id) order from its index; the owner
    # in the index lets a rep's view skip the others' cards without reading their rows.
    __table_args__ = (
        Index("ix_opportunities_stage_close_owner", "stage", "close_date", "id", "owner_id"),
        Index("ix_opportunities_owner_stage_close", "owner_id", "stage", "close_date", "id"),
        Index("ix_opportunities_close_owner", "close_date", "id", "owner_id"),
        # the list sorted by probability (migration 0030): everyone's and a rep's
        Index("ix_opportunities_chance_owner", "chance", "close_date", "id", "owner_id"),
        Index("ix_opportunities_owner_chance", "owner_id", "chance", "close_date", "id"),
        # the forecast's won deals of a period (on PostgreSQL from this index alone)
        Index("ix_opportunities_won", *WON_KEYS, postgresql_include=list(WON_CARRIED)),
        Index(
            "ix_opportunities_forecast",
            *("currency", "close_date", "stage", "owner_id", "probability", "amount"),
            sqlite_where=text("deleted_at IS NULL"),
            postgresql_where=text("deleted_at IS NULL"),
        ),
    )

    name: Mapped[str] = mapped_column(String(200))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    stage: Mapped[str] = mapped_column(String(20), default="prospecting")
    """A stage's code (``opportunity_stages``)."""
    amount: Mapped[Decimal | None] = mapped_column(Numeric(14, 2))
    currency: Mapped[str] = mapped_column(String(3), default="USD")
    close_date: Mapped[date | None]
    probability: Mapped[int | None]
    """The rep's override; ``None``: the stage's default."""
    chance: Mapped[int] = mapped_column(default=lambda context: _chance_on_insert(context))
    """The effective probability, kept by its writers (``crm/chance.py``) so the list
    sorted by it reads an index."""
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    next_step: Mapped[str | None] = mapped_column(String(300))
    won_at: Mapped[datetime | None]
    """When it was last moved into won: the stage history's time, kept here by the sales
    service that writes the history, so the forecast's won-in-period is one index range."""


def _chance_on_insert(context: DefaultExecutionContext) -> int:
    """A row inserted without its chance (a bulk writer's, a test's) gets the rule's value,
    read from its stage's row; the services give it in the INSERT (``crm/chance.py``)."""
    from agentdesk.crm.chance import chance_for  # the rule needs both classes of this module

    row = context.current_parameters or {}
    value = select(chance_for(row.get("stage"), row.get("probability")))
    return int(context.connection.scalar(value) or 0)


@event.listens_for(Opportunity, "before_insert")
@event.listens_for(Opportunity, "before_update")
def _follow_chance(_mapper: object, _connection: object, row: Opportunity) -> None:
    """Every ORM write of a stage or an override carries the chance (``crm/chance.py``)."""
    from agentdesk.crm.chance import keep_chance

    keep_chance(row)


class StageSetting(Base):
    """An opportunity stage as the admin defines it: its stable code (what opportunities and
    their history store), labels (English, Chinese), place in the pipeline, default
    probability, whether it is won or lost (won is always 100 % and lost 0 %), and whether
    new moves may enter it (a stage in use is retired, never deleted). Declared here because
    the screen pop's history reads which stages are open; ``sales/stages.py`` changes it."""

    __tablename__ = "opportunity_stages"

    stage: Mapped[str] = mapped_column(String(20), primary_key=True)
    position: Mapped[int]
    probability: Mapped[int]
    label: Mapped[str] = mapped_column(String(60), default="")
    label_zh: Mapped[str] = mapped_column(String(60), default="")
    won: Mapped[bool] = mapped_column(default=False)
    lost: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)

    @property
    def is_open(self) -> bool:
        return not (self.won or self.lost)


OPEN_CASES_SQL = "status IN ('new', 'assigned', 'in_progress', 'waiting_on_customer')"
"""The open statuses as the partial index of the case list has them: a query uses the index
only when its condition is written the same way (constants, not bound parameters)."""


class ServiceCase(SharedRecord, Base):
    """A service case. Declared here because a party's history reads it (``crm/lookup``);
    the service module (``agentdesk/service``) numbers, moves and escalates it. ``due_at`` is
    the resolution due time the history sorts by."""

    __tablename__ = "service_cases"
    __table_args__ = (
        Index("ix_service_cases_number", "number", unique=True),
        Index("ix_service_cases_team_status", "team_id", "status"),
        # the case lists' first pages, read in due order from these (migration 0022): the
        # open cases, one owner's, one team's queue
        *(
            Index(
                name, *columns, "due_at", "number",
                sqlite_where=text(f"{OPEN_CASES_SQL} AND deleted_at IS NULL{extra}"),
                postgresql_where=text(f"{OPEN_CASES_SQL} AND deleted_at IS NULL{extra}"),
            )
            for name, columns, extra in (
                ("ix_service_cases_open_due", (), ""),
                ("ix_service_cases_owner_due", ("owner_id",), ""),
                ("ix_service_cases_queue_due", ("team_id",), " AND owner_id IS NULL"),
            )
        ),
    )  # fmt: skip

    subject: Mapped[str] = mapped_column(String(200))
    description: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CaseStatus] = mapped_column(str_enum(CaseStatus, "case_status"), default="new")
    priority: Mapped[CasePriority] = mapped_column(
        str_enum(CasePriority, "case_priority"), default="normal"
    )
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"), index=True)
    owner_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    due_at: Mapped[datetime | None]
    # The service module's (migration 0015): a case in a team's queue has a team and no owner.
    number: Mapped[str | None] = mapped_column(String(20))
    team_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("teams.id"))
    channel: Mapped[CaseChannel | None] = mapped_column(str_enum(CaseChannel, "case_channel"))
    category: Mapped[str | None] = mapped_column(String(100))
    product: Mapped[str | None] = mapped_column(String(200))
    resolution: Mapped[str | None] = mapped_column(Text)
    opened_at: Mapped[datetime | None]
    first_response_due: Mapped[datetime | None]
    first_responded_at: Mapped[datetime | None]
    resolved_at: Mapped[datetime | None]
    sla_paused_at: Mapped[datetime | None]
    first_response_breached: Mapped[bool] = mapped_column(default=False, server_default=false())
    resolution_breached: Mapped[bool] = mapped_column(default=False, server_default=false())
    escalated_at: Mapped[datetime | None]
    # The targets the due times were counted from (migration 0025): the policy that applied
    # (no foreign key: removing a policy leaves its cases' targets as they were) and its
    # minutes; ``None`` on older cases, whose targets are the defaults of their priority.
    sla_policy_id: Mapped[uuid.UUID | None]
    first_response_minutes: Mapped[int | None]
    resolution_minutes: Mapped[int | None]


class Disposition(SharedRecord, Base):
    """A wrap-up code the admin configures, with flags the dialer and reports read."""

    __tablename__ = "dispositions"

    code: Mapped[str] = mapped_column(String(40), unique=True)
    label: Mapped[str] = mapped_column(String(100))
    label_zh: Mapped[str | None] = mapped_column(String(100))
    counts_as_contact: Mapped[bool] = mapped_column(default=False)
    is_success: Mapped[bool] = mapped_column(default=False)
    needs_callback: Mapped[bool] = mapped_column(default=False)
    is_final: Mapped[bool] = mapped_column(default=False)
    adds_to_dnc: Mapped[bool] = mapped_column(default=False, server_default=false())
    is_default: Mapped[bool] = mapped_column(default=False)
    active: Mapped[bool] = mapped_column(default=True)
    sort_order: Mapped[int] = mapped_column(default=0)


class Call(SharedRecord, Base):
    """One call leg as the agent saw it, with its wrap-up."""

    __tablename__ = "calls"
    __table_args__ = (
        Index("ix_calls_contact_started", "contact_id", "started_at"),
        Index("ix_calls_account_started", "account_id", "started_at"),
        Index("ix_calls_lead_started", "lead_id", "started_at"),
        Index("ix_calls_agent_started", "agent_id", "started_at"),
    )

    direction: Mapped[CallDirection] = mapped_column(str_enum(CallDirection, "call_direction"))
    remote_e164: Mapped[str | None] = mapped_column(String(16), index=True)
    remote_raw: Mapped[str | None] = mapped_column(String(256))
    local_party: Mapped[str | None] = mapped_column(String(256))
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"))
    sip_call_id: Mapped[str | None] = mapped_column(String(256), index=True)
    started_at: Mapped[datetime] = mapped_column(default=utcnow, index=True)
    answered_at: Mapped[datetime | None]
    ended_at: Mapped[datetime | None]
    ring_seconds: Mapped[float | None]
    talk_seconds: Mapped[float | None]
    hold_seconds: Mapped[float | None]
    end_reason: Mapped[str | None] = mapped_column(String(100))
    disposition_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("dispositions.id"))
    notes: Mapped[str | None] = mapped_column(Text)
    recording_path: Mapped[str | None] = mapped_column(String(1024))
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"))
    account_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("accounts.id"))
    lead_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leads.id"))
    opportunity_id: Mapped[uuid.UUID | None] = mapped_column(
        ForeignKey("opportunities.id"), index=True
    )
    case_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("service_cases.id"), index=True)
    queue: Mapped[str | None] = mapped_column(String(64))
    """The queue whose number the caller dialed (``supervision.queues``)."""
    wrapup_seconds: Mapped[float | None]
    answered_elsewhere: Mapped[bool] = mapped_column(default=False)
    """The desk's offer ended because another desk of a forked call answered it."""


class Callback(SharedRecord, Base):
    """A promise to call someone back, for one agent or for anyone."""

    __tablename__ = "callbacks"
    __table_args__ = (Index("ix_callbacks_status_due", "status", "due_at"),)

    due_at: Mapped[datetime]
    agent_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("users.id"), index=True)
    contact_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("contacts.id"), index=True)
    lead_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("leads.id"), index=True)
    phone_e164: Mapped[str | None] = mapped_column(String(16))
    note: Mapped[str | None] = mapped_column(Text)
    status: Mapped[CallbackStatus] = mapped_column(
        str_enum(CallbackStatus, "callback_status"), default="pending"
    )
    call_id: Mapped[uuid.UUID | None] = mapped_column(ForeignKey("calls.id"))
    completed_at: Mapped[datetime | None]


# Search-as-you-type walks these: case-insensitive prefix ranges on lower(...), which SQLite and
# PostgreSQL both index (see agentdesk.crm.search). Both name orders so "ada lov" and "lovelace a"
# are one range each.
Index("ix_contacts_lower_last_first", func.lower(Contact.last_name), func.lower(Contact.first_name))
Index("ix_contacts_lower_first_last", func.lower(Contact.first_name), func.lower(Contact.last_name))
Index("ix_contacts_lower_email", func.lower(Contact.email))
Index("ix_leads_lower_last_first", func.lower(Lead.last_name), func.lower(Lead.first_name))
Index("ix_leads_lower_first_last", func.lower(Lead.first_name), func.lower(Lead.last_name))
Index("ix_leads_lower_email", func.lower(Lead.email))
Index("ix_leads_lower_company", func.lower(Lead.company))
Index("ix_accounts_lower_name", func.lower(Account.name))
