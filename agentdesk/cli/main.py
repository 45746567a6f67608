"""The ``agentdesk`` command: the desktop app, and admin tools for the shared database."""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from agentdesk import __version__
from agentdesk.config.settings import ConfigError, Settings, load_settings

EXIT_OK = 0
EXIT_PARTIAL = 1
EXIT_UNUSABLE = 2

log = logging.getLogger("agentdesk")


class CliError(Exception):
    """A user-facing failure: printed without a traceback, exit status 2."""


def _common() -> argparse.ArgumentParser:
    # SUPPRESS lets `--db` stand before or after the subcommand without one clobbering the other.
    common = argparse.ArgumentParser(add_help=False)
    common.add_argument(
        "--db",
        metavar="URL",
        default=argparse.SUPPRESS,
        help="database URL (sqlite:///FILE or postgresql://USER@HOST/DB)",
    )
    common.add_argument(
        "--config",
        metavar="FILE",
        type=Path,
        default=argparse.SUPPRESS,
        help="TOML configuration file",
    )
    return common  # fmt: skip


def build_parser() -> argparse.ArgumentParser:
    common = _common()
    parser = argparse.ArgumentParser(
        prog="agentdesk",
        description="AgentDesk: the call-center agent desktop. Without a command, opens the app.",
        parents=[common],
    )
    parser.add_argument("--version", action="version", version=f"agentdesk {__version__}")
    parser.add_argument("-v", "--verbose", action="store_true", help="log more detail")
    sub = parser.add_subparsers(dest="command", metavar="COMMAND")

    db = sub.add_parser("db", help="database administration", parents=[common])
    db_sub = db.add_subparsers(dest="db_command", metavar="ACTION", required=True)
    db_sub.add_parser("upgrade", help="apply schema migrations", parents=[common])

    demo = sub.add_parser("demo-data", help="fill the database with realistic fake data",
                          parents=[common])  # fmt: skip
    demo.add_argument("--contacts", type=int, default=1000, metavar="N")
    demo.add_argument("--seed", type=int, default=1)

    imp = sub.add_parser("import", help="import records from a file", parents=[common])
    imp_sub = imp.add_subparsers(dest="import_kind", metavar="KIND", required=True)
    contacts = imp_sub.add_parser("contacts", help="import contacts from CSV", parents=[common])
    contacts.add_argument("file", type=Path)
    contacts.add_argument("--region", metavar="CC", help="region for national numbers")
    contacts.add_argument("--encoding", metavar="E", help="file encoding (detected if omitted)")
    contacts.add_argument("--json", action="store_true", help="machine-readable output")

    calls = sub.add_parser("calls", help="the call log", parents=[common])
    calls_sub = calls.add_subparsers(dest="calls_command", metavar="ACTION", required=True)
    export = calls_sub.add_parser("export", help="export the call log", parents=[common])
    export.add_argument("--since", metavar="ISO", help="only calls started at or after this time")
    export.add_argument("--format", choices=("csv", "json"), default="csv")

    callbacks = sub.add_parser("callbacks", help="scheduled callbacks", parents=[common])
    cb_sub = callbacks.add_subparsers(dest="callbacks_command", metavar="ACTION", required=True)
    cb_list = cb_sub.add_parser("list", help="list pending callbacks", parents=[common])
    cb_list.add_argument("--due", action="store_true", help="only callbacks due now or overdue")
    cb_list.add_argument("--json", action="store_true", help="machine-readable output")

    _add_dialer_parsers(sub, common)

    lookup = sub.add_parser("lookup", help="find who a phone number belongs to", parents=[common])
    lookup.add_argument("number")
    lookup.add_argument("--region", metavar="CC", help="region for national numbers")
    lookup.add_argument("--json", action="store_true", help="machine-readable output")
    return parser


def _add_dialer_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    campaign = sub.add_parser("campaign", help="call lists for the dialer", parents=[common])
    c_sub = campaign.add_subparsers(dest="campaign_command", metavar="ACTION", required=True)
    create = c_sub.add_parser("create", help="create a campaign", parents=[common])
    create.add_argument("name")
    create.add_argument("--mode", choices=("preview", "progressive", "manual"), default="preview")
    create.add_argument("--window", metavar="HH:MM-HH:MM", help="calling hours, callee's time")
    create.add_argument("--max-attempts", type=int, default=5, metavar="N")
    create.add_argument("--json", action="store_true", help="machine-readable output")
    load = c_sub.add_parser("import", help="add entries from CSV", parents=[common])
    load.add_argument("name")
    load.add_argument("file", type=Path)
    load.add_argument("--region", metavar="CC", help="region for national numbers")
    load.add_argument("--encoding", metavar="E", help="file encoding (detected if omitted)")
    load.add_argument("--json", action="store_true", help="machine-readable output")
    fill = c_sub.add_parser("fill", help="add entries from CRM contacts or leads",
                            parents=[common])  # fmt: skip
    fill.add_argument("name")
    fill.add_argument("--city", metavar="C", help="only contacts (or leads) in this city")
    fill.add_argument("--country", metavar="CC", help="only contacts in this country")
    fill.add_argument("--no-call-in-days", type=int, metavar="N",
                      help="only contacts with no call in the last N days")  # fmt: skip
    fill.add_argument("--owner", metavar="USER", help="only contacts this user owns")
    fill.add_argument("--leads", action="store_true", help="fill from leads, not contacts")
    fill.add_argument(
        "--lead-status",
        action="append",
        default=[],
        metavar="S",
        help="include leads in this status (repeatable; default new, contacted)",
    )
    fill.add_argument("--lead-source", metavar="S", help="only leads from this source")
    fill.add_argument("--json", action="store_true", help="machine-readable output")
    nxt = c_sub.add_parser("next", help="reserve the entry an agent would get", parents=[common])
    nxt.add_argument("name")
    nxt.add_argument("--agent", required=True, metavar="USER")
    nxt.add_argument("--at", metavar="ISO-8601", help="as if it were this time")
    nxt.add_argument("--dry-run", action="store_true", help="show without reserving")
    nxt.add_argument("--json", action="store_true", help="machine-readable output")
    status = c_sub.add_parser("status", help="counts by status and outcome", parents=[common])
    status.add_argument("name")
    status.add_argument("--json", action="store_true", help="machine-readable output")

    dnc = sub.add_parser("dnc", help="do-not-call lists", parents=[common])
    d_sub = dnc.add_subparsers(dest="dnc_command", metavar="ACTION", required=True)
    d_imp = d_sub.add_parser("import", help="load numbers from a text or CSV file",
                             parents=[common])  # fmt: skip
    d_imp.add_argument("file", type=Path)
    d_imp.add_argument("--campaign", metavar="NAME", help="the campaign's list, not the global one")
    d_imp.add_argument("--region", metavar="CC", help="region for national numbers")
    d_imp.add_argument("--json", action="store_true", help="machine-readable output")
    d_add = d_sub.add_parser("add", help="add numbers", parents=[common])
    d_add.add_argument("numbers", nargs="+", metavar="NUMBER")
    d_add.add_argument("--campaign", metavar="NAME", help="the campaign's list, not the global one")
    d_add.add_argument("--region", metavar="CC", help="region for national numbers")
    d_add.add_argument("--json", action="store_true", help="machine-readable output")


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(getattr(args, "config", None))


def _region(args: argparse.Namespace, settings: Settings) -> str:
    from agentdesk.domain.phone import is_region

    region: str = args.region or settings.default_region
    if not is_region(region):
        raise CliError(f"unknown region {region!r}: use a two-letter code such as US, GB or CN")
    return region.upper()


def _open(args: argparse.Namespace, settings: Settings, **kw: Any) -> Any:
    from agentdesk.app.bootstrap import DatabaseUnavailable, connect

    try:
        db, _credentials = connect(getattr(args, "db", None), settings, **kw)
    except DatabaseUnavailable as exc:
        raise CliError(str(exc)) from None
    return db


def _print_json(data: Any) -> None:
    print(json.dumps(data, ensure_ascii=False, indent=2, default=str))


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.db import migrate

    db = _open(args, settings, upgrade=True)
    try:
        _ensure_reference_data(db)
        print(f"database {db.display_url} is at schema {migrate.current_revision(db.engine)}")
    finally:
        db.dispose()
    return EXIT_OK


def _ensure_reference_data(db: Any) -> None:
    from agentdesk.demo.seed import ensure_default_dispositions

    with db.sessions.begin() as session:
        ensure_default_dispositions(session)


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.demo.generate import generate

    if args.contacts < 0:
        raise CliError("--contacts must be 0 or more")
    db = _open(args, settings)
    try:
        started = time.perf_counter()
        summary = generate(db.engine, args.contacts, seed=args.seed)
        elapsed = time.perf_counter() - started
    finally:
        db.dispose()
    print(f"{summary} in {elapsed:.1f} s")
    return EXIT_OK


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


def cmd_import_contacts(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.crm.importing.importer import ImportFileError, import_contacts

    region = _region(args, settings)
    if not args.file.exists():
        raise CliError(f"{args.file}: no such file")
    db = _open(args, settings)
    progress = None if args.json else _progress_printer()
    try:
        result = import_contacts(
            db.sessions,
            args.file,
            default_region=region,
            encoding=args.encoding,
            progress=progress,
            actor=settings.agent.username,
        )
    except ImportFileError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
        if progress is not None:
            print(file=sys.stderr)
    if args.json:
        _print_json(
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
    from agentdesk.crm.lookup.caller import CallerLookup
    from agentdesk.domain.phone import InvalidPhoneNumber

    region = _region(args, settings)
    db = _open(args, settings)
    lookup = CallerLookup(db.sessions, region)
    try:
        result = lookup.lookup(args.number, region)
    except InvalidPhoneNumber as exc:
        raise CliError(f"cannot read {args.number!r} as a phone number: {exc.reason}") from None
    finally:
        lookup.close()
        db.dispose()
    if args.json:
        _print_json(
            {
                "number": result.number.e164,
                "extension": result.number.extension,
                "matches": [_match_json(m) for m in result.matches],
            }
        )
        return EXIT_OK
    if not result.matches:
        print(f"{result.number.e164}: no match")
    for match in result.matches:
        company = f" ({match.company})" if match.company else ""
        print(f"{result.number.e164}: {match.kind} {match.name}{company}  id {match.id}")
    return EXIT_OK


def _match_json(match: Any) -> dict[str, Any]:
    from dataclasses import asdict

    data = asdict(match)
    data["kind"] = str(match.kind)
    return data


def cmd_calls_export(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.calls.export import export_calls, parse_since, write_rows

    try:
        since = parse_since(args.since) if args.since else None
    except ValueError as exc:
        raise CliError(str(exc)) from None
    db = _open(args, settings)
    try:
        rows = export_calls(db.sessions, since, actor=settings.agent.username)
        write_rows(rows, sys.stdout, args.format)
    finally:
        db.dispose()
    return EXIT_OK


def cmd_callbacks_list(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.calls.export import CALLBACK_FIELDS, list_callbacks, write_rows

    db = _open(args, settings)
    try:
        rows = list_callbacks(db.sessions, args.due)
    finally:
        db.dispose()
    write_rows(rows, sys.stdout, "json" if args.json else "csv", CALLBACK_FIELDS)
    return EXIT_OK


def _dialer_command(args: argparse.Namespace, settings: Settings) -> tuple[dict[str, Any], int]:
    from agentdesk.crm.importing.csv_reader import ImportFileError
    from agentdesk.dialer import commands
    from agentdesk.dialer.campaigns import DialerError

    db = _open(args, settings)
    try:
        if args.command == "dnc":
            region = _region(args, settings)
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
                db.sessions, args.name, args.file, region=_region(args, settings),
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
        if action == "next":
            result = commands.campaign_next(
                db.sessions, args.name, agent=args.agent, at=args.at, dry_run=args.dry_run
            )
            return result, EXIT_OK
        return commands.campaign_status(db.sessions, args.name), EXIT_OK
    except (DialerError, ImportFileError) as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()


def cmd_dialer(args: argparse.Namespace, settings: Settings) -> int:
    result, status = _dialer_command(args, settings)
    if args.json:
        _print_json(result)
    else:
        _print_summary(result)
    return status


def _print_summary(result: dict[str, Any]) -> None:
    """Plain text for people: one ``key: value`` line per scalar, nested tables indented."""
    for key, value in result.items():
        if isinstance(value, dict):
            print(f"{key}:")
            for inner, item in value.items():
                print(f"  {inner}: {item}")
        elif isinstance(value, list):
            print(f"{key}: {len(value)}")
            for item in value[:20]:
                print(f"  {item}")
        else:
            print(f"{key}: {value}")


def cmd_gui(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.app.desktop import DesktopStartError, start_desktop

    try:
        context = start_desktop(getattr(args, "db", None), settings)
    except DesktopStartError as exc:
        raise CliError(str(exc)) from None
    from agentdesk.ui.shell.main import run

    try:
        return run(context)
    finally:
        context.close()


def main(argv: Sequence[str] | None = None) -> int:
    import multiprocessing

    multiprocessing.freeze_support()  # the PyInstaller build may spawn importer workers
    parser = build_parser()
    args = parser.parse_args(argv)
    logging.basicConfig(
        level=logging.DEBUG if args.verbose else logging.WARNING,
        format="%(levelname)s %(name)s: %(message)s",
    )
    handlers: dict[str | None, Callable[[argparse.Namespace, Settings], int]] = {
        None: cmd_gui,
        "db": cmd_db_upgrade,
        "demo-data": cmd_demo_data,
        "import": cmd_import_contacts,
        "lookup": cmd_lookup,
        "calls": cmd_calls_export,
        "callbacks": cmd_callbacks_list,
        "campaign": cmd_dialer,
        "dnc": cmd_dialer,
    }
    try:
        settings = _settings(args)
        return handlers[args.command](args, settings)
    except (CliError, ConfigError) as exc:
        print(f"agentdesk: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("agentdesk: interrupted", file=sys.stderr)
        return 130
    except Exception as exc:
        # Never a traceback on the terminal: it goes to the log file, the user gets one line.
        path = _write_crash_log()
        print(
            f"agentdesk: unexpected error ({type(exc).__name__}); details in {path}",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE


def _write_crash_log() -> Path:
    import traceback

    from agentdesk.config.settings import data_dir

    path = data_dir() / "logs" / "crash.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"--- {time.strftime('%Y-%m-%dT%H:%M:%S')} agentdesk {__version__}\n")
        fh.write(traceback.format_exc())
    return path
