"""The ``agentdesk`` command: the desktop app, and admin tools for the shared database."""

from __future__ import annotations

import argparse
import contextlib
import logging
import os
import sys
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from agentdesk import __version__
from agentdesk.cli.calls import cmd_callbacks_list, cmd_calls_export
from agentdesk.cli.campaign_admin import add_admin_parsers, cmd_campaign, cmd_contacts_export
from agentdesk.cli.common import EXIT_UNUSABLE, CliError
from agentdesk.cli.contacts import cmd_import_contacts, cmd_lookup
from agentdesk.cli.db import cmd_db_upgrade
from agentdesk.cli.demo import cmd_demo_data
from agentdesk.cli.journal import add_journal_parsers, cmd_journal
from agentdesk.cli.leads import add_lead_parsers, cmd_lead
from agentdesk.cli.opportunities import add_opportunity_parsers, cmd_opportunity
from agentdesk.cli.orders import add_order_parsers, cmd_order
from agentdesk.cli.org import add_org_parsers, cmd_org
from agentdesk.cli.queues import add_queue_parsers, cmd_queue
from agentdesk.cli.reports import add_report_parsers, cmd_report
from agentdesk.cli.sales import add_sales_parsers, cmd_sales
from agentdesk.cli.service import add_service_parsers, cmd_business_hours, cmd_case, cmd_kb
from agentdesk.cli.sla import add_sla_parsers, cmd_sla
from agentdesk.cli.stages import add_stage_parsers, cmd_stage
from agentdesk.config.settings import ConfigError, Settings, load_settings

log = logging.getLogger("agentdesk")

PASSWORD_TRIES = 3
"""How many times the start asks for a database password the server refused."""

EXIT_BROKEN_PIPE = 128 + 13
"""128 + SIGPIPE: what a shell reports for a command whose reader went away."""


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
    contacts.add_argument("--owner", metavar="USER", help="who owns the imported records")
    contacts.add_argument("--json", action="store_true", help="machine-readable output")

    calls = sub.add_parser("calls", help="the call log", parents=[common])
    calls_sub = calls.add_subparsers(dest="calls_command", metavar="ACTION", required=True)
    export = calls_sub.add_parser("export", help="export the call log", parents=[common])
    export.add_argument("--since", metavar="ISO", help="only calls started at or after this time")
    export.add_argument("--format", choices=("csv", "json", "xlsx"), default="csv")
    export.add_argument("--out", type=Path, metavar="FILE", help="write here (xlsx needs it)")
    export.add_argument("--tz", metavar="ZONE", help="zone of CSV and XLSX times (default: local)")

    callbacks = sub.add_parser("callbacks", help="scheduled callbacks", parents=[common])
    cb_sub = callbacks.add_subparsers(dest="callbacks_command", metavar="ACTION", required=True)
    cb_list = cb_sub.add_parser("list", help="list pending callbacks", parents=[common])
    cb_list.add_argument("--due", action="store_true", help="only callbacks due now or overdue")
    cb_list.add_argument("--json", action="store_true", help="machine-readable output")

    _add_dialer_parsers(sub, common)
    add_org_parsers(sub, common)
    add_sales_parsers(sub, common)
    add_order_parsers(sub, common)
    add_opportunity_parsers(sub, common)
    add_stage_parsers(sub, common)
    add_lead_parsers(sub, common)
    add_service_parsers(sub, common)
    add_sla_parsers(sub, common)

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
    for verb, what in (("assign", "let agents or teams work a campaign"),
                       ("unassign", "take a campaign from agents or teams")):  # fmt: skip
        who = c_sub.add_parser(verb, help=what, parents=[common])
        who.add_argument("name")
        who.add_argument("--agent", action="append", default=[], metavar="USER")
        who.add_argument("--team", action="append", default=[], metavar="TEAM")
        who.add_argument("--json", action="store_true", help="machine-readable output")
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
    add_admin_parsers(sub, c_sub, d_sub, common)
    add_journal_parsers(sub, common)
    add_queue_parsers(sub, common)
    add_report_parsers(sub, common)


def _settings(args: argparse.Namespace) -> Settings:
    return load_settings(getattr(args, "config", None))


def cmd_gui(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.app.desktop import DesktopStartError, start_desktop

    password: str | None = None
    for tries in range(PASSWORD_TRIES + 1):
        try:
            context = start_desktop(getattr(args, "db", None), settings, password=password)
            break
        except DesktopStartError as exc:
            if exc.login is not None and tries < PASSWORD_TRIES:
                from agentdesk.ui.shell.login_prompt import ask_password

                # A team database: the user's own login wants its password, asked once.
                password = ask_password(exc.login, password is not None, settings.ui.language)
                if password is not None:
                    continue
            # Standard error first: a session without a display gets it even if Qt cannot start.
            print(f"agentdesk: {exc}", file=sys.stderr, flush=True)
            from agentdesk.ui.shell.start_error import show_start_error

            # Started from a desktop icon, nobody reads standard error: a dialog says it.
            show_start_error(exc, settings.ui.language)
            return EXIT_UNUSABLE
    from agentdesk.ui.shell.main import run

    try:
        return run(context)
    finally:
        kept = context.close()
        if kept:
            print(
                f"agentdesk: the database could not be reached; {kept} changes are kept on "
                "this computer and applied at the next start (agentdesk journal status)",
                file=sys.stderr,
                flush=True,
            )


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
        "campaign": cmd_campaign,
        "dnc": cmd_campaign,
        "contacts": cmd_contacts_export,
        "case": cmd_case,
        "business-hours": cmd_business_hours,
        "kb": cmd_kb,
        "sla": cmd_sla,
        "journal": cmd_journal,
        "queue": cmd_queue,
        "report": cmd_report,
        **dict.fromkeys(
            ("user", "team", "role", "disposition", "assign", "share", "transfer", "batch-update"),
            cmd_org,
        ),
        **dict.fromkeys(("product", "pricelist", "quote"), cmd_sales),
        "order": cmd_order,
        "opportunity": cmd_opportunity,
        "stage": cmd_stage,
        "forecast": cmd_opportunity,
        "lead": cmd_lead,
    }
    try:
        settings = _settings(args)
        code = handlers[args.command](args, settings)
        sys.stdout.flush()  # a reader gone meanwhile shows here, not as noise at exit
        return code
    except (CliError, ConfigError) as exc:
        print(f"agentdesk: {exc}", file=sys.stderr)
        return EXIT_UNUSABLE
    except KeyboardInterrupt:
        print("agentdesk: interrupted", file=sys.stderr)
        return 130
    except BrokenPipeError:
        # The reader stopped reading (`agentdesk calls export | head -2`): not an error of
        # ours. Quiet, like a Unix tool that SIGPIPE stops, with the status a shell shows then.
        _silence_stdout()
        return EXIT_BROKEN_PIPE
    except Exception as exc:
        # Never a traceback on the terminal: it goes to the log file, the user gets one line.
        path = _write_crash_log()
        print(
            f"agentdesk: unexpected error ({type(exc).__name__}); details in {path}",
            file=sys.stderr,
        )
        return EXIT_UNUSABLE


def _silence_stdout() -> None:
    """Send what is left in standard output's buffer nowhere: Python flushes it at exit, and
    the closed pipe would fail again as "Exception ignored ... BrokenPipeError"."""
    with contextlib.suppress(OSError, ValueError):  # no real descriptor (an embedding caller)
        devnull = os.open(os.devnull, os.O_WRONLY)
        os.dup2(devnull, sys.stdout.fileno())
        os.close(devnull)


def _write_crash_log() -> Path:
    import traceback

    from agentdesk.config.settings import data_dir

    path = data_dir() / "logs" / "crash.log"
    path.parent.mkdir(parents=True, exist_ok=True)
    with path.open("a", encoding="utf-8") as fh:
        fh.write(f"--- {time.strftime('%Y-%m-%dT%H:%M:%S')} agentdesk {__version__}\n")
        fh.write(traceback.format_exc())
    return path
