"""Builders shared by the desk's unit and UI tests: a real SQLite desk with the fake phone."""

from __future__ import annotations

import asyncio
import threading
import time
import uuid
from collections.abc import Callable
from concurrent.futures import Executor
from dataclasses import replace
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from agentdesk.app.bootstrap import connect
from agentdesk.app.desktop import DB_WORKERS, DesktopContext, start_desktop
from agentdesk.calls.dto import CallbackRequest, CallFacts, WrapUp
from agentdesk.config.settings import AgentSettings, LoggingSettings, Settings
from agentdesk.crm.party_details import PartyRef
from agentdesk.domain.enums import CallDirection, OwnerKind
from agentdesk.telephony.port import SipConfig
from tests.support.fake_softphone import FakeSoftphone


def make_settings(tmp_path: Path, sip: dict[str, Any] | None = None, **agent: Any) -> Settings:
    values: dict[str, Any] = {"username": "alice", "wrapup_seconds": 60}
    values.update(agent)
    return Settings(
        database_url=f"sqlite:///{tmp_path / 'desk.db'}",
        default_region="US",
        agent=AgentSettings(**values),
        logging=LoggingSettings(events_jsonl=tmp_path / "events.jsonl"),
        # A proxy gives numbers a route (the fake phone sends nothing there): the dialer
        # refuses to start without one.
        sip=sip or {"mode": "direct", "port": 5099, "outbound_proxy": "127.0.0.1:5098"},
    )


def make_desk(
    tmp_path: Path, sip: dict[str, Any] | None = None, **agent: Any
) -> tuple[DesktopContext, list[FakeSoftphone]]:
    """An empty migrated SQLite desk (no demo data) whose phone is a ``FakeSoftphone``."""
    settings = make_settings(tmp_path, sip, **agent)
    database, _ = connect(settings.database_url, settings)  # creates and migrates the file
    database.dispose()
    phones: list[FakeSoftphone] = []

    def factory(config: SipConfig) -> FakeSoftphone:
        phones.append(FakeSoftphone(replace(config, recordings_dir=tmp_path / "rec")))
        return phones[-1]

    return start_desktop(None, settings, phone_factory=factory), phones


def add_party(
    context: DesktopContext,
    first: str,
    last: str,
    phone: str,
    *,
    company: str | None = None,
    kind: OwnerKind = OwnerKind.CONTACT,
) -> PartyRef:
    return context.services.records.create_party(
        kind, first_name=first, last_name=last, phone=phone, company=company
    )


def add_crm_callback(
    context: DesktopContext, first: str, phone: str, due: datetime, note: str
) -> PartyRef:
    """A new contact and an answered inbound call whose wrap-up asks alice to call back."""
    ref = add_party(context, first, "Cb", phone)
    now = datetime.now(UTC)
    context.services.calls.save_wrapup(
        WrapUp(
            disposition_code="callback",
            facts=CallFacts(
                direction=CallDirection.INBOUND,
                started_at=now - timedelta(minutes=3),
                ended_at=now - timedelta(minutes=2),
                answered_at=now - timedelta(minutes=3),
                remote_e164=phone,
                agent="alice",
                contact_id=ref.id,
            ),
            callback=CallbackRequest(due_at=due, agent="alice", note=note, phone_e164=phone),
        )
    )
    return ref


def spin(loop: asyncio.AbstractEventLoop, until: Callable[[], bool], timeout: float = 5) -> None:
    """Run ``loop`` until ``until()`` holds (fails after ``timeout`` seconds)."""
    deadline = time.monotonic() + timeout
    while not until():
        if time.monotonic() > deadline:
            raise AssertionError("condition not reached in time")
        loop.run_until_complete(asyncio.sleep(0.005))


def new_id() -> str:
    return str(uuid.uuid4())


def drain_executor(executor: Executor, workers: int = DB_WORKERS, timeout: float = 10) -> None:
    """Return once every job submitted to ``executor`` before this call has finished, its done
    callbacks included.

    ``workers`` jobs meet the caller at a barrier: they can all be running only when no earlier
    job holds a worker, because the pool starts jobs in the order they were submitted and runs a
    job's done callbacks before taking the next one.
    """
    barrier = threading.Barrier(workers + 1, timeout=timeout)
    for _ in range(workers):
        executor.submit(barrier.wait)
    barrier.wait()
