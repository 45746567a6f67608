"""``agentdesk queue add NAME NUMBER...``, ``queue list`` and ``queue remove NAME``.

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
    add.add_argument("--json", action="store_true", help="machine-readable output")
    lst = q_sub.add_parser("list", help="the queues and their numbers", parents=[common])
    lst.add_argument("--json", action="store_true", help="machine-readable output")
    rm = q_sub.add_parser("remove", help="delete a queue (its figures stay)", parents=[common])
    rm.add_argument("name")
    rm.add_argument("--json", action="store_true", help="machine-readable output")


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


def cmd_queue(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.supervision.queues import add_queue, list_queues, remove_queue

    agent = settings.agent.username
    result: Any
    match args.queue_command:
        case "add":
            region = region_of(args, settings)
            limits = _thresholds(args)
            view = with_database(
                args,
                settings,
                lambda db: add_queue(
                    db.sessions, args.name, args.numbers, region=region, agent=agent,
                    thresholds=limits,
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
        rows = [{**q, "numbers": " ".join(q["numbers"])} for q in result]
        print_table(rows, ("name", "numbers", "service_seconds", "short_abandon_seconds"),
                    empty="no queues")  # fmt: skip
    elif args.queue_command == "add":
        print(f"queue {result['name']}: {' '.join(result['numbers'])}")
    else:
        print(f"queue {args.name} removed")
    return EXIT_OK
