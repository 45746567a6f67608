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
from agentdesk.calls.callbacks import CallbackItem, CallbackState
from agentdesk.calls.dto import DispositionInfo, RecentCall, WrapUpSaved
from agentdesk.calls.records import CallLogError
from agentdesk.crm.lookup.caller import History, Match
from agentdesk.crm.party_records import ContactRecord
from agentdesk.crm.search import SearchHit
from agentdesk.db.errors import StaleRecordError
from agentdesk.domain.changes import CALLBACKS as CHANGED_CALLBACKS
from agentdesk.domain.changes import CALLS as CHANGED_CALLS
from agentdesk.domain.changes import CASES as CHANGED_CASES
from agentdesk.domain.changes import CONTACTS as CHANGED_CONTACTS
from agentdesk.domain.changes import OPPORTUNITIES as CHANGED_OPPORTUNITIES
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
