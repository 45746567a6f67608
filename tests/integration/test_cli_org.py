"""The organisation commands on both engines: users, teams, roles, dispositions, campaign
assignment and the ownership operations; JSON output, exit codes and clear messages."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.cli.main import main
from agentdesk.crm.models import Account, Contact
from agentdesk.db.audit import AuditEntry
from agentdesk.domain.names import text_width
from agentdesk.org.models import User


def run(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> tuple[int, str, str]:
    code = main(["--db", db_url, *argv])
    out, err = capsys.readouterr()
    return code, out, err


def run_json(capsys: pytest.CaptureFixture[str], db_url: str, *argv: str) -> object:
    code, out, err = run(capsys, db_url, *argv, "--json")
    assert code == 0, err
    return json.loads(out)


def test_users_and_teams(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    assert run_json(capsys, db_url, "team", "add", "Sales") == {
        "name": "Sales", "parent": None, "members": 0,
    }  # fmt: skip
    run_json(capsys, db_url, "team", "add", "Sales East", "--parent", "Sales")
    added = run_json(
        capsys, db_url, "user", "add", "li.na", "--name", "李娜", "--role", "sales_rep",
        "--team", "Sales East", "--extension", "2001", "--email", "li.na@example.cn",
    )  # fmt: skip
    assert added == {
        "username": "li.na", "name": "李娜", "role": "sales_rep", "team": "Sales East",
        "email": "li.na@example.cn", "extension": "2001", "active": True,
    }  # fmt: skip
    run_json(capsys, db_url, "user", "add", "wang", "--name", "王经理", "--role",
             "sales_manager", "--team", "Sales")  # fmt: skip
    changed = run_json(capsys, db_url, "user", "set", "li.na", "--active", "false", "--team", "")
    assert changed["active"] is False and changed["team"] is None  # type: ignore[index]
    users = run_json(capsys, db_url, "user", "list")
    assert [u["username"] for u in users] == ["li.na", "wang"]  # type: ignore[union-attr, index]
    teams = run_json(capsys, db_url, "team", "list")
    assert teams == [
        {"name": "Sales", "parent": None, "members": 1},
        {"name": "Sales East", "parent": "Sales", "members": 0},
    ]
    code, out, _ = run(capsys, db_url, "user", "list")
    # Chinese names take two columns each: the role column starts at one place on every line.
    roles = ("role", "sales_rep", "sales_manager")
    lines = zip(out.splitlines(), roles, strict=True)
    starts = {text_width(line[: line.index(role)]) for line, role in lines}
    assert len(starts) == 1
    assert code == 0 and out.splitlines()[0].split() == [
        "username", "name", "role", "team", "email", "extension", "active",
    ]  # fmt: skip


@pytest.mark.parametrize(
    ("argv", "message"),
    [
        (("user", "add", "x", "--name", "X", "--role", "boss"), "unknown role 'boss'"),
        (("user", "add", "Bad Name", "--name", "X", "--role", "agent"), "username 'Bad Name'"),
        (("user", "add", "agentdesk_x", "--name", "X", "--role", "agent"), "not pg_ or agentdesk_"),
        (("user", "add", "x", "--name", "X", "--role", "agent", "--team", "Nope"), "no team"),
        (("user", "add", "x", "--name", "X", "--role", "agent", "--email", "no"), "e-mail"),
        (("user", "set", "nobody", "--role", "agent"), "no user named 'nobody'"),
        (("team", "add", "Sales", "--parent", "Nope"), "no team named 'Nope'"),
        (("role", "set", "agent", "contacts", "read", "everything"), "unknown depth"),
        (("role", "set", "agent", "planets", "read", "all"), "unknown recordkind"),
        (("role", "grant", "agent", "fly"), "unknown capability 'fly'"),
        (("disposition", "add", "Bad Code", "--label", "x"), "disposition code"),
        (("assign", "contacts", "--to", "nobody", "--id", "nope"), "not a record id"),
        (
            ("assign", "planets", "--to", "x", "--id", "01234567-89ab-cdef-0123-456789abcdef"),
            "have no owner",
        ),
        (("transfer", "--from", "a", "--to", "b"), "no active user named 'a'"),
        (("campaign", "assign", "Nope", "--agent", "x"), "no campaign named 'Nope'"),
    ],
)
def test_bad_input_exits_2_with_a_clear_message(
    capsys: pytest.CaptureFixture[str], db_url: str, argv: tuple[str, ...], message: str
) -> None:
    code, out, err = run(capsys, db_url, *argv)
    assert code == 2 and out == ""
    assert message in err and "Traceback" not in err


def test_a_duplicate_user_or_team_is_refused(
    capsys: pytest.CaptureFixture[str], db_url: str
) -> None:
    run_json(capsys, db_url, "team", "add", "Support")
    code, _, err = run(capsys, db_url, "team", "add", "Support")
    assert code == 2 and "exists already" in err
    run_json(capsys, db_url, "user", "add", "ann", "--name", "Ann", "--role", "agent")
    code, _, err = run(capsys, db_url, "user", "add", "ann", "--name", "Ann", "--role", "agent")
    assert code == 2 and "exists already" in err


def test_roles_and_dispositions(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    rep = run_json(capsys, db_url, "role", "show", "sales_rep")
    assert rep["permissions"]["contacts"] == {  # type: ignore[index]
        "read": "own", "create": "own", "update": "own", "delete": "own",
    }  # fmt: skip
    assert "export" not in rep["capabilities"]  # type: ignore[index]
    after = run_json(capsys, db_url, "role", "set", "sales_rep", "leads", "read", "team")
    assert after["permissions"]["leads"]["read"] == "team"  # type: ignore[index]
    granted = run_json(capsys, db_url, "role", "grant", "sales_rep", "export")
    assert "export" in granted["capabilities"]  # type: ignore[index]
    revoked = run_json(capsys, db_url, "role", "revoke", "sales_rep", "export")
    assert "export" not in revoked["capabilities"]  # type: ignore[index]
    added = run_json(capsys, db_url, "disposition", "add", "promised", "--label",
                     "Promised to pay", "--label-zh", "承诺付款", "--success")  # fmt: skip
    assert added["label_zh"] == "承诺付款" and added["contact"] is True  # type: ignore[index]
    listed = run_json(capsys, db_url, "disposition", "list")
    assert listed[-1]["code"] == "promised"  # type: ignore[index]


def test_campaign_assignment(capsys: pytest.CaptureFixture[str], db_url: str) -> None:
    run_json(capsys, db_url, "team", "add", "Outbound")
    run_json(capsys, db_url, "user", "add", "ann", "--name", "Ann", "--role", "agent")
    run_json(capsys, db_url, "campaign", "create", "Spring")
    now = run_json(capsys, db_url, "campaign", "assign", "Spring", "--agent", "ann",
                   "--team", "Outbound")  # fmt: skip
    assert now == {"campaign": "Spring", "agents": ["ann"], "teams": ["Outbound"],
                   "open_to_all": False}  # fmt: skip
    now = run_json(capsys, db_url, "campaign", "unassign", "Spring", "--agent", "ann")
    assert now["agents"] == [] and now["teams"] == ["Outbound"]  # type: ignore[index]


def test_ownership_commands_are_audited(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    for name in ("ann", "bob"):
        run_json(capsys, db_url, "user", "add", name, "--name", name, "--role", "sales_rep")
    with sessions.begin() as s:
        contacts = [Contact(first_name=f"C{i}") for i in range(3)]
        s.add_all(contacts)
    ids = [str(c.id) for c in contacts]
    assert run_json(capsys, db_url, "assign", "contacts", "--to", "ann", "--id", *ids) == {
        "assigned": 3, "to": "ann",
    }  # fmt: skip
    shared = run_json(capsys, db_url, "share", "contacts", ids[0], "--with", "bob", "--write")
    assert shared == {"shared": ids[0], "with": "bob", "write": True}
    moved = run_json(capsys, db_url, "transfer", "--from", "ann", "--to", "bob")
    assert moved == {"moved": {"contacts": 3}}
    with sessions() as s:
        bob = s.scalars(select(User.id).where(User.username == "bob")).one()
        assert set(s.scalars(select(Contact.owner_id))) == {bob}
        actions = sorted(
            (a.action.value, a.entity_kind)
            for a in s.scalars(select(AuditEntry).where(AuditEntry.entity_kind == "contacts"))
        )
    assert actions == [("assign", "contacts")] * 3 + [
        ("share", "contacts"),
        ("transfer", "contacts"),
    ]


def test_a_batch_update_sets_one_field_over_a_selection(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session]
) -> None:
    with sessions.begin() as s:
        contacts = [Contact(first_name=f"B{i}", city="Old") for i in range(3)]
        s.add_all(contacts)
    ids = [str(c.id) for c in contacts[:2]]
    result = run_json(
        capsys, db_url, "batch-update", "contacts", "--set", "city=上海", "--id", *ids
    )
    assert result == {"updated": 2, "field": "city", "value": "上海"}
    with sessions() as s:
        assert sorted(s.scalars(select(Contact.city))) == ["Old", "上海", "上海"]
        batch = s.scalars(select(AuditEntry).where(AuditEntry.entity_kind == "contacts")).all()
    assert len(batch) == 2 and all(entry.details["batch"] for entry in batch)
    code, _, err = run(capsys, db_url, "batch-update", "contacts", "--set", "city", "--id", ids[0])
    assert code == 2 and "FIELD=VALUE" in err
    code, _, err = run(
        capsys, db_url, "batch-update", "contacts", "--set", "owner_id=x", "--id", ids[0]
    )
    assert code == 2 and "assign" in err


def test_import_with_an_owner(
    capsys: pytest.CaptureFixture[str], db_url: str, sessions: sessionmaker[Session],
    tmp_path: Path,
) -> None:  # fmt: skip
    run_json(capsys, db_url, "user", "add", "ann", "--name", "Ann", "--role", "sales_rep")
    path = tmp_path / "people.csv"
    path.write_text("name,company,phone\n王伟,云端科技,+8613800138000\nAda,Acme,+14155550100\n")
    code, _, err = run(capsys, db_url, "import", "contacts", str(path), "--owner", "ann",
                       "--json")  # fmt: skip
    assert code == 0, err
    with sessions() as s:
        ann = s.scalars(select(User.id).where(User.username == "ann")).one()
        assert set(s.scalars(select(Contact.owner_id))) == {ann}
        assert set(s.scalars(select(Account.owner_id))) == {ann}
    code, _, err = run(capsys, db_url, "import", "contacts", str(path), "--owner", "nobody")
    assert code == 2 and "no active user 'nobody'" in err
