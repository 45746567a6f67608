"""The TOML configuration file and where each setting comes from.

Precedence for the database: ``--db`` on the command line, then ``AGENTDESK_DB_URL``, then
``[database] url`` in the config file, then the embedded SQLite file in the user's data folder.
Secrets never live here: passwords go to the keyring (see :mod:`agentdesk.config.credentials`).
"""

from __future__ import annotations

import os
import tomllib
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import platformdirs

APP_NAME = "agentdesk"
ENV_DB_URL = "AGENTDESK_DB_URL"
ENV_CONFIG = "AGENTDESK_CONFIG"


class ConfigError(ValueError):
    """The configuration cannot be used; the message says which key and why."""


def data_dir() -> Path:
    return platformdirs.user_data_path(APP_NAME, appauthor=False)


def default_config_path() -> Path:
    return platformdirs.user_config_path(APP_NAME, appauthor=False) / "config.toml"


def default_database_path() -> Path:
    return data_dir() / "agentdesk.db"


@dataclass(frozen=True)
class AgentSettings:
    username: str = "agent"
    display_name: str | None = None
    auto_answer_seconds: float | None = None
    wrapup_seconds: int = 60


@dataclass(frozen=True)
class LoggingSettings:
    level: str = "INFO"
    events_jsonl: Path | None = None


UI_LANGUAGES = ("en", "zh_CN")
"""What ``[ui] language`` accepts besides ``"system"`` (the default: follow the OS locale)."""


@dataclass(frozen=True)
class UiSettings:
    language: str | None = None
    """``None``: the system locale's language when there is a catalogue for it, else English."""


@dataclass(frozen=True)
class Settings:
    """Everything read from the config file (and the environment), already validated."""

    source: Path | None = None
    database_url: str | None = None
    default_region: str = "US"
    agent: AgentSettings = field(default_factory=AgentSettings)
    logging: LoggingSettings = field(default_factory=LoggingSettings)
    sip: dict[str, Any] = field(default_factory=dict)
    ui: UiSettings = field(default_factory=UiSettings)
    raw: dict[str, Any] = field(default_factory=dict)

    @property
    def service_timezone(self) -> str | None:
        """``[service] timezone``: the zone of the service desk's office hours until a
        calendar is imported (``service.calendar.default_zone`` checks the name)."""
        section = self.raw.get("service")
        value = section.get("timezone") if isinstance(section, dict) else None
        return value if isinstance(value, str) else None


def _table(doc: dict[str, Any], name: str) -> dict[str, Any]:
    value = doc.get(name, {})
    if not isinstance(value, dict):
        raise ConfigError(f"[{name}] must be a table")
    return value


def _get(table: dict[str, Any], section: str, key: str, kind: type | tuple[type, ...]) -> Any:
    value = table.get(key)
    if value is not None and not isinstance(value, kind):
        names = kind.__name__ if isinstance(kind, type) else " or ".join(k.__name__ for k in kind)
        raise ConfigError(f"[{section}] {key} must be {names}, not {type(value).__name__}")
    return value


def parse_settings(doc: dict[str, Any], source: Path | None = None) -> Settings:
    """Validate a parsed TOML document into :class:`Settings`."""
    from agentdesk.domain.phone import is_region

    database = _table(doc, "database")
    phone = _table(doc, "phone")
    agent = _table(doc, "agent")
    logging_ = _table(doc, "logging")
    sip = _table(doc, "sip")
    ui = _table(doc, "ui")

    region = _get(phone, "phone", "default_region", str) or "US"
    if not is_region(region):
        raise ConfigError(f"[phone] default_region {region!r} is not a known region code")
    wrapup = _get(agent, "agent", "wrapup_seconds", int)
    if wrapup is not None and wrapup < 0:
        raise ConfigError("[agent] wrapup_seconds must be 0 or more")
    auto_answer = _get(agent, "agent", "auto_answer_seconds", (int, float))
    if auto_answer is not None and auto_answer < 0:
        raise ConfigError("[agent] auto_answer_seconds must be 0 or more")
    events = _get(logging_, "logging", "events_jsonl", str)
    language = _get(ui, "ui", "language", str)
    if language is not None and language != "system" and language not in UI_LANGUAGES:
        known = ", ".join(("system", *UI_LANGUAGES))
        raise ConfigError(f"[ui] language {language!r} is not one of {known}")
    return Settings(
        source=source,
        database_url=_get(database, "database", "url", str),
        default_region=region.upper(),
        agent=AgentSettings(
            username=_get(agent, "agent", "username", str) or "agent",
            display_name=_get(agent, "agent", "display_name", str),
            auto_answer_seconds=float(auto_answer) if auto_answer is not None else None,
            wrapup_seconds=60 if wrapup is None else wrapup,
        ),
        logging=LoggingSettings(
            level=(_get(logging_, "logging", "level", str) or "INFO").upper(),
            events_jsonl=Path(events).expanduser() if events else None,
        ),
        sip=dict(sip),
        ui=UiSettings(language=None if language in (None, "system") else language),
        raw=doc,
    )


def load_settings(path: Path | None = None) -> Settings:
    """Read ``path`` (or ``$AGENTDESK_CONFIG``, or the default file if it exists)."""
    explicit = path or (Path(os.environ[ENV_CONFIG]) if os.environ.get(ENV_CONFIG) else None)
    candidate = explicit or default_config_path()
    if not candidate.exists():
        if explicit is not None:
            raise ConfigError(f"config file {candidate} does not exist")
        return Settings()
    try:
        with candidate.open("rb") as fh:
            doc = tomllib.load(fh)
    except tomllib.TOMLDecodeError as exc:
        raise ConfigError(f"config file {candidate} is not valid TOML: {exc}") from exc
    except OSError as exc:
        raise ConfigError(f"cannot read config file {candidate}: {exc.strerror}") from exc
    return parse_settings(doc, candidate)


def choose_database_url(cli_url: str | None, settings: Settings) -> str | None:
    """The URL to use, by precedence; ``None`` means the embedded default."""
    return cli_url or os.environ.get(ENV_DB_URL) or settings.database_url
