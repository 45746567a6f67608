"""A fast reading of the common phone number spellings, for bulk imports.

``phonenumbers.parse`` plus ``is_valid_number`` costs 60-110 us a number, most of it in
generic regular expressions (extensions, viability, alpha numbers) that plain numbers such as
``(212) 555-0123``, ``+44 20 7946 0018`` or ``0044 20 7946 0018`` never need. This module reads
only text made of ASCII digits, an optional leading ``+`` and the separators `` ().-/``, and
follows ``phonenumbers.parse`` step by step for that shape (international prefix, the default
region's country code, national prefix and carrier code, leading zeros) with each region's
metadata compiled once. Validation tests the same number descriptions as
``phonenumbers.is_valid_number`` with one combined pattern per region and length.

It only answers when it is sure: :func:`fast_reading` returns ``None`` for any other shape
and on any surprise, and the caller then takes the full path.
A property test compares both paths over every region's example numbers in many spellings.
"""

from __future__ import annotations

import re
from typing import NamedTuple

import phonenumbers
from phonenumbers import PhoneMetadata, PhoneNumber, phonenumberutil
from phonenumbers.phonenumberutil import ValidationResult

__all__ = ["INVALID", "FastReading", "fast_parse", "fast_reading", "is_valid_fast"]

# Keep every compiled metadata pattern (phonenumbers recompiles through re's small cache
# otherwise); the national prefix helpers below and the full path both use them.
_enable_cache = getattr(phonenumbers, "enable_pattern_cache", None)
if _enable_cache is not None:
    _enable_cache()

# Text the fast path reads: separators, at most one "+" before the first digit, ASCII digits.
_SHAPE = re.compile(r"[ ().\-/]*\+?[ ().\-/]*[0-9][0-9 ().\-/]*")
# The shape check lets through only ASCII digits, separators and one plus: drop the rest.
_NOT_DIGITS = b" ().-/+"
_MIN_NSN = 2
_MAX_NSN = 17
_SHORT = (
    ValidationResult.TOO_SHORT,
    ValidationResult.IS_POSSIBLE_LOCAL_ONLY,
    ValidationResult.INVALID_LENGTH,
)
_TYPE_DESCS = (
    "fixed_line",
    "premium_rate",
    "toll_free",
    "shared_cost",
    "voip",
    "personal_number",
    "pager",
    "uan",
    "voicemail",
)
_BACKREFERENCE = re.compile(r"\\[1-9]|\(\?P=")


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


class _Plan:
    """One metadata's patterns, compiled once; validity patterns per number length."""

    __slots__ = (
        "_by_length",
        "_general",
        "_length_verdicts",
        "country_code",
        "country_code_text",
        "idd",
        "leading",
        "metadata",
        "national_prefix",
        "transform",
    )

    def __init__(self, metadata: PhoneMetadata) -> None:
        self.metadata = metadata
        self.country_code: int = metadata.country_code or 0
        self.country_code_text = str(self.country_code)
        prefix = metadata.international_prefix
        self.idd = re.compile(prefix) if prefix else None
        leading = metadata.leading_digits
        self.leading = None if leading is None else re.compile(leading)
        national = metadata.national_prefix_for_parsing
        self.national_prefix = re.compile(national) if national else None
        self.transform = metadata.national_prefix_transform_rule or None
        general = metadata.general_desc
        pattern = None if general is None else general.national_number_pattern
        self._general = re.compile(pattern) if pattern else None
        self._by_length: dict[int, re.Pattern[str] | None] = {}
        self._length_verdicts: dict[int, int] = {}

    def general_match(self, digits: str) -> bool:
        """``_match_national_number(digits, general_desc, False)`` (no length check)."""
        return self._general is not None and self._general.fullmatch(digits) is not None

    def length_verdict(self, digits: str) -> int:
        """``_test_number_length(digits, metadata)``: it depends on the length alone."""
        size = len(digits)
        try:
            return self._length_verdicts[size]
        except KeyError:
            verdict = phonenumberutil._test_number_length("0" * size, self.metadata)
            self._length_verdicts[size] = verdict
            return verdict

    def strip_national_prefix(self, digits: str) -> str:
        """``_maybe_strip_national_prefix_carrier_code(digits, metadata)[1]``."""
        prefix = self.national_prefix
        if not digits or prefix is None:
            return digits
        found = prefix.match(digits)
        if found is None:
            return digits
        viable = self.general_match(digits)
        groups = found.groups()
        if self.transform is None or groups[len(groups) - 1] is None:
            rest = digits[found.end() :]
        else:
            rest = prefix.sub(self.transform, digits, count=1)
        if viable and not self.general_match(rest):
            return digits
        return rest

    def is_valid(self, nsn: str) -> bool:
        """``_number_type_helper(nsn, metadata) != UNKNOWN``, one pattern per length."""
        size = len(nsn)
        try:
            pattern = self._by_length[size]
        except KeyError:
            pattern = self._by_length[size] = self._compile(size)
        return pattern is not None and pattern.fullmatch(nsn) is not None

    def _compile(self, size: int) -> re.Pattern[str] | None:
        meta = self.metadata
        general = _desc_pattern(meta.general_desc, size)
        if general is None:
            return None
        # Any type will do, so the common ones come first: a valid number stops early.
        names = list(_TYPE_DESCS)
        if not meta.same_mobile_and_fixed_line_pattern:
            names.insert(0, "mobile")
        alternatives = [
            p for name in names if (p := _desc_pattern(getattr(meta, name), size)) is not None
        ]
        if not alternatives:
            return None
        if any(_BACKREFERENCE.search(p) for p in (general, *alternatives)):
            raise ValueError("metadata pattern with a back-reference")  # numbering breaks
        # The look-ahead is the general description, the alternation any type's description.
        either = "|".join(f"(?:{p})" for p in alternatives)
        return re.compile(f"(?=(?:{general})$)(?:{either})")


def _desc_pattern(desc: phonenumbers.PhoneNumberDesc | None, size: int) -> str | None:
    """The desc's pattern when a number of ``size`` digits can match it (as in phonenumbers)."""
    if desc is None:
        return None
    lengths = desc.possible_length
    if lengths and size not in lengths:
        return None
    pattern = desc.national_number_pattern
    return pattern or None


_PLANS: dict[str, _Plan | None] = {}
_CALLING_PLANS: dict[tuple[int, str], _Plan | None] = {}
_SUPPORTED = frozenset(phonenumbers.SUPPORTED_REGIONS)
_REGION_OF_CODE = phonenumberutil.COUNTRY_CODE_TO_REGION_CODE
_CODE_TEXTS = {str(code): code for code in _REGION_OF_CODE}


def _plan(region: str) -> _Plan | None:
    try:
        return _PLANS[region]
    except KeyError:
        metadata = PhoneMetadata.metadata_for_region(region, None)
        plan = _PLANS[region] = None if metadata is None else _Plan(metadata)
        return plan


def _plan_for_code(country_code: int, region: str) -> _Plan | None:
    """``metadata_for_region_or_calling_code`` (non-geographic codes have region "001")."""
    key = (country_code, region)
    try:
        return _CALLING_PLANS[key]
    except KeyError:
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
        plan = _CALLING_PLANS[key] = None if metadata is None else _Plan(metadata)
        return plan


_LENGTHS: dict[int, frozenset[int] | range] = {}


def _lengths_of(country_code: int) -> frozenset[int] | range:
    """Every national number length a region of ``country_code`` can call valid."""
    try:
        return _LENGTHS[country_code]
    except KeyError:
        pass
    lengths: set[int] = set()
    for region in _REGION_OF_CODE.get(country_code, ()):
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
        if metadata is None or metadata.general_desc is None:
            continue
        possible = metadata.general_desc.possible_length
        if not possible:  # no lengths listed: any length may match
            _LENGTHS[country_code] = range(_MAX_NSN + 1)
            return _LENGTHS[country_code]
        lengths.update(possible)
    found = _LENGTHS[country_code] = frozenset(lengths)
    return found


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
    plan = _PLANS.get(region) or _plan(region)
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
            found_plan = _plan_for_code(country_code, number_region)
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
    if not _MIN_NSN <= len(nsn) <= _MAX_NSN:
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


def _default_code(plan: _Plan, digits: str) -> tuple[int, str]:
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
        plan = _plan(candidate)
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
        plan = _plan(region)
        if plan is not None and code == plan.country_code and plan.is_valid(nsn):
            return region
    if len(nsn) not in _lengths_of(code):
        return None  # no region of this country code has numbers this long (cheap for +1)
    found = _region_for(code, nsn)
    if found is None:
        return None
    if found == "001":
        plan = _plan_for_code(code, found)
    else:
        plan = _plan(found)
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
