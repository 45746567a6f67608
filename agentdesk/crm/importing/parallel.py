"""Big files: records in batches, parsed in worker processes, results in file order.

Light to import (no SQLAlchemy): the worker processes load this module for their initializer.
"""

from __future__ import annotations

import gc
import multiprocessing
import os
import sys
from collections import deque
from collections.abc import Callable, Generator, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from contextlib import contextmanager, suppress
from typing import Any, TypeVar

from agentdesk.crm.importing.csv_reader import CsvRecord

T = TypeVar("T")
S = TypeVar("S")

Batch = list[tuple[int, list[str]]]
"""``(line, cells)`` of consecutive records."""
MAX_WORKERS = 4


def batches(records: Iterable[CsvRecord], size: int) -> Iterator[Batch]:
    batch: Batch = []
    for record in records:
        batch.append((record.line, record.cells))
        if len(batch) == size:
            yield batch
            batch = []
    if batch:
        yield batch


def auto_workers(total_bytes: int, parallel_above_bytes: int) -> int:
    """How many parsing processes a file of ``total_bytes`` deserves (1: parse in-process)."""
    # A frozen (PyInstaller) app re-runs itself for each spawned worker unless its entry point
    # calls multiprocessing.freeze_support(); stay in-process there.
    if total_bytes < parallel_above_bytes or getattr(sys, "frozen", False):
        return 1
    return max(1, min(MAX_WORKERS, os.cpu_count() or 1))


def in_processes(
    work: Callable[..., T],
    args: tuple[Any, ...],
    source: Iterable[S],
    workers: int,
    *,
    per_worker: int = 2,
    wait: bool = True,
) -> Generator[tuple[S, T], None, None]:
    """``(task, work(*args, task))`` for each task of ``source``, run in a process pool, in order.

    ``per_worker`` tasks per process are in flight: ``source`` is read only that far ahead.
    ``spawn`` (not ``fork``): the desktop app has Qt and SIP threads, which a fork would copy
    in whatever state they were. If the consumer stops early (an error, a cancelled import, a
    result that calls for another way of reading), the tasks not yet started are dropped.
    ``wait=False`` returns without waiting for the processes to exit (they may take a second
    to free their caches).
    """
    context = multiprocessing.get_context("spawn")
    pending: deque[tuple[S, Future[T]]] = deque()
    pool = ProcessPoolExecutor(workers, mp_context=context, initializer=worker_started)
    try:
        for task in source:
            pending.append((task, pool.submit(work, *args, task)))
            if len(pending) >= per_worker * workers:
                done, future = pending.popleft()
                yield done, future.result()
        while pending:
            done, future = pending.popleft()
            yield done, future.result()
    finally:
        pool.shutdown(wait=wait, cancel_futures=True)


WORKER_NICENESS = 5


def worker_started() -> None:
    """Set up a parsing process.

    The workers live for one file and keep every number they read in a cache: cyclic
    collections there would walk that cache over and over, for no cycles to free. They run
    below the normal priority: the process that writes what they parse (and the desktop's
    window) comes first, and a writer left behind would finish alone after them.
    """
    gc.disable()
    nice = getattr(os, "nice", None)  # not on Windows
    if nice is not None:
        with suppress(OSError):
            nice(WORKER_NICENESS)


@contextmanager
def gc_paused() -> Iterator[None]:
    """No cyclic garbage collection inside: bulk loads build millions of objects that all stay.

    Each collection walks every container still alive, so over a big file they cost more than
    the parsing (40% of it measured); reference counting still frees everything else.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()
