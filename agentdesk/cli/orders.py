"""The order commands: ``order from-quote|create|show|edit|submit|approve|reject|fulfil|
cancel`` and ``order limit`` (the amount below which orders approve themselves)."""

from __future__ import annotations

import argparse
from datetime import date
from typing import Any

from agentdesk.cli.common import EXIT_OK, CliError, print_fields, print_json, with_database
from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError
from agentdesk.sales.status import OrderStatus

MOVES = ("submit", "approve", "reject", "fulfil", "cancel")


def sales_zone(settings: Settings) -> str | None:
    """The zone a document number's year is read in: ``[sales] timezone``, else ``[service]
    timezone``, else ``None`` (the machine's); a name that is no zone is exit status 2."""
    from agentdesk.domain.clock import zone_named

    for section in ("sales", "service"):
        table = settings.raw.get(section, {})
        name = table.get("timezone") if isinstance(table, dict) else None
        if name is None:
            continue
        if not isinstance(name, str):
            raise CliError(f"[{section}] timezone must be a zone name such as Asia/Shanghai")
        try:
            return zone_named(name).name
        except ValueError as exc:
            raise CliError(f"[{section}] timezone: {exc}") from None
    return None


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_order_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    order = sub.add_parser("order", help="sales orders and their approval", parents=[common])
    o_sub = order.add_subparsers(dest="order_command", metavar="ACTION", required=True)

    def verb(name: str, help_text: str) -> argparse.ArgumentParser:
        p: argparse.ArgumentParser = o_sub.add_parser(name, help=help_text, parents=[common])
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    from_quote = verb("from-quote", "an order from an accepted quote")
    from_quote.add_argument("number")
    create = verb("create", "enter an order directly")
    for p in (from_quote, create):
        p.add_argument("--delivery", type=_day, metavar="DATE", help="delivery date")
        p.add_argument("--payment-terms", metavar="TEXT")
    create.add_argument("--account", required=True, metavar="NAME_OR_ID")
    create.add_argument("--pricelist", metavar="NAME")
    create.add_argument("--currency", metavar="CODE")
    create.add_argument("--line", action="append", required=True, metavar="CODE:QTY[:PCT]")
    verb("show", "show an order").add_argument("number")
    listing = verb("list", "the newest orders (e.g. --status submitted: awaiting approval)")
    listing.add_argument("--status", choices=[s.value for s in OrderStatus])
    edit = verb("edit", "new lines for an order")
    edit.add_argument("number")
    edit.add_argument("--line", action="append", required=True, metavar="CODE:QTY[:PCT]")
    for move in MOVES:
        p = verb(move, f"{move} an order")
        p.add_argument("number")
        p.add_argument("--reason", metavar="TEXT", help="why (required to reject)")
    plan = verb("plan", "set the payment plan: instalments summing to the order's gross")
    plan.add_argument("number")
    plan.add_argument(
        "--instalment",
        action="append",
        default=[],
        metavar="DATE[:AMOUNT|:PCT%]",
        help="repeated, in date order; the last may be a bare DATE: it takes the rest",
    )
    limit = verb("limit", "orders below this amount approve themselves")
    limit.add_argument("currency", metavar="CODE")
    limit.add_argument("amount", nargs="?", help="the amount; omitted: every order needs approval")


def cmd_order(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.sales.money import MoneyError

    result = with_database(
        args,
        settings,
        lambda db: _run(args, db.sessions, settings.agent.username, sales_zone(settings)),
        (RequestError, MoneyError),
    )
    if args.json:
        print_json(result)
    else:
        print_fields(result)
    return EXIT_OK


def _run(args: argparse.Namespace, sessions: Any, actor: str, zone: str | None) -> dict[str, Any]:
    from agentdesk.sales import order_flow, orders
    from agentdesk.sales.documents import parse_line
    from agentdesk.sales.money import parse_decimal

    match args.order_command:
        case "from-quote":
            terms = orders.OrderTerms(args.delivery, args.payment_terms)
            view = orders.order_from_quote(
                sessions, args.number, terms=terms, actor=actor, zone=zone
            )
            return view.as_json()
        case "create":
            lines = [parse_line(text) for text in args.line]
            terms = orders.OrderTerms(args.delivery, args.payment_terms)
            view = orders.create_order(
                sessions,
                args.account,
                lines,
                price_list=args.pricelist,
                currency_code=args.currency,
                terms=terms,
                actor=actor,
                zone=zone,
            )
            return view.as_json()
        case "show":
            return orders.show_order(sessions, args.number, actor=actor).as_json()
        case "list":
            status = OrderStatus(args.status) if args.status else None
            return {"orders": orders.list_orders(sessions, status=status, actor=actor)}
        case "edit":
            lines = [parse_line(text) for text in args.line]
            return orders.edit_order(sessions, args.number, lines, actor=actor).as_json()
        case "plan":
            from agentdesk.sales.order_plan import set_payment_plan
            from agentdesk.sales.payment_plans import parse_instalment

            requests = [parse_instalment(text) for text in args.instalment]
            set_payment_plan(sessions, args.number, requests, actor=actor)
            return orders.show_order(sessions, args.number, actor=actor).as_json()
        case "limit":
            amount = parse_decimal(args.amount, "amount") if args.amount else None
            order_flow.set_approval_limit(sessions, args.currency, amount, actor=actor)
            return {"currency": args.currency.upper(), "below": str(amount) if amount else None}
        case move:
            view = order_flow.move_order(
                sessions, args.number, move, reason=args.reason, actor=actor
            )
            return view.as_json()
