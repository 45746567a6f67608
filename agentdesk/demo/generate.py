"""Realistic, deterministic demo data at any scale (a few rows for tests, millions for benchmarks).

``generate`` adds staff and a team (when absent), the default dispositions (when the table is
empty), then accounts, contacts, leads, phone numbers in several countries and human formats,
opportunities, cases, calls with wrap-ups and callbacks. The same seed on the same starting
database gives the same rows, ids included (pass ``now`` to pin the clock; only the staff rows,
made through the ORM, get fresh ids); a later run on a database that already holds demo data
draws from a different stream, so ids and numbers do not collide.

Rows go in through :mod:`agentdesk.db.bulk` (executemany on SQLite, COPY on PostgreSQL),
which is what makes a million contacts a matter of minutes instead of hours.
"""

from __future__ import annotations

import random
import re
import time
import uuid
from bisect import bisect
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import cache
from math import log
from typing import Any

import phonenumbers
from sqlalchemy import Engine, func, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import Contact, Disposition, Team, User
from agentdesk.db.bulk import BulkWriter, bulk_writer
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.demo import words
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.enums import (
    CallbackStatus,
    CallDirection,
    CasePriority,
    CaseStatus,
    LeadStatus,
    OpportunityStage,
    PhoneKind,
    Role,
)

DEMO_TEAM = "Demo team"
DEMO_AGENTS = 20
_SHARED = ("id", "created_at", "updated_at", "version", "deleted_at")


@dataclass(frozen=True, slots=True)
class DemoSummary:
    """How many rows one :func:`generate` call added, and how long it took."""

    users: int
    accounts: int
    contacts: int
    leads: int
    phone_numbers: int
    opportunities: int
    cases: int
    calls: int
    callbacks: int
    dispositions: int
    seconds: float


def generate(
    engine: Engine,
    contacts: int,
    *,
    seed: int = 1,
    calls_per_contact: float = 1.0,
    now: datetime | None = None,
) -> DemoSummary:
    """Add ``contacts`` demo contacts with everything around them to a migrated database."""
    if contacts < 1:
        raise ValueError("contacts must be at least 1")
    started = time.perf_counter()
    clock = (now or datetime.now(UTC)).astimezone(UTC)
    with unit_of_work(session_factory(engine)) as session:
        dispositions_added = ensure_default_dispositions(session)
        users_added, agents = _ensure_staff(session)
        codes = {code: ident for code, ident in session.execute(_DISPOSITION_IDS)}
        existing = session.scalar(select(func.count()).select_from(Contact)) or 0
    gen = _Generator(seed, existing, clock, agents, codes)
    with bulk_writer(engine) as writer:
        counts = gen.run(writer, contacts, calls_per_contact)
        writer.analyze()
    return DemoSummary(
        users=users_added,
        dispositions=dispositions_added,
        seconds=time.perf_counter() - started,
        **counts,
    )


_DISPOSITION_IDS = select(Disposition.code, Disposition.id)


def _ensure_staff(session: Session) -> tuple[int, list[uuid.UUID]]:
    """The demo team, agents, a supervisor and an admin; returns (added, agent ids)."""
    team = session.scalar(select(Team).where(Team.name == DEMO_TEAM))
    if team is None:
        team = Team(name=DEMO_TEAM)
        session.add(team)
        session.flush()
    wanted = [
        (f"demo.agent{i:02d}", f"Demo Agent {i:02d}", Role.AGENT) for i in range(1, DEMO_AGENTS + 1)
    ]
    wanted += [("demo.supervisor", "Demo Supervisor", Role.SUPERVISOR)]
    wanted += [("demo.admin", "Demo Admin", Role.ADMIN)]
    have = set(session.scalars(select(User.username).where(User.username.like("demo.%"))))
    added = 0
    for index, (username, display, role) in enumerate(wanted):
        if username in have:
            continue
        session.add(
            User(
                username=username,
                display_name=display,
                role=role,
                team_id=team.id,
                email=f"{username}@agentdesk.example",
                sip_extension=str(1000 + index),
            )
        )
        added += 1
    session.flush()
    agents = list(
        session.scalars(
            select(User.id).where(User.role == Role.AGENT, User.active.is_(True)).order_by(User.id)
        )
    )
    return added, agents


class _Ids:
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


@cache
def _type_pattern(plan: words.PhonePlan) -> re.Pattern[str]:
    meta = phonenumbers.PhoneMetadata.metadata_for_region(plan.region)
    desc = None if meta is None else meta.mobile if plan.mobile else meta.fixed_line
    if desc is None or not desc.national_number_pattern:
        raise LookupError(f"phonenumbers has no {plan} pattern")  # a broken install
    return re.compile(desc.national_number_pattern)


@dataclass(slots=True)
class _Person:
    id: int
    country: str
    account: int  # index into the run's accounts, -1 for none
    phone: str = ""  # primary E.164, filled by the phone pass
    raw: str = ""


@dataclass(slots=True)
class _Company:
    id: int
    country: str
    phone: str = ""
    contacts: list[int] = field(default_factory=list)


class _Generator:
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
            t: _Ids(self._id_rng, base_ms)
            for t in ("account", "contact", "lead", "phone", "opp", "case", "call", "cb")
        }
        self.agents = [a.int for a in agents]
        self.codes = {code: ident.int for code, ident in codes.items()}
        self.accounts: list[_Company] = []
        self.contacts: list[_Person] = []
        self.leads: list[_Person] = []
        self.used_numbers: set[str] = set()
        self.countries = [c for c, _ in words.COUNTRY_WEIGHTS]
        self.country_cum = _cumulative(w for _, w in words.COUNTRY_WEIGHTS)

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

    def number(self, country: str, mobile: bool) -> tuple[str, str]:
        """A new (E.164, raw text as a person would type it) in ``country``."""
        rng = self.rng
        plans = [p for p in words.PHONE_PLANS[country] if p.mobile == mobile]
        plan = rng.choice(plans or words.PHONE_PLANS[country])
        pattern = _type_pattern(plan)
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
                return e164, _format_raw(rng, plan, nsn)

    # -- passes ------------------------------------------------------------------------------

    def run(self, w: BulkWriter, contacts: int, calls_per_contact: float) -> dict[str, int]:
        n_accounts = max(1, contacts // 5)
        n_leads = max(1, contacts // 10)
        counts: dict[str, int] = {}
        counts["accounts"] = w.write(
            "accounts", _ACCOUNT_COLS, self.account_rows(w, n_accounts), expected=n_accounts
        )
        counts["contacts"] = w.write(
            "contacts", _CONTACT_COLS, self.contact_rows(w, contacts), expected=contacts
        )
        counts["leads"] = w.write("leads", _LEAD_COLS, self.lead_rows(w, n_leads), expected=n_leads)
        counts["phone_numbers"] = w.write(
            "phone_numbers", _PHONE_COLS, self.phone_rows(w), expected=int(contacts * 1.8)
        )
        n_opps = max(1, int(n_accounts * 1.5))
        counts["opportunities"] = w.write(
            "opportunities", _OPP_COLS, self.opportunity_rows(w, n_opps), expected=n_opps
        )
        n_cases = max(1, int(contacts * 0.3))
        counts["cases"] = w.write(
            "service_cases", _CASE_COLS, self.case_rows(w, n_cases), expected=n_cases
        )
        n_calls = round(contacts * calls_per_contact)
        n_lead_calls = round(n_leads * calls_per_contact * 0.5)
        counts["calls"] = w.write(
            "calls",
            _CALL_COLS,
            self.call_rows(w, n_calls, n_lead_calls),
            expected=n_calls + n_lead_calls,
        )
        n_callbacks = max(1, int(contacts * 0.05))
        counts["callbacks"] = w.write(
            "callbacks", _CALLBACK_COLS, self.callback_rows(w, n_callbacks), expected=n_callbacks
        )
        return counts

    def account_rows(self, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
        rng, ids = self.rng, self.ids["account"]
        for _ in range(count):
            country = self.country()
            company = _Company(ids.next(), country)
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
                _opt_uuid(w, self.agent()),
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
            person = _Person(ids.next(), country, account)
            self.contacts.append(person)
            if account >= 0:
                self.accounts[account].contacts.append(len(self.contacts) - 1)
            first, last, local = self.person_name(country)
            yield (
                *self.shared(w, person.id, self.past(1200)),
                first,
                last,
                _opt_uuid(w, self.accounts[account].id if account >= 0 else None),
                rng.choice(words.TITLES),
                f"{local}{serial % 1000}@{rng.choice(words.EMAIL_DOMAINS[country])}",
                rng.choice(words.CITIES[country]),
                country,
                None,
                _opt_uuid(w, self.agent()),
            )

    def lead_rows(self, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
        rng, ids = self.rng, self.ids["lead"]
        statuses = list(LeadStatus)
        for serial in range(count):
            country = self.country()
            person = _Person(ids.next(), country, -1)
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
                _opt_uuid(w, self.agent()),
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
                raw = _reformat(rng, employer.phone, person.country)
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
                lead.phone, lead.raw = known.phone, _reformat(rng, known.phone, lead.country)
            else:
                lead.phone, lead.raw = self.number(lead.country, mobile=rng.random() < 0.7)
            yield row(lead.id, 2, lead.phone, lead.raw, PhoneKind.MOBILE)

    def opportunity_rows(self, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
        rng, ids = self.rng, self.ids["opp"]
        stages = list(OpportunityStage)
        probability = {"prospecting": 10, "qualification": 25, "proposal": 50, "negotiation": 75}
        today = self.now.date()
        for _ in range(count):
            company = rng.choice(self.accounts)
            contact = (
                self.contacts[rng.choice(company.contacts)]
                if company.contacts and rng.random() < 0.7
                else None
            )
            stage = rng.choices(stages, weights=(15, 15, 15, 10, 25, 20))[0].value
            closed = stage in ("closed_won", "closed_lost")
            offset = -rng.randint(1, 400) if closed else rng.randint(-20, 180)
            yield (
                *self.shared(w, ids.next(), self.past(500)),
                f"{rng.choice(words.OPPORTUNITY_NAMES)} {rng.randint(2024, 2027)}",
                w.uuid(company.id),
                _opt_uuid(w, contact.id if contact else None),
                stage,
                w.money(Decimal(rng.randint(5, 5000) * 100) + Decimal("0.50")),
                {"CN": "CNY", "GB": "GBP", "DE": "EUR", "FR": "EUR", "AU": "AUD", "HK": "HKD"}.get(
                    company.country, "USD"
                ),
                w.day(today + timedelta(days=offset)),
                100 if stage == "closed_won" else 0 if closed else probability[stage],
                _opt_uuid(w, self.agent()),
            )

    def case_rows(self, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
        rng, ids = self.rng, self.ids["case"]
        statuses = list(CaseStatus)
        priorities = list(CasePriority)
        for _ in range(count):
            person = rng.choice(self.contacts)
            status = rng.choices(statuses, weights=(10, 15, 10, 30, 35))[0]
            due = self.now + timedelta(hours=rng.randint(-72, 240)) if status.is_open else None
            account = self.accounts[person.account].id if person.account >= 0 else None
            yield (
                *self.shared(w, ids.next(), self.past(300)),
                rng.choice(words.CASE_SUBJECTS),
                "Reported by phone." if rng.random() < 0.5 else None,
                status.value,
                rng.choices(priorities, weights=(20, 55, 20, 5))[0].value,
                w.uuid(person.id),
                _opt_uuid(w, account),
                _opt_uuid(w, self.agent()),
                w.ts(due),
            )

    def call_rows(self, w: BulkWriter, count: int, lead_count: int) -> Iterator[tuple[Any, ...]]:
        # The hot loop of a large run (five calls per contact): plain random() arithmetic and
        # pre-formatted ids instead of rng.choice/choices and per-row uuid formatting.
        rnd, ids, ts, fmt_uuid = self.rng.random, self.ids["call"], w.ts, w.uuid
        answered_codes = [c for c in _ANSWERED_CODES if c in self.codes]
        missed_codes = [c for c in _MISSED_CODES if c in self.codes]
        answered_refs = [fmt_uuid(self.codes[c]) for c in answered_codes]
        missed_refs = [fmt_uuid(self.codes[c]) for c in missed_codes]
        answered_cum = _cumulative(_ANSWERED_CODES[c] for c in answered_codes)
        missed_cum = _cumulative(_MISSED_CODES[c] for c in missed_codes)
        agents: list[str | None] = [fmt_uuid(a) for a in self.agents] or [None]
        n_agents = len(agents)
        inbound, outbound = CallDirection.INBOUND.value, CallDirection.OUTBOUND.value
        contacts = [
            (fmt_uuid(p.id), p.phone, p.raw, self._account_ref(w, p)) for p in self.contacts
        ]
        leads = [(fmt_uuid(p.id), p.phone, p.raw, None) for p in self.leads]
        notes, n_notes = words.CALL_NOTES, len(words.CALL_NOTES)
        year = 365 * 86400.0
        now = self.now
        for serial in range(count + lead_count):
            is_lead = serial >= count
            pool = leads if is_lead else contacts
            ref, phone, raw, account = pool[int(rnd() * len(pool))]
            started = now - timedelta(seconds=rnd() * year)
            ring = round(2 + rnd() * 23, 1)
            answered = rnd() < 0.65
            disposition: str | None = None
            if answered and answered_refs:
                disposition = answered_refs[bisect(answered_cum, rnd() * answered_cum[-1])]
            elif not answered and missed_refs:
                disposition = missed_refs[bisect(missed_cum, rnd() * missed_cum[-1])]
            talk = round(-180.0 * log(1.0 - rnd()), 1) if answered else None
            ended = started + timedelta(seconds=ring + (talk or 0.0))
            ended_s = ts(ended)
            direction = inbound if rnd() < 0.45 else outbound
            yield (
                fmt_uuid(ids.next()),
                ended_s,
                ended_s,
                1,
                None,
                direction,
                phone,
                raw,
                "sip:queue@pbx.example" if direction == inbound else None,
                agents[int(rnd() * n_agents)],
                f"{int(rnd() * 2**53):014x}@pbx.example",
                ts(started),
                ts(started + timedelta(seconds=ring)) if answered else None,
                ended_s,
                ring,
                talk,
                round(rnd() * 30, 1) if answered and rnd() < 0.2 else None,
                "hangup" if answered else "no_answer",
                disposition,
                notes[int(rnd() * n_notes)] if answered and rnd() < 0.4 else None,
                None,
                None if is_lead else ref,
                account,
                ref if is_lead else None,
                None,
                None,
            )

    def _account_ref(self, w: BulkWriter, person: _Person) -> str | None:
        return w.uuid(self.accounts[person.account].id) if person.account >= 0 else None

    def callback_rows(self, w: BulkWriter, count: int) -> Iterator[tuple[Any, ...]]:
        rng, ids = self.rng, self.ids["cb"]
        statuses = list(CallbackStatus)
        for _ in range(count):
            is_lead = rng.random() < 0.2
            person = rng.choice(self.leads if is_lead else self.contacts)
            status = rng.choices(statuses, weights=(80, 15, 5))[0]
            roll = rng.random()
            if roll < 0.35:  # overdue
                due = self.now - timedelta(minutes=rng.randint(10, 5 * 1440))
            elif roll < 0.7:  # due today
                due = self.now + timedelta(minutes=rng.randint(5, 600))
            else:
                due = self.now + timedelta(days=rng.randint(2, 20))
            done = status is not CallbackStatus.PENDING
            yield (
                *self.shared(w, ids.next(), due - timedelta(days=rng.randint(1, 14))),
                w.ts(due),
                _opt_uuid(w, self.agent()),
                None if is_lead else w.uuid(person.id),
                w.uuid(person.id) if is_lead else None,
                person.phone,
                rng.choice(
                    (
                        "Call back about the quote",
                        "Customer asked to call after 3pm",
                        "Follow up on the case",
                        "回电确认订单",
                    )
                ),
                status.value,
                None,
                w.ts(due) if done else None,
            )


_ANSWERED_CODES = {
    "sale": 5, "interested": 10, "callback": 10, "not_interested": 15, "resolved": 20,
    "info_given": 30, "do_not_call": 2, "wrong_number": 3,
}  # fmt: skip
_CALLBACK_NOTES = (
    "Call back about the quote",
    "Customer asked to call after 3pm",
    "Follow up on the case",
    "回电确认订单",
)
_MISSED_CODES = {"no_answer": 50, "busy": 15, "voicemail": 35}

_ACCOUNT_COLS = (*_SHARED, "name", "industry", "website", "city", "country", "notes", "owner_id")
_CONTACT_COLS = (
    *_SHARED, "first_name", "last_name", "account_id", "title", "email", "city", "country",
    "notes", "owner_id",
)  # fmt: skip
_LEAD_COLS = (
    *_SHARED, "first_name", "last_name", "company", "email", "status", "source", "city",
    "country", "notes", "owner_id",
)  # fmt: skip
_PHONE_COLS = (*_SHARED, "raw", "e164", "extension", "kind", "contact_id", "account_id", "lead_id")
_OPP_COLS = (
    *_SHARED, "name", "account_id", "contact_id", "stage", "amount", "currency", "close_date",
    "probability", "owner_id",
)  # fmt: skip
_CASE_COLS = (
    *_SHARED, "subject", "description", "status", "priority", "contact_id", "account_id",
    "owner_id", "due_at",
)  # fmt: skip
_CALL_COLS = (
    *_SHARED, "direction", "remote_e164", "remote_raw", "local_party", "agent_id", "sip_call_id",
    "started_at", "answered_at", "ended_at", "ring_seconds", "talk_seconds", "hold_seconds",
    "end_reason", "disposition_id", "notes", "recording_path", "contact_id", "account_id",
    "lead_id", "opportunity_id", "case_id",
)  # fmt: skip
_CALLBACK_COLS = (
    *_SHARED, "due_at", "agent_id", "contact_id", "lead_id", "phone_e164", "note", "status",
    "call_id", "completed_at",
)  # fmt: skip


def _opt_uuid(w: BulkWriter, value: int | None) -> str | None:
    return None if value is None else w.uuid(value)


def _cumulative(weights: Any) -> list[float]:
    total = 0.0
    out = []
    for weight in weights:
        total += weight
        out.append(total)
    return out


def _group(nsn: str, sizes: Sequence[int]) -> list[str]:
    parts, start = [], 0
    for size in sizes:
        parts.append(nsn[start : start + size])
        start += size
    if start < len(nsn):
        parts[-1] += nsn[start:]
    return parts


def _format_raw(rng: random.Random, plan: words.PhonePlan, nsn: str) -> str:
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


def _reformat(rng: random.Random, e164: str, reader_country: str) -> str:
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
