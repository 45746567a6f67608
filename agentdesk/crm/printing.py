"""The audit step of a print: the caller reads and renders its records (a quote's PDF), and
this writes the print's audit entry in the caller's transaction.

On a PostgreSQL desk login ``agentdesk_print_records`` (migration 0013) writes it: the
database checks the ``print`` capability again and returns only records the login may read,
in the transaction of the print, so a print cannot skip its audit entry. SQLite and the
owner's connection acting for a user apply the same check and write the same entry here.
"""

from __future__ import annotations

import uuid
from typing import Any

from sqlalchemy import bindparam, func, select
from sqlalchemy.dialects.postgresql import ARRAY
from sqlalchemy.orm import Session
from sqlalchemy.types import Uuid

from agentdesk.crm.read_scope import row_policies_apply
from agentdesk.db.audit import audit
from agentdesk.db.errors import RecordNotFoundError
from agentdesk.domain.access import Capability
from agentdesk.domain.enums import AuditAction
from agentdesk.org.access import Access
from agentdesk.org.admin import audit_actor


def audit_print(
    session: Session,
    access: Access | None,
    kind: str,
    record_id: uuid.UUID,
    details: dict[str, Any],
) -> None:
    """The audit entry of a print the caller renders itself (a quote's PDF), in the caller's
    transaction: on a desk login written by ``agentdesk_print_records``, which checks the
    ``print`` capability again and refuses a record the login may not read; elsewhere here.
    ``details`` (the number, the language...) go in the entry written here; the database's
    entry names the record.
    """
    if access is not None:
        access.require(Capability.PRINT)
    if row_policies_apply(session):
        array = bindparam("ids", [record_id], type_=ARRAY(Uuid()))
        printed = list(session.scalars(select(func.agentdesk_print_records(kind, array))))
        if not printed:  # the policies hid it: nothing of it may be printed
            raise RecordNotFoundError(kind, record_id)
        return
    who = audit_actor(session, access.username if access is not None else None)
    audit(session, who, AuditAction.PRINT, kind, record_id, {"print": kind, **details})
