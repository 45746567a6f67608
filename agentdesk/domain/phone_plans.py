"""Each region's phone metadata compiled once, for :mod:`agentdesk.domain.phone_fast`.

A :class:`RegionPlan` holds one metadata's patterns (international and national prefixes,
leading digits, general description) and builds one validity pattern per number length on
first use: every type description ``phonenumbers.is_valid_number`` tests, in one alternation.
"""

from __future__ import annotations

import re

import phonenumbers
from phonenumbers import PhoneMetadata, phonenumberutil

__all__ = ["MAX_NSN", "PLANS", "RegionPlan", "nsn_lengths", "plan_for_code", "plan_for_region"]

# Keep every compiled metadata pattern (phonenumbers recompiles through re's small cache
# otherwise); the national prefix helpers below and the full path both use them.
_enable_cache = getattr(phonenumbers, "enable_pattern_cache", None)
if _enable_cache is not None:
    _enable_cache()

MAX_NSN = 17
"""The longest national significant number phonenumbers reads."""

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


class RegionPlan:
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


PLANS: dict[str, RegionPlan | None] = {}
"""Plans by region code, made by :func:`plan_for_region` (``None``: no metadata)."""
_CALLING_PLANS: dict[tuple[int, str], RegionPlan | None] = {}
_REGION_OF_CODE = phonenumberutil.COUNTRY_CODE_TO_REGION_CODE


def plan_for_region(region: str) -> RegionPlan | None:
    """The plan of ``region``'s metadata (made on first use), ``None`` when it has none."""
    try:
        return PLANS[region]
    except KeyError:
        metadata = PhoneMetadata.metadata_for_region(region, None)
        plan = PLANS[region] = None if metadata is None else RegionPlan(metadata)
        return plan


def plan_for_code(country_code: int, region: str) -> RegionPlan | None:
    """``metadata_for_region_or_calling_code`` (non-geographic codes have region "001")."""
    key = (country_code, region)
    try:
        return _CALLING_PLANS[key]
    except KeyError:
        metadata = PhoneMetadata.metadata_for_region_or_calling_code(country_code, region)
        plan = _CALLING_PLANS[key] = None if metadata is None else RegionPlan(metadata)
        return plan


_LENGTHS: dict[int, frozenset[int] | range] = {}


def nsn_lengths(country_code: int) -> frozenset[int] | range:
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
            _LENGTHS[country_code] = range(MAX_NSN + 1)
            return _LENGTHS[country_code]
        lengths.update(possible)
    found = _LENGTHS[country_code] = frozenset(lengths)
    return found
