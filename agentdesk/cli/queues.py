"""``agentdesk queue add NAME NUMBER...``, ``queue list``, ``queue remove NAME`` and
``queue member add|remove QUEUE [USER...] [--team T]...``.

A queue names the numbers callers dial; a desk maps an inbound call's dialed number to its
queue, and the supervisors' figures are per queue. Changing queues needs ``manage_users``.
"""

from __future__ import annotations

import argparse
from typing import Any

from agentdesk.cli.common import (
    EXIT_OK,
    CliError,
    print_json,
    print_table,
    region_of,
    with_database,
)
from agentdesk.config.settings import Settings


def add_queue_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    queue = sub.add_parser("queue", help="queues: the numbers callers dial", parents=[common])
    q_sub = queue.add_subparsers(dest="queue_command", metavar="ACTION", required=True)
    add = q_sub.add_parser("add", help="create a queue or add numbers to it", parents=[common])
    add.add_argument("name")
    add.add_argument("numbers", nargs="+", metavar="NUMBER")
    add.add_argument("--region", metavar="CC", help="region for national numbers")
    add.add_argument("--service-seconds", type=float, metavar="S",
                     help="the service level threshold T (default 20)")  # fmt: skip
    add.add_argument("--short-abandon-seconds", type=float, metavar="S",
                     help="a caller gone before this is a short abandon (default 5)")  # fmt: skip
    add.add_argument("--agent", action="append", default=[], metavar="USER",
                     help="this agent serves the queue (repeatable)")  # fmt: skip
    add.add_argument("--team", action="append", default=[], metavar="T",
                     help="every agent of team T serves it (repeatable)")  # fmt: skip
    add.add_argument("--json", action="store_true", help="machine-readable output")
    lst = q_sub.add_parser("list", help="the queues and their numbers", parents=[common])
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    rm = q_sub.add_parser("remove", help="delete a queue (its figures stay)", parents=[common])
    rm.add_argument("name")
    rm.add_argument("--json", action="store_true", help="machine-readable output")
    member = q_sub.add_parser("member", help="who serves a queue", parents=[common])
    m_sub = member.add_subparsers(dest="member_command", metavar="ACTION", required=True)
    for action, text in (("add", "these agents and teams serve the queue"),
                         ("remove", "these agents and teams no longer serve it")):  # fmt: skip
        m = m_sub.add_parser(action, help=text, parents=[common])
        m.add_argument("name", metavar="QUEUE")
        m.add_argument("users", nargs="*", metavar="USER")
        m.add_argument("--team", action="append", default=[], metavar="T",
                       help="every agent of team T (repeatable)")  # fmt: skip
        m.add_argument("--json", action="store_true", help="machine-readable output")


def _thresholds(args: argparse.Namespace) -> Any:
    from agentdesk.domain.contact_metrics import Thresholds

    if args.service_seconds is None and args.short_abandon_seconds is None:
        return None
    try:
        return Thresholds(
            service_seconds=20.0 if args.service_seconds is None else args.service_seconds,
            short_abandon_seconds=5.0
            if args.short_abandon_seconds is None
            else args.short_abandon_seconds,
        )
    except ValueError as exc:
        raise CliError(str(exc)) from None


def _members(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.supervision.queue_members import add_members, remove_members

    change = add_members if args.member_command == "add" else remove_members
    agent = settings.agent.username
    view = with_database(
        args, settings,
        lambda db: change(db.sessions, args.name, args.users, args.team, agent=agent),
    )  # fmt: skip
    if args.json:
        print_json(view.to_json())
    else:
        served = [*view.members, *(f"team {t}" for t in view.teams)]
        print(f"queue {view.name}: {', '.join(served) or 'nobody named'}")
    return EXIT_OK


def cmd_queue(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.supervision.queue_members import attach
    from agentdesk.supervision.queues import add_queue, list_queues, remove_queue

    if args.queue_command == "member":
        return _members(args, settings)
    agent = settings.agent.username
    result: Any
    match args.queue_command:
        case "add":
            region = region_of(args, settings)
            limits = _thresholds(args)
            members = (
                (lambda session, queue: attach(session, queue, args.agent, args.team))
                if args.agent or args.team
                else None
            )
            view = with_database(
                args,
                settings,
                lambda db: add_queue(
                    db.sessions, args.name, args.numbers, region=region, agent=agent,
                    thresholds=limits, then=members,
                ),
            )  # fmt: skip
            result = view.to_json()
        case "list":
            result = [
                q.to_json()
                for q in with_database(args, settings, lambda db: list_queues(db.sessions))
            ]
        case _:
            with_database(
                args, settings, lambda db: remove_queue(db.sessions, args.name, agent=agent)
            )
            result = {"removed": args.name}
    if args.json:
        print_json(result)
    elif args.queue_command == "list":
        rows = [
            {**q, "numbers": " ".join(q["numbers"]),
             "members": " ".join([*q["members"], *(f"team:{t}" for t in q["teams"])])}
            for q in result
        ]  # fmt: skip
        print_table(rows, ("name", "numbers", "service_seconds", "short_abandon_seconds",
                           "members"), empty="no queues")  # fmt: skip
    elif args.queue_command == "add":
        served = [*result["members"], *(f"team {t}" for t in result["teams"])]
        print(f"queue {result['name']}: {' '.join(result['numbers'])}"
              + (f" (served by {', '.join(served)})" if served else ""))  # fmt: skip
    else:
        print(f"queue {args.name} removed")
    return EXIT_OK
