"""What the desktop window needs, built once at start-up and handed to the UI."""

from __future__ import annotations

import logging
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from sqlalchemy import func, select

from agentdesk.app.bootstrap import Database, DatabaseUnavailable, connect
from agentdesk.app.config import Settings
from agentdesk.crm.models import Account, Call, Contact, Lead

log = logging.getLogger(__name__)

FIRST_RUN_DEMO_CONTACTS = 300


class DesktopStartError(RuntimeError):
    """The desktop cannot start; the message is for the user."""


@dataclass(frozen=True)
class DeskSummary:
    """Counts shown on the start screen."""

    contacts: int
    accounts: int
    leads: int
    calls: int


@dataclass
class DesktopContext:
    """Services for the UI. Database work runs on ``executor``, never on the GUI thread."""

    settings: Settings
    database: Database
    first_run: bool
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=2, thread_name_prefix="db")
    )

    @property
    def database_label(self) -> str:
        return self.database.display_url

    def summary(self) -> DeskSummary:
        with self.database.sessions() as session:

            def count(model: type) -> int:
                return int(session.scalar(select(func.count()).select_from(model)) or 0)

            return DeskSummary(count(Contact), count(Account), count(Lead), count(Call))

    def close(self) -> None:
        self.executor.shutdown(wait=True, cancel_futures=True)
        self.database.dispose()


def start_desktop(cli_url: str | None, settings: Settings) -> DesktopContext:
    """Open (and on first run create and fill) the database for the window."""
    from agentdesk.crm.demo import generate
    from agentdesk.crm.seed import ensure_default_dispositions

    try:
        database, _credentials = connect(cli_url, settings)
    except DatabaseUnavailable as exc:
        raise DesktopStartError(str(exc)) from None
    with database.sessions.begin() as session:
        ensure_default_dispositions(session)
    first_run = database.created
    if first_run:
        # A newcomer should see a populated desk, not an empty grid.
        log.info("first run: adding %d demo contacts", FIRST_RUN_DEMO_CONTACTS)
        generate(database.engine, FIRST_RUN_DEMO_CONTACTS)
    return DesktopContext(settings=settings, database=database, first_run=first_run)
