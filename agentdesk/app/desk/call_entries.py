"""The call row from the first ring: each step of a call becomes a journal entry.

Offered or placed: the row with its facts so far; linked to a record, answered, resumed from
hold, transferred: the record, the answer time, the hold seconds, "transferred"; put on hold:
a mark for the desk only (a stop during the hold counts it up to the stop); ended: the
end time and reason (a call never answered ends with its own kind: it is owed no wrap-up). The
wrap-up completes the same row (same id). Appends run on the journal's thread in the order of
the events, and the watch applies them.
"""

from __future__ import annotations

from concurrent.futures import Future
from datetime import UTC, datetime

from agentdesk.app.desk.core import DeskCore, LiveCall
from agentdesk.app.desk.wrapup import call_facts
from agentdesk.journal.kinds import (
    CALL_END,
    CALL_HELD,
    CALL_MISSED,
    CALL_OPEN,
    CALL_UPDATE,
    call_update_payload,
    facts_payload,
)
from agentdesk.journal.store import Entry


def opened(core: DeskCore, call: LiveCall) -> None:
    core.keep(CALL_OPEN, facts_payload(call_facts(call, core.agent)), call.record_id)


def answered(core: DeskCore, call: LiveCall) -> None:
    core.keep(CALL_UPDATE, call_update_payload(answered_at=call.answered_at), call.record_id)


def linked(core: DeskCore, call: LiveCall) -> None:
    """The call's record (the pop's match, the agent's choice): kept even if the desk stops."""
    if call.party is not None:
        payload = call_update_payload(party=call_facts(call, core.agent))
        core.keep(CALL_UPDATE, payload, call.record_id)


TRANSFERRED = "transferred"


def transferred(core: DeskCore, call: LiveCall) -> None:
    """The caller went on to someone else: the log says so even if the desk stops now."""
    core.keep(CALL_UPDATE, call_update_payload(end_reason=TRANSFERRED), call.record_id)


def held(core: DeskCore, call: LiveCall) -> None:
    """Kept so that a desk that stops during the hold still counts it (up to the stop)."""
    core.keep(CALL_HELD, {"held_at": datetime.now(UTC).isoformat()}, call.record_id)


def resumed(core: DeskCore, call: LiveCall) -> None:
    hold = round(call.hold_seconds, 3)
    core.keep(CALL_UPDATE, call_update_payload(hold_seconds=hold), call.record_id)


def ended(core: DeskCore, call: LiveCall) -> Future[Entry]:
    payload = call_update_payload(
        answered_at=call.answered_at,
        ended_at=call.ended_at,
        hold_seconds=round(call.hold_seconds, 3) if call.answered_at else None,
        end_reason=call.end_reason,
        recording_path=call.recording_path,
        party=call_facts(call, core.agent),
        answered_elsewhere=call.answered_elsewhere,
    )
    kind = CALL_END if call.answered_at is not None else CALL_MISSED
    return core.keep(kind, payload, call.record_id)
