"""The desk's side of the journal: drain it in the background and tell the UI how it stands.

Every second while entries wait (and at once when the wrap-up added one), a drain runs on the
DB worker; the journal's own backoff decides whether it tries the database. The UI hears a
:class:`~agentdesk.app.desk.events.JournalChanged` when the count or the reachability changes:
the status bar's banner says the database is away and how many changes this computer keeps,
and goes when the journal has drained. Applied entries reload the lists that show them.
"""

from __future__ import annotations

import asyncio

from agentdesk.app.desk.core import DeskCore
from agentdesk.app.desk.events import DataChanged, DeskNotice, JournalChanged, JournalView
from agentdesk.app.notices import NoticeKind, notice
from agentdesk.domain.changes import CALLBACKS, CALLS, CASES
from agentdesk.journal.journal import Journal

TICK_S = 1.0


class JournalWatch:
    def __init__(self, core: DeskCore, journal: Journal) -> None:
        self._core = core
        self._journal = journal
        self._timer: asyncio.TimerHandle | None = None
        self._running = False
        self._again = False
        self.view = JournalView(0, 0, False)
        self._refused: int | None = None  # set aside before this start: already said
        core.journal_changed = self.poke

    def start(self) -> None:
        self.poke()

    def stop(self) -> None:
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None

    def poke(self) -> None:
        """Drain now (or right after the drain under way) and report."""
        if self._core.closing:
            return
        if self._running:
            self._again = True
            return
        self._running = True
        journal = self._journal

        def work() -> tuple[int, JournalView, int]:
            before = journal.status()
            applied = journal.drain().applied if before.pending else 0
            status = journal.status()
            view = JournalView(status.pending, status.refused, status.unreachable)
            return applied, view, before.refused

        self._core.background(work, self._done, self._failed)

    def _done(self, result: tuple[int, JournalView, int]) -> None:
        applied, view, refused_before = result
        if self._refused is None:
            # Set aside before this start: said then. Counted before the first drain, so what
            # that drain sets aside is said like any later refusal.
            self._refused = refused_before
        if applied and self.view.unreachable:
            # A backlog kept through an outage reached the database: the lists show it now.
            self._core.emit(DataChanged(frozenset({CALLS, CALLBACKS, CASES})))
        if self._refused is not None and view.refused > self._refused:
            # Never silently: a kept change the database refused is set aside with its error.
            count = view.refused - self._refused
            self._core.emit(DeskNotice(notice(NoticeKind.CHANGES_REFUSED, count=count), error=True))
        self._refused = view.refused
        if view != self.view:
            self.view = view
            self._core.emit(JournalChanged(view))
        self._next(view)

    def _failed(self, error: BaseException) -> None:
        # The local file failed (a full disk): the notice says so; keep trying.
        self._core.emit(DeskNotice(notice(NoticeKind.WORK_FAILED, error=error), error=True))
        self._next(self.view)

    def _next(self, view: JournalView) -> None:
        self._running = False
        if self._again:
            self._again = False
            self.poke()
            return
        if view.pending and not self._core.closing and self._timer is None:
            self._timer = self._core.loop.call_later(TICK_S, self._tick)

    def _tick(self) -> None:
        self._timer = None
        self.poke()
