"""A fast reading of the common phone number spellings, for bulk imports.

``phonenumbers.parse`` plus ``is_valid_number`` costs 60-110 us a number, most of it in
generic regular expressions (extensions, viability, alpha numbers) that plain numbers such as
``(212) 555-0123``, ``+44 20 7946 0018`` or ``0044 20 7946 0018`` never need. This module reads
only text made of ASCII digits, an optional leading ``+`` and the separators `` ().-/``, and
follows ``phonenumbers.parse`` step by step for that shape (international prefix, the default
region's country code, national prefix and carrier code, leading zeros) with each region's
metadata compiled once (:mod:`agentdesk.domain.phone_plans`). Validation tests the same number
descriptions as ``phonenumbers.is_valid_number`` with one combined pattern per region and
length.

It only answers when it is sure: :func:`fast_reading` returns ``None`` for any other shape
and on any surprise, and the caller then takes the full path.
A property test compares both paths over every region's example numbers in many spellings.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneNumber, phonenumberutil
from phonenumbers.phonenumberutil import ValidationResult

from agentdesk.domain.phone_plans import (
    MAX_NSN,
    PLANS,
    RegionPlan,
    nsn_lengths,
    plan_for_code,
    plan_for_region,
)

__all__ = ["INVALID", "FastReading", "fast_parse", "fast_reading", "is_valid_fast"]

# Text the fast path reads: separators, at most one "+" before the first digit, ASCII digits.
_SHAPE = re.compile(r"[ ().\-/]*\+?[ ().\-/]*[0-9][0-9 ().\-/]*")
# The shape check lets through only ASCII digits, separators and one plus: drop the rest.
_NOT_DIGITS = b" ().-/+"
_MIN_NSN = 2
_SHORT = (
    ValidationResult.TOO_SHORT,
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    ValidationResult.INVALID_LENGTH,
)


def _only_digits(text: str) -> str:
    """The digits of ``text``, which has passed the shape check (so it is ASCII).

    ``bytes.translate`` deletes in one C loop; ``str.translate`` looks every character up in
    a dict and costs three times as much, for every number of a million-row import.
    """
    return text.encode().translate(None, _NOT_DIGITS).decode()


class FastReading(NamedTuple):
    """A valid number as ``normalize`` reports it: E.164 and the region it belongs to.

    A named tuple: a bulk import makes one per number, and a frozen dataclass costs several
    times more to create.
    """

    e164: str
    region: str | None


INVALID = FastReading("", None)
""":func:`fast_reading`'s answer for a number that every reading finds invalid."""
_new_tuple = tuple.__new__  # a FastReading without the named tuple's Python-level __new__


# Bound here, not looked up per number: CPython 3.11 compiles ``name.get(...)`` on an imported
# name to an attribute lookup that makes a bound method on every call (it takes such names for
# modules), which cost a million-row fill 1 % more instructions.
_known_plan = PLANS.get
_SUPPORTED = frozenset(phonenumbers.SUPPORTED_REGIONS)
_REGION_OF_CODE = phonenumberutil.COUNTRY_CODE_TO_REGION_CODE
_CODE_TEXTS = {str(code): code for code in _REGION_OF_CODE}


def fast_parse(text: str, region: str) -> PhoneNumber | None:
    """``phonenumbers.parse(text, region)`` for the plain shape, else ``None`` (not sure).

    ``None`` also stands for "parse would raise". ``region`` must be a supported region code.
    """
    read = _read_digits(text, region)
    if read is None:
        return None
    country_code, nsn = read
    number = PhoneNumber(country_code=country_code, national_number=int(nsn))
    phonenumberutil._set_italian_leading_zeros_for_phone_number(nsn, number)
    return number


def _read_digits(text: str, region: str) -> tuple[int, str] | None:
    """``fast_parse`` as ``(country code, national significant number)``.

    The number's ``national_significant_number`` is exactly this digit string (its leading
    zeros are what ``italian_leading_zero`` and ``number_of_leading_zeros`` record).
    """
    if region not in _SUPPORTED or _SHAPE.fullmatch(text) is None:
        return None
    plan = _known_plan(region) or plan_for_region(region)
    if plan is None:
        return None
    digits = _only_digits(text)
    if len(digits) < 3:  # phonenumbers' viability check wants three digits here
        return None
    country_code = 0
    nsn = ""
    if "+" in text:
        country_code, nsn = _split_code(digits)
        if country_code == 0:
            return None  # parse retries without the plus: leave that to it
    else:
        stripped = None
        if plan.idd is not None and (found := plan.idd.match(digits)) is not None:
            rest = digits[found.end() :]
            # Country codes never start with 0: then the prefix was not an IDD after all.
            if not rest.startswith("0"):
                stripped = rest
        if stripped is not None:
            if len(stripped) <= _MIN_NSN:
                return None
            country_code, nsn = _split_code(stripped)
            if country_code == 0:
                return None
        elif digits.startswith(plan.country_code_text):
            country_code, nsn = _default_code(plan, digits)
    metadata = plan
    if country_code != 0:
        regions = _REGION_OF_CODE.get(country_code)
        number_region = regions[0] if regions else "ZZ"  # _main_region, inlined
        if number_region != region:
            found_plan = plan_for_code(country_code, number_region)
            if found_plan is None:
                return None
            metadata = found_plan
    else:
        nsn = digits
        country_code = plan.country_code
    if len(nsn) < _MIN_NSN:
        return None
    potential = metadata.strip_national_prefix(nsn)
    if metadata.length_verdict(potential) not in _SHORT:
        nsn = potential
    if not _MIN_NSN <= len(nsn) <= MAX_NSN:
        return None
    return country_code, nsn


def _split_code(digits: str) -> tuple[int, str]:
    """``_extract_country_code``: the shortest known code of one to three digits."""
    if not digits or digits[0] == "0":
        return 0, digits
    # Without a leading zero a prefix is its code's decimal text: no int() per length. Unrolled
    # (one to three digits): a prefix longer than ``digits`` is ``digits`` again, not found.
    code = _CODE_TEXTS.get(digits[:1])
    if code is not None:
        return code, digits[1:]
    code = _CODE_TEXTS.get(digits[:2])
    if code is not None:
        return code, digits[2:]
    code = _CODE_TEXTS.get(digits[:3])
    if code is not None:
        return code, digits[3:]
    return 0, digits


def _default_code(plan: RegionPlan, digits: str) -> tuple[int, str]:
    """A national number that starts with the region's own country code (``1 212 555...``)."""
    potential = plan.strip_national_prefix(digits[len(plan.country_code_text) :])
    if (not plan.general_match(digits) and plan.general_match(potential)) or plan.length_verdict(
        digits
    ) == ValidationResult.TOO_LONG:
        return plan.country_code, potential
    return 0, ""


def _nsn(number: PhoneNumber) -> str:
    """``national_significant_number``."""
    national = str(number.national_number)
    if number.italian_leading_zero:
        zeros = number.number_of_leading_zeros
        return "0" * (1 if zeros is None else zeros) + national
    return national


def _region_for(code: int, nsn: str) -> str | None:
    """``region_code_for_number``."""
    regions = _REGION_OF_CODE.get(code)
    if not regions:
        return None
    if len(regions) == 1:
        return regions[0]
    for candidate in regions:
        plan = plan_for_region(candidate)
        if plan is None:
            continue
        if plan.leading is not None:
            if plan.leading.match(nsn):
                return candidate
        elif plan.is_valid(nsn):
            return candidate
    return None


def is_valid_fast(number: PhoneNumber, region: str | None) -> str | None:
    """The region ``normalize`` reports for a valid ``number`` (read in ``region``), else None.

    ``""`` is a valid number with no region. Mirrors ``_accepted_region(..., valid_only=True)``:
    the default region first, then ``is_valid_number``.
    """
    return _valid_region(number.country_code or 0, _nsn(number), region)


def _valid_region(code: int, nsn: str, region: str | None) -> str | None:
    if region:
        plan = plan_for_region(region)
        if plan is not None and code == plan.country_code and plan.is_valid(nsn):
            return region
    if len(nsn) not in nsn_lengths(code):
        return None  # no region of this country code has numbers this long (cheap for +1)
    found = _region_for(code, nsn)
    if found is None:
        return None
    if found == "001":
        plan = plan_for_code(code, found)
    else:
        plan = plan_for_region(found)
        if plan is not None and plan.country_code != code:
            return None
    if plan is None or not plan.is_valid(nsn):
        return None
    return found or ""


def fast_reading(body: str, region: str | None) -> FastReading | None:
    """What ``normalize(body, region)`` gives, or ``None`` when the full path must decide.

    ``body`` is the stripped text without any ``tel:`` scheme. :data:`INVALID` means every
    reading ``normalize`` tries is an exactly parsed, invalid number: with ``strict`` it is
    rejected as "not a valid phone number". ``None`` stands for another shape or anything
    this module is not sure about.
    """
    if region is None:
        return None
    try:
        return _reading(body, region)
    except Exception:  # a metadata or library surprise must not break an import
        return None


def _reading(body: str, region: str) -> FastReading | None:
    read = _read_digits(body, region)
    if read is None:
        return None
    code, nsn = read
    found = _valid_region(code, nsn, region)
    if found is None:
        # normalize also tries the digits after a 00 or 011 prefix as an international number.
        if "+" in body:
            return INVALID
        compact = _only_digits(body)
        for prefix in ("00", "011"):
            if compact.startswith(prefix) and len(compact) > len(prefix) + 4:
                read = _read_digits("+" + compact[len(prefix) :], region)
                if read is None:
                    return None
                code, nsn = read
                found = _valid_region(code, nsn, region)
                break
        if found is None:
            return INVALID
    return _new_tuple(FastReading, (f"+{code}{nsn}", found or None))
