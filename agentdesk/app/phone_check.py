"""Help > Test call: a call through the real SIP stack, on loopback, and what came back.

Two short-lived phones are created on the app's own ``SipEngine`` (the same pjsua2 endpoint,
codecs and bind address the desk uses): a callee that answers and records what it hears, and a
caller that dials it. Signalling works when the callee sees the INVITE and the caller the
200 OK; audio works when RTP reached the callee (its recording grew past the WAV header).
The agent's own phone and call state are left alone.
"""

from __future__ import annotations

import dataclasses
import shutil
import socket
import tempfile
import threading
import time
from dataclasses import dataclass
from pathlib import Path

from agentdesk.telephony.port import (
    CallAnswered,
    CallOffered,
    SipConfig,
    SoftphoneEvent,
)

WAV_HEADER_BYTES = 44


@dataclass(frozen=True, slots=True)
class TestCallResult:
    """What the test call found; ``message`` is for the agent."""

    signalling_ok: bool
    audio_ok: bool
    setup_ms: float | None
    audio_bytes: int
    message: str


def _free_udp_port(host: str) -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as sock:
        sock.bind((host, 0))
        return int(sock.getsockname()[1])


def _failed(workdir: Path, message: str) -> TestCallResult:
    shutil.rmtree(workdir, ignore_errors=True)
    return TestCallResult(False, False, None, 0, message)


def run_test_call(engine: object, base: SipConfig, seconds: float = 1.5) -> TestCallResult:
    """Blocking (run it on a worker): about ``seconds`` plus setup and teardown."""
    from agentdesk.telephony.pjsua2.adapter import Pjsua2Softphone
    from agentdesk.telephony.pjsua2.engine import SipEngine

    assert isinstance(engine, SipEngine)
    host = "127.0.0.1"
    workdir = Path(tempfile.mkdtemp(prefix="agentdesk-test-call-"))
    common = dataclasses.replace(
        base, mode="direct", bind_address=host, record_calls=False, recordings_dir=workdir
    )
    callee = Pjsua2Softphone(
        engine, dataclasses.replace(common, port=_free_udp_port(host), username="echo")
    )
    caller = Pjsua2Softphone(
        engine, dataclasses.replace(common, port=_free_udp_port(host), username="test")
    )
    offered = threading.Event()
    answered = threading.Event()
    callee_call: list[str] = []

    def on_callee(event: SoftphoneEvent) -> None:
        if isinstance(event, CallOffered):
            callee_call.append(event.call_id)
            offered.set()

    def on_caller(event: SoftphoneEvent) -> None:
        if isinstance(event, CallAnswered):
            answered.set()

    callee.subscribe(on_callee)
    caller.subscribe(on_caller)
    wav = workdir / "heard.wav"
    try:
        started = time.monotonic()
        call_id = caller.dial(f"sip:echo@{host}:{callee.config.port}").result(5)
        if not offered.wait(5):
            return _failed(workdir, "no INVITE arrived on loopback")
        callee.answer(callee_call[0]).result(5)
        if not answered.wait(5):
            return _failed(workdir, "the call was not answered (no 200 OK)")
        setup_ms = (time.monotonic() - started) * 1000
        callee.start_recording(callee_call[0], wav).result(5)
        time.sleep(seconds)
        callee.stop_recording(callee_call[0]).result(5)
        caller.hangup(call_id).result(5)
    finally:
        caller.close()
        callee.close()
    size = wav.stat().st_size if wav.exists() else 0
    shutil.rmtree(workdir, ignore_errors=True)
    audio = size - WAV_HEADER_BYTES
    ok_audio = audio > 0
    message = f"signalling OK ({setup_ms:.0f} ms to answer); " + (
        f"audio OK ({audio} bytes received)" if ok_audio else "no audio received"
    )
    return TestCallResult(True, ok_audio, setup_ms, max(0, audio), message)
