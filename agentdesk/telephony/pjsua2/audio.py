"""Sound devices as the app sees them (pure; the adapter fills them from pjsua2)."""

from __future__ import annotations

from dataclasses import dataclass

from agentdesk.telephony.port import SoftphoneError


@dataclass(frozen=True, slots=True)
class AudioDevice:
    """A sound device as the OS names it; the app remembers the chosen names in settings."""

    index: int
    name: str
    driver: str
    inputs: int
    outputs: int


def device_index(names: list[str], wanted: str) -> int:
    """Position of the device called ``wanted``; names, not indexes, survive a replug."""
    try:
        return names.index(wanted)
    except ValueError:
        raise SoftphoneError(f"no audio device named {wanted!r}") from None
