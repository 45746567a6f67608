"""Wrap-up saves through ``CallLog.save_wrapup``: one agent, then (PostgreSQL) 50 at once.

Each save is what the wrap-up form sends for an inbound call from a known contact: the call's
facts (the call row is created), a disposition, notes and a callback due the next day, in the
one transaction ``save_wrapup`` runs (call, callback, audit entry).

Concurrent agents are separate processes, each with its own connection, started together
behind a barrier: 50 threads in one interpreter would measure the GIL (every save spends most
of its client time in SQLAlchemy's Python), not 50 desks. On a 2-core machine the 50 clients'
own CPU competes with the server's, so the figure is a lower bound of what the server takes.
"""

from __future__ import annotations

import multiprocessing
import random
import time
import uuid
from datetime import UTC, datetime, timedelta
from multiprocessing.synchronize import Barrier
from typing import Any

from bench_stats import percentiles
from sqlalchemy import Engine, text

from agentdesk.calls.dto import CallbackRequest, CallFacts, WrapUp
from agentdesk.calls.log import CallLog
from agentdesk.db.engine import create_db_engine, session_factory
from agentdesk.domain.enums import CallDirection

CODES = ("resolved", "info_given", "interested", "callback")
Caller = tuple[uuid.UUID, str]


def sample_callers(engine: Engine, count: int) -> list[Caller]:
    """(contact id, E.164) of random contacts' numbers."""
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT contact_id, e164 FROM phone_numbers WHERE contact_id IS NOT NULL "
                "ORDER BY random() LIMIT :n"
            ),
            {"n": count},
        ).all()
    return [(r[0] if isinstance(r[0], uuid.UUID) else uuid.UUID(str(r[0])), r[1]) for r in rows]


def agents(engine: Engine, count: int) -> list[str]:
    with engine.connect() as conn:
        names = conn.scalars(
            text("SELECT username FROM users WHERE username LIKE 'demo.agent%' ORDER BY username")
        ).all()
    if not names:
        raise SystemExit("the data set has no demo agents to save wrap-ups")
    return [names[i % len(names)] for i in range(count)]


def wrapup(rng: random.Random, caller: Caller, agent: str, serial: int) -> WrapUp:
    contact_id, e164 = caller
    ended = datetime.now(UTC)
    answered = ended - timedelta(seconds=rng.randint(30, 600))
    return WrapUp(
        disposition_code=CODES[serial % len(CODES)],
        facts=CallFacts(
            direction=CallDirection.INBOUND,
            started_at=answered - timedelta(seconds=rng.randint(2, 20)),
            answered_at=answered,
            ended_at=ended,
            hold_seconds=float(rng.choice((0, 0, 15, 40))),
            remote_raw=e164,
            remote_e164=e164,
            local_party=f"sip:{agent}@desk.bench",
            agent=agent,
            sip_call_id=f"bench-{uuid.uuid4()}",
            end_reason="remote hangup",
            contact_id=contact_id,
        ),
        notes=f"Customer asked about order {rng.randrange(10**6)}; explained the delivery date.",
        callback=CallbackRequest(
            due_at=ended + timedelta(days=1), agent=agent, note="Confirm the delivery arrived"
        ),
    )


def bench_wrapup(
    engine: Engine, rng: random.Random, *, samples: int, warmup: int, agent_count: int = 20
) -> dict[str, Any]:
    """``agent_count`` agents take turns (1 when ``engine`` is one agent's own login)."""
    callers = sample_callers(engine, min(samples + warmup, 5000))
    names = agents(engine, agent_count)
    log = CallLog(session_factory(engine))
    timings: list[float] = []
    for index in range(warmup + samples):
        form = wrapup(rng, callers[index % len(callers)], names[index % len(names)], index)
        started = time.perf_counter()
        log.save_wrapup(form)
        elapsed = (time.perf_counter() - started) * 1000
        if index >= warmup:
            timings.append(elapsed)
    return {
        **percentiles(timings),
        "warmup": warmup,
        "includes": "call row, disposition, notes, callback, audit entry: one transaction",
    }


def _agent_process(
    url: str,
    agent: str,
    callers: list[Caller],
    saves: int,
    seed: int,
    barrier: Barrier,
    results: Any,
) -> None:
    engine = create_db_engine(url)
    log = CallLog(session_factory(engine))
    rng = random.Random(seed)
    log.save_wrapup(wrapup(rng, callers[0], agent, 0))  # connect and warm up before the start
    timings: list[float] = []
    barrier.wait()
    for index in range(saves):
        started = time.perf_counter()
        log.save_wrapup(wrapup(rng, callers[(index + 1) % len(callers)], agent, index))
        timings.append((time.perf_counter() - started) * 1000)
    finished = time.time()
    engine.dispose()
    results.put((timings, finished))


def bench_concurrent(
    engine: Engine, url: str, *, agents_count: int, saves_per_agent: int
) -> dict[str, Any]:
    """``agents_count`` processes save ``saves_per_agent`` wrap-ups each, all at once."""
    callers = sample_callers(engine, agents_count * 20)
    names = agents(engine, agents_count)
    engine.dispose()  # no pooled connection may cross the fork
    context = multiprocessing.get_context("fork")
    barrier = context.Barrier(agents_count + 1)
    results = context.Queue()
    workers = [
        context.Process(
            target=_agent_process,
            args=(
                url,
                names[i],
                callers[i * 20 : (i + 1) * 20],
                saves_per_agent,
                i,
                barrier,
                results,
            ),
        )
        for i in range(agents_count)
    ]
    for worker in workers:
        worker.start()
    barrier.wait(timeout=300)
    started = time.time()
    timings: list[float] = []
    last = started
    for _ in workers:
        agent_timings, finished = results.get(timeout=600)
        timings += agent_timings
        last = max(last, finished)
    for worker in workers:
        worker.join(timeout=60)
        if worker.exitcode != 0:
            raise SystemExit(f"a concurrent agent failed (exit {worker.exitcode})")
    elapsed = last - started
    return {
        "concurrent_writes_per_s": round(len(timings) / elapsed, 1),
        "concurrent_write_ms": {
            **percentiles(timings),
            "agents": agents_count,
            "saves_per_agent": saves_per_agent,
            "seconds": round(elapsed, 2),
            "clients": "processes (one connection each), started behind a barrier",
        },
    }
