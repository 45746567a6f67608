"""Admission control for inbound INVITEs (pure; no pjsua2 here).

Why: the pjsua2-python wheel's pjlib uses a select() I/O queue with 64 socket slots, and a
closed socket's slot is only returned after a 500 ms grace delay. Every INVITE gets an RTP and
an RTCP socket before the application hears of it, so more than about 60 new calls a second
(measured: fine at 60/s, abort at 70/s) exhausts the slots and pjlib *aborts the process*.
The adapter therefore refuses INVITEs beyond a budget before pjsua creates their media; no
agent's phone legitimately receives that many calls a second.
"""

from __future__ import annotations

from collections import deque


class InviteRateLimiter:
    """At most ``limit`` admissions in any sliding ``window`` seconds."""

    def __init__(self, limit: int = 20, window: float = 1.0) -> None:
        if limit < 1 or window <= 0:
            raise ValueError("limit must be >= 1 and window > 0")
        self.limit = limit
        self.window = window
        self.refused = 0
        self._admitted: deque[float] = deque()

    def admit(self, now: float) -> bool:
        """Record an arrival at ``now`` (monotonic seconds); False when over budget."""
        while self._admitted and now - self._admitted[0] >= self.window:
            self._admitted.popleft()
        if len(self._admitted) >= self.limit:
            self.refused += 1
            return False
        self._admitted.append(now)
        return True
