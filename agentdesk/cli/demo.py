"""The ``demo-data`` command: fill a database with realistic fake records."""

from __future__ import annotations

import argparse
import time
from dataclasses import asdict

from agentdesk.cli.common import EXIT_OK, CliError, open_database, print_table
from agentdesk.config.settings import Settings


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.demo.generate import generate

    if args.contacts < 1:
        raise CliError("--contacts must be 1 or more")
    db = open_database(args, settings)
    try:
        started = time.perf_counter()
        summary = generate(db.engine, args.contacts, seed=args.seed)
        elapsed = time.perf_counter() - started
    finally:
        db.dispose()
    counts = asdict(summary)
    counts.pop("seconds")
    print(f"Demo data added in {elapsed:.1f} s:")
    print_table(
        [{"records": name.replace("_", " "), "added": f"{n:,}"} for name, n in counts.items()],
        indent="  ",
    )
    return EXIT_OK
