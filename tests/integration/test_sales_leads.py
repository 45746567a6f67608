"""Leads on both engines: the list's filters, assigning (one, a selection, round-robin over a
team), converting (one, a batch, once only, also under a race) and disqualifying, each checked
against the role; and the ``lead`` commands."""

from __future__ import annotations

import json
import threading
import uuid
from datetime import UTC, date, datetime
from decimal import Decimal

import pytest
from sqlalchemy import func, select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.models import Account, Contact, Lead, Opportunity, PhoneRecord
from agentdesk.db.engine import unit_of_work
from agentdesk.db.errors import RequestError
from agentdesk.domain.enums import LeadStatus
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user
from agentdesk.org.users import find_user
from agentdesk.sales.lead_convert import ConvertOptions, LeadConvertedError, convert_leads
from agentdesk.sales.leads import (
    LeadFilter,
    assign_leads,
    assign_round_robin,
    disqualify_lead,
    list_leads,
)
from agentdesk.sales.models import LeadConversion, StageChange

USERS = {
    "lead.rep1": ("sales_rep", "Inside"),
    "lead.rep2": ("sales_rep", "Inside"),
    "lead.rep3": ("sales_rep", "Inside"),
    "lead.mgr": ("sales_manager", "Sales"),
}


def _lead(s: Session, first: str, owner: str | None = None, **kw: object) -> uuid.UUID:
    owner_id = find_user(s, owner).id if owner else None
    lead = Lead(first_name=first, last_name="Lee", owner_id=owner_id, **kw)
    s.add(lead)
    s.flush()
    return lead.id


@pytest.fixture
def leads(sessions: sessionmaker[Session]) -> dict[str, uuid.UUID]:
    add_team(sessions, "Sales")
    add_team(sessions, "Inside", parent="Sales")
    for name, (role, team) in USERS.items():
        add_user(sessions, name, name=name, role=role, team=team)
    at = datetime(2026, 3, 10, 9, 0, tzinfo=UTC)
    with unit_of_work(sessions) as s:
        made = {
            "ann": _lead(s, "Ann", "lead.rep1", company="Acme Ltd", source="web", created_at=at),
            "bob": _lead(s, "Bob", "lead.rep1", source="fair", email="bob@example.com"),
            "cai": _lead(s, "Cai", "lead.rep2", company="Cathay", source="web"),
            "dan": _lead(s, "Dan", None, source="web", status=LeadStatus.CONTACTED),
            "eve": _lead(s, "Eve", None, source="fair"),
        }
        s.add(PhoneRecord(raw="+8613800138000", e164="+8613800138000", lead_id=made["ann"]))
    return made


def _names(sessions: sessionmaker[Session], filters: LeadFilter, actor: str | None = None) -> set:
    return {view.name.split()[0] for view in list_leads(sessions, filters, actor=actor)}


def test_the_list_filters_and_a_rep_sees_own_leads_and_the_pool(
    sessions: sessionmaker[Session], leads: dict[str, uuid.UUID]
) -> None:
    assert _names(sessions, LeadFilter()) == {"Ann", "Bob", "Cai", "Dan", "Eve"}
    assert _names(sessions, LeadFilter(status=LeadStatus.CONTACTED)) == {"Dan"}
    assert _names(sessions, LeadFilter(owner="lead.rep1")) == {"Ann", "Bob"}
    assert _names(sessions, LeadFilter(owner="-")) == {"Dan", "Eve"}
    assert _names(sessions, LeadFilter(source="WEB")) == {"Ann", "Cai", "Dan"}
    assert _names(sessions, LeadFilter(text="cath")) == {"Cai"}
    assert _names(sessions, LeadFilter(text="EXAMPLE.com")) == {"Bob"}
    march = LeadFilter(created_from=date(2026, 3, 10), created_to=date(2026, 3, 10))
    assert _names(sessions, march) == {"Ann"}
    assert _names(sessions, LeadFilter(created_to=date(2026, 3, 9))) == set()
    assert _names(sessions, LeadFilter(), "lead.rep1") == {"Ann", "Bob", "Dan", "Eve"}
    assert _names(sessions, LeadFilter(), "lead.mgr") == {"Ann", "Bob", "Cai", "Dan", "Eve"}


def _owners(sessions: sessionmaker[Session]) -> dict[str, str | None]:
    with sessions() as s:
        rows = s.execute(select(Lead.first_name, Lead.owner_id))
        names = {u: find_user(s, u).id for u in USERS}
        back = {v: k for k, v in names.items()}
        return {first: back.get(owner) for first, owner in rows}


def test_assign_one_a_selection_and_round_robin_over_a_team(
    sessions: sessionmaker[Session], leads: dict[str, uuid.UUID]
) -> None:
    assign_leads(sessions, [leads["dan"]], "lead.rep2", actor="lead.mgr")
    assert _owners(sessions)["Dan"] == "lead.rep2"
    # rep1 has 2 open leads, rep2 now 2, rep3 none: the round starts with rep3
    given = assign_round_robin(sessions, [leads["eve"], leads["bob"], leads["cai"]], "Inside")
    assert list(given.values()) == ["lead.rep3", "lead.rep1", "lead.rep2"]
    owners = _owners(sessions)
    assert (owners["Eve"], owners["Bob"], owners["Cai"]) == ("lead.rep3", "lead.rep1", "lead.rep2")
    # a rep may not give a lead away (no reassign), and the refusal changes nothing
    with pytest.raises(AccessDeniedError):
        assign_leads(sessions, [leads["ann"]], "lead.rep2", actor="lead.rep1")
    with pytest.raises(AccessDeniedError):
        assign_round_robin(sessions, [leads["ann"], leads["bob"]], "Inside", actor="lead.rep1")
    assert _owners(sessions)["Ann"] == "lead.rep1"
    with pytest.raises(RequestError, match="no team"):
        assign_round_robin(sessions, [leads["ann"]], "Nowhere")


def test_convert_makes_account_contact_and_opportunity_and_keeps_the_links(
    sessions: sessionmaker[Session], leads: dict[str, uuid.UUID]
) -> None:
    options = ConvertOptions(amount=Decimal("1234.5"), close=date(2026, 9, 30))
    (done,) = convert_leads(sessions, [leads["ann"]], options, actor="lead.rep1")
    with sessions() as s:
        account = s.get_one(Account, done.account_id)
        contact = s.get_one(Contact, done.contact_id)
        opportunity = s.get_one(Opportunity, done.opportunity_id)
        lead = s.get_one(Lead, leads["ann"])
        assert (account.name, account.owner_id) == ("Acme Ltd", lead.owner_id)
        assert (contact.first_name, contact.account_id) == ("Ann", account.id)
        assert (opportunity.amount, opportunity.close_date) == (
            Decimal("1234.50"),
            date(2026, 9, 30),
        )
        assert (opportunity.account_id, opportunity.contact_id) == (account.id, contact.id)
        assert lead.status is LeadStatus.CONVERTED
        assert s.get_one(LeadConversion, lead.id).opportunity_id == opportunity.id
        number = s.scalars(select(PhoneRecord)).one()
        assert (number.contact_id, number.lead_id) == (contact.id, None)
        history = s.scalars(select(StageChange.to_stage).where(
            StageChange.opportunity_id == opportunity.id)).all()  # fmt: skip
        assert list(history) == ["prospecting"]
    (view,) = list_leads(sessions, LeadFilter(text="Ann"))
    assert view.converted["opportunity_id"] == str(done.opportunity_id)
    with pytest.raises(LeadConvertedError):
        convert_leads(sessions, [leads["ann"]])
    with pytest.raises(AccessDeniedError):  # another rep's lead
        convert_leads(sessions, [leads["cai"]], actor="lead.rep1")


def _count(sessions: sessionmaker[Session], model: type) -> int:
    with sessions() as s:
        return s.scalar(select(func.count()).select_from(model)) or 0


def test_a_batch_converts_all_or_none_and_disqualified_leads_stay_out(
    sessions: sessionmaker[Session], leads: dict[str, uuid.UUID]
) -> None:
    dropped = disqualify_lead(sessions, leads["eve"], "  no budget ", actor="lead.mgr")
    assert (dropped.status, dropped.disqualified_reason) == ("disqualified", "no budget")
    with pytest.raises(RequestError, match="reason"):
        disqualify_lead(sessions, leads["dan"], " ")
    with pytest.raises(RequestError, match="disqualified"):
        convert_leads(sessions, [leads["dan"], leads["eve"]])
    assert _count(sessions, Account) == _count(sessions, LeadConversion) == 0
    done = convert_leads(sessions, [leads["dan"], leads["bob"]], ConvertOptions(account=None))
    assert [c.lead_id for c in done] == [leads["dan"], leads["bob"]]
    assert _count(sessions, Opportunity) == 2 and _count(sessions, LeadConversion) == 2
    with pytest.raises(RequestError, match="converted"):
        disqualify_lead(sessions, leads["dan"], "too late")
    # joining an existing account instead of making one
    joining = ConvertOptions(account=str(done[1].account_id))
    (joined,) = convert_leads(sessions, [leads["cai"]], joining)
    assert joined.account_id == done[1].account_id and _count(sessions, Account) == 2


def test_two_desks_converting_one_lead_at_once_make_one_conversion(
    sessions: sessionmaker[Session], leads: dict[str, uuid.UUID]
) -> None:
    barrier = threading.Barrier(4)
    outcomes: list[str] = []

    def convert() -> None:
        barrier.wait()
        try:
            convert_leads(sessions, [leads["dan"]])
            outcomes.append("converted")
        except LeadConvertedError:
            outcomes.append("refused")

    threads = [threading.Thread(target=convert) for _ in range(4)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert sorted(outcomes) == ["converted", "refused", "refused", "refused"]
    assert _count(sessions, LeadConversion) == _count(sessions, Opportunity) == 1
    assert _count(sessions, Account) == _count(sessions, Contact) == 1


def run(capsys: pytest.CaptureFixture[str], *argv: str) -> tuple[int, str, str]:
    code = main(list(argv))
    out, err = capsys.readouterr()
    return code, out, err


def test_the_lead_commands(
    capsys: pytest.CaptureFixture[str],
    db_url: str,
    sessions: sessionmaker[Session],
    leads: dict[str, uuid.UUID],
) -> None:
    code, out, _ = run(capsys, "lead", "list", "--source", "web", "--json", "--db", db_url)
    assert code == 0
    listed = json.loads(out)["leads"]
    assert {row["name"].split()[0] for row in listed} == {"Ann", "Cai", "Dan"}
    assert set(listed[0]) >= {"id", "name", "company", "status", "owner", "converted"}
    ids = [str(leads["dan"]), str(leads["eve"])]
    code, out, _ = run(capsys, "lead", "assign", *ids, "--round-robin", "Inside", "--json",
                       "--db", db_url)  # fmt: skip
    assert code == 0 and set(json.loads(out)["assigned"]) == set(ids)
    code, out, _ = run(capsys, "lead", "convert", str(leads["dan"]), "--json", "--db", db_url)
    (made,) = json.loads(out)["converted"]
    assert code == 0 and set(made) == {"lead_id", "account_id", "contact_id", "opportunity_id"}
    code, _, err = run(capsys, "lead", "convert", str(leads["dan"]), "--db", db_url)
    assert code == 2 and "converted already" in err
    code, out, _ = run(capsys, "lead", "disqualify", str(leads["eve"]), "--reason", "spam",
                       "--db", db_url)  # fmt: skip
    assert code == 0 and "disqualified" in out
    code, _, err = run(capsys, "lead", "disqualify", "nope", "--reason", "x", "--db", db_url)
    assert code == 2 and "not a lead id" in err
    code, out, _ = run(capsys, "lead", "list", "--status", "converted", "--db", db_url)
    assert code == 0 and "Dan" in out
