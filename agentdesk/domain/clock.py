"""The one wall clock of the services: aware UTC (a naive datetime is a bug, not a local time)."""

from __future__ import annotations

import contextlib
import os
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from pathlib import Path
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError


def utcnow() -> datetime:
    return datetime.now(UTC)


@dataclass(frozen=True, slots=True)
class Zone:
    """A time zone and the name a reader knows it by (``Europe/London``, ``UTC+08:00``)."""

    tz: tzinfo
    name: str

    def local(self, value: datetime) -> datetime:
        """``value`` (aware) in this zone."""
        return value.astimezone(self.tz)


def zone_named(name: str) -> Zone:
    """An IANA zone (``Asia/Shanghai``, ``UTC``); ``ValueError`` for a name it does not know."""
    try:
        return Zone(ZoneInfo(name), name)
    except (ZoneInfoNotFoundError, ValueError) as exc:
        raise ValueError(f"unknown time zone {name!r}: use a name such as Europe/London") from exc


def system_zone() -> Zone:
    """The machine's zone: ``$TZ``, else the zone ``/etc/localtime`` links to, else
    ``/etc/timezone``, else (Windows, a bare container) the offset it has now, so converted
    times are still right today."""
    candidates = [os.environ.get("TZ", "").removeprefix(":")]
    with contextlib.suppress(OSError):
        link = os.path.realpath("/etc/localtime")
        if "zoneinfo/" in link:
            candidates.append(link.split("zoneinfo/", 1)[1])
    with contextlib.suppress(OSError):
        candidates.append(Path("/etc/timezone").read_text(encoding="utf-8").strip())
    for name in candidates:
        if name and not name.startswith("/"):
            with contextlib.suppress(ValueError):
                return zone_named(name)
    offset = datetime.now().astimezone().utcoffset() or timedelta(0)
    minutes = int(offset.total_seconds()) // 60
    sign = "-" if minutes < 0 else "+"
    name = f"UTC{sign}{abs(minutes) // 60:02d}:{abs(minutes) % 60:02d}"
    return Zone(timezone(offset, name), name)
