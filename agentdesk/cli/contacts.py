"""The contact commands: ``import contacts`` from a CSV file and ``lookup`` of a number."""

from __future__ import annotations

import argparse
import sys
import time
from collections.abc import Callable
from typing import Any

from agentdesk.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    CliError,
    open_database,
    output_language,
    print_json,
    print_table,
    region_of,
)
from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError


def cmd_import_contacts(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.crm.importing.csv_encoding import ImportFileError
    from agentdesk.crm.importing.importer import import_contacts

    region = region_of(args, settings)
    if not args.file.exists():
        raise CliError(f"{args.file}: no such file")
    db = open_database(args, settings)
    progress = None if args.json else _progress_printer()
    try:
        result = import_contacts(
            db.sessions,
            args.file,
            default_region=region,
            encoding=args.encoding,
            progress=progress,
            actor=settings.agent.username,
            owner=args.owner,
        )
    except (ImportFileError, RequestError) as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
        if progress is not None:
            print(file=sys.stderr)
    if args.json:
        print_json(
            {
                "imported": result.imported,
                "duplicates": result.duplicates,
                "accounts_created": result.accounts_created,
                "rejected": [
                    {"line": r.line, "reason": r.reason, "row": r.row} for r in result.rejected
                ],
                "reject_file": str(result.reject_file) if result.reject_file else None,
            }
        )
    else:
        print(
            f"imported {result.imported}, duplicates {result.duplicates}, "
            f"rejected {len(result.rejected)}"
        )
        for rejected in result.rejected[:20]:
            print(f"  line {rejected.line}: {rejected.reason}")
        if len(result.rejected) > 20:
            print(f"  … and {len(result.rejected) - 20} more")
        if result.reject_file:
            print(f"rejected rows written to {result.reject_file}")
    return EXIT_PARTIAL if result.rejected else EXIT_OK


def cmd_lookup(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.calls.dispositions import disposition_labels
    from agentdesk.crm.lookup.caller import CallerLookup
    from agentdesk.domain.phone import InvalidPhoneNumber

    region = region_of(args, settings)
    db = open_database(args, settings)
    lookup = CallerLookup(db.sessions, region)
    try:
        result = lookup.lookup(args.number, region)
        with db.sessions() as session:
            labels = disposition_labels(session)
    except InvalidPhoneNumber as exc:
        raise CliError(f"cannot read {args.number!r} as a phone number: {exc.reason}") from None
    finally:
        lookup.close()
        db.dispose()
    if args.json:
        print_json(
            {
                "number": result.number.e164,
                "extension": result.number.extension,
                "matches": [_match_json(m) for m in result.matches],
            }
        )
        return EXIT_OK
    if not result.matches:
        print(f"{result.number.e164}: no match")
    language = output_language(settings)
    for match in result.matches:
        _print_match(
            result.number.e164,
            match,
            {code: label.text(language) for code, label in labels.items()},
        )
    return EXIT_OK


def _print_match(number: str, match: Any, labels: dict[str, str]) -> None:
    """The record and its short history (the screen pop's), times in this machine's zone."""
    from agentdesk.domain.clock import system_zone

    zone = system_zone()

    def when(value: Any) -> str | None:
        return None if value is None else zone.local(value).strftime("%Y-%m-%d %H:%M")

    company = f" ({match.company})" if match.company else ""
    print(f"{number}: {match.kind} {match.name}{company}  id {match.id}")
    history = match.history
    calls = [
        {
            "when": when(c.started_at),
            "direction": c.direction,
            "result": labels.get(c.disposition_code, c.disposition_code)
            if c.disposition_code
            else "no wrap-up",
            "talk": None if c.talk_seconds is None else f"{c.talk_seconds:.0f} s",
            "notes": c.notes,
        }
        for c in history.last_calls
    ]
    cases = [
        {"subject": c.subject, "status": c.status, "priority": c.priority, "due": when(c.due_at)}
        for c in history.open_cases
    ]
    deals = [
        {
            "opportunity": o.name,
            "stage": str(o.stage).replace("_", " "),
            "amount": None if o.amount is None else f"{o.amount:,.2f}",
            "close": o.close_date,
        }
        for o in history.open_opportunities
    ]
    callbacks = [{"due": when(c.due_at), "note": c.note} for c in history.due_callbacks]
    for title, rows in (
        ("last calls", calls),
        ("open cases", cases),
        ("open opportunities", deals),
        ("callbacks due", callbacks),
    ):
        print(f"  {title}:")
        print_table(rows, indent="    ", empty="none")
    print(f"  (times in {zone.name})")


def _match_json(match: Any) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(match)
    data["kind"] = str(match.kind)
    return data


def _progress_printer() -> Callable[..., None] | None:
    if not sys.stderr.isatty():
        return None
    last = [0.0]

    def show(rows: int, done: int, total: int) -> None:
        now = time.monotonic()
        if now - last[0] >= 0.2:
            last[0] = now
            pct = 100.0 * done / total if total else 100.0
            print(f"\r{rows:,} rows ({pct:.0f}%)", end="", file=sys.stderr, flush=True)

    return show
