"""The sales commands: ``product import|list``, ``pricelist create|rule`` and ``quote
create|show|edit|set|pdf``.

Amounts and rates are decimal strings in the JSON output. Who acts: the configured agent (on
PostgreSQL the login; the owner's connection acting for a name that is no user may do all).
"""

from __future__ import annotations

import argparse
from datetime import date
from pathlib import Path
from typing import Any

from agentdesk.cli.common import (
    EXIT_OK,
    EXIT_PARTIAL,
    CliError,
    print_fields,
    print_json,
    print_table,
    with_database,
)
from agentdesk.cli.orders import sales_zone
from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError


def _json(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
    p.add_argument("--json", action="store_true", help="machine-readable output")
    return p


def _day(text: str) -> date:
    try:
        return date.fromisoformat(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"{text!r} is not a date (YYYY-MM-DD)") from None


def add_sales_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    product = sub.add_parser("product", help="the product catalogue", parents=[common])
    p_sub = product.add_subparsers(dest="product_command", metavar="ACTION", required=True)
    imp = _json(p_sub.add_parser("import", help="import products from CSV", parents=[common]))
    imp.add_argument("file", type=Path)
    imp.add_argument("--currency", default="CNY", metavar="CODE", help="currency of the prices")
    imp.add_argument("--encoding", metavar="E", help="file encoding (detected if omitted)")
    _json(p_sub.add_parser("list", help="list products", parents=[common]))

    plist = sub.add_parser("pricelist", help="price lists", parents=[common])
    l_sub = plist.add_subparsers(dest="pricelist_command", metavar="ACTION", required=True)
    create = l_sub.add_parser("create", help="create a price list", parents=[common])
    create.add_argument("name")
    create.add_argument("--currency", default="CNY", metavar="CODE")
    rule = l_sub.add_parser("rule", help="add a price rule to a list", parents=[common])
    rule.add_argument("name", help="the price list")
    target = rule.add_mutually_exclusive_group(required=True)
    target.add_argument("--product", metavar="CODE")
    target.add_argument("--category", metavar="NAME")
    price = rule.add_mutually_exclusive_group(required=True)
    price.add_argument("--price", metavar="AMOUNT", help="a fixed unit price")
    price.add_argument("--off", metavar="PCT", help="percent off the standard price")
    rule.add_argument("--min-qty", default="0", metavar="QTY")
    rule.add_argument("--from", dest="valid_from", type=_day, metavar="DATE")
    rule.add_argument("--to", dest="valid_to", type=_day, metavar="DATE")

    quote = sub.add_parser("quote", help="quotes", parents=[common])
    q_sub = quote.add_subparsers(dest="quote_command", metavar="ACTION", required=True)
    q_create = _json(q_sub.add_parser("create", help="create a quote", parents=[common]))
    q_create.add_argument("--account", required=True, metavar="NAME_OR_ID")
    q_create.add_argument("--contact", metavar="ID")
    q_create.add_argument("--pricelist", metavar="NAME")
    q_create.add_argument("--currency", metavar="CODE")
    q_create.add_argument("--valid-until", type=_day, metavar="DATE")
    q_create.add_argument("--terms", metavar="TEXT")
    line_help = "CODE:QTY[:DISCOUNT_PCT], repeated"
    q_create.add_argument("--line", action="append", required=True, metavar="LINE", help=line_help)
    q_show = _json(q_sub.add_parser("show", help="show a quote", parents=[common]))
    q_show.add_argument("number")
    q_show.add_argument("--revision", type=int, metavar="N")
    q_edit = _json(q_sub.add_parser("edit", help="new lines (a sent quote: next revision)",
                                    parents=[common]))  # fmt: skip
    q_edit.add_argument("number")
    q_edit.add_argument("--line", action="append", required=True, metavar="LINE", help=line_help)
    q_set = _json(q_sub.add_parser("set", help="change a quote's status", parents=[common]))
    q_set.add_argument("number")
    q_set.add_argument("--status", required=True, choices=("sent", "accepted", "rejected"))
    _json(
        q_sub.add_parser(
            "expire", help="mark sent quotes past their date expired", parents=[common]
        )
    )
    q_pdf = q_sub.add_parser("pdf", help="print a quote to PDF", parents=[common])
    q_pdf.add_argument("number")
    q_pdf.add_argument("--revision", type=int, metavar="N")
    q_pdf.add_argument("--lang", choices=("en", "zh_CN"), default="en")
    q_pdf.add_argument("--out", type=Path, required=True, metavar="FILE")


def cmd_sales(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.crm.importing.csv_encoding import ImportFileError
    from agentdesk.sales.money import MoneyError

    result, code = with_database(
        args,
        settings,
        lambda db: _run(args, db.sessions, settings.agent.username, sales_zone(settings)),
        (RequestError, MoneyError, ImportFileError),
    )
    if getattr(args, "json", False):
        print_json(result)
    elif isinstance(result, list):
        print_table(result)
    elif isinstance(result, dict):
        print_fields(result)
    return code


def _run(args: argparse.Namespace, sessions: Any, actor: str, zone: str | None) -> tuple[Any, int]:
    match args.command:
        case "product":
            return _product(args, sessions, actor)
        case "pricelist":
            return _pricelist(args, sessions, actor), EXIT_OK
        case _:
            return _quote(args, sessions, actor, zone), EXIT_OK


def _product(args: argparse.Namespace, sessions: Any, actor: str) -> tuple[Any, int]:
    from agentdesk.sales.catalogue import list_products
    from agentdesk.sales.product_import import import_products

    if args.product_command == "list":
        return [p.as_json() for p in list_products(sessions)], EXIT_OK
    if not args.file.exists():
        raise CliError(f"{args.file}: no such file")
    result = import_products(
        sessions, args.file, currency_code=args.currency, encoding=args.encoding, actor=actor
    )
    data = {
        "created": result.created,
        "updated": result.updated,
        "rejected": [{"line": r.line, "reason": r.reason, "row": r.row} for r in result.rejected],
        "reject_file": str(result.reject_file) if result.reject_file else None,
    }
    return data, EXIT_PARTIAL if result.rejected else EXIT_OK


def _pricelist(args: argparse.Namespace, sessions: Any, actor: str) -> dict[str, Any]:
    from agentdesk.sales.money import parse_decimal
    from agentdesk.sales.price_lists import RuleRequest, add_price_list, add_price_rule

    if args.pricelist_command == "create":
        add_price_list(sessions, args.name, args.currency, actor=actor)
        return {"price_list": args.name, "currency": args.currency.upper()}
    rule = RuleRequest(
        product=args.product,
        category=args.category,
        price=parse_decimal(args.price, "price") if args.price is not None else None,
        percent_off=parse_decimal(args.off, "percentage") if args.off is not None else None,
        min_quantity=parse_decimal(args.min_qty, "minimum quantity"),
        valid_from=args.valid_from,
        valid_to=args.valid_to,
    )
    add_price_rule(sessions, args.name, rule, actor=actor)
    return {"price_list": args.name, "rule": "added"}


def _quote(args: argparse.Namespace, sessions: Any, actor: str, zone: str | None) -> dict[str, Any]:
    from agentdesk.sales import quotes
    from agentdesk.sales.documents import parse_line
    from agentdesk.sales.status import QuoteStatus

    match args.quote_command:
        case "create":
            request = quotes.QuoteRequest(
                account=args.account,
                contact=args.contact,
                price_list=args.pricelist,
                currency=args.currency,
                valid_until=args.valid_until,
                terms=args.terms,
                lines=[parse_line(text) for text in args.line],
            )
            return quotes.create_quote(sessions, request, actor=actor, zone=zone).as_json()
        case "show":
            return quotes.show_quote(sessions, args.number, args.revision, actor=actor).as_json()
        case "edit":
            lines = [parse_line(text) for text in args.line]
            return quotes.revise_quote(sessions, args.number, lines, actor=actor).as_json()
        case "expire":
            return {"expired": quotes.expire_quotes(sessions, actor=actor)}
        case "set":
            status = QuoteStatus(args.status)
            return quotes.set_quote_status(sessions, args.number, status, actor=actor).as_json()
        case _:
            return _pdf(args, sessions, actor)


def _pdf(args: argparse.Namespace, sessions: Any, actor: str) -> dict[str, Any]:
    from agentdesk.sales.quote_pdf import print_quote

    path = print_quote(
        sessions, args.number, args.out, revision=args.revision, lang=args.lang, actor=actor
    )
    return {"number": args.number, "file": str(path)}
