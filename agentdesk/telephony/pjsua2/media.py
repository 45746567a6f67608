"""Wiring a call's audio into pjmedia's conference bridge (microphone, speaker, recorder)."""

from __future__ import annotations

import contextlib
from typing import Any

from agentdesk.telephony.pjsua2.call import PjCall


def connect_media(ep: Any, call: PjCall) -> None:
    """(Re)wire the conference bridge: mic -> call, call -> speaker, both -> recorder.

    Called again after every re-INVITE (hold, resume) and on mute or a new recorder, because
    pjsua2 drops a call's bridge connections when its media is renegotiated.
    """
    audio = call.audio()
    if audio is None:
        return
    manager = ep.audDevManager()
    mic = manager.getCaptureDevMedia()
    speaker = manager.getPlaybackDevMedia()
    audio.startTransmit(speaker)
    if call.muted:
        with contextlib.suppress(Exception):
            mic.stopTransmit(audio)
    else:
        mic.startTransmit(audio)
    if call.recorder is not None:
        audio.startTransmit(call.recorder)
        mic.startTransmit(call.recorder)


def disconnect_recorder(ep: Any, call: PjCall, recorder: Any) -> None:
    """Stop feeding ``recorder`` from the call and the microphone (either may be gone)."""
    audio = call.audio()
    with contextlib.suppress(Exception):
        if audio is not None:
            audio.stopTransmit(recorder)
        ep.audDevManager().getCaptureDevMedia().stopTransmit(recorder)
