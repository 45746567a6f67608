"""Secrets live in the system keyring, never in a config file, a log or a traceback."""

from __future__ import annotations

import logging
from dataclasses import dataclass, field

import keyring
import keyring.errors
from sqlalchemy.engine import URL

log = logging.getLogger(__name__)

DB_SERVICE = "agentdesk:database"
SIP_SERVICE = "agentdesk:sip"


def db_key(url: URL) -> str:
    """The keyring user name for a database: who connects where, never the password."""
    port = f":{url.port}" if url.port else ""
    return f"{url.username or ''}@{url.host or ''}{port}/{url.database or ''}"


def without_password(url: URL) -> URL:
    # URL.set(password=None) keeps the old password: None there means "unchanged".
    return URL.create(
        url.drivername, url.username, None, url.host, url.port, url.database, url.query
    )


@dataclass
class CredentialStore:
    """Reads and writes secrets through :mod:`keyring`.

    On a machine with no keyring backend (a bare server, a CI box) a secret given on the command
    line is kept in memory for this process only and the user is told it was not saved.
    """

    _memory: dict[tuple[str, str], str] = field(default_factory=dict)

    def get(self, service: str, key: str) -> str | None:
        if (service, key) in self._memory:
            return self._memory[(service, key)]
        try:
            return keyring.get_password(service, key)
        except keyring.errors.KeyringError as exc:
            log.debug("keyring unavailable for %s: %s", service, type(exc).__name__)
            return None

    def set(self, service: str, key: str, secret: str) -> bool:
        """Store ``secret``; returns False when only kept in memory for this run."""
        try:
            keyring.set_password(service, key, secret)
            self._memory.pop((service, key), None)
            return True
        except keyring.errors.KeyringError:
            self._memory[(service, key)] = secret
            log.warning(
                "no system keyring available: the password for %s is kept for this run only", key
            )
            return False

    def set_for_run(self, service: str, key: str, secret: str) -> None:
        """Use ``secret`` in this process only (a password being tried, not yet accepted)."""
        self._memory[(service, key)] = secret

    def delete(self, service: str, key: str) -> None:
        self._memory.pop((service, key), None)
        try:
            keyring.delete_password(service, key)
        except keyring.errors.KeyringError:
            log.debug("nothing to delete in the keyring for %s", key)

    def strip_db_password(self, url: URL) -> URL:
        """Move a password written in ``url`` into the keyring and return the URL without it."""
        if url.password is None:
            return url
        self.set(DB_SERVICE, db_key(url), str(url.password))
        return without_password(url)

    def with_db_password(self, url: URL) -> URL:
        """The URL to connect with: the keyring's password filled in when there is one."""
        if url.password is not None or url.get_backend_name() == "sqlite":
            return url
        secret = self.get(DB_SERVICE, db_key(url))
        return url.set(password=secret) if secret else url
