from __future__ import annotations

from pathlib import Path

import pytest

from agentdesk.config.settings import (
    ConfigError,
    Settings,
    choose_database_url,
    load_settings,
    parse_settings,
)

FULL = """
[database]
url = "postgresql://agent@db.example/agentdesk"

[phone]
default_region = "cn"

[sip]
mode = "direct"
bind_address = "127.0.0.1"
port = 5070

[agent]
username = "li.na"
auto_answer_seconds = 0
wrapup_seconds = 30

[logging]
events_jsonl = "~/events.jsonl"
"""


def test_full_config_is_read(tmp_path: Path) -> None:
    path = tmp_path / "agentdesk.toml"
    path.write_text(FULL, encoding="utf-8")
    settings = load_settings(path)
    assert settings.source == path
    assert settings.database_url == "postgresql://agent@db.example/agentdesk"
    assert settings.default_region == "CN"
    assert settings.sip == {"mode": "direct", "bind_address": "127.0.0.1", "port": 5070}
    assert settings.agent.username == "li.na"
    assert settings.agent.auto_answer_seconds == 0.0
    assert settings.agent.wrapup_seconds == 30
    assert settings.logging.events_jsonl == Path("~/events.jsonl").expanduser()


def test_missing_default_file_gives_defaults(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CONFIG_HOME", str(tmp_path))
    monkeypatch.delenv("AGENTDESK_CONFIG", raising=False)
    settings = load_settings(None)
    assert settings == Settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("[phone]\ndefault_region = 'XX'", "not a known region"),
        ("[agent]\nwrapup_seconds = -1", "wrapup_seconds must be 0 or more"),
        ("[agent]\nwrapup_seconds = 'soon'", "wrapup_seconds must be int"),
        ("database = 3", "[database] must be a table"),
        ("[database\nurl=", "not valid TOML"),
    ],
)
def test_bad_config_is_a_clear_error(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "bad.toml"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(ConfigError, match=message.replace("[", r"\[").replace("]", r"\]")):
        load_settings(path)


def test_explicit_missing_file_is_an_error(tmp_path: Path) -> None:
    with pytest.raises(ConfigError, match="does not exist"):
        load_settings(tmp_path / "nope.toml")


def test_database_url_precedence(monkeypatch: pytest.MonkeyPatch) -> None:
    settings = parse_settings({"database": {"url": "sqlite:///from-config.db"}})
    monkeypatch.delenv("AGENTDESK_DB_URL", raising=False)
    assert choose_database_url(None, settings) == "sqlite:///from-config.db"
    monkeypatch.setenv("AGENTDESK_DB_URL", "sqlite:///from-env.db")
    assert choose_database_url(None, settings) == "sqlite:///from-env.db"
    assert choose_database_url("sqlite:///from-cli.db", settings) == "sqlite:///from-cli.db"
    assert choose_database_url(None, Settings()) == "sqlite:///from-env.db"
    monkeypatch.delenv("AGENTDESK_DB_URL")
    assert choose_database_url(None, Settings()) is None
