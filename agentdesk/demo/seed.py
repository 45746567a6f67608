"""Reference data a fresh database needs before agents can wrap up calls."""

from __future__ import annotations

from dataclasses import dataclass

from sqlalchemy import func, select
from sqlalchemy.orm import Session

from agentdesk.crm.models import Disposition

WRAPUP_EXPIRED = "wrapup_expired"


@dataclass(frozen=True, slots=True)
class DispositionSpec:
    """A default wrap-up code and the flags the dialer and the reports read."""

    code: str
    label: str
    counts_as_contact: bool = False
    is_success: bool = False
    needs_callback: bool = False
    is_final: bool = False
    adds_to_dnc: bool = False
    is_default: bool = False


DEFAULT_DISPOSITIONS: tuple[DispositionSpec, ...] = (
    DispositionSpec("sale", "Sale", counts_as_contact=True, is_success=True, is_final=True),
    DispositionSpec("interested", "Interested", counts_as_contact=True, is_success=True),
    DispositionSpec("callback", "Call back", counts_as_contact=True, needs_callback=True),
    DispositionSpec("not_interested", "Not interested", counts_as_contact=True, is_final=True),
    DispositionSpec("no_answer", "No answer"),
    DispositionSpec("busy", "Busy"),
    DispositionSpec("wrong_number", "Wrong number", is_final=True),
    DispositionSpec("voicemail", "Voicemail left"),
    DispositionSpec(
        "do_not_call", "Do not call", counts_as_contact=True, is_final=True, adds_to_dnc=True
    ),
    DispositionSpec("resolved", "Resolved", counts_as_contact=True, is_success=True),
    DispositionSpec("info_given", "Information given", counts_as_contact=True),
    DispositionSpec(WRAPUP_EXPIRED, "Wrap-up expired", is_default=True),
)
"""Exactly one is the default: the code of an answered call whose wrap-up timer ran out (or
was still open at shutdown). ``wrapup_expired`` says what happened, not how the call went: no
contact, no success, retried by the answered rule in a campaign; "No answer" would record an
answered call as unanswered. Migration 0007 adds it to databases seeded before."""


def ensure_default_dispositions(session: Session) -> int:
    """Add the default wrap-up codes when the table is empty; returns how many were added.

    A table that already has codes is the admin's and is left alone.
    """
    existing = session.scalar(select(func.count()).select_from(Disposition))
    if existing:
        return 0
    for order, spec in enumerate(DEFAULT_DISPOSITIONS):
        session.add(
            Disposition(
                code=spec.code,
                label=spec.label,
                counts_as_contact=spec.counts_as_contact,
                is_success=spec.is_success,
                needs_callback=spec.needs_callback,
                is_final=spec.is_final,
                adds_to_dnc=spec.adds_to_dnc,
                is_default=spec.is_default,
                active=True,
                sort_order=(order + 1) * 10,
            )
        )
    session.flush()
    return len(DEFAULT_DISPOSITIONS)
