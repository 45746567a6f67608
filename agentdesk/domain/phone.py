"""Phone number normalisation to E.164.

Everything that stores or compares a number goes through :func:`normalize`, so a caller typed as
``(020) 7946-0018``, ``+44 20 7946 0018``, ``0044 20 7946 0018`` or ``tel:+442079460018`` is the
same key in the phone table and the screen pop is an indexed equality, never a ``LIKE``.
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field

import phonenumbers
from phonenumbers import COUNTRY_CODE_TO_REGION_CODE, NumberParseException, PhoneNumberFormat

from agentdesk.domain.phone_fast import INVALID, fast_reading

MAX_INPUT_LENGTH = 64  # longer text is garbage, not a phone number (also bounds parse time)

_URI_SCHEME = re.compile(r"^\s*(?:tel|sips?):", re.IGNORECASE)
_URI_EXT = re.compile(r";\s*(?:ext|isub)\s*=\s*([0-9]+)", re.IGNORECASE)
_IDD_PREFIXES = ("00", "011")
_SEPARATORS = re.compile(r"[\s().\-/]")
# Chinese input methods type full-width digits and plus: read them as ASCII before the IDD check.
_FULL_WIDTH = {0xFF10 + d: ord("0") + d for d in range(10)} | {0xFF0B: ord("+")}


class InvalidPhoneNumber(ValueError):
    """Raised when text cannot be read as a phone number; ``reason`` is user-facing."""

    def __init__(self, text: str, reason: str) -> None:
        super().__init__(f"{text!r}: {reason}")
        self.text = text
        self.reason = reason


@dataclass(frozen=True, slots=True)
class PhoneNumber:
    """A normalised number: E.164 plus an optional extension and the region it belongs to."""

    e164: str
    extension: str | None = None
    # Several regions share some numbering plans (+1, +590...): the region is informational and
    # two readings of the same number are equal whichever region each one reported.
    region: str | None = field(default=None, compare=False)

    def __str__(self) -> str:
        return self.e164 if not self.extension else f"{self.e164};ext={self.extension}"


def _strip_uri(text: str) -> tuple[str, str | None]:
    """Turn ``tel:+1-201-555-0123;ext=12`` or ``sip:+861380...@host`` into digits and extension."""
    if ":" not in text or not _URI_SCHEME.match(text):
        return text, None
    body = _URI_SCHEME.sub("", text, count=1)
    ext_match = _URI_EXT.search(body)
    extension = ext_match.group(1) if ext_match else None
    body = body.split(";", 1)[0]
    body = body.split("@", 1)[0]
    return body, extension


def _parse(candidate: str, region: str | None) -> phonenumbers.PhoneNumber | None:
    try:
        return phonenumbers.parse(candidate, region, keep_raw_input=False)
    except NumberParseException:
        return None


def normalize(text: str, default_region: str | None = "US", *, strict: bool = True) -> PhoneNumber:
    """Normalise ``text`` to E.164.

    ``default_region`` (ISO 3166 alpha-2) is used for national numbers. ``00`` and ``011``
    international prefixes are accepted whatever the region. With ``strict`` the number must be
    a valid number for its region (imports); without it a merely possible number is accepted
    (caller IDs from carriers that phonenumbers' metadata does not know yet).
    """
    body, uri_extension, region = _prepare(text, default_region)
    # Plain valid numbers (nearly all of an import) are read without phonenumbers.parse; the
    # fast reader answers only when its answer is the one the full path gives.
    fast = fast_reading(body, region)
    if fast is INVALID:
        if strict:
            raise InvalidPhoneNumber(text, "not a valid phone number")
    elif fast is not None:
        return PhoneNumber(e164=fast.e164, extension=uri_extension, region=fast.region)
    return _full_reading(text, body, uri_extension, region, strict)


def normalize_full(
    text: str, default_region: str | None = "US", *, strict: bool = True
) -> PhoneNumber:
    """:func:`normalize` without the fast path: the reference the fast path is tested against."""
    body, uri_extension, region = _prepare(text, default_region)
    return _full_reading(text, body, uri_extension, region, strict)


def _prepare(text: str, default_region: str | None) -> tuple[str, str | None, str | None]:
    """``(body, URI extension, region)`` of ``text``, or InvalidPhoneNumber for non-numbers."""
    if not isinstance(text, str):
        raise InvalidPhoneNumber(str(text), "not text")
    raw = text.strip()
    if not raw:
        raise InvalidPhoneNumber(text, "empty")
    if len(raw) > MAX_INPUT_LENGTH:
        raise InvalidPhoneNumber(text[:MAX_INPUT_LENGTH] + "…", "too long to be a phone number")
    body, uri_extension = _strip_uri(raw if raw.isascii() else raw.translate(_FULL_WIDTH))
    if not any(map(str.isdigit, body)):
        raise InvalidPhoneNumber(text, "no digits")
    return body, uri_extension, default_region.upper() if default_region else None


def _full_reading(
    text: str, body: str, uri_extension: str | None, region: str | None, strict: bool
) -> PhoneNumber:
    candidates = [body]
    compact = _SEPARATORS.sub("", body)
    for prefix in _IDD_PREFIXES:
        if compact.startswith(prefix) and len(compact) > len(prefix) + 4:
            candidates.append("+" + compact[len(prefix) :])
    parsed = [n for n in (_parse(c, region) for c in candidates) if n is not None]
    # A valid reading beats a merely possible one: "011 44 20 7946 0018" read in Germany is
    # a possible German number but a valid British one.
    for valid_only in (True, False) if not strict else (True,):
        for number in parsed:
            number_region = _accepted_region(number, region, valid_only)
            if number_region is not None:
                e164 = phonenumbers.format_number(number, PhoneNumberFormat.E164)
                extension = uri_extension or (number.extension or None)
                return PhoneNumber(e164=e164, extension=extension, region=number_region or None)
    if region is None and not body.lstrip().startswith(("+", "00", "011")):
        raise InvalidPhoneNumber(text, "national number but no region to read it in")
    raise InvalidPhoneNumber(text, "not a valid phone number")


def _accepted_region(
    number: phonenumbers.PhoneNumber, region: str | None, valid_only: bool
) -> str | None:
    """The number's region if it is acceptable, ``""`` if acceptable with no region, else None.

    Validating against the default region first is the fast path: ``is_valid_number`` alone
    searches every region sharing the country code (two dozen for +1), which dominated imports.
    """
    if (
        region
        and number.country_code == phonenumbers.country_code_for_region(region)
        and phonenumbers.is_valid_number_for_region(number, region)
    ):
        return region
    if valid_only:
        if not phonenumbers.is_valid_number(number):
            return None
    elif not phonenumbers.is_possible_number(number):
        return None
    return phonenumbers.region_code_for_number(number) or ""


def try_normalize(
    text: str | None, default_region: str | None = "US", *, strict: bool = True
) -> PhoneNumber | None:
    """Like :func:`normalize` but returns ``None`` for anything unusable."""
    if not text:
        return None
    try:
        return normalize(text, default_region, strict=strict)
    except InvalidPhoneNumber:
        return None


def digits_of(text: str) -> str:
    """Only the ASCII digits of ``text`` (for display and the naive-baseline benchmark)."""
    return "".join(ch for ch in text if ch.isascii() and ch.isdigit())


def country_code_of(e164: str) -> int | None:
    """The country calling code an E.164 number starts with (``+442079...`` gives 44), or
    ``None`` when no assigned code does. Codes are a prefix code: one reading at most."""
    digits = e164.removeprefix("+")
    for size in (1, 2, 3):
        head = digits[:size]
        if len(head) == size and head.isdigit() and int(head) in COUNTRY_CODE_TO_REGION_CODE:
            return int(head)
    return None


def is_region(code: str) -> bool:
    """True when ``code`` is a region phonenumbers knows (``US``, ``CN``, ``GB``…)."""
    return code.upper() in phonenumbers.SUPPORTED_REGIONS


def region_for_country(value: str) -> str | None:
    """Map a CSV country cell (``CN``, ``China``, ``中国``, ``+86``) to a region code."""
    text = value.strip()
    if not text:
        return None
    if is_region(text):
        return text.upper()
    lowered = text.casefold()
    if lowered in _COUNTRY_NAMES:
        return _COUNTRY_NAMES[lowered]
    code = text.lstrip("+")
    if code.isdigit():
        region = phonenumbers.region_code_for_country_code(int(code))
        return None if region == "ZZ" else region
    return None


# Names that call-center CSV exports actually contain; ISO codes cover the rest.
_COUNTRY_NAMES: dict[str, str] = {
    "china": "CN", "中国": "CN", "中华人民共和国": "CN", "prc": "CN",
    "hong kong": "HK", "香港": "HK", "taiwan": "TW", "台湾": "TW", "macau": "MO", "澳门": "MO",
    "united states": "US", "usa": "US", "u.s.": "US", "u.s.a.": "US", "america": "US",
    "美国": "US", "canada": "CA", "加拿大": "CA",
    "united kingdom": "GB", "uk": "GB", "great britain": "GB", "england": "GB", "英国": "GB",
    "germany": "DE", "deutschland": "DE", "德国": "DE", "france": "FR", "法国": "FR",
    "japan": "JP", "日本": "JP", "korea": "KR", "south korea": "KR", "韩国": "KR",
    "singapore": "SG", "新加坡": "SG", "australia": "AU", "澳大利亚": "AU",
    "india": "IN", "印度": "IN", "spain": "ES", "西班牙": "ES", "italy": "IT", "意大利": "IT",
    "netherlands": "NL", "荷兰": "NL", "brazil": "BR", "巴西": "BR", "mexico": "MX", "墨西哥": "MX",
}  # fmt: skip
