"""The sales screens' door to the sales services: the pipeline, quotes, orders, the forecast
and a popped party's sales.

Every method blocks (the UI runs it on the executor) and acts as the desk's user: on
PostgreSQL the login decides, on SQLite the configured username. The services check the
permissions and refuse with ``AccessDeniedError``; nothing here decides what the role may do
except which order buttons to offer (:meth:`SalesService.order_actions`, from the flow's own
table of moves).
"""

from __future__ import annotations

import uuid
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import date
from decimal import Decimal
from pathlib import Path

from sqlalchemy.orm import Session, sessionmaker

from agentdesk.domain.enums import OwnerKind
from agentdesk.sales import forecast, opportunities, order_flow, orders, quote_pdf, quotes
from agentdesk.sales.catalogue import ProductView, list_products
from agentdesk.sales.documents import DocumentView, LineRequest
from agentdesk.sales.money import Totals
from agentdesk.sales.opportunities import OpportunityView
from agentdesk.sales.opportunity_edit import (
    OpportunityDetail,
    OpportunityForm,
    StageChoice,
    editor_stages,
    may_reassign,
    opportunity_detail,
    preview_lines,
    save_opportunity,
)
from agentdesk.sales.opportunity_lines import LinePrice
from agentdesk.sales.opportunity_parties import PartyChoice, search_accounts, search_contacts
from agentdesk.sales.orders import OrderTerms
from agentdesk.sales.party_sales import PartySales, SalesItem, party_sales, recent_quotes
from agentdesk.sales.pipeline import (
    PipelineFilter,
    PipelinePage,
    StageColumn,
    may_approve_orders,
    pipeline_board,
    pipeline_owners,
    pipeline_page,
    pipeline_stages,
)
from agentdesk.sales.quote_preview import (
    PricePreview,
    QuoteHeader,
    preview_totals,
    price_list_names,
    price_preview,
    quote_header,
)
from agentdesk.sales.quotes import KEEP_CONTACT, QuoteRequest
from agentdesk.sales.stages import Stage, list_stages
from agentdesk.sales.status import OrderStatus, QuoteStatus


@dataclass(frozen=True, slots=True)
class Catalogue:
    """What the quote editor offers: active products, price lists and currencies."""

    products: tuple[ProductView, ...]
    price_lists: tuple[tuple[str, str], ...]
    """``(name, currency)``."""


@dataclass(frozen=True, slots=True)
class OpportunityChoices:
    """What the opportunity editor offers: the stages (the admin's order), owners, products."""

    stages: tuple[StageChoice, ...]
    owners: tuple[str, ...]
    products: tuple[ProductView, ...]
    may_reassign: bool
    """Whether the owner may be changed to someone else."""


@dataclass(frozen=True, slots=True)
class Priced:
    preview: PricePreview
    totals: Totals


@dataclass(frozen=True, slots=True)
class OrderScreen:
    """An order and what this user may do with it now."""

    order: DocumentView
    moves: tuple[str, ...]
    """The moves (``order_flow.MOVES`` keys) offered, in the flow's order."""
    editable: bool
    approver: bool


class SalesService:
    def __init__(self, sessions: sessionmaker[Session], agent: str) -> None:
        self._sessions = sessions
        self._agent = agent

    # -- the pipeline ----------------------------------------------------------------------

    def stages(self) -> tuple[StageColumn, ...]:
        return pipeline_stages(self._sessions)

    def all_stages(self) -> tuple[Stage, ...]:
        """Every stage, retired ones too: what names the stages in histories and lists."""
        return list_stages(self._sessions)

    def owners(self) -> tuple[str, ...]:
        return pipeline_owners(self._sessions)

    def page(self, flt: PipelineFilter, offset: int = 0, limit: int = 50) -> PipelinePage:
        return pipeline_page(self._sessions, flt, offset=offset, limit=limit, actor=self._agent)

    def board(self, flt: PipelineFilter, per_stage: int = 50) -> dict[str, PipelinePage]:
        """Each stage's first page (the board's columns), ``flt``'s stages or all."""
        stages = flt.stages or tuple(column.stage for column in self.stages())
        return pipeline_board(self._sessions, flt, stages, per_stage=per_stage, actor=self._agent)

    def promote(self, opportunity_id: uuid.UUID, stage: str) -> OpportunityView:
        """Move an opportunity to ``stage`` (any stage: promotion may skip stages)."""
        return opportunities.update_opportunity(
            self._sessions, opportunity_id, stage=stage, actor=self._agent
        )

    def create_opportunity(
        self,
        account: str,
        name: str,
        amount: Decimal,
        stage: str,
        close: date,
    ) -> OpportunityView:
        return opportunities.create_opportunity(
            self._sessions,
            account=account,
            name=name,
            amount=amount,
            stage=stage,
            close=close,
            actor=self._agent,
        )

    # -- the opportunity editor --------------------------------------------------------------

    def editor_stages(self) -> tuple[StageChoice, ...]:
        return editor_stages(self._sessions)

    def opportunity_choices(self) -> OpportunityChoices:
        return OpportunityChoices(
            editor_stages(self._sessions),
            pipeline_owners(self._sessions),
            tuple(list_products(self._sessions, active_only=True)),
            may_reassign(self._sessions, self._agent),
        )

    def opportunity(self, opportunity_id: uuid.UUID) -> OpportunityDetail:
        return opportunity_detail(self._sessions, opportunity_id, actor=self._agent)

    def save_opportunity(
        self, opportunity_id: uuid.UUID, version: int, form: OpportunityForm
    ) -> OpportunityDetail:
        """Save the form over ``version``; ``StaleRecordError`` when someone saved since."""
        return save_opportunity(self._sessions, opportunity_id, version, form, actor=self._agent)

    def add_opportunity(self, form: OpportunityForm, currency_code: str) -> OpportunityDetail:
        view = opportunities.create_opportunity(
            self._sessions,
            account=str(form.account_id),
            name=form.name,
            amount=None if form.lines else form.amount,
            stage=form.stage,
            close=form.close,
            owner=form.owner,
            probability=form.probability,
            currency_code=currency_code,
            lines=form.lines,
            prices=form.prices,
            contact=form.contact_id,
            next_step=form.next_step,
            actor=self._agent,
        )
        return self.opportunity(view.id)

    def price_opportunity(
        self, code: str, lines: Sequence[LineRequest], prices: Sequence[Decimal | None]
    ) -> tuple[LinePrice, ...]:
        """The lines' unit prices and nets as a save stores them (typed prices kept)."""
        return preview_lines(self._sessions, code, lines, prices)

    def accounts(self, text: str) -> tuple[PartyChoice, ...]:
        return search_accounts(self._sessions, text, actor=self._agent)

    def contacts(self, account: str, text: str) -> tuple[PartyChoice, ...]:
        """The people of ``account`` (its id or name) matching ``text``."""
        return search_contacts(self._sessions, account, text, actor=self._agent)

    # -- quotes ----------------------------------------------------------------------------

    def catalogue(self) -> Catalogue:
        products = tuple(list_products(self._sessions, active_only=True))
        return Catalogue(products, price_list_names(self._sessions))

    def price(
        self,
        lines: Sequence[LineRequest],
        *,
        price_list: str | None = None,
        currency_code: str | None = None,
        quote_number: str | None = None,
        order_number: str | None = None,
    ) -> Priced:
        """The unit prices the service takes and the totals ``sales.money`` computes."""
        preview = price_preview(
            self._sessions,
            lines,
            price_list=price_list,
            currency_code=currency_code,
            quote_number=quote_number,
            order_number=order_number,
        )
        return Priced(preview, preview_totals(preview, lines))

    def quotes(self) -> tuple[SalesItem, ...]:
        return recent_quotes(self._sessions, actor=self._agent)

    def show_quote(self, number: str) -> DocumentView:
        return quotes.show_quote(self._sessions, number, actor=self._agent)

    def quote_header(self, number: str) -> QuoteHeader:
        return quote_header(self._sessions, number, self._agent)

    def create_quote(self, request: QuoteRequest) -> DocumentView:
        return quotes.create_quote(self._sessions, request, actor=self._agent)

    def revise_quote(
        self,
        number: str,
        lines: Sequence[LineRequest],
        contact: str | object | None = KEEP_CONTACT,
    ) -> DocumentView:
        """A draft changes in place; a sent quote gets its next revision (with ``contact``,
        a contact's id or ``None``: none; the quote's unless given)."""
        return quotes.revise_quote(
            self._sessions, number, lines, contact=contact, actor=self._agent
        )

    def set_quote_status(self, number: str, status: QuoteStatus) -> DocumentView:
        return quotes.set_quote_status(self._sessions, number, status, actor=self._agent)

    def print_quote(self, number: str, out: Path, lang: str) -> Path:
        """The quote as PDF through the audited printing service."""
        return quote_pdf.print_quote(self._sessions, number, out, lang=lang, actor=self._agent)

    # -- orders ----------------------------------------------------------------------------

    def orders(self, status: OrderStatus | None = None) -> list[dict[str, object]]:
        return orders.list_orders(self._sessions, status=status, actor=self._agent)

    def order(self, number: str) -> OrderScreen:
        view = orders.show_order(self._sessions, number, actor=self._agent)
        return self._screen(view)

    def _screen(self, view: DocumentView) -> OrderScreen:
        approver = may_approve_orders(self._sessions, self._agent)
        status = OrderStatus(view.status)
        moves = tuple(
            move
            for move, (starts, _target, approvers_only) in order_flow.MOVES.items()
            if status in starts and (approver or (not approvers_only and status in orders.OPEN))
        )
        finished = status in (OrderStatus.FULFILLED, OrderStatus.CANCELLED)
        editable = not finished and (approver or status in orders.OPEN)
        return OrderScreen(view, moves, editable, approver)

    def order_from_quote(self, number: str) -> OrderScreen:
        return self._screen(orders.order_from_quote(self._sessions, number, actor=self._agent))

    def create_order(
        self, account: str, lines: Sequence[LineRequest], terms: OrderTerms
    ) -> OrderScreen:
        view = orders.create_order(self._sessions, account, lines, terms=terms, actor=self._agent)
        return self._screen(view)

    def edit_order(self, number: str, lines: Sequence[LineRequest]) -> OrderScreen:
        return self._screen(orders.edit_order(self._sessions, number, lines, actor=self._agent))

    def move_order(self, number: str, move: str, reason: str | None = None) -> OrderScreen:
        view = order_flow.move_order(self._sessions, number, move, reason=reason, actor=self._agent)
        return self._screen(view)

    # -- the forecast and the desk ---------------------------------------------------------

    def forecast(self, by: str, start: date, end: date, currency_code: str) -> forecast.Forecast:
        return forecast.forecast(
            self._sessions,
            by=by,
            start=start,
            end=end,
            currency_code=currency_code,
            actor=self._agent,
        )

    def party(self, kind: OwnerKind, party_id: uuid.UUID) -> PartySales:
        return party_sales(self._sessions, kind, party_id, actor=self._agent)
