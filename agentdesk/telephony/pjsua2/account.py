"""The SIP account a phone answers and dials on: direct (no registrar) or registered."""

from __future__ import annotations

import logging
import time
from typing import Any, Protocol

import pjsua2 as pj

from agentdesk.telephony.pjsua2.sip_uri import account_uri, proxy_uri, registrar_uri
from agentdesk.telephony.port import (
    RegistrationChanged,
    RegistrationState,
    SipConfig,
    SoftphoneEvent,
)

log = logging.getLogger(__name__)


class AccountHost(Protocol):
    """What an account reports to (the phone), always on the SIP thread."""

    def emit(self, event: SoftphoneEvent) -> None: ...
    def on_incoming_call(self, account: PjAccount, prm: Any, received_at: float) -> None: ...


class PjAccount(pj.Account):  # type: ignore[misc]
    """Turns pjsua2's account callbacks into registration events and offered calls."""

    def __init__(self, host: AccountHost) -> None:
        super().__init__()
        self._host = host

    def onIncomingCall(self, prm: Any) -> None:
        received_at = time.time()
        try:
            self._host.on_incoming_call(self, prm, received_at)
        except Exception:
            log.exception("onIncomingCall failed")

    def onRegStarted(self, prm: Any) -> None:
        if prm.renew:
            self._host.emit(RegistrationChanged(RegistrationState.REGISTERING, 0, "", 0))

    def onRegState(self, prm: Any) -> None:
        code = int(prm.code)
        expires = int(prm.expiration)
        if 200 <= code < 300:
            state = RegistrationState.REGISTERED if expires > 0 else RegistrationState.UNREGISTERED
        else:
            state = RegistrationState.FAILED
        self._host.emit(RegistrationChanged(state, code, str(prm.reason), expires))


def make_account(
    host: AccountHost,
    cfg: SipConfig,
    transport_id: int,
    *,
    register: bool,
    password: str = "",
) -> PjAccount:
    """Create the account on ``transport_id``; with ``register`` it registers at once."""
    acfg = pj.AccountConfig()
    acfg.idUri = account_uri(cfg)
    acfg.sipConfig.transportId = transport_id
    if cfg.outbound_proxy:
        acfg.sipConfig.proxies.append(proxy_uri(cfg))
    if register:
        acfg.regConfig.registrarUri = registrar_uri(cfg)
        acfg.regConfig.registerOnAdd = True
        acfg.regConfig.timeoutSec = cfg.register_expires
        acfg.regConfig.retryIntervalSec = cfg.register_retry_seconds
        acfg.regConfig.firstRetryIntervalSec = cfg.register_first_retry_seconds
        acfg.regConfig.randomRetryIntervalSec = 0
        acfg.regConfig.delayBeforeRefreshSec = min(5, max(1, cfg.register_expires // 4))
        user = cfg.auth_username or cfg.username
        acfg.sipConfig.authCreds.append(pj.AuthCredInfo("digest", "*", user, 0, password))
    acfg.natConfig.iceEnabled = False
    acfg.mediaConfig.transportConfig.boundAddress = cfg.bind_address
    account = PjAccount(host)
    account.create(acfg, True)
    return account
