"""Service-level policies on both engines: ``agentdesk sla set|list|remove`` (JSON, exit 2,
audited, ``manage_users``), the policy a new case gets, its due times counted again when its
priority, category or customer changes; a PostgreSQL login that may not write them."""

from __future__ import annotations

import json
import uuid
from datetime import datetime
from zoneinfo import ZoneInfo

import pytest
from sqlalchemy import Engine, select, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.models import Account, Contact
from agentdesk.db.audit import AuditEntry
from agentdesk.db.engine import session_factory, unit_of_work
from agentdesk.domain.cases import Targets
from agentdesk.domain.enums import CasePriority
from agentdesk.org.access import AccessDeniedError
from agentdesk.org.admin import add_team, add_user
from agentdesk.service import models as service_models  # noqa: F401
from agentdesk.service.service_levels import set_policy
from tests.support.logins import give_logins, login_url

SHANGHAI = ZoneInfo("Asia/Shanghai")
HOURS = 'timezone = "Asia/Shanghai"\n' + "".join(
    f'{d} = "09:00-18:00"\n' for d in ("mon", "tue", "wed", "thu", "fri")
)
MONDAY_10 = "2026-12-07T10:00:00+08:00"


def run(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> tuple[int, str]:
    code = main(["--db", url, *argv])
    out, err = capsys.readouterr()
    return code, out if code == 0 else err


def ok(capsys: pytest.CaptureFixture[str], url: str, *argv: str) -> object:
    code, out = run(capsys, url, *argv, "--json")
    assert code == 0, out
    return json.loads(out)


def local(text: str) -> datetime:
    return datetime.fromisoformat(text).astimezone(SHANGHAI)


@pytest.fixture
def parties(sessions: sessionmaker[Session]) -> dict[str, str]:
    with unit_of_work(sessions) as s:
        acme = Account(name="Acme Trading")
        other = Account(name="Other Co")
        s.add_all([acme, other])
        s.flush()
        contact = Contact(first_name="Li", last_name="Wei", account_id=acme.id)
        s.add(contact)
        s.flush()
        return {"acme": str(acme.id), "other": str(other.id), "contact": str(contact.id)}


@pytest.fixture
def hours(db_url: str, tmp_path: object, capsys: pytest.CaptureFixture[str]) -> None:
    from pathlib import Path

    path = Path(str(tmp_path)) / "hours.toml"
    path.write_text(HOURS, encoding="utf-8")
    ok(capsys, db_url, "business-hours", "import", str(path))


def test_policies_set_listed_most_specific_first_replaced_and_removed_with_audit(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session],
    parties: dict[str, str],
) -> None:  # fmt: skip
    assert ok(capsys, db_url, "sla", "list") == []
    urgent = ok(capsys, db_url, "sla", "set", "--priority", "urgent", "--first-response", "30m",
                "--resolution", "2h")  # fmt: skip
    vip = ok(capsys, db_url, "sla", "set", "--customer", "acme trading", "--first-response",
             "15m", "--resolution", "1d")  # fmt: skip
    assert isinstance(vip, dict) and isinstance(urgent, dict)
    assert vip["customer"] == "Acme Trading" and vip["customer_id"] == parties["acme"]
    assert vip["resolution_minutes"] == 480 and urgent["first_response_minutes"] == 30
    # the same criteria again change that policy's targets, no second policy
    again = ok(capsys, db_url, "sla", "set", "--priority", "urgent", "--first-response", "45",
               "--resolution", "3h")  # fmt: skip
    assert isinstance(again, dict) and again["id"] == urgent["id"]
    listed = ok(capsys, db_url, "sla", "list")
    assert isinstance(listed, list)
    assert [p["id"] for p in listed] == [vip["id"], urgent["id"]]
    assert listed[1]["resolution_minutes"] == 180
    removed = ok(capsys, db_url, "sla", "remove", urgent["id"])
    assert isinstance(removed, dict) and removed["priority"] == "urgent"
    assert [p["id"] for p in ok(capsys, db_url, "sla", "list")] == [vip["id"]]  # type: ignore[union-attr]
    with sessions() as s:
        logged = s.execute(
            select(AuditEntry.action, AuditEntry.entity_id)
            .where(AuditEntry.entity_kind == "sla_policy")
            .order_by(AuditEntry.at, AuditEntry.id)
        ).all()
    assert [(a.value, str(i)) for a, i in logged] == [
        ("create", urgent["id"]), ("create", vip["id"]), ("update", urgent["id"]),
        ("delete", urgent["id"]),
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("set", "--first-response", "2x", "--resolution", "2h"), "not a duration"),
        (("set", "--first-response", "0m", "--resolution", "2h"), "at least one minute"),
        (("set", "--first-response", "3h", "--resolution", "2h"), "cannot be longer"),
        (("set", "--customer", "Nobody Ltd", "--first-response", "1h", "--resolution", "2h"),
         "no customer named"),
        (("set", "--customer", str(uuid.UUID(int=7)), "--first-response", "1h",
          "--resolution", "2h"), "does not exist"),
        (("remove", "nope"), "not a policy id"),
        (("remove", str(uuid.UUID(int=7))), "no service-level policy"),
    ],
)  # fmt: skip
def test_bad_input_is_exit_2_with_a_message(
    capsys: pytest.CaptureFixture[str], db_url: str, parties: dict[str, str],
    argv: tuple[str, ...], message: str,
) -> None:  # fmt: skip
    code, err = run(capsys, db_url, "sla", *argv, "--json")
    assert code == 2 and message in err


def test_a_case_gets_the_policy_that_applies_and_is_counted_again_when_it_changes(
    capsys: pytest.CaptureFixture[str], db_url: str, parties: dict[str, str], hours: None
) -> None:
    by_category = ok(capsys, db_url, "sla", "set", "--category", "Billing", "--priority",
                     "normal", "--first-response", "1h", "--resolution", "2h")  # fmt: skip
    vip = ok(capsys, db_url, "sla", "set", "--customer", parties["acme"], "--first-response",
             "30m", "--resolution", "90m")  # fmt: skip
    assert isinstance(by_category, dict) and isinstance(vip, dict)
    made = ok(capsys, db_url, "case", "create", "--contact", parties["contact"], "--subject",
              "Invoice", "--category", "billing", "--opened-at", MONDAY_10)  # fmt: skip
    assert isinstance(made, dict)
    # the contact's account is Acme: the customer's policy beats the category's
    assert made["account_id"] == parties["acme"] and made["sla_policy_id"] == vip["id"]
    assert local(made["first_response_due"]) == datetime(2026, 12, 7, 10, 30, tzinfo=SHANGHAI)
    assert local(made["resolution_due"]) == datetime(2026, 12, 7, 11, 30, tzinfo=SHANGHAI)
    number = made["number"]
    moved = ok(capsys, db_url, "case", "set", number, "--account", parties["other"])
    assert isinstance(moved, dict) and moved["sla_policy_id"] == by_category["id"]
    assert local(moved["resolution_due"]) == datetime(2026, 12, 7, 12, 0, tzinfo=SHANGHAI)
    # no policy for a low-priority billing case of that customer: the defaults (8 h / 40 h)
    low = ok(capsys, db_url, "case", "set", number, "--priority", "low")
    assert isinstance(low, dict) and low["sla_policy_id"] is None
    assert (low["first_response_minutes"], low["resolution_minutes"]) == (480, 2400)
    assert local(low["first_response_due"]) == datetime(2026, 12, 7, 18, 0, tzinfo=SHANGHAI)
    code, err = run(capsys, db_url, "case", "set", number, "--json")
    assert code == 2 and "needs --status" in err


def test_a_user_without_manage_users_may_not_set_policies(
    sessions: sessionmaker[Session], parties: dict[str, str]
) -> None:
    add_team(sessions, "Care")
    add_user(sessions, "care.ann", name="Ann", role="service_agent", team="Care")
    with pytest.raises(AccessDeniedError, match=r"care\.ann may not"):
        set_policy(sessions, priority=CasePriority.LOW, category=None, customer=None,
                   targets=Targets(60, 120), agent="care.ann")  # fmt: skip


def test_a_postgres_login_without_manage_users_is_refused_by_the_database_too(
    pg_engine: Engine, pg_database_url: str, capsys: pytest.CaptureFixture[str]
) -> None:
    sessions = session_factory(pg_engine)
    add_team(sessions, "Care")
    users = {"svc.ann": ("service_agent", "Care"), "svc.admin": ("admin", "Care")}
    for name, (role, team) in users.items():
        add_user(sessions, name, name=name, role=role, team=team)
    give_logins(sessions, users)
    ann, admin = (login_url(pg_database_url, u) for u in users)
    code, err = run(capsys, ann, "sla", "set", "--first-response", "1h", "--resolution", "2h")
    assert code == 2 and "svc.ann may not" in err
    made = ok(capsys, admin, "sla", "set", "--priority", "high", "--first-response", "1h",
              "--resolution", "2h")  # fmt: skip
    assert isinstance(made, dict)
    from tests.support.logins import login_engine

    engine = login_engine(pg_database_url, "svc.ann")
    try:
        with engine.begin() as conn:
            # every desk reads the policies; the database itself refuses a change
            assert conn.execute(text("SELECT count(*) FROM service_sla_policies")).scalar_one() == 1
            changed = conn.execute(text("UPDATE service_sla_policies SET resolution_minutes = 1"))
            assert changed.rowcount == 0
            assert conn.execute(text("DELETE FROM service_sla_policies")).rowcount == 0
        with engine.begin() as conn, pytest.raises(Exception, match="row-level"):
            conn.execute(text(
                "INSERT INTO service_sla_policies (id, match_key, first_response_minutes, "
                "resolution_minutes, created_at, updated_at) "
                "VALUES (gen_random_uuid(), 'x', 1, 2, now(), now())"
            ))  # fmt: skip
    finally:
        engine.dispose()
    assert ok(capsys, ann, "sla", "list") == [made]


def test_a_policy_added_meanwhile_is_a_clear_refusal(
    sessions: sessionmaker[Session], monkeypatch: pytest.MonkeyPatch
) -> None:
    from sqlalchemy import false

    from agentdesk.db.errors import RequestError
    from agentdesk.service import service_levels

    first = set_policy(sessions, priority=CasePriority.LOW, category=None, customer=None,
                       targets=Targets(60, 120), agent=None)  # fmt: skip
    real = service_levels.select
    # the second admin's look-up ran before the first's insert committed: it found nothing
    monkeypatch.setattr(service_levels, "select", lambda *a: real(*a).where(false()))
    with pytest.raises(RequestError, match="added meanwhile"):
        set_policy(sessions, priority=CasePriority.LOW, category=None, customer=None,
                   targets=Targets(30, 90), agent=None)  # fmt: skip
    monkeypatch.undo()
    (kept,) = service_levels.list_policies(sessions)
    assert kept.id == first.id and kept.resolution_minutes == 120


def test_a_case_a_wrap_up_opens_gets_the_policy_of_its_customer(
    sessions: sessionmaker[Session], parties: dict[str, str]
) -> None:
    from agentdesk.crm.models import ServiceCase
    from agentdesk.service.cases import number_new_case

    vip = set_policy(sessions, priority=None, category=None, customer="Acme Trading",
                     targets=Targets(15, 45), agent=None)  # fmt: skip
    opened = datetime(2026, 12, 7, 10, 0, tzinfo=SHANGHAI)
    with unit_of_work(sessions) as s:  # as calls/wrapup.py opens one
        case = ServiceCase(subject="From a call", priority=CasePriority.HIGH,
                           account_id=uuid.UUID(parties["acme"]), opened_at=opened)  # fmt: skip
        s.add(case)
        number_new_case(s, case, "Asia/Shanghai")
    assert case.sla_policy_id == vip.id
    assert (case.first_response_minutes, case.resolution_minutes) == (15, 45)
    assert case.due_at == datetime(2026, 12, 7, 10, 45, tzinfo=SHANGHAI)
