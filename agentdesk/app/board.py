"""The supervisor board's door to the supervision services: who may open it, the agents it
shows, and the feed that says when to read them again."""

from __future__ import annotations

from collections.abc import Callable, Sequence

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.supervision.changes import ChangeFeed
from agentdesk.supervision.presence import AgentOnBoard, may_view_board, read_board


class BoardService:
    def __init__(self, sessions: sessionmaker[Session], agent: str) -> None:
        self._sessions = sessions
        self._agent = agent

    def allowed(self) -> bool:
        """Whether the desk's user may open the board (blocking: run it on the executor)."""
        return may_view_board(self._sessions, self._agent)

    def agents(self) -> Sequence[AgentOnBoard]:
        """Every agent the user may watch (blocking)."""
        return read_board(self._sessions, self._agent)

    def watch(self, on_change: Callable[[], None]) -> ChangeFeed:
        """A started feed calling ``on_change`` (on its own thread) when presence changed, and
        every few seconds; stop it when the board closes."""
        feed = ChangeFeed(self._sessions.kw["bind"], on_change)
        feed.start()
        return feed
