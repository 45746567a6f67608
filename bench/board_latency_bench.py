"""How fast a board shows another desk's state change, and what one board refresh costs.

    python bench/board_latency_bench.py --db URL [--viewer demo.admin] [--agents 200]
        [--changes 200] [--out FILE]

Issue 16's targets: "a state change on one desk shown on a board p95 under 1 s on PostgreSQL";
"board refresh p95 under 50 ms with 200 agents" (on the 1,000,000-contact data set: give its
URL). ``--agents`` bench users (``bench.board.NNN``, made once) get a presence row, so the
board lists that many. Then, ``--changes`` times: one of them changes state through
``supervision.presence.publish`` (what a desk's publisher calls) and the clock runs until the
board's own feed (``app.board.BoardService.watch``: PostgreSQL LISTEN/NOTIFY, SQLite's
data_version) has re-read the board and it shows the new state. "Refresh" is each re-read the
feed made: ``agents()`` and ``figures()``, what the board window reads on a change.
"""

from __future__ import annotations

import argparse
import json
import sys
import threading
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from bench_stats import percentiles  # noqa: E402

from agentdesk.app.board import BoardService  # noqa: E402
from agentdesk.db.engine import create_db_engine, session_factory, unit_of_work  # noqa: E402
from agentdesk.domain.agent_state import AgentStatus  # noqa: E402
from agentdesk.org.users import ensure_agent  # noqa: E402
from agentdesk.supervision.presence import DeskState, publish  # noqa: E402

STATES = (AgentStatus.AVAILABLE, AgentStatus.NOT_READY)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--db", required=True)
    parser.add_argument("--viewer", default="demo.admin")
    parser.add_argument("--agents", type=int, default=200)
    parser.add_argument("--changes", type=int, default=200)
    parser.add_argument("--out", type=Path)
    args = parser.parse_args()

    engine = create_db_engine(args.db)
    sessions = session_factory(engine)
    names = [f"bench.board.{n:03d}" for n in range(args.agents)]
    with unit_of_work(sessions) as session:
        for name in names:
            ensure_agent(session, name, f"Board bench {name[-3:]}")
    for name in names:
        publish(sessions, name, DeskState(AgentStatus.AVAILABLE))

    board = BoardService(sessions, args.viewer)
    seen: dict[str, str] = {}
    refresh_ms: list[float] = []
    changed = threading.Condition()

    def on_change() -> None:
        began = time.perf_counter()
        agents = board.agents()
        board.figures()
        refresh_ms.append((time.perf_counter() - began) * 1000)
        with changed:
            seen.update({a.username: a.state for a in agents})
            changed.notify_all()

    feed = board.watch(on_change)
    latency_ms: list[float] = []
    try:
        for turn in range(args.changes):
            name = names[turn % len(names)]
            state = STATES[(turn // len(names) + 1) % 2]
            reason = "bench" if state is AgentStatus.NOT_READY else None
            began = time.perf_counter()
            publish(sessions, name, DeskState(state, reason))
            with changed:
                shown = lambda n=name, s=state.value: seen.get(n) == s  # noqa: E731
                if not changed.wait_for(shown, timeout=10):
                    raise SystemExit(f"the board never showed {name} {state.value}")
            latency_ms.append((time.perf_counter() - began) * 1000)
    finally:
        feed.stop()
    listed = len(seen)
    result = {
        "engine": engine.dialect.name,
        "agents_on_board": listed,
        "change_to_board_ms": percentiles(latency_ms),
        "board_refresh_ms": percentiles(refresh_ms),
        "load": list(Path("/proc/loadavg").read_text().split()[:3]),
    }
    engine.dispose()
    text = json.dumps(result, indent=2)
    print(text)
    if args.out:
        args.out.write_text(text + "\n")


if __name__ == "__main__":
    main()
