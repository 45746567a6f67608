"""The service commands: ``case create|list|set|escalate``, ``business-hours import|show``
and ``kb import|search``.

Who acts is the connection (the PostgreSQL login) or, on SQLite, the configured agent; the
services' role checks apply. Bad input is exit status 2 with one line saying what to change.
"""

from __future__ import annotations

import argparse
import uuid
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from agentdesk.cli.common import (
    EXIT_OK,
    CliError,
    cell,
    open_database,
    print_json,
    print_table,
)
from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import CaseChannel, CasePriority, CaseStatus

CASE_COLUMNS = ("number", "status", "priority", "owner", "team", "resolution_due", "subject")


def add_service_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    def json_flag(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    case = sub.add_parser("case", help="service cases", parents=[common])
    c_sub = case.add_subparsers(dest="case_command", metavar="ACTION", required=True)
    create = json_flag(c_sub.add_parser("create", help="open a case", parents=[common]))
    create.add_argument("--contact", required=True, metavar="ID", help="the contact's id")
    create.add_argument("--account", metavar="ID", help="the account (else the contact's)")
    create.add_argument("--subject", required=True, metavar="TEXT")
    create.add_argument("--description", metavar="TEXT")
    create.add_argument("--priority", default="normal", choices=[p.value for p in CasePriority])
    create.add_argument("--category", metavar="C")
    create.add_argument("--channel", choices=[c.value for c in CaseChannel])
    create.add_argument("--product", metavar="TEXT")
    create.add_argument("--team", metavar="TEAM", help="put it in this team's queue")
    create.add_argument(
        "--opened-at", metavar="ISO", help="when it was opened (a case from another system)"
    )
    lst = json_flag(c_sub.add_parser("list", help="open cases you work", parents=[common]))
    lst.add_argument("--mine", action="store_true", help="only the cases you own")
    lst.add_argument("--breached", action="store_true", help="only those past a target")
    set_ = json_flag(c_sub.add_parser("set", help="change a case's status or service-level "
                                      "details", parents=[common]))  # fmt: skip
    set_.add_argument("number")
    set_.add_argument("--status", choices=[s.value for s in CaseStatus])
    set_.add_argument("--resolution", metavar="TEXT")
    set_.add_argument("--priority", choices=[p.value for p in CasePriority],
                      help="the due times are counted again")  # fmt: skip
    set_.add_argument("--category", metavar="C", help="'' clears it; due times counted again")
    set_.add_argument("--account", metavar="ID", help="the customer; due times counted again")
    esc = json_flag(c_sub.add_parser("escalate", help="flag breaches, escalate near ones",
                                     parents=[common]))  # fmt: skip
    esc.add_argument("--at", metavar="ISO", help="as of this time (default: now)")

    hours = sub.add_parser("business-hours", help="the service desk's calendar", parents=[common])
    h_sub = hours.add_subparsers(dest="hours_command", metavar="ACTION", required=True)
    imp = json_flag(h_sub.add_parser("import", help="replace it from a TOML file",
                                     parents=[common]))  # fmt: skip
    imp.add_argument("file", type=Path)
    json_flag(h_sub.add_parser("show", help="the calendar in use", parents=[common]))

    kb = sub.add_parser("kb", help="the knowledge base", parents=[common])
    k_sub = kb.add_subparsers(dest="kb_command", metavar="ACTION", required=True)
    k_imp = json_flag(k_sub.add_parser("import", help="publish Markdown or CSV articles",
                                       parents=[common]))  # fmt: skip
    k_imp.add_argument("paths", nargs="+", type=Path, metavar="FILE_OR_FOLDER")
    find = json_flag(k_sub.add_parser("search", help="find articles", parents=[common]))
    find.add_argument("query")
    find.add_argument("--limit", type=int, default=20, metavar="N")


def service_zone(settings: Settings) -> str:
    """``[service] timezone`` of the config, else the machine's zone."""
    from agentdesk.service.calendar import default_zone

    section = settings.raw.get("service", {})
    configured = section.get("timezone") if isinstance(section, dict) else None
    if configured is not None and not isinstance(configured, str):
        raise CliError("[service] timezone must be a zone name such as Asia/Shanghai")
    try:
        return default_zone(configured)
    except ValueError as exc:
        raise CliError(f"[service] timezone: {exc}") from None


def parse_instant(text: str, what: str) -> datetime:
    try:
        value = datetime.fromisoformat(text)
    except ValueError:
        raise CliError(f"{what} {text!r} is not an ISO time (2026-12-01T09:30+08:00)") from None
    if value.tzinfo is None:
        raise CliError(f"{what} {text!r} needs its offset (2026-12-01T09:30+08:00)")
    return value.astimezone(UTC)


def _uuid(text: str | None, what: str) -> uuid.UUID | None:
    if text is None:
        return None
    try:
        return uuid.UUID(text)
    except ValueError:
        raise CliError(f"{what} {text!r} is not a record id") from None


def cmd_case(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.service import case_desk
    from agentdesk.service.cases import CaseSpec, create_case
    from agentdesk.service.escalation import escalate_due_cases

    zone = service_zone(settings)
    agent = settings.agent.username
    result: Any
    spec = None
    if args.case_command == "create":
        spec = CaseSpec(
            subject=args.subject,
            contact_id=_uuid(args.contact, "contact"),
            account_id=_uuid(args.account, "account"),
            description=args.description,
            priority=CasePriority(args.priority),
            category=args.category,
            channel=CaseChannel(args.channel) if args.channel else None,
            product=args.product,
            team=args.team,
            opened_at=parse_instant(args.opened_at, "--opened-at") if args.opened_at else None,
        )
    details = args.case_command == "set" and (
        args.priority is not None or args.category is not None or args.account is not None
    )
    if args.case_command == "set" and args.status is None and not details:
        raise CliError("case set needs --status, --priority, --category or --account")
    if args.case_command == "set" and args.resolution is not None and args.status is None:
        raise CliError("--resolution goes with --status")
    account = _uuid(args.account, "--account") if details else None
    at = parse_instant(args.at, "--at") if getattr(args, "at", None) else None
    db = open_database(args, settings)
    try:
        match args.case_command:
            case "create":
                assert spec is not None
                result = create_case(db.sessions, spec, agent=agent, default_zone=zone).to_json()
            case "list":
                rows = case_desk.list_cases(
                    db.sessions, agent=agent, mine=args.mine, breached=args.breached
                )
                result = [row.to_json() for row in rows]
            case "set":
                result = _set_case(db.sessions, args, agent, zone, account)
            case _:
                done = escalate_due_cases(db.sessions, default_zone=zone, agent=agent, now=at)
                result = [
                    {"number": e.number, "priority": e.priority.value, "reason": e.reason.value}
                    for e in done
                ]
    except RequestError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    if args.json:
        print_json(result)
    elif args.case_command in ("list", "escalate"):
        print_table(result, None if args.case_command == "escalate" else CASE_COLUMNS,
                    empty="no cases")  # fmt: skip
    else:
        print(
            f"case {result['number']} {result['status']} ({result['priority']}): first response "
            f"due {cell(result['first_response_due'])}, resolution due "
            f"{cell(result['resolution_due'])}"
        )
    return EXIT_OK


def _set_case(
    sessions: Any, args: argparse.Namespace, agent: str, zone: str, account: uuid.UUID | None
) -> dict[str, Any]:
    """The service-level details first, so a status move is timed against the new targets;
    each is its own transaction, so a refused status move leaves the details changed."""
    from agentdesk.service import case_work
    from agentdesk.service.case_details import KEEP, set_details

    view = None
    if args.priority is not None or args.category is not None or account is not None:
        view = set_details(
            sessions, args.number, agent=agent, default_zone=zone, account_id=account,
            priority=CasePriority(args.priority) if args.priority else None,
            category=KEEP if args.category is None else args.category,
        )  # fmt: skip
    if args.status is not None:
        view = case_work.set_status(
            sessions, args.number, CaseStatus(args.status), agent=agent,
            default_zone=zone, resolution=args.resolution,
        )  # fmt: skip
    assert view is not None
    return view.to_json()


def cmd_business_hours(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.service.calendar import calendar_json, import_calendar, load_calendar

    zone = service_zone(settings)
    text = None
    if args.hours_command == "import":
        try:
            text = args.file.read_text(encoding="utf-8-sig")
        except (OSError, UnicodeDecodeError) as exc:
            raise CliError(f"{args.file}: cannot read it ({exc})") from None
    db = open_database(args, settings)
    try:
        if text is not None:
            calendar = import_calendar(db.sessions, text, settings.agent.username)
        else:
            with db.sessions() as session:
                calendar = load_calendar(session, zone)
    except RequestError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    result = calendar_json(calendar)
    if args.json:
        print_json(result)
    else:
        days = ", ".join(f"{day} {span}" for day, span in result["hours"].items())
        print(f"{result['timezone']}: {days}; holidays: {', '.join(result['holidays']) or '-'}")
    return EXIT_OK


def cmd_kb(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.service.kb import import_articles, read_articles, search

    if args.kb_command == "search" and args.limit < 1:
        raise CliError("--limit must be at least 1")
    try:
        articles = read_articles(args.paths) if args.kb_command == "import" else []
    except RequestError as exc:
        raise CliError(str(exc)) from None
    db = open_database(args, settings)
    result: dict[str, Any]
    found: list[dict[str, Any]] = []
    try:
        if args.kb_command == "import":
            summary = import_articles(db.sessions, articles, settings.agent.username)
            result = dict(summary.to_json())
        else:
            found = [hit.to_json() for hit in search(db.sessions, args.query, args.limit)]
            result = {"results": found}
    except RequestError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    if args.json:
        print_json(result)
    elif args.kb_command == "import":
        print(f"articles added: {result['added']}, revised: {result['revised']}")
    else:
        rows = [{**hit, "snippet": _plain(hit["snippet"])} for hit in found]
        print_table(rows, ("score", "title", "topic", "snippet"), empty="no articles found")
    return EXIT_OK


def _plain(snippet: str) -> str:
    """A snippet for the terminal: the highlighted terms in brackets, no HTML."""
    import html

    return html.unescape(snippet.replace("<mark>", "[").replace("</mark>", "]"))
