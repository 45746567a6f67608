"""Filling a campaign from a CSV file (``agentdesk campaign import``).

CSV files go through the contact importer's reader and row rules (``crm.importing.csv_reader``
and the importer's row parser: field count, names, country column, strict phone validation,
field lengths, e-mail shape), the same reject file ``<stem>.rejects.csv`` and the same result
shape, so ``campaign import`` reports and exits like ``import contacts``. One entry per row:
the row's first phone column with a number. An optional time-zone column (``time zone``,
``tz``, ``时区``) overrides the number's zones.

See :mod:`agentdesk.dialer.loader` for what every fill does with the rows. A big file is read and
parsed by several processes (:mod:`agentdesk.dialer.csv_rows`), each taking byte ranges of the
file, while this process writes what they have parsed so far.
"""

from __future__ import annotations

import itertools
import uuid
from collections.abc import Generator, Iterable, Iterator, Mapping
from contextlib import closing
from datetime import datetime
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing.csv_columns import CONTACT_COLUMNS
from agentdesk.crm.importing.csv_encoding import ImportFileError
from agentdesk.crm.importing.csv_reader import CsvTable, open_csv
from agentdesk.crm.importing.importer import ProgressCallback
from agentdesk.crm.importing.parallel import (
    auto_workers,
    batches,
    gc_paused,
    in_processes,
)
from agentdesk.crm.importing.rejects import RejectedRow, RejectWriter
from agentdesk.crm.importing.rows import RowParser
from agentdesk.db.bulk import bulk_writer, id_block_base, row_format
from agentdesk.db.bulk_writers import TableRows
from agentdesk.db.planner_stats import analyze
from agentdesk.dialer.campaigns import load_campaign
from agentdesk.dialer.csv_rows import (
    CSV_COLUMNS,
    E164,
    STATUS,
    ZONE_KEY,
    Ids,
    Layout,
    Parsed,
    RangeTask,
    numbered,
    parse_range,
    parse_records,
    parse_remote,
)
from agentdesk.dialer.known_numbers import campaign_numbers, listed_numbers
from agentdesk.dialer.loader import (
    ANALYZE_ABOVE,
    LoadResult,
    audit_load,
    entry_constants,
)
from agentdesk.dialer.models import CampaignZone
from agentdesk.dialer.rules import EntryStatus
from agentdesk.domain.clock import utcnow
from agentdesk.domain.phone import region_for_country

TIME_ZONE = "time_zone"
CAMPAIGN_COLUMNS: Mapping[str, tuple[str, ...]] = {
    **CONTACT_COLUMNS,
    TIME_ZONE: ("time zone", "timezone", "tz", "zone", "时区"),
}
BATCH_ROWS = 20_000
PARALLEL_ABOVE_BYTES = 8 * 1024 * 1024
"""Files bigger than this (about 100,000 rows) are parsed in several processes."""


def import_csv(
    sessions: sessionmaker[Session],
    campaign: str,
    path: Path,
    *,
    default_region: str,
    encoding: str | None = None,
    progress: ProgressCallback | None = None,
    actor: str | None = None,
    workers: int | None = None,
) -> LoadResult:
    """Load the rows of the CSV file at ``path`` into ``campaign`` (see the module docstring).

    Row parsing (phone validation and time zones above all) dominates big files, so above
    :data:`PARALLEL_ABOVE_BYTES` the file is parsed in ``workers`` processes (default: one per
    CPU; ``1`` parses in this process), each reading its own byte ranges of the file, while
    this process writes the entries parsed so far. ``progress`` is called after every batch of
    records with ``(rows_done, bytes_done, total_bytes)``.

    Raises :class:`ImportFileError` when the file cannot be read or has no phone column, and
    :class:`~agentdesk.dialer.campaigns.UnknownCampaignError`.
    """
    path = Path(path)
    region = default_region.strip().upper()
    if region_for_country(region) != region:
        raise ValueError(f"default_region {default_region!r} is not a known region code")
    with sessions() as session:
        campaign_id = load_campaign(session, campaign).id  # fail before reading a million rows
    now = utcnow()
    with gc_paused(), open_csv(path, encoding=encoding, columns=CAMPAIGN_COLUMNS) as table:
        parser = RowParser(table.mapping, region)
        if not parser.phones:
            found = ", ".join(repr(h) for h in table.header) or "nothing"
            raise ImportFileError(
                f"{path}: no phone column on line {table.header_line}; found {found}"
            )
        layout = Layout(table.mapping, region, table.mapping.position(TIME_ZONE), table.delimiter)
        rejects = RejectWriter(path, table.header, table.delimiter)
        load = _CsvLoad(table, rejects, progress)
        try:
            if workers is None:
                workers = auto_workers(table.total_bytes, PARALLEL_ABOVE_BYTES)
            ids = Ids(id_block_base(), 0, row_format(_engine(sessions).dialect.name).uuid)
            parsed: Generator[tuple[Parsed, int, int], None, None]
            if workers > 1:
                parsed = _parsed_in_processes(table, layout, workers, ids)
            else:
                parsed = (
                    (parse_records(parser, layout, batch, task), 0, table.bytes_read)
                    for task, batch in numbered(ids, batches(table.records(), BATCH_ROWS))
                )
            # closing(): an error or a cancel stops the worker processes at once.
            with closing(load.chunks(parsed)) as chunks:
                imported = _write_csv(
                    sessions, campaign_id, chunks, load, now=now, stream=workers > 1
                )
            if progress is not None:
                progress(load.done, table.total_bytes, table.total_bytes)
            reject_file = rejects.finish()
        except BaseException:
            rejects.discard()
            raise
    audit_load(sessions, campaign, campaign_id, f"file {path.name}", actor, now, imported, load)
    return LoadResult(imported, load.duplicates, load.dnc, tuple(load.rejected), reject_file)


PICK_INDEX = "ix_dialer_entries_pick"
RANGE_BYTES = 2 * 1024 * 1024
"""How much of the file one parsing task reads (about 30,000 rows), but for the first and last
few tasks, which read an eighth of it."""
PIECES_PER_RANGE = 8


def _task_ranges(pieces: list[tuple[int, int]], workers: int) -> list[tuple[int, int]]:
    """Consecutive byte ranges joined into parsing tasks: one piece each at both ends.

    Small first tasks let the writing here start soon. Small last ones let the processes end
    together: after them comes writing that only this process does (the index build, the
    commit), and a long last task would keep one core idle meanwhile.
    """
    edge = 2 * workers
    if len(pieces) <= workers + edge:
        return pieces
    body = pieces[workers:-edge]
    joined = [
        (group[0][0], group[-1][1])
        for group in (
            body[at : at + PIECES_PER_RANGE] for at in range(0, len(body), PIECES_PER_RANGE)
        )
    ]
    return [*pieces[:workers], *joined, *pieces[-edge:]]


def _parsed_in_processes(
    table: CsvTable, layout: Layout, workers: int, ids: Ids
) -> Generator[tuple[Parsed, int, int], None, None]:
    """``(parsed, line offset of its rejects, bytes done)`` in file order, from ``workers``.

    Each process reads its own byte ranges, so this one neither reads nor ships the records.
    A range that cannot stand alone (a quoted field across the cut, an undecodable byte) and
    the rest of the file after it are read here and parsed in batches by the processes, as
    one whole-file read would see them: same records, line numbers and CSV errors.
    """
    ranges = _task_ranges(table.ranges(max(1, RANGE_BYTES // PIECES_PER_RANGE)) or [], workers)
    resume_at = (table.lines_before_data, 0)  # (lines before, byte offset); 0: from the header
    if ranges:
        last = len(ranges) - 1
        tasks = (
            RangeTask(ids._replace(task=index), start, end, index == last)
            for index, (start, end) in enumerate(ranges)
        )
        args = (layout, table.path, table.encoding)
        # No waiting for the processes to exit: tearing down their caches of a million
        # numbers takes a second that the writing here does not need to wait for.
        results = in_processes(parse_range, args, tasks, workers, per_worker=3, wait=False)
        with closing(results):
            lines = table.lines_before_data
            for task, packed in results:
                parsed = Parsed.unpacked(packed)
                if not parsed.complete:
                    resume_at = (lines, task.start)
                    break
                yield parsed, lines, task.end
                lines += parsed.lines
            else:
                return
    lines_before, offset = resume_at
    records = table.resume(offset, lines_before) if offset else table.records()
    source = numbered(ids._replace(task=len(ranges)), batches(records, BATCH_ROWS))
    for _task, packed in in_processes(parse_remote, (layout,), source, workers):
        yield Parsed.unpacked(packed), 0, table.bytes_read


class _CsvLoad:
    """The reading side of a CSV load: rejects, progress, zone groups, and the counts."""

    def __init__(
        self, table: CsvTable, rejects: RejectWriter, progress: ProgressCallback | None
    ) -> None:
        self.table = table
        self.rejects = rejects
        self.progress = progress
        self.rejected: list[RejectedRow] = []
        self.zones: dict[str, tuple[str, ...]] = {}
        self.used_zones: set[str] = set()
        self.done = 0
        self.bytes_done = 0
        self.duplicates = 0
        self.dnc = 0

    def chunks(
        self, parsed: Generator[tuple[Parsed, int, int], None, None]
    ) -> Generator[list[tuple[Any, ...]], None, None]:
        """The entry rows of each parsed chunk, chunks in file order; rejects go to the file."""
        with closing(parsed):
            for outcome, line_offset, bytes_done in parsed:
                for line, reason, row, tail in outcome.rejects:
                    line += line_offset
                    self.rejected.append(RejectedRow(line, reason, row))
                    self.rejects.write_line(line, tail)
                self.zones.update(outcome.zones)
                self.done += outcome.records
                self.bytes_done = bytes_done
                if self.progress is not None:
                    self.progress(self.done, bytes_done, self.table.total_bytes)
                yield outcome.rows

    def entries(
        self, chunks: Iterable[list[tuple[Any, ...]]], existing: set[str], listed: set[str]
    ) -> Iterator[tuple[Any, ...]]:
        """The rows to write: the first of each number, DNC-listed ones with that status."""
        seen = existing
        dnc = str(EntryStatus.DNC)
        used = self.used_zones
        for chunk in chunks:
            for values in chunk:
                e164 = values[E164]
                if e164 in seen:
                    self.duplicates += 1
                    continue
                seen.add(e164)
                used.add(values[ZONE_KEY])
                if e164 in listed:
                    self.dnc += 1
                    values = (*values[:STATUS], dnc)
                yield values


def _engine(sessions: sessionmaker[Session]) -> Engine:
    engine = sessions.kw["bind"]
    assert isinstance(engine, Engine)
    return engine


def _write_csv(
    sessions: sessionmaker[Session],
    campaign_id: uuid.UUID,
    chunks: Iterator[list[tuple[Any, ...]]],
    load: _CsvLoad,
    *,
    now: datetime,
    stream: bool,
) -> int:
    """Write the entries of ``chunks``; returns how many were written.

    ``stream`` (big files): rows are written while later ones are still being parsed, so the
    numbers already in the campaign and on DNC lists are read whole beforehand; otherwise all
    rows are parsed first and only their numbers are looked up.
    """
    source: Iterable[list[tuple[Any, ...]]]
    if stream:
        # The first parsed rows first: that starts the parsing processes, which go on
        # while the numbers already in the campaign and on DNC lists are read below.
        first = next(chunks, [])
        source = itertools.chain((first,), chunks)
        # The index rebuild decision needs the row count before the rows: estimate it.
        expected = len(first) * load.table.total_bytes // max(load.bytes_done, 1)
    else:
        source = list(chunks)
        expected = sum(len(chunk) for chunk in source)
    with sessions() as session:
        known_zones = set(
            session.scalars(
                select(CampaignZone.zone_key).where(CampaignZone.campaign_id == campaign_id)
            )
        )
        if stream:
            existing = campaign_numbers(session, campaign_id, None)
            listed = listed_numbers(session, campaign_id, None)
        else:
            numbers = {values[E164] for chunk in source for values in chunk}
            existing = campaign_numbers(session, campaign_id, numbers)
            listed = listed_numbers(session, campaign_id, numbers)
    engine = _engine(sessions)
    with bulk_writer(engine) as writer:
        campaign_value = writer.uuid(campaign_id.int)

        def zone_rows() -> list[TableRows]:
            rows = [
                (campaign_value, key, " ".join(load.zones[key]))
                for key in sorted(load.used_zones - known_zones)
            ]
            return [("dialer_campaign_zones", ("campaign_id", "zone_key", "zones"), rows)]

        written = writer.write(
            "dialer_entries",
            CSV_COLUMNS,
            load.entries(source, existing, listed),
            expected=expected,
            constants={
                **entry_constants(writer, campaign_id, now),
                "contact_id": None,
                "lead_id": None,
            },
            then=zone_rows,
            # One campaign's entries enter the pick index at one place per zone group and
            # status: updating it as rows come costs less than sorting it again at the end.
            keep=(PICK_INDEX,),
        )
    if written > ANALYZE_ABOVE:
        analyze(engine, "dialer_entries")
    return written
