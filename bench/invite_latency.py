"""INVITE on the wire -> ``CallOffered`` in the app's asyncio loop: latency benchmark.

SIPp places N calls (default 250) to a direct-mode ``Pjsua2Softphone`` on loopback. The send
time of each INVITE comes from SIPp's own message trace (``-trace_msg``: every message is
logged with a microsecond wall-clock stamp as SIPp sends it); the arrival time is
``time.time()`` taken in an asyncio callback scheduled from the SIP thread with
``loop.call_soon_threadsafe``, exactly as the app delivers events. Both clocks are the same
host clock. Each offered call is then declined (603) from the loop so calls do not pile up.

Reported per call: ``wire_to_loop`` (the figure that matters), split into ``wire_to_callback``
(SIPp send -> pjsua2 ``onIncomingCall``) and ``callback_to_loop``. Percentiles go to a JSON file.

    .venv/bin/python bench/invite_latency.py --calls 250 --rate 40
"""

from __future__ import annotations

import argparse
import asyncio
import json
import platform
import statistics
import sys
import tempfile
import time
from datetime import datetime
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
sys.path.insert(0, str(ROOT / "bench"))

from desk_bench import invite_send_times  # noqa: E402

from agentdesk.telephony.pjsua2.adapter import Pjsua2Softphone  # noqa: E402
from agentdesk.telephony.pjsua2.engine import SipEngine  # noqa: E402
from agentdesk.telephony.port import CallOffered, SipConfig, SoftphoneEvent  # noqa: E402
from tests.support.sipp import free_port, free_rtp_port, start_sipp  # noqa: E402

_CALLER_KEYS = {
    "from_hdr": '"Bench" <sip:+15550001111@127.0.0.1>',
    "to_user": "agent",
    "identity": 'P-Asserted-Identity: "Bench Caller" <sip:+4930123456@127.0.0.1>',
    "hdr1": "Subject: bench",
    "hdr2": "Organization: AgentDesk bench",
}


def percentiles(values: list[float]) -> dict[str, float]:
    ordered = sorted(values)
    cuts = statistics.quantiles(ordered, n=100, method="inclusive")
    return {
        "p50_ms": round(cuts[49] * 1000, 3),
        "p95_ms": round(cuts[94] * 1000, 3),
        "p99_ms": round(cuts[98] * 1000, 3),
        "max_ms": round(ordered[-1] * 1000, 3),
        "mean_ms": round(statistics.fmean(ordered) * 1000, 3),
    }


async def run(calls: int, rate: int, workdir: Path) -> dict[str, object]:
    loop = asyncio.get_running_loop()
    arrivals: dict[str, tuple[float, float]] = {}  # sip call id -> (callback time, loop time)
    done = asyncio.Event()
    engine = SipEngine(headless=True)
    phone = Pjsua2Softphone(
        engine, SipConfig(port=free_port(), call_waiting=True, ring_timeout_seconds=30)
    )

    def on_loop(event: SoftphoneEvent) -> None:
        if isinstance(event, CallOffered):
            arrivals[event.sip_call_id] = (event.received_at, time.time())
            phone.reject(event.call_id, 603)
            if len(arrivals) >= calls:
                done.set()

    # The SIP thread only schedules; the measurement is taken when the loop runs the callback.
    def to_loop(event: SoftphoneEvent) -> None:
        loop.call_soon_threadsafe(on_loop, event)

    phone.subscribe(to_loop)
    sipp = start_sipp(
        "uac_invite.xml",
        workdir,
        remote=f"127.0.0.1:{phone.config.port}",
        calls=calls,
        keys=_CALLER_KEYS,
        media_port=free_rtp_port(),
        name="bench",
        extra=["-r", str(rate), "-l", str(max(10, rate))],
    )
    try:
        await asyncio.wait_for(done.wait(), timeout=calls / rate + 30)
        await asyncio.sleep(0.5)
        code = await loop.run_in_executor(None, sipp.wait, 30.0)
    finally:
        sipp.stop()
        phone.close()
        engine.close()
    sent = invite_send_times(sipp.message_log)
    wire_to_loop, wire_to_callback, callback_to_loop = [], [], []
    for call_id, (callback_at, loop_at) in arrivals.items():
        if call_id in sent:
            wire_to_loop.append(loop_at - sent[call_id])
            wire_to_callback.append(callback_at - sent[call_id])
            callback_to_loop.append(loop_at - callback_at)
    return {
        "calls_requested": calls,
        "calls_offered": len(arrivals),
        "calls_matched": len(wire_to_loop),
        "sipp_exit_code": code,
        "invites_refused_by_flood_guard": engine.invite_limiter.refused,
        "rate_per_s": rate,
        "wire_to_loop": percentiles(wire_to_loop),
        "wire_to_callback": percentiles(wire_to_callback),
        "callback_to_loop": percentiles(callback_to_loop),
        "target_p95_ms": 5.0,
        "host": platform.platform(),
        "python": platform.python_version(),
        "measured_at": datetime.now().isoformat(timespec="seconds"),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--calls", type=int, default=250)
    parser.add_argument(
        "--rate",
        type=int,
        default=40,
        help="new calls per second (the engine refuses INVITEs beyond 24 per 0.5 s)",
    )
    parser.add_argument(
        "--out", type=Path, default=ROOT / "bench" / "results" / "invite_latency.json"
    )
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="invite-bench-") as tmp:
        result = asyncio.run(run(args.calls, args.rate, Path(tmp)))
    args.out.parent.mkdir(parents=True, exist_ok=True)
    args.out.write_text(json.dumps(result, indent=2) + "\n")
    print(json.dumps(result, indent=2))
    wire = result["wire_to_loop"]
    assert isinstance(wire, dict)
    return 0 if wire["p95_ms"] < 5.0 and result["calls_matched"] == args.calls else 1


if __name__ == "__main__":
    raise SystemExit(main())
