"""The dialer through the real pjsua2 phone to SIPp callees: answered, busy, never answers.

The desk and its dialer session run on an asyncio loop over a temp SQLite desk; the phone is
the real ``Pjsua2Softphone`` whose outbound proxy is the SIPp callee, so the entry's E.164
number goes there. The attempts rows and the entry's next eligible time are read back.
"""

from __future__ import annotations

import asyncio
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from agentdesk.app.bootstrap import connect
from agentdesk.app.desk.controller import DeskController
from agentdesk.app.desk.wrapup import WrapupForm
from agentdesk.app.desktop import DesktopContext, start_desktop
from agentdesk.app.dialer.session import DialerSession
from agentdesk.app.dialer.views import DialerPhase
from agentdesk.dialer.models import CampaignEntry
from tests.integration.sip.conftest import Phone
from tests.integration.sip.helpers import answering_peer
from tests.support.sipp import SippRun, render_scenario, start_sipp
from tests.ui.desk_support import make_settings, spin
from tests.ui.dialer_support import attempts_of, calls_of, entry_row, make_campaign

pytestmark = pytest.mark.sip

NUMBER = "+12025550140"
SLACK = timedelta(seconds=10)


@dataclass
class SipDesk:
    loop: asyncio.AbstractEventLoop
    context: DesktopContext
    controller: DeskController
    session: DialerSession

    def wait(self, cond: Callable[[], object], timeout: float = 10) -> None:
        spin(self.loop, lambda: bool(cond()), timeout)

    def entry(self) -> CampaignEntry:
        return entry_row(self.context, NUMBER)

    def start_campaign(self) -> None:
        make_campaign(
            self.context, mode="progressive", people=[("Sip", "Callee", NUMBER, "SIPp Inc")]
        )
        campaigns = self.context.executor.submit(self.session.campaigns).result(10)
        self.session.select_campaign(campaigns[0])
        assert self.session.start() is None


@pytest.fixture
def make_desk(make_phone: Callable[..., Phone], tmp_path: Path) -> Iterator[Callable[..., SipDesk]]:
    built: list[SipDesk] = []

    def make(callee: SippRun, **phone_config: object) -> SipDesk:
        phone, _events = make_phone(outbound_proxy=f"127.0.0.1:{callee.port}", **phone_config)
        settings = make_settings(tmp_path, wrapup_seconds=60)
        database, _ = connect(settings.database_url, settings)
        database.dispose()
        context = start_desktop(None, settings, phone_factory=lambda _config: phone)
        loop = asyncio.new_event_loop()
        controller = context.build_controller(loop)
        controller.start()
        assert context.dialer is not None
        desk = SipDesk(loop, context, controller, context.dialer)
        built.append(desk)
        return desk

    yield make
    for desk in built:
        desk.session.close()
        desk.wait(lambda d=desk: not d.session.busy)  # type: ignore[misc]
        desk.loop.run_until_complete(desk.controller.shutdown())
        desk.context.close()
        desk.loop.close()


def test_answered_call_records_the_attempt_and_applies_the_disposition(
    make_desk: Callable[..., SipDesk], workdir: Path
) -> None:
    callee = answering_peer(workdir)
    desk = make_desk(callee)
    desk.start_campaign()
    desk.wait(lambda: desk.controller.state.status.value == "talking")
    assert desk.session.view.phase is DialerPhase.ON_CALL
    assert desk.entry().status == "in_progress"
    desk.loop.run_until_complete(asyncio.sleep(0.3))
    desk.controller.hangup()
    desk.wait(lambda: desk.controller.wrapup is not None)
    desk.wait(lambda: desk.entry().last_outcome == "answered")  # recorded on a worker
    saved_at = datetime.now(UTC)
    assert desk.controller.save_wrapup(WrapupForm("interested", "wants the brochure")) is None
    desk.wait(lambda: desk.entry().last_disposition == "interested")
    row = desk.entry()
    # Answered, a non-final code: retried after the campaign's "answered" delay (1 day).
    assert (row.status, row.attempts, row.contacted, row.succeeded) == ("new", 1, True, True)
    assert abs(row.next_eligible_at - (saved_at + timedelta(days=1))) < SLACK
    [attempt] = attempts_of(desk.context, row.id)
    assert (attempt.outcome, attempt.sip_code, attempt.disposition_code) == (
        "answered",
        200,
        "interested",
    )
    assert attempt.ended_at is not None and attempt.ended_at > attempt.started_at
    [logged] = calls_of(desk.context)  # the wrap-up's call row, linked to the attempt
    assert (attempt.call_id, logged.notes) == (logged.id, "wants the brochure")
    callee.assert_success()


def test_busy_callee_is_retried_after_fifteen_minutes(
    make_desk: Callable[..., SipDesk], workdir: Path
) -> None:
    scenario = render_scenario("uas_reply.xml", workdir, code="486", reason="Busy Here")
    callee = start_sipp(scenario, workdir)
    desk = make_desk(callee)
    started = datetime.now(UTC)
    desk.start_campaign()
    desk.wait(lambda: desk.entry().attempts == 1)
    row = desk.entry()
    assert (row.status, row.last_outcome) == ("new", "busy")
    assert abs(row.next_eligible_at - (started + timedelta(minutes=15))) < SLACK
    [attempt] = attempts_of(desk.context, row.id)
    assert (attempt.outcome, attempt.sip_code, attempt.disposition_code) == ("busy", 486, None)
    # The row the desk logs for the unanswered call is linked once both are written.
    desk.wait(lambda: attempts_of(desk.context, row.id)[0].call_id is not None)
    [logged] = calls_of(desk.context)
    assert attempts_of(desk.context, row.id)[0].call_id == logged.id
    assert logged.answered_at is None and logged.sip_call_id
    # No wrap-up for an unanswered call; the dialer says why nothing else is dialable.
    desk.wait(lambda: desk.session.view.phase is DialerPhase.NOTHING)
    assert desk.controller.wrapup is None
    assert dict(desk.session.view.blocked) == {"retry_wait": 1}
    callee.assert_success()


def test_callee_that_never_answers_is_no_answer_retried_after_two_hours(
    make_desk: Callable[..., SipDesk], workdir: Path
) -> None:
    callee = start_sipp("uas_ring.xml", workdir)
    desk = make_desk(callee, ring_timeout_seconds=1.0)
    started = datetime.now(UTC)
    desk.start_campaign()
    desk.wait(lambda: desk.entry().attempts == 1)
    row = desk.entry()
    assert (row.status, row.last_outcome) == ("new", "no_answer")
    assert abs(row.next_eligible_at - (started + timedelta(hours=2))) < SLACK
    [attempt] = attempts_of(desk.context, row.id)
    # Our ring timeout CANCELs the INVITE: the wire says 487, the outcome is no answer (not
    # "cancelled", which would retry after 5 minutes).
    assert (attempt.outcome, attempt.sip_code) == ("no_answer", 487)
    assert attempt.ended_at is not None
    assert timedelta(seconds=0.9) <= attempt.ended_at - attempt.started_at < timedelta(seconds=5)
    desk.wait(lambda: desk.session.view.phase is DialerPhase.NOTHING)
    callee.assert_success()
