"""Call recordings: a WAV recorder per call, and ``RecordingStopped`` once its file is whole.

Destroying a recorder writes the final WAV header, but pjmedia's conference removes the port
asynchronously (on its clock tick), so a stop waits (a ticker polls) until the header is there.
"""

from __future__ import annotations

import struct
import time
from pathlib import Path
from typing import Any

import pjsua2 as pj

from agentdesk.telephony.pjsua2.call import PjCall
from agentdesk.telephony.pjsua2.media import connect_media, disconnect_recorder
from agentdesk.telephony.port import (
    CallId,
    EventSink,
    RecordingStarted,
    RecordingStopped,
    SipConfig,
)

_HEADER_WAIT = 2.0
"""Seconds a stop waits for the WAV header before ``RecordingStopped`` goes out anyway."""


def wav_finalised(path: Path) -> bool:
    """Whether the WAV writer has filled in the RIFF size (it does so when it is destroyed)."""
    try:
        with path.open("rb") as fh:
            head = fh.read(8)
    except OSError:
        return False
    if len(head) < 8 or head[:4] != b"RIFF":
        return False
    riff_size = int(struct.unpack("<I", head[4:8])[0])
    return riff_size > 36


class Recordings:
    """The recorders of one phone's calls and the stops still waiting for their WAV header.

    SIP thread only.
    """

    def __init__(self, ep: Any, config: SipConfig, emit: EventSink) -> None:
        self._ep = ep
        self._config = config
        self._emit = emit
        self._pending: list[tuple[CallId, Path, float]] = []

    def start(self, call: PjCall, path: Path | None) -> Path:
        """Record ``call`` to ``path`` (default: a stamped file in ``recordings_dir``)."""
        if call.recorder is not None and call.recording_path is not None:
            return call.recording_path
        if path is None:
            folder = Path(self._config.recordings_dir)
            stamp = time.strftime("%Y%m%d-%H%M%S")
            path = folder / f"{stamp}-{call.our_id}.wav"
        path.parent.mkdir(parents=True, exist_ok=True)
        recorder = pj.AudioMediaRecorder()
        recorder.createRecorder(str(path))
        call.recorder = recorder
        call.recording_path = path
        connect_media(self._ep, call)
        self._emit(RecordingStarted(call.our_id, path))
        return path

    def stop(self, call: PjCall) -> Path | None:
        """Stop recording ``call``; ``RecordingStopped`` follows once the file is complete."""
        recorder, path = call.recorder, call.recording_path
        if recorder is None:
            return None
        call.recorder = None
        call.recording_path = None
        disconnect_recorder(self._ep, call, recorder)
        del recorder  # the last reference: pjmedia finalises the WAV on a later clock tick
        if path is not None:
            self._pending.append((call.our_id, path, time.monotonic() + _HEADER_WAIT))
        return path

    def tick(self, now: float) -> None:
        """Emit ``RecordingStopped`` for every stopped file that is whole (or waited too long)."""
        if not self._pending:
            return
        waiting = []
        for call_id, path, give_up in self._pending:
            if wav_finalised(path) or now >= give_up:
                self._emit(RecordingStopped(call_id, path))
            else:
                waiting.append((call_id, path, give_up))
        self._pending = waiting

    def settle(self) -> None:
        """At close: pump pjmedia a few clock ticks so stopped recorders write their header."""
        deadline = time.monotonic() + _HEADER_WAIT
        while self._pending and time.monotonic() < deadline:
            self._ep.libHandleEvents(10)
            self._pending = [p for p in self._pending if not wav_finalised(p[1])]
