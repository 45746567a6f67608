"""Small helpers shared by the SIP integration tests."""

from __future__ import annotations

import re
import time
from collections.abc import Callable
from pathlib import Path

from agentdesk.telephony.pjsua2.adapter import Pjsua2Softphone
from tests.support.sipp import SippRun, free_rtp_port, render_scenario, start_sipp

CALLER_DEFAULTS = {
    "from_hdr": '"Test Caller" <sip:+15550001111@127.0.0.1>',
    "to_user": "agent",
    # SIPp keeps an empty [key] line, which would end the headers: harmless fillers instead.
    "identity": "User-Agent: SIPp",
    "hdr1": "Subject: test call",
    "hdr2": "Organization: AgentDesk tests",
}


def call_phone(
    phone: Pjsua2Softphone,
    workdir: Path,
    *,
    talk_ms: int = 300,
    remote: str | None = None,
    scenario: str = "uac_invite.xml",
    name: str | None = None,
    rtp_echo: bool = False,
    pcap: Path | None = None,
    midcall: str = "",
    extra: list[str] | None = None,
    sipp_keys: dict[str, str] | None = None,
    **keys: str,
) -> SippRun:
    """SIPp calls ``phone`` (or ``remote``), talks ``talk_ms`` once answered, then hangs up."""
    args = ["-d", str(talk_ms), *(extra or [])]
    if rtp_echo:
        args.append("-rtp_echo")
    if pcap is not None or midcall:
        action = f'<nop><action><exec play_pcap_audio="{pcap}"/></action></nop>' if pcap else ""
        scenario = render_scenario(scenario, workdir, media=action, midcall=midcall)
    return start_sipp(
        scenario,
        workdir,
        remote=remote or f"127.0.0.1:{phone.config.port}",
        keys={**CALLER_DEFAULTS, **(sipp_keys or {}), **keys},
        extra=args,
        media_port=free_rtp_port(),
        name=name,
    )


def answering_peer(
    workdir: Path,
    *,
    rfc2833: bool = True,
    name: str | None = None,
    scenario: str = "uas_answer.xml",
    calls: int = 1,
    extra_keys: dict[str, str] | None = None,
) -> SippRun:
    """A SIPp callee that answers and echoes RTP (DTMF events included) back."""
    keys = {
        "payloads": "0 101" if rfc2833 else "0",
        "tel_event": "a=rtpmap:101 telephone-event/8000" if rfc2833 else "a=ptime:20",
        **(extra_keys or {}),
    }
    return start_sipp(
        scenario,
        workdir,
        keys=keys,
        extra=["-rtp_echo"],
        media_port=free_rtp_port(),
        name=name,
        calls=calls,
    )


def wait_until(
    condition: Callable[[], object], describe: Callable[[], str] = str, timeout: float = 10.0
) -> None:
    """Poll ``condition`` (something outside our events, such as a SIPp trace) until truthy."""
    deadline = time.monotonic() + timeout
    while not condition():
        if time.monotonic() > deadline:
            raise AssertionError(f"not within {timeout}s: {describe()}")
        time.sleep(0.02)


def sip_messages(run: SippRun, start_line: str) -> list[str]:
    """Every message in SIPp's trace whose first line starts with ``start_line``."""
    chunks = re.split(r"^-{10,} .*$", run.messages(), flags=re.MULTILINE)
    found = []
    for chunk in chunks:
        lines = [line for line in chunk.strip().splitlines() if line.strip()]
        # first line: "UDP message sent (N bytes):"; the SIP start line follows
        if len(lines) >= 2 and lines[1].startswith(start_line):
            found.append("\n".join(lines[1:]))
    return found


def info_dtmf(digit: str) -> str:
    """Scenario XML for the caller to send one DTMF digit as SIP INFO (application/dtmf-relay)."""
    return f"""
  <send retrans="500">
    <![CDATA[
      INFO [next_url] SIP/2.0
      Via: SIP/2.0/[transport] [local_ip]:[local_port];branch=[branch]
      [routes]
      From: [from_hdr];tag=[pid]SIPpTag00[call_number]
      [last_To:]
      Call-ID: [call_id]
      CSeq: 2 INFO
      Contact: <sip:caller@[local_ip]:[local_port];transport=[transport]>
      Max-Forwards: 70
      Content-Type: application/dtmf-relay
      Content-Length: [len]

      Signal={digit}
      Duration=160
    ]]>
  </send>
  <recv response="200"/>
"""
