"""A phone's listening sockets, its flood-guard account and its codec order."""

from __future__ import annotations

import contextlib
from typing import Any

import pjsua2 as pj

from agentdesk.telephony.port import SipConfig

_UDP = pj.PJSIP_TRANSPORT_UDP
_TCP = pj.PJSIP_TRANSPORT_TCP
_TLS = pj.PJSIP_TRANSPORT_TLS


def _apply_tls(tcfg: Any, cfg: SipConfig) -> None:
    tls = tcfg.tlsConfig
    if cfg.tls_cert_file is not None:
        tls.certFile = str(cfg.tls_cert_file)
        tls.privKeyFile = str(cfg.tls_key_file or cfg.tls_cert_file)
    if cfg.tls_ca_file is not None:
        tls.CaListFile = str(cfg.tls_ca_file)
        tls.verifyServer = True


def open_transports(ep: Any, cfg: SipConfig, opened: list[int]) -> None:
    """Listen on ``cfg.port``: TLS alone, or UDP and TCP (in that order) on the same port.

    Each transport id is appended to ``opened`` as soon as it exists, so a failure half way
    (a port taken) still leaves the caller everything to close.
    """
    kinds = [_TLS] if cfg.transport == "tls" else [_UDP, _TCP]
    for kind in kinds:
        tcfg = pj.TransportConfig()
        tcfg.port = cfg.port
        tcfg.boundAddress = cfg.bind_address
        tcfg.publicAddress = cfg.bind_address
        if kind == _TLS:
            _apply_tls(tcfg, cfg)
        opened.append(ep.transportCreate(kind, tcfg))


def account_transport(cfg: SipConfig, transport_ids: list[int]) -> int:
    """The transport the account sends on (``open_transports`` order: UDP, TCP; or TLS)."""
    return transport_ids[1 if cfg.transport == "tcp" else 0]


def close_transports(ep: Any, transport_ids: list[int]) -> None:
    for transport_id in transport_ids:
        with contextlib.suppress(Exception):
            ep.transportClose(transport_id)
    transport_ids.clear()


def make_guard_account(transport_id: int) -> Any:
    """The account flood INVITEs are steered to: its media address (TEST-NET-1, RFC 5737)
    is never local, so pjsua refuses the call with 500 before opening any socket."""
    gcfg = pj.AccountConfig()
    gcfg.idUri = "sip:flood-guard@invalid"
    gcfg.sipConfig.transportId = transport_id
    gcfg.natConfig.iceEnabled = False
    gcfg.mediaConfig.transportConfig.boundAddress = "192.0.2.1"
    guard = pj.Account()
    guard.create(gcfg, False)
    return guard


def apply_codecs(ep: Any, codecs: tuple[str, ...]) -> None:
    """Prefer ``codecs`` in their order and disable every other one (none given: defaults)."""
    if not codecs:
        return
    wanted = [c.lower() for c in codecs]
    for codec in ep.codecEnum2():
        name = codec.codecId.split("/", 1)[0].lower()
        priority = 255 - wanted.index(name) if name in wanted else 0
        ep.codecSetPriority(codec.codecId, priority)
