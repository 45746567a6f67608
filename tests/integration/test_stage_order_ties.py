"""Stages tied in ``position`` keep the order the older code showed (the seeded codes' order),
through migration 0027 and in the stages' read (both engines)."""

from __future__ import annotations

import pytest
from sqlalchemy import Engine, column, delete, insert, table, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import StageSetting
from agentdesk.db import migrate
from agentdesk.domain.enums import OpportunityStage as S
from agentdesk.sales.stages import list_stages

OLD_ORDER = [S.PROSPECTING, S.PROPOSAL, S.QUALIFICATION, S.NEGOTIATION, S.CLOSED_WON,
             S.CLOSED_LOST]  # fmt: skip
"""Rows proposal at 1 and negotiation at 2; the codes without a row at their enum place
(prospecting 1, qualification 2, ...): ties by enum order, as the older pipeline sorted."""


def test_0027_keeps_the_older_order_of_tied_positions(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    migrate.downgrade(engine, "0029")
    stages = table("opportunity_stages", column("stage"), column("position"), column("probability"))
    with engine.begin() as conn:
        conn.execute(delete(stages))
        conn.execute(insert(stages).values(stage="proposal", position=1, probability=45))
        conn.execute(insert(stages).values(stage="negotiation", position=2, probability=70))
    migrate.upgrade(engine)
    read = list_stages(sessions)
    assert [s.code for s in read] == OLD_ORDER
    assert [s.order for s in read] == [1, 2, 3, 4, 5, 6]
    assert {s.code: s.probability for s in read}[S.PROPOSAL] == 45


@pytest.mark.parametrize("tied", [(S.PROSPECTING, S.PROPOSAL), (S.QUALIFICATION, S.NEGOTIATION)])
def test_stages_tied_in_position_are_read_in_the_seeded_order(
    engine: Engine, sessions: sessionmaker[Session], tied: tuple[S, S]
) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(StageSetting.__table__)
            .where(StageSetting.__table__.c.stage.in_([str(code) for code in tied]))
            .values(position=3)
        )
    codes = [s.code for s in list_stages(sessions)]
    assert codes.index(tied[0]) < codes.index(tied[1])  # by code the other way round
