"""Search by the end of a number and by the national form of another country's number, on both
engines (issue 14: agents search that way all day, and found nothing)."""

from __future__ import annotations

import re
import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, event, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Contact, Lead, PhoneRecord
from agentdesk.crm.search import ContactSearch
from agentdesk.crm.search_branches import MatchedOn
from agentdesk.db.engine import unit_of_work

FULL_SCAN = re.compile(r"\bSCAN (contacts|leads|accounts|phone_numbers|calls)\b")


@pytest.fixture
def ids(sessions: sessionmaker[Session]) -> dict[str, uuid.UUID]:
    """A London contact, a Shanghai contact and a US lead, at a desk in the US."""
    with unit_of_work(sessions) as s:
        london = Contact(first_name="Oliver", last_name="Bennett", country="GB")
        shanghai = Contact(first_name="明", last_name="陈", country="CN")
        gone = Contact(first_name="Old", last_name="Number", country="GB")
        lead = Lead(first_name="Grace", last_name="Hopper", company="Navy Labs")
        s.add_all([london, shanghai, gone, lead])
        s.flush()
        s.add_all(
            [
                PhoneRecord(raw="020 3452 1234", e164="+442034521234", contact_id=london.id),
                PhoneRecord(raw="021 6452 5991", e164="+862164525991", contact_id=shanghai.id),
                PhoneRecord(raw="(212) 555-0142", e164="+12125550142", lead_id=lead.id),
                PhoneRecord(
                    raw="020 3452 9999",
                    e164="+442034529999",
                    contact_id=gone.id,
                    deleted_at=lead.created_at,
                ),
            ]
        )
        return {"london": london.id, "shanghai": shanghai.id, "lead": lead.id}


@pytest.fixture
def search(sessions: sessionmaker[Session]) -> ContactSearch:
    return ContactSearch(sessions, default_region="US")


@pytest.mark.parametrize("typed", ["4525991", "452 5991", "64525991", "2164525991"])
def test_the_last_digits_of_a_number_find_its_record(
    search: ContactSearch, ids: dict[str, uuid.UUID], typed: str
) -> None:
    hits = search.search(typed)

    assert [(h.id, h.phone, h.matched_on) for h in hits] == [
        (ids["shanghai"], "+862164525991", MatchedOn.PHONE_END)
    ]


def test_an_end_match_ranks_after_a_start_match(
    sessions: sessionmaker[Session], search: ContactSearch, ids: dict[str, uuid.UUID]
) -> None:
    with unit_of_work(sessions) as s:
        starts = Contact(first_name="Starts", last_name="With", country="US")
        s.add(starts)
        s.flush()
        s.add(PhoneRecord(raw="(452) 599-1000", e164="+14525991000", contact_id=starts.id))
        starts_id = starts.id

    hits = search.search("4525991")

    assert [(h.id, h.matched_on) for h in hits] == [
        (starts_id, MatchedOn.PHONE),
        (ids["shanghai"], MatchedOn.PHONE_END),
    ]


@pytest.mark.parametrize("typed", ["020 3452 1234", "020 3452", "(020) 3452-12", "02034521"])
def test_the_national_form_of_another_countrys_number_finds_it(
    search: ContactSearch, ids: dict[str, uuid.UUID], typed: str
) -> None:
    hits = search.search(typed)

    assert [(h.id, h.phone, h.matched_on) for h in hits] == [
        (ids["london"], "+442034521234", MatchedOn.PHONE)
    ]  # the deleted number of the same range is not there


def test_national_forms_are_read_for_the_countries_the_desk_has_numbers_of(
    search: ContactSearch, ids: dict[str, uuid.UUID]
) -> None:
    # Shanghai's 021 is a national form in China: +86 21...
    assert [h.id for h in search.search("021 6452")] == [ids["shanghai"]]
    # The desk's own region still reads its national numbers, with or without the trunk 1.
    assert [h.id for h in search.search("212 555 01")] == [ids["lead"]]
    assert [h.id for h in search.search("1 212 555 01")] == [ids["lead"]]


def test_a_new_countrys_numbers_are_read_once_the_codes_are_read_again(
    sessions: sessionmaker[Session],
) -> None:
    from agentdesk.crm.search_numbers import CODES_TTL_S, StoredCodes

    now = [0.0]
    codes = StoredCodes(clock=lambda: now[0])
    with sessions() as session:
        assert codes.get(session) == ()
    with unit_of_work(sessions) as s:
        berlin = Contact(first_name="Jonas", last_name="Keller", country="DE")
        s.add(berlin)
        s.flush()
        s.add(PhoneRecord(raw="030 901820", e164="+4930901820", contact_id=berlin.id))
        s.add(PhoneRecord(raw="+1 202 555 0100", e164="+12025550100", contact_id=berlin.id))
    with sessions() as session:
        assert codes.get(session) == ()  # read a moment ago: reused
        now[0] += CODES_TTL_S
        assert codes.get(session) == (1, 49)


def test_readings() -> None:
    from agentdesk.crm.search_terms import (
        next_digits_prefix,
        number_end,
        phone_prefixes,
        regions_of,
    )

    # The desk's region reads the digits as its own number too.
    assert phone_prefixes("020 3452", "US", regions_of([44, 86])) == (
        "+10203452",
        "+44203452",
        "+86203452",
    )
    # Other countries' national forms need their trunk prefix: last digits are not read as
    # a British number.
    assert phone_prefixes("4525991", "US", regions_of([44])) == ("+4525991", "+14525991")
    assert number_end("452-5991") == "1995254"
    assert number_end("+44 20") is None and number_end("991") is None
    assert number_end("1234567890123456") is None  # longer than any number
    assert [next_digits_prefix(k) for k in ("1995", "1299", "999")] == ["1996", "13", None]


@pytest.fixture
def statements(engine: Engine) -> Iterator[list[tuple[str, object]]]:
    seen: list[tuple[str, object]] = []

    def capture(conn: object, cursor: object, sql: str, params: object, *_: object) -> None:
        seen.append((sql, params))

    event.listen(engine, "before_cursor_execute", capture)
    yield seen
    event.remove(engine, "before_cursor_execute", capture)


@pytest.mark.parametrize("typed", ["4525991", "020 3452", "9999"])
def test_every_number_query_is_an_index_scan(
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
            conn.execute(text("SET enable_seqscan = off"))  # tiny tables: a missing index shows
        cursor = conn.connection.driver_connection.cursor()  # type: ignore[union-attr]
        for sql, params in statements:
            if not sql.lstrip().upper().startswith("SELECT"):
                continue
            explain = "EXPLAIN QUERY PLAN " if engine.dialect.name == "sqlite" else "EXPLAIN "
            cursor.execute(explain + sql, params)
            plans.append("\n".join(str(row[-1] if engine.dialect.name == "sqlite" else row[0])
                                   for row in cursor.fetchall()))  # fmt: skip
    assert any("e164_reversed" in plan for plan in plans)
    for plan in plans:
        if engine.dialect.name == "sqlite":
            assert not FULL_SCAN.search(plan), plan
        else:
            assert "Seq Scan" not in plan, plan
