"""A parsing task's entries: grouped by zone for the writer, file order kept where it matters.

The writer keeps the first row of each number, and the dialer offers a zone group's entries
in the order they were written, so both must still follow the file.
"""

from __future__ import annotations

from agentdesk.crm.importing.csv_columns import match_header
from agentdesk.crm.importing.rows import RowParser
from agentdesk.db.uuid_text import hex_uuid
from agentdesk.dialer.csv_fill import CAMPAIGN_COLUMNS, TIME_ZONE
from agentdesk.dialer.csv_rows import E164, ZONE_KEY, Ids, Layout, parse_records

NUMBERS = [  # New York, Los Angeles, London, New York, London, Los Angeles, New York again
    "+1 212 555 0101",
    "+1 213 555 0102",
    "+44 20 7946 0103",
    "+1 212 555 0104",
    "+44 20 7946 0105",
    "+1 213 555 0106",
    "+1 212 555 0101",
]


def parse(header: tuple[str, ...], records: list[tuple[int, list[str]]]) -> list[tuple[str, ...]]:
    mapping = match_header(header, CAMPAIGN_COLUMNS)
    layout = Layout(mapping, "US", mapping.position(TIME_ZONE), ",")
    parsed = parse_records(RowParser(mapping, "US"), layout, records, Ids(1 << 100, 3, hex_uuid))
    assert parsed.records == len(records)
    return parsed.rows


def test_entries_come_grouped_by_zone_in_file_order_within_a_group() -> None:
    records = [(n + 2, [f"Name {n}", number]) for n, number in enumerate(NUMBERS)]
    rows = parse(("First Name", "Phone"), records)

    keys = [row[ZONE_KEY] for row in rows]
    assert keys == sorted(keys)  # grouped
    for key in set(keys):
        names = [row[5] for row in rows if row[ZONE_KEY] == key]
        assert names == sorted(names, key=lambda name: int(name.split()[1]))  # file order
    # The repeated number stays behind its first row, which the writer keeps.
    repeated = [row[5] for row in rows if row[E164] == "+12125550101"]
    assert repeated == ["Name 0", "Name 6"]
    # Ids rise in the order the rows are written, from the task's block.
    assert [row[0] for row in rows] == [hex_uuid((1 << 100 | 3 << 24) + n) for n in range(7)]


def test_with_a_time_zone_column_the_file_order_is_kept() -> None:
    # One number in two zones: sorting by zone would put the later row first.
    records = [
        (2, ["Ann", "+1 212 555 0101", "America/New_York"]),
        (3, ["Bob", "+1 212 555 0101", "America/Chicago"]),
        (4, ["Cy", "+44 20 7946 0103", ""]),
    ]
    rows = parse(("First Name", "Phone", "Time zone"), records)
    assert [row[5] for row in rows] == ["Ann", "Bob", "Cy"]
