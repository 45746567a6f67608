"""dispositions get their Chinese labels; phone numbers are indexed by their last digits

1. The codes AgentDesk seeds get the Chinese label the seed now writes (``agentdesk.demo.seed``)
   where none is set and the English label is still the seeded one: an admin who reworded a
   code keeps one wording, shown as written in both languages, until they add a Chinese one.
2. ``ix_phone_numbers_e164_reversed``: an index on the number's digits last first, so search
   finds a number by its end (``4525991``) with an index range scan. The key is written with
   ``substr`` and ``||`` alone (``agentdesk.crm.models.E164_REVERSED_SQL``, which the queries use):
   SQLite has no ``reverse()``, and a query matches an expression index only when its
   expression is the index's own. An index needs nothing from the code that writes numbers.

Revision ID: 0011
Revises: 0010
Create Date: 2026-12-06
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0011"
down_revision = "0010"
branch_labels = None
depends_on = None

# code: (the seeded English label, its Chinese label), as agentdesk.demo.seed writes them.
CHINESE_LABELS = {
    "sale": ("Sale", "成交"),
    "interested": ("Interested", "有意向"),
    "callback": ("Call back", "需回拨"),
    "not_interested": ("Not interested", "无意向"),
    "no_answer": ("No answer", "无人接听"),
    "busy": ("Busy", "忙线"),
    "wrong_number": ("Wrong number", "号码错误"),
    "voicemail": ("Voicemail left", "已留语音"),
    "do_not_call": ("Do not call", "勿扰"),
    "resolved": ("Resolved", "已解决"),
    "info_given": ("Information given", "已告知信息"),
    "wrapup_expired": ("Wrap-up expired", "话后处理超时"),
}

INDEX = "ix_phone_numbers_e164_reversed"


def _reversed_digits_sql() -> str:
    """``agentdesk.crm.models.E164_REVERSED_SQL``, character for character (15 digits)."""
    expr = "substr(e164, 16, 1)"
    for position in range(15, 1, -1):
        expr = f"({expr} || substr(e164, {position}, 1))"
    return expr


E164_REVERSED = _reversed_digits_sql()

_DISPOSITIONS = sa.table(
    "dispositions",
    sa.column("code", sa.String()),
    sa.column("label", sa.String()),
    sa.column("label_zh", sa.String()),
)


def upgrade() -> None:
    d = _DISPOSITIONS.c
    for code, (label, chinese) in CHINESE_LABELS.items():
        op.execute(
            _DISPOSITIONS.update()
            .where(
                d.code == code,
                d.label == label,
                sa.or_(d.label_zh.is_(None), sa.func.trim(d.label_zh) == ""),
            )
            .values(label_zh=chinese)
        )
    op.create_index(INDEX, "phone_numbers", [sa.text(E164_REVERSED)])


def downgrade() -> None:
    op.drop_index(INDEX, table_name="phone_numbers")
    # The Chinese labels stay: 0010's downgrade drops the column, and a desk stepping back
    # only to 0010 still shows them.
