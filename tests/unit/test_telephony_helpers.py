"""Pure telephony helpers: URIs, outcome mapping, offer building, WAV check, the SIP thread."""

from __future__ import annotations

import struct
import threading
import time
from pathlib import Path

import pytest

from agentdesk.domain.enums import CallDirection
from agentdesk.telephony.cti_context import CtiContext
from agentdesk.telephony.offer import call_offered, clean_text
from agentdesk.telephony.pjsua2.flood import InviteRateLimiter
from agentdesk.telephony.pjsua2.recording import wav_finalised
from agentdesk.telephony.pjsua2.sip_thread import SipThread, describe_error
from agentdesk.telephony.pjsua2.sip_uri import (
    account_uri,
    proxy_uri,
    refer_target,
    registrar_uri,
    target_uri,
)
from agentdesk.telephony.port import CallOutcome, SipConfig, SoftphoneError, outcome_for

REG = SipConfig(mode="register", registrar="pbx.example.com:5070", transport="tcp", username="a1")


def test_account_and_registrar_uris() -> None:
    assert account_uri(REG) == "sip:a1@pbx.example.com"
    assert registrar_uri(REG) == "sip:pbx.example.com:5070;transport=tcp"
    direct = SipConfig(bind_address="10.0.0.5", port=5062, username="x", display_name='Jo "J"')
    assert account_uri(direct) == '"Jo \\"J\\"" <sip:x@10.0.0.5:5062>'
    assert proxy_uri(SipConfig(outbound_proxy="sip:edge:5060")) == "sip:edge:5060;lr"
    with pytest.raises(SoftphoneError):
        account_uri(SipConfig(mode="register"))


@pytest.mark.parametrize(
    ("target", "expected"),
    [
        ("+1 (555) 010-2000", "sip:+15550102000@pbx.example.com:5070;transport=tcp"),
        ("sip:bob@elsewhere", "sip:bob@elsewhere"),
        ("bob@elsewhere", "sip:bob@elsewhere"),
        ("*72", "sip:*72@pbx.example.com:5070;transport=tcp"),
    ],
)
def test_target_uri(target: str, expected: str) -> None:
    assert target_uri(target, REG) == expected


def test_target_uri_refuses_garbage_and_direct_numbers() -> None:
    with pytest.raises(SoftphoneError):
        target_uri("call mom", REG)
    with pytest.raises(SoftphoneError):
        target_uri("+15550102000", SipConfig())


def test_refer_target_embeds_the_context_as_a_uri_header() -> None:
    ctx = CtiContext("lead", "0190a8f2-7c1e-7b3a-9f00-123456789abc")
    assert refer_target("sip:b@h", None) == "<sip:b@h>"
    assert refer_target("<sip:b@h>", ctx) == (
        f"<sip:b@h?X-AgentDesk-Context=kind%3Dlead%3Bid%3D{ctx.id}>"
    )
    assert refer_target("sip:b@h?Foo=1", ctx).startswith("<sip:b@h?Foo=1&X-AgentDesk-Context=")


@pytest.mark.parametrize(
    ("direction", "code", "answered", "transferred", "outcome"),
    [
        (CallDirection.OUTBOUND, 486, False, False, CallOutcome.BUSY),
        (CallDirection.OUTBOUND, 480, False, False, CallOutcome.NO_ANSWER),
        (CallDirection.OUTBOUND, 408, False, False, CallOutcome.NO_ANSWER),
        (CallDirection.OUTBOUND, 404, False, False, CallOutcome.INVALID_NUMBER),
        (CallDirection.OUTBOUND, 484, False, False, CallOutcome.INVALID_NUMBER),
        (CallDirection.OUTBOUND, 487, False, False, CallOutcome.CANCELLED),
        (CallDirection.OUTBOUND, 603, False, False, CallOutcome.DECLINED),
        (CallDirection.OUTBOUND, 503, False, False, CallOutcome.FAILED),
        (CallDirection.OUTBOUND, 200, True, False, CallOutcome.ANSWERED_COMPLETED),
        (CallDirection.INBOUND, 487, False, False, CallOutcome.MISSED),
        (CallDirection.INBOUND, 603, False, False, CallOutcome.REJECTED),
        (CallDirection.INBOUND, 486, False, False, CallOutcome.REJECTED),
        (CallDirection.INBOUND, 200, True, True, CallOutcome.TRANSFERRED),
    ],
)
def test_outcome_for(
    direction: CallDirection, code: int, answered: bool, transferred: bool, outcome: CallOutcome
) -> None:
    assert outcome_for(direction, code, answered=answered, transferred=transferred) is outcome


def test_clean_text_replaces_lone_surrogates() -> None:
    raw = b'From: "\xff\xfe" <sip:1@x>'.decode("utf-8", "surrogateescape")
    cleaned = clean_text(raw)
    cleaned.encode("utf-8")
    assert "\ufffd" in cleaned


def test_call_offered_keeps_only_the_wanted_x_headers() -> None:
    msg = (
        "INVITE sip:+18005550100@h SIP/2.0\r\n"
        "Call-ID: abc@h\r\n"
        'From: "Ann" <sip:+4930111@h>;tag=1\r\n'
        "To: <sip:+18005550100@h>\r\n"
        "X-Campaign: spring\r\nX-Other: no\r\n\r\n"
    )
    event = call_offered(msg, "c1", 12.5, ("X-Campaign",))
    assert (event.call_id, event.sip_call_id, event.received_at) == ("c1", "abc@h", 12.5)
    assert (event.remote_number, event.remote_display_name) == ("+4930111", "Ann")
    assert dict(event.x_headers) == {"x-campaign": "spring"}
    assert len(call_offered(msg, "c1", 0.0).x_headers) == 2
    assert call_offered("", "c2", 0.0).remote_number is None


def test_wav_finalised(tmp_path: Path) -> None:
    path = tmp_path / "a.wav"
    assert not wav_finalised(path)
    path.write_bytes(b"RIFF" + struct.pack("<I", 0) + b"WAVE")
    assert not wav_finalised(path)
    path.write_bytes(b"RIFF" + struct.pack("<I", 36 + 320) + b"WAVE")
    assert wav_finalised(path)


def test_sip_thread_runs_jobs_on_its_own_thread_and_stops() -> None:
    pumps: list[str] = []
    torn_down = threading.Event()

    def pump() -> None:
        pumps.append(threading.current_thread().name)
        time.sleep(0.001)

    thread = SipThread(
        setup=lambda: None,
        pump=pump,
        teardown=torn_down.set,
        name="test-sip",
    )
    assert thread.submit(lambda: threading.current_thread().name).result(5) == "test-sip"
    assert not thread.on_thread()

    def boom() -> None:
        raise KeyError("x")

    with pytest.raises(SoftphoneError, match="KeyError"):
        thread.submit(boom).result(5)
    ticks: list[float] = []
    thread.add_ticker(ticks.append)
    deadline = time.monotonic() + 5
    while not ticks and time.monotonic() < deadline:
        time.sleep(0.01)
    thread.remove_ticker(ticks.append)
    assert ticks
    thread.stop()
    assert torn_down.is_set()
    assert set(pumps) == {"test-sip"}
    with pytest.raises(SoftphoneError, match="stopped"):
        thread.submit(lambda: 1).result(5)


def test_sip_thread_reports_a_failed_start() -> None:
    def fail() -> None:
        raise RuntimeError("no stack")

    with pytest.raises(SoftphoneError, match="no stack"):
        SipThread(setup=fail, pump=lambda: None, teardown=lambda: None)


def test_describe_error_uses_info() -> None:
    class PjError(Exception):
        def info(self) -> str:
            return "Object is busy (PJSIP_EBUSY)"

    assert describe_error(PjError()) == "Object is busy (PJSIP_EBUSY)"
    assert describe_error(ValueError("v")) == "ValueError: v"


def test_invite_rate_limiter_sliding_window() -> None:
    limiter = InviteRateLimiter(limit=3, window=0.5)
    assert [limiter.admit(t) for t in (0.0, 0.1, 0.2, 0.3)] == [True, True, True, False]
    assert limiter.refused == 1
    assert limiter.admit(0.5)  # the first admission left the window
    assert not limiter.admit(0.55)
    assert limiter.admit(1.2)
    with pytest.raises(ValueError):
        InviteRateLimiter(limit=0)
