"""The opportunity stages a new database starts with (migration 0027 writes them as rows of
``opportunity_stages``; from then on the admin adds, renames, reorders and retires stages, and
an opportunity refers to its stage by the stable ``code``)."""

from __future__ import annotations

from dataclasses import dataclass

from agentdesk.domain.enums import OpportunityStage


@dataclass(frozen=True, slots=True)
class StageSeed:
    code: str
    label: str
    label_zh: str
    probability: int
    won: bool = False
    lost: bool = False


DEFAULT_STAGES: tuple[StageSeed, ...] = (
    StageSeed(OpportunityStage.PROSPECTING, "prospecting", "潜在客户", 10),
    StageSeed(OpportunityStage.QUALIFICATION, "qualification", "资格确认", 20),
    StageSeed(OpportunityStage.PROPOSAL, "proposal", "方案报价", 50),
    StageSeed(OpportunityStage.NEGOTIATION, "negotiation", "商务谈判", 70),
    StageSeed(OpportunityStage.CLOSED_WON, "won", "赢单", 100, won=True),
    StageSeed(OpportunityStage.CLOSED_LOST, "lost", "丢单", 0, lost=True),
)

STAGE_CODE_LENGTH = 20
"""``opportunities.stage`` and the history's columns are VARCHAR(20)."""
