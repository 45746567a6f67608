"""The admin's side of dispositions: add a wrap-up code with its flags and labels, list them."""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any

from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Disposition
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.domain.enums import AuditAction
from agentdesk.org.admin import acting_user, audit_actor, require_capability
from agentdesk.org.users import AgentRef

CODE = re.compile(r"^[a-z][a-z0-9_]{0,39}$")


@dataclass(frozen=True, slots=True)
class DispositionRow:
    code: str
    label: str
    label_zh: str | None
    is_success: bool
    counts_as_contact: bool
    needs_callback: bool
    is_final: bool
    adds_to_dnc: bool
    is_default: bool
    active: bool

    def to_json(self) -> dict[str, Any]:
        return {
            "code": self.code,
            "label": self.label,
            "label_zh": self.label_zh,
            "success": self.is_success,
            "contact": self.counts_as_contact,
            "callback": self.needs_callback,
            "final": self.is_final,
            "dnc": self.adds_to_dnc,
            "default": self.is_default,
            "active": self.active,
        }


def _row(d: Disposition) -> DispositionRow:
    return DispositionRow(
        d.code, d.label, d.label_zh, d.is_success, d.counts_as_contact, d.needs_callback,
        d.is_final, d.adds_to_dnc, d.is_default, d.active,
    )  # fmt: skip


def add_disposition(
    sessions: sessionmaker[Session],
    code: str,
    *,
    label: str,
    label_zh: str | None = None,
    success: bool = False,
    contact: bool = False,
    callback: bool = False,
    final: bool = False,
    dnc: bool = False,
    agent: AgentRef | None = None,
) -> DispositionRow:
    """A new wrap-up code, last in the list (admins, or whoever may manage users)."""
    if not CODE.match(code):
        raise RequestError(
            f"disposition code {code!r}: 1 to 40 lower-case letters, digits or '_', "
            "starting with a letter"
        )
    if not label.strip() or len(label.strip()) > 100:
        raise RequestError("a disposition label is 1 to 100 characters")
    if label_zh is not None and len(label_zh.strip()) > 100:
        raise RequestError("a disposition label is 1 to 100 characters")
    with unit_of_work(sessions) as session:
        who = acting_user(session, agent)
        require_capability(session, who, Capability.MANAGE_USERS)
        if session.scalar(select(Disposition.id).where(Disposition.code == code)):
            raise RequestError(f"a disposition {code!r} exists already")
        last = session.scalar(select(func.max(Disposition.sort_order))) or 0
        row = Disposition(
            code=code, label=label.strip(), label_zh=(label_zh or "").strip() or None,
            is_success=success, counts_as_contact=contact or success, needs_callback=callback,
            is_final=final, adds_to_dnc=dnc, is_default=False, active=True, sort_order=last + 1,
        )  # fmt: skip
        session.add(row)
        session.flush()
        audit(session, audit_actor(session, who), AuditAction.CREATE, "disposition", row.id,
              {"code": code})  # fmt: skip
        return _row(row)


def list_dispositions(sessions: sessionmaker[Session]) -> list[DispositionRow]:
    with sessions() as session:
        rows = session.scalars(
            select(Disposition)
            .where(Disposition.deleted_at.is_(None))
            .order_by(Disposition.sort_order, Disposition.code)
        )
        return [_row(d) for d in rows]
