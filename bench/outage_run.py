"""The 1,000-call run: SIPp calls the real app (offscreen) on a PostgreSQL server of its own,
short calls and wrap-up 0 s, and the server is killed (SIGKILL of every server process, not a
clean stop) and started again twice during the run. Prints how many calls were placed,
answered, logged and logged twice.

    python bench/outage_run.py [--calls 1000] [--down-s 10]

Needs SIPp and the PostgreSQL server binaries (as the tests do).
"""

from __future__ import annotations

import argparse
import contextlib
import json
import os
import signal
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import text  # noqa: E402

from agentdesk.db import migrate  # noqa: E402
from agentdesk.db.engine import create_db_engine  # noqa: E402
from tests.support.pg_outage import resume  # noqa: E402
from tests.support.pg_server import start_server  # noqa: E402
from tests.support.sipp import free_port, free_rtp_port, start_sipp, udp_port_bound  # noqa: E402

AGENTDESK = Path(sys.executable).with_name("agentdesk")


def kill_server(root: Path) -> None:
    """SIGKILL the postmaster and its children (a crash, not a stop)."""
    pid = int((root / "data" / "postmaster.pid").read_text().splitlines()[0])
    children = subprocess.run(["pgrep", "-P", str(pid)], capture_output=True, text=True)
    os.kill(pid, signal.SIGKILL)
    for child in [int(x) for x in children.stdout.split()]:
        with contextlib.suppress(ProcessLookupError):  # it ended meanwhile
            os.kill(child, signal.SIGKILL)
    deadline = time.monotonic() + 10
    while time.monotonic() < deadline:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return
        time.sleep(0.05)
    raise RuntimeError("the server did not die")


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=1000)
    parser.add_argument("--down-s", type=float, default=10.0)
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="outage-run-"))
    server = start_server()
    desk = sipp = None
    try:
        admin = create_db_engine(server.url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE desk"))
            conn.execute(text("ALTER DATABASE desk SET synchronous_commit = on"))
        admin.dispose()
        url = server.url_for("desk")
        engine = create_db_engine(url)
        migrate.upgrade(engine)
        engine.dispose()
        env = dict(
            os.environ,
            QT_QPA_PLATFORM="offscreen",
            XDG_DATA_HOME=str(work / "data"),
            XDG_CONFIG_HOME=str(work / "config"),
            PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
        )
        port = free_port()
        events = work / "events.jsonl"
        config = work / "agentdesk.toml"
        config.write_text(
            f'[database]\nurl = "{url}"\n[phone]\ndefault_region = "US"\n'
            f'[sip]\nmode = "direct"\nbind_address = "127.0.0.1"\nport = {port}\n'
            f'recordings_dir = "{work / "rec"}"\n'
            '[agent]\nusername = "run.agent"\nauto_answer_seconds = 0\nwrapup_seconds = 0\n'
            f'[logging]\nevents_jsonl = "{events}"\n'
        )
        log = (work / "agentdesk.log").open("wb")
        desk = subprocess.Popen(
            [str(AGENTDESK), "--config", str(config)], stdout=log, stderr=subprocess.STDOUT, env=env
        )
        while not udp_port_bound(port):
            assert desk.poll() is None, "the desk exited at start"
            time.sleep(0.05)
        started = time.monotonic()
        sipp = start_sipp(
            "uac_invite.xml",
            work / "sipp",
            remote=f"127.0.0.1:{port}",
            calls=args.calls,
            keys={
                "from_hdr": '"Caller" <sip:+12025550900@127.0.0.1>',
                "to_user": "run.agent",
                "identity": "User-Agent: SIPp",
                "hdr1": "Subject: run",
                "hdr2": "Organization: AgentDesk bench",
            },
            extra=["-l", "1", "-d", "100", "-r", "5"],
            media_port=free_rtp_port(),
        )

        def saved() -> int:
            if not events.exists():
                return 0
            return events.read_text().count('"wrapup_saved"')

        kills = []
        for fraction in (0.3, 0.65):
            while saved() < args.calls * fraction:
                assert sipp.process.poll() is None, sipp.report()
                time.sleep(0.2)
            kill_server(server.root)
            kills.append(saved())
            time.sleep(args.down_s)
            resume(server)
        code = sipp.wait(timeout=3600)
        elapsed = time.monotonic() - started
        deadline = time.monotonic() + 120
        while True:
            status = json.loads(
                subprocess.run(
                    [str(AGENTDESK), "journal", "status", "--json", "--db", url],
                    capture_output=True, text=True, env=env, check=True,
                ).stdout
            )  # fmt: skip
            if status["pending"] == 0 or time.monotonic() > deadline:
                break
            time.sleep(0.5)
        engine = create_db_engine(url)
        with engine.connect() as conn:
            rows = conn.execute(
                text(
                    "SELECT count(*), count(DISTINCT sip_call_id), "
                    "count(*) FILTER (WHERE disposition_id IS NOT NULL), "
                    "count(*) FILTER (WHERE answered_at IS NOT NULL AND ended_at IS NOT NULL) "
                    "FROM calls"
                )
            ).one()
        engine.dispose()
        lines = events.read_text().splitlines()
        result = {
            "calls_placed": args.calls,
            "sipp_exit": code,
            "refused_480": sipp.messages().count("SIP/2.0 480"),
            "answered": sum('"call_answered"' in x for x in lines),
            "wrapups_saved": sum('"wrapup_saved"' in x for x in lines),
            "killed_after_wrapups": kills,
            "down_s_each": args.down_s,
            "journal": status,
            "call_rows": rows[0],
            "distinct_sip_call_ids": rows[1],
            "rows_with_disposition": rows[2],
            "rows_answered_and_ended": rows[3],
            "elapsed_s": round(elapsed, 1),
        }
        print(json.dumps(result, indent=2))
        return 0
    finally:
        if sipp is not None:
            sipp.stop()
        if desk is not None and desk.poll() is None:
            desk.send_signal(signal.SIGTERM)
            try:
                desk.wait(timeout=30)
            except subprocess.TimeoutExpired:
                desk.kill()
        server.stop()


if __name__ == "__main__":
    raise SystemExit(main())
