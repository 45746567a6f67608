"""Run blocking work (database, files) off the GUI thread and get the result back on it.

The pattern is Anki's ``QueryOp``: the work runs on an executor thread; success or failure is
delivered to callbacks on the GUI thread through a queued Qt signal, so widgets are only ever
touched from the thread that owns them.
"""

from __future__ import annotations

from collections.abc import Callable
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

from PySide6.QtCore import QObject, Signal, Slot

T = TypeVar("T")


class _Relay(QObject):
    finished = Signal(object)

    def __init__(
        self,
        parent: QObject,
        on_success: Callable[[Any], None],
        on_failure: Callable[[BaseException], None] | None,
    ) -> None:
        super().__init__(parent)
        self._on_success = on_success
        self._on_failure = on_failure
        self.finished.connect(self._deliver)

    @Slot(object)
    def _deliver(self, future: Future[Any]) -> None:
        try:
            if future.cancelled():
                return
            error = future.exception()
            if error is None:
                self._on_success(future.result())
            elif self._on_failure is not None:
                self._on_failure(error)
        finally:
            self.deleteLater()


def run_in_background(
    parent: QObject,
    executor: Executor,
    work: Callable[[], T],
    on_success: Callable[[T], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> Future[T]:
    """Submit ``work`` to ``executor``; call back on the GUI thread when it is done.

    ``parent`` owns the relay: if the widget is destroyed first the callbacks are dropped.
    """
    relay = _Relay(parent, on_success, on_failure)
    future = executor.submit(work)
    future.add_done_callback(relay.finished.emit)
    return future
