"""Reading caller identity and CTI data out of an inbound SIP INVITE.

The pjsua2 adapter hands :func:`parse_invite` the whole message text (``rdata.wholeMsg``, decoded
upstream with ``errors="replace"``) and turns the resulting :class:`InviteInfo` into a
``CallOffered`` event. Everything here is pure and bounded, so it is safe to call inside a pjsua2
callback: :func:`parse_invite` never raises and its work does not grow with hostile input.

Decisions worth knowing:

* **Identity order.** ``P-Asserted-Identity`` (set by the trusted network), then
  ``Remote-Party-ID`` (its older draft twin), then ``From`` (set by the caller, untrusted). The
  first of these headers that holds a usable URI wins. Within several ``P-Asserted-Identity``
  values (several headers or comma-separated), a ``tel:`` URI is preferred, then a SIP URI whose
  user part looks like a number, then the first URI with a user part.
* **Numbers are returned as given, minus visual separators.** ``tel:+1-201-555-0123`` gives
  ``+12015550123``; a local ``tel:7042;phone-context=example.com`` gives ``7042`` (the context
  is not prepended: E.164 normalisation belongs to ``agentdesk.domain.phone``). A user part that
  is not a number (``sip:alice@pbx``) gives ``remote_number=None``; the raw user part is still
  available as ``remote_user``.
* **Privacy wins over trust.** ``Privacy: id`` (or ``user``/``header``), ``Remote-Party-ID``
  ``privacy=full``/``uri``, an ``Anonymous``/``Restricted``/``Private``/``Withheld`` display name,
  or an ``anonymous`` user / ``anonymous.invalid`` host mark the call ``anonymous``; then
  ``remote_number``, ``remote_user``, ``remote_display_name`` and ``identity_source`` are all
  ``None`` even when a ``P-Asserted-Identity`` is present. A network that delivers a withheld
  PAI to an agent's phone has leaked it past its trust boundary (RFC 3325 section 7); the agent
  is the called party, and showing or storing a number the caller asked to withhold would break
  the caller's privacy request. ``Remote-Party-ID`` ``privacy=name`` only hides the name.
* **Display name** comes from the chosen identity, else from the first other identity header
  that has one (a PAI often carries only the number while ``From`` carries the CNAM name).
* **Limits** (in ``sip_headers``). Only the first ``MAX_SECTION_CHARS`` characters are looked
  at, at most ``MAX_HEADERS`` header fields, each at most ``MAX_HEADER_CHARS`` (longer fields
  are dropped, not cut, because a cut URI could yield a wrong number). Lines may end in CRLF
  or LF (bare CR is not a line end here). Folded continuation lines are joined with one space.
* **X- headers**: every ``X-*`` header, name lower-cased, first occurrence wins, value cut to
  ``MAX_X_HEADER_VALUE`` characters, at most ``MAX_X_HEADERS`` of them.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType
from typing import Literal, NamedTuple

from agentdesk.telephony.cti_context import (
    CONTEXT_HEADER,
    CtiContext,  # app/ui import it here
    decode_context,
)
from agentdesk.telephony.sip_headers import MAX_HEADER_CHARS, header_fields, split_values

IdentitySource = Literal["p-asserted-identity", "remote-party-id", "from"]

MAX_X_HEADERS = 32
MAX_X_HEADER_VALUE = 1024
MAX_DISPLAY_NAME = 256
MAX_IDENTITY_VALUES = 8  # per identity header kind; RFC 3325 allows two PAI values

_TOKEN = re.compile(r"[A-Za-z0-9\-.!%*_+`'~]+", re.ASCII)
# Possessive quantifiers (Python 3.11) throughout: no backtracking, so work stays linear.
_NAME_ADDR = re.compile(r'\s*+(?:"((?:[^"\\]|\\.)*+)"\s*+|([^"<]*+))<([^>]*+)>(.*)', re.DOTALL)
# scheme, user (without user params or password), host (or a tel: subscriber)
_URI = re.compile(r"\s*+([A-Za-z][A-Za-z0-9+.\-]*+):(?:([^@;:?]*+)[^@?]*+@)?(\[[^\]]*+\]|[^;?:]*+)")
_ESCAPE = re.compile(r"\\(.)", re.DOTALL)
_PERCENT_RUN = re.compile(r"(?:%[0-9A-Fa-f]{2})++", re.ASCII)
_NUMBER = re.compile(r"\+?[0-9]{1,32}", re.ASCII)
_VISUAL_SEPARATORS = str.maketrans("", "", "-.() \t")
_ANONYMOUS_NAMES = frozenset({"anonymous", "restricted", "private", "withheld"})
_PRIVACY_HIDING = frozenset({"id", "user", "header"})
_SIP_SCHEMES = ("sip", "sips")


@dataclass(frozen=True, slots=True)
class InviteInfo:
    """What an inbound INVITE says about the caller and the call (see the module docstring)."""

    call_id: str | None = None
    remote_number: str | None = None
    """User part of the chosen identity (``+`` and digits); ``None`` when anonymous/garbage."""
    remote_display_name: str | None = None
    identity_source: IdentitySource | None = None
    """Header the remote number (or user) came from."""
    anonymous: bool = False
    dialed_number: str | None = None
    """DNIS: user part of the Request-URI when it is a number, else of ``To``."""
    diversion_number: str | None = None
    """First ``Diversion`` entry, else the original target of a retargeted ``History-Info``."""
    to_number: str | None = None
    """User part of ``To`` when it is a number: the number the caller dialed, even after a
    proxy forked the call and the Request-URI became this desk's own contact."""
    x_headers: Mapping[str, str] = field(default_factory=lambda: MappingProxyType({}), hash=False)
    context: CtiContext | None = None
    remote_user: str | None = None
    """Raw user part of the chosen identity even when not a number (``alice``)."""


class _Addr(NamedTuple):
    display: str | None
    scheme: str | None
    user: str | None
    host: str | None
    params: str  # header parameters after the URI, e.g. ";tag=1;privacy=full"


def _parse_uri(uri: str) -> tuple[str | None, str | None, str | None]:
    """(scheme, user, host) of a sip/sips/tel URI; user and host ``None`` when absent."""
    match = _URI.match(uri)
    if match is None:
        return None, None, None
    scheme, user, host = match.groups()
    scheme = scheme.lower()
    if scheme == "tel":
        # tel:+1-201-555-0123;phone-context=... has no "@": the subscriber is the "host" group
        user, host = host.strip(), None
    elif scheme in _SIP_SCHEMES:
        user = user.strip() if user else None
        host = host.strip().lower()
    else:
        return scheme, None, None
    if user and "%" in user:
        user = _percent_decode(user)
    return scheme, user or None, host or None


def _percent_decode(text: str) -> str:
    """``urllib.parse.unquote`` for valid escapes only: unquote raises and catches once per
    stray ``%``, which makes a header of thousands of them cost tens of milliseconds."""
    return _PERCENT_RUN.sub(_decode_run, text)


def _decode_run(match: re.Match[str]) -> str:
    return bytes.fromhex(match[0].replace("%", "")).decode("utf-8", "replace")


def _escaped_char(match: re.Match[str]) -> str:
    # A function, not the template r"\1": expanding a template costs ~10 us a match.
    return match[1]


def _parse_addr(value: str) -> _Addr | None:
    """Parse one name-addr or addr-spec (RFC 3261 section 25.1) leniently."""
    match = _NAME_ADDR.match(value)
    if match is not None:
        quoted, token, uri, params = match.groups()
        if quoted is not None:
            display = _ESCAPE.sub(_escaped_char, quoted) if "\\" in quoted else quoted
            display = display.strip() or None
        else:
            display = " ".join(token.split()) or None
    else:
        text = value.strip()
        if not text or "<" in text or '"' in text:
            return None  # a broken name-addr, not an addr-spec
        display = None
        # Without angle brackets every ';' after the user part starts a header parameter.
        at = text.find("@")
        semi = text.find(";", at + 1 if at >= 0 else 0)
        uri = text if semi < 0 else text[:semi]
        params = "" if semi < 0 else text[semi:]
    scheme, user, host = _parse_uri(uri)
    return _Addr(display, scheme, user, host, params)


def parse_name_addr(value: str) -> tuple[str | None, str | None]:
    """(display name, user part) of a header value such as ``"Name" <sip:user@host>;tag=x``.

    Accepts bare URIs, ``tel:`` URIs, quoted names with backslash escapes and unquoted token
    names. The user part is percent-decoded, without user parameters or password. Only the
    first ``MAX_HEADER_CHARS`` characters are read. Never raises.
    """
    if not isinstance(value, str):
        return None, None
    addr = _parse_addr(value[:MAX_HEADER_CHARS])
    if addr is None:
        return None, None
    return addr.display, addr.user


def _as_number(user: str | None) -> str | None:
    if user is None:
        return None
    cleaned = user.translate(_VISUAL_SEPARATORS)
    return cleaned if _NUMBER.fullmatch(cleaned) else None


def _param(params: str, name: str) -> str | None:
    for part in params.split(";"):
        key, _, val = part.partition("=")
        if key.strip().lower() == name:
            return val.strip().strip('"').lower()
    return None


def _is_anonymous(addr: _Addr) -> bool:
    if addr.user is not None and addr.user.lower() == "anonymous":
        return True
    if addr.host == "anonymous.invalid":
        return True
    return addr.display is not None and addr.display.casefold() in _ANONYMOUS_NAMES


def _addrs(headers: dict[str, list[str]], name: str) -> list[_Addr]:
    out: list[_Addr] = []
    for raw in headers.get(name, ()):
        for value in split_values(raw):
            addr = _parse_addr(value)
            if addr is not None:
                out.append(addr)
            if len(out) >= MAX_IDENTITY_VALUES:
                return out
    return out


def _pick_identity(addrs: list[_Addr]) -> _Addr | None:
    sip_number: _Addr | None = None
    first_user: _Addr | None = None
    for addr in addrs:
        if addr.user is None:
            continue
        if _as_number(addr.user) is not None:
            if addr.scheme == "tel":
                return addr
            if sip_number is None and addr.scheme in _SIP_SCHEMES:
                sip_number = addr
        if first_user is None:
            first_user = addr
    return sip_number or first_user


def _privacy_requested(headers: dict[str, list[str]]) -> bool:
    for raw in headers.get("privacy", ()):
        tokens = {t.strip().lower() for t in re.split(r"[;,]", raw)}
        if tokens & _PRIVACY_HIDING:
            return True
    return False


def _diversion(headers: dict[str, list[str]]) -> str | None:
    diversions = _addrs(headers, "diversion")
    if diversions:
        return _as_number(diversions[0].user)
    # History-Info: the first entry is the original target; only meaningful once retargeted.
    entries = _addrs(headers, "history-info")
    if len(entries) >= 2:
        return _as_number(entries[0].user)
    return None


def _dialed(request_uri: str | None, headers: dict[str, list[str]]) -> str | None:
    if request_uri is not None:
        number = _as_number(_parse_uri(request_uri)[1])
        if number is not None:
            return number
    to = _addrs(headers, "to")
    return _as_number(to[0].user) if to else None


def _x_headers(headers: dict[str, list[str]]) -> dict[str, str]:
    selected: dict[str, str] = {}
    for name, values in headers.items():
        if name.startswith("x-") and _TOKEN.fullmatch(name):
            selected[name] = values[0][:MAX_X_HEADER_VALUE]
            if len(selected) >= MAX_X_HEADERS:
                break
    return selected


def _parse_invite(whole_msg: str) -> InviteInfo:
    """The parser proper; may only raise on a bug (the tests call it directly to find them)."""
    request_uri, headers = header_fields(whole_msg)

    call_ids = headers.get("call-id")
    call_id = (call_ids[0] or None) if call_ids else None

    pai = _addrs(headers, "p-asserted-identity")
    rpid = _addrs(headers, "remote-party-id")
    from_ = _addrs(headers, "from")[:1]
    chosen: _Addr | None = None
    source: IdentitySource | None = None
    candidates: tuple[tuple[IdentitySource, list[_Addr]], ...] = (
        ("p-asserted-identity", pai),
        ("remote-party-id", rpid),
        ("from", from_),
    )
    for name, addrs in candidates:
        chosen = _pick_identity(addrs)
        if chosen is not None:
            source = name
            break

    rpid_privacy = {_param(a.params, "privacy") for a in rpid}
    anonymous = (
        _privacy_requested(headers)
        or bool(rpid_privacy & {"full", "uri"})
        or any(_is_anonymous(a) for a in from_)
        or (chosen is not None and _is_anonymous(chosen))
    )

    context_values = headers.get(CONTEXT_HEADER.lower())
    context = decode_context(context_values[0]) if context_values else None
    dialed = _dialed(request_uri, headers)
    diversion = _diversion(headers)
    to = _addrs(headers, "to")
    x_headers = MappingProxyType(_x_headers(headers))

    number = user = display = None
    if not anonymous and chosen is not None:
        number = _as_number(chosen.user)
        user = chosen.user
        if "name" not in rpid_privacy:
            display = chosen.display or next(
                (a.display for a in (*pai, *rpid, *from_) if a.display), None
            )
    else:
        source = None
    return InviteInfo(
        call_id=call_id,
        remote_number=number,
        remote_display_name=display[:MAX_DISPLAY_NAME] if display else None,
        identity_source=source,
        anonymous=anonymous,
        dialed_number=dialed,
        diversion_number=diversion,
        to_number=_as_number(to[0].user) if to else None,
        x_headers=x_headers,
        context=context,
        remote_user=user,
    )


_EMPTY = InviteInfo()


def parse_invite(whole_msg: str) -> InviteInfo:
    """Read caller identity, DNIS, diversion, X- headers and CTI context from an INVITE.

    Only the header section (up to the first blank line) is read; the SDP body is ignored.
    Never raises: this runs inside a pjsua2 callback, where a Python exception can take the
    process down, so even a parser bug degrades to an empty ``InviteInfo``.
    """
    if not isinstance(whole_msg, str):
        return _EMPTY
    try:
        return _parse_invite(whole_msg)
    except Exception:  # defence in depth only; the hypothesis tests target _parse_invite
        return _EMPTY


def _reason_cause(value: str) -> tuple[str, str | None]:
    protocol, _, params = value.partition(";")
    return protocol.strip().upper(), _param(";" + params, "cause")


def completed_elsewhere(whole_msg: str) -> bool:
    """Whether a CANCEL says another branch of the forked call was answered (RFC 3326
    ``Reason: SIP;cause=200``); a caller who gives up sends no such reason."""
    _, headers = header_fields(whole_msg)
    for raw in headers.get("reason", []):
        for value in split_values(raw):
            if _reason_cause(value) == ("SIP", "200"):
                return True
    return False
