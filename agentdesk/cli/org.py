"""The organisation commands: ``user``, ``team``, ``role``, ``disposition`` and the ownership
operations ``assign``, ``share``, ``transfer`` and ``batch-update``.

Who acts is the database connection: on PostgreSQL the login (the owner's connection may do
everything), on SQLite the file's owner.
"""

from __future__ import annotations

import argparse
import getpass
import sys
import uuid
from typing import Any, Protocol, runtime_checkable

from agentdesk.cli.common import (
    EXIT_OK,
    CliError,
    print_fields,
    print_json,
    print_table,
    with_database,
)
from agentdesk.config.settings import Settings


def add_org_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    def json_flag(p: argparse.ArgumentParser) -> argparse.ArgumentParser:
        p.add_argument("--json", action="store_true", help="machine-readable output")
        return p

    user = sub.add_parser("user", help="users and their logins", parents=[common])
    u_sub = user.add_subparsers(dest="user_command", metavar="ACTION", required=True)
    add = json_flag(u_sub.add_parser("add", help="create a user", parents=[common]))
    add.add_argument("username")
    add.add_argument("--name", required=True, help="the name people see")
    roles = "agent, supervisor, sales_rep, sales_manager, service_agent or admin"
    add.add_argument("--role", required=True, metavar="ROLE", help=roles)
    add.add_argument("--team", metavar="TEAM", help="team (a manager's: their department)")
    add.add_argument("--extension", metavar="EXT", help="SIP extension")
    add.add_argument("--email", metavar="E")
    json_flag(u_sub.add_parser("list", help="list users", parents=[common]))
    set_ = json_flag(u_sub.add_parser("set", help="change a user", parents=[common]))
    set_.add_argument("username")
    set_.add_argument("--role", metavar="ROLE")
    set_.add_argument("--team", metavar="TEAM", help="a team name, or '' for none")
    set_.add_argument("--active", choices=("true", "false"))
    set_.add_argument("--name")
    password = u_sub.add_parser("password", help="set a user's database password",
                                parents=[common])  # fmt: skip
    password.add_argument("username")
    password.add_argument("--password-stdin", action="store_true",
                          help="read the password from one line of standard input")  # fmt: skip
    json_flag(u_sub.add_parser("logins", help="create PostgreSQL logins for users without one",
                               parents=[common]))  # fmt: skip

    team = sub.add_parser("team", help="teams and departments", parents=[common])
    t_sub = team.add_subparsers(dest="team_command", metavar="ACTION", required=True)
    t_add = json_flag(t_sub.add_parser("add", help="create a team", parents=[common]))
    t_add.add_argument("name")
    t_add.add_argument("--parent", metavar="TEAM", help="the department it belongs to")
    json_flag(t_sub.add_parser("list", help="list teams", parents=[common]))

    role = sub.add_parser("role", help="what each role may do", parents=[common])
    r_sub = role.add_subparsers(dest="role_command", metavar="ACTION", required=True)
    show = json_flag(r_sub.add_parser("show", help="a role's permissions", parents=[common]))
    show.add_argument("role")
    r_set = json_flag(r_sub.add_parser("set", help="set one permission", parents=[common]))
    for name, hint in (("role", "ROLE"), ("kind", "KIND"), ("action", "ACTION"),
                       ("depth", "none, own, team, department or all")):  # fmt: skip
        r_set.add_argument(name, metavar=name.upper(), help=hint)
    for verb in ("grant", "revoke"):
        cap = json_flag(r_sub.add_parser(verb, help=f"{verb} a capability", parents=[common]))
        cap.add_argument("role")
        cap.add_argument("capability")

    disp = sub.add_parser("disposition", help="wrap-up codes", parents=[common])
    d_sub = disp.add_subparsers(dest="disposition_command", metavar="ACTION", required=True)
    d_add = json_flag(d_sub.add_parser("add", help="add a wrap-up code", parents=[common]))
    d_add.add_argument("code")
    d_add.add_argument("--label", required=True)
    d_add.add_argument("--label-zh", metavar="TEXT", help="the label in Chinese")
    for flag, hint in (("success", "counts as a success"), ("contact", "counts as a contact"),
                       ("callback", "asks for a callback time"), ("final", "ends the entry"),
                       ("dnc", "adds the number to the do-not-call list")):  # fmt: skip
        d_add.add_argument(f"--{flag}", action="store_true", help=hint)
    json_flag(d_sub.add_parser("list", help="list wrap-up codes", parents=[common]))

    assign = json_flag(sub.add_parser("assign", help="give records to a user", parents=[common]))
    assign.add_argument("kind", metavar="KIND", help="accounts, contacts, leads, ...")
    assign.add_argument("--to", required=True, metavar="USER")
    assign.add_argument("--id", dest="ids", nargs="+", required=True, metavar="ID")
    share = json_flag(sub.add_parser("share", help="share a record with a colleague",
                                     parents=[common]))  # fmt: skip
    share.add_argument("kind", metavar="KIND")
    share.add_argument("id", metavar="ID")
    share.add_argument("--with", dest="with_user", required=True, metavar="USER")
    share.add_argument("--write", action="store_true", help="may also change it")
    transfer = json_flag(sub.add_parser("transfer", help="move everything one user owns",
                                        parents=[common]))  # fmt: skip
    transfer.add_argument("--from", dest="from_user", required=True, metavar="USER")
    transfer.add_argument("--to", dest="to_user", required=True, metavar="USER")
    batch_help = "set one field to one value over a selection"
    batch = json_flag(sub.add_parser("batch-update", help=batch_help, parents=[common]))
    batch.add_argument("kind", metavar="KIND", help="accounts, contacts, leads")
    batch.add_argument("--set", dest="assignment", required=True, metavar="FIELD=VALUE",
                       help="an empty VALUE clears the field")  # fmt: skip
    batch.add_argument("--id", dest="ids", nargs="+", required=True, metavar="ID")


def _uuid(text: str) -> uuid.UUID:
    try:
        return uuid.UUID(text)
    except ValueError:
        raise CliError(f"not a record id: {text!r}") from None


def _flag(text: str | None) -> bool | None:
    return None if text is None else text == "true"


def _read_password(args: argparse.Namespace) -> str:
    if args.password_stdin:
        return sys.stdin.readline().removesuffix("\n").removesuffix("\r")
    if not sys.stdin.isatty():
        raise CliError("no terminal to ask the password on: use --password-stdin")
    first = getpass.getpass(f"New password for {args.username}: ")
    if getpass.getpass("Again: ") != first:
        raise CliError("the two passwords differ; nothing changed")
    return first


def _user(args: argparse.Namespace, s: Any) -> Any:
    from agentdesk.org import admin

    match args.user_command:
        case "add":
            return admin.add_user(
                s, args.username, name=args.name, role=args.role, team=args.team,
                extension=args.extension, email=args.email,
            )  # fmt: skip
        case "list":
            return admin.list_users(s)
        case "set":
            team = {} if args.team is None else {"team": args.team or None}
            return admin.set_user(
                s, args.username, role=args.role, active=_flag(args.active), name=args.name,
                **team,
            )  # fmt: skip
        case "password":
            admin.set_password(s, args.username, _read_password(args))
            return {"username": args.username, "password": "set"}
        case _:
            return {"synced": admin.create_logins(s)}


def _run(args: argparse.Namespace, db: Any) -> Any:
    from agentdesk.calls import disposition_admin
    from agentdesk.crm import ownership
    from agentdesk.org import admin, roles

    s = db.sessions
    match args.command:
        case "user":
            return _user(args, s)
        case "team":
            if args.team_command == "add":
                return admin.add_team(s, args.name, parent=args.parent)
            return admin.list_teams(s)
        case "role":
            match args.role_command:
                case "show":
                    return roles.show_role(s, args.role)
                case "set":
                    return roles.set_permission(s, args.role, args.kind, args.action, args.depth)
                case verb:
                    return roles.set_capability(s, args.role, args.capability, verb == "grant")
        case "disposition":
            if args.disposition_command == "list":
                return disposition_admin.list_dispositions(s)
            return disposition_admin.add_disposition(
                s, args.code, label=args.label, label_zh=args.label_zh, success=args.success,
                contact=args.contact, callback=args.callback, final=args.final, dnc=args.dnc,
            )  # fmt: skip
        case "assign":
            ids = [_uuid(i) for i in args.ids]
            return {"assigned": ownership.assign(s, args.kind, ids, args.to), "to": args.to}
        case "share":
            ownership.share(s, args.kind, _uuid(args.id), args.with_user, write=args.write)
            return {"shared": args.id, "with": args.with_user, "write": args.write}
        case "batch-update":
            field, equals, value = args.assignment.partition("=")
            if not equals or not field.strip():
                raise CliError(f"--set takes FIELD=VALUE, not {args.assignment!r}")
            ids = [_uuid(i) for i in args.ids]
            count = ownership.batch_update(s, args.kind, ids, field.strip(), value or None)
            return {"updated": count, "field": field.strip(), "value": value or None}
        case _:
            return {"moved": ownership.transfer(s, args.from_user, args.to_user)}


@runtime_checkable
class _Json(Protocol):
    """The DTOs of org, roles and dispositions."""

    def to_json(self) -> dict[str, Any]: ...


def _jsonable(result: Any) -> Any:
    if isinstance(result, list):
        return [_jsonable(item) for item in result]
    return result.to_json() if isinstance(result, _Json) else result


def cmd_org(args: argparse.Namespace, settings: Settings) -> int:
    result = with_database(args, settings, lambda db: _jsonable(_run(args, db)))
    if getattr(args, "json", False):
        print_json(result)
    else:
        _print_human(result)
    return EXIT_OK


def _print_human(result: Any) -> None:
    """A table for lists of records, ``key: value`` lines for one record."""
    if isinstance(result, list):
        print_table(result)
    else:
        print_fields(result)
