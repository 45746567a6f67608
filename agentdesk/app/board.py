"""The supervisor board's door to the supervision services: who may open it, the agents it
shows, and the feed that says when to read them again."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.config.settings import Settings
from agentdesk.dialer.outcomes import CampaignProgress
from agentdesk.domain.contact_metrics import ServiceLevelFormula
from agentdesk.supervision.board_figures import BoardFigures, campaigns_progress, read_figures
from agentdesk.supervision.changes import ChangeFeed
from agentdesk.supervision.presence import AgentOnBoard, may_view_board, read_board


def service_level_formula(settings: Settings, *, strict: bool = False) -> ServiceLevelFormula:
    """``[supervision] service_level_formula``: ``answered`` (the default: answered within T
    / answered), ``answered_and_abandoned`` or ``abandoned_after_t``. An unknown one is the
    default for the board (a typo must not keep it shut) and a ``ValueError`` when ``strict``
    (a report must not print a formula it did not use)."""
    section = settings.raw.get("supervision", {})
    value = section.get("service_level_formula") if isinstance(section, dict) else None
    try:
        return ServiceLevelFormula(value) if value else ServiceLevelFormula.ANSWERED
    except ValueError:
        if strict:
            known = ", ".join(f.value for f in ServiceLevelFormula)
            raise ValueError(
                f"[supervision] service_level_formula {value!r}: use {known}"
            ) from None
        return ServiceLevelFormula.ANSWERED


class BoardService:
    def __init__(
        self,
        sessions: sessionmaker[Session],
        agent: str,
        formula: ServiceLevelFormula = ServiceLevelFormula.ANSWERED,
    ) -> None:
        self._sessions = sessions
        self._agent = agent
        self.formula = formula

    def allowed(self) -> bool:
        """Whether the desk's user may open the board (blocking: run it on the executor)."""
        return may_view_board(self._sessions, self._agent)

    def agents(self) -> Sequence[AgentOnBoard]:
        """Every agent the user may watch (blocking)."""
        return read_board(self._sessions, self._agent)

    def figures(self) -> BoardFigures:
        """Today's queue tiles and each agent's calls and AHT, from the rollups (blocking)."""
        return read_figures(self._sessions, self.formula)

    def campaigns(self) -> list[CampaignProgress]:
        """The active campaigns' progress (blocking; slower than the rest: read it less)."""
        return campaigns_progress(self._sessions)

    def watch(self, on_change: Callable[[], None]) -> ChangeFeed:
        """A started feed calling ``on_change`` (on its own thread) when presence changed, and
        every few seconds; stop it when the board closes."""
        feed = ChangeFeed(self._sessions.kw["bind"], on_change)
        feed.start()
        return feed
