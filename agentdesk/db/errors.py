"""Errors a service raises for a request it cannot carry out; their messages are for the user."""

from __future__ import annotations

import uuid
from collections.abc import Mapping


class RequestError(ValueError):
    """A request that cannot be carried out as asked (bad input, a rule refused it)."""


class RecordNotFoundError(RequestError):
    """The record does not exist or was deleted."""

    def __init__(self, kind: str, record_id: uuid.UUID) -> None:
        super().__init__(f"{kind} {record_id} does not exist")
        self.kind = kind
        self.record_id = record_id


class StaleRecordError(Exception):
    """Another agent saved this record since it was read: the edit was not applied.

    ``current`` holds the record's values as they are now (the other agent's change), and
    ``current_version`` the version to pass when the agent retries on top of it.
    """

    def __init__(
        self,
        kind: str,
        record_id: uuid.UUID,
        expected_version: int,
        current_version: int | None,
        current: Mapping[str, object],
    ) -> None:
        who = "deleted" if current_version is None else f"now at version {current_version}"
        super().__init__(
            f"{kind} {record_id} was changed by someone else (expected version "
            f"{expected_version}, {who}); reload and apply your change again"
        )
        self.kind = kind
        self.record_id = record_id
        self.expected_version = expected_version
        self.current_version = current_version
        self.current = dict(current)
