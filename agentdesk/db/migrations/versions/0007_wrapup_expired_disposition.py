"""dispositions: "Wrap-up expired", the code of a wrap-up whose timer ran out

An answered call whose wrap-up timer ran out was saved with the default code, which was the
shipped "No answer": the call log then said an answered call had not been answered. The new code
says what happened (no contact, no success: counted apart from call outcomes). It becomes the
default where "No answer" still is, or where no code is; an admin who chose another default
keeps it. A desk with no codes yet is left empty: its first start seeds the whole list
(``agentdesk.demo.seed``), this code included.

Revision ID: 0007
Revises: 0006
Create Date: 2026-12-05
"""

from __future__ import annotations

from datetime import UTC, datetime

import sqlalchemy as sa
from alembic import op

from agentdesk.domain.ids import uuid7

revision = "0007"
down_revision = "0006"
branch_labels = None
depends_on = None

CODE = "wrapup_expired"
LABEL = "Wrap-up expired"
REPLACED_DEFAULT = "no_answer"

_DISPOSITIONS = sa.table(
    "dispositions",
    sa.column("id", sa.Uuid()),
    sa.column("code", sa.String()),
    sa.column("label", sa.String()),
    sa.column("counts_as_contact", sa.Boolean()),
    sa.column("is_success", sa.Boolean()),
    sa.column("needs_callback", sa.Boolean()),
    sa.column("is_final", sa.Boolean()),
    sa.column("adds_to_dnc", sa.Boolean()),
    sa.column("is_default", sa.Boolean()),
    sa.column("active", sa.Boolean()),
    sa.column("sort_order", sa.Integer()),
    sa.column("version", sa.Integer()),
    sa.column("deleted_at", sa.DateTime(timezone=True)),
    sa.column("created_at", sa.DateTime(timezone=True)),
    sa.column("updated_at", sa.DateTime(timezone=True)),
)


def upgrade() -> None:
    bind = op.get_bind()
    d = _DISPOSITIONS.c
    if not bind.scalar(sa.select(sa.func.count()).select_from(_DISPOSITIONS)):
        return  # not seeded yet: the seed brings the code
    if bind.scalar(sa.select(d.id).where(d.code == CODE)) is not None:
        return  # an admin's own code of that name, or a step down and up again
    # The code the desk uses today (calls.dispositions.default_disposition's choice).
    current = bind.scalar(
        sa.select(d.code)
        .where(d.is_default.is_(True), d.active.is_(True), d.deleted_at.is_(None))
        .order_by(d.sort_order, d.code)
        .limit(1)
    )
    take_default = current in (None, REPLACED_DEFAULT)
    if take_default:
        op.execute(
            _DISPOSITIONS.update().where(d.is_default.is_(True)).values(is_default=sa.false())
        )
    now = datetime.now(UTC)
    if bind.dialect.name == "sqlite":
        now = now.replace(tzinfo=None)  # stored as naive UTC, as db.base.UtcDateTime does
    last = bind.scalar(sa.select(sa.func.max(d.sort_order))) or 0
    op.execute(
        _DISPOSITIONS.insert().values(
            id=uuid7(),
            code=CODE,
            label=LABEL,
            counts_as_contact=False,
            is_success=False,
            needs_callback=False,
            is_final=False,
            adds_to_dnc=False,
            is_default=take_default,
            active=True,
            sort_order=last + 10,
            version=1,
            deleted_at=None,
            created_at=now,
            updated_at=now,
        )
    )


def downgrade() -> None:
    # The code stays: calls that expired reference it, and an older desk saving expired
    # wrap-ups with it (it is still the default) records what happened too.
    pass
