"""Every kind of entry a desk writes and the function that applies it: one table."""

from __future__ import annotations

from agentdesk.journal.campaign_kinds import CAMPAIGN_APPLIERS
from agentdesk.journal.journal import Appliers
from agentdesk.journal.kinds import CALL_APPLIERS

APPLIERS: Appliers = {**CALL_APPLIERS, **CAMPAIGN_APPLIERS}
