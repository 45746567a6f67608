"""A desk that died during an answered campaign call: at the next start the owed wrap-up is
the campaign's, so the agent's code moves the entry (not a plain call wrap-up that leaves the
entry to be dialled again)."""

from __future__ import annotations

import asyncio
import uuid
from datetime import timedelta
from pathlib import Path

from agentdesk.app.desk.wrapup import WrapupForm
from agentdesk.calls.dto import CallFacts
from agentdesk.dialer import outcomes
from agentdesk.dialer.picking import reserve_entry
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import CallDirection
from agentdesk.journal.campaign_kinds import CAMPAIGN_DIAL, dial_payload
from agentdesk.journal.kinds import CALL_OPEN, CALL_UPDATE, call_update_payload, facts_payload
from tests.ui.desk_support import make_desk, spin
from tests.ui.dialer_support import attempts_of, calls_of, entry_row, make_campaign


def test_the_owed_wrapup_of_a_campaign_call_moves_its_entry(tmp_path: Path) -> None:
    loop = asyncio.new_event_loop()
    context, _phones = make_desk(tmp_path, None, wrapup_seconds=60)
    try:
        loaded = make_campaign(context, mode="manual")
        phone = loaded.phones[0]
        entry_id = entry_row(context, phone).id
        sessions = context.database.sessions
        reserve_entry(sessions, loaded.name, "alice", entry_id)
        began = utcnow() - timedelta(minutes=2)
        outcomes.start_dialing(sessions, entry_id, "alice", now=began)
        # what the dead desk's journal holds: the call placed for the entry, answered
        journal, record_id = context.services.journal, uuid.uuid4()
        facts = CallFacts(
            direction=CallDirection.OUTBOUND, started_at=began, remote_e164=phone, agent="alice"
        )
        for kind, payload in (
            (CALL_OPEN, facts_payload(facts)),
            (CAMPAIGN_DIAL, dial_payload(entry_id, "alice")),
            (CALL_UPDATE, call_update_payload(answered_at=began + timedelta(seconds=4))),
        ):
            journal.append(kind, payload, record_id=record_id, actor="alice")

        controller = context.build_controller(loop)
        controller.start()  # recovery: the call ends "desk stopped", its wrap-up is owed
        spin(loop, lambda: controller.wrapup is not None, 10)
        assert controller.save_wrapup(WrapupForm("sale", "after the crash")) is None
        spin(loop, lambda: entry_row(context, phone).status == "done", 10)
        entry = entry_row(context, phone)
        assert (entry.attempts, entry.last_disposition) == (1, "sale")
        [attempt] = attempts_of(context, entry_id)
        assert (attempt.outcome, attempt.call_id, attempt.disposition_code) == (
            "answered",
            record_id,
            "sale",
        )
        [call] = calls_of(context)
        assert call.id == record_id and call.notes == "after the crash"
        assert call.end_reason == "desk stopped"
        loop.run_until_complete(controller.shutdown())
    finally:
        context.close()
        loop.close()
