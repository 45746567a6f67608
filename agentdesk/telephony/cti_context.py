"""The CRM record a call is about, as it travels between agents in ``X-AgentDesk-Context``.

The header value is ``kind=<kind>;id=<uuid>``. The inbound parser (``sip_message``) decodes it
from an INVITE; a transfer (``pjsua2``) encodes it into the REFER and the consult INVITE.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

CONTEXT_HEADER = "X-AgentDesk-Context"
CONTEXT_KINDS = frozenset({"contact", "account", "lead", "case", "opportunity"})
MAX_CONTEXT_CHARS = 256

_UUID = re.compile(
    r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}", re.ASCII | re.IGNORECASE
)


@dataclass(frozen=True, slots=True)
class CtiContext:
    """The CRM record a call is about, carried between agents in ``X-AgentDesk-Context``.

    ``kind`` is one of :data:`CONTEXT_KINDS`; ``id`` a hyphenated UUID string. Both are
    normalised to lower case; anything else raises ``ValueError``.
    """

    kind: str
    id: str

    def __post_init__(self) -> None:
        kind = self.kind.strip().lower() if isinstance(self.kind, str) else ""
        if kind not in CONTEXT_KINDS:
            raise ValueError(f"unknown context kind {self.kind!r}")
        if not isinstance(self.id, str) or not _UUID.fullmatch(self.id.strip()):
            raise ValueError(f"context id {self.id!r} is not a UUID")
        object.__setattr__(self, "kind", kind)
        object.__setattr__(self, "id", self.id.strip().lower())


def encode_context(ctx: CtiContext) -> str:
    """The ``X-AgentDesk-Context`` header value for ``ctx``: ``kind=contact;id=<uuid>``."""
    return f"kind={ctx.kind};id={ctx.id}"


def decode_context(value: str) -> CtiContext | None:
    """Read an ``X-AgentDesk-Context`` value; ``None`` for anything invalid.

    Parameter names are case-insensitive and unknown parameters are ignored (room for later
    additions); a repeated ``kind`` or ``id`` is invalid.
    """
    if not isinstance(value, str) or len(value) > MAX_CONTEXT_CHARS:
        return None
    params: dict[str, str] = {}
    for part in value.split(";"):
        part = part.strip()
        if not part:
            continue
        name, sep, val = part.partition("=")
        name = name.strip().lower()
        if not sep or name in params:
            return None
        params[name] = val.strip()
    if "kind" not in params or "id" not in params:
        return None
    try:
        return CtiContext(params["kind"], params["id"])
    except ValueError:
        return None
