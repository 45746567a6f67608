"""The structured call-event log (``[logging] events_jsonl``): one JSON object per line.

Each line has ``ts`` (``time.time()``), ``event`` and ``sip_call_id``, plus whatever the step
adds. Lines are flushed one by one so latency can be measured from outside while the app runs.
"""

from __future__ import annotations

import json
import threading
import time
from pathlib import Path
from typing import IO

CALL_OFFERED = "call_offered"
SCREEN_POP_SHOWN = "screen_pop_shown"
CALL_ANSWERED = "call_answered"
CALL_ENDED = "call_ended"
WRAPUP_SAVED = "wrapup_saved"
DESK_READY = "desk_ready"
"""The window is shown and the softphone listens (start-up time is measured up to it)."""


class EventLog:
    """Appends events to a JSONL file; a ``None`` path makes it a no-op. Thread-safe."""

    def __init__(self, path: Path | None) -> None:
        self.path = path
        self._lock = threading.Lock()
        self._fh: IO[str] | None = None
        if path is not None:
            path.parent.mkdir(parents=True, exist_ok=True)
            self._fh = path.open("a", encoding="utf-8")

    def emit(
        self, event: str, sip_call_id: str | None, *, ts: float | None = None, **extra: object
    ) -> None:
        if self._fh is None:
            return
        line = {"ts": time.time() if ts is None else ts, "event": event, "sip_call_id": sip_call_id}
        line.update(extra)
        text = json.dumps(line, default=str, ensure_ascii=False)
        with self._lock:
            if self._fh is not None:
                self._fh.write(text + "\n")
                self._fh.flush()

    def close(self) -> None:
        with self._lock:
            if self._fh is not None:
                self._fh.close()
                self._fh = None
