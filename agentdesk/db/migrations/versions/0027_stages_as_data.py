"""stages as data: the admin's opportunity stages (labels, won / lost, retired)

``opportunity_stages`` held only a changed place or default probability of the six fixed
stage codes. It now holds every stage: its code (what opportunities and their history keep),
an English and a Chinese label, whether it is won or lost, and whether new moves may enter
it (``active``: a stage in use is retired, never deleted). The six codes are seeded, keeping
a place or probability the admin had set.

Downgrade on a populated database: the older code knows only the six codes, so an
opportunity (and its history) in a stage the admin added moves to ``closed_won`` or
``closed_lost`` when that stage is won or lost, otherwise to the nearest seeded open stage
placed before it (``prospecting`` when none is); the added stages' rows go.

Positions are renumbered 1..n in the order the older code showed (ties in ``position``
broken by the seeded codes' order), so no stage moves.

The table's row-level security (0016: read by all, written with ``manage_users``) is kept.

Revision ID: 0027
Revises: 0029
Create Date: 2026-12-05
"""

from __future__ import annotations

import sqlalchemy as sa
from alembic import op

revision = "0027"
down_revision = "0029"
branch_labels = None
depends_on = None

# code, label, Chinese label, default probability, won, lost (domain/stages.py, as of 0027)
SEEDED = (
    ("prospecting", "prospecting", "潜在客户", 10, False, False),
    ("qualification", "qualification", "资格确认", 20, False, False),
    ("proposal", "proposal", "方案报价", 50, False, False),
    ("negotiation", "negotiation", "商务谈判", 70, False, False),
    ("closed_won", "won", "赢单", 100, True, False),
    ("closed_lost", "lost", "丢单", 0, False, True),
)


def _columns() -> tuple[sa.Column[object], ...]:
    return (
        sa.Column("label", sa.String(60), nullable=False, server_default=""),
        sa.Column("label_zh", sa.String(60), nullable=False, server_default=""),
        sa.Column("won", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("lost", sa.Boolean(), nullable=False, server_default=sa.false()),
        sa.Column("active", sa.Boolean(), nullable=False, server_default=sa.true()),
    )


COLUMNS = _columns()
STAGES = sa.table(
    "opportunity_stages",
    sa.column("stage", sa.String),
    sa.column("position", sa.Integer),
    sa.column("probability", sa.Integer),
    *(sa.column(c.name, c.type) for c in COLUMNS),
)


def upgrade() -> None:
    for column in _columns():  # fresh: a Column belongs to one table
        op.add_column("opportunity_stages", column)
    bind = op.get_bind()
    present = set(bind.scalars(sa.select(STAGES.c.stage)))
    for place, (code, label, label_zh, chance, won, lost) in enumerate(SEEDED, start=1):
        named = {"label": label, "label_zh": label_zh, "won": won, "lost": lost}
        if code in present:
            # the admin's place and probability stay; won and lost are 100 and 0 always
            fixed = {"probability": chance} if won or lost else {}
            bind.execute(sa.update(STAGES).where(STAGES.c.stage == code).values(**named, **fixed))
        else:
            row = {"stage": code, "position": place, "probability": chance, **named}
            bind.execute(sa.insert(STAGES).values(**row))
    # The older code broke ties in ``position`` by the codes' enum order (the order of
    # SEEDED); stages.py sorts ties by code. Numbered 1..n in the older order, nothing moves.
    seeded = [code for code, *_ in SEEDED]
    rows = bind.execute(sa.select(STAGES.c.stage, STAGES.c.position)).all()
    ordered = sorted(rows, key=lambda row: (row.position, _index(seeded, row.stage), row.stage))
    for place, (code, position) in enumerate(ordered, start=1):
        if position != place:
            bind.execute(sa.update(STAGES).where(STAGES.c.stage == code).values(position=place))


def _index(seeded: list[str], code: str) -> int:
    return seeded.index(code) if code in seeded else len(seeded)


def downgrade() -> None:
    bind = op.get_bind()
    seeded = {code: (won, lost) for code, _l, _z, _p, won, lost in SEEDED}
    rows = bind.execute(
        sa.select(STAGES.c.stage, STAGES.c.position, STAGES.c.won, STAGES.c.lost).order_by(
            STAGES.c.position, STAGES.c.stage
        )
    ).all()
    moves: dict[str, str] = {}
    before = "prospecting"
    for code, _position, won, lost in rows:
        if code in seeded:
            if not any(seeded[code]):
                before = code
            continue
        moves[code] = "closed_won" if won else "closed_lost" if lost else before
    opportunities = sa.table("opportunities", sa.column("stage", sa.String))
    history = sa.table(
        "opportunity_stage_changes",
        sa.column("from_stage", sa.String),
        sa.column("to_stage", sa.String),
    )
    postgres = bind.dialect.name == "postgresql"
    if postgres and moves:
        # the history is insert-only for every login (no UPDATE policy, 0016); the upgrading
        # login owns the table, so lifting FORCE lets it rewrite the codes, then it is back
        op.execute("ALTER TABLE opportunity_stage_changes NO FORCE ROW LEVEL SECURITY")
    for code, target in moves.items():
        bind.execute(
            sa.update(opportunities).where(opportunities.c.stage == code).values(stage=target)
        )
        bind.execute(
            sa.update(history).where(history.c.from_stage == code).values(from_stage=target)
        )
        bind.execute(sa.update(history).where(history.c.to_stage == code).values(to_stage=target))
    if postgres and moves:
        op.execute("ALTER TABLE opportunity_stage_changes FORCE ROW LEVEL SECURITY")
    if moves:
        bind.execute(sa.delete(STAGES).where(STAGES.c.stage.in_(list(moves))))
    for column in reversed(COLUMNS):
        op.drop_column("opportunity_stages", column.name)
