"""The queue on the screen pop, and what a desk logs of every offer (issue 16): the queue from
the dialed number, offers refused while busy, a branch another desk answered."""

from __future__ import annotations

from sqlalchemy import select

from agentdesk.crm.models import Call
from agentdesk.supervision.queues import add_queue
from tests.ui.conftest import Desk


def _calls(desk: Desk) -> list[tuple[str | None, str | None, bool]]:
    with desk.context.database.sessions() as s:
        rows = s.scalars(select(Call).order_by(Call.started_at)).all()
        return [(c.queue, c.end_reason, c.answered_elsewhere) for c in rows]


def test_the_pop_names_the_queue_and_every_offer_is_logged(desk: Desk) -> None:
    add_queue(desk.context.database.sessions, "sales", ["+12025550900"], region="US")
    panel = desk.window.customerPanel
    first = desk.phone.offer_call("+12025550411", dialed_number="+12025550900")
    assert first is not None
    card = panel.unknownCard
    desk.wait(lambda: panel.currentWidget() is card and card.queueLabel.isVisible())
    assert card.queueLabel.text() == "Queue: sales"
    # a second caller while this one rings: the phone answers 486 itself; the desk logs it
    assert desk.phone.offer_call("+12025550412", dialed_number="+12025550900") is None
    # the proxy cancels this desk's branch: another desk answered
    desk.phone.remote_hangup(first, answered_elsewhere=True)
    desk.wait(lambda: len(_calls(desk)) == 2 and all(c[1] for c in _calls(desk)))
    ringing, busy = _calls(desk)
    assert ringing[0] == "sales" and ringing[2] is True
    assert busy == ("sales", "refused 486: busy", False)

    # a direct call (no queue's number): no queue line
    desk.phone.offer_call("+12025550413", dialed_number="+12025559999")
    desk.wait(lambda: desk.controller.state.status.value == "ringing")
    desk.wait(lambda: not card.queueLabel.isVisible() and "413" in card.phoneEdit.text())
