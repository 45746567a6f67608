"""Media features on live calls: recording to WAV and DTMF by SIP INFO."""

from __future__ import annotations

import array
import time
import wave
from collections.abc import Callable
from pathlib import Path

import pytest

from agentdesk.telephony.port import (
    CallAnswered,
    CallEnded,
    CallOffered,
    DtmfMethod,
    DtmfReceived,
    RecordingStarted,
    RecordingStopped,
)
from tests.integration.sip.conftest import Phone
from tests.integration.sip.helpers import answering_peer, call_phone, info_dtmf
from tests.support.sipp import PCAP_DIR

pytestmark = pytest.mark.sip


def wav_stats(path: Path) -> tuple[float, float]:
    """(duration in seconds, share of samples that are not near-silent)."""
    with wave.open(str(path)) as wav:
        assert wav.getsampwidth() == 2
        frames = wav.readframes(wav.getnframes())
        duration = wav.getnframes() / wav.getframerate()
    samples = array.array("h", frames)
    loud = sum(1 for s in samples if abs(s) > 200)
    return duration, loud / max(1, len(samples))


def test_record_calls_writes_a_wav_as_long_as_the_call(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    phone, events = make_phone(record_calls=True, codecs=("PCMA",))
    caller = call_phone(phone, workdir, talk_ms=2000, pcap=PCAP_DIR / "g711a.pcap")
    offered = events.wait_for(CallOffered)
    phone.answer(offered.call_id).result(5)
    events.wait_for(CallAnswered)
    answered_at = time.monotonic()
    started = events.wait_for(RecordingStarted)
    events.wait_for(CallEnded, timeout=10)
    talk = time.monotonic() - answered_at
    stopped = events.wait_for(RecordingStopped)
    assert stopped.path == started.path
    assert started.path.parent == phone.config.recordings_dir
    caller.assert_success()

    duration, loud_share = wav_stats(stopped.path)
    assert abs(duration - talk) < 0.5, (duration, talk)
    assert loud_share > 0.2  # the caller's audio is in it, not just silence


def test_recording_on_command_stops_when_asked(
    make_phone: Callable[..., Phone], workdir: Path, tmp_path: Path
) -> None:
    phone, events = make_phone()
    callee = answering_peer(workdir)
    call_id = phone.dial(f"sip:callee@127.0.0.1:{callee.port}").result(5)
    events.wait_for(CallAnswered)
    target = tmp_path / "manual" / "take1.wav"
    before_start = time.monotonic()
    assert phone.start_recording(call_id, target).result(5) == target
    time.sleep(1.0)  # deliberate: a second of the call goes into the file
    assert phone.stop_recording(call_id).result(5) == target
    assert events.wait_for(RecordingStopped).path == target
    recorded_for = time.monotonic() - before_start
    stopped_size = target.stat().st_size
    # The call goes on after the stop; once it has ended the file must still be as it was.
    phone.hangup(call_id).result(5)
    events.wait_for(CallEnded, lambda e: e.call_id == call_id)
    callee.assert_success()
    assert target.stat().st_size == stopped_size
    duration, _ = wav_stats(target)
    # What was recorded fits between our start and the stop (not the whole call).
    assert 0 < duration <= recorded_for, (duration, recorded_for)


def test_dtmf_received_by_sip_info(make_phone: Callable[..., Phone], workdir: Path) -> None:
    phone, events = make_phone()
    caller = call_phone(phone, workdir, talk_ms=300, midcall=info_dtmf("4"))
    offered = events.wait_for(CallOffered)
    phone.answer(offered.call_id).result(5)
    digit = events.wait_for(DtmfReceived, timeout=5)
    assert (digit.call_id, digit.digit, digit.method) == (
        offered.call_id,
        "4",
        DtmfMethod.SIP_INFO,
    )
    caller.assert_success()
