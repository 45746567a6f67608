"""Opportunities and the forecast on both engines: stage changes kept, the probability
override, and forecast figures equal to a hand computation."""

from __future__ import annotations

import json
from datetime import UTC, date, datetime, timedelta
from decimal import Decimal

import pytest
from sqlalchemy import func, select, update
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.models import Account, Opportunity
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import OpportunityStage as S
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_user
from agentdesk.org.users import find_user
from agentdesk.sales.forecast import forecast
from agentdesk.sales.models import StageChange
from agentdesk.sales.opportunities import (
    create_opportunity,
    set_stage_probability,
    update_opportunity,
)

TODAY = date(2026, 6, 15)
# (owner, amount, stage, override, close, currency); the hand computation is in the tests
OPPORTUNITIES = [
    ("rep.a", "1000.00", S.PROPOSAL, None, date(2026, 6, 20), "CNY"),  # ahead, 50 %
    ("rep.a", "333.33", S.QUALIFICATION, 33, date(2026, 7, 1), "CNY"),  # ahead, override 33 %
    ("rep.b", "2000.00", S.NEGOTIATION, None, date(2026, 5, 10), "CNY"),  # slipped
    ("rep.b", "1500.50", S.CLOSED_WON, None, date(2026, 5, 20), "CNY"),  # won
    ("rep.a", "800.00", S.CLOSED_LOST, None, date(2026, 6, 1), "CNY"),  # lost: nowhere
    ("rep.b", "100.01", S.PROSPECTING, None, date(2026, 8, 31), "CNY"),  # ahead, 10 %
    ("rep.a", "5000.00", S.PROPOSAL, None, date(2026, 10, 1), "CNY"),  # after the period
    ("rep.a", "999.00", S.PROPOSAL, None, date(2026, 6, 30), "USD"),  # another currency
]


@pytest.fixture
def pipeline(sessions: sessionmaker[Session]) -> sessionmaker[Session]:
    for name in ("rep.a", "rep.b"):
        add_user(sessions, name, name=name, role="sales_rep")
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme", owner_id=None))
    for owner, amount, stage, override, close, code in OPPORTUNITIES:
        create_opportunity(
            sessions,
            account="Acme",
            name=f"{owner} {amount}",
            amount=Decimal(amount),
            stage=stage,
            close=close,
            owner=owner,
            probability=override,
            currency_code=code,
        )
    # the won deal was won on its expected close date (the forecast counts won by the day won)
    with sessions() as s:
        (won,) = s.scalars(select(Opportunity.id).where(Opportunity.stage == S.CLOSED_WON))
    _won_at(sessions, won, datetime(2026, 5, 20, 10, 0, tzinfo=UTC))
    return sessions


def _won_at(sessions: sessionmaker[Session], opportunity_id: object, at: datetime) -> None:
    """As if the deal had been moved into won at ``at``: its stage history's move and the copy
    the service keeps on the opportunity (``won_at``) together."""
    with unit_of_work(sessions) as s:
        moved = StageChange.opportunity_id == opportunity_id
        s.execute(
            update(StageChange).where(moved, StageChange.to_stage == S.CLOSED_WON)
            .values(changed_at=at)
        )  # fmt: skip
        s.execute(update(Opportunity).where(Opportunity.id == opportunity_id).values(won_at=at))


def _rows(sessions: sessionmaker[Session], by: str, actor: str | None = None) -> dict[str, object]:
    result = forecast(
        sessions, by=by, start=date(2026, 4, 1), end=date(2026, 9, 30), today=TODAY, actor=actor
    )
    return result.as_json()


def _row(key: str, count: int, unweighted: str, weighted: str, won: str, slipped: str) -> dict:
    return {
        "key": key,
        "count": count,
        "unweighted": unweighted,
        "weighted": weighted,
        "won": won,
        "slipped": slipped,
    }


def test_forecast_by_month_and_quarter_equals_the_hand_computation(
    pipeline: sessionmaker[Session],
) -> None:
    by_month = _rows(pipeline, "month")
    assert by_month["rows"] == [
        _row("2026-05", 0, "0.00", "0.00", "1500.50", "2000.00"),
        _row("2026-06", 1, "1000.00", "500.00", "0.00", "0.00"),
        _row("2026-07", 1, "333.33", "110.00", "0.00", "0.00"),  # 333.33 × 33 % = 109.9989
        _row("2026-08", 1, "100.01", "10.00", "0.00", "0.00"),  # 100.01 × 10 % = 10.001
    ]
    # weighted total: (1000.00 × 50 + 333.33 × 33 + 100.01 × 10) / 100 = 619.9999, rounded once
    assert by_month["totals"] == {
        "count": 3,
        "unweighted": "1433.34",
        "weighted": "620.00",
        "won": "1500.50",
        "slipped": "2000.00",
    }
    assert _rows(pipeline, "quarter")["rows"] == [
        _row("2026-Q2", 1, "1000.00", "500.00", "1500.50", "2000.00"),
        _row("2026-Q3", 2, "433.34", "120.00", "0.00", "0.00"),  # 119.9999
    ]


def test_forecast_by_rep_and_what_a_rep_sees(pipeline: sessionmaker[Session]) -> None:
    assert _rows(pipeline, "rep")["rows"] == [
        _row("rep.a", 2, "1333.33", "610.00", "0.00", "0.00"),  # 609.9989
        _row("rep.b", 1, "100.01", "10.00", "1500.50", "2000.00"),
    ]
    assert [r["key"] for r in _rows(pipeline, "rep", actor="rep.a")["rows"]] == ["rep.a"]


def test_stage_changes_are_kept_and_probability_follows_the_stage(
    pipeline: sessionmaker[Session],
) -> None:
    first = create_opportunity(
        pipeline,
        account="Acme",
        name="Deal",
        amount=Decimal("10"),
        stage=S.PROSPECTING,
        close=TODAY,
        owner="rep.a",
    )
    assert first.probability == 10
    moved = update_opportunity(pipeline, first.id, stage=S.NEGOTIATION, actor="rep.a")
    assert (moved.stage, moved.probability, moved.probability_override) == ("negotiation", 70, None)
    overridden = update_opportunity(pipeline, first.id, probability=90, actor="rep.a")
    assert (overridden.probability, overridden.probability_override) == (90, 90)
    set_stage_probability(pipeline, S.NEGOTIATION, 60)
    assert update_opportunity(pipeline, first.id, probability=None).probability == 60
    won = update_opportunity(pipeline, first.id, stage=S.CLOSED_WON, probability=20)
    assert (won.probability, won.probability_override) == (100, None)
    with pytest.raises(AccessDeniedError):
        update_opportunity(pipeline, first.id, amount=Decimal(1), actor="rep.b")
    with pytest.raises(AccessDeniedError):
        set_stage_probability(pipeline, S.PROPOSAL, 40, actor="rep.a")
    with pipeline() as s:
        changes = s.scalars(select(StageChange).where(StageChange.opportunity_id == first.id)).all()
        rep = find_user(s, "rep.a").id
    assert {(c.from_stage, c.to_stage) for c in changes} == {
        (None, S.PROSPECTING),
        (S.PROSPECTING, S.NEGOTIATION),
        (S.NEGOTIATION, S.CLOSED_WON),
    }
    assert {c.changed_by_id for c in changes} == {None, rep}


def test_opportunity_and_forecast_commands(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme"))
    soon = date.today() + timedelta(days=3)
    assert (
        main(
            [
                "opportunity",
                "create",
                "--account",
                "Acme",
                "--name",
                "Big",
                "--amount",
                "1234.56",
                "--stage",
                "proposal",
                "--close",
                soon.isoformat(),
                "--json",
                "--db",
                db_url,
            ]
        )
        == 0
    )
    created = json.loads(capsys.readouterr().out)
    assert (created["amount"], created["probability"]) == ("1234.56", 50)
    assert (
        main(["opportunity", "set", created["id"], "--probability", "25", "--json", "--db", db_url])
        == 0
    )
    assert json.loads(capsys.readouterr().out)["probability_override"] == 25
    for given, kept in (("  Call 李伟 on Monday  ", "Call 李伟 on Monday"), ("", None)):
        command = ["opportunity", "set", created["id"], "--next-step", given, "--json"]
        assert main([*command, "--db", db_url]) == 0
        changed = json.loads(capsys.readouterr().out)
        assert (changed["next_step"], changed["probability_override"]) == (kept, 25)
    assert (
        main(
            [
                "forecast",
                "--by",
                "month",
                "--from",
                soon.isoformat(),
                "--to",
                soon.isoformat(),
                "--json",
                "--db",
                db_url,
            ]
        )
        == 0
    )
    data = json.loads(capsys.readouterr().out)
    assert data["rows"] == [_row(soon.strftime("%Y-%m"), 1, "1234.56", "308.64", "0.00", "0.00")]
    assert (
        main(
            [
                "forecast",
                "--by",
                "category",
                "--from",
                soon.isoformat(),
                "--to",
                soon.isoformat(),
                "--json",
                "--db",
                db_url,
            ]
        )
        == 0
    )
    by_category = json.loads(capsys.readouterr().out)
    assert [row["key"] for row in by_category["rows"]] == ["-"]  # it has no product lines
    assert (
        main(
            [
                "forecast",
                "--by",
                "month",
                "--from",
                "2026-12-31",
                "--to",
                "2026-01-01",
                "--db",
                db_url,
            ]
        )
        == 2
    )
    assert (
        main(
            [
                "opportunity",
                "create",
                "--account",
                "Acme",
                "--name",
                "X",
                "--amount",
                "1",
                "--stage",
                "nope",
                "--close",
                "2026-01-01",
                "--db",
                db_url,
            ]
        )
        == 2
    )


def test_forecast_by_category_shares_an_opportunity_out_over_its_lines(
    pipeline: sessionmaker[Session], tmp_path
) -> None:
    from agentdesk.sales.documents import parse_line
    from agentdesk.sales.product_import import import_products

    path = tmp_path / "p.csv"
    path.write_text(
        "编码,名称,类别,单价,税率\nH-1,服务器,硬件,100,13%\nS-1,安装,服务,50,6%\n", "utf-8"
    )
    import_products(pipeline, path)
    deal = create_opportunity(
        pipeline,
        account="Acme",
        name="Lines",
        amount=None,
        stage=S.PROPOSAL,
        close=date(2026, 7, 10),
        owner="rep.a",
        lines=[parse_line("H-1:3"), parse_line("S-1:2:10")],
    )
    assert deal.amount == Decimal("390.00")  # 300.00 + 90.00
    with pytest.raises(RequestError, match="comes from its product lines"):
        update_opportunity(pipeline, deal.id, amount=Decimal(1))
    result = _rows(pipeline, "category")
    assert {row["key"]: row for row in result["rows"]} == {
        "-": _row("-", 3, "1433.34", "620.00", "1500.50", "2000.00"),  # the ones without lines
        "硬件": _row("硬件", 1, "300.00", "150.00", "0.00", "0.00"),
        "服务": _row("服务", 1, "90.00", "45.00", "0.00", "0.00"),
    }
    # the deal counts once; weighted (6199999 + 30000 × 50 + 9000 × 50) / 10000 = 814.9999
    assert result["totals"] == {
        "count": 4,
        "unweighted": "1823.34",
        "weighted": "815.00",
        "won": "1500.50",
        "slipped": "2000.00",
    }
    changed = update_opportunity(pipeline, deal.id, lines=[parse_line("H-1:1")])
    assert changed.amount == Decimal("100.00")


def test_won_counts_in_the_period_the_deal_was_won_not_its_expected_close(
    pipeline: sessionmaker[Session],
) -> None:
    """Review finding: "won" followed the expected close date. A deal expected in August but
    won on 10 June is June's; one expected in June but won in October is in no row of April to
    September; one won at 01:00 on 1 July in Shanghai (17:00 UTC on 30 June) is July's there."""
    made = {}
    for name, close in (("early", date(2026, 8, 20)), ("late", date(2026, 6, 5)),
                        ("midnight", date(2026, 9, 1))):  # fmt: skip
        view = create_opportunity(
            pipeline, account="Acme", name=name, amount=Decimal("10.00"),
            stage=S.NEGOTIATION, close=close, owner="rep.a",
        )  # fmt: skip
        update_opportunity(pipeline, view.id, stage=S.CLOSED_WON)
        made[name] = view.id
    won_at = {
        "early": datetime(2026, 6, 10, 9, 0, tzinfo=UTC),
        "late": datetime(2026, 10, 2, 9, 0, tzinfo=UTC),
        "midnight": datetime(2026, 6, 30, 17, 0, tzinfo=UTC),
    }
    for name, at in won_at.items():
        _won_at(pipeline, made[name], at)

    def won(zone: str) -> dict[str, str]:
        result = forecast(pipeline, by="month", start=date(2026, 4, 1), end=date(2026, 9, 30),
                          today=TODAY, zone=zone).as_json()  # fmt: skip
        rows = result["rows"]
        assert isinstance(rows, list) and isinstance(result["totals"], dict)
        return {row["key"]: row["won"] for row in rows if row["won"] != "0.00"} | {
            "total": result["totals"]["won"]
        }

    assert won("UTC") == {"2026-05": "1500.50", "2026-06": "20.00", "total": "1520.50"}
    assert won("Asia/Shanghai") == {
        "2026-05": "1500.50",
        "2026-06": "10.00",
        "2026-07": "10.00",
        "total": "1520.50",
    }


def test_the_won_time_is_the_stage_historys_and_goes_when_the_deal_is_reopened(
    pipeline: sessionmaker[Session],
) -> None:
    deal = create_opportunity(pipeline, account="Acme", name="Won now", amount=Decimal(1),
                              stage=S.CLOSED_WON, close=TODAY)  # fmt: skip
    with pipeline() as s:
        row = s.get_one(Opportunity, deal.id)
        moves = s.scalars(select(StageChange.changed_at).where(
            StageChange.opportunity_id == deal.id)).all()  # fmt: skip
        assert row.won_at is not None and moves == [row.won_at]
    update_opportunity(pipeline, deal.id, stage=S.NEGOTIATION)
    with pipeline() as s:
        assert s.get_one(Opportunity, deal.id).won_at is None
    update_opportunity(pipeline, deal.id, stage=S.CLOSED_WON)
    with pipeline() as s:
        last = s.scalars(select(func.max(StageChange.changed_at)).where(
            StageChange.opportunity_id == deal.id)).one()  # fmt: skip
        assert s.get_one(Opportunity, deal.id).won_at == last
