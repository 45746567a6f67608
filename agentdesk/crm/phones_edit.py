"""Adding and removing the phone numbers of contacts, leads and accounts.

An added number is normalised to E.164 (the screen pop's lookup key); a removed one is
soft-deleted at the version the agent saw. Both are audited in the same transaction.
"""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import PhoneRecord
from agentdesk.crm.party_records import OWNER_COLUMNS, PARTY_MODELS
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.db.versioning import check_version, flush_versioned, get_live
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction, OwnerKind, PhoneKind
from agentdesk.domain.phone import normalize
from agentdesk.org.users import AgentRef, actor_of


class PhoneEditor:
    """Adds and removes the phone numbers of contacts, leads and accounts."""

    def __init__(self, sessions: sessionmaker[Session], default_region: str) -> None:
        self._sessions = sessions
        self._region = default_region

    def add_phone(
        self,
        owner: OwnerKind,
        owner_id: uuid.UUID,
        raw: str,
        kind: PhoneKind = PhoneKind.WORK,
        *,
        actor: AgentRef | None = None,
    ) -> uuid.UUID:
        """Give the record one more number; its id. The text must read as a valid number."""
        number = normalize(raw, self._region)  # InvalidPhoneNumber says why not
        column = OWNER_COLUMNS[owner]
        with unit_of_work(self._sessions) as session:
            get_live(session, PARTY_MODELS[owner], owner_id, owner.value)
            duplicate = session.scalars(
                select(PhoneRecord.id).where(
                    getattr(PhoneRecord, column) == owner_id,
                    PhoneRecord.e164 == number.e164,
                    PhoneRecord.deleted_at.is_(None),
                )
            ).first()
            if duplicate is not None:
                raise RequestError(f"the {owner.value} already has {number.e164}")
            phone = PhoneRecord(
                raw=raw.strip(),
                e164=number.e164,
                extension=number.extension,
                kind=PhoneKind(kind),
                **{column: owner_id},
            )
            session.add(phone)
            session.flush()
            audit(
                session,
                actor_of(session, actor),
                AuditAction.CREATE,
                "phone",
                phone.id,
                {"owner": owner.value, "owner_id": str(owner_id), "e164": number.e164},
            )
            return phone.id

    def remove_phone(
        self, phone_id: uuid.UUID, expected_version: int, *, actor: AgentRef | None = None
    ) -> None:
        """Soft-delete a number the agent saw at ``expected_version``.

        :class:`~agentdesk.db.errors.StaleRecordError` when someone changed or removed it since.
        """
        with unit_of_work(self._sessions) as session:
            phone = session.get(PhoneRecord, phone_id)
            check_version(phone, "phone", phone_id, expected_version, _PHONE_FIELDS)
            assert phone is not None
            phone.deleted_at = utcnow()
            flush_versioned(session, phone, "phone", expected_version, _PHONE_FIELDS)
            audit(
                session,
                actor_of(session, actor),
                AuditAction.DELETE,
                "phone",
                phone.id,
                {"owner": phone.owner_kind.value, "e164": phone.e164},
            )


_PHONE_FIELDS = ("raw", "e164", "kind", "extension")
