"""A window's change feed, started and stopped off the GUI thread.

``ChangeFeed.start`` waits up to ten seconds for its first connection and ``stop`` up to five
for its thread: on the GUI thread, a window opened or closed while PostgreSQL does not answer
would freeze the desk that long. So both run on the desk's executor; the case desk and the
escalations button (``escalations.EscalationsButton``) each own one.
"""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable
from concurrent.futures import Executor

from PySide6.QtCore import QObject

from agentdesk.supervision.changes import ChangeFeed
from agentdesk.ui.shell.background import run_in_background

log = logging.getLogger(__name__)


class DeskFeed:
    """Owned by a window (``owner``): ``start`` when it opens, ``stop`` when it closes.
    ``on_started`` runs on the GUI thread once the feed follows the database (read again
    then: a change between the window's first read and the feed's start was not told)."""

    def __init__(
        self,
        owner: QObject,
        executor: Executor,
        watch: Callable[[Callable[[], None]], ChangeFeed],
        on_change: Callable[[], None],
        on_started: Callable[[], None],
    ) -> None:
        self._owner = owner
        self._executor = executor
        self._watch = watch
        self._on_change = on_change
        self._on_started = on_started
        self.feed: ChangeFeed | None = None
        self._watching = False

    def start(self) -> None:
        if self.feed is None and not self._watching:
            self._watching = True
            run_in_background(
                self._owner, self._executor, lambda: self._watch(self._on_change),
                self._started, self._failed,
            )  # fmt: skip

    def _started(self, feed: ChangeFeed) -> None:
        if self._watching:
            self.feed = feed
            self._on_started()
        else:
            self._stop_off_gui(feed)  # the window closed meanwhile

    def _failed(self, error: BaseException) -> None:
        self._watching = False
        log.warning("the change feed did not start: %s", error)

    def stop(self) -> None:
        self._watching = False
        if self.feed is not None:
            self._stop_off_gui(self.feed)
            self.feed = None

    def _stop_off_gui(self, feed: ChangeFeed) -> None:
        try:
            self._executor.submit(feed.stop)
        except RuntimeError:  # the executor was shut down (the desk is quitting)
            threading.Thread(target=feed.stop, name="agentdesk-feed-stop", daemon=True).start()
