"""Measure INVITE-received to screen-pop-shown latency of the running app (SIPp, loopback).

    .venv/bin/python scripts/pop_latency.py --calls 30 --contacts 10000
    .venv/bin/python scripts/pop_latency.py --calls 50 --copy-of bench/.cache/sqlite-1000000.db

Starts ``agentdesk`` offscreen on a temp SQLite desk with demo contacts, has SIPp place calls
from a known contact's number one after the other, and reads ``events_jsonl``: ``ts`` of
``call_offered`` is when pjsua2 handed over the INVITE, ``ts`` of ``screen_pop_shown`` when the
customer panel was filled. Prints p50/p95/max in milliseconds.
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
sys.path.insert(0, str(ROOT))

from sqlalchemy import func, select  # noqa: E402

from agentdesk.app.bootstrap import connect  # noqa: E402
from agentdesk.app.config import Settings  # noqa: E402
from agentdesk.crm.demo import generate  # noqa: E402
from agentdesk.crm.models import Contact, PhoneRecord  # noqa: E402
from tests.support.sipp import free_port, free_rtp_port, start_sipp, udp_port_bound  # noqa: E402


def main() -> int:
    parser = argparse.ArgumentParser()
    parser.add_argument("--calls", type=int, default=30)
    parser.add_argument("--contacts", type=int, default=10000)
    parser.add_argument("--copy-of", type=Path, help="an existing SQLite desk to copy and use")
    args = parser.parse_args()
    work = Path(tempfile.mkdtemp(prefix="agentdesk-latency-"))
    url = f"sqlite:///{work / 'desk.db'}"
    if args.copy_of is not None:
        shutil.copyfile(args.copy_of, work / "desk.db")
    database, _ = connect(url, Settings())
    if args.copy_of is None:
        generate(database.engine, args.contacts)
    with database.sessions() as session:
        contacts = session.scalar(select(func.count()).select_from(Contact))
        numbers = list(
            session.scalars(
                select(PhoneRecord.e164)
                .where(PhoneRecord.contact_id.is_not(None))
                .order_by(func.random())
                .limit(args.calls)
            )
        )
    database.dispose()
    port = free_port()
    events = work / "events.jsonl"
    config = work / "agentdesk.toml"
    config.write_text(
        f'[database]\nurl = "{url}"\n[sip]\nmode = "direct"\nbind_address = "127.0.0.1"\n'
        f'port = {port}\n[agent]\nusername = "bench"\nauto_answer_seconds = 0\n'
        f'wrapup_seconds = 0\n[logging]\nevents_jsonl = "{events}"\n'
    )
    env = dict(os.environ, QT_QPA_PLATFORM="offscreen", XDG_DATA_HOME=str(work / "data"))
    app = subprocess.Popen(
        [str(Path(sys.executable).with_name("agentdesk")), "--config", str(config)], env=env
    )
    try:
        while not udp_port_bound(port):
            time.sleep(0.05)
        for number in numbers:
            run = start_sipp(
                "uac_invite.xml",
                work / "sipp",
                remote=f"127.0.0.1:{port}",
                keys={
                    "from_hdr": f"<sip:{number}@127.0.0.1>",
                    "to_user": "bench",
                    "identity": "User-Agent: SIPp",
                    "hdr1": "Subject: bench",
                    "hdr2": "Organization: bench",
                },
                extra=["-d", "200"],
                media_port=free_rtp_port(),
            )
            run.assert_success(timeout=20)
            time.sleep(0.3)
    finally:
        app.send_signal(signal.SIGTERM)
        code = app.wait(timeout=30)
        print(f"agentdesk exited with {code}")
        events_text = events.read_text() if events.exists() else ""
        shutil.rmtree(work, ignore_errors=True)  # a copied 1M desk is ~6 GB
    offered: dict[str, float] = {}
    shown: dict[str, float] = {}
    for line in events_text.splitlines():
        row = json.loads(line)
        if row["event"] == "call_offered":
            offered[row["sip_call_id"]] = row["ts"]
        elif row["event"] == "screen_pop_shown":
            shown[row["sip_call_id"]] = row["ts"]
    ms = sorted((shown[k] - offered[k]) * 1000 for k in shown if k in offered)
    p95 = ms[max(0, round(0.95 * len(ms)) - 1)]
    print(
        f"{len(ms)} pops over {contacts} contacts: p50 {statistics.median(ms):.1f} ms, "
        f"p95 {p95:.1f} ms, max {ms[-1]:.1f} ms"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
