"""Demo phone numbers: the pattern a generated number must match, and how people write it.

Numbers are kept only when they match libphonenumber's pattern for the plan's type, so demo
numbers survive a strict import; their raw text takes the spellings imports meet.
"""

from __future__ import annotations

import random
import re
from collections.abc import Sequence
from functools import cache

import phonenumbers

from agentdesk.demo import words


@cache
def type_pattern(plan: words.PhonePlan) -> re.Pattern[str]:
    """The national number pattern of ``plan``'s type (mobile or fixed line) in its region."""
    meta = phonenumbers.PhoneMetadata.metadata_for_region(plan.region)
    desc = None if meta is None else meta.mobile if plan.mobile else meta.fixed_line
    if desc is None or not desc.national_number_pattern:
        raise LookupError(f"phonenumbers has no {plan} pattern")  # a broken install
    return re.compile(desc.national_number_pattern)


def _group(nsn: str, sizes: Sequence[int]) -> list[str]:
    parts, start = [], 0
    for size in sizes:
        parts.append(nsn[start : start + size])
        start += size
    if start < len(nsn):
        parts[-1] += nsn[start:]
    return parts


def format_raw(rng: random.Random, plan: words.PhonePlan, nsn: str) -> str:
    """The number as people write it: national with brackets or dashes, +, 00, compact..."""
    groups = _group(nsn, plan.groups)
    cc, trunk = plan.country_code, plan.trunk
    style = rng.randrange(10)
    if style == 0:
        return f"+{cc} " + " ".join(groups)
    if style == 1:
        return f"+{cc}{nsn}"
    if style == 2:
        return f"00{cc} " + " ".join(groups)
    if style == 3 and len(groups) > 1:
        if plan.region == "US":
            return f"({groups[0]}) {groups[1]}-{''.join(groups[2:])}"
        if trunk:
            return f"({trunk}{groups[0]}) " + " ".join(groups[1:])
    if style == 4:
        return trunk + "-".join(groups)
    if style == 5:
        return trunk + ".".join(groups)
    if style == 6:
        return trunk + nsn
    if style == 7 and plan.region == "US":
        return "1-" + "-".join(groups)
    if style == 8:
        return f"+{cc} ({groups[0]}) " + " ".join(groups[1:])
    return trunk + " ".join(groups)


def reformat(rng: random.Random, e164: str, reader_country: str) -> str:
    """Another human spelling of a number already generated (shared switchboards, leads).

    National format only when the number is from the record's own country: "(02) 9003 2115"
    on a Chinese contact would be read as a Chinese number by an import.
    """
    parsed = phonenumbers.parse(e164)
    style = rng.randrange(3)
    national = phonenumbers.region_code_for_number(parsed) == reader_country
    if style == 1 and national:
        return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.NATIONAL))
    if style == 2:
        return e164
    return str(phonenumbers.format_number(parsed, phonenumbers.PhoneNumberFormat.INTERNATIONAL))
