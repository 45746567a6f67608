"""Contact CSV import on SQLite and PostgreSQL: every rule of the importer."""

from __future__ import annotations

import codecs
import csv
import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.importing import existing
from agentdesk.crm.importing.csv_encoding import ImportFileError
from agentdesk.crm.importing.importer import ImportResult, import_contacts
from agentdesk.crm.importing.names import split_full_name
from agentdesk.crm.importing.rejects import reject_path_for
from agentdesk.crm.models import Account, Contact, PhoneRecord
from agentdesk.db.audit import AuditEntry
from agentdesk.db.base import SharedRecord
from agentdesk.domain.enums import AuditAction, PhoneKind

HEADER = ["First Name", "Last Name", "Company", "Phone", "Email", "Country", "Notes"]


@pytest.fixture
def csv_dir(tmp_path: Path) -> Path:
    """Where the test files go: apart from the SQLite database, so listings show only ours."""
    path = tmp_path / "files"
    path.mkdir()
    return path


def write_csv(
    path: Path,
    rows: list[list[str]],
    *,
    header: list[str] | None = None,
    delimiter: str = ",",
    encoding: str = "utf-8",
) -> Path:
    with path.open("w", encoding=encoding, newline="") as fh:
        writer = csv.writer(fh, delimiter=delimiter)
        writer.writerow(HEADER if header is None else header)
        writer.writerows(rows)
    return path


def run(sessions: sessionmaker[Session], path: Path, **kwargs: Any) -> ImportResult:
    kwargs.setdefault("default_region", "US")
    return import_contacts(sessions, path, **kwargs)


def contacts(sessions: sessionmaker[Session]) -> list[Contact]:
    with sessions() as s:
        return list(s.scalars(select(Contact).order_by(Contact.id)))


def accounts(sessions: sessionmaker[Session]) -> list[Account]:
    with sessions() as s:
        return list(s.scalars(select(Account).order_by(Account.id)))


def phones(sessions: sessionmaker[Session]) -> list[PhoneRecord]:
    with sessions() as s:
        return list(s.scalars(select(PhoneRecord).order_by(PhoneRecord.id)))


def count(sessions: sessionmaker[Session], model: type[Any]) -> int:
    with sessions() as s:
        return int(s.scalar(select(func.count()).select_from(model)) or 0)


def by_last_name(sessions: sessionmaker[Session]) -> dict[str | None, Contact]:
    return {c.last_name: c for c in contacts(sessions)}


def numbers_of(sessions: sessionmaker[Session], **owner: uuid.UUID) -> list[str]:
    ((column, value),) = owner.items()
    with sessions() as s:
        query = select(PhoneRecord.e164).where(getattr(PhoneRecord, column) == value)
        return sorted(s.scalars(query))


def add(sessions: sessionmaker[Session], *objects: Any) -> None:
    with sessions() as s, s.begin():
        s.add_all(objects)


# --- the happy path --------------------------------------------------------------------------


def test_imports_people_companies_and_numbers(
    sessions: sessionmaker[Session], csv_dir: Path
) -> None:
    path = write_csv(
        csv_dir / "contacts.csv",
        [
            ["John", "Smith", "Acme Corp", "(202) 555-0147", "john@acme.test", "", "VIP"],
            ["Mary", "Jones", "ACME CORP ", "", "mary@acme.test", "", ""],
            ["", "", "Globex", "+44 20 7946 0018", "", "UK", "switchboard"],
            ["Li", "Wang", "", "138 0013 8000", "", "中国", ""],
        ],
    )
    before = datetime.now(UTC)
    result = run(sessions, path, actor="alice")

    assert (result.imported, result.duplicates, result.rejected) == (4, 0, ())
    assert result.accounts_created == 2
    assert result.reject_file is None
    assert not reject_path_for(path).exists()

    people = by_last_name(sessions)
    assert set(people) == {"Smith", "Jones", "Wang"}
    acme = {a.name: a for a in accounts(sessions)}
    assert set(acme) == {"Acme Corp", "Globex"}
    assert people["Smith"].account_id == people["Jones"].account_id == acme["Acme Corp"].id
    assert people["Smith"].email == "john@acme.test"
    assert people["Smith"].notes == "VIP"
    assert people["Wang"].account_id is None
    assert people["Wang"].country == "CN"
    assert people["Jones"].country is None
    records: list[SharedRecord] = [*contacts(sessions), *accounts(sessions), *phones(sessions)]
    for record in records:
        assert record.version == 1
        assert record.deleted_at is None
        assert record.created_at.tzinfo is not None and record.created_at >= before
        assert isinstance(record.id, uuid.UUID) and record.id.version == 7

    assert numbers_of(sessions, contact_id=people["Smith"].id) == ["+12025550147"]
    assert numbers_of(sessions, contact_id=people["Jones"].id) == []
    assert numbers_of(sessions, contact_id=people["Wang"].id) == ["+8613800138000"]
    assert numbers_of(sessions, account_id=acme["Globex"].id) == ["+442079460018"]
    assert acme["Globex"].country == "GB" and acme["Globex"].notes == "switchboard"
    smith_phone = next(p for p in phones(sessions) if p.contact_id == people["Smith"].id)
    assert (smith_phone.raw, smith_phone.kind) == ("(202) 555-0147", PhoneKind.WORK)

    with sessions() as s:
        (audit,) = s.scalars(select(AuditEntry)).all()
    assert audit.action == AuditAction.IMPORT
    assert audit.entity_kind == "contact"
    assert audit.actor == "alice"
    assert audit.details is not None
    assert audit.details["file"] == "contacts.csv"
    assert {k: audit.details[k] for k in ("imported", "duplicates", "rejected")} == {
        "imported": 4,
        "duplicates": 0,
        "rejected": 0,
    }
    assert audit.details["accounts_created"] == 2


def test_mobile_work_and_home_columns_and_full_name(
    sessions: sessionmaker[Session], csv_dir: Path
) -> None:
    path = write_csv(
        csv_dir / "multi.csv",
        [
            ["Smith, John", "202-555-0147", "202-555-0148", "202-555-0147", "202-555-0149", ""],
            ["张三", "", "+86 138 0013 8000", "", "", "+86 10 6552 9988"],
            ["欧阳修", "", "", "", "", ""],
        ],
        header=["Name", "Mobile", "Work Phone", "Telephone", "Home Phone", "Mobile"],
    )
    result = run(sessions, path)
    assert result.imported == 3
    people = by_last_name(sessions)
    assert numbers_of(sessions, contact_id=people["张"].id) == ["+861065529988", "+8613800138000"]
    assert (people["Smith"].first_name, people["张"].first_name, people["欧阳"].first_name) == (
        "John",
        "三",
        "修",
    )
    with sessions() as s:
        kinds = dict(
            s.execute(
                select(PhoneRecord.e164, PhoneRecord.kind).where(
                    PhoneRecord.contact_id == people["Smith"].id
                )
            ).all()
        )
    # The same number in two columns is stored once, with the first column's kind.
    assert kinds == {
        "+12025550147": PhoneKind.MOBILE,
        "+12025550148": PhoneKind.WORK,
        "+12025550149": PhoneKind.HOME,
    }


def test_split_full_name() -> None:
    assert split_full_name("John Smith") == ("John", "Smith")
    assert split_full_name("  Mary  Ann   Smith ") == ("Mary Ann", "Smith")
    assert split_full_name("Smith, John") == ("John", "Smith")
    assert split_full_name("Madonna") == (None, "Madonna")
    assert split_full_name("张三") == ("三", "张")
    assert split_full_name("司马 光") == ("光", "司马")
    assert split_full_name("王") == (None, "王")
    assert split_full_name("   ") == (None, None)


# --- formats ---------------------------------------------------------------------------------


def test_utf8_bom_semicolon_file(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    path = csv_dir / "excel.csv"
    path.write_bytes(
        codecs.BOM_UTF8
        + "First_Name;LAST NAME;E-Mail;Telephone;Country;Notes\n"
        "Jürgen;Müller;j@example.de;030 1234567;Germany;a, b, c\n".encode()
    )
    result = run(sessions, path)
    assert result.imported == 1
    (contact,) = contacts(sessions)
    assert (contact.first_name, contact.last_name, contact.notes) == ("Jürgen", "Müller", "a, b, c")
    assert contact.email == "j@example.de" and contact.country == "DE"
    assert numbers_of(sessions, contact_id=contact.id) == ["+49301234567"]


def test_gbk_chinese_tab_file(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    path = write_csv(
        csv_dir / "客户.csv",
        [
            ["张三", "北京科技有限公司", "13800138000", "zhang@example.cn", "北京", "老客户"],
            ["李四", "北京科技有限公司", "010-6552 9988", "", "北京", ""],
            ["", "上海贸易公司", "021 6321 1234", "", "上海", ""],
        ],
        header=["姓名", "公司", "手机", "邮箱", "城市", "备注"],
        delimiter="\t",
        encoding="gbk",
    )
    result = run(sessions, path, default_region="CN")
    assert (result.imported, result.accounts_created, result.rejected) == (3, 2, ())
    people = by_last_name(sessions)
    assert people["张"].first_name == "三" and people["张"].notes == "老客户"
    assert people["张"].city == "北京"
    assert people["张"].account_id == people["李"].account_id
    shanghai = next(a for a in accounts(sessions) if a.name == "上海贸易公司")
    assert numbers_of(sessions, account_id=shanghai.id) == ["+862163211234"]
    assert numbers_of(sessions, contact_id=people["李"].id) == ["+861065529988"]
    with sessions() as s:
        details = s.scalars(select(AuditEntry.details)).one()
    assert details is not None
    assert (details["encoding"], details["delimiter"]) == ("gb18030", "\t")


def test_explicit_encoding(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    path = csv_dir / "latin1.csv"
    path.write_bytes("Name;Phone\nJosé Müller;202-555-0147\n".encode("cp1252"))
    run(sessions, path, encoding="cp1252")
    (contact,) = contacts(sessions)
    assert (contact.first_name, contact.last_name) == ("José", "Müller")


# --- region, rejection and line numbers ------------------------------------------------------


def test_row_country_decides_the_region(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    path = write_csv(
        csv_dir / "regions.csv",
        [
            ["A", "Cn", "", "13800138000", "", "China", ""],
            ["B", "Gb", "", "020 7946 0018", "", "GB", ""],
            ["C", "Us", "", "(202) 555-0147", "", "", ""],  # blank: default region
            ["D", "Ice", "", "(202) 555-0148", "", "aq", ""],  # no phone plan: default region
            ["E", "Bad", "", "(808) 555-0149", "", "中国", ""],  # a US number is not valid in CN
        ],
    )
    result = run(sessions, path)
    assert result.imported == 4
    assert [(r.line, r.reason) for r in result.rejected] == [
        (6, "phone '(808) 555-0149' is not a valid number for region CN")
    ]
    people = by_last_name(sessions)
    assert numbers_of(sessions, contact_id=people["Cn"].id) == ["+8613800138000"]
    assert numbers_of(sessions, contact_id=people["Gb"].id) == ["+442079460018"]
    assert numbers_of(sessions, contact_id=people["Us"].id) == ["+12025550147"]
    assert numbers_of(sessions, contact_id=people["Ice"].id) == ["+12025550148"]
    assert people["Ice"].country == "AQ"


def test_rows_with_an_invalid_email_or_country_are_rejected(
    sessions: sessionmaker[Session], csv_dir: Path
) -> None:
    """Import accepted ``zhaolei@yunduan`` and unknown countries (issue 14)."""
    path = write_csv(
        csv_dir / "checked.csv",
        [
            ["Lei", "Zhao", "", "13800138001", "zhaolei@yunduan", "CN", ""],
            ["Not", "Mail", "", "(202) 555-0150", "not-an-email", "", ""],
            ["Zed", "Zed", "", "(202) 555-0151", "", "ZZ", ""],
            ["Nar", "Nia", "", "(202) 555-0152", "", "Narnia", ""],
            ["Asc", "Ension", "", "(202) 555-0153", "", "+247", ""],  # a phone plan, no country
            ["Ok", "Fine", "", "(202) 555-0154", "ok@fine.example", "us", ""],
        ],
    )
    result = run(sessions, path)
    known = "(an ISO 3166 code such as US or CN, or a name such as China)"
    assert result.imported == 1
    assert [(r.line, r.reason) for r in result.rejected] == [
        (2, "email 'zhaolei@yunduan' is not an e-mail address (like name@example.com)"),
        (3, "email 'not-an-email' is not an e-mail address (like name@example.com)"),
        (4, f"country 'ZZ' is not a known country {known}"),
        (5, f"country 'Narnia' is not a known country {known}"),
        (6, f"country '+247' is not a known country {known}"),
    ]
    [fine] = contacts(sessions)
    assert (fine.email, fine.country) == ("ok@fine.example", "US")
    with result.reject_file.open(encoding="utf-8-sig", newline="") as fh:  # type: ignore[union-attr]
        lines = list(csv.reader(fh))
    assert [line[:2] for line in lines[1:3]] == [
        ["2", "email 'zhaolei@yunduan' is not an e-mail address (like name@example.com)"],
        ["3", "email 'not-an-email' is not an e-mail address (like name@example.com)"],
    ]


def test_rejects_with_physical_line_numbers_and_reject_file(
    sessions: sessionmaker[Session], csv_dir: Path
) -> None:
    path = csv_dir / "mixed.csv"
    path.write_text(
        "Name;Phone;Notes;Email\n"  # line 1
        'Ann Lee;202-555-0147;"first line\n'  # line 2: the record spans lines 2-4
        "second; line\n"
        'third";\n'
        "\n"  # line 5: empty, ignored
        "Bob Kay;12345;;\n"  # line 6: invalid phone
        "Cy Dee;202-555-0148\n"  # line 7: too few fields
        "No Phone;;just e-mail;np@example.com\n"  # line 8: imported without a number
        ";;only a note;\n"  # line 9: nothing usable
        f"Long Co;;;{'x' * 250}@example.com\n",  # line 10: longer than the column
        encoding="utf-8",
    )
    result = run(sessions, path)
    assert result.imported == 2
    assert [(r.line, r.reason) for r in result.rejected] == [
        (6, "phone '12345' is not a valid number for region US"),
        (7, "expected 4 fields, found 2"),
        (9, "no name, company, phone or e-mail"),
        (10, "email is longer than 254 characters"),
    ]
    assert result.rejected[0].row == {
        "Name": "Bob Kay",
        "Phone": "12345",
        "Notes": "",
        "Email": "",
    }
    assert result.rejected[1].row == {
        "Name": "Cy Dee",
        "Phone": "202-555-0148",
        "Notes": "",
        "Email": "",
    }
    people = by_last_name(sessions)
    assert people["Lee"].notes == "first line\nsecond; line\nthird"
    assert numbers_of(sessions, contact_id=people["Phone"].id) == []

    assert result.reject_file == csv_dir / "mixed.rejects.csv"
    raw = result.reject_file.read_bytes()
    assert raw.startswith(codecs.BOM_UTF8)
    with result.reject_file.open(encoding="utf-8-sig", newline="") as fh:
        lines = list(csv.reader(fh, delimiter=";"))
    assert lines[0] == ["line", "reason", "Name", "Phone", "Notes", "Email"]
    assert lines[1] == [
        "6",
        "phone '12345' is not a valid number for region US",
        "Bob Kay",
        "12345",
        "",
        "",
    ]
    assert lines[2] == ["7", "expected 4 fields, found 2", "Cy Dee", "202-555-0148"]
    assert len(lines) == 5
    assert sorted(p.name for p in csv_dir.iterdir()) == ["mixed.csv", "mixed.rejects.csv"]


def test_fixed_reject_file_can_be_reimported(
    sessions: sessionmaker[Session], csv_dir: Path
) -> None:
    path = write_csv(csv_dir / "in.csv", [["Ann", "Lee", "", "12345", "", "", ""]])
    first = run(sessions, path)
    assert first.imported == 0 and first.reject_file is not None
    fixed = first.reject_file.read_text(encoding="utf-8-sig").replace("12345", "2025550147")
    first.reject_file.write_text(fixed, encoding="utf-8-sig")
    second = run(sessions, first.reject_file)
    assert (second.imported, second.rejected) == (1, ())
    (contact,) = contacts(sessions)
    assert numbers_of(sessions, contact_id=contact.id) == ["+12025550147"]


# --- duplicates ------------------------------------------------------------------------------


@pytest.fixture(params=["in-lists", "table-scan"])
def lookup_mode(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> str:
    """Both ways the importer looks up existing keys: chunked IN queries, or one scan."""
    if request.param == "in-lists":
        monkeypatch.setattr(existing, "IN_CHUNK", 2)  # several chunks even for a small file
    else:
        monkeypatch.setattr(existing, "SCAN_THRESHOLD", 0)
    return str(request.param)


@pytest.mark.usefixtures("lookup_mode")
def test_duplicates_in_database_and_in_file(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    existing = Contact(first_name="John", last_name="Smith", email="John.Smith@Example.com")
    add(sessions, existing)
    add(sessions, PhoneRecord(raw="202 555 0147", e164="+12025550147", contact_id=existing.id))
    gone = Contact(first_name="Old", last_name="Gone", email="gone@example.com")
    gone.deleted_at = datetime.now(UTC)
    add(sessions, gone)
    path = write_csv(
        csv_dir / "dups.csv",
        [
            ["Johnny", "S", "", "", "john.smith@EXAMPLE.com", "", ""],  # db: e-mail
            ["john", "SMITH", "", "+1 202-555-0147", "", "", ""],  # db: name + number
            ["John", "Smith", "", "202-555-0199", "", "", ""],  # other number: new
            ["Jane", "Doe", "", "202-555-0147", "", "", ""],  # other name: new
            ["Ann", "Lee", "", "", "ann@example.com", "", ""],  # new
            ["Annie", "Lee", "", "", "ANN@example.com", "", ""],  # file: e-mail
            ["Jane", "Doe", "", "(202) 555-0147", "", "", ""],  # file: name + number
            ["Old", "Gone", "", "", "gone@example.com", "", ""],  # soft-deleted: new
            ["No", "Keys", "", "", "", "", ""],  # no e-mail, no number: never a duplicate
            ["No", "Keys", "", "", "", "", ""],
        ],
    )
    result = run(sessions, path)
    assert (result.imported, result.duplicates, result.rejected) == (6, 4, ())
    assert count(sessions, Contact) == 2 + 6

    again = run(sessions, path)
    assert (again.imported, again.duplicates) == (2, 8)  # only the key-less rows come back


@pytest.mark.usefixtures("lookup_mode")
def test_company_rows_reuse_accounts(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    initech = Account(name="Initech", created_at=datetime(2020, 1, 1, tzinfo=UTC))
    newer = Account(name="INITECH ", created_at=datetime(2024, 1, 1, tzinfo=UTC))
    deleted = Account(name="Umbrella", deleted_at=datetime.now(UTC))
    add(sessions, newer, initech, deleted)
    add(sessions, PhoneRecord(raw="x", e164="+12025550100", account_id=initech.id))
    path = write_csv(
        csv_dir / "companies.csv",
        [
            ["", "", "INITECH", "202-555-0100", "", "", ""],  # existing account + number: dup
            ["", "", "initech", "202-555-0101", "", "", ""],  # existing account, new number
            ["", "", "Umbrella", "202-555-0102", "", "", ""],  # deleted one is not reused
            ["", "", "umbrella", "202-555-0102", "", "", ""],  # created above: dup
            ["Ann", "Lee", "initech", "", "", "", ""],  # person linked to existing account
            ["", "", "Hooli", "", "info@hooli.test", "", "HQ"],  # company with no number
        ],
    )
    result = run(sessions, path)
    assert (result.imported, result.duplicates, result.accounts_created) == (4, 2, 2)
    assert numbers_of(sessions, account_id=initech.id) == ["+12025550100", "+12025550101"]
    by_name = {(a.name, a.deleted_at is None): a for a in accounts(sessions)}
    assert set(by_name) == {
        ("INITECH ", True),
        ("Initech", True),
        ("Umbrella", False),
        ("Umbrella", True),
        ("Hooli", True),
    }
    assert numbers_of(sessions, account_id=by_name["Umbrella", True].id) == ["+12025550102"]
    assert by_name["Hooli", True].notes == "HQ\nE-mail: info@hooli.test"
    (ann,) = contacts(sessions)
    assert ann.account_id == initech.id
    with sessions() as s:
        owners = s.execute(select(PhoneRecord.contact_id, PhoneRecord.lead_id)).all()
    assert all(row == (None, None) for row in owners)


# --- all or nothing --------------------------------------------------------------------------

_POISON = "+12025550166"


@pytest.fixture
def poisoned_phone_insert(engine: Engine) -> Iterator[None]:
    """A trigger that makes the database refuse one phone number, half-way through the write."""
    if engine.dialect.name == "sqlite":
        create = [
            "CREATE TRIGGER poison BEFORE INSERT ON phone_numbers "
            f"WHEN NEW.e164 = '{_POISON}' BEGIN SELECT RAISE(ABORT, 'poisoned number'); END"
        ]
        drop = ["DROP TRIGGER poison"]
    else:
        create = [
            "CREATE FUNCTION poison() RETURNS trigger LANGUAGE plpgsql AS $$ BEGIN "
            f"IF NEW.e164 = '{_POISON}' THEN RAISE EXCEPTION 'poisoned number'; END IF; "
            "RETURN NEW; END $$",
            "CREATE TRIGGER poison BEFORE INSERT ON phone_numbers "
            "FOR EACH ROW EXECUTE FUNCTION poison()",
        ]
        drop = ["DROP TRIGGER poison ON phone_numbers", "DROP FUNCTION poison()"]
    with engine.begin() as conn:
        for statement in create:
            conn.execute(text(statement))
    yield
    with engine.begin() as conn:
        for statement in drop:
            conn.execute(text(statement))


@pytest.mark.usefixtures("poisoned_phone_insert")
def test_failed_write_imports_nothing(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    rows = [
        [f"P{i}", f"L{i}", f"Co {i % 7}", f"202-555-{i:04d}", "", "", ""] for i in range(100, 180)
    ]
    rows.append(["Bad", "Row", "", "12345", "", "", ""])
    path = write_csv(csv_dir / "poison.csv", rows)
    with pytest.raises(Exception, match="poisoned number"):
        run(sessions, path)
    for model in (Contact, Account, PhoneRecord, AuditEntry):
        assert count(sessions, model) == 0, model.__name__
    assert sorted(p.name for p in csv_dir.iterdir()) == ["poison.csv"]  # no reject file, no temp


# --- progress --------------------------------------------------------------------------------


def test_progress_is_reported_periodically(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    rows = [[f"F{i}", f"L{i}", "", "", f"u{i}@example.com", "", ""] for i in range(2500)]
    path = write_csv(csv_dir / "big.csv", rows)
    calls: list[tuple[int, int, int]] = []
    result = run(sessions, path, progress=lambda *args: calls.append(args))
    assert result.imported == 2500
    size = path.stat().st_size
    assert [c[0] for c in calls] == [1000, 2000, 2500]
    assert all(c[2] == size for c in calls)
    done = [c[1] for c in calls]
    assert done == sorted(done) and done[-1] == size and 0 < done[0] < size


# --- unusable files --------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("name", "content", "message"),
    [
        ("missing.csv", None, "file not found"),
        ("empty.csv", b"", "file is empty"),
        ("binary.csv", b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" * 100, "binary"),
        ("garbage.csv", bytes(range(128, 256)) * 50, "not a text file"),
        ("noheader.csv", b"id,amount,date\n1,2,3\n", "no usable header on line 1"),
        ("numbers.csv", b"13800138000\n13800138001\n", "no usable header"),
    ],
)
def test_unusable_file(
    sessions: sessionmaker[Session], csv_dir: Path, name: str, content: bytes | None, message: str
) -> None:
    path = csv_dir / name
    if content is not None:
        path.write_bytes(content)
    with pytest.raises(ImportFileError, match=message):
        run(sessions, path)
    assert count(sessions, AuditEntry) == 0
    assert not reject_path_for(path).exists()


def test_directory_is_unusable(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    with pytest.raises(ImportFileError, match="directory"):
        run(sessions, csv_dir)


def test_unknown_default_region(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    path = write_csv(csv_dir / "a.csv", [])
    with pytest.raises(ValueError, match="default_region"):
        run(sessions, path, default_region="XX")


def test_progress_callback_can_cancel(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    rows = [[f"F{i}", f"L{i}", "", "", "", "", ""] for i in range(1500)]
    rows.append(["Bad", "Row", "", "12345", "", "", ""])
    path = write_csv(csv_dir / "cancel.csv", rows)

    def cancel(rows_done: int, bytes_done: int, total: int) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        run(sessions, path, progress=cancel)
    assert count(sessions, Contact) == count(sessions, AuditEntry) == 0
    assert sorted(p.name for p in csv_dir.iterdir()) == ["cancel.csv"]


def test_broken_quoting_late_in_the_file(sessions: sessionmaker[Session], csv_dir: Path) -> None:
    path = csv_dir / "broken.csv"
    good = "".join(f"P{i},L{i},,,,,\n" for i in range(50))
    path.write_text(",".join(HEADER) + "\n" + good + 'X,"unclosed,,,,,\n' + "y" * 200_000)
    with pytest.raises(ImportFileError, match="line 52: malformed CSV"):
        run(sessions, path)
    assert count(sessions, Contact) == 0
    assert sorted(p.name for p in csv_dir.iterdir()) == ["broken.csv"]


# --- big files: worker processes and index rebuilds ------------------------------------------


def test_worker_processes_give_the_same_import(
    sessions: sessionmaker[Session], csv_dir: Path
) -> None:
    rows = [
        [
            f"P{i}",
            f"L{i % 40}",
            f"Co {i % 9}",
            f"(212) 555-{i:04d}" if i % 97 else "555",
            "",
            "",
            "",
        ]
        for i in range(1, 301)
    ]
    rows += [["", "", "Co 1", "(212) 555-0001", "", "", ""], ["P1", "L1", "", "", "", "", ""]]
    path = write_csv(csv_dir / "many.csv", rows)
    calls: list[tuple[int, int, int]] = []
    result = run(sessions, path, workers=2, progress=lambda *args: calls.append(args))
    assert [r.line for r in result.rejected] == [98, 195, 292]
    assert result.rejected[0].reason == "phone '555' is not a valid number for region US"
    # 297 people; the company row is a new account number of Co 1, the last row a new person.
    assert (result.imported, result.duplicates, result.accounts_created) == (299, 0, 9)
    assert calls[-1][0] == 302
    assert count(sessions, Contact) == 298 and count(sessions, PhoneRecord) == 298
    assert reject_path_for(path).exists()
    # Again: every accepted row is a duplicate but the last (no number or e-mail to match),
    # and the reject file is the same.
    first_rejects = reject_path_for(path).read_bytes()
    again = run(sessions, path, workers=2)
    assert (again.imported, again.duplicates) == (1, 298)
    assert reject_path_for(path).read_bytes() == first_rejects


def test_big_load_rebuilds_indexes_and_keeps_them(
    sessions: sessionmaker[Session], csv_dir: Path, engine: Engine
) -> None:
    rows = [
        [f"P{i}", f"L{i}", "", f"+1 212 5{i:06d}", f"u{i}@example.com", "", ""]
        for i in range(21_000)
    ]
    path = write_csv(csv_dir / "big.csv", rows)
    result = run(sessions, path)
    assert result.imported == 21_000 and not result.rejected
    with engine.connect() as conn:
        if engine.dialect.name == "sqlite":
            names = conn.scalars(
                text(
                    "SELECT name FROM sqlite_master WHERE type = 'index' AND tbl_name = 'contacts'"
                )
            ).all()
        else:
            names = conn.scalars(
                text("SELECT indexname FROM pg_indexes WHERE tablename = 'contacts'")
            ).all()
        found = conn.execute(
            text("SELECT first_name FROM contacts WHERE lower(email) = 'u20999@example.com'")
        ).all()
    assert {"ix_contacts_lower_email", "ix_contacts_last_first", "ix_contacts_email"} <= set(names)
    assert found == [("P20999",)]
