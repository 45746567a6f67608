"""What the desktop window needs, built once at start-up and handed to the UI."""

from __future__ import annotations

import asyncio
import enum
import logging
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from agentdesk.app.bootstrap import Database, DatabaseUnavailable, connect
from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.core import DeskServices
from agentdesk.app.dialer.session import DialerSession
from agentdesk.app.dialer.views import DEFAULT_PREVIEW_SECONDS
from agentdesk.app.event_log import EventLog
from agentdesk.app.identity import NotADeskUser, desk_identity
from agentdesk.app.presence import PresencePublisher
from agentdesk.app.records import RecordService
from agentdesk.app.sip_setup import SoftphoneStack, sip_config, sip_password
from agentdesk.calls.callbacks import CallbackService
from agentdesk.calls.log import CallLog
from agentdesk.config.credentials import CredentialStore
from agentdesk.config.settings import ConfigError, Settings, data_dir, default_config_path
from agentdesk.crm.counts import RecordCounts, record_counts
from agentdesk.crm.lookup.caller import CallerLookup
from agentdesk.crm.search import ContactSearch
from agentdesk.dialer.campaigns import DialerError, create_campaign
from agentdesk.dialer.loader import ContactQuery, fill_from_contacts
from agentdesk.journal.appliers import APPLIERS
from agentdesk.journal.files import journal_path
from agentdesk.journal.journal import Journal
from agentdesk.journal.store import JournalStore
from agentdesk.service.calendar import default_zone
from agentdesk.supervision.queues import queue_name_for
from agentdesk.telephony.port import SipConfig, Softphone

PhoneFactory = Callable[[SipConfig], Softphone]

log = logging.getLogger(__name__)

FIRST_RUN_DEMO_CONTACTS = 300
DB_WORKERS = 2
JOURNAL_DRAIN_S = 5.0
"""How long a closing desk waits for its journal to drain before keeping the rest."""
"""Threads of the desk's database executor."""
DEMO_CAMPAIGN = "Demo renewals"
DEMO_SCRIPT = (
    "Hello {first_name}, this is {agent_name} from AgentDesk.\n\n"
    "I am calling about {company}'s service contract, which is up for renewal this quarter. "
    "Do you have two minutes to hear what changes for your team in {city}?\n\n"
    "If yes: walk through the three renewal options. If busy: offer a callback time."
)


class StartProblem(enum.StrEnum):
    """Why the desktop cannot start, so the window's dialog can say what to check."""

    CONFIG = "config"
    """A setting in the configuration file is wrong (the message names it)."""
    DATABASE_URL = "database_url"
    DATABASE_SERVER = "database_server"
    """The database server cannot be reached or refuses the connection."""
    DATABASE_FILE = "database_file"
    """The embedded SQLite file cannot be opened or created."""
    DATABASE_SCHEMA = "database_schema"
    """A shared database is at an older schema: its admin runs ``agentdesk db upgrade``."""
    DATABASE_LOGIN = "database_login"
    """The server wants this user's password (or refused it), or the login is no user."""


class DesktopStartError(RuntimeError):
    """The desktop cannot start; the message is for the user, ``problem`` says what to check
    and ``config_path`` is the configuration file the settings come from (or would)."""

    def __init__(
        self, message: str, problem: StartProblem, config_path: Path, login: str | None = None
    ) -> None:
        super().__init__(message)
        self.problem = problem
        self.config_path = config_path
        self.login = login
        """Who connects where (``user@host:port/db``) when a password would let them in."""


def _database_problem(error: DatabaseUnavailable) -> StartProblem:
    match error.kind:
        case "url":
            return StartProblem.DATABASE_URL
        case "schema":
            return StartProblem.DATABASE_SCHEMA
        case "login":
            return StartProblem.DATABASE_LOGIN
        case _:
            return StartProblem.DATABASE_FILE if error.embedded else StartProblem.DATABASE_SERVER


DeskSummary = RecordCounts
"""Counts shown on the start screen."""


@dataclass
class DesktopContext:
    """Services for the UI. Database work runs on ``executor``, never on the GUI thread."""

    settings: Settings
    database: Database
    first_run: bool
    credentials: CredentialStore = field(default_factory=CredentialStore)
    phone_factory: PhoneFactory | None = None
    executor: ThreadPoolExecutor = field(
        default_factory=lambda: ThreadPoolExecutor(max_workers=DB_WORKERS, thread_name_prefix="db")
    )
    services: DeskServices = field(init=False)
    agent_id: object = None
    controller: DeskController | None = None
    dialer: DialerSession | None = None
    presence: PresencePublisher | None = None
    dialer_preview_seconds: float = DEFAULT_PREVIEW_SECONDS
    _stack: SoftphoneStack | None = None
    _phone: Softphone | None = None

    def __post_init__(self) -> None:
        sessions = self.database.sessions
        region = self.settings.default_region
        self.services = DeskServices(
            lookup=CallerLookup(sessions, region),
            calls=CallLog(sessions),
            callbacks=CallbackService(sessions),
            search=ContactSearch(sessions, region),
            records=RecordService(sessions, region),
            journal=open_journal(self.database),
            queue_name=partial(queue_name_for, sessions),
            service_zone=default_zone(self.settings.service_timezone),
        )

    agent_name: str = ""
    """The desk's user: the database login on PostgreSQL (``app/identity.py``)."""

    @property
    def agent(self) -> str:
        return self.agent_name or self.settings.agent.username

    def build_controller(self, loop: asyncio.AbstractEventLoop) -> DeskController:
        """The softphone and the desk controller on ``loop`` (the GUI thread's)."""
        if self.controller is not None:
            return self.controller
        config = sip_config(self.settings)
        if self.phone_factory is not None:
            self._phone = self.phone_factory(config)
        else:
            self._stack = SoftphoneStack(config)
            self._phone = self._stack.phone
        agent = self.settings.agent
        self.controller = DeskController(
            self._phone,
            self.services,
            loop=loop,
            executor=self.executor,
            agent=self.agent,
            default_region=self.settings.default_region,
            wrapup_seconds=agent.wrapup_seconds,
            auto_answer_seconds=agent.auto_answer_seconds,
            event_log=EventLog(self.settings.logging.events_jsonl),
            register_password=(
                sip_password(self.credentials, config) if config.mode == "register" else None
            ),
        )
        self.presence = PresencePublisher(
            self.controller, self.database.sessions, self.executor, loop, self.agent
        )
        self.presence.start()
        self.dialer = DialerSession(
            self.controller,
            self.database.sessions,
            loop=loop,
            executor=self.executor,
            agent=self.agent,
            preview_seconds=self.dialer_preview_seconds,
        )
        return self.controller

    def summary(self) -> DeskSummary:
        """The start screen's counts (blocking: run it on the executor)."""
        return record_counts(self.database.sessions)

    def audio_devices(self) -> tuple[list[str], list[str]]:
        """(microphones, speakers) as the OS names them; empty with a test phone. Blocking."""
        if self._stack is None:
            return [], []
        devices = self._stack.engine.audio_devices().result(timeout=10)
        return (
            [d.name for d in devices if d.inputs > 0],
            [d.name for d in devices if d.outputs > 0],
        )

    def test_call(self) -> str:
        """Help > Test call (blocking: run it on the executor); the result in words."""
        from agentdesk.app.phone_check import run_test_call

        if self._stack is None:
            return "the test call needs the real SIP stack (this desk runs a test phone)"
        return run_test_call(self._stack.engine, sip_config(self.settings)).message

    def close(self) -> int:
        """Close the phone (hangs up, unregisters), flush database work, dispose the engine.

        The journal gets a bounded time to drain; returns how many changes stay kept in it for
        the next start (the database being unreachable).
        """
        if self.presence is not None:
            self.presence.stop()
        if self._stack is not None:
            self._stack.close()
            self._stack = None
        elif self._phone is not None:
            self._phone.close()
        self._phone = None
        self.executor.shutdown(wait=True, cancel_futures=False)
        journal = self.services.journal
        kept = journal.drain_for(JOURNAL_DRAIN_S).pending
        journal.store.close()
        if kept:
            log.warning(
                "%d changes are kept on this computer (%s): the database could not be "
                "reached; they are applied at the next start",
                kept,
                journal.store.path,
            )
        self.services.lookup.close()  # its pinned connections are not the pool's to close
        self.database.dispose()
        return kept


def open_journal(database: Database) -> Journal:
    """The desk's journal for ``database``, in the user's data directory."""
    store = JournalStore(journal_path(data_dir(), database.display_url), database.display_url)
    return Journal(store, database.sessions, APPLIERS)


def start_desktop(
    cli_url: str | None,
    settings: Settings,
    *,
    phone_factory: PhoneFactory | None = None,
    password: str | None = None,
) -> DesktopContext:
    """Open (and on first run create and fill) the database for the window.

    ``phone_factory`` replaces the pjsua2 softphone (tests pass a fake); ``password`` is the
    database login's, asked when the server refused the start without it
    (:attr:`StartProblem.DATABASE_LOGIN`); it is kept in the keyring once accepted.
    """
    from agentdesk.demo.first_day import add_first_day
    from agentdesk.demo.generate import generate
    from agentdesk.demo.seed import ensure_default_dispositions

    config_path = settings.source or default_config_path()
    try:
        sip_config(settings)  # a bad [sip] table stops the start with a clear message
    except ConfigError as exc:
        raise DesktopStartError(str(exc), StartProblem.CONFIG, config_path) from None
    try:
        database, credentials = connect(cli_url, settings, password=password)
    except DatabaseUnavailable as exc:
        raise DesktopStartError(str(exc), _database_problem(exc), config_path, exc.login) from None
    agent = settings.agent
    try:
        identity = desk_identity(database.sessions, agent.username, agent.display_name)
    except NotADeskUser as exc:
        database.dispose()
        raise DesktopStartError(str(exc), StartProblem.DATABASE_LOGIN, config_path) from None
    if identity.is_owner:  # a desk login may not write reference data; its admin seeded it
        with database.sessions.begin() as session:
            ensure_default_dispositions(session)
    first_run = database.created
    if first_run:
        # A newcomer should see a populated desk, not an empty grid.
        log.info("first run: adding %d demo contacts", FIRST_RUN_DEMO_CONTACTS)
        generate(database.engine, FIRST_RUN_DEMO_CONTACTS)
    context = DesktopContext(
        settings=settings,
        database=database,
        first_run=first_run,
        credentials=credentials,
        phone_factory=phone_factory,
    )
    context.agent_name = identity.username
    context.agent_id = identity.user_id
    if first_run:
        add_demo_campaign(database, identity.username)
        # The generated activity belongs to the demo agents: the newcomer's own lists would
        # be empty, so they get a day under way (callbacks due, calls already made).
        add_first_day(database.sessions, identity.username)
    return context


def add_demo_campaign(database: Database, agent: str) -> None:
    """A preview campaign over the demo contacts, assigned to ``agent`` (who must exist).

    Default calling window (08:00-21:00 callee time), so outside those hours in every demo
    country the dialer panel shows why nothing is dialable, which is part of the demo.
    """
    try:
        create_campaign(
            database.sessions, DEMO_CAMPAIGN, mode="preview", script=DEMO_SCRIPT, agents=[agent]
        )
    except DialerError as exc:  # already there (a re-run on the same file)
        log.info("demo campaign not added: %s", exc)
        return
    result = fill_from_contacts(database.sessions, DEMO_CAMPAIGN, ContactQuery(), actor=agent)
    log.info("demo campaign %r: %d entries", DEMO_CAMPAIGN, result.imported)
