"""Register mode against a real Kamailio: digest auth, refresh, unregister, restart, routing."""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest

from agentdesk.telephony.port import (
    CallEnded,
    CallOffered,
    CallOutcome,
    RegistrationChanged,
    RegistrationState,
)
from tests.integration.sip.conftest import Phone
from tests.integration.sip.helpers import call_phone, wait_until
from tests.support.kamailio import Kamailio, start_kamailio

pytestmark = pytest.mark.sip

PASSWORD = "s3cret-from-keyring"


@pytest.fixture
def kamailio(tmp_path: Path, sip_tools: None) -> Iterator[Kamailio]:
    kam = start_kamailio(tmp_path / "kamailio", password=PASSWORD)
    yield kam
    kam.stop()


def registered(e: RegistrationChanged) -> bool:
    return e.state is RegistrationState.REGISTERED


def wait_contacts(kam: Kamailio, aor: str, present: bool, timeout: float = 5.0) -> list[str]:
    """The registrar's contacts for ``aor`` once they are (or are not) there, or at timeout."""
    found: list[str] = []

    def settled() -> bool:
        found[:] = kam.registered_contacts(aor)
        return bool(found) == present

    with contextlib.suppress(AssertionError):
        wait_until(settled, timeout=timeout)
    return found


def test_register_refresh_and_unregister_with_digest_auth(
    make_phone: Callable[..., Phone], kamailio: Kamailio
) -> None:
    phone, events = make_phone(
        mode="register",
        registrar=f"127.0.0.1:{kamailio.port}",
        username="agent7",
        register_expires=3,
    )
    phone.register(PASSWORD).result(5)
    first = events.wait_for(RegistrationChanged, registered)
    assert (first.code, first.expires) == (200, 3)
    contacts = wait_contacts(kamailio, "agent7", present=True)
    assert len(contacts) == 1
    assert contacts[0].startswith(f"sip:agent7@127.0.0.1:{phone.config.port}")

    # pjsua2 refreshes on its own (regConfig.timeoutSec): another 200 well before 3 s + 5 s.
    before = len([e for e in events.of(RegistrationChanged) if registered(e)])
    events.wait_for(RegistrationChanged, registered, count=before + 1, timeout=8)
    assert wait_contacts(kamailio, "agent7", present=True)

    phone.unregister().result(5)
    gone = events.wait_for(RegistrationChanged, lambda e: e.state is RegistrationState.UNREGISTERED)
    assert gone.code == 200
    assert wait_contacts(kamailio, "agent7", present=False) == []


def test_wrong_password_is_reported_as_failed(
    make_phone: Callable[..., Phone], kamailio: Kamailio
) -> None:
    phone, events = make_phone(
        mode="register", registrar=f"127.0.0.1:{kamailio.port}", username="agent8"
    )
    phone.register("not-the-password").result(5)
    failed = events.wait_for(RegistrationChanged, lambda e: e.state is RegistrationState.FAILED)
    assert failed.code in (401, 403)
    assert kamailio.registered_contacts("agent8") == []


def test_registration_recovers_after_kamailio_restart(
    make_phone: Callable[..., Phone], kamailio: Kamailio
) -> None:
    phone, events = make_phone(
        mode="register",
        transport="tcp",
        registrar=f"127.0.0.1:{kamailio.port}",
        username="agent9",
        register_expires=2,
        register_retry_seconds=1,
        register_first_retry_seconds=1,
    )
    phone.register(PASSWORD).result(5)
    events.wait_for(RegistrationChanged, registered)
    assert wait_contacts(kamailio, "agent9", present=True)

    kamailio.stop()
    failed = events.wait_for(
        RegistrationChanged, lambda e: e.state is RegistrationState.FAILED, timeout=10
    )
    assert (failed.code, failed.reason) == (503, "Connection refused")
    # A retry fails too while it is down (register_retry_seconds=1)...
    events.wait_for(
        RegistrationChanged, lambda e: e.state is RegistrationState.FAILED, count=2, timeout=10
    )
    kamailio.start()
    # the first REGISTERED came before the outage, so a later one is the recovery
    history = events.of(RegistrationChanged)
    back = events.wait_for(
        RegistrationChanged, registered, count=len([e for e in history if registered(e)]) + 1
    )
    assert back.code == 200
    assert wait_contacts(kamailio, "agent9", present=True)


def test_inbound_call_through_kamailio(
    make_phone: Callable[..., Phone], kamailio: Kamailio, workdir: Path
) -> None:
    phone, events = make_phone(
        mode="register", registrar=f"127.0.0.1:{kamailio.port}", username="agent10"
    )
    phone.register(PASSWORD).result(5)
    events.wait_for(RegistrationChanged, registered)
    caller = call_phone(
        phone,
        workdir,
        remote=f"127.0.0.1:{kamailio.port}",
        to_user="agent10",
        identity='P-Asserted-Identity: "Erin" <tel:+33142685300>',
    )
    offered = events.wait_for(CallOffered)
    assert (offered.remote_number, offered.remote_display_name) == ("+33142685300", "Erin")
    phone.answer(offered.call_id).result(5)
    caller.assert_success()
    assert events.wait_for(CallEnded).outcome is CallOutcome.ANSWERED_COMPLETED
    # ACK and BYE followed the Record-Route through the proxy
    assert "Record-Route:" in caller.messages()


def test_outbound_number_through_kamailio_unknown_is_invalid(
    make_phone: Callable[..., Phone], kamailio: Kamailio
) -> None:
    phone, events = make_phone(
        mode="register", registrar=f"127.0.0.1:{kamailio.port}", username="agent11"
    )
    phone.register(PASSWORD).result(5)
    events.wait_for(RegistrationChanged, registered)
    phone.dial("+1 (555) 000-4444").result(5)
    ended = events.wait_for(CallEnded)
    assert (ended.sip_code, ended.outcome) == (404, CallOutcome.INVALID_NUMBER)


def test_direct_mode_dials_numbers_through_the_outbound_proxy(
    make_phone: Callable[..., Phone], kamailio: Kamailio
) -> None:
    phone, events = make_phone(outbound_proxy=f"127.0.0.1:{kamailio.port}")
    phone.dial("+44 20 7946 0000").result(5)
    ended = events.wait_for(CallEnded)
    # Kamailio knows no such user: its 404 proves the INVITE went through the proxy.
    assert (ended.sip_code, ended.outcome) == (404, CallOutcome.INVALID_NUMBER)
    assert f"SEEN INVITE sip:+442079460000@127.0.0.1:{kamailio.port}" in kamailio.log()
