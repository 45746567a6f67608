"""What every command group shares: exit statuses, the user-facing error, opening the database."""

from __future__ import annotations

import argparse
import json
from typing import Any

from agentdesk.config.settings import Settings

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_UNUSABLE = 2


class CliError(Exception):
    """A user-facing failure: printed without a traceback, exit status 2."""


def region_of(args: argparse.Namespace, settings: Settings) -> str:
    """The ``--region`` given, else the configured default, as an upper-case region code."""
    from agentdesk.domain.phone import is_region

    region: str = args.region or settings.default_region
    if not is_region(region):
        raise CliError(f"unknown region {region!r}: use a two-letter code such as US, GB or CN")
    return region.upper()


def open_database(args: argparse.Namespace, settings: Settings, **kw: Any) -> Any:
    """Connect to ``--db`` (or the configured database); an unreachable one is a CliError."""
    from agentdesk.app.bootstrap import DatabaseUnavailable, connect

    try:
        db, _credentials = connect(getattr(args, "db", None), settings, **kw)
    except DatabaseUnavailable as exc:
        raise CliError(str(exc)) from None
    return db


def print_json(data: Any) -> None:
    """The ``--json`` output: indented, non-ASCII kept as is."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))
