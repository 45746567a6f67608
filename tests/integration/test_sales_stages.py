"""The admin's opportunity stages on both engines: added, renamed, reordered, retired; a
custom won stage counts as won everywhere; the last won or lost stage stays; the commands;
the list sorted by the probability its cards show; migration 0027 down and up with custom
stages in use."""

from __future__ import annotations

import json
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import Engine, insert, select, update
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.models import Account, Opportunity, StageSetting
from agentdesk.db import migrate
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.clock import zone_named
from agentdesk.domain.enums import OpportunityStage as S
from agentdesk.domain.enums import OwnerKind
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_user
from agentdesk.sales.forecast import forecast
from agentdesk.sales.models import StageChange
from agentdesk.sales.opportunities import create_opportunity, update_opportunity
from agentdesk.sales.party_sales import party_sales
from agentdesk.sales.pipeline import PipelineFilter, pipeline_page, pipeline_stages
from agentdesk.sales.stage_report import stage_report
from agentdesk.sales.stages import add_stage, change_stage, list_stages, remove_stage
from tests.support.logins import give_logins, login_engine

CLOSE = date(2026, 6, 20)
UTC_ZONE = zone_named("UTC")


@pytest.fixture
def acme(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme"))
    return sessions


def _deal(sessions: sessionmaker[Session], name: str, stage: str, **kw: object) -> str:
    view = create_opportunity(
        sessions,
        account="Acme",
        name=name,
        amount=Decimal("100.00"),
        stage=stage,
        close=CLOSE,
        **kw,  # type: ignore[arg-type]
    )
    return str(view.id)


def test_the_seeded_stages_are_the_six_codes_in_order(sessions: sessionmaker[Session]) -> None:
    stages = list_stages(sessions)
    assert [s.code for s in stages] == [str(code) for code in S]
    assert [(s.order, s.probability) for s in stages] == [
        (1, 10), (2, 20), (3, 50), (4, 70), (5, 100), (6, 0),
    ]  # fmt: skip
    assert [(s.won, s.lost) for s in stages][-2:] == [(True, False), (False, True)]
    assert stages[-1].label_zh == "丢单" and all(s.active for s in stages)


def test_the_admin_adds_renames_reorders_and_retires_a_stage(acme: sessionmaker[Session]) -> None:
    demo = add_stage(acme, "Demo", label="Demo given", label_zh="已演示", probability=35,
                     after=S.QUALIFICATION)  # fmt: skip
    assert (demo.code, demo.order, demo.probability) == ("demo", 3, 35)
    deal = create_opportunity(acme, account="Acme", name="Big", amount=Decimal(1),
                              stage="demo", close=CLOSE)  # fmt: skip
    assert (deal.stage, deal.probability) == ("demo", 35)
    change_stage(acme, "demo", label="Demonstrated", probability=40, order=1)
    stages = list_stages(acme)
    assert [s.code for s in stages][:2] == ["demo", S.PROSPECTING]
    assert [s.order for s in stages] == list(range(1, 8))
    assert (stages[0].label, stages[0].label_zh, stages[0].probability) == (
        "Demonstrated", "已演示", 40,
    )  # fmt: skip
    # retired: no move enters it, its opportunities stay and keep their column
    change_stage(acme, "demo", active=False)
    with pytest.raises(RequestError, match="retired"):
        _deal(acme, "Other", "demo")
    columns = {c.stage: c for c in pipeline_stages(acme)}
    assert not columns["demo"].active
    with pytest.raises(RequestError, match="in use"):
        remove_stage(acme, "demo")
    update_opportunity(acme, deal.id, stage=S.CLOSED_LOST)
    assert "demo" not in {c.stage for c in pipeline_stages(acme)}  # holds nothing now
    with pytest.raises(RequestError, match="in use"):  # its history still names it
        remove_stage(acme, "demo")
    add_stage(acme, "unused", label="Unused", probability=5)
    remove_stage(acme, "unused")
    assert "unused" not in {s.code for s in list_stages(acme)}
    with pytest.raises(RequestError, match="exists"):
        add_stage(acme, "demo", label="Again", probability=1)
    with pytest.raises(RequestError, match="stage code"):
        add_stage(acme, "9 bad", label="Bad", probability=1)


def test_a_custom_won_stage_is_won_everywhere(acme: sessionmaker[Session]) -> None:
    paid = add_stage(acme, "won_paid", label="Won, paid", probability=30, won=True)
    assert paid.probability == 100 and paid.order == 5  # before the seeded won and lost
    deal = _deal(acme, "Paid", S.PROPOSAL, probability=80)
    view = update_opportunity(acme, uuid.UUID(deal), stage="won_paid")
    assert (view.probability, view.probability_override) == (100, None)
    with acme() as s:
        row = s.get(Opportunity, view.id)
        assert row is not None and row.won_at is not None
        account = s.scalars(select(Account.id)).one()
    result = forecast(acme, by="month", start=date(2000, 1, 1), end=date(2100, 1, 1),
                      today=date(2026, 7, 1))  # fmt: skip
    assert result.totals.won == Decimal("100.00")
    assert result.totals.slipped == 0 and result.totals.count == 0
    assert party_sales(acme, OwnerKind.ACCOUNT, account).opportunities == ()
    with pytest.raises(RequestError, match="100"):
        change_stage(acme, "won_paid", probability=50)


def test_the_last_won_or_lost_stage_stays(acme: sessionmaker[Session]) -> None:
    with pytest.raises(RequestError, match="won stage must remain"):
        change_stage(acme, S.CLOSED_WON, active=False)
    with pytest.raises(RequestError, match="lost stage must remain"):
        change_stage(acme, S.CLOSED_LOST, active=False)
    add_stage(acme, "lost_price", label="Lost on price", probability=0, lost=True)
    change_stage(acme, S.CLOSED_LOST, active=False)  # another lost stage is left
    assert not {s.code: s for s in list_stages(acme)}[S.CLOSED_LOST].active


def test_only_the_admin_changes_stages_and_each_change_is_audited(
    acme: sessionmaker[Session],
) -> None:
    add_user(acme, "rep.a", name="Rep A", role="sales_rep")
    add_user(acme, "boss", name="Boss", role="admin")
    with pytest.raises(AccessDeniedError):
        change_stage(acme, S.PROPOSAL, probability=45, actor="rep.a")
    with pytest.raises(AccessDeniedError):
        add_stage(acme, "mine", label="Mine", probability=5, actor="rep.a")
    assert {s.code: s for s in list_stages(acme)}[S.PROPOSAL].probability == 50
    add_stage(acme, "mine", label="Mine", probability=5, actor="boss")
    change_stage(acme, S.PROPOSAL, probability=45, order=1, actor="boss")
    remove_stage(acme, "mine", actor="boss")
    with acme() as s:
        query = select(AuditEntry.actor, AuditEntry.action, AuditEntry.details).where(
            AuditEntry.entity_kind == "opportunity_stage"
        )
        entries = [(who, str(what), details) for who, what, details in s.execute(query)]
    assert sorted(entries, key=lambda e: e[1]) == [
        ("boss", "create", {"mine": {"label": "Mine", "probability": 5, "won": False,
                                     "lost": False}}),
        ("boss", "delete", {"stage": "mine"}),
        ("boss", "update", {"proposal": {"probability": [50, 45], "order": [3, 1]}}),
    ]  # fmt: skip


def test_the_list_sorts_by_the_probability_its_cards_show(acme: sessionmaker[Session]) -> None:
    """A won deal is 100 and a lost one 0 whatever probability is stored (an override kept
    from before it closed, or written by an older version): the sort follows the shown value,
    in SQL, so the pages stay in the database's order."""
    ids = {
        name: _deal(acme, name, stage, probability=chance)
        for name, stage, chance in (
            ("open override 60", S.PROSPECTING, 60),
            ("open default 50", S.PROPOSAL, None),
            ("won", S.CLOSED_WON, None),
            ("lost", S.CLOSED_LOST, None),
        )
    }
    stored = {"won": 30, "lost": 90}
    with unit_of_work(acme) as s:
        for name, chance in stored.items():
            s.execute(
                update(Opportunity)
                .where(Opportunity.id == uuid.UUID(ids[name]))
                .values(probability=chance)
            )
    flt = PipelineFilter(sort="probability", descending=True)
    first = pipeline_page(acme, flt, limit=2)
    rest = pipeline_page(acme, flt, offset=2, limit=2)
    cards = [*first.cards, *rest.cards]
    assert [c.name for c in cards] == ["won", "open override 60", "open default 50", "lost"]
    assert [c.probability for c in cards] == [100, 60, 50, 0]
    ascending = pipeline_page(acme, PipelineFilter(sort="probability"), limit=4)
    assert [c.probability for c in ascending.cards] == [0, 50, 60, 100]


def _cli(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args])
    out = capsys.readouterr()
    return code, out.out, out.err


def test_stage_commands(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    db = ("--db", db_url)
    code, out, _ = _cli(capsys, "stage", "add", "trial", "--label", "Trial", "--probability",
                        "30", "--after", "qualification", "--json", *db)  # fmt: skip
    assert code == 0 and json.loads(out)["order"] == 3
    code, out, _ = _cli(capsys, "stage", "set", "trial", "--probability", "35", "--order", "1",
                        "--label", "Free trial", "--json", *db)  # fmt: skip
    assert code == 0
    assert {k: json.loads(out)[k] for k in ("order", "probability", "label")} == {
        "order": 1, "probability": 35, "label": "Free trial",
    }  # fmt: skip
    code, out, _ = _cli(capsys, "stage", "list", "--json", *db)
    rows = json.loads(out)
    assert code == 0 and rows[0]["code"] == "trial"
    assert set(rows[0]) >= {"code", "label", "order", "probability", "won", "lost", "active"}
    assert [r["code"] for r in rows if r["won"]] == ["closed_won"]
    code, out, _ = _cli(capsys, "stage", "list", *db)
    assert code == 0 and "Free trial" in out and "closed_lost" in out
    # bad input: exit 2 with the reason
    code, _, err = _cli(capsys, "stage", "set", "closed_won", "--active", "no", *db)
    assert code == 2 and "at least one active won stage" in err
    code, _, err = _cli(capsys, "stage", "set", "nope", "--probability", "5", *db)
    assert code == 2 and "unknown stage" in err
    code, _, err = _cli(capsys, "stage", "add", "x", "--label", "X", "--probability", "120", *db)
    assert code == 2 and "between 0 and 100" in err
    code, _, err = _cli(capsys, "stage", "add", "x", "--label", "X", *db)
    assert code == 2 and "needs --probability" in err
    code, out, _ = _cli(
        capsys, "stage", "add", "won_paid", "--label", "Paid", "--won", "--json", *db
    )
    assert code == 0 and (json.loads(out)["probability"], json.loads(out)["won"]) == (100, True)
    code, _, err = _cli(capsys, "stage", "set", "trial", "--active", "no", *db)
    assert code == 0
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme"))
    new = ("opportunity", "create", "--account", "Acme", "--name", "T", "--amount", "1")
    code, _, err = _cli(capsys, *new, "--stage", "trial", "--close", "2026-06-01", *db)
    assert code == 2 and "retired" in err
    code, out, _ = _cli(capsys, *new, "--stage", "Proposal", "--close", "2026-06-01", "--json", *db)
    assert code == 0 and json.loads(out)["stage"] == "proposal"


def test_0027_down_and_up_with_custom_stages_in_use(
    engine: Engine, acme: sessionmaker[Session]
) -> None:
    add_stage(acme, "trial", label="Trial", probability=30, after=S.PROPOSAL)
    add_stage(acme, "won_paid", label="Paid", probability=0, won=True)
    change_stage(acme, S.NEGOTIATION, probability=65)
    trial = _deal(acme, "In trial", "trial")
    paid = _deal(acme, "Paid", S.PROSPECTING)
    update_opportunity(acme, uuid.UUID(paid), stage="won_paid")
    migrate.downgrade(engine, "0024")
    with engine.connect() as conn:
        stages = dict(conn.execute(select(Opportunity.name, Opportunity.stage)).all())
        moved = conn.execute(select(StageChange.to_stage).order_by(StageChange.changed_at))
        history = list(moved.scalars())
        codes = set(conn.scalars(select(StageSetting.stage)))
    assert stages == {"In trial": "proposal", "Paid": "closed_won"}
    assert "trial" not in history and "won_paid" not in history
    assert codes == {str(code) for code in S}
    migrate.upgrade(engine)
    stages_now = {s.code: s for s in list_stages(acme)}
    assert set(stages_now) == {str(code) for code in S}
    assert stages_now[S.NEGOTIATION].probability == 65  # the admin's probability stayed
    assert stages_now[S.CLOSED_WON].won and stages_now[S.CLOSED_LOST].lost
    assert trial


def test_on_postgresql_logins_only_the_admin_writes_stages(
    pg_engine: Engine, pg_database_url: str
) -> None:
    """The table's row policies (read by all, written with manage_users) hold on each login:
    the admin's login changes stages through the service; a rep's login reads them, and its
    own SQL changes nothing."""
    owner = session_factory(pg_engine)
    add_user(owner, "boss", name="Boss", role="admin")
    add_user(owner, "rep.a", name="Rep A", role="sales_rep")
    give_logins(owner, ["boss", "rep.a"])
    boss, rep = (login_engine(pg_database_url, name) for name in ("boss", "rep.a"))
    try:
        add_stage(session_factory(boss), "trial", label="Trial", probability=30)
        change_stage(session_factory(boss), S.PROPOSAL, probability=45)
        rep_sessions = session_factory(rep)
        assert [s.code for s in list_stages(rep_sessions)][4] == "trial"
        with pytest.raises(AccessDeniedError):
            change_stage(rep_sessions, S.PROPOSAL, probability=90)
        with rep.begin() as conn:
            done = conn.execute(
                update(StageSetting).where(StageSetting.stage == "proposal").values(probability=90)
            )
            assert done.rowcount == 0
        with pytest.raises(DBAPIError), rep.begin() as conn:
            conn.execute(insert(StageSetting).values(stage="mine", position=9, probability=1))
        assert stored_probability(owner, S.PROPOSAL) == 45
    finally:
        boss.dispose()
        rep.dispose()


def stored_probability(sessions: sessionmaker[Session], code: str) -> int:
    return {s.code: s for s in list_stages(sessions)}[code].probability


def _at(text: str) -> datetime:
    return datetime.fromisoformat(text).replace(tzinfo=UTC)


def test_time_in_stage_and_moves_equal_a_hand_computation(
    acme: sessionmaker[Session], capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    """A: prospecting 3-01, qualification 3-03, proposal 3-08, won 4-02; B: prospecting 2-20,
    proposal 3-04 12:00 (a skipped stage); C: qualification 3-10, lost 3-11. March, UTC:
    prospecting entered by A, left by A (2 days) and B (12.5); qualification entered by A and
    C, left after 5 and 1 days; proposal entered by A and B, left by none in March."""
    paths = {
        "A": [(S.PROSPECTING, "2026-03-01"), (S.QUALIFICATION, "2026-03-03"),
              (S.PROPOSAL, "2026-03-08"), (S.CLOSED_WON, "2026-04-02")],
        "B": [(S.PROSPECTING, "2026-02-20"), (S.PROPOSAL, "2026-03-04T12:00")],
        "C": [(S.QUALIFICATION, "2026-03-10"), (S.CLOSED_LOST, "2026-03-11")],
    }  # fmt: skip
    for name, path in paths.items():
        deal = uuid.UUID(_deal(acme, name, path[0][0]))
        for stage, _when in path[1:]:
            update_opportunity(acme, deal, stage=stage)
        with unit_of_work(acme) as s:
            for stage, when in path:
                s.execute(
                    update(StageChange)
                    .where(StageChange.opportunity_id == deal, StageChange.to_stage == stage)
                    .values(changed_at=_at(when))
                )
    report = stage_report(acme, start=date(2026, 3, 1), end=date(2026, 3, 31), zone=UTC_ZONE)
    assert [row.as_json() for row in report.stages] == [
        {"stage": "prospecting", "entered": 1, "left": 2, "mean_days": 7.25},
        {"stage": "qualification", "entered": 2, "left": 2, "mean_days": 3.0},
        {"stage": "proposal", "entered": 2, "left": 0, "mean_days": None},
        {"stage": "closed_lost", "entered": 1, "left": 0, "mean_days": None},
    ]
    assert report.moves == (
        ("prospecting", "proposal", 1), ("prospecting", "qualification", 1),
        ("qualification", "closed_lost", 1), ("qualification", "proposal", 1),
    )  # fmt: skip
    april = stage_report(acme, start=date(2026, 4, 1), end=date(2026, 4, 30), zone=UTC_ZONE)
    assert [(r.stage, r.entered, r.left, r.mean_days) for r in april.stages] == [
        ("proposal", 0, 1, 25.0), ("closed_won", 1, 0, None),
    ]  # fmt: skip
    code, out, _ = _cli(capsys, "stage", "report", "--from", "2026-03-01", "--to", "2026-03-31",
                        "--json", "--db", db_url)  # fmt: skip
    data = json.loads(out)
    assert code == 0 and data["stages"][0]["stage"] == "prospecting"
    assert {"from": "qualification", "to": "closed_lost", "count": 1} in data["moves"]
    code, _, err = _cli(capsys, "stage", "report", "--from", "2026-03-31", "--to", "2026-03-01",
                        "--db", db_url)  # fmt: skip
    assert code == 2 and "ends before it starts" in err
