"""End to end through a database outage: the real app (offscreen) on a PostgreSQL server of the
test's own, SIPp placing 20 calls one after another, the server stopped for 15 s in the middle.

Every call is answered (none refused with 480), every wrap-up is saved (kept in the journal
while the server is away, the agent available again at once), and once the server is back all
20 calls are in the call log with their wrap-ups, each once.
"""

from __future__ import annotations

import json
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import text

from agentdesk.db import migrate
from agentdesk.db.engine import create_db_engine
from tests.integration.test_desk_e2e import CALLER
from tests.support.desk_process import run_cli_json, start_desk, write_desk_config
from tests.support.pg_outage import halt, resume
from tests.support.pg_server import INSTALL_HINT, PgServer, start_server
from tests.support.sipp import free_port, free_rtp_port, start_sipp, udp_port_bound

pytestmark = pytest.mark.sip

CALLS = 20
OUTAGE_S = 15


@pytest.fixture
def outage_pg() -> Iterator[PgServer]:
    try:
        server = start_server()
    except Exception as exc:
        pytest.fail(f"cannot start PostgreSQL for the tests: {exc}\n{INSTALL_HINT}", pytrace=False)
    try:
        admin = create_db_engine(server.url)
        with admin.connect().execution_options(isolation_level="AUTOCOMMIT") as conn:
            conn.execute(text("CREATE DATABASE desk"))
            # the test server trades durability for speed; a real one keeps what it committed
            conn.execute(text("ALTER DATABASE desk SET synchronous_commit = on"))
        admin.dispose()
        engine = create_db_engine(server.url_for("desk"))
        migrate.upgrade(engine)
        engine.dispose()
        yield server
    finally:
        server.stop()


def _events(path: Path) -> list[dict[str, object]]:
    if not path.exists():
        return []
    return [json.loads(x) for x in path.read_text().splitlines() if x.strip()]


def test_twenty_calls_through_a_fifteen_second_outage_are_all_logged(
    outage_pg: PgServer, tmp_path: Path
) -> None:
    server, url = outage_pg, outage_pg.url_for("desk")
    port = free_port()
    events = tmp_path / "events.jsonl"
    config = write_desk_config(
        tmp_path / "agentdesk.toml",
        db_url=url,
        port=port,
        agent="outage.agent",
        wrapup_seconds=0,
        events=events,
        recordings=tmp_path / "rec",
    )
    log = tmp_path / "agentdesk.log"
    desk = start_desk(config, log, tmp_path)
    sipp = None
    try:
        deadline = time.monotonic() + 30
        while not udp_port_bound(port):
            assert desk.poll() is None, log.read_text()
            assert time.monotonic() < deadline, "the desk never listened"
            time.sleep(0.05)
        sipp = start_sipp(
            "uac_invite.xml",
            tmp_path / "sipp",
            remote=f"127.0.0.1:{port}",
            calls=CALLS,
            keys={
                "from_hdr": f'"Caller" <sip:{CALLER}@127.0.0.1>',
                "to_user": "outage.agent",
                "identity": "User-Agent: SIPp",
                "hdr1": "Subject: outage",
                "hdr2": "Organization: AgentDesk tests",
            },
            extra=["-l", "1", "-d", "1000"],  # one call at a time, each talking for a second
            media_port=free_rtp_port(),
        )

        def saved() -> int:
            return sum(1 for x in _events(events) if x["event"] == "wrapup_saved")

        deadline = time.monotonic() + 60
        while saved() < 5:
            assert desk.poll() is None, log.read_text()
            assert time.monotonic() < deadline, (saved(), log.read_text()[-3000:])
            time.sleep(0.1)
        halt(server)
        during = saved()
        try:
            time.sleep(OUTAGE_S)  # the outage itself: calls keep coming meanwhile
            in_outage = saved() - during
            kept = run_cli_json(tmp_path, "journal", "status", "--json", "--db", url)
            assert isinstance(kept, dict)
            # the wrap-ups of the outage wait on this computer, with the reason
            assert kept["pending"] >= 4 * in_outage and kept["last_error"], kept
        finally:
            resume(server)
        sipp.assert_success(timeout=120)
        assert in_outage >= 3, "the outage should have covered several calls"
        deadline = time.monotonic() + 60
        while True:
            status = run_cli_json(tmp_path, "journal", "status", "--json", "--db", url)
            assert isinstance(status, dict)
            if status["pending"] == 0:
                break
            assert time.monotonic() < deadline, status
            time.sleep(0.2)
        assert status["refused"] == 0
    finally:
        if sipp is not None:
            sipp.stop()
        if desk.poll() is None:
            desk.send_signal(signal.SIGTERM)
            try:
                desk.wait(timeout=30)
            except subprocess.TimeoutExpired:
                desk.kill()
                desk.wait()

    lines = _events(events)
    assert sum(1 for x in lines if x["event"] == "call_answered") == CALLS
    assert sum(1 for x in lines if x["event"] == "wrapup_saved") == CALLS
    assert " 480 " not in sipp.messages()  # none refused: the agent was available each time
    rows = run_cli_json(tmp_path, "calls", "export", "--format", "json", "--db", url)
    assert isinstance(rows, list)
    assert len(rows) == CALLS and len({r["sip_call_id"] for r in rows}) == CALLS
    assert all(r["disposition"] == "wrapup_expired" for r in rows)
    assert all(r["answered_at"] and r["ended_at"] for r in rows)
