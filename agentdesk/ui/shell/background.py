"""Run blocking work (database, files) off the GUI thread and get the result back on it.

The pattern is Anki's ``QueryOp``: the work runs on an executor thread; success or failure is
delivered to callbacks on the GUI thread through one long-lived dispatcher object and a queued
signal. The worker never touches the widget that asked: if that widget was destroyed before
the work finished (a closed dialog, a test that ended), the callbacks are simply dropped,
instead of a worker thread emitting on a deleted C++ object, which crashes the process.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from concurrent.futures import Executor, Future
from typing import Any, TypeVar

import shiboken6
from PySide6.QtCore import QCoreApplication, QObject, Qt, QThread, Signal, Slot
from PySide6.QtWidgets import QWidget

T = TypeVar("T")


class _Dispatcher(QObject):
    """Lives on the GUI thread for the whole run; runs delivered callables there."""

    delivered = Signal(object)

    def __init__(self) -> None:
        super().__init__()
        self.delivered.connect(self._run, Qt.ConnectionType.QueuedConnection)

    @Slot(object)
    def _run(self, deliver: Callable[[], None]) -> None:
        deliver()


_dispatcher: _Dispatcher | None = None


def _gui_dispatcher() -> _Dispatcher:
    global _dispatcher
    app = QCoreApplication.instance()
    if app is None or QThread.currentThread() is not app.thread():
        raise RuntimeError("run_in_background must be called on the GUI thread")
    if _dispatcher is None or not shiboken6.isValid(_dispatcher):
        _dispatcher = _Dispatcher()
    return _dispatcher


def _finish(
    owner: QObject,
    future: Future[Any],
    on_success: Callable[[Any], None],
    on_failure: Callable[[BaseException], None] | None,
) -> None:
    if future.cancelled() or not shiboken6.isValid(owner):
        return
    error = future.exception()
    if error is None:
        on_success(future.result())
    elif on_failure is not None:
        on_failure(error)


def run_in_background(
    owner: QObject,
    executor: Executor,
    work: Callable[[], T],
    on_success: Callable[[T], None],
    on_failure: Callable[[BaseException], None] | None = None,
) -> Future[T]:
    """Submit ``work`` to ``executor``; call back on the GUI thread when it is done.

    The callbacks run only while ``owner`` still exists.
    """
    dispatcher = _gui_dispatcher()
    future = executor.submit(work)

    def done(fut: Future[T]) -> None:
        if shiboken6.isValid(dispatcher):
            dispatcher.delivered.emit(lambda: _finish(owner, fut, on_success, on_failure))

    future.add_done_callback(done)
    return future


def run_holding(
    owner: QObject,
    executor: Executor,
    work: Callable[[], T],
    on_success: Callable[[T], None],
    on_failure: Callable[[BaseException], None],
    controls: Sequence[QWidget] = (),
) -> None:
    """``run_in_background`` with ``controls`` disabled until the work is done, either way
    (a second click cannot start the same change twice)."""
    for control in controls:
        control.setEnabled(False)

    def release() -> None:
        for control in controls:
            control.setEnabled(True)

    def succeeded(result: T) -> None:
        release()
        on_success(result)

    def failed(error: BaseException) -> None:
        release()
        on_failure(error)

    run_in_background(owner, executor, work, succeeded, failed)
