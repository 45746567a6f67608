"""The ``db`` commands: schema migrations and the reference data every database needs."""

from __future__ import annotations

import argparse
from typing import Any

from agentdesk.cli.common import EXIT_OK, open_database
from agentdesk.config.settings import Settings


def cmd_db_upgrade(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.db import migrate

    db = open_database(args, settings, upgrade=True)
    try:
        _ensure_reference_data(db)
        print(f"database {db.display_url} is at schema {migrate.current_revision(db.engine)}")
    finally:
        db.dispose()
    return EXIT_OK


def _ensure_reference_data(db: Any) -> None:
    from agentdesk.demo.seed import ensure_default_dispositions

    with db.sessions.begin() as session:
        ensure_default_dispositions(session)
