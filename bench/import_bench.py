"""Contact CSV import: ``agentdesk.crm.importing.importer.import_contacts`` of a generated file.

The rows are new US contacts (names, a company, a phone number typed as people do, a unique
e-mail address), imported into the benchmark database on top of the data set: the import
then checks for duplicates against everything already there, as a real import would. They are
deleted again afterwards (and before, after an interrupted run), so the data set stays at N
contacts run after run; the up to 997 ``Import Co`` accounts stay and are matched next time.
"""

from __future__ import annotations

import csv
import random
import shutil
import tempfile
import time
from pathlib import Path
from typing import Any

from sqlalchemy import Engine, text

from agentdesk.crm.importing.importer import import_contacts
from agentdesk.db.engine import session_factory
from agentdesk.demo.words import ENGLISH_FIRST, ENGLISH_LAST


def default_rows(contacts: int) -> int:
    return min(contacts, 100_000)


IMPORT_DOMAIN = "@import.example"


def bench_import(engine: Engine, rows: int) -> dict[str, Any]:
    left_over = remove_imported(engine)
    rng = random.Random(time.time_ns())  # new people each run: a rerun must not be duplicates
    workdir = Path(tempfile.mkdtemp(prefix="agentdesk-bench-import-"))
    try:
        path = workdir / "contacts.csv"
        write_csv(path, rows, rng)
        size_mb = round(path.stat().st_size / 1e6, 1)
        started = time.perf_counter()
        result = import_contacts(session_factory(engine), path, default_region="US")
        seconds = time.perf_counter() - started
    finally:
        shutil.rmtree(workdir, ignore_errors=True)
        removed = remove_imported(engine)
    return {
        "import_rows_per_s": round(rows / seconds, 1),
        "import": {
            "rows": rows,
            "file_mb": size_mb,
            "seconds": round(seconds, 3),
            "imported": result.imported,
            "duplicates": result.duplicates,
            "rejected": len(result.rejected),
            "into": "the benchmark database, on top of the data set; deleted afterwards",
            "removed_after": removed,
            "left_over_removed_before": left_over,
        },
    }


def remove_imported(engine: Engine) -> int:
    """Delete the contacts (and their numbers) a benchmark import added; returns how many.

    Foreign-key checks are off for this: the contacts chosen are referenced by nothing but
    their numbers (deleted first), and the check would probe every table that references
    contacts once per deleted contact.
    """
    # Keep any the desk has since linked a call, case, deal or callback to.
    unused = " ".join(
        f"AND NOT EXISTS (SELECT 1 FROM {t} x WHERE x.contact_id = c.id)"
        for t in ("calls", "callbacks", "service_cases", "opportunities")
    )
    mine = f"SELECT c.id FROM contacts c WHERE c.email LIKE '%{IMPORT_DOMAIN}' {unused}"
    sqlite = engine.dialect.name == "sqlite"
    with engine.connect() as conn:
        if sqlite:
            conn.exec_driver_sql("PRAGMA foreign_keys=OFF")  # a no-op inside a transaction
            conn.commit()
        try:
            if not sqlite:
                conn.exec_driver_sql("SET LOCAL session_replication_role = replica")
            conn.execute(text(f"DELETE FROM phone_numbers WHERE contact_id IN ({mine})"))
            removed = conn.execute(text(f"DELETE FROM contacts WHERE id IN ({mine})")).rowcount
            conn.commit()
        finally:
            conn.rollback()
            if sqlite:
                conn.exec_driver_sql("PRAGMA foreign_keys=ON")
                conn.commit()
    return int(removed)


def write_csv(path: Path, rows: int, rng: random.Random) -> None:
    tag = f"{rng.getrandbits(32):08x}"
    with path.open("w", encoding="utf-8", newline="") as fh:
        writer = csv.writer(fh)
        writer.writerow(["First Name", "Last Name", "Company", "Phone", "Email", "Country"])
        for i in range(rows):
            first, last = rng.choice(ENGLISH_FIRST), rng.choice(ENGLISH_LAST)
            area = rng.choice(("212", "415", "617", "312"))
            phone = (
                f"({area}) {rng.randint(2, 9)}{rng.randrange(100):02d}-{rng.randrange(10**4):04d}"
            )
            email = f"{first}.{last}.{tag}.{i}{IMPORT_DOMAIN}".lower().replace("'", "")
            writer.writerow([first, last, f"Import Co {i % 997}", phone, email, "US"])
