"""Printing a quote to PDF: needs the ``print`` capability and the quote's read permission,
and is audited (action ``print``, the number, revision, language and file name; on a
PostgreSQL desk login by the database's own print function, ``crm/printing.py``).

The file is written beside its final name and renamed into place after the audit entry
committed, so a PDF never exists without its audit entry.
"""

from __future__ import annotations

import os
import tempfile
import uuid
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.config.settings import default_config_path
from agentdesk.crm.models import Account, Contact
from agentdesk.crm.printing import audit_print
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Capability
from agentdesk.org.users import AgentRef
from agentdesk.sales.pdf_layout import Customer, load_template, render
from agentdesk.sales.quotes import quote_view, readable

TEMPLATE_NAME = "quote_template.toml"


def default_template() -> Path:
    """Where the company's quote template lives: ``quote_template.toml`` in the config dir."""
    return default_config_path().parent / TEMPLATE_NAME


def print_quote(
    sessions: sessionmaker[Session],
    number: str,
    out: Path,
    *,
    revision: int | None = None,
    lang: str = "en",
    template: Path | None = None,
    actor: AgentRef | None = None,
) -> Path:
    """Write the quote as PDF to ``out`` and return the path."""
    out = Path(out)
    if not out.parent.is_dir():
        raise RequestError(f"{out.parent}: no such folder")
    layout = load_template(template or default_template())
    temp: Path | None = None
    try:
        with sessions() as session, session.begin():
            quote, access = readable(session, number, revision, actor)
            if access is not None:  # before rendering: refused in the user's words
                access.require(Capability.PRINT)
            data = render(
                quote_view(session, quote),
                _customer(session, quote.account_id, quote.contact_id),
                layout,
                lang=lang,
                issued=(quote.sent_at or quote.created_at).date(),
                valid_until=quote.valid_until,
            )
            fd, name = tempfile.mkstemp(dir=out.parent, prefix=f".{out.stem}.", suffix=".tmp")
            temp = Path(name)
            with os.fdopen(fd, "wb") as fh:
                fh.write(data)
            details = {"number": quote.number, "revision": quote.revision, "lang": lang}
            audit_print(session, access, "quotes", quote.id, details | {"file": out.name})
        os.replace(temp, out)
    except BaseException:
        if temp is not None:
            temp.unlink(missing_ok=True)
        raise
    return out


def _customer(session: Session, account_id: uuid.UUID, contact_id: uuid.UUID | None) -> Customer:
    account = session.get_one(Account, account_id)
    contact = session.get(Contact, contact_id) if contact_id else None
    return Customer(
        account=account.name,
        city=account.city,
        contact=contact.full_name if contact else None,
        email=contact.email if contact else None,
    )
