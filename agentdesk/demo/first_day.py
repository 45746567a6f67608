"""The desk's own user on a first run: a day already under way.

``generate`` spreads its calls and callbacks over the demo agents, so the person who opens the
app for the first time would see an empty callback list and no recent calls, and could not
tell what those panels are for. This gives that user a realistic morning: callbacks overdue and
due later today (and a few tomorrow), and the calls they made and took in the last hours,
with the wrap-up codes an agent uses. Rows go in through the ORM: a few dozen at most.
"""

from __future__ import annotations

import random
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Call, Callback, Contact, Disposition, PhoneRecord
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.enums import CallbackStatus, CallDirection
from agentdesk.org.users import find_user

# (minutes from now, note): negative is overdue. Three overdue, four later today, two tomorrow.
_CALLBACKS = (
    (-95, "Call back about the quote"),
    (-40, "Customer asked to call after lunch"),
    (-10, "Follow up on the case"),
    (25, "回电确认订单"),
    (90, "Confirm the delivery date"),
    (180, "Customer asked to call after 3pm"),
    (300, "Renewal: send the new price list first"),
    (22 * 60, "Check the invoice was received"),
    (26 * 60, "Second reminder about the contract"),
)
# (minutes ago, inbound, answered, talk seconds, code, note)
_CALLS = (
    (12, True, True, 245.0, "info_given", "Asked about opening hours"),
    (34, False, True, 410.0, "interested", "Wants the premium plan; sending details"),
    (51, False, False, None, "no_answer", None),
    (78, True, True, 132.0, "resolved", "Password reset done"),
    (96, False, True, 95.0, "callback", "Busy in a meeting, call back later"),
    (120, False, False, None, "busy", None),
    (155, True, True, 610.0, "sale", "Renewed for two years"),
    (190, False, True, 48.0, "not_interested", None),
    (230, True, True, 305.0, "info_given", "订单状态已确认"),
    (260, False, False, None, "voicemail", "Left a message about the renewal"),
)


@dataclass(frozen=True, slots=True)
class FirstDay:
    callbacks: int
    calls: int


def add_first_day(
    sessions: sessionmaker[Session],
    username: str,
    *,
    now: datetime | None = None,
    seed: int = 7,
) -> FirstDay:
    """Callbacks and recent calls of ``username`` (an existing user) over demo contacts."""
    clock = (now or datetime.now(UTC)).astimezone(UTC)
    rng = random.Random(seed)
    with unit_of_work(sessions) as session:
        agent_id = find_user(session, username).id
        people = session.execute(
            select(Contact.id, Contact.account_id, PhoneRecord.e164, PhoneRecord.raw)
            .join(PhoneRecord, PhoneRecord.contact_id == Contact.id)
            .where(Contact.deleted_at.is_(None), PhoneRecord.deleted_at.is_(None))
            .order_by(Contact.id)
            .limit(200)
        ).all()
        if not people:
            return FirstDay(0, 0)
        chosen = rng.sample(people, min(len(people), len(_CALLBACKS) + len(_CALLS)))
        codes = {
            code: ident for code, ident in session.execute(select(Disposition.code, Disposition.id))
        }
        for (minutes, reminder), person in zip(_CALLBACKS, chosen, strict=False):
            session.add(
                Callback(
                    due_at=clock + timedelta(minutes=minutes),
                    agent_id=agent_id,
                    contact_id=person.id,
                    phone_e164=person.e164,
                    note=reminder,
                    status=CallbackStatus.PENDING,
                )
            )
        called = chosen[len(_CALLBACKS) :] or chosen
        for index, (ago, inbound, answered, talk, code, note) in enumerate(_CALLS):
            person = called[index % len(called)]
            started = clock - timedelta(minutes=ago)
            ring = 4.0 + index % 5
            answered_at = started + timedelta(seconds=ring) if answered else None
            session.add(
                Call(
                    direction=CallDirection.INBOUND if inbound else CallDirection.OUTBOUND,
                    remote_e164=person.e164,
                    remote_raw=person.raw,
                    local_party="sip:queue@pbx.example" if inbound else None,
                    agent_id=agent_id,
                    started_at=started,
                    answered_at=answered_at,
                    ended_at=started + timedelta(seconds=ring + (talk or 0.0)),
                    ring_seconds=ring,
                    talk_seconds=talk,
                    end_reason="hangup" if answered else "no_answer",
                    disposition_id=codes.get(code),
                    notes=note,
                    contact_id=person.id,
                    account_id=person.account_id,
                )
            )
    return FirstDay(callbacks=min(len(_CALLBACKS), len(chosen)), calls=len(_CALLS))
