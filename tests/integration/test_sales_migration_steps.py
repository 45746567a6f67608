"""The sales tables holding rows step down and up through every migration since 0016, on both
engines: nothing in them is lost; 0021's own tables go and come back, and work again."""

from __future__ import annotations

from datetime import date
from decimal import Decimal
from pathlib import Path

from alembic.script import ScriptDirectory
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Lead, Opportunity
from agentdesk.db import migrate
from agentdesk.db.engine import unit_of_work
from agentdesk.domain.enums import LeadStatus
from agentdesk.domain.enums import OpportunityStage as S
from agentdesk.sales.documents import parse_line
from agentdesk.sales.lead_convert import convert_leads
from agentdesk.sales.models import StageChange
from agentdesk.sales.opportunities import create_opportunity, update_opportunity
from agentdesk.sales.order_plan import set_payment_plan
from agentdesk.sales.orders import order_from_quote, show_order
from agentdesk.sales.payment_plans import InstalmentRequest
from agentdesk.sales.product_import import import_products
from agentdesk.sales.quotes import QuoteRequest, create_quote, set_quote_status
from agentdesk.sales.stages import add_stage
from agentdesk.sales.status import QuoteStatus

KEPT = (
    "products", "quotes", "quote_lines", "orders", "order_lines", "opportunities",
    "opportunity_stage_changes", "document_counters", "leads", "accounts", "contacts",
)  # fmt: skip
NEW_IN_0021 = ("lead_conversions", "order_instalments")


def _fill(sessions: sessionmaker[Session], tmp_path: Path) -> str:
    with unit_of_work(sessions) as s:
        s.add(Account(name="Acme"))
        s.add(Lead(first_name="Lia", last_name="Wu", company="Wu Trading"))
    path = tmp_path / "p.csv"
    path.write_text("code,name,price,tax_rate\nA,Alpha,100,13%\n", encoding="utf-8")
    import_products(sessions, path)
    quote = create_quote(sessions, QuoteRequest(account="Acme", lines=[parse_line("A:2")]))
    set_quote_status(sessions, quote.number, QuoteStatus.SENT)
    set_quote_status(sessions, quote.number, QuoteStatus.ACCEPTED)
    order = order_from_quote(sessions, quote.number)
    plan = [InstalmentRequest(date(2026, 7, 1), percent=Decimal(30)),
            InstalmentRequest(date(2026, 8, 1))]  # fmt: skip
    set_payment_plan(sessions, order.number, plan)
    deal = create_opportunity(sessions, account="Acme", name="Deal", amount=Decimal(5),
                              stage=S.PROPOSAL, close=date(2026, 9, 1))  # fmt: skip
    update_opportunity(sessions, deal.id, stage=S.CLOSED_WON)
    # a stage the admin added (0027), in use: the older revisions fold it into a seeded one
    add_stage(sessions, "trial", label="Trial", probability=30, after=S.PROPOSAL)
    create_opportunity(sessions, account="Acme", name="On trial", amount=Decimal(7),
                       stage="trial", close=date(2026, 9, 1))  # fmt: skip
    with sessions() as s:
        lead_id = s.scalars(select(Lead.id)).one()
    convert_leads(sessions, [lead_id])
    return order.number


def _counts(engine: Engine, tables: tuple[str, ...]) -> dict[str, int]:
    with engine.connect() as conn:
        return {t: conn.scalar(select(func.count()).select_from(text(t))) or 0 for t in tables}


def test_every_step_since_0016_down_and_up_keeps_the_sales_rows(
    engine: Engine, sessions: sessionmaker[Session], tmp_path: Path
) -> None:
    number = _fill(sessions, tmp_path)
    before = _counts(engine, KEPT)
    assert all(before.values())
    assert _counts(engine, NEW_IN_0021) == {"lead_conversions": 1, "order_instalments": 2}
    script = ScriptDirectory.from_config(migrate._config())
    revisions = [r.revision for r in script.walk_revisions()]  # newest first
    steps = revisions[1 : revisions.index("0016") + 1]
    assert steps[0] == script.get_revision(revisions[0]).down_revision  # the head's
    for target in steps:
        migrate.downgrade(engine, target)
        assert _counts(engine, KEPT) == before, target
        migrate.upgrade(engine)
        assert _counts(engine, KEPT) == before, target
    # 0021's tables came back empty; the converted lead stayed converted, and they work again
    assert _counts(engine, NEW_IN_0021) == dict.fromkeys(NEW_IN_0021, 0)
    with sessions() as s:
        assert s.scalars(select(Lead.status)).one() is LeadStatus.CONVERTED
        # the won deal's won time was filled again from its stage history (0021)
        won = s.scalars(select(Opportunity).where(Opportunity.stage == S.CLOSED_WON)).one()
        moved = select(func.max(StageChange.changed_at)).where(
            StageChange.opportunity_id == won.id, StageChange.to_stage == S.CLOSED_WON
        )
        assert won.won_at is not None and won.won_at == s.scalars(moved).one()
        trial = s.scalars(select(Opportunity.stage).where(Opportunity.name == "On trial"))
        assert trial.one() == S.PROPOSAL  # 0027's downgrade moved it; the upgrade kept it
    plan = [InstalmentRequest(date(2026, 7, 1))]
    set_payment_plan(sessions, number, plan)
    assert len(show_order(sessions, number).payment_plan or ()) == 1
