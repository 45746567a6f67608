"""The customer panel's use cases: read a record, edit it, add or remove its numbers, create a
contact or lead for an unknown caller, and the agent's own user row.

The screen pop itself uses :class:`~agentdesk.crm.lookup.caller.CallerLookup` (its fast path);
the fuller view of a chosen record comes from :mod:`agentdesk.crm.party_details`, whose history
follows the same rules (:mod:`agentdesk.crm.lookup.history`) with a larger limit.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.calls.dispositions import disposition_labels
from agentdesk.crm import ownership
from agentdesk.crm.party_create import create_party
from agentdesk.crm.party_details import (
    PartyDetails,
    PartyRef,
    PhoneView,
    read_details,
    resolve_context,
)
from agentdesk.crm.party_records import PARTY_MODELS, form_fields
from agentdesk.crm.permissions import KIND_OF_MODEL
from agentdesk.crm.phones_edit import PhoneEditor
from agentdesk.crm.records_edit import RecordEditor
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import LeadStatus, OwnerKind, PhoneKind
from agentdesk.domain.labels import Label
from agentdesk.org.users import AgentRef, active_usernames, ensure_agent

PHONE_KINDS = tuple(kind.value for kind in PhoneKind)
LEAD_STATUSES = tuple(status.value for status in LeadStatus)
"""The lead status codes in their natural order, for the form's chooser."""
EDITABLE_FIELDS: dict[OwnerKind, tuple[str, ...]] = {kind: form_fields(kind) for kind in OwnerKind}
"""What the customer panel's form edits for each kind of record, in the services' order."""


@dataclass(frozen=True, slots=True)
class SavedEdit:
    """What a saved edit of a contact, lead or account returns to the panel."""

    ref: PartyRef
    version: int
    changed: frozenset[str]


@dataclass(frozen=True, slots=True)
class LinkChoice:
    """An opportunity or open case the wrap-up may link the call to."""

    id: uuid.UUID
    label: str


class RecordService:
    """Reads and writes the records behind the customer panel; every call is one session."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        default_region: str,
        *,
        clock: Callable[[], datetime] = utcnow,
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
            return ensure_agent(session, username, display).id

    def agent_usernames(self) -> tuple[str, ...]:
        with self._sessions() as session:
            return active_usernames(session)

    # -- reading -------------------------------------------------------------------------------

    def details(self, ref: PartyRef, *, viewer: AgentRef | None = None) -> PartyDetails:
        """Everything the customer panel shows ``viewer`` of one record (whether they may
        change it too); its history has up to ``history_limit`` rows of each part."""
        return read_details(
            self._sessions, ref, limit=self._limit, now=self._clock(), viewer=viewer
        )

    def opportunities_for(self, ref: PartyRef | None) -> tuple[LinkChoice, ...]:
        """Open opportunities the wrap-up can link the call to."""
        if ref is None:
            return ()
        details = self.details(ref)
        return tuple(LinkChoice(o.id, o.title) for o in details.opportunities)

    def open_cases_for(self, ref: PartyRef | None) -> tuple[LinkChoice, ...]:
        """The party's open cases the wrap-up can link the call to."""
        if ref is None:
            return ()
        return tuple(LinkChoice(c.id, c.title) for c in self.details(ref).cases)

    def resolve_context(self, kind: str, record_text: str) -> PartyRef | None:
        """The contact, lead or account an ``X-AgentDesk-Context`` names (a case or opportunity
        resolves to its contact, else its account); ``None`` when it does not exist."""
        return resolve_context(self._sessions, kind, record_text)

    def disposition_labels(self) -> dict[str, Label]:
        """Every wrap-up code's labels, retired codes included: old calls still name them."""
        with self._sessions() as session:
            return disposition_labels(session)

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

    def assign(
        self, refs: Iterable[PartyRef], to_user: str, *, actor: AgentRef | None = None
    ) -> int:
        """Give the records ``refs`` to ``to_user`` (audited, each kind all or nothing);
        returns how many changed owner."""
        by_kind: dict[str, list[uuid.UUID]] = {}
        for ref in refs:
            by_kind.setdefault(KIND_OF_MODEL[PARTY_MODELS[ref.kind]].value, []).append(ref.id)
        return sum(
            ownership.assign(self._sessions, kind, ids, to_user, agent=actor)
            for kind, ids in by_kind.items()
        )

    def create_party(
        self,
        kind: OwnerKind,
        *,
        first_name: str,
        last_name: str,
        phone: str,
        company: str | None = None,
        email: str | None = None,
        actor: AgentRef | None = None,
    ) -> PartyRef:
        """A new contact or lead with one phone number (the unknown caller's), owned by
        ``actor`` and audited."""
        return create_party(
            self._sessions,
            self._region,
            kind,
            first_name=first_name,
            last_name=last_name,
            phone=phone,
            company=company,
            email=email,
            actor=actor,
        )


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
