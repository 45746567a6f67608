"""Which contacts, leads and accounts one viewer may read, for the reads no row policy filters.

On PostgreSQL a desk user's own login reads through the row-level security policies, which
already hide what the role may not read: nothing is added to their statements, so the search
and the screen pop keep their plans. SQLite has no such policies, nor has the database owner's
connection acting for a user (a script, the CLI): there the search, the screen pop and the
customer panel add the same rule (``org.access.Access.visible``) themselves, to the parties
and to their history (a sales rep sees their own calls of a caller, an agent every call).
On SQLite this is a convenience, not a boundary: the file's user can read the file.
"""

from __future__ import annotations

import uuid
from collections.abc import Iterable, Mapping

from sqlalchemy import ColumnElement, FromClause, Table, or_, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import (
    Account,
    Call,
    Callback,
    Contact,
    Lead,
    Opportunity,
    ServiceCase,
)
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
_HISTORY: Mapping[str, tuple[RecordKind, str]] = {
    Call.__tablename__: (RecordKind.CALLS, "agent_id"),
    ServiceCase.__tablename__: (RecordKind.CASES, "owner_id"),
    Opportunity.__tablename__: (RecordKind.OPPORTUNITIES, "owner_id"),
    Callback.__tablename__: (RecordKind.CALLBACKS, "agent_id"),
}
"""A party's history tables: their record kind and owner column."""
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


def history_rows(access: Access, table: FromClause) -> ColumnElement[bool]:
    """Rows of a history table (calls, cases, opportunities, callbacks) ``access`` may read."""
    kind, owner = _HISTORY[str(table.description)]
    return access.visible(kind, table.c[owner], table.c.id)


def row_policies_apply(session: Session) -> bool:
    """Whether the connection reads through row-level security (a desk user's own login)."""
    return not current_login(session).is_owner


def viewer_access(session: Session, viewer: AgentRef | None) -> Access | None:
    """``viewer``'s permissions where the service must apply them to what it reads; ``None``
    where nothing needs adding: no viewer (the owner reading) or a login the row policies
    already restrict."""
    if viewer is None or row_policies_apply(session):
        return None
    return acting_access(session, viewer)


def party_scope(access: Access | None) -> PartyScope | None:
    """The parties ``access`` (from :func:`viewer_access`) may read; ``None`` where nothing
    needs adding: no access to apply, or a role that reads every party."""
    if access is None or all(
        access.depth(kind, Action.READ) is Depth.ALL for kind in _KINDS.values()
    ):
        return None
    return PartyScope(access)
