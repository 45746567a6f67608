"""Database work for the loop thread's controllers: run on the executor, answer on the loop.

The desk controller and the dialer session both hand blocking work to the DB executor and must
see its result on the asyncio (GUI) thread, in order, never after the loop closed.
"""

from __future__ import annotations

import asyncio
import contextlib
import logging
from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

T = TypeVar("T")


class LoopWork:
    """Runs callables on ``executor``; success and failure callbacks run on ``loop``.

    A failure without its own callback goes to ``on_unhandled`` (the owner's notice) and the
    log. ``pending`` holds what is still running, so shutdown can wait for it.
    """

    def __init__(
        self,
        loop: asyncio.AbstractEventLoop,
        executor: Executor,
        on_unhandled: Callable[[BaseException], None],
        log: logging.Logger,
    ) -> None:
        self._loop = loop
        self._executor = executor
        self._on_unhandled = on_unhandled
        self._log = log
        self.pending: set[Future[Any]] = set()

    def submit(
        self,
        work: Callable[[], T],
        on_success: Callable[[T], None] | None,
        on_failure: Callable[[BaseException], None] | None = None,
    ) -> Future[T]:
        future = self._executor.submit(work)
        self.pending.add(future)

        def deliver(f: Future[T]) -> None:
            self.pending.discard(f)
            if f.cancelled():
                return
            error = f.exception()
            if error is not None:
                self._log.warning("background work failed: %s", error)
                (on_failure or self._on_unhandled)(error)
            elif on_success is not None:
                on_success(f.result())

        def relay(f: Future[T]) -> None:
            with contextlib.suppress(RuntimeError):  # the loop is closed during shutdown
                self._loop.call_soon_threadsafe(deliver, f)

        future.add_done_callback(relay)
        return future

    async def drained(self) -> None:
        """Return once nothing is pending and every result was delivered on the loop.

        Work a callback submits counts too: this waits until the chain is quiet. Must be awaited
        on ``loop``. A result is delivered with ``call_soon_threadsafe`` before the awaited
        wrapper of the same future completes, so on return its callback has run.
        """
        while self.pending:
            waiting = [asyncio.wrap_future(f, loop=self._loop) for f in list(self.pending)]
            await asyncio.wait(waiting)
            await asyncio.sleep(0)
