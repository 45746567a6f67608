"""Pure helpers that turn ``[sip]`` settings and dial strings into SIP URIs (no pjsua2 here)."""

from __future__ import annotations

import re
from urllib.parse import quote

from agentdesk.telephony.cti_context import CONTEXT_HEADER, CtiContext, encode_context
from agentdesk.telephony.port import NO_ROUTE_REASONS, SipConfig, SoftphoneError, number_route

_DIALABLE = re.compile(r"^\+?[0-9*#]+$")
_SCHEME = re.compile(r"^sips?:", re.IGNORECASE)


def _host_of(uri: str) -> str:
    """``sip:user@host:port;params`` or ``host:port`` -> ``host:port``."""
    rest = _SCHEME.sub("", uri.strip().strip("<>"))
    rest = rest.split("@", 1)[-1]
    return rest.split(";", 1)[0]


def transport_param(config: SipConfig) -> str:
    return "" if config.transport == "udp" else f";transport={config.transport}"


def account_uri(config: SipConfig) -> str:
    """Our address of record: at the registrar's domain, or at our own socket when direct."""
    if config.mode == "register":
        if not config.registrar:
            raise SoftphoneError("register mode needs [sip] registrar")
        host = _host_of(config.registrar).split(":", 1)[0]
    else:
        host = f"{config.bind_address}:{config.port}"
    uri = f"sip:{config.username}@{host}"
    if config.display_name:
        escaped = config.display_name.replace("\\", "\\\\").replace('"', '\\"')
        return f'"{escaped}" <{uri}>'
    return uri


def registrar_uri(config: SipConfig) -> str:
    host = _host_of(config.registrar)
    return f"sip:{host}{transport_param(config)}"


def proxy_uri(config: SipConfig) -> str:
    if not config.outbound_proxy:
        return ""
    return f"sip:{_host_of(config.outbound_proxy)}{transport_param(config)};lr"


def target_uri(target: str, config: SipConfig) -> str:
    """What to put in the INVITE request URI for a number or a URI the agent dialled."""
    text = target.strip()
    if _SCHEME.match(text):
        return text
    if "@" in text:
        return f"sip:{text}"
    compact = re.sub(r"[\s().-]", "", text)
    if not _DIALABLE.match(compact):
        raise SoftphoneError(f"not a dialable number or SIP URI: {target!r}")
    problem = number_route(config)
    if problem is not None:
        raise SoftphoneError(f"cannot dial {target!r}: {NO_ROUTE_REASONS[problem]}")
    if config.mode == "register" and config.registrar:
        return f"sip:{compact}@{_host_of(config.registrar)}{transport_param(config)}"
    return f"sip:{compact}@{_host_of(config.outbound_proxy)}{transport_param(config)}"


def refer_target(uri: str, context: CtiContext | None) -> str:
    """The Refer-To for a blind transfer; the context rides along as a URI header.

    RFC 3261 19.1.1 URI headers are copied by the transferee into its INVITE, so the context
    reaches the target even through a transferee that knows nothing about AgentDesk.
    """
    bare = uri.strip().strip("<>")
    if context is None:
        return f"<{bare}>"
    joiner = "&" if "?" in bare else "?"
    value = quote(encode_context(context), safe="")
    return f"<{bare}{joiner}{CONTEXT_HEADER}={value}>"
