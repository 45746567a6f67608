"""Search as you type on both engines: matches, ranking, and index use of every query."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Call, Contact, Lead, PhoneRecord
from agentdesk.crm.search import ContactSearch
from agentdesk.crm.search_branches import MatchedOn
from agentdesk.crm.search_terms import next_number_prefix, phone_prefixes
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.enums import CallDirection, OwnerKind, PhoneKind

LAST_CALL = datetime(2026, 11, 1, 10, 30, tzinfo=UTC)
FULL_SCAN = re.compile(r"\bSCAN (contacts|leads|accounts|phone_numbers|calls)\b")


@pytest.fixture
def ids(sessions: sessionmaker[Session]) -> dict[str, uuid.UUID]:
    with unit_of_work(sessions) as s:
        engines = Account(name="Analytical Engines Ltd")
        s.add(engines)
        s.flush()
        people = {
            "ada": Contact(
                first_name="Ada",
                last_name="Lovelace",
                email="Ada.Lovelace@engines.example",
                account_id=engines.id,
                country="GB",
            ),
            "adam": Contact(first_name="Adam", last_name="Smith", country="GB"),
            "adams": Contact(first_name="John", last_name="Adams", country="US"),
            "wang": Contact(first_name="小明", last_name="王", country="CN"),
            "wangwei": Contact(first_name="伟", last_name="王", country="CN"),
            "ouyang": Contact(first_name="子轩", last_name="欧阳", country="CN"),
            "olund": Contact(first_name="Åsa", last_name="Ölund", country="SE"),
            "gone": Contact(
                first_name="Ada", last_name="Lovelock", deleted_at=LAST_CALL, country="GB"
            ),
        }
        s.add_all(people.values())
        grace = Lead(first_name="Grace", last_name="Hopper", company="Analytic Navy Labs")
        s.add(grace)
        s.flush()
        s.add_all(
            [
                PhoneRecord(
                    raw="07700 900123",
                    e164="+447700900123",
                    kind=PhoneKind.MOBILE,
                    contact_id=people["ada"].id,
                ),
                PhoneRecord(raw="020 7946 0018", e164="+442079460018", contact_id=people["ada"].id),
                PhoneRecord(raw="+1 212 555 0142", e164="+12125550142", lead_id=grace.id),
                PhoneRecord(raw="020 7946 0999", e164="+442079460999", account_id=engines.id),
                PhoneRecord(
                    raw="020 7946 0111", e164="+442079460111", contact_id=people["gone"].id
                ),
            ]
        )
        s.add(
            Call(
                direction=CallDirection.INBOUND,
                started_at=LAST_CALL,
                contact_id=people["ada"].id,
                remote_e164="+442079460018",
            )
        )
        found = {name: c.id for name, c in people.items()}
        found["grace"] = grace.id
        found["engines"] = engines.id
        return found


@pytest.fixture
def search(sessions: sessionmaker[Session]) -> ContactSearch:
    return ContactSearch(sessions, default_region="GB")


def names(hits: tuple[object, ...]) -> list[str]:
    return [hit.name for hit in hits]  # type: ignore[attr-defined]


def test_full_name_prefix_finds_the_person_with_details(
    search: ContactSearch, ids: dict[str, uuid.UUID]
) -> None:
    hits = search.search("ada lov")

    assert [h.id for h in hits] == [ids["ada"]]  # the deleted Ada Lovelock is not there
    hit = hits[0]
    assert (hit.kind, hit.name, hit.company, hit.email) == (
        OwnerKind.CONTACT,
        "Ada Lovelace",
        "Analytical Engines Ltd",
        "Ada.Lovelace@engines.example",
    )
    assert hit.phone == "+442079460018"  # the work number is the best one
    assert hit.last_contact_at == LAST_CALL
    assert hit.matched_on is MatchedOn.FULL_NAME
    assert [h.id for h in search.search("Lovelace, A")] == [ids["ada"]]
    assert [h.id for h in search.search("LOVELACE")] == [ids["ada"]]


def test_prefixes_are_ranked_by_kind_of_match(
    search: ContactSearch, ids: dict[str, uuid.UUID]
) -> None:
    hits = search.search("ada")

    # last name "Adams" before first names "Ada", "Adam"; the e-mail match is the same Ada.
    assert names(hits) == ["John Adams", "Ada Lovelace", "Adam Smith"]
    assert [h.matched_on for h in hits] == [
        MatchedOn.LAST_NAME,
        MatchedOn.FIRST_NAME,
        MatchedOn.FIRST_NAME,
    ]
    assert len(search.search("ada", limit=2)) == 2


def test_too_short_latin_input_finds_nothing_but_one_cjk_character_does(
    search: ContactSearch, ids: dict[str, uuid.UUID]
) -> None:
    assert search.search("") == ()
    assert search.search("   ") == ()
    assert search.search("a") == ()
    assert search.search("12") == ()
    assert set(names(search.search("王"))) == {"王小明", "王伟"}


def test_chinese_names_match_family_name_first(
    search: ContactSearch, ids: dict[str, uuid.UUID]
) -> None:
    assert [h.id for h in search.search("王小")] == [ids["wang"]]
    assert [h.id for h in search.search("王小明")] == [ids["wang"]]
    assert [h.id for h in search.search("欧阳子")] == [ids["ouyang"]]
    assert [h.id for h in search.search("小明")] == [ids["wang"]]  # the given name alone
    assert search.search("王小明")[0].matched_on is MatchedOn.FULL_NAME


def test_non_ascii_letters_match_in_any_case(
    search: ContactSearch, ids: dict[str, uuid.UUID]
) -> None:
    assert [h.id for h in search.search("öl")] == [ids["olund"]]
    assert [h.id for h in search.search("ÖLUND")] == [ids["olund"]]
    assert [h.id for h in search.search("åsa ö")] == [ids["olund"]]


def test_company_and_email(search: ContactSearch, ids: dict[str, uuid.UUID]) -> None:
    hits = search.search("analyt")

    assert [(h.kind, h.id) for h in hits] == [
        (OwnerKind.ACCOUNT, ids["engines"]),
        (OwnerKind.LEAD, ids["grace"]),
        (OwnerKind.CONTACT, ids["ada"]),  # works at the matching company
    ]
    assert hits[0].phone == "+442079460999" and hits[1].company == "Analytic Navy Labs"
    assert hits[2].matched_on is MatchedOn.COMPANY_MEMBER
    email = search.search("ada.lovelace@eng")
    assert [(h.id, h.matched_on) for h in email] == [(ids["ada"], MatchedOn.EMAIL)]


@pytest.mark.parametrize(
    "typed",
    ["+44 20 7946", "+44 (0)20 7946", "0044 20 7946 00", "020 7946 00", "20 7946", "4420794"],
)
def test_phone_prefixes_in_any_format(
    search: ContactSearch, ids: dict[str, uuid.UUID], typed: str
) -> None:
    hits = search.search(typed)

    by_id = {h.id: h for h in hits}
    assert ids["ada"] in by_id and by_id[ids["ada"]].phone == "+442079460018"
    assert by_id[ids["ada"]].matched_on is MatchedOn.PHONE
    assert ids["gone"] not in by_id


def test_phone_search_reaches_leads_and_accounts(
    search: ContactSearch, ids: dict[str, uuid.UUID]
) -> None:
    assert [(h.kind, h.id) for h in search.search("+1 212 555")] == [(OwnerKind.LEAD, ids["grace"])]
    assert [h.id for h in search.search("020 7946 09")] == [ids["engines"]]
    # No area code: not a prefix, but the number's end (tests/integration/test_search_numbers.py).
    assert [h.matched_on for h in search.search("7946 0018")] == [MatchedOn.PHONE_END]


def test_phone_prefix_reading() -> None:
    assert phone_prefixes("020 7946", "GB") == ("+44207946",)
    assert phone_prefixes("20 7946", "GB") == ("+207946", "+44207946")
    assert phone_prefixes("+44 (0)20 79", None) == ("+442079",)
    assert phone_prefixes("(212) 555", "US") == ("+212555", "+1212555")
    assert phone_prefixes("1 212 555", "US") == ("+1212555",)  # US trunk prefix 1
    assert phone_prefixes("011 44 20", "US") == ("+4420",)
    assert phone_prefixes("0086 138", "GB") == ("+86138",)
    assert phone_prefixes("12", "US") == ()
    assert [next_number_prefix(p) for p in ("+4420", "+4479", "+1999", "+999")] == [
        "+4421",
        "+448",
        "+2",
        "+:",
    ]


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[tuple[str, object]]]:
    seen: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, sql: str, params: object, *_: object) -> None:
        seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", capture)
    yield seen
    event.remove(engine, "before_cursor_execute", capture)


@pytest.mark.parametrize("typed", ["ada lov", "王小", "analyt", "öl", "020 7946", "946 0018"])
def test_every_search_query_is_an_index_scan(
    engine: Engine,
    search: ContactSearch,
    ids: dict[str, uuid.UUID],
    statements: list[tuple[str, object]],
    typed: str,
) -> None:
    search.search(typed)

    plans = []
    with engine.connect() as conn:
        if engine.dialect.name == "postgresql":
            # Tiny tables make a sequential scan cheapest; forbid it so a missing index shows.
            conn.execute(text("SET enable_seqscan = off"))
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
            cursor.execute(explain + sql, params)
            plans.append("\n".join(str(row[-1] if engine.dialect.name == "sqlite" else row[0])
                                   for row in cursor.fetchall()))  # fmt: skip
    assert plans
    for plan in plans:
        if engine.dialect.name == "sqlite":
            # "SCAN <table>" is a full scan; "SCAN (subquery-1)" reads a UNION ALL part.
            assert not FULL_SCAN.search(plan), plan
        else:
            assert "Seq Scan" not in plan, plan


def test_expression_indexes_exist(engine: Engine) -> None:
    """SQLite cannot reflect expression indexes, so the migration check cannot see them."""
    query = (
        "SELECT name FROM sqlite_master WHERE type = 'index'"
        if engine.dialect.name == "sqlite"
        else "SELECT indexname FROM pg_indexes WHERE schemaname = 'public'"
    )
    with engine.connect() as conn:
        present = set(conn.execute(text(query)).scalars())
    assert {
        "ix_contacts_lower_last_first",
        "ix_contacts_lower_first_last",
        "ix_contacts_lower_email",
        "ix_leads_lower_last_first",
        "ix_leads_lower_first_last",
        "ix_leads_lower_email",
        "ix_leads_lower_company",
        "ix_accounts_lower_name",
        "ix_phone_numbers_e164_reversed",
    } <= present
