"""The dialer commands: ``campaign`` (create, import, fill, assign, unassign, next, status)
and ``dnc``."""

from __future__ import annotations

import argparse
from typing import Any

from agentdesk.cli.common import (
    EXIT_OK,
    CliError,
    open_database,
    print_fields,
    print_json,
    region_of,
)
from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError


def _dialer_command(args: argparse.Namespace, settings: Settings) -> tuple[dict[str, Any], int]:
    from agentdesk.crm.importing.csv_encoding import ImportFileError
    from agentdesk.dialer import commands

    db = open_database(args, settings)
    try:
        if args.command == "dnc":
            region = region_of(args, settings)
            if args.dnc_command == "import":
                result = commands.dnc_import(
                    db.sessions, args.file, campaign=args.campaign, region=region
                )
                return result, commands.exit_status(result)
            return commands.dnc_add(
                db.sessions, args.numbers, campaign=args.campaign, region=region
            ), EXIT_OK
        action = args.campaign_command
        if action == "create":
            result = commands.campaign_create(
                db.sessions, args.name, mode=args.mode, window=args.window,
                max_attempts=args.max_attempts,
            )  # fmt: skip
            return result, EXIT_OK
        if action == "import":
            if not args.file.exists():
                raise CliError(f"{args.file}: no such file")
            result = commands.campaign_import(
                db.sessions, args.name, args.file, region=region_of(args, settings),
                encoding=args.encoding, actor=settings.agent.username,
            )  # fmt: skip
            return result, commands.exit_status(result)
        if action == "fill":
            return commands.campaign_fill(
                db.sessions, args.name, city=args.city, country=args.country,
                no_call_in_days=args.no_call_in_days, owner=args.owner, leads=args.leads,
                lead_statuses=args.lead_status, lead_source=args.lead_source,
                actor=settings.agent.username,
            ), EXIT_OK  # fmt: skip
        if action in ("assign", "unassign"):
            return commands.campaign_assign(
                db.sessions, args.name, agents=args.agent, teams=args.team,
                remove=action == "unassign",
            ), EXIT_OK  # fmt: skip
        if action == "next":
            result = commands.campaign_next(
                db.sessions, args.name, agent=args.agent, at=args.at, dry_run=args.dry_run
            )
            return result, EXIT_OK
        return commands.campaign_status(db.sessions, args.name), EXIT_OK
    except (RequestError, ImportFileError) as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()


def cmd_dialer(args: argparse.Namespace, settings: Settings) -> int:
    result, status = _dialer_command(args, settings)
    if args.json:
        print_json(result)
    else:
        _print_summary(result)
    return status


WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
"""Monday is 0, as the calling window counts (``agentdesk.dialer.rules``)."""


def _readable(result: dict[str, Any]) -> dict[str, Any]:
    """The JSON answer in people's words: weekday names, retry rules as sentences."""
    out: dict[str, Any] = {}
    for key, value in result.items():
        if key == "weekdays" and isinstance(value, list):
            out[key] = " ".join(WEEKDAYS[day] for day in sorted(value))
        elif key == "retry_rules" and isinstance(value, dict):
            out[key] = {outcome: _retry(rule) for outcome, rule in value.items()}
        elif isinstance(value, dict):
            out[key] = _readable(value)
        else:
            out[key] = value
    return out


def _retry(rule: dict[str, Any]) -> str:
    if rule.get("final"):
        return "no retry"
    minutes = rule.get("retry_after_minutes", 0)
    return f"retry after {minutes:g} min"


def _print_summary(result: dict[str, Any]) -> None:
    """Plain text for people: ``key: value`` lines, nested records indented, rejected rows and
    other lists of records as tables."""
    print_fields(_readable(result))
