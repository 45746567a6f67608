"""The process's single pjsua2 Endpoint, owned by one ``SipThread``.

Why one thread: pjlib aborts the whole process (SIGABRT) when it is called from a thread it
does not know, and with worker threads its callbacks arrive on pjmedia threads. So a single
``SipEngine`` thread creates the Endpoint (``threadCnt = 0``, ``mainThreadOnly = True``), pumps
``libHandleEvents(10)`` and runs queued commands between pumps.
"""

from __future__ import annotations

import contextlib
import logging
import os
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import Future
from typing import Any, TypeVar

import pjsua2 as pj

from agentdesk.telephony.pjsua2.audio import AudioDevice, device_index
from agentdesk.telephony.pjsua2.flood import InviteRateLimiter
from agentdesk.telephony.pjsua2.sip_thread import SipThread, Ticker

log = logging.getLogger(__name__)
T = TypeVar("T")


class _Endpoint(pj.Endpoint):  # type: ignore[misc]
    """Steers INVITEs over the flood budget to a guard account (see ``flood``)."""

    def __init__(self, engine: SipEngine) -> None:
        super().__init__()
        self._engine = engine

    def onSelectAccount(self, prm: Any) -> None:
        try:
            guard = self._engine.guard_account_id
            if (
                guard is not None
                and str(prm.rdata.info).startswith("Request msg INVITE")
                and not self._engine.invite_limiter.admit(time.monotonic())
            ):
                # pjsua ignores an invalid account here, so we pick the guard account, whose
                # media address cannot be bound: pjsua answers 500 and no socket is created.
                prm.accountIndex = guard
        except Exception:
            log.exception("onSelectAccount failed")


_PJ_LEVELS = {0: logging.ERROR, 1: logging.ERROR, 2: logging.WARNING, 3: logging.INFO}
"""pjlib's levels (0 fatal .. 6 trace) as Python's; 4 and above are debug detail."""
pj_log = logging.getLogger("agentdesk.pjsip")


class _LogWriter(pj.LogWriter):  # type: ignore[misc]
    """pjsua's log lines into the app's log instead of the terminal (called on the SIP
    thread; ``logging`` is thread-safe)."""

    def write(self, entry: Any) -> None:
        with contextlib.suppress(Exception):  # an exception must not unwind into pjlib
            pj_log.log(_PJ_LEVELS.get(entry.level, logging.DEBUG), "%s", entry.msg.rstrip())


@contextlib.contextmanager
def _console_to_log() -> Iterator[None]:
    """Catch what pjlib prints to the process's standard output and error while it starts.

    ``libCreate`` logs a few lines (pjlib initialised, the endpoint created) before a log
    writer can be installed, and writes them with printf to file descriptor 1, out of Python's
    reach: the descriptors point at a file meanwhile and its text goes to the log after. The
    window is a few milliseconds at start-up; anything another thread prints then lands in
    the log too, not lost.
    """
    sys.stdout.flush()
    sys.stderr.flush()
    saved = [os.dup(1), os.dup(2)]
    with tempfile.TemporaryFile() as sink:
        try:
            os.dup2(sink.fileno(), 1)
            os.dup2(sink.fileno(), 2)
            yield
        finally:
            os.dup2(saved[0], 1)
            os.dup2(saved[1], 2)
            for fd in saved:
                os.close(fd)
            sink.seek(0)
            for line in sink.read().decode("utf-8", "replace").splitlines():
                if line.strip():
                    pj_log.debug("%s", line.rstrip())


class SipEngine:
    """Owns the process's single pjsua2 Endpoint on a dedicated ``SipThread``.

    Create one per process (bootstrap does it); every ``Pjsua2Softphone`` runs on it.
    """

    def __init__(
        self,
        *,
        headless: bool = True,
        log_level: int = 4,
        invite_limit: int = 24,
        invite_window: float = 0.5,
    ) -> None:
        self._headless = headless
        self._log_level = log_level
        """pjlib's verbosity (0-6) for what goes to the ``agentdesk.pjsip`` log."""
        self._log_writer: _LogWriter | None = None
        self.ep: Any = None
        self.invite_limiter = InviteRateLimiter(invite_limit, invite_window)
        self.guard_account_id: int | None = None
        self._thread = SipThread(
            setup=self._create_endpoint, pump=self._pump, teardown=self._destroy_endpoint
        )

    def submit(self, fn: Callable[[], T]) -> Future[T]:
        """Run ``fn`` on the SIP thread; its result or exception lands in the Future."""
        return self._thread.submit(fn)

    def call(self, fn: Callable[[], T], timeout: float = 30.0) -> T:
        """Run ``fn`` on the SIP thread and wait for it."""
        return self._thread.call(fn, timeout)

    def add_ticker(self, ticker: Ticker) -> None:
        self._thread.add_ticker(ticker)

    def remove_ticker(self, ticker: Ticker) -> None:
        self._thread.remove_ticker(ticker)

    def close(self) -> None:
        """Stop the SIP thread and destroy the Endpoint (close every phone first)."""
        self._thread.stop()

    def _pump(self) -> None:
        # Blocks until a network event or 10 ms: low latency without busy polling.
        self.ep.libHandleEvents(10)

    def _create_endpoint(self) -> None:
        ep = _Endpoint(self)
        with _console_to_log():
            ep.libCreate()
        cfg = pj.EpConfig()
        # No pjsua worker threads, and every callback on the thread that pumps: pjlib aborts
        # the process on calls from unknown threads.
        cfg.uaConfig.threadCnt = 0
        cfg.uaConfig.mainThreadOnly = True
        cfg.uaConfig.userAgent = "AgentDesk"
        # Every line through the writer, none to the console. The Endpoint deletes the writer
        # in libDestroy, so C++ owns it (disowned); the engine keeps the Python side alive.
        self._log_writer = _LogWriter()
        cfg.logConfig.writer = self._log_writer
        self._log_writer.__disown__()
        cfg.logConfig.level = self._log_level
        cfg.logConfig.consoleLevel = self._log_level
        cfg.logConfig.decor = pj.PJ_LOG_HAS_SENDER  # the log adds its own time and level
        ep.libInit(cfg)
        ep.libStart()
        if self._headless:
            ep.audDevManager().setNullDev()
        self.ep = ep

    def _destroy_endpoint(self) -> None:
        if self.ep is not None:
            self.ep.libDestroy()
            self.ep = None
            self._log_writer = None  # deleted by libDestroy

    # --- audio devices ----------------------------------------------------------------------
    def audio_devices(self) -> Future[list[AudioDevice]]:
        def run() -> list[AudioDevice]:
            devices = []
            for index, info in enumerate(self.ep.audDevManager().enumDev2()):
                devices.append(
                    AudioDevice(index, info.name, info.driver, info.inputCount, info.outputCount)
                )
            return devices

        return self.submit(run)

    def select_audio(self, input_name: str, output_name: str) -> Future[None]:
        """Use the named devices (empty name: keep the current one); remembered by the caller."""
        return self.submit(lambda: self.use_devices(input_name, output_name))

    def use_devices(self, input_name: str, output_name: str) -> None:
        """On the SIP thread: switch to the named devices (an empty name keeps the current)."""
        manager = self.ep.audDevManager()
        names = [info.name for info in manager.enumDev2()]
        if input_name:
            manager.setCaptureDev(device_index(names, input_name))
        if output_name:
            manager.setPlaybackDev(device_index(names, output_name))
