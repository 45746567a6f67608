"""Turning an inbound INVITE's text into a ``CallOffered`` event (pure; no pjsua2 here)."""

from __future__ import annotations

from collections.abc import Iterable

from agentdesk.telephony.port import CallId, CallOffered
from agentdesk.telephony.sip_message import parse_invite


def clean_text(raw: str) -> str:
    """Replace the lone surrogates SWIG uses for invalid UTF-8 with U+FFFD.

    Left in, they would fail later in the database driver or in Qt, far from the cause.
    """
    return raw.encode("utf-8", "surrogateescape").decode("utf-8", "replace")


def call_offered(
    whole_msg: str,
    call_id: CallId,
    received_at: float,
    x_header_names: Iterable[str] = (),
    *,
    busy_refused: bool = False,
) -> CallOffered:
    """The event for an INVITE; ``x_header_names`` limits the X- headers kept (empty: all)."""
    info = parse_invite(clean_text(whole_msg))
    wanted = {name.lower() for name in x_header_names}
    x_headers = {
        name: value for name, value in info.x_headers.items() if not wanted or name in wanted
    }
    return CallOffered(
        call_id=call_id,
        sip_call_id=info.call_id or "",
        remote_number=info.remote_number,
        remote_display_name=info.remote_display_name,
        identity_source=info.identity_source,
        anonymous=info.anonymous,
        dialed_number=info.dialed_number,
        diversion_number=info.diversion_number,
        x_headers=x_headers,
        context=info.context,
        received_at=received_at,
        remote_user=info.remote_user,
        to_number=info.to_number,
        busy_refused=busy_refused,
    )
