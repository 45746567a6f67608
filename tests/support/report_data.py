"""Queue calls booked as a desk's journal books them, for the report tests."""

from __future__ import annotations

import random
import uuid
from dataclasses import dataclass
from datetime import date, datetime, timedelta

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Call
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.clock import zone_named
from agentdesk.domain.contact_metrics import QueueCall as Figures
from agentdesk.domain.enums import CallDirection
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.models import User
from agentdesk.supervision.queue_calls import leg_changed
from agentdesk.supervision.queue_members import add_members
from agentdesk.supervision.queues import add_queue
from agentdesk.supervision.rollups import agent_part, book_agent

ZONE = zone_named("Asia/Shanghai")
DAY = date(2026, 12, 1)
T0 = datetime.fromisoformat("2026-12-01T09:00:00+08:00")
USERS = {
    "sup": ("supervisor", "Support"),
    "ava": ("agent", "Support East"),
    "ben": ("agent", "Support"),
    "oli": ("agent", "Other"),
}
AGENTS = ("ava", "ben", "oli")


@dataclass(frozen=True)
class Spec:
    agent: str
    offered_at: datetime
    wait: float
    answered: bool
    talk: float = 0.0
    hold: float = 0.0
    wrapup: float = 0.0
    queue: str = "sales"


def make_org(sessions: sessionmaker[Session]) -> dict[str, uuid.UUID]:
    add_team(sessions, "Support")
    add_team(sessions, "Support East", parent="Support")
    add_team(sessions, "Other")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name.title(), role=role, team=team)
    add_queue(sessions, "sales", ["+861088880000"], region="CN")
    with sessions() as session:
        return dict(session.execute(select(User.username, User.id)).all())


def make_specs(seed: int) -> list[Spec]:
    rng = random.Random(seed)
    specs = []
    for _ in range(60):
        offered = T0 + timedelta(seconds=rng.randrange(0, 8 * 3600))
        answered = rng.random() < 0.7
        specs.append(Spec(
            agent=rng.choice(AGENTS), offered_at=offered, wait=rng.choice([1.0, 3.0, 12.0, 45.0]),
            answered=answered, talk=rng.uniform(20, 400) if answered else 0.0,
            hold=rng.choice([0.0, 15.0]) if answered else 0.0,
            wrapup=rng.uniform(5, 60) if answered else 0.0,
        ))  # fmt: skip
    # one call the day before and one the day after: outside the period
    specs.append(Spec("ava", T0 - timedelta(hours=12), 3.0, True, 60.0, 0.0, 10.0))
    specs.append(Spec("ava", T0 + timedelta(hours=16), 3.0, True, 60.0, 0.0, 10.0))
    return specs


def book_calls(
    sessions: sessionmaker[Session], ids: dict[str, uuid.UUID], specs: list[Spec]
) -> None:
    """Each call as a desk's journal books it: the call row, its queue leg and rollups."""
    for spec in specs:
        with unit_of_work(sessions) as session:
            answered_at = spec.offered_at + timedelta(seconds=spec.wait) if spec.answered else None
            ended = (answered_at + timedelta(seconds=spec.talk + spec.hold)) if answered_at else (
                spec.offered_at + timedelta(seconds=spec.wait))  # fmt: skip
            call = Call(
                direction=CallDirection.INBOUND, agent_id=ids[spec.agent],
                sip_call_id=str(uuid.uuid4()), started_at=spec.offered_at,
                answered_at=answered_at, ended_at=ended, talk_seconds=spec.talk,
                hold_seconds=spec.hold, wrapup_seconds=spec.wrapup if spec.answered else None,
                queue=spec.queue,
            )  # fmt: skip
            session.add(call)
            session.flush()
            book_agent(session, None, agent_part(call))
            leg_changed(session, call)


def figures_of(spec: Spec) -> Figures:
    answered_at = spec.offered_at + timedelta(seconds=spec.wait) if spec.answered else None
    end = answered_at + timedelta(seconds=spec.talk + spec.hold) if answered_at else None
    return Figures(
        offered_at=spec.offered_at,
        ended_at=end or spec.offered_at + timedelta(seconds=spec.wait),
        answered_at=answered_at, talk_seconds=spec.talk, hold_seconds=spec.hold,
        wrapup_seconds=spec.wrapup,
        wrapup_ended_at=end + timedelta(seconds=spec.wrapup) if end else None,
    )  # fmt: skip


# queue -> (answered, abandoned) calls, 10:00 and 14:00 local
CALLS = {"sales": (2, 1), "support": (1, 1), "billing": (4, 0)}


def team_org(sessions: sessionmaker[Session]) -> None:
    """Teams Support (with Support East below it) and Other; the queues' members: sales the
    team Support, support ava (Support East) and oli (Other), billing the team Other."""
    ids = make_org(sessions)  # and the queue sales
    add_queue(sessions, "support", ["+861088880001"], region="CN")
    add_queue(sessions, "billing", ["+861088880002"], region="CN")
    add_queue(sessions, "spare", ["+861088880003"], region="CN")  # nobody serves it
    add_members(sessions, "sales", [], ["Support"])
    add_members(sessions, "support", ["ava", "oli"])
    add_members(sessions, "billing", [], ["Other"])
    specs = []
    for queue, (answered, abandoned) in CALLS.items():
        for n in range(answered + abandoned):
            at = T0 + timedelta(hours=1 if n % 2 else 5, minutes=n)
            specs.append(Spec("oli", at, 4.0, n < answered, 60.0 if n < answered else 0.0,
                              queue=queue))  # fmt: skip
    book_calls(sessions, ids, specs)
