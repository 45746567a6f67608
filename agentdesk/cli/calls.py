"""The call-log commands: ``calls export`` and ``callbacks list``."""

from __future__ import annotations

import argparse
import sys

from agentdesk.cli.common import EXIT_OK, CliError, open_database
from agentdesk.config.settings import Settings


def cmd_calls_export(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.calls.export import export_calls, parse_since, write_rows

    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    db = open_database(args, settings)
    try:
        rows = export_calls(db.sessions, since, actor=settings.agent.username)
        write_rows(rows, sys.stdout, args.format)
    finally:
        db.dispose()
    return EXIT_OK


def cmd_callbacks_list(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.calls.export import CALLBACK_FIELDS, list_callbacks, write_rows

    db = open_database(args, settings)
    try:
        rows = list_callbacks(db.sessions, args.due)
    finally:
        db.dispose()
    write_rows(rows, sys.stdout, "json" if args.json else "csv", CALLBACK_FIELDS)
    return EXIT_OK
