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
    label_zh: str
    counts_as_contact: bool = False
    is_success: bool = False
    needs_callback: bool = False
    is_final: bool = False
    adds_to_dnc: bool = False
    is_default: bool = False


DEFAULT_DISPOSITIONS: tuple[DispositionSpec, ...] = (
    DispositionSpec("sale", "Sale", "成交", counts_as_contact=True, is_success=True, is_final=True),
    DispositionSpec("interested", "Interested", "有意向", counts_as_contact=True, is_success=True),
    DispositionSpec("callback", "Call back", "需回拨", counts_as_contact=True, needs_callback=True),
    DispositionSpec(
        "not_interested", "Not interested", "无意向", counts_as_contact=True, is_final=True
    ),
    DispositionSpec("no_answer", "No answer", "无人接听"),
    DispositionSpec("busy", "Busy", "忙线"),
    DispositionSpec("wrong_number", "Wrong number", "号码错误", is_final=True),
    DispositionSpec("voicemail", "Voicemail left", "已留语音"),
    DispositionSpec(
        "do_not_call",
        "Do not call",
        "勿扰",
        counts_as_contact=True,
        is_final=True,
        adds_to_dnc=True,
    ),
    DispositionSpec("resolved", "Resolved", "已解决", counts_as_contact=True, is_success=True),
    DispositionSpec("info_given", "Information given", "已告知信息", counts_as_contact=True),
    DispositionSpec(WRAPUP_EXPIRED, "Wrap-up expired", "话后处理超时", is_default=True),
)
"""Exactly one is the default: the code of an answered call whose wrap-up timer ran out (or
was still open at shutdown). ``wrapup_expired`` says what happened, not how the call went: no
contact, no success, retried by the answered rule in a campaign; "No answer" would record an
answered call as unanswered. Migration 0007 adds it to databases seeded before. Migration 0011
gives the codes of databases seeded before their Chinese labels."""


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
                label_zh=spec.label_zh,
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
