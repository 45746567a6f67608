"""SIP integration fixtures: one pjsua2 engine per test session, one phone per test."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest

from agentdesk.telephony.pjsua2.adapter import Pjsua2Softphone
from agentdesk.telephony.pjsua2.engine import SipEngine
from agentdesk.telephony.port import SipConfig
from tests.integration.sip.events import EventLog
from tests.support.sipp import ToolMissing, free_port, require_binary


@pytest.fixture(scope="session")
def sip_tools() -> None:
    """SIPp, Kamailio and kamcmd must be installed: missing ones fail the run with the hint."""
    try:
        for name in ("sipp", "kamailio", "kamcmd"):
            require_binary(name)
    except ToolMissing as exc:
        pytest.fail(str(exc), pytrace=False)


@pytest.fixture(scope="session")
def sip_engine(sip_tools: None) -> Iterator[SipEngine]:
    # pjsua2 allows one Endpoint per process, so every SIP test shares this one.
    engine = SipEngine(headless=True, log_level=0)
    yield engine
    engine.close()


Phone = tuple[Pjsua2Softphone, EventLog]


@pytest.fixture
def make_phone(sip_engine: SipEngine, tmp_path: Path) -> Iterator[Callable[..., Phone]]:
    """Build a phone on a free loopback port; ``overrides`` replace ``SipConfig`` fields."""
    phones: list[Pjsua2Softphone] = []

    def make(**overrides: Any) -> Phone:
        config = SipConfig(
            mode="direct",
            bind_address="127.0.0.1",
            port=free_port(),
            username="agent",
            recordings_dir=tmp_path / "recordings",
            ring_timeout_seconds=10,
        )
        phone = Pjsua2Softphone(sip_engine, replace(config, **overrides))
        log = EventLog()
        phone.subscribe(log)
        phones.append(phone)
        return phone, log

    yield make
    for phone in phones:
        phone.close()


@pytest.fixture
def workdir(tmp_path: Path) -> Path:
    path = tmp_path / "sip"
    path.mkdir()
    return path
