"""Splitting a SIP message's header section into fields, within fixed bounds (pure).

Only the first ``MAX_SECTION_CHARS`` characters are read, at most ``MAX_HEADERS`` fields, each
at most ``MAX_HEADER_CHARS``: hostile INVITEs arrive inside a pjsua2 callback, so the work must
not grow with their size. Names are lower-cased and compact forms expanded.
"""

from __future__ import annotations

import re

MAX_SECTION_CHARS = 64 * 1024
MAX_HEADER_CHARS = 8 * 1024
MAX_HEADERS = 128
_MAX_LINES = MAX_HEADERS * 8  # room for folded continuation lines

# RFC 3261 section 7.3.3 compact forms (plus a few from later RFCs).
_COMPACT = {
    "i": "call-id",
    "m": "contact",
    "e": "content-encoding",
    "l": "content-length",
    "c": "content-type",
    "f": "from",
    "s": "subject",
    "k": "supported",
    "t": "to",
    "v": "via",
    "o": "event",
    "u": "allow-events",
    "r": "refer-to",
    "b": "referred-by",
    "x": "session-expires",
    "y": "identity",
    "a": "accept-contact",
    "j": "reject-contact",
    "d": "request-disposition",
}

_REQUEST_LINE = re.compile(r"([A-Za-z]++) ++(\S++) ++SIP/", re.ASCII)
# One comma-separated value: quoted strings and <URI>s may contain commas.
_VALUE = re.compile(r'(?:"(?:[^"\\]|\\.)*+"?|<[^>]*+>?|[^,"<]++)++', re.DOTALL)


def split_values(value: str) -> list[str]:
    """The comma-separated values of one header field (commas in quotes or <URI>s kept)."""
    if "," not in value:
        return [value]
    return [m.group(0) for m in _VALUE.finditer(value)]


def header_fields(msg: str) -> tuple[str | None, dict[str, list[str]]]:
    """Request-URI (if the message starts with a request line) and the header fields."""
    text = msg[:MAX_SECTION_CHARS].lstrip("\r\n")
    ends = [i for i in (text.find("\n\n"), text.find("\n\r\n")) if i >= 0]
    if ends:
        text = text[: min(ends)]
    lines = text.split("\n", _MAX_LINES)[:_MAX_LINES]
    request_uri: str | None = None
    first = _REQUEST_LINE.match(lines[0])
    if first is not None:
        request_uri = first.group(2)
        del lines[0]
    elif lines[0].startswith("SIP/"):
        del lines[0]

    headers: dict[str, list[str]] = {}
    current: list[str] | None = None  # the value list the last field went into
    oversize = False
    count = 0
    for line in lines:
        if line and line[0] in " \t":
            # folded continuation line; stop growing a field that is already too long
            if current is not None and len(current[-1]) <= MAX_HEADER_CHARS:
                current[-1] = f"{current[-1]} {line.strip()}"
                oversize = oversize or len(current[-1]) > MAX_HEADER_CHARS
            continue
        name, sep, value = line.partition(":")
        if not sep:
            current = None
            continue
        count += 1
        if count > MAX_HEADERS:
            break
        if len(value) > MAX_HEADER_CHARS + 2:
            current = None
            continue
        lname = name.strip().lower()
        if not lname:
            current = None
            continue
        lname = _COMPACT.get(lname, lname)
        current = headers.get(lname)
        if current is None:
            current = headers[lname] = [value.strip()]
        else:
            current.append(value.strip())
    if oversize:
        # a cut URI could yield a wrong number, so an oversized field is dropped, not cut
        for lname in list(headers):
            kept = [v for v in headers[lname] if len(v) <= MAX_HEADER_CHARS]
            if kept:
                headers[lname] = kept
            else:
                del headers[lname]
    return request_uri, headers
