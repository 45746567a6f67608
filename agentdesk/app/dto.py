"""The data the UI renders, re-exported so ``agentdesk.ui`` depends on ``agentdesk.app`` only."""

from __future__ import annotations

from agentdesk.app.records import (
    LinkChoice,
    PartyDetails,
    PartyRef,
    PhoneView,
    RecordMissing,
    TimelineCall,
    TimelineItem,
    quick_due_times,
)
from agentdesk.crm.callbacks import CallbackItem, CallbackState
from agentdesk.crm.calls import CALLBACKS as CHANGED_CALLBACKS
from agentdesk.crm.calls import CALLS as CHANGED_CALLS
from agentdesk.crm.calls import CASES as CHANGED_CASES
from agentdesk.crm.calls import CONTACTS as CHANGED_CONTACTS
from agentdesk.crm.calls import OPPORTUNITIES as CHANGED_OPPORTUNITIES
from agentdesk.crm.calls import (
    CallLogError,
    ContactRecord,
    DispositionInfo,
    RecentCall,
    StaleRecordError,
    WrapUpSaved,
)
from agentdesk.crm.lookup import History, Match
from agentdesk.crm.search import SearchHit
from agentdesk.domain.enums import OwnerKind
from agentdesk.domain.phone import InvalidPhoneNumber

__all__ = [
    "CHANGED_CALLBACKS",
    "CHANGED_CALLS",
    "CHANGED_CASES",
    "CHANGED_CONTACTS",
    "CHANGED_OPPORTUNITIES",
    "CallLogError",
    "CallbackItem",
    "CallbackState",
    "ContactRecord",
    "DispositionInfo",
    "History",
    "InvalidPhoneNumber",
    "LinkChoice",
    "Match",
    "OwnerKind",
    "PartyDetails",
    "PartyRef",
    "PhoneView",
    "RecentCall",
    "RecordMissing",
    "SearchHit",
    "StaleRecordError",
    "TimelineCall",
    "TimelineItem",
    "WrapUpSaved",
    "quick_due_times",
]
