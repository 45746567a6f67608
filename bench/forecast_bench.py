"""The sales forecast over many opportunities: median and worst of a few runs per grouping.

    python bench/forecast_bench.py --db sqlite:////tmp/f.db --opportunities 300000
    python bench/forecast_bench.py --db postgresql+psycopg://USER@HOST/DB --opportunities 300000

Fills the database (migrated first) with N opportunities spread over 200 reps, 2 years of
close dates and every stage, unless it holds that many already, then times ``forecast`` by
month, quarter and rep over one year as the database owner (no role filter).
"""

from __future__ import annotations

import argparse
import json
import random
import statistics
import sys
import time
import uuid
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, insert, select  # noqa: E402

from agentdesk.crm.models import Account, Opportunity  # noqa: E402
from agentdesk.db import migrate  # noqa: E402
from agentdesk.db.base import table_of  # noqa: E402
from agentdesk.db.engine import create_db_engine, session_factory  # noqa: E402
from agentdesk.org.models import User  # noqa: E402
from agentdesk.sales.forecast import forecast  # noqa: E402
from agentdesk.sales.stages import read_stages  # noqa: E402

BATCH = 10_000


def fill(sessions, count: int) -> None:  # type: ignore[no-untyped-def]
    rng = random.Random(7)
    now = datetime.now(UTC)
    with sessions.begin() as s:
        have = s.scalar(select(func.count()).select_from(Opportunity)) or 0
        if have >= count:
            return
        users = [uuid.uuid4() for _ in range(200)]
        s.execute(
            insert(table_of(User)),
            [
                {
                    "id": u,
                    "username": f"bench.rep{i}",
                    "display_name": f"Rep {i}",
                    "role": "sales_rep",
                    "active": True,
                    "version": 1,
                    "created_at": now,
                    "updated_at": now,
                }
                for i, u in enumerate(users)
            ],
        )
        account = uuid.uuid4()
        s.execute(
            insert(table_of(Account)),
            [{"id": account, "name": "Bench", "version": 1, "created_at": now, "updated_at": now}],
        )
    with sessions() as s:
        stages = [stage.code for stage in read_stages(s) if stage.active]  # the admin's rows
    start = date(2026, 1, 1)
    for first in range(have, count, BATCH):
        rows = [
            {
                "id": uuid.uuid4(),
                "name": f"Deal {n}",
                "account_id": account,
                "stage": rng.choice(stages),
                "amount": Decimal(rng.randint(100, 10_000_000)) / 100,
                "currency": "CNY",
                "close_date": start + timedelta(days=rng.randrange(730)),
                "probability": rng.choice([None, None, None, rng.randint(0, 100)]),
                "owner_id": rng.choice(users),
                "version": 1,
                "created_at": now,
                "updated_at": now,
            }
            for n in range(first, min(first + BATCH, count))
        ]
        with sessions.begin() as s:
            s.execute(insert(table_of(Opportunity)), rows)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--opportunities", type=int, default=300_000)
    parser.add_argument("--runs", type=int, default=5)
    args = parser.parse_args()
    engine = create_db_engine(args.db)
    migrate.upgrade(engine)
    sessions = session_factory(engine)
    began = time.perf_counter()
    fill(sessions, args.opportunities)
    filled = time.perf_counter() - began
    result: dict[str, object] = {
        "engine": engine.dialect.name,
        "opportunities": args.opportunities,
        "fill_seconds": round(filled, 1),
    }
    for by in ("month", "quarter", "rep"):
        times = []
        for _ in range(args.runs):
            t0 = time.perf_counter()
            forecast(
                sessions,
                by=by,
                start=date(2026, 1, 1),
                end=date(2026, 12, 31),
                today=date(2026, 6, 15),
            )
            times.append((time.perf_counter() - t0) * 1000)
        result[f"forecast_{by}_ms"] = {
            "median": round(statistics.median(times), 1),
            "max": round(max(times), 1),
        }
    print(json.dumps(result))
    engine.dispose()


if __name__ == "__main__":
    main()
