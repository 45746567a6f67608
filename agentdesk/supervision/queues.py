"""Queues: the numbers callers dial, named; an inbound offer's dialed number names its queue.

Configuration like the dispositions: every desk reads it, only a user manager
(``manage_users``) changes it (the services check it; on PostgreSQL migration 0020's row
policies too). Numbers are stored in E.164, normalised like every other number
(``domain.phone``), so "+86 10 8888 0000" and "010 8888 0000" name one queue.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass

from sqlalchemy import delete, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.domain.contact_metrics import Thresholds
from agentdesk.domain.enums import AuditAction
from agentdesk.domain.phone import digits_of, try_normalize
from agentdesk.org.admin import acting_user, audit_actor
from agentdesk.org.models import Team, User
from agentdesk.org.users import AgentRef
from agentdesk.supervision.models import Queue, QueueMember, QueueNumber

MAX_NAME = 64


class QueueError(RequestError):
    """A queue command the service refuses (bad name or number, a number taken)."""


@dataclass(frozen=True, slots=True)
class QueueView:
    name: str
    numbers: tuple[str, ...]
    service_seconds: float
    short_abandon_seconds: float
    members: tuple[str, ...] = ()
    """The agents who serve the queue by name (usernames), then ``teams``: every agent of each."""
    teams: tuple[str, ...] = ()

    def to_json(self) -> dict[str, object]:
        return {
            "name": self.name,
            "numbers": list(self.numbers),
            "service_seconds": self.service_seconds,
            "short_abandon_seconds": self.short_abandon_seconds,
            "members": list(self.members),
            "teams": list(self.teams),
        }


@dataclass(frozen=True, slots=True)
class QueueRef:
    """What a call needs of its queue: the name and the thresholds its figures use."""

    name: str
    thresholds: Thresholds


def require_manager(session: Session, agent: AgentRef | None) -> None:
    access = acting_access(session, agent)
    if access is not None:
        access.require(Capability.MANAGE_USERS)


def audit_queue(
    session: Session, agent: AgentRef | None, action: AuditAction, queue: Queue
) -> None:
    """Queue changes are administration: the audit log says who changed what, as for users
    and dispositions."""
    numbers = session.scalars(select(QueueNumber.e164).where(QueueNumber.queue_id == queue.id))
    users, teams = _members(session, queue)
    details = {"name": queue.name, "numbers": sorted(numbers), "members": users, "teams": teams}
    actor = audit_actor(session, acting_user(session, agent))  # the login on PostgreSQL
    audit(session, actor, action, "queue", queue.id, details)


def number_key(text: str | None, region: str) -> str | None:
    """A queue number as stored: E.164 when it is a phone number, else its digits (an
    internal number such as 8000 that no numbering plan knows), else ``None``."""
    if not text:
        return None
    number = try_normalize(text, region, strict=False)
    if number is not None:
        return number.e164
    digits = digits_of(text)
    return digits if 2 <= len(digits) <= 15 and digits == text.strip() else None


def _numbers(numbers: Sequence[str], region: str) -> list[str]:
    if not numbers:
        raise QueueError("a queue needs at least one number")
    found: list[str] = []
    for text in numbers:
        key = number_key(text, region)
        if key is None:
            raise QueueError(f"{text!r} is not a phone number")
        if key not in found:
            found.append(key)
    return found


def add_queue(
    sessions: sessionmaker[Session],
    name: str,
    numbers: Sequence[str],
    *,
    region: str,
    agent: AgentRef | None = None,
    thresholds: Thresholds | None = None,
    then: Callable[[Session, Queue], None] | None = None,
) -> QueueView:
    """Create the queue ``name`` with ``numbers``, or add the numbers to it if it exists;
    ``then`` changes more of it in the same transaction (its members), before the audit."""
    name = name.strip()
    if not name or len(name) > MAX_NAME:
        raise QueueError(f"a queue's name has 1 to {MAX_NAME} characters")
    wanted = _numbers(numbers, region)
    with unit_of_work(sessions) as session:
        require_manager(session, agent)
        queue = session.scalars(select(Queue).where(Queue.name == name)).one_or_none()
        created = queue is None
        if queue is None:
            limits = thresholds or Thresholds()
            queue = Queue(
                name=name,
                service_seconds=limits.service_seconds,
                short_abandon_seconds=limits.short_abandon_seconds,
            )
            session.add(queue)
            session.flush()
        elif thresholds is not None:
            queue.service_seconds = thresholds.service_seconds
            queue.short_abandon_seconds = thresholds.short_abandon_seconds
        taken = session.execute(
            select(QueueNumber.e164, Queue.name)
            .join(Queue, Queue.id == QueueNumber.queue_id)
            .where(QueueNumber.e164.in_(wanted))
        ).all()
        for e164, owner in taken:
            if owner != name:
                raise QueueError(f"{e164} already reaches the queue {owner!r}")
        have = {e164 for e164, _ in taken}
        session.add_all(QueueNumber(e164=n, queue_id=queue.id) for n in wanted if n not in have)
        if then is not None:
            then(session, queue)
        session.flush()
        audit_queue(session, agent, AuditAction.CREATE if created else AuditAction.UPDATE, queue)
        return queue_view(session, queue)


def remove_queue(sessions: sessionmaker[Session], name: str, *, agent: AgentRef | None) -> None:
    """Delete the queue and its numbers; its calls and figures keep its name."""
    with unit_of_work(sessions) as session:
        require_manager(session, agent)
        queue = session.scalars(select(Queue).where(Queue.name == name)).one_or_none()
        if queue is None:
            raise QueueError(f"no queue is named {name!r}")
        audit_queue(session, agent, AuditAction.DELETE, queue)
        session.execute(delete(QueueNumber).where(QueueNumber.queue_id == queue.id))
        session.execute(delete(QueueMember).where(QueueMember.queue_id == queue.id))
        session.delete(queue)


def list_queues(sessions: sessionmaker[Session]) -> list[QueueView]:
    with sessions() as session:
        queues = session.scalars(select(Queue).order_by(Queue.name)).all()
        return [queue_view(session, q) for q in queues]


def _members(session: Session, queue: Queue) -> tuple[list[str], list[str]]:
    """The usernames and the team names that serve ``queue``, each sorted."""
    users = session.scalars(
        select(User.username)
        .join(QueueMember, QueueMember.user_id == User.id)
        .where(QueueMember.queue_id == queue.id)
        .order_by(User.username)
    ).all()
    teams = session.scalars(
        select(Team.name)
        .join(QueueMember, QueueMember.team_id == Team.id)
        .where(QueueMember.queue_id == queue.id)
        .order_by(Team.name)
    ).all()
    return list(users), list(teams)


def queue_view(session: Session, queue: Queue) -> QueueView:
    numbers = session.scalars(
        select(QueueNumber.e164).where(QueueNumber.queue_id == queue.id).order_by(QueueNumber.e164)
    ).all()
    users, teams = _members(session, queue)
    return QueueView(
        queue.name, tuple(numbers), queue.service_seconds, queue.short_abandon_seconds,
        tuple(users), tuple(teams),
    )  # fmt: skip


def queue_for(session: Session, e164: str | None) -> QueueRef | None:
    """The queue ``e164`` reaches (one primary-key read), or ``None``."""
    if not e164:
        return None
    row = session.execute(
        select(Queue.name, Queue.service_seconds, Queue.short_abandon_seconds)
        .join(QueueNumber, QueueNumber.queue_id == Queue.id)
        .where(QueueNumber.e164 == e164)
    ).one_or_none()
    if row is None:
        return None
    return QueueRef(row.name, Thresholds(row.service_seconds, row.short_abandon_seconds))


def queue_name_for(sessions: sessionmaker[Session], e164: str | None) -> str | None:
    """For the screen pop: the name of the queue ``e164`` reaches."""
    with sessions() as session:
        ref = queue_for(session, e164)
        return ref.name if ref is not None else None


def dialed_queue_number(
    diversion: str | None, to_number: str | None, dialed: str | None, region: str
) -> str | None:
    """The number (E.164) that names an inbound call's queue: the first one the caller
    reached (``Diversion`` / ``History-Info``), else the ``To`` header's (a forking proxy
    rewrites the Request-URI to the desk's contact but keeps ``To``), else the
    Request-URI's."""
    for text in (diversion, to_number, dialed):
        key = number_key(text, region)
        if key is not None:
            return key
    return None
