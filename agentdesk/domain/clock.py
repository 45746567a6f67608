"""The one wall clock of the services: aware UTC (a naive datetime is a bug, not a local time)."""

from __future__ import annotations

from datetime import UTC, datetime


def utcnow() -> datetime:
    return datetime.now(UTC)
