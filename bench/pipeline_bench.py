"""The pipeline screen's pages and the forecast at sales scale (issue 17's must-show).

    python bench/pipeline_bench.py --engine sqlite --out bench/results/pipeline-sqlite.json
    python bench/pipeline_bench.py --engine postgresql --out bench/results/pipeline-pg.json
    python bench/pipeline_bench.py --db postgresql+psycopg://USER@HOST/DB ...

Fills a migrated database with the bulk writers (``agentdesk.db.bulk``): 200 sales reps in four
teams under one department and their manager, 10,000 accounts, ``--opportunities`` (300,000)
over every stage and two years of close dates (5 % undated, 2 % in the pool), each with its
creation in the stage history and the won ones with the day they were won, and
``--quote-lines`` (1,000,000) on quotes of ten lines. A SQLite file is kept in bench/.cache and
reused; PostgreSQL without ``--db`` runs on a throwaway server (``tests/support/pg_server.py``,
a free port) removed afterwards.

Timed, after ``--warmup`` untimed calls, ``--samples`` times each, what the pipeline screen
reads through ``sales.pipeline``, each call in its own session as the screen's: the board (every
stage column's first page), one stage column's first page (cycling over the stages) and the
list view's first page (50 cards each, sorted by close date), as the database owner, as the
manager (their department) and as a rep (their own and the pool); on PostgreSQL also on the
manager's and the rep's own logins (row-level security on top). Then
``sales.forecast.forecast`` by month, quarter, rep and category over one year,
``--forecast-runs`` times each, as the owner, the manager and (PostgreSQL) the manager's login.
"""

from __future__ import annotations

import argparse
import json
import random
import sys
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import date, datetime, timedelta
from decimal import Decimal
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from sqlalchemy import Engine, func, select, text  # noqa: E402
from sqlalchemy.orm import Session, sessionmaker  # noqa: E402

from agentdesk.crm.models import Opportunity  # noqa: E402
from agentdesk.db import migrate  # noqa: E402
from agentdesk.db.bulk import bulk_writer, id_block  # noqa: E402
from agentdesk.db.engine import create_db_engine, session_factory, sqlite_url  # noqa: E402
from agentdesk.org.admin import add_team, add_user, create_logins, set_password  # noqa: E402
from agentdesk.org.users import find_user  # noqa: E402
from agentdesk.sales.forecast import forecast  # noqa: E402
from agentdesk.sales.pipeline import (  # noqa: E402
    PipelineFilter,
    pipeline_board,
    pipeline_page,
    pipeline_stages,
)
from agentdesk.sales.stages import read_stages  # noqa: E402
from bench.bench_stats import machine, percentiles  # noqa: E402

CACHE = ROOT / "bench" / ".cache"
TEAMS, REPS_PER_TEAM, ACCOUNTS, LINES_PER_QUOTE = 4, 50, 10_000, 10
LINED_SHARE = 0.1
"""Opportunities whose amount comes from two product lines (the forecast by category)."""
MANAGER, REP = "bench.manager", "bench.rep1"
PASSWORD = "bench-pipeline-7"
START = date(2026, 1, 1)
NOW = datetime(2026, 6, 15, 12, 0)
"""Naive UTC, as the bulk writers take it."""


@contextmanager
def database(engine_name: str, url: str | None, opportunities: int) -> Iterator[str]:
    if url:
        yield url
        return
    if engine_name == "sqlite":
        CACHE.mkdir(parents=True, exist_ok=True)
        yield sqlite_url(CACHE / f"pipeline-{opportunities}.db").render_as_string()
        return
    from tests.support.pg_server import start_server

    server = start_server()
    try:
        admin = create_db_engine(server.url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE agentdesk_pipeline"))
        admin.dispose()
        yield server.url_for("agentdesk_pipeline")
    finally:
        server.stop()


def _org(sessions: sessionmaker[Session]) -> list[Any]:
    add_team(sessions, "Sales")
    add_user(sessions, MANAGER, name="Bench manager", role="sales_manager", team="Sales")
    for t in range(1, TEAMS + 1):
        add_team(sessions, f"Sales {t}", parent="Sales")
        for r in range(REPS_PER_TEAM):
            n = (t - 1) * REPS_PER_TEAM + r + 1
            add_user(
                sessions, f"bench.rep{n}", name=f"Rep {n}", role="sales_rep", team=f"Sales {t}"
            )
    with sessions() as s:
        return [find_user(s, f"bench.rep{n}").id for n in range(1, TEAMS * REPS_PER_TEAM + 1)]


def fill(engine: Engine, opportunities: int, quote_lines: int) -> dict[str, Any]:
    """The data set, unless the database holds it already."""
    sessions = session_factory(engine)
    with sessions() as s:
        have = s.scalar(select(func.count()).select_from(Opportunity)) or 0
    if have >= opportunities:
        return {"reused": True}
    began = time.perf_counter()
    reps = _org(sessions)
    rng = random.Random(17)
    ids = id_block()
    with sessions() as s:
        stages = [stage for stage in read_stages(s) if stage.active]  # the admin's rows
    now_text: Any
    with bulk_writer(engine) as w:
        now_text = w.ts(NOW)
        stamp = {"version": 1, "created_at": now_text, "updated_at": now_text}
        accounts = [w.uuid(next(ids)) for _ in range(ACCOUNTS)]
        w.write("accounts", ["id", "name"], ([a, f"Account {i}"] for i, a in enumerate(accounts)),
                expected=ACCOUNTS, constants=stamp)  # fmt: skip
        rep_ids = [w.uuid(r.int) for r in reps]
        products = [w.uuid(next(ids)) for _ in range(100)]
        w.write("products", ["id", "code", "name", "category", "price_minor", "tax_rate_bp"],
                ([p, f"P-{i:03d}", f"Product {i}", f"Cat {i % 7}", 1000 + i, 1300]
                 for i, p in enumerate(products)),
                expected=100,
                constants={**stamp, "currency": "CNY", "active": w.flag(True)})  # fmt: skip
        history: list[list[Any]] = []
        product_lines: list[list[Any]] = []

        def deals() -> Iterator[list[Any]]:
            for n in range(opportunities):
                oid = w.uuid(next(ids))
                stage = rng.choice(stages)
                close = None if rng.random() < 0.05 else START + timedelta(days=rng.randrange(730))
                owner = None if rng.random() < 0.02 else rng.choice(rep_ids)
                override = rng.randint(0, 100) if rng.random() < 0.25 and stage.is_open else None
                cents = rng.randint(100, 10_000_000)
                if rng.random() < LINED_SHARE:  # two product lines make up its amount
                    first = rng.randint(1, cents - 1)
                    for position, net in ((1, first), (2, cents - first)):
                        product_lines.append([w.uuid(next(ids)), oid, position,
                                              rng.choice(products), 1000, net, 0, net])  # fmt: skip
                amount = w.money(Decimal(cents) / 100)
                created = NOW - timedelta(days=rng.randrange(700))
                history.append([w.uuid(next(ids)), oid, None, stage.code, w.ts(created)])
                won_at = None
                if stage.won:
                    won_at = created + timedelta(days=rng.randrange(60), hours=rng.randrange(24))
                    history.append([w.uuid(next(ids)), oid, "negotiation", stage.code,
                                    w.ts(won_at)])  # fmt: skip
                # the chance (crm/chance.py's rule): overrides are typed on open stages only
                chance = stage.probability if override is None else override
                yield [oid, f"Deal {n}", rng.choice(accounts), stage.code, amount,
                       w.day(close), override, chance, owner, w.ts(won_at)]  # fmt: skip

        w.write(
            "opportunities",
            ["id", "name", "account_id", "stage", "amount", "close_date", "probability",
             "chance", "owner_id", "won_at"],
            deals(),
            expected=opportunities,
            constants={**stamp, "currency": "CNY"},
        )  # fmt: skip
        w.write(
            "opportunity_lines",
            ["id", "opportunity_id", "position", "product_id", "quantity_milli",
             "unit_price_minor", "discount_bp", "net_minor"],
            product_lines,
            expected=len(product_lines),
        )  # fmt: skip
        w.write(
            "opportunity_stage_changes",
            ["id", "opportunity_id", "from_stage", "to_stage", "changed_at"],
            history,
            expected=len(history),
        )
        quotes = [w.uuid(next(ids)) for _ in range(quote_lines // LINES_PER_QUOTE)]
        w.write(
            "quotes",
            ["id", "number", "status", "account_id", "owner_id"],
            ([qid, f"QT-2026-{q + 1:06d}", rng.choice(("draft", "sent", "accepted")),
              rng.choice(accounts), rng.choice(rep_ids)] for q, qid in enumerate(quotes)),
            expected=len(quotes),
            constants={**stamp, "revision": 1, "currency": "CNY", "net_minor": 10_000,
                       "tax_minor": 1300, "gross_minor": 11_300},
        )  # fmt: skip

        def quote_lines_rows() -> Iterator[list[Any]]:
            for qid in quotes:
                for position in range(1, LINES_PER_QUOTE + 1):
                    i = rng.randrange(100)
                    yield [w.uuid(next(ids)), qid, position, products[i], f"P-{i:03d}",
                           f"Product {i}", 1000, 1000 + i, 0, 1300, 1000 + i]  # fmt: skip

        w.write(
            "quote_lines",
            ["id", "quote_id", "position", "product_id", "code", "description",
             "quantity_milli", "unit_price_minor", "discount_bp", "tax_rate_bp", "net_minor"],
            quote_lines_rows(),
            expected=len(quotes) * LINES_PER_QUOTE,
        )  # fmt: skip
        w.analyze()
    return {"reused": False, "fill_s": round(time.perf_counter() - began, 1)}


def timed(call: Callable[[], Any], samples: int, warmup: int) -> dict[str, Any]:
    for _ in range(warmup):
        call()
    times = []
    for _ in range(samples):
        t0 = time.perf_counter()
        call()
        times.append((time.perf_counter() - t0) * 1000)
    return percentiles(times, digits=2)


def measure_pages(sessions: sessionmaker[Session], actor: str | None, samples: int,
                  warmup: int) -> dict[str, Any]:  # fmt: skip
    """What the pipeline screen reads, each in its own session as the screen does: the board
    (every stage column's first page), one column, and the list view's first page."""
    stages = [column.stage for column in pipeline_stages(sessions)]
    turn = iter(range(10**9))
    everyone = PipelineFilter()

    def board() -> None:
        columns = pipeline_board(sessions, everyone, stages, actor=actor)
        assert any(page.cards for page in columns.values())

    def column() -> None:
        stage = stages[next(turn) % len(stages)]
        pipeline_page(sessions, PipelineFilter(stages=(stage,)), actor=actor)

    def listing() -> None:
        assert pipeline_page(sessions, everyone, actor=actor).cards

    by_chance = PipelineFilter(sort="probability", descending=True)

    def listing_by_probability() -> None:  # the effective probability, sorted in SQL
        assert pipeline_page(sessions, by_chance, actor=actor).cards

    return {
        "board_ms": timed(board, samples, warmup),
        "stage_column_first_page_ms": timed(column, samples, warmup),
        "list_view_first_page_ms": timed(listing, samples, warmup),
        "list_view_by_probability_ms": timed(listing_by_probability, samples, warmup),
    }


def measure_forecast(sessions: sessionmaker[Session], actor: str | None, runs: int) -> dict:
    out = {}
    for by in ("month", "quarter", "rep", "category"):
        out[f"forecast_{by}_ms"] = timed(
            lambda by=by: forecast(sessions, by=by, start=date(2026, 1, 1), end=date(2026, 12, 31),
                                   today=date(2026, 6, 15), actor=actor, zone="Asia/Shanghai"),
            runs, 1,
        )  # fmt: skip
    return out


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", help="an existing database URL instead")
    parser.add_argument("--opportunities", type=int, default=300_000)
    parser.add_argument("--quote-lines", type=int, default=1_000_000)
    parser.add_argument("--samples", type=int, default=200)
    parser.add_argument("--warmup", type=int, default=20)
    parser.add_argument("--forecast-runs", type=int, default=10)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()
    with database(args.engine, args.db, args.opportunities) as url:
        engine = create_db_engine(url)
        migrate.upgrade(engine)
        result: dict[str, Any] = {"engine": engine.dialect.name, "machine": machine(engine)}
        result["fill"] = fill(engine, args.opportunities, args.quote_lines)
        with engine.connect() as conn:
            tables = ("opportunities", "opportunity_lines", "opportunity_stage_changes", "quotes",
                      "quote_lines")  # fmt: skip
            result["rows"] = {t: conn.scalar(text(f"SELECT count(*) FROM {t}")) for t in tables}
        sessions = session_factory(engine)
        viewers: dict[str, tuple[sessionmaker[Session], str | None]] = {
            "owner": (sessions, None),
            "manager": (sessions, MANAGER),
            "rep": (sessions, REP),
        }
        logins: list[Engine] = []
        if engine.dialect.name == "postgresql":
            from tests.support.logins import login_engine

            create_logins(sessions)
            for name in (MANAGER, REP):
                set_password(sessions, name, PASSWORD)
                logins.append(login_engine(url, name, PASSWORD))
                viewers[f"{name.split('.')[1]}_login"] = (session_factory(logins[-1]), None)
        result["load_before"] = Path("/proc/loadavg").read_text().split()[:3]
        for label, (factory, actor) in viewers.items():
            result[f"pages_{label}"] = measure_pages(factory, actor, args.samples, args.warmup)
        for label in ("owner", "manager", "manager_login"):
            if label not in viewers:
                continue  # the logins are PostgreSQL's
            factory, actor = viewers[label]
            result[f"forecast_{label}"] = measure_forecast(factory, actor, args.forecast_runs)
        result["load_after"] = Path("/proc/loadavg").read_text().split()[:3]
        for login in logins:
            login.dispose()
        engine.dispose()
    text_out = json.dumps(result, indent=2, default=str)
    if args.out:
        args.out.parent.mkdir(parents=True, exist_ok=True)
        args.out.write_text(text_out + "\n", encoding="utf-8")
    print(text_out)


if __name__ == "__main__":
    main()
