"""The engine and command plumbing on the real pjsua2 stack (no peer needed beyond SIPp)."""

from __future__ import annotations

import threading
from collections.abc import Callable
from pathlib import Path

import pytest

from agentdesk.telephony.pjsua2.adapter import Pjsua2Softphone
from agentdesk.telephony.pjsua2.engine import SipEngine
from agentdesk.telephony.port import (
    CallAnswered,
    CallEnded,
    SipConfig,
    Softphone,
    SoftphoneError,
    UnknownCall,
)
from tests.integration.sip.conftest import Phone
from tests.integration.sip.helpers import answering_peer
from tests.support.sipp import free_port

pytestmark = pytest.mark.sip


def test_adapter_is_a_softphone(make_phone: Callable[..., Phone]) -> None:
    phone, _ = make_phone()
    assert isinstance(phone, Softphone)


def test_headless_audio_devices_and_unknown_device(sip_engine: SipEngine) -> None:
    devices = sip_engine.audio_devices().result(5)
    assert all(d.name for d in devices)  # this container has none; a desktop lists its own
    with pytest.raises(SoftphoneError, match="no audio device named"):
        sip_engine.select_audio("No Such Microphone", "").result(5)


def test_bad_commands_fail_with_clear_errors(make_phone: Callable[..., Phone]) -> None:
    phone, _ = make_phone()
    with pytest.raises(UnknownCall):
        phone.hangup("no-such-call").result(5)
    with pytest.raises(SoftphoneError, match="not a dialable"):
        phone.dial("call mom").result(5)
    with pytest.raises(SoftphoneError, match="without an outbound proxy"):
        phone.dial("+15550001234").result(5)  # direct mode needs a URI (or a proxy)
    with pytest.raises(SoftphoneError, match="mode = register"):
        phone.register("secret").result(5)


def test_commands_from_many_threads_at_once(
    make_phone: Callable[..., Phone], workdir: Path
) -> None:
    # Every public method may be called from any thread: hammer one live call from 8 threads.
    phone, events = make_phone()
    callee = answering_peer(workdir)
    call_id = phone.dial(f"sip:callee@127.0.0.1:{callee.port}").result(5)
    events.wait_for(CallAnswered)
    errors: list[BaseException] = []

    def worker() -> None:
        try:
            for _ in range(20):
                phone.mute(call_id).result(5)
                phone.unmute(call_id).result(5)
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=worker) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(30)
    assert errors == []
    phone.hangup(call_id).result(5)
    events.wait_for(CallEnded)
    callee.assert_success()


def test_closed_phone_refuses_commands_and_frees_its_port(sip_engine: SipEngine) -> None:
    port = free_port()
    phone = Pjsua2Softphone(sip_engine, SipConfig(port=port))
    phone.close()
    with pytest.raises(SoftphoneError, match="closed"):
        phone.dial("sip:x@127.0.0.1:9").result(5)
    again = Pjsua2Softphone(sip_engine, SipConfig(port=port))  # the port was released
    again.close()


def test_port_in_use_fails_cleanly(make_phone: Callable[..., Phone], sip_engine: SipEngine) -> None:
    phone, _ = make_phone()
    with pytest.raises(SoftphoneError):
        Pjsua2Softphone(sip_engine, SipConfig(port=phone.config.port))
    phone.close()
    # nothing of the failed attempt lingers: the port can be used again
    Pjsua2Softphone(sip_engine, SipConfig(port=phone.config.port)).close()
