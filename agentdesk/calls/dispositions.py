"""Dispositions: the wrap-up codes the admin defines, and the one a wrap-up must name."""

from __future__ import annotations

import uuid

from sqlalchemy import select
from sqlalchemy.orm import Session

from agentdesk.calls.dto import DispositionInfo
from agentdesk.crm.models import Disposition
from agentdesk.db.errors import RequestError
from agentdesk.domain.labels import Label


class UnknownDispositionError(RequestError):
    """The disposition code does not exist or is not active."""

    def __init__(self, code: str, known: tuple[str, ...]) -> None:
        super().__init__(
            f"unknown disposition code {code!r}; choose one of: {', '.join(known) or '(none)'}"
        )
        self.code = code
        self.known = known


def active_dispositions(session: Session) -> tuple[DispositionInfo, ...]:
    """The active wrap-up codes in the admin's order."""
    rows = session.scalars(
        select(Disposition)
        .where(Disposition.active.is_(True), Disposition.deleted_at.is_(None))
        .order_by(Disposition.sort_order, Disposition.code)
    )
    return tuple(disposition_info(d) for d in rows)


def default_disposition(session: Session) -> DispositionInfo | None:
    """The code a wrap-up gets when its timer runs out (``None`` if no code is marked)."""
    row = session.scalars(
        select(Disposition)
        .where(
            Disposition.is_default.is_(True),
            Disposition.active.is_(True),
            Disposition.deleted_at.is_(None),
        )
        .order_by(Disposition.sort_order, Disposition.code)
        .limit(1)
    ).first()
    return None if row is None else disposition_info(row)


def active_disposition(session: Session, code: str) -> Disposition:
    """The active disposition ``code``; :class:`UnknownDispositionError` otherwise."""
    if code:
        disposition = session.scalars(select(Disposition).where(Disposition.code == code)).first()
        if disposition is not None and disposition.active and disposition.deleted_at is None:
            return disposition
    known = tuple(d.code for d in active_dispositions(session))
    raise UnknownDispositionError(code, known)


def disposition_code(session: Session, disposition_id: uuid.UUID | None) -> str | None:
    if disposition_id is None:
        return None
    return session.scalar(select(Disposition.code).where(Disposition.id == disposition_id))


def disposition_info(row: Disposition) -> DispositionInfo:
    return DispositionInfo(
        id=row.id,
        code=row.code,
        label=row.label,
        label_zh=row.label_zh,
        needs_callback=row.needs_callback,
        is_default=row.is_default,
    )


def disposition_labels(session: Session) -> dict[str, Label]:
    """Every wrap-up code's labels, retired codes included: old calls still name them."""
    rows = session.execute(select(Disposition.code, Disposition.label, Disposition.label_zh))
    return {code: Label(label, label_zh) for code, label, label_zh in rows}
