"""The change feed (supervision/changes.py) on both engines: a database that did not answer
when the feed started is tried again, and once it answers the feed says "changed" (what
happened meanwhile was not told) and then follows the changes on the channel it was given."""

from __future__ import annotations

import threading

import pytest
from sqlalchemy import Engine
from sqlalchemy.exc import OperationalError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.app.case_watch import CHANNEL
from agentdesk.crm.models import Contact
from agentdesk.db.engine import unit_of_work
from agentdesk.service import models as service_models  # noqa: F401
from agentdesk.service.cases import CaseSpec, create_case
from agentdesk.supervision import changes


def test_a_feed_started_while_the_database_was_away_connects_later_and_follows(
    engine: Engine, sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    real = changes.watcher_for
    tries: list[int] = []

    def away_first(bound: Engine, channel: str = changes.CHANNEL) -> changes.ChangeWatcher:
        tries.append(1)
        if len(tries) == 1:
            raise OperationalError("connect", {}, Exception("server closed the connection"))
        return real(bound, channel)

    monkeypatch.setattr(changes, "watcher_for", away_first)
    monkeypatch.setattr(changes, "RETRY_SECONDS", 0.05)
    told = threading.Semaphore(0)
    feed = changes.ChangeFeed(engine, told.release, refresh_seconds=3600, channel=CHANNEL)
    feed.start()  # returns after the first (failed) try
    try:
        assert told.acquire(timeout=20)  # connected on a later try: "changed" once
        assert len(tries) == 2
        with unit_of_work(sessions) as s:
            contact = Contact(first_name="Li", last_name="Wei")
            s.add(contact)
            s.flush()
        create_case(sessions, CaseSpec("Line down", contact.id), agent=None, default_zone="UTC")
        assert told.acquire(timeout=20)  # a case changed: told (not the hourly refresh)
    finally:
        feed.stop()
