"""Collect softphone events from the SIP thread and wait for them in tests."""

from __future__ import annotations

import threading
import time
from collections.abc import Callable
from typing import TypeVar

from agentdesk.telephony.port import SoftphoneEvent

E = TypeVar("E")


class EventLog:
    """A thread-safe event sink with ``wait_for``."""

    def __init__(self) -> None:
        self._events: list[SoftphoneEvent] = []
        self._cond = threading.Condition()

    def __call__(self, event: SoftphoneEvent) -> None:
        with self._cond:
            self._events.append(event)
            self._cond.notify_all()

    def of(self, kind: type[E]) -> list[E]:
        with self._cond:
            return [e for e in self._events if isinstance(e, kind)]

    def wait_for(
        self,
        kind: type[E],
        predicate: Callable[[E], bool] = lambda _e: True,
        timeout: float = 10.0,
        count: int = 1,
    ) -> E:
        """The ``count``-th event of ``kind`` matching ``predicate``; fail after ``timeout``."""
        deadline = time.monotonic() + timeout
        with self._cond:
            while True:
                hits = [e for e in self._events if isinstance(e, kind) and predicate(e)]
                if len(hits) >= count:
                    return hits[count - 1]
                left = deadline - time.monotonic()
                if left <= 0:
                    raise AssertionError(
                        f"no {kind.__name__} (#{count}) within {timeout}s; got {self._events!r}"
                    )
                self._cond.wait(left)

    def __repr__(self) -> str:
        with self._cond:
            return repr(self._events)
