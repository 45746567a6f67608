"""The opportunity stages as the admin defines them (``opportunity_stages``).

The admin adds a stage, renames it (an English and a Chinese label; the code, which
opportunities and their history keep, never changes), reorders the stages, sets an open
stage's default probability, marks a new stage won or lost and retires a stage. A retired
stage keeps its opportunities (the pipeline still shows it while it holds any) but no move
enters it; a stage nothing ever used can be removed (by a user who reads every
opportunity, so the check sees them all), one in use only retired. At least one
active won stage and one active lost stage exist at all times, so a deal can always be
closed. Won stages are always 100 % and lost ones 0 %. Changes need ``manage_users`` (the
table's row-level security asks the same) and are audited.
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import case, exists, false, func, or_, select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.chance import store_chances
from agentdesk.crm.models import Opportunity, StageSetting
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import Actor, audit
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Action, Capability, Depth, RecordKind
from agentdesk.domain.enums import AuditAction
from agentdesk.domain.stages import DEFAULT_STAGES, STAGE_CODE_LENGTH
from agentdesk.org.users import AgentRef, actor_of
from agentdesk.sales.models import StageChange

_CODE = re.compile(rf"[a-z][a-z0-9_]{{0,{STAGE_CODE_LENGTH - 1}}}")
LABEL_LENGTH = 60


@dataclass(frozen=True, slots=True)
class Stage:
    code: str
    label: str
    label_zh: str
    order: int
    """1 for the pipeline's first column."""
    probability: int
    """The default probability: always 100 when won and 0 when lost."""
    won: bool
    lost: bool
    active: bool

    @property
    def is_open(self) -> bool:
        return not (self.won or self.lost)

    def as_json(self) -> dict[str, object]:
        return {
            "code": self.code,
            "label": self.label,
            "label_zh": self.label_zh,
            "order": self.order,
            "probability": self.probability,
            "won": self.won,
            "lost": self.lost,
            "active": self.active,
        }


def _rows(session: Session) -> list[StageSetting]:
    # ties in position (none after migration 0027 and the admin's changes, which number
    # 1..n) go by the seeded codes' order, as before stages were data, then by code
    seeded = {str(seed.code): place for place, seed in enumerate(DEFAULT_STAGES)}
    tie = case(seeded, value=StageSetting.stage, else_=len(seeded))
    query = select(StageSetting).order_by(StageSetting.position, tie, StageSetting.stage)
    return list(session.scalars(query))


def _views(rows: Iterable[StageSetting]) -> tuple[Stage, ...]:
    return tuple(
        Stage(
            code=row.stage,
            label=row.label or row.stage,
            label_zh=row.label_zh,
            order=place,
            probability=100 if row.won else 0 if row.lost else row.probability,
            won=row.won,
            lost=row.lost,
            active=row.active,
        )
        for place, row in enumerate(rows, start=1)
    )


def read_stages(session: Session) -> tuple[Stage, ...]:
    """Every stage, retired ones too, in the admin's order."""
    return _views(_rows(session))


def list_stages(sessions: sessionmaker[Session]) -> tuple[Stage, ...]:
    with sessions() as session:
        return read_stages(session)


def stage_table(session: Session) -> dict[str, Stage]:
    return {stage.code: stage for stage in read_stages(session)}


def code_of(text: str) -> str:
    """A stage code as typed (``Proposal`` is ``proposal``); refused when it cannot be one."""
    code = text.strip().lower()
    if not _CODE.fullmatch(code):
        raise RequestError(
            f"stage code {text!r}: a letter, then letters, digits or _ "
            f"(at most {STAGE_CODE_LENGTH})"
        )
    return code


STAGE_LOCKS = 17_027
"""The PostgreSQL advisory-lock space of stage codes (``lock_stage``)."""


def lock_stage(session: Session, code: str, *, remove: bool = False) -> None:
    """Order a move into stage ``code`` (shared) and the stage's removal (exclusive), for the
    rest of the transaction: a removal waits for the moves in flight and then sees their
    rows; a move after a removal finds no stage. Taken before the stages are read.

    PostgreSQL: an advisory lock on the code (a row lock on the stage row would need the
    UPDATE right a rep's login lacks on ``opportunity_stages``). SQLite: the database's one
    write lock (an UPDATE that changes nothing takes it), which orders every writer."""
    if session.get_bind().dialect.name == "postgresql":
        lock = func.pg_advisory_xact_lock if remove else func.pg_advisory_xact_lock_shared
        session.execute(select(lock(STAGE_LOCKS, func.hashtext(code))))
    else:
        nothing = update(StageSetting).where(false()).values(position=StageSetting.position)
        session.execute(nothing.execution_options(synchronize_session=False))


def stage_for_move(session: Session, text: str) -> Stage:
    """The stage an opportunity is created in or moved to: it exists and is not retired (the
    stage is locked against its removal until the transaction ends)."""
    code = text.strip().lower()
    lock_stage(session, code)
    table = stage_table(session)
    stage = table.get(code)
    if stage is None:
        names = ", ".join(s.code for s in table.values() if s.active)
        raise RequestError(f"unknown stage {text!r}: use {names}")
    if not stage.active:
        raise RequestError(f"stage {code!r} is retired: no opportunity moves into it")
    return stage


def first_open_stage(session: Session) -> Stage:
    """Where a converted lead's opportunity starts: the first active open stage."""
    stage = next((s for s in read_stages(session) if s.active and s.is_open), None)
    if stage is None:
        raise RequestError("no active open stage: the admin has to add one")
    return stage_for_move(session, stage.code)  # locked, and read again under the lock


def won_codes(session: Session) -> list[str]:
    return list(session.scalars(select(StageSetting.stage).where(StageSetting.won)))


def _percent(value: int) -> int:
    if not 0 <= value <= 100:
        raise RequestError(f"probability {value} is not between 0 and 100")
    return value


def _label(text: str, what: str = "label") -> str:
    label = text.strip()
    if len(label) > LABEL_LENGTH:
        raise RequestError(f"a stage's {what} has at most {LABEL_LENGTH} characters")
    return label


def _admin(session: Session, actor: AgentRef | None) -> Actor | None:
    access = acting_access(session, actor)
    if access is not None:
        access.require(Capability.MANAGE_USERS)
    return actor_of(session, access.username if access else actor)


def _renumber(rows: list[StageSetting]) -> None:
    for place, row in enumerate(rows, start=1):
        if row.position != place:
            row.position = place


def _check_closable(rows: Iterable[StageSetting]) -> None:
    live = [row for row in rows if row.active]
    if not any(row.won for row in live):
        raise RequestError("at least one active won stage must remain")
    if not any(row.lost for row in live):
        raise RequestError("at least one active lost stage must remain")


def add_stage(
    sessions: sessionmaker[Session],
    code: str,
    *,
    label: str,
    probability: int,
    label_zh: str = "",
    after: str | None = None,
    won: bool = False,
    lost: bool = False,
    actor: AgentRef | None = None,
) -> Stage:
    """A new stage, placed after ``after`` (none: before the first won or lost stage)."""
    code = code_of(code)
    if won and lost:
        raise RequestError("a stage is won or lost, not both")
    if not _label(label):
        raise RequestError("a stage needs a label")
    chance = 100 if won else 0 if lost else _percent(probability)
    with sessions() as session, session.begin():
        who = _admin(session, actor)
        rows = _rows(session)
        if any(row.stage == code for row in rows):
            raise RequestError(f"stage {code!r} exists already")
        if after is not None:
            codes = [row.stage for row in rows]
            if after.strip().lower() not in codes:
                raise RequestError(f"unknown stage {after!r}")
            at = codes.index(after.strip().lower()) + 1
        else:
            at = next((i for i, row in enumerate(rows) if not row.is_open), len(rows))
        row = StageSetting(
            stage=code,
            position=0,
            probability=chance,
            label=_label(label),
            label_zh=_label(label_zh, "Chinese label"),
            won=won,
            lost=lost,
            active=True,
        )
        session.add(row)
        rows.insert(at, row)
        _renumber(rows)
        session.flush()
        store_chances(session, Opportunity.stage == code)  # rows of a code that had no row
        details = {"label": row.label, "probability": chance, "won": won, "lost": lost}
        audit(session, who, AuditAction.CREATE, "opportunity_stage", None, {code: details})
        return stage_table(session)[code]


def change_stage(
    sessions: sessionmaker[Session],
    code: str,
    *,
    label: str | None = None,
    label_zh: str | None = None,
    probability: int | None = None,
    order: int | None = None,
    active: bool | None = None,
    actor: AgentRef | None = None,
) -> Stage:
    """Change what is given; ``order`` is the 1-based place among all stages."""
    code = code.strip().lower()
    with sessions() as session, session.begin():
        who = _admin(session, actor)
        rows = _rows(session)
        row = next((r for r in rows if r.stage == code), None)
        if row is None:
            raise RequestError(f"unknown stage {code!r}")
        changes: dict[str, object] = {}
        if label is not None:
            if not _label(label):
                raise RequestError("a stage needs a label")
            changes["label"] = [row.label, _label(label)]
            row.label = _label(label)
        if label_zh is not None:
            changes["label_zh"] = [row.label_zh, _label(label_zh, "Chinese label")]
            row.label_zh = _label(label_zh, "Chinese label")
        if probability is not None:
            if not row.is_open:
                raise RequestError("won is always 100 % and lost 0 %")
            changes["probability"] = [row.probability, _percent(probability)]
            row.probability = probability
            session.flush()  # its opportunities follow in this transaction: sort and cards
            store_chances(session, Opportunity.stage == code)
        if active is not None and active != row.active:
            changes["active"] = [row.active, active]
            row.active = active
            _check_closable(rows)
        if order is not None:
            if not 1 <= order <= len(rows):
                raise RequestError(f"order {order}: give 1 to {len(rows)}")
            changes["order"] = [rows.index(row) + 1, order]
            rows.remove(row)
            rows.insert(order - 1, row)
            _renumber(rows)
        session.flush()
        audit(session, who, AuditAction.UPDATE, "opportunity_stage", None, {code: changes})
        return stage_table(session)[code]


def remove_stage(
    sessions: sessionmaker[Session], code: str, *, actor: AgentRef | None = None
) -> None:
    """Delete a stage no opportunity is or ever was in; one in use can only be retired. The
    check must see every opportunity: only a user who reads them all removes a stage, and the
    stage is locked against moves into it (``lock_stage``) before the check."""
    code = code.strip().lower()
    with sessions() as session, session.begin():
        who = _admin(session, actor)
        access = acting_access(session, actor)
        if access is not None and access.depth(RecordKind.OPPORTUNITIES, Action.READ) != Depth.ALL:
            # on a PostgreSQL login the check below sees only the rows the user may read
            raise RequestError(
                f"stage {code!r}: only a user who reads every opportunity removes a stage "
                "(one they cannot see may be in it); retire it instead"
            )
        lock_stage(session, code, remove=True)
        rows = _rows(session)
        row = next((r for r in rows if r.stage == code), None)
        if row is None:
            raise RequestError(f"unknown stage {code!r}")
        used = select(
            exists().where(Opportunity.stage == code)
            | exists().where(or_(StageChange.to_stage == code, StageChange.from_stage == code))
        )
        if session.scalar(used):
            raise RequestError(f"stage {code!r} is in use: retire it instead")
        rows.remove(row)
        _check_closable(rows)
        session.delete(row)
        _renumber(rows)
        audit(session, who, AuditAction.DELETE, "opportunity_stage", None, {"stage": code})


def seed_default_stages(session: Session) -> None:
    """The seeded stages of a new database, as migration 0027 writes them (tests that empty
    every table put them back with this)."""
    present = set(session.scalars(select(StageSetting.stage)))
    for place, seed in enumerate(DEFAULT_STAGES, start=1):
        if seed.code not in present:
            session.add(
                StageSetting(
                    stage=str(seed.code),
                    position=place,
                    probability=seed.probability,
                    label=seed.label,
                    label_zh=seed.label_zh,
                    won=seed.won,
                    lost=seed.lost,
                    active=True,
                )
            )
