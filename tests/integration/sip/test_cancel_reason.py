"""A forked call's branch cancelled because another desk answered, against the real pjsua2
stack: the CANCEL's ``Reason: SIP;cause=200`` is read from the CANCEL itself (the 487 that
follows carries none); a caller's own CANCEL has no such reason."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path

import pytest

from agentdesk.telephony.port import CallEnded, CallOffered, CallOutcome
from tests.integration.sip.conftest import Phone
from tests.support.sipp import free_rtp_port, start_sipp

pytestmark = pytest.mark.sip


@pytest.mark.parametrize(
    ("scenario", "elsewhere"),
    [("uac_cancel_elsewhere.xml", True), ("uac_cancel.xml", False)],
)
def test_a_cancel_says_whether_another_desk_answered(
    make_phone: Callable[..., Phone], workdir: Path, scenario: str, elsewhere: bool
) -> None:
    phone, events = make_phone()
    caller = start_sipp(
        scenario,
        workdir,
        remote=f"127.0.0.1:{phone.config.port}",
        keys={"queue": "+861088880000"},
        media_port=free_rtp_port(),
        extra=["-d", "300"],
    )
    offered = events.wait_for(CallOffered)
    ended = events.wait_for(CallEnded)
    caller.assert_success()
    assert ended.call_id == offered.call_id
    assert (ended.sip_code, ended.outcome) == (487, CallOutcome.MISSED)
    assert ended.answered_elsewhere is elsewhere
    if elsewhere:
        # After a proxy forked the call the Request-URI is the desk's own contact (sip:agent@),
        # and To still names the number the caller dialed.
        assert offered.to_number == "+861088880000"
