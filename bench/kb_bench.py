"""Knowledge-base search at scale: N generated articles in Chinese with some English, then
queries of one character, two characters, longer words and Chinese mixed with English through
``agentdesk.service.kb.search`` (the CLI's path), p50/p95/p99 in ms per kind and overall.

    python bench/kb_bench.py --engine sqlite --articles 100000 --out bench/results/kb-sqlite.json
    python bench/kb_bench.py --engine postgresql --articles 100000 --out bench/results/kb-pg.json

SQLite runs on a new file in a temporary folder; PostgreSQL without ``--db`` on a throwaway
server (with ``--db``: an empty database). The articles are written with the application's own
search column (``service/kb_terms.py``), in batches of 1,000 rows.
"""

from __future__ import annotations

import argparse
import json
import os
import random
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

BENCH = Path(__file__).resolve().parent
ROOT = BENCH.parent
for folder in (str(ROOT), str(BENCH)):
    if folder not in sys.path:
        sys.path.insert(0, folder)

from bench_stats import machine, percentiles  # noqa: E402
from sqlalchemy import Engine, insert, text  # noqa: E402

from agentdesk.db import migrate  # noqa: E402
from agentdesk.db.base import table_of  # noqa: E402
from agentdesk.db.engine import create_db_engine, session_factory, sqlite_url  # noqa: E402
from agentdesk.domain.clock import utcnow  # noqa: E402
from agentdesk.domain.ids import uuid7  # noqa: E402
from agentdesk.service.kb import search  # noqa: E402
from agentdesk.service.kb_terms import index_terms  # noqa: E402
from agentdesk.service.models import Article  # noqa: E402

# Words of service requests, simplified and a few traditional, written often; the rest of the
# text is drawn from jieba's dictionary by its word frequencies (a Zipf-like spread, as in
# real text: common characters in many articles, most words in few).
_SERVICE = (
    "退款 退货 换货 订单 发票 物流 快递 签收 包裹 地址 电话 账户 帐户 "
    "密码 登录 注册 验证码 会员 积分 优惠券 折扣 价格 付款 支付宝 微信 "
    "信用卡 银行卡 转账 余额 提现 手续费 保修 维修 售后 客服 投诉 建议 "
    "评价 故障 开机 充电 电池 屏幕 耳机 蓝牙 网络 信号 路由器 宽带 套餐 "
    "流量 话费 短信 合同 续约 取消 暂停 恢复 升级 降级 安装 预约 上门 "
    "工程师 配件 说明书 型号 序列号 保修卡 冻结 解冻 风控 实名 身份证 "
    "护照 隐私 数据 备份 同步 更新 版本 应用 系统 设置 重启 恢复出厂 "
    "帳號 退費 發票 訂單 客戶 服務 網路 設定 "
)
SERVICE_WORDS = tuple(_SERVICE.split())
LATIN = ("iphone", "android", "wifi", "vpn", "app", "sim", "esim", "pdf", "excel", "refund")
PUNCT = "，。；、"
DICTIONARY_WORDS = 20_000
"""The most frequent words of jieba's dictionary the text is drawn from."""
BATCH = 1000


class Vocabulary:
    """Words by frequency: jieba's dictionary (its CJK words) and the service words."""

    def __init__(self) -> None:
        import jieba

        entries: list[tuple[str, int]] = []
        with jieba.get_dict_file() as fh:
            for line in fh.read().decode("utf-8").splitlines():
                word, freq, *_ = line.split()
                if all("\u4e00" <= c <= "\u9fff" for c in word):
                    entries.append((word, int(freq)))
        entries.sort(key=lambda e: e[1], reverse=True)
        self.words = [w for w, _ in entries[:DICTIONARY_WORDS]]
        self.weights = [f for _, f in entries[:DICTIONARY_WORDS]]

    def draw(self, rng: random.Random, count: int) -> list[str]:
        return rng.choices(self.words, self.weights, k=count)


def article(rng: random.Random, vocabulary: Vocabulary) -> tuple[str, str]:
    title = "".join([rng.choice(SERVICE_WORDS), *vocabulary.draw(rng, rng.randint(1, 3))])
    parts: list[str] = []
    for word in vocabulary.draw(rng, rng.randint(40, 120)):
        roll = rng.random()
        if roll < 0.05:
            parts.append(f" {rng.choice(LATIN)} ")
        elif roll < 0.15:
            parts.append(rng.choice(SERVICE_WORDS))
        parts.append(word)
        if rng.random() < 0.12:
            parts.append(rng.choice(PUNCT))
    return title, "".join(parts)


def queries(rng: random.Random, count: int, vocabulary: Vocabulary) -> list[tuple[str, str]]:
    """Queries an agent types: service words, and words of the text drawn by frequency."""
    service_pairs = [w for w in SERVICE_WORDS if len(w) == 2]

    def drawn(length: int) -> str:
        while True:
            word = vocabulary.draw(rng, 1)[0]
            if len(word) == length or (length == 3 and len(word) > 2):
                return word

    kinds = {
        "one_character": lambda: drawn(1),
        "two_characters": lambda: drawn(2) if rng.random() < 0.5 else rng.choice(service_pairs),
        "longer_word": lambda: drawn(3),
        "mixed_chinese_english": lambda: f"{rng.choice(LATIN)} {rng.choice(service_pairs)}",
        "two_words": lambda: f"{rng.choice(service_pairs)} {drawn(2)}",
    }
    names = list(kinds)
    return [(name, kinds[name]()) for name in (names[i % len(names)] for i in range(count))]


@contextmanager
def database(engine_name: str, url: str | None) -> Iterator[str]:
    if url:
        yield url
        return
    if engine_name == "sqlite":
        with tempfile.TemporaryDirectory(prefix="kb-bench-") as folder:
            yield sqlite_url(Path(folder) / "kb.db").render_as_string()
        return
    from tests.support.pg_server import start_server

    server = start_server()
    try:
        admin = create_db_engine(server.url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE agentdesk_kb_bench"))
        admin.dispose()
        yield server.url_for("agentdesk_kb_bench")
    finally:
        server.stop()


def fill(engine: Engine, count: int, seed: int, vocabulary: Vocabulary) -> float:
    rng = random.Random(seed)
    table = table_of(Article)
    started = time.perf_counter()
    for first in range(0, count, BATCH):
        now = utcnow()
        rows: list[dict[str, Any]] = []
        for n in range(first, min(first + BATCH, count)):
            title, body = article(rng, vocabulary)
            rows.append({
                "id": uuid7(), "title": title, "body": body, "topic": f"主题{n % 50}",
                "tags": None, "status": "published", "revision": 1, "author_id": None,
                "approver_id": None, "source": f"bench:{n}",
                "search_terms": index_terms(title, body),
                "created_at": now, "updated_at": now, "version": 1, "deleted_at": None,
            })  # fmt: skip
        with engine.begin() as conn:
            conn.execute(insert(table), rows)
    # what autovacuum does soon after a bulk load: statistics, the visibility map, the GIN
    # index's pending list merged (SQLite: statistics)
    statement = "VACUUM ANALYZE" if engine.dialect.name == "postgresql" else "ANALYZE"
    with engine.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
        conn.execute(text(statement))
    return time.perf_counter() - started


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--engine", choices=("sqlite", "postgresql"), default="sqlite")
    parser.add_argument("--db", metavar="URL", help="an empty database (else a new one)")
    parser.add_argument("--articles", type=int, default=100_000)
    parser.add_argument("--queries", type=int, default=1000)
    parser.add_argument("--warmup", type=int, default=50)
    parser.add_argument("--seed", type=int, default=18)
    parser.add_argument("--out", type=Path, required=True)
    parser.add_argument(
        "--reuse", action="store_true", help="measure the articles already in --db (no fill)"
    )
    args = parser.parse_args(argv)
    report: dict[str, Any] = {
        "date": datetime.now(UTC).isoformat(timespec="seconds"),
        "engine": args.engine,
        "articles": args.articles,
        "command": " ".join([Path(sys.executable).name, *sys.argv]),
    }
    with database(args.engine, args.db) as url:
        engine = create_db_engine(url)
        try:
            migrate.upgrade(engine)
            vocabulary = Vocabulary()
            with engine.connect() as conn:
                filled = conn.execute(text("SELECT count(*) FROM kb_articles")).scalar_one()
            if filled and not args.reuse:
                raise SystemExit("the database has articles: give an empty one, or --reuse")
            if not filled:
                report["fill_seconds"] = round(
                    fill(engine, args.articles, args.seed, vocabulary), 1
                )
            report["articles"] = filled or args.articles
            report["machine"] = machine(engine)
            sessions = session_factory(engine)
            rng = random.Random(args.seed + 1)
            for _, query in queries(rng, args.warmup, vocabulary):
                search(sessions, query)
            timings: dict[str, list[float]] = {}
            found: dict[str, int] = {}
            cpu_ms: list[float] = []
            for kind, query in queries(rng, args.queries, vocabulary):
                started, cpu = time.perf_counter(), time.process_time()
                hits = search(sessions, query)
                timings.setdefault(kind, []).append((time.perf_counter() - started) * 1000)
                cpu_ms.append((time.process_time() - cpu) * 1000)
                found[kind] = found.get(kind, 0) + (1 if hits else 0)
            report["search_ms"] = percentiles([t for ts in timings.values() for t in ts])
            # this process's CPU (SQLite's work included): the wall time less the waiting for
            # a core on a shared machine (PostgreSQL's own CPU is not in it)
            report["cpu_ms"] = percentiles(cpu_ms)
            report["by_kind_ms"] = {k: percentiles(v) for k, v in timings.items()}
            report["queries_with_hits"] = found
            report["load_average"] = [round(v, 2) for v in os.getloadavg()]
        finally:
            engine.dispose()
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(report, indent=2, ensure_ascii=False) + "\n", encoding="utf-8")
    keys = (
        "engine",
        "articles",
        "fill_seconds",
        "search_ms",
        "cpu_ms",
        "by_kind_ms",
        "load_average",
    )
    summary = {k: report[k] for k in keys if k in report}
    print(json.dumps(summary, indent=2, ensure_ascii=False))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
