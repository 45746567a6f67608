"""The desk killed during a call: the call row exists from the first ring, and the next start
closes it ("desk stopped", at the last event the journal saw) and asks for its wrap-up.

The real ``agentdesk`` process (offscreen, SQLite) answers a SIPp call and is SIGKILLed three
seconds into it. A second process started on the same files finds the call left open.
"""

from __future__ import annotations

import signal
import time
from datetime import datetime

import pytest

from tests.integration.test_desk_e2e import (  # the fixture: the app on its own files
    CALLER,
    RunningDesk,
    running_desk,
)
from tests.support.desk_process import run_cli_json, start_desk
from tests.support.sipp import free_rtp_port, start_sipp, udp_port_bound

__all__ = ["running_desk"]

pytestmark = pytest.mark.sip


def _journal(desk: RunningDesk) -> dict[str, object]:
    data = run_cli_json(desk.workdir, "journal", "status", "--json", "--db", desk.db_url)
    assert isinstance(data, dict)
    return data


def test_a_call_killed_mid_way_is_closed_and_owed_its_wrapup_at_the_next_start(
    running_desk: RunningDesk,
) -> None:
    desk = running_desk
    sipp = start_sipp(
        "uac_invite.xml",
        desk.workdir / "sipp",
        remote=f"127.0.0.1:{desk.port}",
        keys={
            "from_hdr": f'"Known Caller" <sip:{CALLER}@127.0.0.1>',
            "to_user": "e2e.agent",
            "identity": "User-Agent: SIPp",
            "hdr1": "Subject: crash",
            "hdr2": "Organization: AgentDesk tests",
        },
        extra=["-d", "30000"],
        media_port=free_rtp_port(),
    )
    try:
        answered = desk.wait_for("call_answered", timeout=10)
        time.sleep(3)  # the scenario: three seconds into the answered call
        desk.process.send_signal(signal.SIGKILL)
        assert desk.process.wait(timeout=10) == -signal.SIGKILL
    finally:
        sipp.stop()
    sip_call_id = answered["sip_call_id"]
    # Killed: no wrap-up was saved, and no end was seen.
    names = [x["event"] for x in desk.lines() if x["sip_call_id"] == sip_call_id]
    assert "call_ended" not in names and "wrapup_saved" not in names

    config = desk.workdir / "agentdesk.toml"
    again = start_desk(config, desk.workdir / "restart.log", desk.workdir)
    try:
        deadline = time.monotonic() + 30
        while not udp_port_bound(desk.port):
            assert again.poll() is None, (desk.workdir / "restart.log").read_text()
            assert time.monotonic() < deadline, "the restarted desk never listened"
            time.sleep(0.05)
        # Asked for the owed wrap-up; with wrapup_seconds = 1 its timer saves it.
        saved = [
            x
            for x in _wait_lines(desk, "wrapup_saved", sip_call_id, timeout=20)
            if x["event"] == "wrapup_saved"
        ]
        assert saved
        deadline = time.monotonic() + 20
        while _journal(desk)["pending"] != 0:
            assert time.monotonic() < deadline, _journal(desk)
            time.sleep(0.1)
    finally:
        again.send_signal(signal.SIGTERM)
        assert again.wait(timeout=20) == 0, (desk.workdir / "restart.log").read_text()

    rows = [r for r in desk.export() if r["sip_call_id"] == sip_call_id]
    assert len(rows) == 1, rows
    row = rows[0]
    assert row["started_at"] and row["answered_at"] and row["ended_at"]
    assert row["end_reason"] == "desk stopped"
    assert row["contact_id"] == desk.contact_id
    assert row["disposition"] == "wrapup_expired"  # the owed wrap-up, saved by its timer
    started, answered_at, ended = (
        datetime.fromisoformat(str(row[k]).replace("Z", "+00:00"))
        for k in ("started_at", "answered_at", "ended_at")
    )
    assert started <= answered_at <= ended


def _wait_lines(
    desk: RunningDesk, event: str, sip_call_id: object, timeout: float
) -> list[dict[str, object]]:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        lines = [x for x in desk.lines() if x["sip_call_id"] == sip_call_id]
        if any(x["event"] == event for x in lines):
            return lines
        time.sleep(0.1)
    raise AssertionError(f"no {event} for {sip_call_id}: {desk.lines()}")
