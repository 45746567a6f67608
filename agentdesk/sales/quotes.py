"""Quotes: created numbered, priced from a price list, revised instead of changed once sent.

Each quote revision is one ``quotes`` row; the revisions of a number share it and the newest
is the quote. A draft's lines may be replaced in place; a sent (or later) quote is never
changed: :func:`revise_quote` copies it into revision N + 1, a draft. Totals follow
``sales.money``.
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date

from sqlalchemy import select
from sqlalchemy.orm import Session, sessionmaker

from agentdesk.crm.models import Account
from agentdesk.crm.permissions import acting_access
from agentdesk.db.audit import audit
from agentdesk.db.errors import RequestError
from agentdesk.domain.access import Action, RecordKind
from agentdesk.domain.clock import utcnow
from agentdesk.domain.enums import AuditAction
from agentdesk.org.access import Access
from agentdesk.org.users import AgentRef, actor_of, user_by_ref
from agentdesk.sales.catalogue import price_list_named, product_by_code, unit_price
from agentdesk.sales.documents import DocumentView, LineRequest, Priced, price_lines, view_of
from agentdesk.sales.models import PriceList, Quote, QuoteLine
from agentdesk.sales.money import currency
from agentdesk.sales.numbering import QUOTE, document_year, take_number
from agentdesk.sales.party_refs import contact_by_ref, find_account
from agentdesk.sales.status import QUOTE_MOVES, QuoteStatus

DEFAULT_CURRENCY = "CNY"


@dataclass(frozen=True, slots=True)
class QuoteRequest:
    account: str
    """The account's id or its exact name."""
    lines: Sequence[LineRequest]
    contact: str | None = None
    price_list: str | None = None
    currency: str | None = None
    valid_until: date | None = None
    terms: str | None = None


KEEP_CONTACT = object()
"""A revision's contact left as the quote's."""


def _price(
    session: Session, requests: Sequence[LineRequest], money_code: str, plist: PriceList | None
) -> list[Priced]:
    today = date.today()
    priced: list[Priced] = []
    for request in requests:
        product = product_by_code(session, request.code)
        price = unit_price(session, product, request.quantity, money_code, plist, today)
        priced.append(Priced(request, product, price))
    return priced


def create_quote(
    sessions: sessionmaker[Session],
    request: QuoteRequest,
    *,
    actor: AgentRef | None = None,
    zone: str | None = None,
) -> DocumentView:
    """Create revision 1 of a new quote number, a draft owned by the acting user; the number's
    year is the database clock's in ``zone`` (``numbering.document_year``)."""
    if not request.lines:
        raise RequestError("a quote needs at least one line")
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        if access is not None:
            access.check_create(RecordKind.QUOTES, access.user_id)
        owner = access.user_id if access else _user_id(session, actor)
        account = find_account(session, request.account)
        if access is not None:
            access.check(session, RecordKind.ACCOUNTS, Action.READ, account.id, account.owner_id)
        contact = (
            contact_by_ref(session, access, account.id, request.contact)
            if request.contact
            else None
        )
        plist = price_list_named(session, request.price_list) if request.price_list else None
        code = request.currency or (plist.currency if plist else DEFAULT_CURRENCY)
        money = currency(code)
        if plist is not None and plist.currency != money.code:
            raise RequestError(f"price list {plist.name} is in {plist.currency}, not {money.code}")
        priced = _price(session, request.lines, money.code, plist)
        year = document_year(session, zone)
        number = take_number(session, QUOTE, year)  # after the reads: see there
        quote = Quote(
            number=number,
            revision=1,
            status=QuoteStatus.DRAFT,
            account_id=account.id,
            contact_id=contact.id if contact else None,
            price_list_id=plist.id if plist else None,
            currency=money.code,
            valid_until=request.valid_until,
            terms=request.terms,
            owner_id=owner,
            net_minor=0,
            tax_minor=0,
            gross_minor=0,
        )
        session.add(quote)
        session.flush()
        lines = price_lines(session, quote, priced, money, QuoteLine, "quote_id")
        _audit(session, access, actor, AuditAction.CREATE, quote, {"number": number})
        return _view(quote, account, lines)


def _user_id(session: Session, actor: AgentRef | None) -> uuid.UUID | None:
    user = user_by_ref(session, actor) if actor else None
    return user.id if user else None


def _audit(
    session: Session,
    access: Access | None,
    actor: AgentRef | None,
    action: AuditAction,
    quote: Quote,
    details: dict[str, object],
) -> None:
    who = actor_of(session, access.username if access else actor)
    audit(session, who, action, "quote", quote.id, {**details, "revision": quote.revision})


def latest(session: Session, number: str, revision: int | None = None) -> Quote:
    """Revision ``revision`` of quote ``number``, else its newest."""
    query = select(Quote).where(Quote.number == number.strip(), Quote.deleted_at.is_(None))
    if revision is not None:
        query = query.where(Quote.revision == revision)
    quote = session.scalar(query.order_by(Quote.revision.desc()).limit(1))
    if quote is None:
        what = f"revision {revision} of quote" if revision else "quote"
        raise RequestError(f"no {what} {number}")
    return quote


def _editable(session: Session, access: Access | None, quote: Quote) -> None:
    if access is not None:
        access.check(session, RecordKind.QUOTES, Action.UPDATE, quote.id, quote.owner_id)


def set_quote_status(
    sessions: sessionmaker[Session],
    number: str,
    status: QuoteStatus,
    *,
    actor: AgentRef | None = None,
) -> DocumentView:
    """Move the newest revision: draft -> sent -> accepted, rejected or expired."""
    with sessions() as session, session.begin():
        quote = latest(session, number)
        access = acting_access(session, actor)
        _editable(session, access, quote)
        if status not in QUOTE_MOVES[quote.status]:
            raise RequestError(
                f"quote {quote.number} revision {quote.revision} is {quote.status.value}: "
                f"it cannot become {status.value}"
            )
        today = date.today()
        if status is QuoteStatus.ACCEPTED and quote.valid_until and quote.valid_until < today:
            raise RequestError(
                f"quote {quote.number} was valid until {quote.valid_until.isoformat()}: "
                "edit it for a new revision"
            )
        before = quote.status
        quote.status = status
        if status is QuoteStatus.SENT:
            quote.sent_at = utcnow()
        _audit(session, access, actor, AuditAction.UPDATE, quote, {"status": [before, status]})
        session.flush()
        return quote_view(session, quote)


def expire_quotes(
    sessions: sessionmaker[Session], *, today: date | None = None, actor: AgentRef | None = None
) -> list[str]:
    """Mark expired the sent quotes (among those the user may change) whose validity date
    has passed; return their numbers."""
    day = today or date.today()
    with sessions() as session, session.begin():
        access = acting_access(session, actor)
        query = select(Quote).where(
            Quote.status == QuoteStatus.SENT,
            Quote.valid_until < day,
            Quote.deleted_at.is_(None),
        )
        if access is not None:
            query = query.where(
                access.visible(RecordKind.QUOTES, Quote.owner_id, Quote.id, Action.UPDATE)
            )
        expired = list(session.scalars(query.order_by(Quote.number, Quote.revision)))
        for quote in expired:
            quote.status = QuoteStatus.EXPIRED
            details: dict[str, object] = {"status": [QuoteStatus.SENT, QuoteStatus.EXPIRED]}
            _audit(session, access, actor, AuditAction.UPDATE, quote, details)
        return [q.number for q in expired]


def revise_quote(
    sessions: sessionmaker[Session],
    number: str,
    lines: Sequence[LineRequest],
    *,
    contact: str | object | None = KEEP_CONTACT,
    actor: AgentRef | None = None,
) -> DocumentView:
    """New lines for quote ``number``: a draft is changed in place; a quote that was sent is
    copied into the next revision (a draft) with the new lines, and stays as it was.
    ``contact`` (an id of one of the account's people, or ``None``: none) changes the
    contact the same way."""
    if not lines:
        raise RequestError("a quote needs at least one line")
    with sessions() as session, session.begin():
        quote = latest(session, number)
        access = acting_access(session, actor)
        _editable(session, access, quote)
        plist = session.get(PriceList, quote.price_list_id) if quote.price_list_id else None
        money = currency(quote.currency)
        priced = _price(session, lines, money.code, plist)
        contact_id = quote.contact_id
        if contact is not KEEP_CONTACT:
            account = session.get_one(Account, quote.account_id)
            ref = contact if isinstance(contact, str) else None
            contact_id = contact_by_ref(session, access, account.id, ref).id if ref else None
        if quote.status is QuoteStatus.DRAFT:
            quote.contact_id = contact_id
            for old in session.scalars(select(QuoteLine).where(QuoteLine.quote_id == quote.id)):
                session.delete(old)
            session.flush()
            target = quote
        else:
            target = Quote(
                number=quote.number,
                revision=quote.revision + 1,
                status=QuoteStatus.DRAFT,
                account_id=quote.account_id,
                contact_id=contact_id,
                price_list_id=quote.price_list_id,
                currency=quote.currency,
                valid_until=quote.valid_until,
                terms=quote.terms,
                owner_id=quote.owner_id,
                net_minor=0,
                tax_minor=0,
                gross_minor=0,
            )
            session.add(target)
            session.flush()
        new_lines = price_lines(session, target, priced, money, QuoteLine, "quote_id")
        _audit(session, access, actor, AuditAction.UPDATE, target, {"lines": len(new_lines)})
        account = session.get_one(Account, target.account_id)
        return _view(target, account, new_lines)


def _view(quote: Quote, account: Account, lines: Sequence[QuoteLine]) -> DocumentView:
    return view_of(quote, account, list(lines), revision=quote.revision, terms=quote.terms)


def quote_view(session: Session, quote: Quote) -> DocumentView:
    lines = session.scalars(
        select(QuoteLine).where(QuoteLine.quote_id == quote.id).order_by(QuoteLine.position)
    ).all()
    return _view(quote, session.get_one(Account, quote.account_id), list(lines))


def readable(
    session: Session, number: str, revision: int | None, actor: AgentRef | None
) -> tuple[Quote, Access | None]:
    """The quote, checked against the acting user's read permission."""
    quote = latest(session, number, revision)
    access = acting_access(session, actor)
    if access is not None:
        access.check(session, RecordKind.QUOTES, Action.READ, quote.id, quote.owner_id)
    return quote, access


def show_quote(
    sessions: sessionmaker[Session],
    number: str,
    revision: int | None = None,
    *,
    actor: AgentRef | None = None,
) -> DocumentView:
    with sessions() as session:
        quote, _access = readable(session, number, revision, actor)
        return quote_view(session, quote)
