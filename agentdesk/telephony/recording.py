"""Small pure helpers for call recordings (no pjsua2 here)."""

from __future__ import annotations

import struct
from pathlib import Path


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
