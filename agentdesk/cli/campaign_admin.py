"""The admin's commands over campaigns, DNC lists and the contact list:
``campaign list|show|set|pause|resume|archive``, ``dnc remove`` and ``contacts export``.

They act as the connection's user (on SQLite the file's owner), so the services' role checks
apply to the login on a shared PostgreSQL database. Bad input is exit status 2 with one line
saying what to change, as every command.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path
from typing import Any

from agentdesk.cli.common import EXIT_OK, CliError, open_database, print_json, region_of
from agentdesk.cli.dialer import cmd_dialer
from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError

CAMPAIGN_ACTIONS = ("list", "show", "set", "pause", "resume", "archive")
WEEKDAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")


def add_admin_parsers(
    sub: Any, campaign_sub: Any, dnc_sub: Any, common: argparse.ArgumentParser
) -> None:
    """Add the commands to the ``campaign`` and ``dnc`` groups and the ``contacts`` group."""
    lst = campaign_sub.add_parser("list", help="list campaigns", parents=[common])
    lst.add_argument("--archived", action="store_true", help="include archived campaigns")
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    show = campaign_sub.add_parser("show", help="a campaign's settings", parents=[common])
    show.add_argument("name")
    show.add_argument("--json", action="store_true", help="machine-readable output")
    edit = campaign_sub.add_parser("set", help="change a campaign's settings", parents=[common])
    edit.add_argument("name")
    edit.add_argument("--script", metavar="TEXT", help="the call script ('' removes it)")
    edit.add_argument("--script-file", type=Path, metavar="FILE", help="the script from a file")
    edit.add_argument("--window", metavar="HH:MM-HH:MM", help="calling hours, callee's time")
    edit.add_argument("--weekdays", metavar="DAYS", help="e.g. mon-fri, sat,sun or 0-4")
    edit.add_argument("--max-attempts", type=int, metavar="N")
    edit.add_argument("--retry", action="append", default=[], metavar="OUTCOME=MIN",
                      help="retry an outcome after MIN minutes, or OUTCOME=final "
                           "(repeatable)")  # fmt: skip
    edit.add_argument("--priority", type=int, metavar="N", help="higher is dialled first")
    edit.add_argument("--mode", choices=("preview", "progressive", "manual"))
    edit.add_argument("--reservation-minutes", type=int, metavar="N")
    edit.add_argument("--json", action="store_true", help="machine-readable output")
    for verb, what in (("pause", "stop offering a campaign's entries"),
                       ("resume", "offer a paused campaign's entries again"),
                       ("archive", "take a finished campaign out of the lists")):  # fmt: skip
        action = campaign_sub.add_parser(verb, help=what, parents=[common])
        action.add_argument("name")
        action.add_argument("--json", action="store_true", help="machine-readable output")

    remove = dnc_sub.add_parser("remove", help="take numbers off a list", parents=[common])
    remove.add_argument("numbers", nargs="+", metavar="NUMBER")
    remove.add_argument(
        "--campaign", metavar="NAME", help="the campaign's list, not the global one"
    )
    remove.add_argument("--region", metavar="CC", help="region for national numbers")
    remove.add_argument("--json", action="store_true", help="machine-readable output")

    contacts = sub.add_parser("contacts", help="the contact list", parents=[common])
    c_sub = contacts.add_subparsers(dest="contacts_command", metavar="ACTION", required=True)
    export = c_sub.add_parser("export", help="export contacts (CSV or XLSX)", parents=[common])
    export.add_argument("--format", choices=("csv", "xlsx"), default="csv")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here (xlsx needs it)")


def cmd_campaign(args: argparse.Namespace, settings: Settings) -> int:
    """The ``campaign`` and ``dnc`` groups: these commands here, the others in ``cli.dialer``."""
    mine = (
        args.campaign_command in CAMPAIGN_ACTIONS
        if args.command == "campaign"
        else args.dnc_command == "remove"
    )
    return cmd_campaign_admin(args, settings) if mine else cmd_dialer(args, settings)


def cmd_campaign_admin(args: argparse.Namespace, settings: Settings) -> int:
    """``campaign list|show|set|pause|resume|archive`` and ``dnc remove``."""
    from agentdesk.dialer import campaign_admin as admin
    from agentdesk.dialer.dnc_remove import remove_numbers

    db = open_database(args, settings)
    result: Any
    try:
        if args.command == "dnc":
            region = region_of(args, settings)
            result = remove_numbers(
                db.sessions, args.numbers, default_region=region, campaign=args.campaign
            ).to_json()
        else:
            match args.campaign_command:
                case "list":
                    rows = admin.list_campaigns(db.sessions, archived=args.archived)
                    result = [row.to_json() for row in rows]
                case "show":
                    result = admin.show_campaign(db.sessions, args.name)
                case "set":
                    result = admin.update_campaign(db.sessions, args.name, _changes(args))
                case "pause" | "resume":
                    active = args.campaign_command == "resume"
                    result = admin.set_running(db.sessions, args.name, active)
                case _:
                    result = admin.archive_campaign(db.sessions, args.name)
    except RequestError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    if args.json:
        print_json(result)
    else:
        _print(args, result)
    return EXIT_OK


def _changes(args: argparse.Namespace) -> Any:
    from agentdesk.dialer.campaign_admin import CampaignChanges, parse_retry, parse_weekdays

    script = args.script
    if args.script_file is not None:
        if script is not None:
            raise CliError("give --script or --script-file, not both")
        try:
            script = args.script_file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"{args.script_file}: cannot read the script ({exc})") from None
    return CampaignChanges(
        script=script,
        window=args.window,
        weekdays=parse_weekdays(args.weekdays) if args.weekdays is not None else None,
        max_attempts=args.max_attempts,
        retry_rules=parse_retry(args.retry) if args.retry else None,
        priority=args.priority,
        mode=args.mode,
        reservation_minutes=args.reservation_minutes,
    )


def days_text(days: list[int]) -> str:
    """``Mon-Fri``, ``Sat, Sun``, ``every day``: weekday numbers as people read them."""
    if len(days) == 7:
        return "every day"
    runs: list[str] = []
    start = prev = None
    for day in [*sorted(days), None]:
        if day is not None and prev is not None and day == prev + 1:
            prev = day
            continue
        if start is not None and prev is not None:
            runs.append(
                WEEKDAYS[start] if start == prev else
                f"{WEEKDAYS[start]}-{WEEKDAYS[prev]}" if prev - start > 1 else
                f"{WEEKDAYS[start]}, {WEEKDAYS[prev]}"
            )  # fmt: skip
        start = prev = day
    return ", ".join(runs)


def _print(args: argparse.Namespace, result: Any) -> None:
    if args.command == "dnc":
        removed, missing = result["removed"], result["not_listed"]
        where = f"campaign {result['campaign']!r}" if result["campaign"] else "the global list"
        print(
            f"removed from {where}: {len(removed)}"
            + (f" ({', '.join(removed)})" if removed else "")
        )
        if missing:
            print(f"not on that list: {', '.join(missing)}")
        return
    match args.campaign_command:
        case "list":
            _print_table(result)
        case "show" | "set":
            _print_settings(result)
        case "pause" | "resume":
            state = "running" if result["active"] else "paused"
            print(f"campaign {result['name']!r} is {state}")
        case _:
            print(f"campaign {result['campaign']!r} archived (kept for reports)")


def _print_table(rows: list[dict[str, Any]]) -> None:
    if not rows:
        print("no campaigns")
        return
    header = ("NAME", "MODE", "STATE", "PRIORITY", "WINDOW", "DAYS", "ATTEMPTS")
    lines = [
        (
            row["name"],
            row["mode"],
            "archived" if row["archived"] else "running" if row["active"] else "paused",
            str(row["priority"]),
            row["window"],
            days_text(row["weekdays"]),
            str(row["max_attempts"]),
        )
        for row in rows
    ]
    widths = [max(len(line[i]) for line in (header, *lines)) for i in range(len(header))]
    for line in (header, *lines):
        print("  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)))


def _print_settings(info: dict[str, Any]) -> None:
    rules = ", ".join(
        f"{outcome} {'final' if rule.get('final') else _minutes(rule)}"
        for outcome, rule in info["retry_rules"].items()
    )
    lines = [
        ("campaign", info["name"]),
        ("state", "running" if info["active"] else "paused"),
        ("mode", info["mode"]),
        ("priority", str(info["priority"])),
        ("calls", f"{info['window']} callee time, {days_text(info['weekdays'])}"),
        ("attempts", f"at most {info['max_attempts']}"),
        ("retry", rules),
        ("reserved for", f"{info['reservation_minutes']} min"),
    ]
    if "assigned" in info:
        who = [*info["assigned"]["agents"], *(f"team {t}" for t in info["assigned"]["teams"])]
        lines.append(("assigned", ", ".join(who) if who else "everyone"))
    for key, value in lines:
        print(f"{key + ':':14}{value}")
    script = info["script"]
    print("script:" if script else "script:       (none)")
    if script:
        for line in script.splitlines():
            print(f"  {line}")


def _minutes(rule: dict[str, Any]) -> str:
    minutes = float(rule.get("retry_after_minutes", 0))
    if minutes >= 60 and minutes % 60 == 0:
        return f"after {int(minutes // 60)} h"
    return f"after {minutes:g} min"


def cmd_contacts_export(args: argparse.Namespace, settings: Settings) -> int:
    """``contacts export [--format csv|xlsx] [--out FILE]``."""
    from agentdesk.crm.contacts_export import export_contacts, write_csv, write_xlsx

    if args.format == "xlsx" and args.out is None:
        raise CliError("--format xlsx writes a file: give --out FILE")
    db = open_database(args, settings)
    try:
        rows = export_contacts(db.sessions, fmt=args.format)
    except RequestError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    try:
        if args.format == "xlsx":
            count = write_xlsx(rows, args.out)
        elif args.out is not None:
            with args.out.open("w", encoding="utf-8", newline="") as fh:
                count = write_csv(rows, fh)
        else:
            count = write_csv(rows, sys.stdout)
    except OSError as exc:
        raise CliError(f"{args.out}: cannot write ({exc.strerror})") from None
    if args.out is not None:
        print(f"exported {count} contacts to {args.out}", file=sys.stderr)
    return EXIT_OK
