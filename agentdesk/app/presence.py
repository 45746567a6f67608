"""The desk's side of agent presence: what the agent is doing, told to the shared database.

Every agent or call change is published (off the loop, on the DB executor), and a heartbeat
follows every :data:`~agentdesk.supervision.presence.HEARTBEAT` so boards can tell a live desk
from a silent one. Presence is a picture of now, not a record: a write that fails (the
database unreachable) is logged and simply superseded by the next one; the call log and the
wrap-up keep their own guarantees.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.events import AgentChanged, CallChanged, DeskEvent
from agentdesk.domain.agent_state import AgentStatus
from agentdesk.supervision.presence import HEARTBEAT, DeskState, heartbeat, publish, sign_out

log = logging.getLogger(__name__)

STOP_WAIT_SECONDS = 5.0


class PresencePublisher:
    def __init__(
        self,
        controller: DeskController,
        sessions: sessionmaker[Session],
        executor: Executor,
        loop: asyncio.AbstractEventLoop,
        agent: str,
        *,
        interval: float = HEARTBEAT.total_seconds(),
    ) -> None:
        self._controller = controller
        self._sessions = sessions
        self._executor = executor
        self._loop = loop
        self._agent = agent
        self._interval = interval
        self._timer: asyncio.TimerHandle | None = None
        self._stopped = False
        self._busy = False
        self._wanted: DeskState | None = None
        self._in_flight: Future[object] | None = None

    def start(self) -> None:
        """Follow the desk's events and beat; call before the controller starts."""
        self._controller.subscribe(self._on_event)
        self._timer = self._loop.call_later(self._interval, self._beat)

    def _on_event(self, event: DeskEvent) -> None:
        match event:
            case AgentChanged() | CallChanged():
                self._submit(self.desk_state())
            case _:
                pass

    def desk_state(self) -> DeskState:
        """The agent's state and current call as the controller holds them now."""
        view = self._controller.agent_view
        call = self._controller.call
        if call is None:
            return DeskState(AgentStatus(view.status), view.not_ready_reason)
        return DeskState(
            AgentStatus(view.status),
            view.not_ready_reason,
            call_direction="inbound" if call.view.inbound else "outbound",
            call_number=call.number_e164 or call.view.remote,
            party_name=call.view.display_name,
        )

    def _submit(self, desk: DeskState) -> None:
        # One write at a time, the latest state wins: two writes racing on the executor's
        # threads could land in the wrong order and leave a stale state on the board.
        if self._stopped:
            return
        self._wanted = desk
        if not self._busy:
            self._write(lambda: publish(self._sessions, self._agent, desk))
            self._wanted = None

    def _beat(self) -> None:
        if self._stopped:
            return
        if not self._busy:  # a write under way is a heartbeat too
            self._write(lambda: heartbeat(self._sessions, self._agent))
        self._timer = self._loop.call_later(self._interval, self._beat)

    def _write(self, work: Callable[[], object]) -> None:
        self._busy = True
        self._in_flight = self._executor.submit(work)
        self._in_flight.add_done_callback(self._relay)

    def _relay(self, future: Future[object]) -> None:
        with contextlib.suppress(RuntimeError):  # the loop closed during shutdown
            self._loop.call_soon_threadsafe(self._written, future)

    def _written(self, future: Future[object]) -> None:
        self._busy = False
        error = future.exception()
        if error is not None:
            log.info("presence not written (the next write replaces it): %s", error)
        if self._wanted is not None:
            self._submit(self._wanted)

    def stop(self) -> None:
        """The desk closes: stop beating and log the agent out (blocking, before the executor
        shuts down); a database that cannot be reached leaves the desk to show as lost."""
        self._stopped = True
        if self._timer is not None:
            self._timer.cancel()
        if self._in_flight is not None:  # it must not land after the log-out
            with contextlib.suppress(Exception):
                self._in_flight.result(timeout=STOP_WAIT_SECONDS)
        try:
            sign_out(self._sessions, self._agent)
        except Exception as exc:  # closing must go on; the board shows the desk "lost"
            log.warning("could not log the agent out on the board: %s", exc)
