"""The ``demo-data`` command: fill a database with realistic fake records."""

from __future__ import annotations

import argparse
import time

from agentdesk.cli.common import EXIT_OK, CliError, open_database
from agentdesk.config.settings import Settings


def cmd_demo_data(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.demo.generate import generate

    if args.contacts < 0:
        raise CliError("--contacts must be 0 or more")
    db = open_database(args, settings)
    try:
        started = time.perf_counter()
        summary = generate(db.engine, args.contacts, seed=args.seed)
        elapsed = time.perf_counter() - started
    finally:
        db.dispose()
    print(f"{summary} in {elapsed:.1f} s")
    return EXIT_OK
