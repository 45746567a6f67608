"""Migration 0023: the policies test owners by hash (``IN (SELECT unnest(...))``), every one of
them, and the downgrade gives back the array scans exactly as they were."""

from __future__ import annotations

import re

from sqlalchemy import Engine, text

from agentdesk.db import migrate

SCANNED = re.compile(r"= ANY \(\( SELECT agentdesk_\w+\(")
HASHED = re.compile(r" IN \( SELECT unnest\(agentdesk_\w+\(")


def _policies(engine: Engine) -> dict[tuple[str, str], tuple[str | None, str | None]]:
    with engine.connect() as conn:
        rows = conn.execute(
            text(
                "SELECT tablename, policyname, qual, with_check FROM pg_policies "
                "WHERE schemaname = current_schema()"
            )
        ).all()
    return {(table, name): (qual, check) for table, name, qual, check in rows}


def _count(
    policies: dict[tuple[str, str], tuple[str | None, str | None]], shape: re.Pattern[str]
) -> int:
    return sum(1 for texts in policies.values() for t in texts if t and shape.search(t))


def test_every_owner_test_is_hashed_and_the_downgrade_restores_the_scans(
    pg_engine: Engine,
) -> None:
    hashed = _policies(pg_engine)
    assert _count(hashed, SCANNED) == 0
    assert _count(hashed, HASHED) >= 30  # owned tables, shares, campaigns: read, update, check
    owners = hashed[("opportunities", "scope_read")][0]
    assert owners is not None and "owner_id IN ( SELECT unnest(agentdesk_owners(" in owners

    migrate.downgrade(pg_engine, "0022")
    try:
        scanned = _policies(pg_engine)
        assert _count(scanned, HASHED) == 0
        assert _count(scanned, SCANNED) == _count(hashed, HASHED)
        assert scanned.keys() == hashed.keys()
    finally:
        migrate.upgrade(pg_engine)
    assert _policies(pg_engine) == hashed
