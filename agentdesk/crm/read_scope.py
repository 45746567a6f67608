"""Which contacts, leads and accounts one viewer may read, for the reads no row policy filters.

On PostgreSQL a desk user's own login reads through the row-level security policies, which
already hide what the role may not read: nothing is added to their statements, so the search
and the screen pop keep their plans. SQLite has no such policies, nor has the database owner's
connection acting for a user (a script, the CLI): there the search, the screen pop and the
customer panel add the same rule (``org.access.Access.visible``) themselves. On SQLite this is
a convenience, not a boundary: the file's user can read the file.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from sqlalchemy import ColumnElement, Table, or_, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import Account, Contact, Lead
from agentdesk.crm.permissions import acting_access
from agentdesk.db.base import Base
from agentdesk.domain.access import Action, Depth, RecordKind
from agentdesk.domain.enums import OwnerKind
from agentdesk.org.access import Access
from agentdesk.org.identity import current_login
from agentdesk.org.users import AgentRef

_KINDS: Mapping[OwnerKind, RecordKind] = {
    OwnerKind.CONTACT: RecordKind.CONTACTS,
    OwnerKind.LEAD: RecordKind.LEADS,
    OwnerKind.ACCOUNT: RecordKind.ACCOUNTS,
}
_TABLES: Mapping[OwnerKind, Table] = {
    OwnerKind.CONTACT: Base.metadata.tables[Contact.__tablename__],
    OwnerKind.LEAD: Base.metadata.tables[Lead.__tablename__],
    OwnerKind.ACCOUNT: Base.metadata.tables[Account.__tablename__],
}
_PHONE_OWNER = {
    OwnerKind.CONTACT: "contact_id",
    OwnerKind.LEAD: "lead_id",
    OwnerKind.ACCOUNT: "account_id",
}


class PartyScope:
    """The parties ``access`` may read, as conditions on their tables and on phone numbers."""

    def __init__(self, access: Access) -> None:
        self._access = access

    def condition(self, kind: OwnerKind, table: Table) -> ColumnElement[bool]:
        """Rows of ``table`` (the contacts, leads or accounts table) the viewer may read."""
        return self._access.visible(_KINDS[kind], table.c.owner_id, table.c.id)

    def phone_condition(self, phones: Table) -> ColumnElement[bool]:
        """Phone numbers whose record the viewer may read."""
        return or_(
            *(
                phones.c[column].in_(
                    select(_TABLES[kind].c.id).where(self.condition(kind, _TABLES[kind]))
                )
                for kind, column in _PHONE_OWNER.items()
            )
        )

    def readable(
        self, session: Session, records: Iterable[tuple[OwnerKind, uuid.UUID]]
    ) -> set[tuple[OwnerKind, uuid.UUID]]:
        """Which of ``records`` the viewer may read."""
        wanted: dict[OwnerKind, list[uuid.UUID]] = {}
        for kind, record_id in records:
            wanted.setdefault(kind, []).append(record_id)
        found: set[tuple[OwnerKind, uuid.UUID]] = set()
        for kind, ids in wanted.items():
            table = _TABLES[kind]
            stmt = select(table.c.id).where(table.c.id.in_(ids), self.condition(kind, table))
            found.update((kind, record_id) for record_id in session.scalars(stmt))
        return found


def row_policies_apply(session: Session) -> bool:
    """Whether the connection reads through row-level security (a desk user's own login)."""
    return not current_login(session).is_owner


def party_scope(session: Session, viewer: AgentRef | None) -> PartyScope | None:
    """What ``viewer`` may read, where no row policy filters it; ``None`` where nothing needs
    adding: no viewer (the owner reading), a login the row policies already restrict, or a role
    that reads every party."""
    if viewer is None or row_policies_apply(session):
        return None
    access = acting_access(session, viewer)
    if access is None or all(
        access.depth(kind, Action.READ) is Depth.ALL for kind in _KINDS.values()
    ):
        return None
    return PartyScope(access)
