"""The desk's service work that runs by itself: being told that cases or notices changed
(the case desk and the escalations list read again), and the escalation pass on a schedule.

Changes: the supervision module's feed (``supervision/changes.py``) on the channel
``agentdesk_cases`` (PostgreSQL triggers of migration 0025); SQLite's ``data_version`` sees
any commit.

The schedule: a thread of its own runs ``escalate_due_cases`` as the desk's user every
``every`` seconds, on desks whose role may escalate (``reassign``: supervisors, admins). The
pass is safe to run from several desks at once (each case is settled under its row's lock),
so every such desk runs it and a case nearing its target is escalated once whoever runs.
"""

from __future__ import annotations

import logging
import threading
import uuid
from collections.abc import Callable, Iterable
from datetime import datetime

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.db.errors import RequestError
from agentdesk.org.access import AccessDeniedError
from agentdesk.service.case_desk import may_reassign
from agentdesk.service.escalation import Escalation, escalate_due_cases
from agentdesk.service.notices import Notice, mark_read, unread_escalations
from agentdesk.supervision.changes import ChangeFeed

log = logging.getLogger(__name__)

CHANNEL = "agentdesk_cases"
ESCALATE_EVERY_SECONDS = 60.0
REFRESH_SECONDS = 30.0
"""A watcher that missed a notification (a reconnect) reads again at least this often."""


def watch_cases(sessions: sessionmaker[Session], on_change: Callable[[], None]) -> ChangeFeed:
    """A started feed calling ``on_change`` (on its own thread) when cases or notices
    changed, and every ``REFRESH_SECONDS``; stop it when its window closes."""
    feed = ChangeFeed(
        sessions.kw["bind"], on_change, refresh_seconds=REFRESH_SECONDS, channel=CHANNEL
    )
    feed.start()
    return feed


class EscalationNotices:
    """The desk user's escalation notices (every method but ``watch`` blocks: run it on the
    executor)."""

    def __init__(self, sessions: sessionmaker[Session], agent: str) -> None:
        self._sessions = sessions
        self.agent = agent

    def unread(self) -> list[Notice]:
        return unread_escalations(self._sessions, self.agent)

    def mark_read(self, ids: Iterable[uuid.UUID]) -> int:
        return mark_read(self._sessions, ids, self.agent)

    def watch(self, on_change: Callable[[], None]) -> ChangeFeed:
        return watch_cases(self._sessions, on_change)


class EscalationSchedule:
    """The escalation pass every ``every`` seconds, the first at once, off the GUI thread.

    ``clock`` gives the pass's "now" (the tests freeze it); without one the pass asks the
    database, so a desk whose own clock runs fast cannot escalate or flag breaches early (a
    flag is never reset). ``passes`` counts the passes done; ``wait_for_passes`` lets a test
    wait for one instead of sleeping. ``escalated`` holds the last pass's escalations."""

    def __init__(
        self,
        sessions: sessionmaker[Session],
        agent: str,
        zone: str,
        *,
        every: float = ESCALATE_EVERY_SECONDS,
        clock: Callable[[], datetime] | None = None,
    ) -> None:
        self._sessions = sessions
        self._agent = agent
        self._zone = zone
        self._every = every
        self._clock = clock
        self._stop = threading.Event()
        self._done = threading.Condition()
        self.passes = 0
        self.escalated: list[Escalation] = []
        self._thread: threading.Thread | None = None

    def may_run(self) -> bool:
        """Whether the desk's user may escalate (blocking)."""
        return may_reassign(self._sessions, self._agent)

    def start(self) -> None:
        if self._thread is None:
            self._thread = threading.Thread(
                target=self._run, name="agentdesk-escalation", daemon=True
            )
            self._thread.start()

    def run_once(self) -> list[Escalation]:
        """One pass now, as the desk's user (blocking)."""
        now = self._clock() if self._clock is not None else None
        done = escalate_due_cases(
            self._sessions, default_zone=self._zone, agent=self._agent, now=now
        )
        with self._done:
            self.passes += 1
            self.escalated = done
            self._done.notify_all()
        return done

    def _run(self) -> None:
        while not self._stop.is_set():
            try:
                self.run_once()
            except AccessDeniedError as exc:  # the role lost reassign meanwhile: nothing to run
                log.info("escalation schedule stops: %s", exc)
                return
            except RequestError as exc:  # one pass refused: the next one may not be
                log.warning("escalation pass refused: %s", exc)
            except Exception:  # a lost connection: the next pass tries again
                log.exception("escalation pass failed")
            self._stop.wait(self._every)

    def running(self) -> bool:
        return self._thread is not None and self._thread.is_alive()

    def wait_for_passes(self, count: int, timeout: float) -> bool:
        with self._done:
            return self._done.wait_for(lambda: self.passes >= count, timeout)

    def wait_ended(self, timeout: float) -> bool:
        """Whether the schedule's thread has ended (within ``timeout`` seconds)."""
        thread = self._thread
        if thread is not None:
            thread.join(timeout)
        return not self.running()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not None:
            self._thread.join(timeout=10)
            self._thread = None
