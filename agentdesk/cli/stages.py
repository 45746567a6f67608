"""``stage list|add|set|remove|report``: the opportunity stages the admin defines, and the
time opportunities spent in them."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from agentdesk.cli.common import EXIT_OK, print_fields, print_json, print_table, with_database
from agentdesk.cli.orders import sales_zone
from agentdesk.config.settings import Settings

LIST_COLUMNS = ("code", "label", "order", "probability", "won", "lost", "active")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _yes_no(text: str) -> bool:
    match text.strip().lower():
        case "yes":
            return True
        case "no":
            return False
        case _:
            raise argparse.ArgumentTypeError(f"{text!r}: yes or no")


def add_stage_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    stage = sub.add_parser("stage", help="opportunity stages (the admin's)", parents=[common])
    s_sub = stage.add_subparsers(dest="stage_command", metavar="ACTION", required=True)
    list_ = s_sub.add_parser("list", help="every stage in the pipeline's order", parents=[common])
    add = s_sub.add_parser("add", help="add a stage", parents=[common])
    add.add_argument("code", help="its stable code: a letter, then letters, digits or _")
    add.add_argument("--label", required=True, metavar="TEXT")
    add.add_argument("--label-zh", default="", metavar="TEXT", help="its Chinese label")
    add.add_argument("--probability", type=int, metavar="P", help="needed for an open stage")
    add.add_argument("--after", metavar="CODE", help="default: before the won/lost stages")
    kind = add.add_mutually_exclusive_group()
    kind.add_argument("--won", action="store_true", help="a won stage (always 100 %%)")
    kind.add_argument("--lost", action="store_true", help="a lost stage (always 0 %%)")
    set_ = s_sub.add_parser("set", help="change a stage", parents=[common])
    set_.add_argument("code")
    set_.add_argument("--label", metavar="TEXT")
    set_.add_argument("--label-zh", metavar="TEXT")
    set_.add_argument("--probability", type=int, metavar="P")
    set_.add_argument("--order", type=int, metavar="N", help="its place, 1 first")
    set_.add_argument(
        "--active", type=_yes_no, metavar="yes|no", help="no: retired, no move enters it"
    )
    report = s_sub.add_parser(
        "report",
        help="time in stage and stage-to-stage moves over a period",
        parents=[common],
    )
    report.add_argument("--from", dest="start", required=True, type=_day, metavar="DATE")
    report.add_argument("--to", dest="end", required=True, type=_day, metavar="DATE")
    remove = s_sub.add_parser(
        "remove", help="delete a stage nothing ever used (else retire it)", parents=[common]
    )
    remove.add_argument("code")
    for p in (list_, add, set_, report, remove):
        p.add_argument("--json", action="store_true", help="machine-readable output")


def cmd_stage(args: argparse.Namespace, settings: Settings) -> int:
    result = with_database(args, settings, lambda db: _run(args, db.sessions, settings))
    if args.json:
        print_json(result)
    elif args.stage_command == "list":
        print_table([{k: row[k] for k in LIST_COLUMNS} for row in result], LIST_COLUMNS)
    elif args.stage_command == "report":
        print_table(result["stages"])
        print()
        print_table(result["moves"])
    else:
        print_fields(result)
    return EXIT_OK


def _run(args: argparse.Namespace, sessions: Any, settings: Settings) -> Any:
    from agentdesk.db.errors import RequestError
    from agentdesk.sales import stages

    actor = settings.agent.username
    match args.stage_command:
        case "list":
            return [stage.as_json() for stage in stages.list_stages(sessions)]
        case "add":
            if args.probability is None and not (args.won or args.lost):
                raise RequestError("an open stage needs --probability")
            return stages.add_stage(
                sessions,
                args.code,
                label=args.label,
                label_zh=args.label_zh,
                probability=args.probability or 0,
                after=args.after,
                won=args.won,
                lost=args.lost,
                actor=actor,
            ).as_json()
        case "report":
            from agentdesk.sales.forecast_won import business_zone
            from agentdesk.sales.stage_report import stage_report

            zone = business_zone(sales_zone(settings))
            return stage_report(
                sessions, start=args.start, end=args.end, zone=zone, actor=actor
            ).as_json()
        case "set":
            return stages.change_stage(
                sessions,
                args.code,
                label=args.label,
                label_zh=args.label_zh,
                probability=args.probability,
                order=args.order,
                active=args.active,
                actor=actor,
            ).as_json()
        case _:
            stages.remove_stage(sessions, args.code, actor=actor)
            return {"removed": args.code.strip().lower()}
