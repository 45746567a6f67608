"""An opportunity's effective probability (its ``chance``), defined once, in SQL.

Won is 100, lost 0, else the rep's override (``opportunities.probability``), else the stage's
default (``opportunity_stages``; 0 for a code without a row). ``chance_for`` is that rule;
``opportunities.chance`` keeps its value so the list sorted by probability reads one index
range instead of computing and sorting every visible row (issue 17). Every ORM write of an
opportunity's stage or override assigns ``chance_for`` to the row at its flush (the model's
flush events: the INSERT or UPDATE computes it), a Core INSERT without the column gets it
from the column's default, and a change of a stage's default rewrites its opportunities in
the same transaction (``store_chances``). The forecast weights with ``effective_chance``, the
same rule over its join to the stages.

Whether an opportunity is open is defined here too, once: its stage row is neither won nor
lost. A code without a row (a stage removed by SQL outside the application, or data loaded
from elsewhere) counts as open: the deal is still being worked, so the forecast keeps it (at
0 %), the screen pop and the party's sales list it, and the pipeline shows it in a column of
its own. ``stage_is_open`` is the rule for a stage code, ``open_stage_row`` the same rule
over a query's outer join to ``opportunity_stages``.
"""

from __future__ import annotations

from typing import Any, cast

from sqlalchemy import (
    ColumnElement,
    CursorResult,
    Integer,
    and_,
    case,
    false,
    func,
    inspect,
    literal,
    or_,
    select,
    update,
)
from sqlalchemy.orm import Session

from agentdesk.crm.models import Opportunity, StageSetting


def _rule(override: Any) -> ColumnElement[int]:
    """The rule over a row of ``opportunity_stages`` in the FROM clause."""
    return case(
        (StageSetting.won.is_(True), 100),
        (StageSetting.lost.is_(True), 0),
        else_=func.coalesce(override, StageSetting.probability, 0),
    )


def effective_chance() -> ColumnElement[int]:
    """The rule for a query that outer-joins ``opportunity_stages`` to ``opportunities``."""
    return _rule(Opportunity.probability)


def chance_for(stage: Any, override: Any) -> ColumnElement[int]:
    """The rule for a stage code and an override (values or columns): the stage's row is
    looked up; without one (both NULL, as in the outer join) the override, else 0."""
    code = stage if isinstance(stage, ColumnElement) else literal(stage)
    typed = override if isinstance(override, ColumnElement) else literal(override, type_=Integer())
    row = select(_rule(typed)).where(StageSetting.stage == code).scalar_subquery()
    return func.coalesce(row, typed, 0)


def stage_is_open(stage: ColumnElement[str]) -> ColumnElement[bool]:
    """Whether an opportunity in ``stage`` (a code column) is open: no won or lost row has the
    code (a code without a row is open)."""
    closed = select(StageSetting.stage).where(
        or_(StageSetting.won.is_(True), StageSetting.lost.is_(True))
    )
    return stage.not_in(closed)


def open_stage_row() -> ColumnElement[bool]:
    """:func:`stage_is_open` for a query that outer-joins ``opportunity_stages`` to
    ``opportunities`` (no row: both flags NULL, open)."""
    return and_(
        func.coalesce(StageSetting.won, false()).is_(False),
        func.coalesce(StageSetting.lost, false()).is_(False),
    )


def keep_chance(row: Opportunity) -> None:
    """At its flush (the model's ``before_insert``/``before_update``): a new row, or one whose
    stage or override changed, gets its chance, computed by the INSERT or UPDATE itself (the
    attribute is read again after it)."""
    state = inspect(row)
    changed = state.attrs.stage.history.has_changes() or (
        state.attrs.probability.history.has_changes()
    )
    if state.transient or state.pending or changed:
        row.chance = chance_for(row.stage, row.probability)


def store_chances(session: Session, *where: ColumnElement[bool]) -> int:
    """Rewrite the stored chance of the opportunities ``where`` selects (all without it);
    the rows changed."""
    value = chance_for(Opportunity.stage.expression, Opportunity.probability.expression)
    query = (
        update(Opportunity)
        .where(*where, Opportunity.chance != value)
        .values(chance=value)
        .execution_options(synchronize_session=False)
    )
    result = cast(CursorResult[Any], session.execute(query))
    for row in list(session.identity_map.values()):
        if isinstance(row, Opportunity):  # loaded before the rewrite: read it again
            session.expire(row, ["chance"])
    return result.rowcount
