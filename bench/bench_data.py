"""The benchmark data set: demo CRM data, a campaign of N entries and a DNC list of N numbers.

SQLite data sets are cached as ``bench/.cache/sqlite-N.db``; a ``.json`` marker next to it is
written only once each part finished (``contacts`` for the CRM part, ``campaign`` for the
dialer part), so an interrupted generation is started again instead of being measured half
done. PostgreSQL without ``--db`` runs on a throwaway server; with ``--db`` an empty database
is migrated and filled, one that already holds N contacts is reused and gets the campaign and
the DNC list when they are missing.
"""

from __future__ import annotations

import json
import random
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import asdict
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, func, select, text
from sqlalchemy.exc import DBAPIError

from agentdesk.crm.models import Contact
from agentdesk.db import migrate
from agentdesk.db.engine import create_db_engine, session_factory, sqlite_url
from agentdesk.demo.generate import generate
from agentdesk.dialer import dnc, loader
from agentdesk.dialer.campaigns import create_campaign
from agentdesk.dialer.models import Campaign, CampaignEntry, DncNumber

ROOT = Path(__file__).resolve().parent.parent
CACHE = ROOT / "bench" / ".cache"
CALLS_PER_CONTACT = 5
CAMPAIGN = "Bench campaign"
DNC_SOURCE = "bench"
DNC_IN_CAMPAIGN_SHARE = 0.05
"""Share of the DNC list that are numbers of the campaign (listed after it was loaded)."""
# A Monday, 17:00 UTC: New York 12:00, Chicago 11:00, Denver 10:00, Los Angeles 09:00, London
# 17:00 are inside the default window; Honolulu 07:00, Shanghai 01:00, Sydney 04:00 are not.
DIAL_AT = datetime(2026, 11, 23, 17, 0, tzinfo=UTC)
# Where the campaign's numbers are (prefix, weight, subscriber digits): several time zones,
# some of them closed at DIAL_AT, as a real list.
_PREFIXES = (
    ("+1212", 20, 7), ("+1312", 15, 7), ("+1303", 10, 7), ("+1415", 15, 7), ("+1208", 5, 7),
    ("+1808", 3, 7), ("+1800", 2, 7), ("+86138", 12, 8), ("+4420", 8, 8), ("+612", 5, 8),
    ("+614", 5, 8),
)  # fmt: skip
TABLES = ("contacts", "accounts", "leads", "phone_numbers", "calls", "service_cases",
          "opportunities", "callbacks", "dialer_entries", "dialer_dnc")  # fmt: skip


@contextmanager
def database(engine_name: str, contacts: int, url: str | None) -> Iterator[str]:
    """The URL to measure on: ``url``, the cached SQLite file, or a throwaway PostgreSQL."""
    if url:
        yield url
        return
    if engine_name == "sqlite":
        CACHE.mkdir(parents=True, exist_ok=True)
        path = CACHE / f"sqlite-{contacts}.db"
        if not path.with_suffix(".json").exists():
            # No marker: an earlier generation did not finish. Start again from nothing.
            for leftover in (path, Path(f"{path}-wal"), Path(f"{path}-shm")):
                leftover.unlink(missing_ok=True)
        yield sqlite_url(path).render_as_string()
        return
    from tests.support.pg_server import start_server

    server = start_server()
    try:
        admin = create_db_engine(server.url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE agentdesk_bench"))
        admin.dispose()
        yield server.url_for("agentdesk_bench")
    finally:
        server.stop()


def prepare(engine: Engine, contacts: int, *, seed: int, explicit_url: bool) -> dict[str, Any]:
    """Generate what is missing of the data set keyed by ``contacts``; describe it."""
    marker_path = _marker_path(engine)
    saved: dict[str, Any] = {}
    if marker_path is not None and marker_path.exists():
        saved = json.loads(marker_path.read_text(encoding="utf-8"))
    migrate.upgrade(engine)
    with engine.connect() as conn:
        have = conn.scalar(select(func.count()).select_from(Contact)) or 0
    info: dict[str, Any] = {"contacts": contacts, "reused": True}
    if have and saved.get("contacts") == contacts:
        info["generate_seconds"] = saved.get("generate_seconds")
    elif have >= contacts and explicit_url:
        info["contacts"] = have
    elif have:
        raise SystemExit(f"{engine.url}: holds {have} contacts, not a data set of {contacts}")
    else:
        summary = generate(engine, contacts, seed=seed, calls_per_contact=CALLS_PER_CONTACT)
        info.update(reused=False, generate_seconds=round(summary.seconds, 2))
        info["generated"] = asdict(summary)
        saved = {"contacts": contacts, "generate_seconds": info["generate_seconds"]}
        _save_marker(marker_path, saved)
    if saved.get("campaign") == contacts or _campaign_ready(engine, contacts):
        info["campaign"] = saved.get("campaign_info", {"entries": contacts, "reused": True})
    else:
        built = build_campaign(engine, contacts, seed=seed)
        info["campaign"] = built
        info["reused"] = False
        saved.update(campaign=contacts, campaign_info=built)
        _save_marker(marker_path, saved)
    info["rows"] = rows(engine)
    return info


def _marker_path(engine: Engine) -> Path | None:
    database_name = engine.url.database
    if engine.dialect.name != "sqlite" or not database_name:
        return None
    return Path(database_name).with_suffix(".json")


def _save_marker(path: Path | None, saved: dict[str, Any]) -> None:
    if path is not None:
        path.write_text(json.dumps(saved), encoding="utf-8")


def rows(engine: Engine) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: int(conn.scalar(text(f"SELECT count(*) FROM {t}")) or 0) for t in TABLES}


def _campaign_ready(engine: Engine, size: int) -> bool:
    """A database given with ``--db`` may already hold the campaign and the DNC list."""
    with engine.connect() as conn:
        campaign_id = conn.scalar(select(Campaign.id).where(Campaign.name == CAMPAIGN))
        if campaign_id is None:
            return False
        entries = conn.scalar(select(func.count()).where(CampaignEntry.campaign_id == campaign_id))
        listed = conn.scalar(select(func.count()).where(DncNumber.source == DNC_SOURCE))
    if entries != size or (listed or 0) < size:
        raise SystemExit(
            f"{engine.url}: campaign {CAMPAIGN!r} has {entries} entries and {listed} bench DNC "
            f"numbers, not {size}: use another database"
        )
    return True


def campaign_numbers(count: int, rng: random.Random) -> list[str]:
    """``count`` distinct valid E.164 numbers in the campaign's zone mix."""
    prefixes = [p for p, _, _ in _PREFIXES]
    weights = [w for _, w, _ in _PREFIXES]
    digits = {p: d for p, _, d in _PREFIXES}
    seen: set[str] = set()
    out: list[str] = []
    while len(out) < count:
        prefix = rng.choices(prefixes, weights)[0]
        width = digits[prefix]
        low = 2 * 10 ** (width - 1)  # valid subscriber numbers do not start with 0 or 1
        number = f"{prefix}{rng.randrange(low, 10**width)}"
        if number not in seen:
            seen.add(number)
            out.append(number)
    return out


def build_campaign(engine: Engine, size: int, *, seed: int) -> dict[str, Any]:
    """A campaign of ``size`` entries, then a global DNC list of ``size`` numbers."""
    sessions = session_factory(engine)
    rng = random.Random(seed * 7919 + size)
    create_campaign(sessions, CAMPAIGN, script="Hello {first_name}, this is {agent_name}.")
    started = time.perf_counter()
    listed = campaign_numbers(size, rng)
    specs = [
        loader.EntrySpec(n, n, first_name=f"First{i}", last_name=f"Last{i % 5000}")
        for i, n in enumerate(listed)
    ]
    imported, _duplicates, _dnc = loader.load_entries(
        sessions, CAMPAIGN, specs, source="bench", now=DIAL_AT - timedelta(days=1)
    )
    load_s = time.perf_counter() - started
    del specs
    overlap = rng.sample(listed, max(1, int(size * DNC_IN_CAMPAIGN_SHARE)))
    in_campaign = set(listed)
    others = [n for n in campaign_numbers(size * 2, rng) if n not in in_campaign]
    numbers = overlap + others[: size - len(overlap)]
    started = time.perf_counter()
    # dnc.store_numbers is the bulk path the CLI's file import ends in (numbers already E.164).
    added, _already, marked = dnc.store_numbers(sessions, numbers, None, DNC_SOURCE)
    return {
        "entries": imported,
        "entries_load_s": round(load_s, 1),
        "dnc": added,
        "dnc_entries_marked": marked,
        "dnc_load_s": round(time.perf_counter() - started, 1),
    }


def prewarm(engine: Engine) -> dict[str, Any]:
    """Read the data set into memory once, as a desk or server that has run for a while has it.

    Random lookups over millions of rows otherwise measure the disk: right after the data set
    was generated, or after other work pushed it out of the page cache, most of a lookup is
    waiting for reads. SQLite: the file is read through the OS cache. PostgreSQL: every table
    and index of the schema goes through ``pg_prewarm`` when the extension is available.
    """
    started = time.perf_counter()
    if engine.dialect.name == "sqlite":
        path = Path(engine.url.database or "")
        size = 0
        with path.open("rb") as handle:
            while chunk := handle.read(1 << 24):
                size += len(chunk)
        return {"method": "read file", "mb": round(size / 1e6), "seconds": _since(started)}
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        try:
            conn.execute(text("CREATE EXTENSION IF NOT EXISTS pg_prewarm"))
        except DBAPIError as exc:
            return {"method": None, "error": str(exc.orig).strip()[:200]}
        blocks = conn.scalar(
            text(
                "SELECT sum(pg_prewarm(c.oid::regclass)) FROM pg_class c "
                "JOIN pg_namespace n ON n.oid = c.relnamespace "
                "WHERE n.nspname = current_schema() AND c.relkind IN ('r', 'i')"
            )
        )
    return {"method": "pg_prewarm", "blocks": int(blocks or 0), "seconds": _since(started)}


def _since(started: float) -> float:
    return round(time.perf_counter() - started, 1)
