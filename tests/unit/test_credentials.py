from __future__ import annotations

import logging

import keyring
import pytest
from keyring.backends.fail import Keyring as FailKeyring

from agentdesk.app.bootstrap import resolve_url
from agentdesk.config.credentials import DB_SERVICE, CredentialStore, db_key
from agentdesk.config.settings import parse_settings
from agentdesk.db.engine import normalize_url, redacted
from tests.support.memory_keyring import MemoryKeyring

URL = "postgresql://agent:s3cr3t-pw@db.example:5433/crm"


def test_password_in_url_goes_to_keyring(memory_keyring: MemoryKeyring) -> None:
    store = CredentialStore()
    url = store.strip_db_password(normalize_url(URL))
    assert url.password is None
    assert "s3cr3t-pw" not in url.render_as_string(hide_password=False)
    assert memory_keyring.secrets == {(DB_SERVICE, "agent@db.example:5433/crm"): "s3cr3t-pw"}
    # A later run with the bare URL gets the password back from the keyring.
    again = CredentialStore().with_db_password(url)
    assert again.password == "s3cr3t-pw"


def test_without_keyring_password_is_kept_in_memory_only(
    caplog: pytest.LogCaptureFixture,
) -> None:
    previous = keyring.get_keyring()
    keyring.set_keyring(FailKeyring())
    try:
        store = CredentialStore()
        with caplog.at_level(logging.DEBUG):
            url = store.strip_db_password(normalize_url(URL))
        assert store.with_db_password(url).password == "s3cr3t-pw"
        assert CredentialStore().with_db_password(url).password is None
        assert "kept for this run only" in caplog.text
        assert "s3cr3t-pw" not in caplog.text
    finally:
        keyring.set_keyring(previous)


def test_config_password_is_moved_and_never_logged(
    memory_keyring: MemoryKeyring, caplog: pytest.LogCaptureFixture
) -> None:
    settings = parse_settings({"database": {"url": URL}})
    with caplog.at_level(logging.DEBUG):
        url = resolve_url(None, settings, CredentialStore())
    assert url.password is None
    assert "moved to the keyring" in caplog.text
    assert "s3cr3t-pw" not in caplog.text
    assert "s3cr3t-pw" not in redacted(normalize_url(URL))
    assert memory_keyring.secrets[(DB_SERVICE, db_key(url))] == "s3cr3t-pw"


def test_postgres_urls_use_psycopg() -> None:
    assert normalize_url("postgresql://h/db").drivername == "postgresql+psycopg"
    assert normalize_url("postgres://h/db").drivername == "postgresql+psycopg"
    assert normalize_url("sqlite:///x.db").drivername == "sqlite"
