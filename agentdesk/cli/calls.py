"""The call-log commands: ``calls export`` and ``callbacks list``."""

from __future__ import annotations

import argparse
import contextlib
import io
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import IO

from agentdesk.cli.common import EXIT_OK, CliError, open_database, output_language, print_table
from agentdesk.config.settings import Settings


def cmd_calls_export(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.calls.export import CALL_FIELDS, export_calls, parse_since, write_rows
    from agentdesk.calls.export_files import local_times, write_xlsx
    from agentdesk.domain.clock import system_zone, zone_named

    try:
        since = parse_since(args.since) if args.since else None
        zone = zone_named(args.tz) if args.tz else system_zone()
    except ValueError as exc:
        raise CliError(str(exc)) from None
    if args.format == "xlsx" and args.out is None:
        raise CliError("--format xlsx writes a file: name it with --out FILE")
    db = open_database(args, settings)
    try:
        rows = export_calls(
            db.sessions, since, actor=settings.agent.username, language=output_language(settings)
        )
        if args.format == "xlsx":
            write_xlsx(rows, args.out, CALL_FIELDS, zone)
        elif args.format == "json":
            with _text_output(args.out, bom=False) as stream:
                write_rows(rows, stream, "json")
        else:
            # People open a CSV in a spreadsheet: local times, and a BOM so that Excel reads
            # it as UTF-8 (Chinese names were garbled without one).
            with _text_output(args.out, bom=True) as stream:
                write_rows(local_times(rows, zone), stream, "csv", (*CALL_FIELDS, "time_zone"))
    finally:
        db.dispose()
    return EXIT_OK


@contextlib.contextmanager
def _text_output(path: Path | None, *, bom: bool) -> Iterator[IO[str]]:
    """``path`` (standard output without one) as UTF-8 text, with a byte-order mark if ``bom``.

    Standard output is written as UTF-8 whatever the terminal's encoding: the file a shell
    redirects it to must read like the one ``--out`` writes.
    """
    encoding = "utf-8-sig" if bom else "utf-8"
    if path is not None:
        with path.open("w", encoding=encoding, newline="") as fh:
            yield fh
        return
    sys.stdout.flush()
    stream = io.TextIOWrapper(sys.stdout.buffer, encoding=encoding, newline="")
    try:
        yield stream
    finally:
        stream.flush()
        stream.detach()  # standard output stays open for whoever writes next


def cmd_callbacks_list(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.calls.export import list_callbacks, write_rows
    from agentdesk.calls.export_files import local_times
    from agentdesk.domain.clock import system_zone

    db = open_database(args, settings)
    try:
        rows = list_callbacks(db.sessions, args.due)
    finally:
        db.dispose()
    if args.json:
        write_rows(rows, sys.stdout, "json")
        return EXIT_OK
    zone = system_zone()
    table = [
        {
            "due": str(row["due_at"])[:16].replace("T", " "),
            "state": row["state"],
            "agent": row["agent"] or "anyone",
            "name": row["name"],
            "phone": row["phone"],
            "note": row["note"],
        }
        for row in local_times(rows, zone)
    ]
    print_table(table, empty="no pending callbacks")
    if table:
        print(f"times in {zone.name}")
    return EXIT_OK
