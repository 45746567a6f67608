"""The far end of the softphone contract tests, played by SIPp or by the fake's remote_* methods.

A contract test states what the other party does (a ``Caller`` who rings us, a ``Callee`` we
dial) and then drives the phone only through the ``Softphone`` port; the same test function
runs against ``FakeSoftphone`` and against ``Pjsua2Softphone`` with SIPp on loopback.
"""

from __future__ import annotations

import queue
import threading
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Protocol

from agentdesk.domain.enums import CallDirection
from agentdesk.telephony.port import (
    CallAnswered,
    CallDialed,
    CallOffered,
    DtmfMethod,
    SoftphoneEvent,
    TransferProgress,
)
from tests.integration.sip.helpers import CALLER_DEFAULTS, answering_peer, info_dtmf
from tests.support.fake_softphone import FakeSoftphone
from tests.support.sipp import SippRun, free_rtp_port, render_scenario, start_sipp

STAYS = None
"""``Caller.hangs_up_after_ms`` for a caller who stays until the agent hangs up."""


@dataclass(frozen=True)
class Caller:
    """Someone who calls the phone."""

    number: str = "+15550001111"
    display_name: str = "Test Caller"
    dialed: str = "+18005550100"
    x_headers: Mapping[str, str] = field(default_factory=dict)
    hangs_up_after_ms: int | None = STAYS
    """Once answered, hang up after this long; ``STAYS``: wait for the agent's BYE."""
    info_digit: str | None = None
    """A DTMF digit sent by SIP INFO once answered."""
    transferee: bool = False
    """Accepts a REFER: calls the target, reports success, and leaves us."""
    gives_up: bool = False
    """Hangs up (CANCEL) while the phone still rings; its identity is then not scripted."""


@dataclass(frozen=True)
class Callee:
    """Someone the phone dials: answers (``refuse`` 0) or refuses with a final response."""

    refuse: int = 0
    reason: str = ""
    rfc2833: bool = True
    rings_forever: bool = False
    """Alerts (180) and never answers: only our ring timeout or a hangup ends the call."""


class FarEnd(Protocol):
    def call_in(self, caller: Caller) -> None:
        """``caller`` starts calling the phone now (the test waits for ``CallOffered``)."""

    def callee(self, callee: Callee) -> str:
        """Get ``callee`` ready to be dialled; returns the target to dial."""

    def finish(self) -> None:
        """Every far-end party did all it was scripted to (fails the test otherwise)."""

    def close(self) -> None:
        """Stop whatever is still running (after a failed test)."""


class SippFarEnd:
    """Real SIP peers: one SIPp process per party."""

    def __init__(self, phone_port: int, workdir: Path) -> None:
        self._phone_port = phone_port
        self._workdir = workdir
        self._runs: list[SippRun] = []

    def call_in(self, caller: Caller) -> None:
        hdrs = [f"{name}: {value}" for name, value in caller.x_headers.items()]
        keys = {
            **CALLER_DEFAULTS,
            "from_hdr": f'"{caller.display_name}" <sip:{caller.number}@127.0.0.1>',
            "to_user": caller.dialed,
            **{f"hdr{i + 1}": line for i, line in enumerate(hdrs[:2])},
        }
        extra = ["-rtp_echo"]
        if caller.gives_up:
            scenario = "uac_cancel.xml"
            extra += ["-d", "300"]  # rings a moment before the CANCEL
        elif caller.transferee:
            scenario = render_scenario(
                "uac_transferee.xml",
                self._workdir,
                replaces_capture="",
                replaces_line="Subject: blind transfer",
            )
        else:
            midcall = info_dtmf(caller.info_digit) if caller.info_digit else ""
            # uac_invite talks for -d ms and hangs up; uac_talk stays until our BYE.
            stays = caller.hangs_up_after_ms is STAYS
            template = "uac_talk.xml" if stays else "uac_invite.xml"
            scenario = render_scenario(template, self._workdir, midcall=midcall)
            extra += ["-d", str(caller.hangs_up_after_ms or 0)]
        self._runs.append(
            start_sipp(
                scenario,
                self._workdir,
                remote=f"127.0.0.1:{self._phone_port}",
                keys=keys,
                media_port=free_rtp_port(),
                extra=extra,
            )
        )

    def callee(self, callee: Callee) -> str:
        if callee.rings_forever:
            run = start_sipp("uas_ring.xml", self._workdir)
        elif callee.refuse:
            scenario = render_scenario(
                "uas_reply.xml", self._workdir, code=str(callee.refuse), reason=callee.reason
            )
            run = start_sipp(scenario, self._workdir)
        else:
            run = answering_peer(self._workdir, rfc2833=callee.rfc2833)
        self._runs.append(run)
        return f"sip:callee@127.0.0.1:{run.port}"

    def finish(self) -> None:
        for run in self._runs:
            run.assert_success()

    def close(self) -> None:
        for run in self._runs:
            run.stop()


class FakeFarEnd:
    """The fake's far end: reacts to the phone's events on its own thread, like a network.

    The fake delivers events synchronously inside its commands; acting on them from another
    thread keeps the order a real peer gives (the command returns before the far end acts).
    """

    def __init__(self, phone: FakeSoftphone) -> None:
        self._phone = phone
        self._callees: dict[str, Callee] = {}
        self._callers: dict[str, Caller] = {}
        self._ringing: Caller | None = None
        self._jobs: queue.SimpleQueue[Callable[[], None] | None] = queue.SimpleQueue()
        self._errors: list[BaseException] = []
        self._thread = threading.Thread(target=self._run, name="fake-far-end", daemon=True)
        self._thread.start()
        phone.subscribe(self._on_event)

    def call_in(self, caller: Caller) -> None:
        def ring() -> None:
            self._ringing = caller  # CallOffered (inside offer_call) files it under its id
            self._phone.offer_call(
                caller.number,
                display_name=caller.display_name,
                dialed_number=caller.dialed,
                x_headers=caller.x_headers,
            )

        self._jobs.put(ring)

    def callee(self, callee: Callee) -> str:
        target = f"sip:callee{len(self._callees)}@fake.invalid"
        self._callees[target] = callee
        return target

    def finish(self) -> None:
        self.close()
        assert not self._errors, self._errors

    def close(self) -> None:
        self._jobs.put(None)
        self._thread.join(timeout=10)

    def _on_event(self, event: SoftphoneEvent) -> None:
        phone = self._phone
        match event:
            case CallDialed(call_id=call_id, target=target) if target in self._callees:
                callee = self._callees[target]

                def progress() -> None:
                    phone.remote_ringing(call_id)
                    if callee.rings_forever:
                        return
                    if callee.refuse:
                        phone.remote_reject(call_id, callee.refuse, callee.reason)
                    else:
                        phone.remote_answer(call_id, rfc2833=callee.rfc2833)

                self._jobs.put(progress)
            case CallAnswered(call_id=call_id, direction=CallDirection.INBOUND) if (
                call_id in self._callers
            ):
                caller = self._callers[call_id]

                def talk() -> None:
                    if caller.info_digit:
                        phone.remote_dtmf(call_id, caller.info_digit, DtmfMethod.SIP_INFO)
                    if caller.hangs_up_after_ms is not None:
                        phone.remote_hangup(call_id)

                self._jobs.put(talk)
            case TransferProgress(call_id=call_id, code=100) if (
                call_id in self._callers and self._callers[call_id].transferee
            ):
                self._jobs.put(lambda: phone.finish_transfer(call_id))
            case CallOffered(call_id=call_id) if self._ringing is not None:
                self._callers[call_id] = caller = self._ringing
                self._ringing = None
                if caller.gives_up:
                    self._jobs.put(lambda: phone.remote_hangup(call_id))
            case _:
                pass

    def _run(self) -> None:
        while (job := self._jobs.get()) is not None:
            try:
                job()
            except BaseException as exc:  # reported by finish(), on the test's thread
                self._errors.append(exc)
