"""The opportunity's stored chance (issue 17) on both engines: every writer keeps it equal to
the rule (won 100, lost 0, the override, else the stage's default), a stage's default change
re-sorts the list and re-weights the forecast in one transaction, the list pages by it, and
migration 0030 backfills it after a downgrade of a populated database; on PostgreSQL the
admin's own login rewrites the reps' deals too."""

from __future__ import annotations

import uuid
from datetime import date
from decimal import Decimal

from sqlalchemy import Engine, insert, select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.chance import effective_chance, store_chances
from agentdesk.crm.models import Account, Lead, Opportunity, StageSetting
from agentdesk.db import migrate
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.demo.generate import generate
from agentdesk.domain.enums import OpportunityStage as S
from agentdesk.org.admin import add_user
from agentdesk.sales.forecast import forecast
from agentdesk.sales.lead_convert import ConvertOptions, convert_leads
from agentdesk.sales.opportunities import create_opportunity, update_opportunity
from agentdesk.sales.opportunity_edit import OpportunityForm, opportunity_detail, save_opportunity
from agentdesk.sales.pipeline import PipelineFilter, pipeline_page
from agentdesk.sales.stages import add_stage, change_stage
from tests.support.logins import give_logins, login_engine

CLOSE = date(2030, 6, 20)
TODAY = date(2030, 1, 1)


def _deal(sessions: sessionmaker[Session], name: str, stage: str, **kw: object) -> uuid.UUID:
    view = create_opportunity(
        sessions,
        account="Acme",
        name=name,
        amount=Decimal("100.00"),
        stage=stage,
        close=CLOSE,
        **kw,  # type: ignore[arg-type]
    )
    return view.id


def _stored(sessions: sessionmaker[Session]) -> dict[str, int]:
    with sessions() as s:
        return dict(s.execute(select(Opportunity.name, Opportunity.chance)).all())


def _drift(sessions: sessionmaker[Session]) -> dict[str, tuple[int, int]]:
    """The rows whose stored chance is not the rule's value (joined as the forecast joins)."""
    query = (
        select(Opportunity.name, Opportunity.chance, effective_chance())
        .outerjoin(StageSetting, StageSetting.stage == Opportunity.stage)
        .where(Opportunity.chance != effective_chance())
    )
    with sessions() as s:
        return {name: (stored, rule) for name, stored, rule in s.execute(query)}


def _acme(sessions: sessionmaker[Session]) -> None:
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme"))


def test_every_writer_keeps_the_chance(sessions: sessionmaker[Session]) -> None:
    _acme(sessions)
    typed = _deal(sessions, "typed", S.PROSPECTING, probability=60)
    default = _deal(sessions, "default", S.PROPOSAL)
    assert _stored(sessions) == {"typed": 60, "default": 50}
    update_opportunity(sessions, default, stage=S.NEGOTIATION)  # a promotion
    update_opportunity(sessions, typed, probability=None)  # the override dropped
    assert _stored(sessions) == {"typed": 10, "default": 70}
    view = update_opportunity(sessions, typed, probability=35)
    assert view.probability == 35
    won = update_opportunity(sessions, default, stage=S.CLOSED_WON)
    assert won.probability == 100
    detail = opportunity_detail(sessions, typed)
    form = OpportunityForm(
        name="typed",
        account_id=detail.account_id or uuid.uuid4(),
        stage=S.QUALIFICATION,
        close=CLOSE,
        amount=Decimal("100.00"),
        probability=None,
    )
    saved = save_opportunity(sessions, typed, detail.version, form)  # the editor's save
    assert saved.probability == 20
    with unit_of_work(sessions) as s:
        s.add(Lead(first_name="Ann", last_name="Lee", company="Lee Ltd"))
    with sessions() as s:
        lead = s.scalars(select(Lead.id)).one()
    convert_leads(sessions, [lead], ConvertOptions(amount=Decimal("10.00")))
    with unit_of_work(sessions) as s:  # a writer that does not know the column (a test's)
        account = s.scalars(select(Account.id).where(Account.name == "Acme")).one()
        s.add(Opportunity(name="bare", account_id=account, stage=S.PROPOSAL, probability=None))
        rows = [{"name": "core", "account_id": account, "stage": S.NEGOTIATION, "version": 1},
                {"name": "core typed", "account_id": account, "stage": S.NEGOTIATION,
                 "probability": 15, "version": 1}]  # fmt: skip
        s.execute(insert(Opportunity), rows)  # a bulk writer's Core INSERT without the column
    assert _stored(sessions) == {
        "typed": 20, "default": 100, "Lee Ltd": 10, "bare": 50, "core": 70, "core typed": 15
    }  # fmt: skip
    assert _drift(sessions) == {}


def test_the_demo_writes_the_rules_chance(engine: Engine, sessions: sessionmaker[Session]) -> None:
    summary = generate(engine, 60, seed=3)
    assert summary.opportunities > 0
    assert _drift(sessions) == {}


def test_a_stage_default_change_resorts_and_reweights(sessions: sessionmaker[Session]) -> None:
    _acme(sessions)
    _deal(sessions, "proposal", S.PROPOSAL)
    _deal(sessions, "typed", S.PROPOSAL, probability=65)
    _deal(sessions, "negotiation", S.NEGOTIATION)
    flt = PipelineFilter(sort="probability", descending=True)

    def listed() -> list[tuple[str, int]]:
        return [(c.name, c.probability) for c in pipeline_page(sessions, flt).cards]

    def weighted() -> Decimal:
        found = forecast(sessions, by="rep", start=TODAY, end=CLOSE, today=TODAY)
        return found.totals.weighted

    assert listed() == [("negotiation", 70), ("typed", 65), ("proposal", 50)]
    assert weighted() == Decimal("185.00")
    change_stage(sessions, S.PROPOSAL, probability=90)
    assert listed() == [("proposal", 90), ("negotiation", 70), ("typed", 65)]
    assert weighted() == Decimal("225.00")  # the forecast weights what the cards show
    add_stage(sessions, "trial", label="Trial", probability=5)
    assert _drift(sessions) == {}


def test_the_list_pages_by_chance_then_close_date(sessions: sessionmaker[Session]) -> None:
    _acme(sessions)
    for n, (stage, close) in enumerate(
        [(S.PROPOSAL, date(2030, 3, 1)), (S.PROPOSAL, date(2030, 2, 1)), (S.PROSPECTING, CLOSE)] * 3
    ):
        create_opportunity(
            sessions, account="Acme", name=f"d{n}", amount=Decimal(1), stage=stage, close=close
        )
    for descending in (False, True):
        flt = PipelineFilter(sort="probability", descending=descending)
        pages = [pipeline_page(sessions, flt, offset=at, limit=4) for at in (0, 4, 8)]
        cards = [c for page in pages for c in page.cards]
        assert [page.more for page in pages] == [True, True, False]
        keys = [(c.probability, c.close_date, c.id) for c in cards]
        assert keys == sorted(keys, reverse=descending) and len(keys) == 9


def test_0030_down_and_up_backfills_a_populated_database(
    engine: Engine, sessions: sessionmaker[Session]
) -> None:
    _acme(sessions)
    _deal(sessions, "typed", S.PROPOSAL, probability=70)
    _deal(sessions, "default", S.PROPOSAL)
    _deal(sessions, "lost", S.CLOSED_LOST)
    orphan = _deal(sessions, "orphan", S.QUALIFICATION)
    with unit_of_work(sessions) as s:  # a won deal keeping an old override, a code gone
        s.execute(update(Opportunity).where(Opportunity.name == "lost").values(probability=40))
        s.execute(update(Opportunity).where(Opportunity.id == orphan).values(stage="gone"))
    migrate.downgrade(engine, "0025")
    with engine.begin() as conn:  # changed while the column is away: the backfill sees it
        conn.execute(
            update(StageSetting).where(StageSetting.stage == S.PROPOSAL).values(probability=45)
        )
    migrate.upgrade(engine)
    assert _stored(sessions) == {"typed": 70, "default": 45, "lost": 0, "orphan": 0}
    assert _drift(sessions) == {}
    with sessions() as s:
        assert store_chances(s) == 0


def test_on_postgresql_the_admins_login_rewrites_every_reps_deals(
    pg_engine: Engine, pg_database_url: str
) -> None:
    owner = session_factory(pg_engine)
    add_user(owner, "boss", name="Boss", role="admin")
    for rep in ("rep.a", "rep.b"):
        add_user(owner, rep, name=rep, role="sales_rep")
    give_logins(owner, ["boss", "rep.a", "rep.b"])
    _acme(owner)
    for rep in ("rep.a", "rep.b"):
        _deal(owner, rep, S.PROPOSAL, owner=rep)
    boss = login_engine(pg_database_url, "boss")
    try:
        change_stage(session_factory(boss), S.PROPOSAL, probability=80)
    finally:
        boss.dispose()
    assert _stored(owner) == {"rep.a": 80, "rep.b": 80}
