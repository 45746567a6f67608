"""What every sales writer checks one way: a quote's contact like an opportunity's (it works
for the account and the user may read it; the services are SQLite's only guard), an
opportunity's amount and its stage history (both engines)."""

from __future__ import annotations

from dataclasses import replace
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Contact, Opportunity
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import OpportunityStage
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.users import find_user
from agentdesk.sales import lead_convert, opportunities, opportunity_edit
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.opportunities import update_opportunity
from agentdesk.sales.opportunity_edit import OpportunityForm, opportunity_detail, save_opportunity
from agentdesk.sales.quotes import QuoteRequest, create_quote, revise_quote
from tests.ui.sales_support import MANAGER, REP, sales_org


@pytest.fixture
def people(sessions: sessionmaker[Session], tmp_path: Path) -> dict[str, str]:
    """Two of Acme's people: the rep's and the manager's (which the rep may not read)."""
    sales_org(sessions, tmp_path)
    with unit_of_work(sessions) as s:
        acme = s.scalars(select(Account.id).where(Account.name == "Acme")).one()
        mine = Contact(first_name="Ada", last_name="Lovelace", account_id=acme)
        mine.owner_id = find_user(s, REP).id
        theirs = Contact(first_name="Grace", last_name="Hopper", account_id=acme)
        theirs.owner_id = find_user(s, MANAGER).id
        other = Account(name="Other", owner_id=find_user(s, REP).id)
        s.add_all([mine, theirs, other])
        s.flush()
        elsewhere = Contact(first_name="Alan", last_name="Turing", account_id=other.id)
        elsewhere.owner_id = mine.owner_id
        s.add(elsewhere)
        s.flush()
        return {"mine": str(mine.id), "theirs": str(theirs.id), "elsewhere": str(elsewhere.id)}


def test_a_quote_takes_only_a_contact_the_user_reads(
    sessions: sessionmaker[Session], people: dict[str, str]
) -> None:
    lines = [LineRequest("A", Decimal(1))]
    with pytest.raises(AccessDeniedError):
        create_quote(sessions, QuoteRequest("Acme", lines, contact=people["theirs"]), actor=REP)
    with pytest.raises(RequestError, match="another account"):
        create_quote(sessions, QuoteRequest("Acme", lines, contact=people["elsewhere"]), actor=REP)
    with pytest.raises(RequestError, match="no contact"):
        create_quote(sessions, QuoteRequest("Acme", lines, contact="nobody"), actor=REP)
    quote = create_quote(sessions, QuoteRequest("Acme", lines, contact=people["mine"]), actor=REP)
    with pytest.raises(AccessDeniedError):  # revise_quote checks the same way
        revise_quote(sessions, quote.number, lines, contact=people["theirs"], actor=REP)
    revised = revise_quote(sessions, quote.number, lines, contact=None, actor=REP)
    assert revised.number == quote.number


def test_every_writer_keeps_an_amount_and_a_stage_move_one_way(
    sessions: sessionmaker[Session], people: dict[str, str]
) -> None:
    """One amount rule (exact, not negative) and one stage-history writer for the CLI's
    create and set, the editor's save and a lead's conversion."""
    assert lead_convert.opportunity_amount is opportunities.opportunity_amount
    assert opportunity_edit.opportunity_amount is opportunities.opportunity_amount
    assert opportunity_edit.record_stage_change is opportunities.record_stage_change
    assert lead_convert.record_stage_change is opportunities.record_stage_change
    with sessions() as s:
        phones = s.scalars(select(Opportunity.id).where(Opportunity.name == "Acme phones")).one()
    with pytest.raises(RequestError, match="not negative"):
        update_opportunity(sessions, phones, amount=Decimal("-1"), actor=REP)
    base = opportunity_detail(sessions, phones, actor=REP)
    assert base.account_id is not None and base.close_date is not None
    form = OpportunityForm(
        name=base.name,
        account_id=base.account_id,
        stage=OpportunityStage.PROPOSAL,
        close=base.close_date,
        amount=Decimal("-0.01"),
    )
    with pytest.raises(RequestError, match="not negative"):
        save_opportunity(sessions, phones, base.version, form, actor=REP)
    with pytest.raises(RequestError, match="decimals"):  # exact in the minor unit
        save_opportunity(
            sessions, phones, base.version, replace(form, amount=Decimal("12.345")), actor=REP
        )
    moved = save_opportunity(
        sessions, phones, base.version, replace(form, amount=Decimal("12.3")), actor=REP
    )
    assert moved.amount == Decimal("12.30")
    assert [(m.from_stage, m.to_stage, m.who) for m in moved.history][-1] == (
        OpportunityStage.PROSPECTING,
        OpportunityStage.PROPOSAL,
        REP,
    )
