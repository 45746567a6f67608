"""The ``journal`` commands: what this computer keeps for the shared database, and applying it.

``journal status`` reads only the local file (it works while the database is away), and
names the other journal files on this computer that still hold changes (written for another
database address); ``journal replay`` connects and applies the waiting entries now, for an
admin who does not want to wait for the desk's next retry, and ``--from FILE`` applies such
another file's entries to this database (the server moved: the same data under a new address).
"""

from __future__ import annotations

import argparse
from pathlib import Path
from typing import Any

from agentdesk.cli.common import EXIT_OK, EXIT_PARTIAL, CliError, open_database, print_json
from agentdesk.config.settings import Settings


def add_journal_parsers(sub: Any, common: argparse.ArgumentParser) -> None:
    journal = sub.add_parser(
        "journal", help="changes kept on this computer for the database", parents=[common]
    )
    j_sub = journal.add_subparsers(dest="journal_command", metavar="ACTION", required=True)
    status = j_sub.add_parser("status", help="how many changes wait, since when", parents=[common])
    status.add_argument("--json", action="store_true", help="machine-readable output")
    replay = j_sub.add_parser("replay", help="apply the waiting changes now", parents=[common])
    replay.add_argument("--json", action="store_true", help="machine-readable output")
    replay.add_argument(
        "--from",
        dest="from_file",
        type=Path,
        metavar="FILE",
        help="another journal file (written for this database's old address) to apply here",
    )


def _journal_file(args: argparse.Namespace, settings: Settings) -> Path:
    from agentdesk.app.bootstrap import resolve_url
    from agentdesk.config.credentials import CredentialStore
    from agentdesk.config.settings import data_dir
    from agentdesk.db.engine import DatabaseUrlError, redacted
    from agentdesk.journal.files import journal_path

    try:
        url = resolve_url(getattr(args, "db", None), settings, CredentialStore())
    except DatabaseUrlError as exc:
        raise CliError(str(exc)) from None
    return journal_path(data_dir(), redacted(url))


def cmd_journal(args: argparse.Namespace, settings: Settings) -> int:
    if args.journal_command == "replay":
        return _replay(args, settings)
    return _status(args, settings)


def _status(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.journal.files import kept_elsewhere
    from agentdesk.journal.store import JournalStore

    path = _journal_file(args, settings)
    if not path.exists():
        data: dict[str, object] = {"pending": 0, "oldest": None, "last_error": None, "refused": 0}
    else:
        store = JournalStore(path)
        try:
            counts = store.counts()
        finally:
            store.close()
        data = {
            "pending": counts.pending,
            "oldest": counts.oldest.isoformat() if counts.oldest else None,
            "last_error": counts.last_error,
            "refused": counts.refused,
        }
    data["file"] = str(path)
    others = kept_elsewhere(path)
    data["others"] = [
        {"file": str(o.path), "database": o.database, "pending": o.pending} for o in others
    ]
    if args.json:
        print_json(data)
    else:
        print(f"pending:    {data['pending']}")
        print(f"oldest:     {data['oldest'] or '-'}")
        print(f"last error: {data['last_error'] or '-'}")
        print(f"refused:    {data['refused']}")
        print(f"file:       {path}")
        for other in others:
            print(
                f"also kept:  {other.pending} for {other.database or '?'} in {other.path} "
                "(agentdesk journal replay --from FILE applies them here)"
            )
    return EXIT_OK


def _replay(args: argparse.Namespace, settings: Settings) -> int:
    from agentdesk.journal.appliers import APPLIERS
    from agentdesk.journal.journal import Journal
    from agentdesk.journal.store import JournalStore

    path = args.from_file or _journal_file(args, settings)
    if not path.exists():
        raise CliError(f"no journal on this computer for this database ({path})")
    db = open_database(args, settings)
    store = JournalStore(path)
    try:
        journal = Journal(store, db.sessions, APPLIERS)
        report = journal.drain(force=True)
        status = journal.status()
    finally:
        store.close()
        db.dispose()
    data = {
        "applied": report.applied,
        "refused": report.refused,
        "pending": status.pending,
        "last_error": status.last_error,
    }
    if args.json:
        print_json(data)
    else:
        print(f"applied {report.applied}, refused {report.refused}, still waiting {status.pending}")
        if status.last_error:
            print(f"last error: {status.last_error}")
    return EXIT_OK if status.pending == 0 and report.refused == 0 else EXIT_PARTIAL
