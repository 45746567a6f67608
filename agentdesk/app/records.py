"""Record views and small record edits the desk needs beyond the CRM services.

The screen pop itself uses :class:`~agentdesk.crm.lookup.caller.CallerLookup` (its fast path); this
module reads the fuller view the customer panel shows once a record is chosen (every phone
number, the history with recordings), creates a contact or lead for an unknown caller, lists
what a wrap-up may link to, and makes sure the logged-in agent has a user row.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from typing import Any

from sqlalchemy import ColumnElement, or_, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.lookup.caller import CALLBACK_HORIZON
from agentdesk.crm.models import (
    Account,
    Call,
    Callback,
    Contact,
    Disposition,
    Lead,
    Opportunity,
    PhoneRecord,
    ServiceCase,
    User,
)
from agentdesk.crm.phones_edit import PhoneEditor
from agentdesk.crm.records_edit import RecordEditor
from agentdesk.crm.users import AgentRef
from agentdesk.db.base import SharedRecord
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.changes import ACCOUNTS, LEADS
from agentdesk.domain.enums import (
    OPEN_CASE_STATUSES,
    OPEN_OPPORTUNITY_STAGES,
    CallbackStatus,
    LeadStatus,
    OwnerKind,
    PhoneKind,
    Role,
)
from agentdesk.domain.names import display_name
from agentdesk.domain.phone import normalize

# What lead and account edits report in ``changed`` (agentdesk.app.dto has the other kinds).
CHANGED_LEADS = LEADS
CHANGED_ACCOUNTS = ACCOUNTS
PHONE_KINDS = tuple(kind.value for kind in PhoneKind)
LEAD_STATUSES = tuple(status.value for status in LeadStatus)
"""The lead status codes in their natural order, for the form's chooser."""


class RecordMissing(LookupError):
    """The record does not exist (or was deleted)."""


@dataclass(frozen=True, slots=True)
class PhoneView:
    """One phone number of a record, as entered and normalised."""

    raw: str
    e164: str
    kind: PhoneKind
    id: uuid.UUID | None = None
    version: int = 0


@dataclass(frozen=True, slots=True)
class TimelineCall:
    """A past call in the customer panel's timeline."""

    id: uuid.UUID
    started_at: datetime
    direction: str
    disposition: str | None
    notes: str | None
    talk_seconds: float | None
    recording_path: str | None


@dataclass(frozen=True, slots=True)
class TimelineItem:
    """An open case, an open opportunity or a pending callback."""

    id: uuid.UUID
    title: str
    detail: str
    when: datetime | None


@dataclass(frozen=True, slots=True)
class PartyDetails:
    """A contact, lead or account as the customer panel shows and edits it."""

    kind: OwnerKind
    id: uuid.UUID
    version: int
    name: str
    first_name: str | None
    last_name: str | None
    company: str | None
    title: str | None
    email: str | None
    city: str | None
    country: str | None
    notes: str | None
    phones: tuple[PhoneView, ...]
    calls: tuple[TimelineCall, ...]
    cases: tuple[TimelineItem, ...]
    opportunities: tuple[TimelineItem, ...]
    callbacks: tuple[TimelineItem, ...]
    status: str | None = None
    """A lead's status code (:class:`~agentdesk.domain.enums.LeadStatus`)."""
    source: str | None = None
    industry: str | None = None
    website: str | None = None


@dataclass(frozen=True, slots=True)
class SavedEdit:
    """What a saved edit of a contact, lead or account returns to the panel."""

    ref: PartyRef
    version: int
    changed: frozenset[str]


@dataclass(frozen=True, slots=True)
class PartyRef:
    """Which record a call is about."""

    kind: OwnerKind
    id: uuid.UUID


@dataclass(frozen=True, slots=True)
class LinkChoice:
    """An opportunity the wrap-up may link the call to."""

    id: uuid.UUID
    label: str


_MODELS: dict[OwnerKind, type[SharedRecord]] = {
    OwnerKind.CONTACT: Contact,
    OwnerKind.LEAD: Lead,
    OwnerKind.ACCOUNT: Account,
}
_OWNER_COLUMN = {
    OwnerKind.CONTACT: "contact_id",
    OwnerKind.LEAD: "lead_id",
    OwnerKind.ACCOUNT: "account_id",
}


class RecordService:
    """Reads and writes the records behind the customer panel; every call is one session."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        default_region: str,
        *,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
        history_limit: int = 20,
    ) -> None:
        self._sessions = sessions
        self._region = default_region
        self._clock = clock
        self._limit = history_limit

    # -- agent ---------------------------------------------------------------------------------

    def ensure_agent(self, username: str, display: str | None = None) -> uuid.UUID:
        """The user id of ``username``, creating an agent profile on first use."""
        with unit_of_work(self._sessions) as session:
            user = session.scalars(select(User).where(User.username == username)).first()
            if user is None:
                user = User(username=username, display_name=display or username, role=Role.AGENT)
                session.add(user)
                session.flush()
            return user.id

    def agent_usernames(self) -> tuple[str, ...]:
        with self._sessions() as session:
            rows = session.scalars(
                select(User.username)
                .where(User.active.is_(True), User.deleted_at.is_(None))
                .order_by(User.username)
            )
            return tuple(rows)

    # -- reading -------------------------------------------------------------------------------

    def details(self, ref: PartyRef) -> PartyDetails:
        """Everything the customer panel shows for one record."""
        with self._sessions() as session:
            row = session.get(_MODELS[ref.kind], ref.id)
            if row is None or row.deleted_at is not None:
                raise RecordMissing(f"{ref.kind.value} {ref.id} does not exist")
            column = _OWNER_COLUMN[ref.kind]
            phones = tuple(
                PhoneView(p.raw, p.e164, p.kind, p.id, p.version)
                for p in session.scalars(
                    select(PhoneRecord)
                    .where(getattr(PhoneRecord, column) == ref.id, PhoneRecord.deleted_at.is_(None))
                    .order_by(PhoneRecord.created_at)
                )
            )
            return PartyDetails(
                kind=ref.kind,
                id=ref.id,
                version=row.version,
                phones=phones,
                calls=self._calls(session, column, ref.id),
                cases=self._cases(session, ref, row),
                opportunities=self._opportunities(session, ref, row),
                callbacks=self._callbacks(session, ref),
                **_names(session, ref.kind, row),
            )

    def _calls(self, session: Session, column: str, owner: uuid.UUID) -> tuple[TimelineCall, ...]:
        stmt = (
            select(Call, Disposition.label)
            .outerjoin(Disposition, Disposition.id == Call.disposition_id)
            .where(getattr(Call, column) == owner, Call.deleted_at.is_(None))
            .order_by(Call.started_at.desc())
            .limit(self._limit)
        )
        return tuple(
            TimelineCall(
                c.id,
                c.started_at,
                c.direction.value,
                label,
                c.notes,
                c.talk_seconds,
                c.recording_path,
            )
            for c, label in session.execute(stmt)
        )

    def _cases(self, session: Session, ref: PartyRef, row: object) -> tuple[TimelineItem, ...]:
        scope = _account_scope(ServiceCase, ref, row)
        if scope is None:
            return ()
        stmt = (
            select(ServiceCase)
            .where(
                scope, ServiceCase.status.in_(OPEN_CASE_STATUSES), ServiceCase.deleted_at.is_(None)
            )
            .order_by(ServiceCase.created_at.desc())
            .limit(self._limit)
        )
        return tuple(
            TimelineItem(c.id, c.subject, f"{c.status.value} · {c.priority.value}", c.due_at)
            for c in session.scalars(stmt)
        )

    def _opportunities(
        self, session: Session, ref: PartyRef, row: object
    ) -> tuple[TimelineItem, ...]:
        scope = _account_scope(Opportunity, ref, row)
        if scope is None:
            return ()
        stmt = (
            select(Opportunity)
            .where(
                scope,
                Opportunity.stage.in_(OPEN_OPPORTUNITY_STAGES),
                Opportunity.deleted_at.is_(None),
            )
            .order_by(Opportunity.close_date)
            .limit(self._limit)
        )
        return tuple(
            TimelineItem(o.id, o.name, _stage(o.stage.value, o.amount, o.currency), None)
            for o in session.scalars(stmt)
        )

    def _callbacks(self, session: Session, ref: PartyRef) -> tuple[TimelineItem, ...]:
        if ref.kind is OwnerKind.ACCOUNT:
            return ()
        column = getattr(Callback, _OWNER_COLUMN[ref.kind])
        stmt = (
            select(Callback)
            .where(
                column == ref.id,
                Callback.status == CallbackStatus.PENDING,
                Callback.deleted_at.is_(None),
                Callback.due_at <= self._clock() + CALLBACK_HORIZON * 7,
            )
            .order_by(Callback.due_at)
            .limit(self._limit)
        )
        return tuple(
            TimelineItem(c.id, c.note or "", c.phone_e164 or "", c.due_at)
            for c in session.scalars(stmt)
        )

    def opportunities_for(self, ref: PartyRef | None) -> tuple[LinkChoice, ...]:
        """Open opportunities the wrap-up can link the call to."""
        if ref is None:
            return ()
        details = self.details(ref)
        return tuple(LinkChoice(o.id, o.title) for o in details.opportunities)

    def resolve_context(self, kind: str, record_text: str) -> PartyRef | None:
        """The contact, lead or account an ``X-AgentDesk-Context`` names (a case or opportunity
        resolves to its contact, else its account); ``None`` when it does not exist."""
        record_id = uuid.UUID(record_text)
        with self._sessions() as session:
            if kind in ("contact", "lead", "account"):
                owner = OwnerKind(kind)
                row = session.get(_MODELS[owner], record_id)
                return PartyRef(owner, record_id) if row and row.deleted_at is None else None
            item: ServiceCase | Opportunity | None
            if kind == "case":
                item = session.get(ServiceCase, record_id)
            elif kind == "opportunity":
                item = session.get(Opportunity, record_id)
            else:
                return None
            if item is None or item.deleted_at is not None:
                return None
            if item.contact_id is not None:
                return PartyRef(OwnerKind.CONTACT, item.contact_id)
            if item.account_id is not None:
                return PartyRef(OwnerKind.ACCOUNT, item.account_id)
            return None

    def disposition_labels(self) -> dict[str, str]:
        """Every wrap-up code's label, retired codes included: old calls still name them."""
        with self._sessions() as session:
            rows = session.execute(select(Disposition.code, Disposition.label))
            return {code: label for code, label in rows}

    # -- writing -------------------------------------------------------------------------------

    def save_party(
        self,
        ref: PartyRef,
        expected_version: int,
        changes: dict[str, object],
        *,
        actor: AgentRef | None = None,
    ) -> SavedEdit:
        """Save the customer panel's edit of a contact, lead or account.

        ``expected_version`` is the version the agent was shown; when someone saved since,
        :class:`~agentdesk.db.errors.StaleRecordError` carries their values and nothing is
        written. Invalid values raise :class:`~agentdesk.db.errors.RequestError`.
        """
        editor = RecordEditor(self._sessions)
        if ref.kind is OwnerKind.CONTACT:
            contact = editor.update_contact(ref.id, expected_version, changes, actor=actor)
            return SavedEdit(ref, contact.version, contact.changed)
        if ref.kind is OwnerKind.LEAD:
            lead = editor.update_lead(ref.id, expected_version, changes, actor=actor)
            return SavedEdit(ref, lead.version, lead.changed)
        account = editor.update_account(ref.id, expected_version, changes, actor=actor)
        return SavedEdit(ref, account.version, account.changed)

    def add_phone(
        self, ref: PartyRef, raw: str, kind: str, *, actor: AgentRef | None = None
    ) -> uuid.UUID:
        """One more number for the record (validated, normalised to E.164, audited).

        ``kind`` is one of :data:`PHONE_KINDS`; an unreadable number raises
        :class:`~agentdesk.domain.phone.InvalidPhoneNumber` with the reason.
        """
        return PhoneEditor(self._sessions, self._region).add_phone(
            ref.kind, ref.id, raw, PhoneKind(kind), actor=actor
        )

    def remove_phone(self, phone: PhoneView, *, actor: AgentRef | None = None) -> None:
        """Remove a number as the agent saw it (stale when someone changed it meanwhile)."""
        if phone.id is None:
            raise ValueError("this number has no id: reload the record")
        PhoneEditor(self._sessions, self._region).remove_phone(phone.id, phone.version, actor=actor)

    def create_party(
        self,
        kind: OwnerKind,
        *,
        first_name: str,
        last_name: str,
        phone: str,
        company: str | None = None,
        email: str | None = None,
    ) -> PartyRef:
        """A new contact or lead with one phone number (the unknown caller's)."""
        if kind is OwnerKind.ACCOUNT:
            raise ValueError("create an account from the CRM, not from a call")
        if not (first_name.strip() or last_name.strip()):
            raise ValueError("a name is required")
        number = normalize(phone, self._region)
        with unit_of_work(self._sessions) as session:
            record: Contact | Lead
            if kind is OwnerKind.CONTACT:
                record = Contact(
                    first_name=first_name.strip() or None,
                    last_name=last_name.strip() or None,
                    email=email or None,
                    account_id=_account_for(session, company),
                )
            else:
                record = Lead(
                    first_name=first_name.strip() or None,
                    last_name=last_name.strip() or None,
                    company=company or None,
                    email=email or None,
                )
            session.add(record)
            session.flush()
            session.add(
                PhoneRecord(
                    raw=phone.strip(),
                    e164=number.e164,
                    extension=number.extension,
                    kind=PhoneKind.WORK,
                    **{_OWNER_COLUMN[kind]: record.id},
                )
            )
            session.flush()
            return PartyRef(kind, record.id)


def _account_for(session: Session, company: str | None) -> uuid.UUID | None:
    name = (company or "").strip()
    if not name:
        return None
    existing = session.scalars(
        select(Account.id).where(Account.name == name, Account.deleted_at.is_(None))
    ).first()
    if existing is not None:
        return existing
    account = Account(name=name)
    session.add(account)
    session.flush()
    return account.id


def _account_scope(
    model: type[ServiceCase] | type[Opportunity], ref: PartyRef, row: object
) -> ColumnElement[bool] | None:
    if ref.kind is OwnerKind.ACCOUNT:
        return model.account_id == ref.id
    if ref.kind is OwnerKind.CONTACT:
        account_id = getattr(row, "account_id", None)
        if account_id is not None:
            return or_(model.contact_id == ref.id, model.account_id == account_id)
        return model.contact_id == ref.id
    return None


def _names(session: Session, kind: OwnerKind, row: object) -> dict[str, Any]:
    get = row.__getattribute__
    if kind is OwnerKind.ACCOUNT:
        return {
            "industry": get("industry"),
            "website": get("website"),
            "name": get("name"),
            "first_name": None,
            "last_name": None,
            "company": get("name"),
            "title": None,
            "email": None,
            "city": get("city"),
            "country": get("country"),
            "notes": get("notes"),
        }
    company: str | None
    extra: dict[str, Any] = {}
    if kind is OwnerKind.CONTACT:
        account_id = get("account_id")
        company = session.scalar(select(Account.name).where(Account.id == account_id))
        title = get("title")
    else:
        company, title = get("company"), None
        extra = {"status": get("status").value, "source": get("source")}
    return {
        **extra,
        "name": display_name(get("first_name"), get("last_name"), get("country")),
        "first_name": get("first_name"),
        "last_name": get("last_name"),
        "company": company,
        "title": title,
        "email": get("email"),
        "city": get("city"),
        "country": get("country"),
        "notes": get("notes"),
    }


def _stage(stage: str, amount: Decimal | None, currency: str) -> str:
    stage = stage.replace("_", " ")
    return f"{stage} · {amount:,.2f} {currency}" if amount is not None else stage


def quick_due_times(now: datetime) -> dict[str, datetime]:
    """The wrap-up's quick callback choices: in 1 hour, tomorrow 09:00, next week (Monday 09:00).

    ``now`` is local time (aware); results are aware in the same zone.
    """
    tomorrow = (now + timedelta(days=1)).replace(hour=9, minute=0, second=0, microsecond=0)
    days_to_monday = 7 - now.weekday()
    monday = (now + timedelta(days=days_to_monday)).replace(
        hour=9, minute=0, second=0, microsecond=0
    )
    return {
        "in_1_hour": (now + timedelta(hours=1)).replace(second=0, microsecond=0),
        "tomorrow_morning": tomorrow,
        "next_week": monday,
    }
