"""What the dialer session's parts share: the view, the entry being dialled, timers, the DB
worker, and the desk it dials through.

Loop thread only. The desk is used through its public interface: its events, ``dial`` and
``dial_refusal``, its state, and the :class:`~agentdesk.app.desk.wrapup.WrapupOwner` hook the
session registers to save its calls' wrap-ups.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from concurrent.futures import Executor, Future
from dataclasses import dataclass, replace
from datetime import datetime, timedelta
from typing import Any, TypeVar

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.desk.controller import DeskController
from agentdesk.app.dialer.views import (
    DialerChanged,
    DialerEvent,
    DialerNotice,
    DialerView,
    EntryResult,
)
from agentdesk.app.listeners import Listeners
from agentdesk.app.loop_work import LoopWork
from agentdesk.app.notices import Notice, NoticeKind, notice
from agentdesk.dialer.campaign_wrapup import CampaignWrapupSaved
from agentdesk.dialer.entry_state import EntryState
from agentdesk.dialer.outcomes import CampaignProgress, skip_entry
from agentdesk.dialer.selection import OfferedEntry
from agentdesk.domain import agent_state as ast
from agentdesk.domain.labels import Label
from agentdesk.journal.journal import unreachable

log = logging.getLogger("agentdesk.app.dialer.session")
T = TypeVar("T")


@dataclass
class Dialling:
    """One entry being dialled (loop thread only, but for ``saved``: see there)."""

    entry: OfferedEntry
    placed: bool = False
    call_id: str | None = None
    answered: bool = False
    recorded: bool = False
    """The attempt went through the journal (applied, kept or refused)."""
    wrapped: bool = False
    """The desk saved the call's wrap-up (``WrapupFinished``)."""
    saved: tuple[CampaignWrapupSaved, CampaignProgress | None, Label | None] | None = None
    """Written by the wrap-up's save on the DB worker, read on the loop after the desk's
    ``WrapupFinished``, which the worker's completion happens before."""
    hold: asyncio.TimerHandle | None = None
    """The next renewal of the entry's in-progress hold."""


class DialerCore:
    """The session's state and the helpers its parts use to change it and to tell the UI."""

    def __init__(
        self,
        controller: DeskController,
        sessions: sessionmaker[Session],
        *,
        loop: asyncio.AbstractEventLoop,
        executor: Executor,
        agent: str,
        view: DialerView,
        clock: Callable[[], datetime],
        monotonic: Callable[[], float],
    ) -> None:
        self.controller = controller
        self.sessions = sessions
        self.loop = loop
        self.agent = agent
        self.clock = clock
        self.now = monotonic
        self.view = view
        self.listeners: Listeners[DialerEvent] = Listeners(log, "dialer")
        self.dial: Dialling | None = None
        self.timer: asyncio.TimerHandle | None = None
        self.generation = 0  # bumped on pause / campaign change: late results are stale
        self.work = LoopWork(
            loop,
            executor,
            lambda e: self.notice(notice(NoticeKind.WORK_FAILED, error=e), True),
            log,
        )

    def emit(self, event: DialerEvent) -> None:
        self.listeners.emit(event)

    def set(self, **changes: Any) -> None:
        self.view = replace(self.view, **changes)
        self.emit(DialerChanged(self.view))

    def notice(self, said: Notice, error: bool = False) -> None:
        self.emit(DialerNotice(said, error))

    def _work_failed(self, error: BaseException) -> None:
        self.notice(notice(NoticeKind.WORK_FAILED, error=error), True)

    def failed_unless_away(self, error: BaseException) -> None:
        """A read that can wait (counts): quiet in an outage, where the phase says why."""
        if not unreachable(error):
            self._work_failed(error)

    def background(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        return self.work.submit(work, on_success, on_failure)

    def agent_free(self) -> bool:
        c = self.controller
        return (
            c.state.status is ast.AgentStatus.AVAILABLE
            and c.wrapup is None
            and c.dial_refusal() is None
        )

    def cancel_timer(self) -> None:
        if self.timer is not None:
            self.timer.cancel()
            self.timer = None

    def release(self, entry: OfferedEntry) -> None:
        """Give back a reservation that will not be used (pause, stale result): no delay."""
        sessions, agent = self.sessions, self.agent

        def work() -> EntryState:
            return skip_entry(sessions, entry.id, agent, delay=timedelta(0))

        self.background(work, None, lambda error: log.info("release of %s: %s", entry.id, error))

    def set_result(
        self, entry: OfferedEntry, progress: CampaignProgress | None, result: EntryResult
    ) -> None:
        # A callback dialled from the Callbacks tab may be of another campaign than the one
        # shown: its counts must not replace the shown campaign's.
        shown = self.view.campaign
        if progress is not None and shown is not None and shown.name == entry.campaign:
            self.set(progress=progress, last_result=result)
        else:
            self.set(last_result=result)


def entry_key(entry: OfferedEntry | None) -> uuid.UUID | None:
    return entry.id if entry is not None else None
