"""The call-list reading of a row (``parse_first_phone``) agrees with the contact reading.

A campaign fill promises the contact import's rules: the same rejects with the same reasons.
``parse_first_phone`` is a lighter copy of ``parse`` for a million rows, so every row here is
read both ways and the answers must match: the same reason, or the first phone, names and
place of ``parse``'s row (and "no phone number" where ``parse`` accepts a row without one).
"""

from __future__ import annotations

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from agentdesk.crm.importing.csv_columns import match_header
from agentdesk.crm.importing.rows import NO_PHONE, FirstPhoneRow, RowParser

HEADERS = (
    ("First Name", "Last Name", "Company", "Phone", "Mobile", "Email", "City", "Country"),
    ("Name", "Phone", "Phone", "Work Phone", "Country", "Title"),
    ("Full name", "Company", "Mobile", "Home phone", "Email", "City"),
    ("Company", "Email"),
)
PHONES = (
    "(212) 555-0123", "+1 212 555 0123", "2125550123", "+44 20 7946 0018", "0044 20 7946 0018",
    "+86 131 2358 7472", "010 1239 0487", "+49 1512 3550708", "030 122945", "12", "not a number",
    "+1 212 555 0123 ext. 12345678901234567", "212-555-0123 x 42", "+999 123", "０２０ ７９４６",
    "tel:+442079460018", "011 44 20 7946 0018", "", "  ",
)  # fmt: skip
TEXT = st.sampled_from(("", " ", "Ann", "  Lee  ", "Smith, John", "欧阳修", "张 三", "x" * 101))
COUNTRIES = st.sampled_from(("", "US", "GB", "China", "中国", "Germany", "xx", "de", "AQ", "+247"))
EMAILS = st.sampled_from(("", "a@b.example", "e" * 250 + "@x.example", "a@b", "not-an-email"))
CITIES = st.sampled_from(("", "Berlin", "c" * 101))


def cell_for(header: str) -> st.SearchStrategy[str]:
    key = header.lower()
    if "phone" in key or "mobile" in key:
        return st.sampled_from(PHONES)
    if key == "country":
        return COUNTRIES
    if key == "email":
        return EMAILS
    if key == "city":
        return CITIES
    return TEXT


@st.composite
def rows(draw: st.DrawFn) -> tuple[tuple[str, ...], list[str]]:
    header = draw(st.sampled_from(HEADERS))
    cells = [draw(cell_for(name)) for name in header]
    if draw(st.integers(0, 9)) == 0:  # a record with a field too many or too few
        cells = cells[:-1] if draw(st.booleans()) else [*cells, "extra"]
    return header, cells


def expected(parser: RowParser, cells: list[str]) -> FirstPhoneRow | str:
    row = parser.parse(7, cells)
    if isinstance(row, str):
        return row
    if not row.phones:
        return NO_PHONE
    phone = row.phones[0]
    return (phone.raw, phone.e164, row.first, row.last, row.company, row.city, row.country)


@settings(max_examples=600, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(rows(), st.sampled_from(("US", "CN", "DE")))
def test_the_call_list_reading_matches_the_contact_reading(
    row: tuple[tuple[str, ...], list[str]], region: str
) -> None:
    header, cells = row
    parser = RowParser(match_header(header), region)
    assert parser.parse_first_phone(cells) == expected(parser, cells)


def test_every_reason_is_met() -> None:
    """The examples reach each kind of answer, so the property above compares them all."""
    parser = RowParser(match_header(HEADERS[0]), "US")

    def row(**cells: str) -> list[str]:
        return [cells.get(name.split()[0].lower(), "") for name in HEADERS[0]]

    cases = {
        "expected 8 fields, found 2": ["Ann", "Lee"],
        "phone '12' is not a valid number for region US": row(first="Ann", phone="12"),
        "phone '+1 212 555 0123 ext. 12345678901234567' has an extension longer than 16 digits": (
            row(phone="+1 212 555 0123 ext. 12345678901234567")
        ),
        "no name, company, phone or e-mail": row(city="Berlin"),
        "first name is longer than 100 characters": row(first="x" * 101, phone="2125550123"),
        "city is longer than 100 characters": row(first="Ann", city="c" * 101),
        "email 'a@b' is not an e-mail address (like name@example.com)": row(first="A", email="a@b"),
        "country 'xx' is not a known country (an ISO 3166 code such as US or CN, or a name such "
        "as China)": row(first="Ann", country="xx"),
        NO_PHONE: row(first="Ann"),
    }
    for reason, cells in cases.items():
        assert parser.parse_first_phone(cells) == expected(parser, cells) == reason
    accepted = row(first="Ann", phone=" (212) 555-0123 ", mobile="+44 20 7946 0018", country="US")
    first = ("(212) 555-0123", "+12125550123", "Ann", None, None, None, "US")
    assert parser.parse_first_phone(accepted) == expected(parser, accepted) == first
