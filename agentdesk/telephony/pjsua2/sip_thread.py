"""The single thread that owns the SIP stack, and the command queue into it (no pjsua2 here).

pjlib aborts the process when it is called from a thread it does not know, so everything that
touches the stack runs here: ``setup`` once, then ``pump`` (which blocks for at most a few
milliseconds waiting for network events) in a loop, with queued commands and tickers run
between pumps, and ``teardown`` at the end. Any thread may ``submit`` work and get a Future.
"""

from __future__ import annotations

import contextlib
import logging
import queue
import threading
import time
from collections.abc import Callable
from concurrent.futures import Future
from typing import TypeVar

from agentdesk.telephony.port import SoftphoneError

log = logging.getLogger(__name__)
T = TypeVar("T")
Ticker = Callable[[float], None]


def describe_error(exc: BaseException) -> str:
    """A readable message for any exception, including pjsua2's ``Error`` (``info()``)."""
    info = getattr(exc, "info", None)
    if callable(info):
        with contextlib.suppress(Exception):
            return str(info())
    return f"{type(exc).__name__}: {exc}"


class SipThread:
    """Runs ``setup``, then ``pump`` forever with queued jobs in between, then ``teardown``."""

    def __init__(
        self,
        *,
        setup: Callable[[], None],
        pump: Callable[[], None],
        teardown: Callable[[], None],
        name: str = "agentdesk-sip",
        start_timeout: float = 30.0,
    ) -> None:
        self._setup = setup
        self._pump = pump
        self._teardown = teardown
        self._jobs: queue.SimpleQueue[Callable[[], None]] = queue.SimpleQueue()
        self._tickers: list[Ticker] = []
        self._stop = threading.Event()
        self._started: Future[None] = Future()
        self._thread = threading.Thread(target=self._run, name=name, daemon=True)
        self._thread.start()
        self._started.result(timeout=start_timeout)

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` on the SIP thread; its result or exception lands in the Future.

        Any exception other than ``SoftphoneError`` is wrapped in one, so callers see one type.
        """
        future: Future[T] = Future()
        if self._stop.is_set():
            future.set_exception(SoftphoneError("the SIP thread is stopped"))
            return future

        def job() -> None:
            if not future.set_running_or_notify_cancel():
                return
            try:
                future.set_result(fn())
            except SoftphoneError as exc:
                future.set_exception(exc)
            except Exception as exc:
                future.set_exception(SoftphoneError(describe_error(exc)))

        self._jobs.put(job)
        return future

    def call(self, fn: Callable[[], T], timeout: float = 30.0) -> T:
        """Run ``fn`` on the SIP thread and wait for its result."""
        if self.on_thread():
            return fn()
        return self.submit(fn).result(timeout=timeout)

    def on_thread(self) -> bool:
        return threading.current_thread() is self._thread

    def add_ticker(self, ticker: Ticker) -> None:
        """Call ``ticker(time.monotonic())`` on the SIP thread after every pump."""
        self._tickers.append(ticker)

    def remove_ticker(self, ticker: Ticker) -> None:
        with contextlib.suppress(ValueError):
            self._tickers.remove(ticker)

    def stop(self, timeout: float = 30.0) -> None:
        """Finish queued jobs, run ``teardown`` and end the thread."""
        if self._stop.is_set():
            return
        self._stop.set()
        self._thread.join(timeout=timeout)

    def _run(self) -> None:
        try:
            self._setup()
        except Exception as exc:
            self._stop.set()
            self._started.set_exception(
                SoftphoneError(f"the SIP stack did not start: {describe_error(exc)}")
            )
            return
        self._started.set_result(None)
        while not self._stop.is_set():
            try:
                self._pump()
            except Exception:
                log.exception("SIP pump failed")
            self._drain()
            now = time.monotonic()
            for ticker in list(self._tickers):
                try:
                    ticker(now)
                except Exception:
                    log.exception("SIP ticker failed")
        self._drain()
        try:
            self._teardown()
        except Exception:
            log.exception("SIP teardown failed")

    def _drain(self) -> None:
        while True:
            try:
                job = self._jobs.get_nowait()
            except queue.Empty:
                return
            job()
