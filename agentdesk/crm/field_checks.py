"""The checks a party's e-mail address and country get before they are stored, whoever stores
them (the customer panel's edits, a record created for a caller). CSV import applies the same
rules to a file's rows (:mod:`agentdesk.crm.importing.rows`), where a refusal rejects the row."""

from __future__ import annotations

from agentdesk.db.errors import RequestError
from agentdesk.domain.contact_fields import is_country, is_email


class InvalidFieldError(RequestError):
    """One field's value is refused; the message says which field and why.

    ``field`` is the field's name (``email``, ``country``) so a form can show the refusal at
    the field, in its own words.
    """

    def __init__(self, field: str, value: str, message: str) -> None:
        super().__init__(message)
        self.field = field
        self.value = value


def clean_email(value: str | None) -> str | None:
    """The stripped address (``None`` for blank); :class:`InvalidFieldError` for one that is
    not shaped like an e-mail address."""
    text = (value or "").strip()
    if not text:
        return None
    if not is_email(text):
        raise InvalidFieldError(
            "email", text, f"email {text!r} is not an e-mail address (like name@example.com)"
        )
    return text


def clean_country(value: str | None) -> str | None:
    """The upper-case ISO 3166-1 alpha-2 code (``None`` for blank); :class:`InvalidFieldError`
    for anything else (``ZZ``, ``UK``, ``Germany``)."""
    text = (value or "").strip()
    if not text:
        return None
    if not is_country(text):
        raise InvalidFieldError(
            "country",
            text,
            f"country {text!r} is not an ISO 3166 two-letter country code (such as US, CN, GB)",
        )
    return text.upper()
