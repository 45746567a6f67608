"""TLS transport: an INVITE over TLS reaches the phone, which answers over the same connection.

The Debian SIPp and Kamailio builds have no TLS, so the caller here is a minimal TLS client
written with Python's ``ssl`` module against a throwaway self-signed certificate.
"""

from __future__ import annotations

import shutil
import socket
import ssl
import subprocess
import uuid
from collections.abc import Callable
from pathlib import Path

import pytest

from agentdesk.telephony.port import CallEnded, CallOffered, CallOutcome
from tests.integration.sip.conftest import Phone

pytestmark = pytest.mark.sip

FROM = 'From: "Secure Sue" <sip:+4915112345678@127.0.0.1>;tag=tls1'


def self_signed(folder: Path) -> tuple[Path, Path]:
    openssl = shutil.which("openssl")
    if openssl is None:
        pytest.fail("openssl not found; apt-get install -y openssl", pytrace=False)
    cert, key = folder / "cert.pem", folder / "key.pem"
    args = [openssl, "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"]
    args += ["-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"]
    args += ["-addext", "subjectAltName=IP:127.0.0.1"]
    subprocess.run(args, check=True, capture_output=True)
    return cert, key


def read_until(conn: ssl.SSLSocket, start_line: str) -> str:
    data = b""
    while start_line.encode() not in data:
        chunk = conn.recv(65535)
        if not chunk:
            raise AssertionError(f"connection closed before {start_line!r}: {data!r}")
        data += chunk
    return data.decode(errors="replace")


def test_inbound_call_over_tls(make_phone: Callable[..., Phone], tmp_path: Path) -> None:
    cert, key = self_signed(tmp_path)
    phone, events = make_phone(transport="tls", tls_cert_file=cert, tls_key_file=key)
    port = phone.config.port
    context = ssl.create_default_context(cafile=str(cert))
    with (
        socket.create_connection(("127.0.0.1", port), timeout=5) as raw,
        context.wrap_socket(raw, server_hostname="127.0.0.1") as conn,
    ):
        local_port = conn.getsockname()[1]
        call_id = f"{uuid.uuid4().hex}@tls-caller"
        via = f"SIP/2.0/TLS 127.0.0.1:{local_port};rport;branch=z9hG4bK{uuid.uuid4().hex}"
        sdp = (
            "v=0\r\no=x 1 1 IN IP4 127.0.0.1\r\ns=-\r\nc=IN IP4 127.0.0.1\r\nt=0 0\r\n"
            "m=audio 40002 RTP/AVP 0\r\na=rtpmap:0 PCMU/8000\r\n"
        )
        head = [
            f"INVITE sip:agent@127.0.0.1:{port};transport=tls SIP/2.0",
            f"Via: {via}",
            "Max-Forwards: 70",
            FROM,
            f"To: <sip:agent@127.0.0.1:{port}>",
            f"Call-ID: {call_id}",
            "CSeq: 1 INVITE",
            f"Contact: <sip:sue@127.0.0.1:{local_port};transport=tls>",
            "Content-Type: application/sdp",
            f"Content-Length: {len(sdp)}",
        ]
        conn.sendall(("\r\n".join(head) + "\r\n\r\n" + sdp).encode())
        read_until(conn, "SIP/2.0 180")

        offered = events.wait_for(CallOffered)
        assert (offered.remote_number, offered.remote_display_name) == (
            "+4915112345678",
            "Secure Sue",
        )
        assert offered.sip_call_id == call_id
        phone.reject(offered.call_id, 603).result(5)
        final = read_until(conn, "SIP/2.0 603")
        to_line = next(line for line in final.splitlines() if line.startswith("To:"))
        ack = [
            f"ACK sip:agent@127.0.0.1:{port};transport=tls SIP/2.0",
            f"Via: {via}",
            "Max-Forwards: 70",
            FROM,
            to_line,
            f"Call-ID: {call_id}",
            "CSeq: 1 ACK",
            "Content-Length: 0",
        ]
        conn.sendall(("\r\n".join(ack) + "\r\n\r\n").encode())
    ended = events.wait_for(CallEnded)
    assert (ended.sip_code, ended.outcome) == (603, CallOutcome.REJECTED)
