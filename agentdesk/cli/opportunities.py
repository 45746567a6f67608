"""``opportunity create|set`` and ``forecast``."""

from __future__ import annotations

import argparse
import uuid
from datetime import date
from typing import Any

from agentdesk.cli.common import (
    EXIT_OK,
    CliError,
    print_fields,
    print_json,
    print_table,
    with_database,
)
from agentdesk.cli.orders import sales_zone
from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def _percent(text: str) -> int | None:
    if text == "stage":
        return None
    try:
        return int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r}: a whole percent or 'stage'") from None


def add_opportunity_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    opp = sub.add_parser("opportunity", help="sales opportunities", parents=[common])
    o_sub = opp.add_subparsers(dest="opportunity_command", metavar="ACTION", required=True)
    create = o_sub.add_parser("create", help="create an opportunity", parents=[common])
    create.add_argument("--account", required=True, metavar="NAME_OR_ID")
    create.add_argument("--name", required=True)
    create.add_argument("--amount", metavar="X", help="or --line: the amount from products")
    create.add_argument("--currency", default="CNY", metavar="CODE")
    create.add_argument("--stage", required=True, metavar="STAGE")
    create.add_argument("--close", required=True, type=_day, metavar="DATE")
    create.add_argument("--owner", metavar="USER")
    create.add_argument("--probability", type=int, metavar="P", help="override the stage's")
    set_ = o_sub.add_parser("set", help="change an opportunity", parents=[common])
    set_.add_argument("id")
    set_.add_argument("--stage", metavar="STAGE")
    set_.add_argument("--amount", metavar="X")
    set_.add_argument("--close", type=_day, metavar="DATE")
    set_.add_argument(
        "--probability",
        type=_percent,
        default=argparse.SUPPRESS,
        metavar="P",
        help="a whole percent, or 'stage' to follow the stage again",
    )
    for p in (create, set_):
        p.add_argument("--next-step", metavar="TEXT", help="what to do next ('' clears it)")
        p.add_argument(
            "--line",
            action="append",
            default=[],
            metavar="CODE:QTY[:PCT]",
            help="a product line (repeated); the amount is their sum",
        )
        p.add_argument("--json", action="store_true", help="machine-readable output")

    fc = sub.add_parser("forecast", help="the weighted sales forecast", parents=[common])
    fc.add_argument("--by", required=True, choices=("month", "quarter", "rep", "category"))
    fc.add_argument("--from", dest="start", required=True, type=_day, metavar="DATE")
    fc.add_argument("--to", dest="end", required=True, type=_day, metavar="DATE")
    fc.add_argument("--currency", default="CNY", metavar="CODE")
    fc.add_argument("--json", action="store_true", help="machine-readable output")


def cmd_opportunity(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.sales.money import MoneyError

    result = with_database(
        args,
        settings,
        lambda db: _run(args, db.sessions, settings.agent.username, sales_zone(settings)),
        (RequestError, MoneyError),
    )
    if args.json:
        print_json(result)
    elif args.command == "forecast":
        print_table([*result["rows"], {"key": "total", **result["totals"]}])
    else:
        print_fields(result)
    return EXIT_OK


def _run(args: argparse.Namespace, sessions: Any, actor: str, zone: str | None) -> dict[str, Any]:
    from agentdesk.sales import opportunities as opp
    from agentdesk.sales.documents import parse_line
    from agentdesk.sales.forecast import forecast
    from agentdesk.sales.money import parse_decimal

    if args.command == "forecast":
        return forecast(
            sessions,
            by=args.by,
            start=args.start,
            end=args.end,
            currency_code=args.currency,
            actor=actor,
            zone=zone,
        ).as_json()
    if args.opportunity_command == "create":
        view = opp.create_opportunity(
            sessions,
            account=args.account,
            name=args.name,
            amount=parse_decimal(args.amount, "amount") if args.amount else None,
            stage=opp.stage_of(args.stage),
            close=args.close,
            owner=args.owner,
            probability=args.probability,
            currency_code=args.currency,
            lines=[parse_line(text) for text in args.line],
            next_step=args.next_step,
            actor=actor,
        )
        return view.as_json()
    try:
        opportunity_id = uuid.UUID(args.id)
    except ValueError:
        raise CliError(f"{args.id!r} is not an opportunity id") from None
    view = opp.update_opportunity(
        sessions,
        opportunity_id,
        stage=opp.stage_of(args.stage) if args.stage else None,
        amount=parse_decimal(args.amount, "amount") if args.amount else None,
        close=args.close,
        probability=getattr(args, "probability", opp.KEEP),
        lines=[parse_line(text) for text in args.line],
        next_step=args.next_step,
        actor=actor,
    )
    return view.as_json()
