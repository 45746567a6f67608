"""What the desk's parts share: the agent state, the live call, the listeners, the DB worker.

One :class:`DeskCore` per desk, owned by :class:`~agentdesk.app.desk.controller.DeskController`
and handed to each part (screen pop, call commands, outbound, wrap-up, phone events). Loop
thread only: nothing here is locked, because the controller moves every softphone event onto
the asyncio loop before any part sees it.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future, ThreadPoolExecutor
from dataclasses import dataclass, field, replace
from datetime import datetime
from typing import Any, TypeVar

from agentdesk.app.desk.events import (
    AgentChanged,
    AgentView,
    CallChanged,
    CallView,
    DeskEvent,
    DeskNotice,
    RegistrationChangedView,
    RegistrationView,
    WrapupView,
)
from agentdesk.app.event_log import EventLog
from agentdesk.app.listeners import Listeners
from agentdesk.app.loop_work import LoopWork
from agentdesk.app.notices import Notice, NoticeKind, notice
from agentdesk.app.records import RecordService
from agentdesk.calls.callbacks import CallbackService
from agentdesk.calls.log import CallLog
from agentdesk.crm.lookup.caller import CallerLookup
from agentdesk.crm.party_details import PartyRef
from agentdesk.crm.search import ContactSearch
from agentdesk.domain import agent_state as ast
from agentdesk.domain.ids import uuid7
from agentdesk.domain.phone import try_normalize
from agentdesk.journal.journal import Journal
from agentdesk.journal.store import Entry
from agentdesk.telephony import port
from agentdesk.telephony.cti_context import CtiContext

log = logging.getLogger("agentdesk.app.desk.controller")
T = TypeVar("T")
Listener = Callable[[DeskEvent], None]


@dataclass(frozen=True)
class DeskServices:
    """The CRM services the desk uses; built once by the composition root."""

    lookup: CallerLookup
    calls: CallLog
    callbacks: CallbackService
    search: ContactSearch
    records: RecordService
    journal: Journal
    queue_name: Callable[[str | None], str | None] = lambda _number: None
    """The queue a dialed number reaches (blocking: a database read), for the pop."""
    service_zone: str = "UTC"
    """The zone a case opened in the wrap-up is scheduled in until a calendar is imported:
    ``[service] timezone``, else the machine's (``service.calendar.default_zone``)."""


@dataclass
class LiveCall:
    """What the desk tracks about the agent's call (mutable, loop thread only)."""

    view: CallView
    started_at: datetime
    number_e164: str | None = None
    dialed: str | None = None
    context: CtiContext | None = None
    party: PartyRef | None = None
    answered_at: datetime | None = None
    ended_at: datetime | None = None
    end_reason: str | None = None
    hold_seconds: float = 0.0
    held_since: float | None = None
    recording_path: str | None = None
    pop_shown: bool = False
    queue_number: str | None = None
    """The number (E.164, or an internal number's digits) that names the call's queue."""
    answered_elsewhere: bool = False
    record_id: uuid.UUID = field(default_factory=uuid7)
    campaign_entry: uuid.UUID | None = None
    """Set on a call owed a wrap-up after a crash that dialled this campaign entry."""
    """The id of the call's row in the call log, chosen by the desk (the journal's entries
    name it before the shared database has seen the call)."""


class DeskCore:
    """The desk's state and the helpers every part uses to change it and to tell the UI."""

    def __init__(
        self,
        phone: port.Softphone,
        services: DeskServices,
        *,
        loop: asyncio.AbstractEventLoop,
        executor: Executor,
        agent: str,
        default_region: str,
        wrapup_seconds: float | None,
        event_log: EventLog,
        monotonic: Callable[[], float],
    ) -> None:
        self.phone = phone
        self.services = services
        self.agent = agent
        self.loop = loop
        self.region = default_region
        self.events = event_log
        self.now = monotonic
        self.listeners: Listeners[DeskEvent] = Listeners(log, "desk")
        self.state = ast.AgentState.logged_out(wrapup_seconds)
        self.call: LiveCall | None = None
        self.registration = RegistrationView("direct", "")
        self.wrapup: WrapupView | None = None
        self.wrapup_call: LiveCall | None = None
        self.closing = False
        self.journal_changed: Callable[[], None] = lambda: None
        """Tell the journal's watch that entries were added or applied (set by the controller)."""
        self.work = LoopWork(
            loop, executor, lambda error: self.emit(DeskNotice(_failed(error), error=True)), log
        )
        # The journal's appends, on one thread of their own: entries keep the order of the
        # events (a call's answer never lands before its ring), and the loop never waits for
        # the local file's synchronous write.
        self._writer = ThreadPoolExecutor(max_workers=1, thread_name_prefix="journal")
        self.journal_work = LoopWork(
            loop, self._writer, lambda error: self.emit(DeskNotice(_failed(error), error=True)), log
        )

    # -- telling the UI ------------------------------------------------------------------------

    def emit(self, event: DeskEvent) -> None:
        self.listeners.emit(event)

    def publish_registration(self, state: str, detail: str) -> None:
        self.registration = RegistrationView(state, detail)
        self.emit(RegistrationChangedView(self.registration))

    # -- agent state ---------------------------------------------------------------------------

    @property
    def agent_view(self) -> AgentView:
        s = self.state
        return AgentView(s.status.value, s.not_ready_reason, s.pending_not_ready, s.wrapup_deadline)

    def set_state(self, action: ast.AgentAction) -> bool:
        try:
            self.state = ast.transition(self.state, action)
        except ast.InvalidTransition as exc:
            log.debug("agent state refused %s: %s", action.name, exc.reason)
            return False
        self.emit(AgentChanged(self.agent_view))
        return True

    # -- the live call -------------------------------------------------------------------------

    def current(self, call_id: str | None = None) -> LiveCall | None:
        """The live call, if ``call_id`` is None or names it."""
        call = self.call
        if call is None or (call_id is not None and call.view.call_id != call_id):
            return None
        return call

    def update(self, **changes: Any) -> None:
        call = self.call
        if call is None:
            return
        call.view = replace(call.view, **changes)
        self.emit(CallChanged(call.view))

    def end_hold(self, call: LiveCall) -> None:
        if call.held_since is not None:
            call.hold_seconds += self.now() - call.held_since
            call.held_since = None

    def target(self, text: str) -> str:
        """What to dial for ``text``: E.164 when it reads as a number, else as typed (a URI)."""
        text = text.strip()
        number = try_normalize(text, self.region) if text and "@" not in text else None
        return number.e164 if number is not None else text

    # -- work elsewhere ------------------------------------------------------------------------

    def command(self, future: Future[Any], what: str) -> Future[Any]:
        """A softphone command: its failure becomes an error notice on the loop."""

        def done(f: Future[Any]) -> None:
            error = f.exception()
            if error is not None:
                with contextlib.suppress(RuntimeError):
                    failed = notice(NoticeKind.COMMAND_FAILED, command=what, error=error)
                    self.loop.call_soon_threadsafe(self.emit, DeskNotice(failed, error=True))

        future.add_done_callback(done)
        return future

    def keep(self, kind: str, payload: dict[str, Any], record_id: uuid.UUID) -> Future[Entry]:
        """Append a change to the journal (in the order asked); the watch then applies it."""
        journal, agent = self.services.journal, self.agent

        def append() -> Entry:
            return journal.append(kind, payload, record_id=record_id, actor=agent)

        return self.journal_work.submit(append, lambda _entry: self.journal_changed())

    def close_writer(self) -> None:
        self._writer.shutdown(wait=True)

    def background(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        """Run ``work`` on the DB executor; the callbacks run on the loop."""
        return self.work.submit(work, on_success, on_failure)


def _failed(error: BaseException) -> Notice:
    return notice(NoticeKind.WORK_FAILED, error=error)
