"""What text typed into the search box may mean: a phone prefix, or name and company prefixes.

Pure rules, no database: :mod:`agentdesk.crm.search` turns their answers into index range scans.
"""

from __future__ import annotations

from collections.abc import Iterable

import phonenumbers

from agentdesk.domain.names import has_cjk
from agentdesk.domain.phone import digits_of

MIN_LATIN_CHARS = 2
MIN_PHONE_DIGITS = 3
MIN_END_DIGITS = 4
"""A number's end is searched from four digits on: three match one number in a thousand."""
MAX_E164_DIGITS = 15

_PHONE_CHARS = frozenset("0123456789+()-./ \t")
_IDD_PREFIXES = ("00", "011")


def long_enough(query: str) -> bool:
    """Latin input needs :data:`MIN_LATIN_CHARS` characters; one CJK character is enough."""
    return has_cjk(query) or len(query) >= MIN_LATIN_CHARS


def looks_like_phone(query: str) -> bool:
    """Digits and ``+ ( ) - . /`` only, with at least one digit."""
    return all(ch in _PHONE_CHARS for ch in query) and any(ch.isdigit() for ch in query)


def case_variants(query: str) -> tuple[str, ...]:
    """The lowered prefixes to look up: a second one with non-ASCII letters in upper case."""
    lowered = query.lower()
    # SQLite's lower() leaves non-ASCII letters alone: "Ölund" stays "Ölund" there.
    ascii_only = "".join(ch.lower() if ch.isascii() else ch.upper() for ch in query)
    return (lowered,) if ascii_only == lowered else (lowered, ascii_only)


def phone_prefixes(
    text: str, default_region: str | None, other_regions: Iterable[str] = ()
) -> tuple[str, ...]:
    """The E.164 prefixes that digits typed in ``text`` may be the start of.

    See :mod:`agentdesk.crm.search` for the readings, in this order: an explicit ``+`` or
    international prefix wins alone; otherwise the digits as a country code and number, then
    (with ``default_region``) the national number with or without its trunk prefix, then the
    national form of a number of ``other_regions`` (the regions of the stored numbers): with
    its trunk prefix where the region has one (``020 3452`` is ``+44 20 3452`` at a US desk).
    """
    # "+44 (0)20 ..." writes the trunk prefix that is dropped after a country code.
    digits = digits_of(text.replace("(0)", ""))
    if len(digits) < MIN_PHONE_DIGITS:
        return ()
    if text.lstrip().startswith("+"):
        return ("+" + digits,)
    for idd in _IDD_PREFIXES:
        if digits.startswith(idd):
            rest = digits[len(idd) :]
            return ("+" + rest,) if len(rest) >= MIN_PHONE_DIGITS - 1 else ()
    found: list[str] = []
    if not digits.startswith("0"):  # no country code starts with 0
        found.append("+" + digits)
    if default_region:
        found.extend(_national(digits, default_region, trunk_required=False))
    for region in other_regions:
        found.extend(_national(digits, region, trunk_required=True))
    return tuple(dict.fromkeys(found))


def _national(digits: str, region: str, *, trunk_required: bool) -> tuple[str, ...]:
    """``digits`` as a national number of ``region``: without its trunk prefix when it starts
    with it, else (unless ``trunk_required``) as the national significant number alone."""
    code = phonenumbers.country_code_for_region(region)
    if not code:
        return ()
    meta = phonenumbers.PhoneMetadata.metadata_for_region(region)
    trunk = meta.national_prefix if meta is not None else None
    if trunk and digits.startswith(trunk):
        return (f"+{code}{digits[len(trunk) :]}",)
    if trunk and trunk_required:
        return ()
    return (f"+{code}{digits}",)


def regions_of(country_codes: Iterable[int]) -> tuple[str, ...]:
    """The regions that dial with these country calling codes (44: GB, GG, IM, JE)."""
    return tuple(
        region
        for code in country_codes
        for region in phonenumbers.COUNTRY_CODE_TO_REGION_CODE.get(code, ())
        if region != phonenumbers.REGION_CODE_FOR_NON_GEO_ENTITY
    )


def number_end(text: str) -> str | None:
    """The key of a number's end typed in ``text`` (its digits last first, as
    :data:`agentdesk.crm.models.E164_REVERSED_SQL` stores them), or ``None``.

    Digits with no ``+`` (an international number names its start), from
    :data:`MIN_END_DIGITS` to :data:`MAX_E164_DIGITS` of them: ``452 5991`` gives ``1995254``.
    """
    if text.lstrip().startswith("+"):
        return None
    digits = digits_of(text)
    if not MIN_END_DIGITS <= len(digits) <= MAX_E164_DIGITS:
        return None
    return digits[::-1]


def next_prefix(prefix: str) -> str:
    """The smallest string greater than every string that starts with ``prefix``."""
    return prefix[:-1] + chr(ord(prefix[-1]) + 1)


def next_number_prefix(prefix: str) -> str:
    """Upper bound of an E.164 prefix made of digits only (``+4479`` gives ``+448``).

    Digits compare alike in every collation, unlike the ``:`` after ``9`` that
    :func:`next_prefix` would use and that linguistic collations ignore.
    """
    body = prefix.rstrip("9")
    if len(body) <= 1:  # "+" or "+999...": everything from here on
        return "+:"
    return body[:-1] + str(int(body[-1]) + 1)


def next_digits_prefix(digits: str) -> str | None:
    """Upper bound of a prefix of a digits-only key (``1995`` gives ``1996``); ``None`` for
    ``99...``, which needs none: every digit string from it on starts with it."""
    body = digits.rstrip("9")
    return body[:-1] + str(int(body[-1]) + 1) if body else None
