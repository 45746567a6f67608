"""``agentdesk sla set|list|remove``: the service-level policies (configuration: needs
``manage_users``; every change audited). Durations are business time: ``90m``, ``2h``,
``1h30m``; ``1d`` is eight business hours."""

from __future__ import annotations

import argparse
import uuid
from typing import Any

from agentdesk.cli.common import EXIT_OK, CliError, open_database, print_json, print_table
from agentdesk.config.settings import Settings
from agentdesk.db.errors import RequestError
from agentdesk.domain.cases import Targets
from agentdesk.domain.enums import CasePriority

COLUMNS = ("id", "priority", "category", "customer", "first_response_minutes",
           "resolution_minutes")  # fmt: skip


def add_sla_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    sla = sub.add_parser("sla", help="service-level policies", parents=[common])
    s_sub = sla.add_subparsers(dest="sla_command", metavar="ACTION", required=True)
    set_ = s_sub.add_parser("set", help="add a policy or change its targets", parents=[common])
    set_.add_argument("--priority", choices=[p.value for p in CasePriority])
    set_.add_argument("--category", metavar="C")
    set_.add_argument("--customer", metavar="NAME_OR_ID", help="an account's name or id")
    set_.add_argument("--first-response", required=True, metavar="DURATION",
                      help="business time: 90m, 2h, 1h30m (1d = 8 business hours)")  # fmt: skip
    set_.add_argument("--resolution", required=True, metavar="DURATION")
    lst = s_sub.add_parser("list", help="the policies, most specific first", parents=[common])
    remove = s_sub.add_parser("remove", help="delete a policy", parents=[common])
    remove.add_argument("id")
    for p in (set_, lst, remove):
        p.add_argument("--json", action="store_true", help="machine-readable output")


def _duration(text: str, what: str) -> int:
    from agentdesk.domain.service_levels import parse_duration

    try:
        return parse_duration(text)
    except ValueError as exc:
        raise CliError(f"{what}: {exc}") from None


def cmd_sla(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.service import service_levels

    agent = settings.agent.username
    targets = None
    policy_id = None
    if args.sla_command == "set":
        targets = Targets(
            _duration(args.first_response, "--first-response"),
            _duration(args.resolution, "--resolution"),
        )
        if targets.first_response > targets.resolution:
            raise CliError("--first-response cannot be longer than --resolution")
    elif args.sla_command == "remove":
        try:
            policy_id = uuid.UUID(args.id)
        except ValueError:
            raise CliError(f"{args.id!r} is not a policy id (see agentdesk sla list)") from None
    result: Any
    db = open_database(args, settings)
    try:
        match args.sla_command:
            case "set":
                assert targets is not None
                result = service_levels.set_policy(
                    db.sessions, agent=agent, targets=targets, customer=args.customer,
                    priority=CasePriority(args.priority) if args.priority else None,
                    category=args.category,
                ).to_json()  # fmt: skip
            case "list":
                result = [p.to_json() for p in service_levels.list_policies(db.sessions)]
            case _:
                assert policy_id is not None
                result = service_levels.remove_policy(db.sessions, policy_id, agent=agent)
                result = result.to_json()
    except RequestError as exc:
        raise CliError(str(exc)) from None
    finally:
        db.dispose()
    if args.json:
        print_json(result)
    elif args.sla_command == "list":
        print_table(result, COLUMNS, empty="no policies: the defaults apply")
    else:
        print_table([result], COLUMNS)
    return EXIT_OK
