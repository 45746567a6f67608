"""A reproducible campaign CSV for ``fill_bench.py``: N rows as call-center exports have them.

Mixed countries (US, China, UK, Germany, France, Australia, Hong Kong, Canada, Japan, India,
Brazil, Singapore) and number spellings (national, international, E.164, ``00`` prefix,
dashes), a second number in 30 % of the rows, country cells as codes or names, some company
names with commas (quoted fields). About 1 % of the rows repeat an earlier row, 5 % reuse an
earlier row's number under another name (both duplicates for the campaign), 2 % have a
truncated number and 1 % none at all (rejects).

The same ``(rows, seed)`` gives the same file byte for byte (for a given phonenumbers
version, whose example numbers seed the numbering plans).
"""

from __future__ import annotations

import csv
import random
from pathlib import Path

import phonenumbers
from phonenumbers import PhoneNumberFormat, PhoneNumberType

from agentdesk.demo.words import (
    CHINESE_GIVEN,
    CHINESE_SURNAMES,
    ENGLISH_FIRST,
    ENGLISH_LAST,
    GERMAN_FIRST,
    GERMAN_LAST,
)

HEADER = ["First Name", "Last Name", "Company", "Phone", "Mobile", "Email", "City", "Country"]
_REGIONS = (
    ("US", 35), ("CN", 20), ("GB", 12), ("DE", 8), ("FR", 5), ("AU", 4), ("HK", 4), ("CA", 3),
    ("JP", 3), ("IN", 2), ("BR", 2), ("SG", 2),
)  # fmt: skip
_COUNTRY_CELLS = {
    "US": ("US", "USA", "United States", ""), "CN": ("CN", "中国", "China"),
    "GB": ("GB", "UK", "United Kingdom"), "DE": ("DE", "Germany"), "FR": ("FR", "France"),
    "AU": ("AU",), "HK": ("HK", "香港"), "CA": ("CA", "Canada"), "JP": ("JP", "日本"),
    "IN": ("IN",), "BR": ("BR",), "SG": ("SG",),
}  # fmt: skip
_US_AREAS = ("212", "415", "617", "312", "646", "305")


def cached_csv(cache_dir: Path, rows: int, seed: int) -> Path:
    """The file for ``(rows, seed)`` under ``cache_dir``, generated on first use."""
    path = cache_dir / f"fill-{rows}-s{seed}.csv"
    if not path.exists():
        cache_dir.mkdir(parents=True, exist_ok=True)
        partial = path.with_suffix(".partial")
        write_csv(partial, rows, seed)
        partial.replace(path)  # an interrupted generation is never taken for a finished one
    return path


def write_csv(path: Path, rows: int, seed: int) -> None:
    rng = random.Random(seed)
    regions = [r for r, _ in _REGIONS]
    weights = [w for _, w in _REGIONS]
    bases = {
        region: [
            n
            for kind in (PhoneNumberType.FIXED_LINE, PhoneNumberType.MOBILE)
            if (n := phonenumbers.example_number_for_type(region, kind)) is not None
        ]
        for region in regions
    }
    earlier: list[list[str]] = []
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(HEADER)
        for i in range(rows):
            draw = rng.random()
            if earlier and draw < 0.01:
                writer.writerow(rng.choice(earlier))
                continue
            region = rng.choices(regions, weights)[0]
            first, last = _name(rng, region)
            company = f"Company {rng.randrange(20000)}" if rng.random() < 0.6 else ""
            if company and rng.random() < 0.08:
                company += ", Inc."
            phone = _number(rng, region, bases[region])
            if earlier and draw < 0.06:
                phone = rng.choice(earlier)[3]  # same number, another person
            elif draw < 0.08:
                phone = phone[:-3]  # too short: rejected
            elif draw < 0.09:
                phone = ""
            mobile = _number(rng, region, bases[region]) if rng.random() < 0.3 else ""
            if not phone:
                mobile = ""  # no number at all: rejected
            email = f"u{i}@ex{rng.randrange(50)}.example" if first and rng.random() < 0.7 else ""
            country = rng.choice(_COUNTRY_CELLS[region]) if rng.random() < 0.85 else ""
            row = [first, last, company, phone, mobile, email, "", country]
            if len(earlier) < 1000:
                earlier.append(row)
            elif rng.random() < 0.01:
                earlier[rng.randrange(1000)] = row
            writer.writerow(row)


def _name(rng: random.Random, region: str) -> tuple[str, str]:
    if rng.random() < 0.03:
        return "", ""
    if region in ("CN", "HK"):
        given, family = rng.choice(CHINESE_GIVEN)[0], rng.choice(CHINESE_SURNAMES)[0]
        return ("", family + given) if rng.random() < 0.5 else (given, family)
    if region == "DE":
        return rng.choice(GERMAN_FIRST), rng.choice(GERMAN_LAST)
    return rng.choice(ENGLISH_FIRST), rng.choice(ENGLISH_LAST)


def _number(rng: random.Random, region: str, bases: list[phonenumbers.PhoneNumber]) -> str:
    if region == "US" and rng.random() < 0.5:
        area = rng.choice(_US_AREAS)
        return f"({area}) {rng.randint(2, 9)}{rng.randrange(100):02d}-{rng.randrange(10**4):04d}"
    base = rng.choice(bases)
    national = str(base.national_number)
    keep = 4 if len(national) < 9 else 6
    national = national[:-keep] + f"{rng.randrange(10**keep):0{keep}d}"
    number = phonenumbers.PhoneNumber(
        country_code=base.country_code,
        national_number=int(national),
        italian_leading_zero=base.italian_leading_zero,
    )
    style = rng.random()
    if style < 0.45:
        return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL)
    if style < 0.7:
        return phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)
    if style < 0.85:
        return phonenumbers.format_number(number, PhoneNumberFormat.E164)
    if style < 0.95:
        return "00" + phonenumbers.format_number(number, PhoneNumberFormat.INTERNATIONAL)[1:]
    return phonenumbers.format_number(number, PhoneNumberFormat.NATIONAL).replace(" ", "-")
