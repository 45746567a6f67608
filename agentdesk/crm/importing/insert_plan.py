"""An import's accepted rows turned into the accounts, contacts and numbers to insert.

Duplicates (see :mod:`agentdesk.crm.importing.importer` for the rules) are counted here, not
inserted; every new account, contact and phone number becomes a row in the database's on-disk
form, ready for :func:`agentdesk.db.bulk.append_rows`.
"""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from agentdesk.crm.importing.existing import ExistingKeys
from agentdesk.crm.importing.names import company_key, name_key
from agentdesk.crm.importing.rows import ParsedPhone, ParsedRow
from agentdesk.db.bulk import RowFormat, id_block

# The columns that differ between rows; the others are constants (see InsertPlan.constants).
ACCOUNT_COLUMNS = ("id", "name", "city", "country", "notes")
CONTACT_COLUMNS = (
    "id", "first_name", "last_name", "account_id", "title", "email", "city", "country", "notes",
)  # fmt: skip
PHONE_COLUMNS = ("id", "raw", "e164", "extension", "kind", "contact_id", "account_id")


class InsertPlan:
    """The inserts of one import, built in file order against what already exists.

    Rows are value tuples already in the database's on-disk form (:mod:`agentdesk.db.bulk`);
    ids are version-7 UUIDs handled as ints until they are formatted.
    """

    def __init__(self, now: datetime, fmt: RowFormat) -> None:
        self.now = now
        self.fmt = fmt
        self.accounts: list[tuple[Any, ...]] = []
        self.contacts: list[tuple[Any, ...]] = []
        self.phones: list[tuple[Any, ...]] = []
        self.imported = 0
        self.duplicates = 0
        self._stamp = fmt.ts(now.astimezone(UTC).replace(tzinfo=None))
        self._ids = id_block()

    def constants(self, *extra: str) -> dict[str, Any]:
        """The columns every row of this import shares, plus ``extra`` ones that are NULL."""
        stamp = self._stamp
        shared = {"created_at": stamp, "updated_at": stamp, "version": 1, "deleted_at": None}
        return shared | dict.fromkeys(extra)

    def _phones(
        self, phones: list[ParsedPhone], contact_id: str | None, account_id: str | None
    ) -> None:
        uuid_of, ids = self.fmt.uuid, self._ids
        for p in phones:
            self.phones.append(
                (
                    uuid_of(next(ids)), p.raw, p.e164, p.extension, p.kind.value, contact_id,
                    account_id,
                )
            )  # fmt: skip

    def build(self, rows: list[ParsedRow], existing: ExistingKeys) -> None:
        emails = existing.emails
        name_numbers = existing.name_numbers
        accounts = existing.accounts
        account_numbers = existing.account_numbers
        uuid_of, ids = self.fmt.uuid, self._ids
        for row in rows:
            if row.is_person:
                name = name_key(row.first, row.last)
                email = row.email.lower() if row.email else None
                keys = [(name, p.e164) for p in row.phones]
                if (email is not None and email in emails) or any(k in name_numbers for k in keys):
                    self.duplicates += 1
                    continue
                if email is not None:
                    emails.add(email)
                name_numbers.update(keys)
                account_id = self._account(row.company, accounts, None) if row.company else None
                contact_id = uuid_of(next(ids))
                self.contacts.append(
                    (
                        contact_id, row.first, row.last,
                        None if account_id is None else uuid_of(account_id), row.title,
                        row.email, row.city, row.country, row.notes,
                    )
                )  # fmt: skip
                self._phones(row.phones, contact_id, None)
                self.imported += 1
                continue
            assert row.company is not None  # not a person row means a company-only row
            key = company_key(row.company)
            found = accounts.get(key)
            if found is not None:
                new = [p for p in row.phones if (found, p.e164) not in account_numbers]
                if not new:
                    self.duplicates += 1
                    continue
                account_id = found
            else:
                account_id = self._account(row.company, accounts, row)
                new = row.phones
            account_numbers.update((account_id, p.e164) for p in new)
            self._phones(new, None, uuid_of(account_id))
            self.imported += 1

    def _account(self, name: str, accounts: dict[str, int], row: ParsedRow | None) -> int:
        key = company_key(name)
        found = accounts.get(key)
        if found is not None:
            return found
        notes = None
        if row is not None:
            # Accounts have no e-mail column; keep a company row's address rather than drop it.
            parts = [row.notes, f"E-mail: {row.email}" if row.email else None]
            notes = "\n".join(p for p in parts if p) or None
        account_id = next(self._ids)
        self.accounts.append(
            (
                self.fmt.uuid(account_id), name, row.city if row else None,
                row.country if row else None, notes,
            )
        )  # fmt: skip
        accounts[key] = account_id
        return account_id
