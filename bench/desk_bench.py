"""The running desk: start-up time, resident memory and the screen pop over real SIP.

``agentdesk`` is launched offscreen on the benchmark database with a direct-mode SIP listener
on loopback, auto-answer at once and no wrap-up pause, and ``[logging] events_jsonl`` set.

- Start-up: from just before ``Popen`` to the ``desk_ready`` event (logged once the main
  window is shown; the direct-mode listener is bound before the window is built, and the
  benchmark also checks the UDP port is bound then). Several launches; the last one stays up.
- Screen pop: one SIPp process places the calls one at a time (``-l 1``) at ``rate`` calls a
  second, each from the number of a random known contact (``-inf`` file), answered by the
  desk and hung up by SIPp after ``hold_ms``. The INVITE's send time comes from SIPp's message
  trace (a microsecond wall-clock stamp as the message is sent), ``screen_pop_shown`` from the
  desk's event log (when the customer panel was filled); both read the same host clock.
- Memory: ``VmRSS`` of the desk process after start-up and after the first 100 calls (and its
  peak, ``VmHWM``, at the end).
"""

from __future__ import annotations

import json
import os
import re
import signal
import statistics
import subprocess
import sys
import tempfile
import time
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

from bench_stats import percentiles
from sqlalchemy import Engine, text

from tests.support.sipp import (
    SCENARIOS,
    free_port,
    free_rtp_port,
    start_sipp,
    udp_port_bound,
)

RSS_AFTER_CALLS = 100
_SEPARATOR = re.compile(r"^-{20,} (\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{6})$")


def invite_send_times(message_log: Path) -> dict[str, float]:
    """Call-ID -> epoch seconds at which SIPp sent its INVITE (first transmission)."""
    sent: dict[str, float] = {}
    stamp: float | None = None
    lines = message_log.read_text(errors="replace").splitlines()
    for index, line in enumerate(lines):
        match = _SEPARATOR.match(line)
        if match:
            stamp = datetime.strptime(match.group(1), "%Y-%m-%d %H:%M:%S.%f").timestamp()
            continue
        if stamp is not None and line.startswith("INVITE ") and "message sent" in lines[index - 2]:
            for follow in lines[index + 1 : index + 20]:
                if follow.lower().startswith("call-id:"):
                    sent.setdefault(follow.split(":", 1)[1].strip(), stamp)
                    break
            stamp = None
    return sent


def rss_mb(pid: int) -> dict[str, float]:
    """Resident and peak resident memory of ``pid`` in MiB."""
    values: dict[str, float] = {}
    for line in Path(f"/proc/{pid}/status").read_text().splitlines():
        key, _, rest = line.partition(":")
        if key in ("VmRSS", "VmHWM"):
            values[key] = round(int(rest.split()[0]) / 1024, 1)
    return values


def known_numbers(engine: Engine, count: int) -> list[str]:
    """E.164 numbers of random contacts: every call should pop a known customer."""
    with engine.connect() as conn:
        return list(
            conn.scalars(
                text(
                    "SELECT e164 FROM phone_numbers WHERE contact_id IS NOT NULL "
                    "AND extension IS NULL ORDER BY random() LIMIT :n"
                ),
                {"n": count},
            )
        )


@dataclass
class Desk:
    """One launched ``agentdesk`` process."""

    process: subprocess.Popen[bytes]
    port: int
    events: Path
    log: Path
    startup_s: float

    def stop(self) -> int:
        if self.process.poll() is None:
            self.process.send_signal(signal.SIGTERM)
            try:
                return self.process.wait(timeout=60)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=10)
                raise SystemExit(f"agentdesk did not stop on SIGTERM; log: {self.log}") from None
        return self.process.returncode


def launch(url: str, work: Path, run: int, timeout_s: float = 180.0) -> Desk:
    """Start the desk and wait for ``desk_ready`` with the SIP port bound."""
    port = free_port()
    folder = work / f"desk-{run}"
    folder.mkdir(parents=True)
    events = folder / "events.jsonl"
    config = folder / "agentdesk.toml"
    config.write_text(
        f"[database]\nurl = {json.dumps(url)}\n"
        f'[sip]\nmode = "direct"\nbind_address = "127.0.0.1"\nport = {port}\n'
        f"recordings_dir = {json.dumps(str(folder / 'recordings'))}\n"
        '[agent]\nusername = "bench.desk"\nauto_answer_seconds = 0\nwrapup_seconds = 0\n'
        f"[logging]\nevents_jsonl = {json.dumps(str(events))}\n",
        encoding="utf-8",
    )
    env = dict(
        os.environ,
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(folder / "data"),
        XDG_CONFIG_HOME=str(folder / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.fail.Keyring",
    )
    log = folder / "agentdesk.log"
    binary = Path(sys.executable).with_name("agentdesk")
    with log.open("wb") as out:
        launched = time.time()
        process = subprocess.Popen(
            [str(binary), "--config", str(config)], env=env, stdout=out, stderr=subprocess.STDOUT
        )
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        if process.poll() is not None:
            raise SystemExit(f"agentdesk exited with {process.returncode} at start:\n"
                             f"{log.read_text(errors='replace')[-3000:]}")  # fmt: skip
        ready = _first_event(events, "desk_ready")
        if ready is not None:
            if not udp_port_bound(port):
                raise SystemExit(f"desk_ready logged but SIP port {port} is not bound")
            return Desk(process, port, events, log, round(float(ready["ts"]) - launched, 3))
        time.sleep(0.01)
    process.kill()
    raise SystemExit(f"agentdesk logged no desk_ready in {timeout_s:.0f} s; log: {log}")


def _first_event(path: Path, name: str) -> dict[str, Any] | None:
    try:
        lines = path.read_text(encoding="utf-8").splitlines()
    except FileNotFoundError:
        return None
    for line in lines:
        row: dict[str, Any] = json.loads(line)
        if row["event"] == name:
            return row
    return None


def _place_calls(
    desk: Desk, numbers: list[str], work: Path, name: str, rate: float, hold_ms: int
) -> Path:
    """SIPp calls the desk once per number, one call at a time; returns its message log."""
    folder = work / name
    folder.mkdir(parents=True)
    inf = folder / "callers.csv"
    inf.write_text("SEQUENTIAL\n" + "".join(f"{n};\n" for n in numbers), encoding="ascii")
    scenario = folder / "uac_from_field.xml"
    template = (SCENARIOS / "uac_invite.xml").read_text()
    scenario.write_text(template.replace("[from_hdr]", "<sip:[field0]@127.0.0.1>"))
    sipp = start_sipp(
        str(scenario),
        folder,
        remote=f"127.0.0.1:{desk.port}",
        calls=len(numbers),
        keys={
            "to_user": "bench.desk",
            "identity": "User-Agent: SIPp bench",
            "hdr1": "Subject: bench",
            "hdr2": "Organization: AgentDesk bench",
        },
        media_port=free_rtp_port(),
        name=name,
        extra=["-inf", str(inf), "-r", str(rate), "-rp", "1000", "-l", "1", "-d", str(hold_ms)],
    )
    sipp.assert_success(timeout=len(numbers) / rate + len(numbers) * hold_ms / 1000 + 60)
    time.sleep(1.0)  # the last wrap-up and its event land
    return sipp.message_log


def bench_desk(
    engine: Engine,
    url: str,
    *,
    calls: int,
    startup_runs: int,
    rate: float = 2.0,
    hold_ms: int = 300,
) -> dict[str, Any]:
    """``startup_s``, ``rss_mb`` and ``screen_pop_ms`` of the desk on ``url``."""
    numbers = known_numbers(engine, calls)
    if len(numbers) < calls:
        raise SystemExit(f"only {len(numbers)} contact numbers for {calls} calls")
    engine.dispose()  # the desk has the database to itself while it runs
    work = Path(tempfile.mkdtemp(prefix="agentdesk-bench-desk-"))
    startups: list[float] = []
    for run in range(startup_runs - 1):
        desk = launch(url, work, run)
        startups.append(desk.startup_s)
        desk.stop()
    desk = launch(url, work, startup_runs - 1)
    startups.append(desk.startup_s)
    try:
        time.sleep(1.0)  # let start-up work queued after the window settle
        after_start = rss_mb(desk.process.pid)
        first = min(calls, RSS_AFTER_CALLS)
        logs = [_place_calls(desk, numbers[:first], work, "calls-1", rate, hold_ms)]
        after_calls = rss_mb(desk.process.pid)
        if calls > first:
            logs.append(_place_calls(desk, numbers[first:], work, "calls-2", rate, hold_ms))
        at_end = rss_mb(desk.process.pid)
    finally:
        code = desk.stop()
    pops = _screen_pops(desk.events, logs)
    if code != 0:
        raise SystemExit(f"agentdesk exited with {code}; log: {desk.log}")
    return {
        "startup_s": round(statistics.median(startups), 3),
        "startup": {
            "runs_s": startups,
            "max_s": max(startups),
            "until": "desk_ready event (main window shown, SIP listener bound)",
        },
        "rss_mb": {
            "after_start": after_start["VmRSS"],
            "after_calls": after_calls["VmRSS"],
            "calls": first,
            "at_end": at_end["VmRSS"],
            "peak": at_end["VmHWM"],
        },
        "screen_pop_ms": {**pops, "rate_per_s": rate, "hold_ms": hold_ms},
        "work_dir": str(work),
    }


def _screen_pops(events_path: Path, message_logs: list[Path]) -> dict[str, Any]:
    sent: dict[str, float] = {}
    for path in message_logs:
        sent.update(invite_send_times(path))
    offered: dict[str, float] = {}
    shown: dict[str, float] = {}
    for line in events_path.read_text(encoding="utf-8").splitlines():
        row = json.loads(line)
        if row["event"] == "call_offered":
            offered[row["sip_call_id"]] = float(row["ts"])
        elif row["event"] == "screen_pop_shown":
            shown[row["sip_call_id"]] = float(row["ts"])
    matched = [k for k in shown if k in sent and k in offered]
    if not matched:
        raise SystemExit(
            f"no screen pop matched a SIPp INVITE ({len(sent)} sent, {len(shown)} shown)"
        )
    total = [(shown[k] - sent[k]) * 1000 for k in matched]
    return {
        **percentiles(total, digits=3),
        "calls_placed": len(sent),
        "offered": len(offered),
        "shown": len(shown),
        "wire_to_offered_p50": round(
            statistics.median((offered[k] - sent[k]) * 1000 for k in matched), 3
        ),
        "offered_to_shown_p95": percentiles([(shown[k] - offered[k]) * 1000 for k in matched])[
            "p95"
        ],
    }
