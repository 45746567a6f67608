"""The opportunity editor's service: a whole form saved at once with its stage history, the
version conflict, the roles, and the account / contact pickers' searches (both engines)."""

from __future__ import annotations

from datetime import date, timedelta
from decimal import Decimal
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account, Contact, Opportunity, PhoneRecord
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError, StaleRecordError
from agentdesk.domain.enums import OpportunityStage
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.users import find_user
from agentdesk.sales.documents import LineRequest
from agentdesk.sales.opportunity_edit import (
    OpportunityForm,
    editor_stages,
    opportunity_detail,
    preview_lines,
    save_opportunity,
)
from agentdesk.sales.opportunity_parties import search_accounts, search_contacts
from tests.ui.sales_support import AGENT, MANAGER, REP, sales_org

STAGE = OpportunityStage


@pytest.fixture
def org(sessions: sessionmaker[Session], tmp_path: Path) -> sessionmaker[Session]:
    sales_org(sessions, tmp_path)
    with unit_of_work(sessions) as s:
        rep = find_user(s, REP).id
        acme = s.scalars(select(Account).where(Account.name == "Acme")).one()
        wang = Contact(first_name="小明", last_name="王", account_id=acme.id, owner_id=rep)
        ada = Contact(first_name="Ada", last_name="Lovelace", account_id=acme.id, owner_id=rep)
        s.add_all([wang, ada, Account(name="北京星辰科技有限公司", owner_id=rep)])
        s.flush()
        s.add(PhoneRecord(raw="138 0013 8000", e164="+8613800138000", contact_id=wang.id))
    return sessions


def ids(sessions: sessionmaker[Session]) -> dict[str, object]:
    with sessions() as s:
        found: dict[str, object] = {
            name: opp_id for opp_id, name in s.execute(select(Opportunity.id, Opportunity.name))
        }
        found["Acme"] = s.scalars(select(Account.id).where(Account.name == "Acme")).one()
        found["王小明"] = s.scalars(select(Contact.id).where(Contact.last_name == "王")).one()
        return found


def test_a_whole_form_is_saved_with_its_stage_history(org: sessionmaker[Session]) -> None:
    known = ids(org)
    phones = known["Acme phones"]
    assert isinstance(phones, type(known["Acme"]))
    before = opportunity_detail(org, phones, actor=REP)  # type: ignore[arg-type]
    assert before.editable and before.probability == 10 and before.next_step is None
    assert [(m.from_stage, m.to_stage, m.who) for m in before.history] == [
        (None, STAGE.PROSPECTING, REP)
    ]
    form = OpportunityForm(
        name="Acme phones, 2nd floor",
        account_id=known["Acme"],  # type: ignore[arg-type]
        contact_id=known["王小明"],  # type: ignore[arg-type]
        stage=STAGE.PROPOSAL,
        close=date.today() + timedelta(days=45),
        lines=(LineRequest("A", Decimal(3)), LineRequest("B", Decimal(2), Decimal(10))),
        prices=(None, Decimal("2400.50")),  # B at the rep's price, A at the standard one
        probability=35,
        next_step="Send the quote on Monday",
    )
    after = save_opportunity(org, before.id, before.version, form, actor=REP)
    # 3 × 100 + 2 × 2400.50 less 10 % (4320.90): each line's net rounded once
    assert after.amount == Decimal("4620.90")
    assert [(line.code, line.unit_price, line.net) for line in after.lines] == [
        ("A", Decimal("100.00"), Decimal("300.00")),
        ("B", Decimal("2400.50"), Decimal("4320.90")),
    ]
    preview = preview_lines(org, "CNY", form.lines, form.prices)
    assert [(p.name, p.net) for p in preview] == [(line.name, line.net) for line in after.lines]
    with pytest.raises(RequestError):
        preview_lines(org, "CNY", form.lines, (Decimal(-1),))
    assert after.contact == "王小明" and after.next_step == "Send the quote on Monday"
    assert after.probability == 35 and after.probability_override == 35
    assert [(m.from_stage, m.to_stage, m.who) for m in after.history][-1] == (
        STAGE.PROSPECTING,
        STAGE.PROPOSAL,
        REP,
    )
    # the form read before is stale now: refused, with the other save's values
    with pytest.raises(StaleRecordError) as stale:
        save_opportunity(org, before.id, before.version, form, actor=REP)
    assert stale.value.current["name"] == "Acme phones, 2nd floor"
    # a typed amount drops the lines; won drops the override and is 100 %
    won = OpportunityForm(
        name=after.name,
        account_id=known["Acme"],  # type: ignore[arg-type]
        stage=STAGE.CLOSED_WON,
        close=after.close_date or date.today(),
        amount=Decimal("5000"),
        probability=35,
    )
    final = save_opportunity(org, after.id, after.version, won, actor=REP)
    assert final.lines == () and final.amount == Decimal("5000.00")
    assert final.probability == 100 and final.probability_override is None
    assert final.contact is None and len(final.history) == 3


def test_the_roles_decide_who_changes_and_who_reassigns(org: sessionmaker[Session]) -> None:
    known = ids(org)
    support = opportunity_detail(org, known["Acme support"], actor=AGENT)  # type: ignore[arg-type]
    assert not support.editable  # an agent reads every opportunity, changes their own
    form = OpportunityForm(
        name=support.name,
        account_id=known["Acme"],  # type: ignore[arg-type]
        stage=support.stage,
        close=support.close_date or date.today(),
        amount=support.amount,
    )
    with pytest.raises(AccessDeniedError):
        save_opportunity(org, support.id, support.version, form, actor=AGENT)
    given = OpportunityForm(**{**_fields(form), "owner": MANAGER})
    with pytest.raises(AccessDeniedError):  # a rep may not give it away
        save_opportunity(org, support.id, support.version, given, actor=REP)
    moved = save_opportunity(org, support.id, support.version, given, actor=MANAGER)
    assert moved.owner == MANAGER
    assert [c.stage for c in editor_stages(org)] == list(STAGE)
    assert [c.fixed for c in editor_stages(org)] == [False] * 4 + [True] * 2


def _fields(form: OpportunityForm) -> dict[str, object]:
    return {name: getattr(form, name) for name in form.__dataclass_fields__}


def test_the_pickers_find_accounts_and_their_people(org: sessionmaker[Session]) -> None:
    assert [a.name for a in search_accounts(org, "星辰", actor=REP)] == ["北京星辰科技有限公司"]
    assert [a.name for a in search_accounts(org, "acm", actor=REP)] == ["Acme"]
    assert search_accounts(org, "acm", actor="s.agent") != ()  # agents read every party
    people = search_contacts(org, "Acme", "", actor=REP)
    assert sorted(p.name for p in people) == ["Ada Lovelace", "王小明"]
    assert [p.name for p in search_contacts(org, "Acme", "小明", actor=REP)] == ["王小明"]
    assert [p.name for p in search_contacts(org, "Acme", "王", actor=REP)] == ["王小明"]
    by_phone = search_contacts(org, "Acme", "0013 8000", actor=REP)
    assert [(p.name, p.detail) for p in by_phone] == [("王小明", "+8613800138000")]
    assert [p.name for p in search_contacts(org, "Acme", "love", actor=REP)] == ["Ada Lovelace"]
    assert search_contacts(org, "Acme", "nobody", actor=REP) == ()
