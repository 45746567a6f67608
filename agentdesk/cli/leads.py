"""``lead list|assign|convert|disqualify``."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from agentdesk.cli.common import EXIT_OK, print_fields, print_json, print_table, with_database
from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import LeadStatus

LIST_COLUMNS = ("id", "name", "company", "status", "source", "owner", "created_at")


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_lead_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    lead = sub.add_parser("lead", help="sales leads", parents=[common])
    l_sub = lead.add_subparsers(dest="lead_command", metavar="ACTION", required=True)

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = l_sub.add_parser(name, help=help_text, parents=[common])
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    listing = verb("list", "the newest leads you may read")
    listing.add_argument("--status", choices=[s.value for s in LeadStatus])
    listing.add_argument("--owner", metavar="USER", help="a username, or - for the pool")
    listing.add_argument("--source", metavar="TEXT")
    listing.add_argument("--from", dest="created_from", type=_day, metavar="DATE")
    listing.add_argument("--to", dest="created_to", type=_day, metavar="DATE")
    listing.add_argument("--text", metavar="TEXT", help="part of the name, company or e-mail")
    listing.add_argument("--limit", type=int, default=200, metavar="N")
    assign = verb("assign", "give leads to a user, or deal them out over a team")
    assign.add_argument("ids", nargs="+", metavar="ID")
    whom = assign.add_mutually_exclusive_group(required=True)
    whom.add_argument("--to", metavar="USER")
    whom.add_argument("--round-robin", metavar="TEAM")
    convert = verb("convert", "leads into an account, a contact and an opportunity each")
    convert.add_argument("ids", nargs="+", metavar="ID")
    convert.add_argument("--account", metavar="NAME_OR_ID", help="join this account instead")
    convert.add_argument("--amount", metavar="X", help="the new opportunities' amount")
    convert.add_argument("--close", type=_day, metavar="DATE", help="their expected close date")
    convert.add_argument("--currency", default="CNY", metavar="CODE")
    disqualify = verb("disqualify", "drop a lead, saying why")
    disqualify.add_argument("id")
    disqualify.add_argument("--reason", required=True, metavar="TEXT")


def cmd_lead(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.sales.money import MoneyError

    result = with_database(
        args,
        settings,
        lambda db: _run(args, db.sessions, settings.agent.username),
        (RequestError, MoneyError),
    )
    if args.json:
        print_json(result)
    elif args.lead_command == "list":
        print_table(result["leads"], LIST_COLUMNS)
    else:
        print_fields(result)
    return EXIT_OK


def _run(args: argparse.Namespace, sessions: Any, actor: str) -> dict[str, Any]:
    from agentdesk.sales import lead_convert, leads
    from agentdesk.sales.money import parse_decimal

    match args.lead_command:
        case "list":
            if args.limit < 1:
                raise RequestError("--limit must be 1 or more")
            filters = leads.LeadFilter(
                status=LeadStatus(args.status) if args.status else None,
                owner=args.owner,
                source=args.source,
                created_from=args.created_from,
                created_to=args.created_to,
                text=args.text,
                limit=args.limit,
            )
            found = leads.list_leads(sessions, filters, actor=actor)
            return {"leads": [view.as_json() for view in found]}
        case "assign":
            ids = leads.parse_ids(args.ids)
            if args.to:
                given = leads.assign_leads(sessions, ids, args.to, actor=actor)
            else:
                given = leads.assign_round_robin(sessions, ids, args.round_robin, actor=actor)
            return {"assigned": given}
        case "convert":
            options = lead_convert.ConvertOptions(
                account=args.account,
                amount=parse_decimal(args.amount, "amount") if args.amount else None,
                close=args.close,
                currency_code=args.currency,
            )
            done = lead_convert.convert_leads(
                sessions, leads.parse_ids(args.ids), options, actor=actor
            )
            return {"converted": [conversion.as_json() for conversion in done]}
        case _:
            (lead_id,) = leads.parse_ids([args.id])
            view = leads.disqualify_lead(sessions, lead_id, args.reason, actor=actor)
            return view.as_json()
