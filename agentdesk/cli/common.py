"""What every command group shares: exit statuses, the user-facing error, opening the database."""

from __future__ import annotations

import argparse
import json
import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any, TypeVar

from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError
from agentdesk.domain.labels import is_chinese
from agentdesk.domain.names import text_width

T = TypeVar("T")

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


def with_database(
    args: argparse.Namespace,
    settings: Settings,
    work: Callable[[Any], T],
    refused: tuple[type[Exception], ...] = (RequestError,),
) -> T:
    """Run ``work`` on the opened database, then close it; a refusal of the services
    (``refused``: a :class:`RequestError` unless told otherwise) is the command's exit-2 error.
    """
    db = open_database(args, settings)
    try:
        return work(db)
    except refused as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()


def print_json(data: Any) -> None:
    """The ``--json`` output: indented, non-ASCII kept as is."""
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def output_language(settings: Settings) -> str | None:
    """The language of the labels a command writes (dispositions): ``[ui] language``, else the
    locale's (``LC_ALL``, ``LC_MESSAGES``, ``LANG``); ``None`` is English."""
    if settings.ui.language is not None:
        return settings.ui.language
    for name in ("LC_ALL", "LC_MESSAGES", "LANG"):
        value = os.environ.get(name)
        if value:
            return "zh_CN" if is_chinese(value.split(".")[0]) else None
    return None


def cell(value: Any) -> str:
    """One value as a person reads it: ``-`` for nothing, yes/no, lists joined."""
    if value is None or value == "":
        return "-"
    if isinstance(value, bool):
        return "yes" if value else "no"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={cell(v)}" for k, v in value.items())
    if isinstance(value, list | tuple):
        return ", ".join(cell(v) for v in value) or "-"
    return str(value).replace("\n", " ")


def print_table(
    rows: Sequence[Mapping[str, Any]],
    columns: Sequence[str] | None = None,
    *,
    empty: str = "(none)",
    indent: str = "",
) -> None:
    """``rows`` as aligned columns under a header; Chinese characters count two columns."""
    if not rows:
        print(f"{indent}{empty}")
        return
    keys = list(columns) if columns is not None else list(rows[0])
    table = [keys, *([cell(row.get(k)) for k in keys] for row in rows)]
    widths = [max(text_width(line[i]) for line in table) for i in range(len(keys))]
    for cells in table:
        padded = (c + " " * (w - text_width(c)) for c, w in zip(cells, widths, strict=True))
        print(indent + "  ".join(padded).rstrip())


def print_fields(record: Mapping[str, Any], *, indent: str = "", limit: int = 20) -> None:
    """One record for people: ``key: value`` lines; a nested record indented under its key, a
    list of records as a table under it (the first ``limit`` rows)."""
    for key, value in record.items():
        if isinstance(value, Mapping) and value:
            print(f"{indent}{key}:")
            print_fields(value, indent=indent + "  ", limit=limit)
        elif isinstance(value, list) and value and isinstance(value[0], Mapping):
            print(f"{indent}{key}: {len(value)}")
            print_table(value[:limit], indent=indent + "  ")
            if len(value) > limit:
                print(f"{indent}  … and {len(value) - limit} more")
        else:
            print(f"{indent}{key}: {cell(value)}")
