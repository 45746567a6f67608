"""Must-show of issue 16: Kamailio forks one queue number to three AgentDesk processes.

Three real desks (the ``agentdesk`` window, offscreen) register the same SIP user ``8000`` with
a throwaway Kamailio, which rings all three at once for every INVITE to 8000 (parallel
forking: one Call-ID, three branches). The desks answer after 1.5, 2.5 and 3.5 s, so the first
free desk wins and the proxy cancels the others with ``Reason: SIP;cause=200``. SIPp callers
call one after the other: some stay until answered, some hang up after 1 s of ringing. The
queue's rollup, kept by the three desks' journals on their shared database, must equal what
SIPp did: offered, answered, abandoned, and each call's wait within 0.5 s of SIPp's own clock
(INVITE sent to 200 received, or to CANCEL sent).
"""

from __future__ import annotations

import re
import signal
import subprocess
import time
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path

import pytest
from sqlalchemy import func, select

from agentdesk.app.bootstrap import connect
from agentdesk.config.settings import Settings
from agentdesk.crm.models import Call
from agentdesk.db.engine import unit_of_work
from agentdesk.demo.seed import ensure_default_dispositions
from agentdesk.domain.contact_metrics import Thresholds
from agentdesk.org.users import ensure_agent
from agentdesk.supervision.models import QueueCall, QueueInterval
from agentdesk.supervision.queues import add_queue
from tests.support.desk_process import start_desk
from tests.support.kamailio import Kamailio, start_kamailio
from tests.support.sipp import SippRun, free_port, free_rtp_port, start_sipp, udp_port_bound

pytestmark = pytest.mark.sip

QUEUE_NUMBER = "8000"
ANSWER_AFTER = (1.5, 2.5, 3.5)
PLAN = ("answer", "abandon", "answer", "answer", "abandon", "answer")
"""What each caller does, in order."""


def _config(path: Path, db_url: str, port: int, registrar: int, agent: str, after: float) -> Path:
    path.write_text(
        f"""
[database]
url = "{db_url}"

[phone]
default_region = "US"

[sip]
mode = "register"
bind_address = "127.0.0.1"
port = {port}
registrar = "127.0.0.1:{registrar}"
username = "{QUEUE_NUMBER}"
register_expires = 60

[agent]
username = "{agent}"
auto_answer_seconds = {after}
wrapup_seconds = 1
""",
        encoding="utf-8",
    )
    return path


@pytest.fixture
def forked_desks(tmp_path: Path) -> Iterator[tuple[Kamailio, str]]:
    db_url = f"sqlite:///{tmp_path / 'shared.db'}"
    database, _ = connect(db_url, Settings())
    try:
        # seeded before the desks start: three first starts at once would race to seed it
        with unit_of_work(database.sessions) as s:
            ensure_default_dispositions(s)
            for n in range(len(ANSWER_AFTER)):
                ensure_agent(s, f"q{n}")
        # callers who hang up after 1 s are abandons, not short abandons
        add_queue(database.sessions, "support", [QUEUE_NUMBER], region="US",
                  thresholds=Thresholds(service_seconds=20, short_abandon_seconds=0.5))  # fmt: skip
    finally:
        database.dispose()
    kam = start_kamailio(tmp_path / "kamailio")
    processes: list[subprocess.Popen[bytes]] = []
    logs: list[Path] = []
    try:
        for n, after in enumerate(ANSWER_AFTER):
            folder = tmp_path / f"desk{n}"
            folder.mkdir()
            port = free_port()
            config = _config(folder / "agentdesk.toml", db_url, port, kam.port, f"q{n}", after)
            logs.append(folder / "agentdesk.log")
            processes.append(start_desk(config, logs[-1], folder))
        deadline = time.monotonic() + 45
        while len(kam.registered_contacts(QUEUE_NUMBER)) < len(ANSWER_AFTER):
            for process, log in zip(processes, logs, strict=True):
                assert process.poll() is None, f"a desk exited\n{log.read_text()[-3000:]}"
            assert time.monotonic() < deadline, f"desks never registered\n{kam.log()}"
            time.sleep(0.1)
        yield kam, db_url
    finally:
        for process in processes:
            if process.poll() is None:
                process.send_signal(signal.SIGTERM)
        for process in processes:
            try:
                process.wait(timeout=20)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        kam.stop()


_STAMP = re.compile(r"^-{10,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d+)$")


def _waits(run: SippRun) -> tuple[str, float]:
    """(Call-ID, seconds from SIPp's INVITE to the 200 it got or the CANCEL it sent)."""
    at = invite = None
    call_id = ""
    for block in re.split(r"\n(?=-{10,} )", run.messages()):
        lines = block.strip().splitlines()
        stamp = _STAMP.match(lines[0]) if lines else None
        if stamp is None:
            continue
        when = datetime.fromisoformat(stamp.group(1)).timestamp()
        body = "\n".join(lines[1:])
        first = next((x for x in lines[2:] if x.strip()), "")
        if "message sent" in lines[1] and first.startswith("INVITE") and invite is None:
            invite = when
            call_id = re.search(r"^Call-ID:\s*(\S+)", body, re.M | re.I).group(1)  # type: ignore[union-attr]
        elif ("message sent" in lines[1] and first.startswith("CANCEL") and at is None) or (
            "received" in lines[1]
            and first.startswith("SIP/2.0 200")
            and at is None
            and re.search(r"^CSeq:\s*1 INVITE", body, re.M | re.I)
        ):
            at = when
    assert invite is not None and at is not None, run.report()
    return call_id, at - invite


def test_a_queue_forked_to_three_desks_adds_up_to_what_the_callers_did(
    forked_desks: tuple[Kamailio, str], tmp_path: Path
) -> None:
    kam, db_url = forked_desks
    waits: dict[str, float] = {}
    for n, what in enumerate(PLAN):
        keys = {"to_user": QUEUE_NUMBER}
        if what == "answer":
            keys |= {"from_hdr": f"<sip:+1555000{n:04d}@127.0.0.1>", "identity": "", "hdr1": "",
                     "hdr2": ""}  # fmt: skip
            scenario, pause = "uac_invite.xml", "1000"  # talks 1 s once answered
        else:
            scenario, pause = "uac_queue_abandon.xml", "0"  # rings 1 s, then gives up
        run = start_sipp(scenario, tmp_path / "sipp", remote=f"127.0.0.1:{kam.port}",
                         name=f"caller{n}", keys=keys, extra=["-d", pause],
                         media_port=free_rtp_port())  # fmt: skip
        run.assert_success(timeout=20)
        call_id, wait = _waits(run)
        waits[call_id] = wait

    database, _ = connect(db_url, Settings())
    try:
        # the desks' journals drain in the background: wait until every call is booked
        deadline = time.monotonic() + 30
        while True:
            with database.sessions() as s:
                booked = s.scalar(
                    select(func.count()).where(QueueCall.booked_interval.is_not(None))
                )
            if booked == len(PLAN):
                break
            assert time.monotonic() < deadline, f"{booked} of {len(PLAN)} calls booked"
            time.sleep(0.2)
        with database.sessions() as s:
            rows = s.scalars(select(QueueInterval).where(QueueInterval.queue == "support")).all()
            calls = {c.sip_call_id: c for c in s.scalars(select(QueueCall))}
            legs = s.execute(
                select(Call.sip_call_id, Call.answered_at, Call.answered_elsewhere,
                       Call.end_reason, Call.queue)
            ).all()  # fmt: skip
    finally:
        database.dispose()
    answered = PLAN.count("answer")
    assert sum(r.offered for r in rows) == len(PLAN)
    assert sum(r.answered for r in rows) == answered
    assert sum(r.abandoned for r in rows) == PLAN.count("abandon")
    assert sum(r.short_abandoned for r in rows) == 0
    assert sum(r.answered_within for r in rows) == answered  # every wait under 20 s
    assert set(calls) == set(waits)
    for call_id, wait in waits.items():
        booked = calls[call_id].booked_wait
        assert booked is not None and abs(booked - wait) < 0.5, (call_id, booked, wait)
    answered_wait = sum(w for c, w in waits.items() if calls[c].answered_at is not None)
    assert abs(sum(r.answered_wait_s for r in rows) - answered_wait) < 0.5 * answered
    assert abs(max(r.longest_wait_s for r in rows) - max(waits.values())) < 0.5
    # every desk logged every call it was offered: the one that answered, the ones the proxy
    # cancelled for that answer (answered elsewhere), any that refused it (in wrap-up); a
    # caller's own CANCEL is nobody's "elsewhere"
    assert {leg.queue for leg in legs} == {"support"}
    for call_id, call in calls.items():
        mine = [leg for leg in legs if leg.sip_call_id == call_id]
        assert len(mine) == len(ANSWER_AFTER), mine
        answered = [leg for leg in mine if leg.answered_at is not None]
        others = [leg for leg in mine if leg.answered_at is None]
        if call.answered_at is not None:
            assert len(answered) == 1
            assert all(
                leg.answered_elsewhere or (leg.end_reason or "").startswith("refused")
                for leg in others
            ), others
            assert any(leg.answered_elsewhere for leg in others)
        else:
            assert answered == [] and not any(leg.answered_elsewhere for leg in mine)
    assert udp_port_bound(kam.port)
