"""The people and companies of a demo run: accounts, contacts, leads and their phone numbers.

:class:`PartyRows` also holds what every later pass draws from: the seeded random stream, the
id streams, the agents and the disposition codes (:mod:`agentdesk.demo.activity`).
"""

from __future__ import annotations

import random
import re
import uuid
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any

from agentdesk.db.bulk import BulkWriter
from agentdesk.demo import words
from agentdesk.demo.numbers import format_raw, reformat, type_pattern
from agentdesk.domain.enums import LeadStatus, PhoneKind

SHARED_COLUMNS = ("id", "created_at", "updated_at", "version", "deleted_at")
ACCOUNT_COLUMNS = (
    *SHARED_COLUMNS, "name", "industry", "website", "city", "country", "notes", "owner_id",
)  # fmt: skip
CONTACT_COLUMNS = (
    *SHARED_COLUMNS, "first_name", "last_name", "account_id", "title", "email", "city",
    "country", "notes", "owner_id",
)  # fmt: skip
LEAD_COLUMNS = (
    *SHARED_COLUMNS, "first_name", "last_name", "company", "email", "status", "source", "city",
    "country", "notes", "owner_id",
)  # fmt: skip
PHONE_COLUMNS = (
    *SHARED_COLUMNS, "raw", "e164", "extension", "kind", "contact_id", "account_id", "lead_id",
)  # fmt: skip


class SeededIds:
    """uuid7-shaped ids from a seeded stream: ordered within a run (cheap B-tree appends)."""

    def __init__(self, rng: random.Random, base_ms: int) -> None:
        self._rng = rng
        self._base_ms = base_ms
        self._n = 0

    def next(self) -> int:
        i = self._n
        self._n += 1
        ms = self._base_ms + (i >> 12)
        return (
            (ms << 80)
            | (0x7 << 76)
            | ((i & 0xFFF) << 64)
            | (0b10 << 62)
            | self._rng.getrandbits(62)
        )


@dataclass(slots=True)
class Person:
    """A contact or lead of the run (``id`` as an int, not yet formatted)."""

    id: int
    country: str
    account: int  # index into the run's accounts, -1 for none
    phone: str = ""  # primary E.164, filled by the phone pass
    raw: str = ""


@dataclass(slots=True)
class Company:
    """An account of the run and the indexes of its contacts."""

    id: int
    country: str
    phone: str = ""
    contacts: list[int] = field(default_factory=list)


class PartyRows:
    """The seeded run: its randomness and ids, and the accounts, contacts and leads it made.

    The row generators fill the lists as they go: each pass reads what the earlier ones made.
    """

    def __init__(
        self,
        seed: int,
        existing: int,
        now: datetime,
        agents: list[uuid.UUID],
        codes: dict[str, uuid.UUID],
    ) -> None:
        # The stream depends on what is already there, so a second run adds new people.
        stream = f"agentdesk-demo:{seed}:{existing}"
        self.rng = random.Random(stream)
        self.now = now.replace(tzinfo=None)  # naive UTC inside the generator (fast)
        base_ms = int(now.timestamp() * 1000)
        self._id_rng = random.Random(stream + ":ids")
        self.ids = {
            t: SeededIds(self._id_rng, base_ms)
            for t in ("account", "contact", "lead", "phone", "opp", "case", "call", "cb")
        }
        self.agents = [a.int for a in agents]
        self.codes = {code: ident.int for code, ident in codes.items()}
        self.accounts: list[Company] = []
        self.contacts: list[Person] = []
        self.leads: list[Person] = []
        self.used_numbers: set[str] = set()
        self.countries = [c for c, _ in words.COUNTRY_WEIGHTS]
        self.country_cum = cumulative(w for _, w in words.COUNTRY_WEIGHTS)

    # -- helpers -----------------------------------------------------------------------------

    def country(self) -> str:
        return self.rng.choices(self.countries, cum_weights=self.country_cum)[0]

    def agent(self) -> int | None:
        return self.rng.choice(self.agents) if self.agents else None

    def past(self, days: float) -> datetime:
        return self.now - timedelta(seconds=self.rng.random() * days * 86400)

    def shared(self, w: BulkWriter, ident: int, created: datetime) -> tuple[Any, ...]:
        stamp = w.ts(created)
        return (w.uuid(ident), stamp, stamp, 1, None)

    def person_name(self, country: str) -> tuple[str, str, str]:
        """(first, last, e-mail local part)."""
        rng = self.rng
        if country in ("CN", "HK") and (country == "CN" or rng.random() < 0.6):
            last, last_py = rng.choice(words.CHINESE_SURNAMES)
            first, first_py = rng.choice(words.CHINESE_GIVEN)
            return first, last, f"{first_py}.{last_py}"
        if country == "DE":
            first, last = rng.choice(words.GERMAN_FIRST), rng.choice(words.GERMAN_LAST)
        elif country == "FR":
            first, last = rng.choice(words.FRENCH_FIRST), rng.choice(words.FRENCH_LAST)
        else:
            first, last = rng.choice(words.ENGLISH_FIRST), rng.choice(words.ENGLISH_LAST)
        local = f"{first}.{last}".lower().replace("'", "")
        local = local.translate(str.maketrans("üäöéè", "uaoee"))
        return first, last, local

    def company_name(self, country: str) -> str:
        rng = self.rng
        if country == "CN":
            return (
                rng.choice(("北京", "上海", "深圳", "杭州"))
                + rng.choice(words.CHINESE_COMPANY_WORDS)
                + rng.choice(words.CHINESE_COMPANY_KINDS)
                + "有限公司"
            )
        return (
            f"{rng.choice(words.COMPANY_WORDS)} {rng.choice(words.COMPANY_KINDS)} "
            f"{rng.choice(words.COMPANY_SUFFIX[country])}"
        )

    def account_ref(self, w: BulkWriter, person: Person) -> str | None:
        return w.uuid(self.accounts[person.account].id) if person.account >= 0 else None

    def number(self, country: str, mobile: bool) -> tuple[str, str]:
        """A new (E.164, raw text as a person would type it) in ``country``."""
        rng = self.rng
        plans = [p for p in words.PHONE_PLANS[country] if p.mobile == mobile]
        plan = rng.choice(plans or words.PHONE_PLANS[country])
        pattern = type_pattern(plan)
        while True:
            prefix = rng.choice(plan.prefixes)
            size = plan.length - len(prefix) - 1
            nsn = (
                prefix
                + str(rng.randint(plan.first_digit_min, 9))
                + f"{rng.randrange(10**size):0{size}d}"
            )
            e164 = f"+{plan.country_code}{nsn}"
            if e164 not in self.used_numbers and pattern.fullmatch(nsn):
                self.used_numbers.add(e164)
                return e164, format_raw(rng, plan, nsn)

    # -- rows ---------------------------------------------------------------------------------

    def account_rows(self, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
        rng, ids = self.rng, self.ids["account"]
        for _ in range(count):
            country = self.country()
            company = Company(ids.next(), country)
            self.accounts.append(company)
            name = self.company_name(country)
            slug = re.sub(r"[^a-z0-9]+", "", name.lower())[:20] or f"co{len(self.accounts)}"
            yield (
                *self.shared(w, company.id, self.past(1500)),
                name,
                rng.choice(words.INDUSTRIES),
                f"https://www.{slug}.example" if rng.random() < 0.8 else None,
                rng.choice(words.CITIES[country]),
                country,
                None,
                opt_uuid(w, self.agent()),
            )

    def contact_rows(self, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
        rng, ids = self.rng, self.ids["contact"]
        n_accounts = len(self.accounts)
        for serial in range(count):
            account = rng.randrange(n_accounts) if rng.random() < 0.85 else -1
            # People mostly live where their company is.
            if account >= 0 and rng.random() < 0.9:
                country = self.accounts[account].country
            else:
                country = self.country()
            person = Person(ids.next(), country, account)
            self.contacts.append(person)
            if account >= 0:
                self.accounts[account].contacts.append(len(self.contacts) - 1)
            first, last, local = self.person_name(country)
            yield (
                *self.shared(w, person.id, self.past(1200)),
                first,
                last,
                opt_uuid(w, self.accounts[account].id if account >= 0 else None),
                rng.choice(words.TITLES),
                f"{local}{serial % 1000}@{rng.choice(words.EMAIL_DOMAINS[country])}",
                rng.choice(words.CITIES[country]),
                country,
                None,
                opt_uuid(w, self.agent()),
            )

    def lead_rows(self, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
        rng, ids = self.rng, self.ids["lead"]
        statuses = list(LeadStatus)
        for serial in range(count):
            country = self.country()
            person = Person(ids.next(), country, -1)
            self.leads.append(person)
            first, last, local = self.person_name(country)
            yield (
                *self.shared(w, person.id, self.past(400)),
                first,
                last,
                self.company_name(country) if rng.random() < 0.8 else None,
                f"{local}.lead{serial % 1000}@{rng.choice(words.EMAIL_DOMAINS[country])}",
                rng.choices(statuses, weights=(40, 30, 15, 10, 5))[0].value,
                rng.choice(words.LEAD_SOURCES),
                rng.choice(words.CITIES[country]),
                country,
                None,
                opt_uuid(w, self.agent()),
            )

    def phone_rows(self, w: BulkWriter) -> Iterator[tuple[Any, ...]]:
        rng, ids = self.rng, self.ids["phone"]

        def row(
            owner: int, column: int, e164: str, raw: str, kind: PhoneKind, ext: str | None = None
        ) -> tuple[Any, ...]:
            owners: list[str | None] = [None, None, None]  # contact, account, lead
            owners[column] = w.uuid(owner)
            return (
                *self.shared(w, ids.next(), self.past(1000)),
                raw + (f" x{ext}" if ext else ""),
                e164,
                ext,
                kind.value,
                *owners,
            )

        for company in self.accounts:
            company.phone, raw = self.number(company.country, mobile=False)
            yield row(company.id, 1, company.phone, raw, PhoneKind.WORK)
        for person in self.contacts:
            mobile = rng.random() < 0.85
            person.phone, person.raw = self.number(person.country, mobile=mobile)
            kind = PhoneKind.MOBILE if mobile else PhoneKind.WORK
            yield row(person.id, 0, person.phone, person.raw, kind)
            employer = self.accounts[person.account] if person.account >= 0 else None
            if employer is not None and rng.random() < 0.03:
                # Switchboard shared with the account: such a caller matches both.
                raw = reformat(rng, employer.phone, person.country)
                yield row(person.id, 0, employer.phone, raw, PhoneKind.WORK)
            elif rng.random() < 0.4:
                e164, raw = self.number(person.country, mobile=False)
                ext = str(rng.randint(10, 4999)) if rng.random() < 0.05 else None
                yield row(person.id, 0, e164, raw, PhoneKind.WORK, ext)
            if rng.random() < 0.08:
                e164, raw = self.number(person.country, mobile=False)
                yield row(person.id, 0, e164, raw, PhoneKind.HOME)
        for lead in self.leads:
            if self.contacts and rng.random() < 0.02:
                # A lead that is really a known contact calling from the same phone.
                known = rng.choice(self.contacts)
                lead.phone, lead.raw = known.phone, reformat(rng, known.phone, lead.country)
            else:
                lead.phone, lead.raw = self.number(lead.country, mobile=rng.random() < 0.7)
            yield row(lead.id, 2, lead.phone, lead.raw, PhoneKind.MOBILE)


def opt_uuid(w: BulkWriter, value: int | None) -> str | None:
    """``value`` in ``w``'s UUID form, ``None`` for ``None``."""
    return None if value is None else w.uuid(value)


def cumulative(weights: Iterable[float]) -> list[float]:
    """Running totals of ``weights``, for ``bisect`` and ``choices(cum_weights=...)``."""
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out
