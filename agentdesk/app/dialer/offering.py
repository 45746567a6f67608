"""The next entry: asked for while the agent is free, offered by the campaign's mode.

Preview shows the reserved entry with a countdown, then dials it; progressive dials it at once;
manual lists the next few dialable entries (nothing reserved) for the agent to pick. While
nothing is dialable the question is asked again every ``nothing_retry_seconds``. The session
acts only while the agent is *available*: a countdown stops during an inbound call or a break
and starts again afterwards. When the shared database cannot be reached (reservations live
there) the dialer pauses by itself, says why, and resumes when the database answers again.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable, Mapping
from dataclasses import dataclass

from agentdesk.app.dialer.core import DialerCore
from agentdesk.app.dialer.views import DialerPhase
from agentdesk.app.notices import NoticeKind as K
from agentdesk.app.notices import notice
from agentdesk.db.errors import RequestError
from agentdesk.dialer.outcomes import CampaignProgress, campaign_progress
from agentdesk.dialer.picking import PeekResult, peek_entries
from agentdesk.dialer.rules import DialMode
from agentdesk.dialer.selection import OfferedEntry, next_entry
from agentdesk.journal.journal import unreachable

OUTAGE_RETRY_S = 2.0
"""How soon a dialer paused by an outage asks the database again."""


@dataclass(frozen=True, slots=True)
class _Next:
    entry: OfferedEntry | None
    blocked: Mapping[str, int]
    progress: CampaignProgress


class Offering:
    """Finds the next entry (or the list to pick from) and offers it."""

    def __init__(
        self,
        core: DialerCore,
        *,
        dial: Callable[[OfferedEntry], None],
        preview_seconds: float,
        retry_seconds: float,
        choices: int,
    ) -> None:
        self._core = core
        self._dial = dial
        self._preview_seconds = preview_seconds
        self._retry_seconds = retry_seconds
        self._choice_limit = choices

    def maybe_next(self) -> None:
        core = self._core
        if not core.view.running or core.dial is not None:
            return
        if not core.agent_free():
            core.set(phase=DialerPhase.WAITING, entry=None, countdown_deadline=None, choices=())
            return
        if core.view.mode == DialMode.MANUAL:
            self._load_choices()
        else:
            self._load_next()

    def _stopped(self, generation: int) -> Callable[[BaseException], None]:
        def failed(error: BaseException) -> None:
            if generation != self._core.generation:
                return
            if unreachable(error):
                self._outage()
                return
            self._core.notice(notice(K.DIALER_STOPPED, error=error), error=True)
            self.pause()

        return failed

    def _outage(self) -> None:
        """The shared database is away: nothing can be reserved, so wait and ask again."""
        core = self._core
        core.cancel_timer()
        core.set(phase=DialerPhase.OUTAGE, entry=None, countdown_deadline=None, choices=())
        core.timer = core.loop.call_later(OUTAGE_RETRY_S, self._retry_outage)

    def _retry_outage(self) -> None:
        self._core.timer = None
        if self._core.view.phase is DialerPhase.OUTAGE:
            self.maybe_next()

    def pause(self) -> None:
        """Stop after the current call; a reserved entry that was not dialled goes back now."""
        core = self._core
        core.generation += 1
        core.cancel_timer()
        entry = core.view.entry
        if core.view.phase is DialerPhase.OFFERED and entry is not None:
            core.release(entry)
        dialing = core.dial is not None
        core.set(
            phase=DialerPhase.STOPPED,
            entry=core.view.entry if dialing else None,
            countdown_deadline=None,
            choices=(),
        )

    def _load_choices(self) -> None:
        core = self._core
        campaign = core.view.campaign
        assert campaign is not None
        core.cancel_timer()
        # a refresh keeps the list shown, and a retry in an outage keeps saying why
        if core.view.phase not in (DialerPhase.CHOOSING, DialerPhase.OUTAGE):
            core.set(phase=DialerPhase.LOADING, entry=None, countdown_deadline=None)
        generation = core.generation
        limit, sessions, agent = self._choice_limit, core.sessions, core.agent

        def work() -> tuple[PeekResult, CampaignProgress]:
            found = peek_entries(sessions, campaign.name, agent, limit=limit, now=core.clock())
            return found, campaign_progress(sessions, campaign.name)

        def done(result: tuple[PeekResult, CampaignProgress]) -> None:
            if generation != core.generation or core.dial is not None:
                return
            found, progress = result
            if not core.agent_free():
                core.set(phase=DialerPhase.WAITING, choices=(), progress=progress)
                return
            phase = DialerPhase.CHOOSING if found.entries else DialerPhase.NOTHING
            core.set(
                phase=phase, entry=None, choices=found.entries, blocked=found.blocked,
                progress=progress,
            )  # fmt: skip
            # Read again now and then: retries fall due, hours open, other agents take entries.
            core.timer = core.loop.call_later(self._retry_seconds, self._retry_nothing)

        core.background(work, done, self._stopped(generation))

    def _load_next(self) -> None:
        core = self._core
        campaign = core.view.campaign
        assert campaign is not None
        core.cancel_timer()
        if core.view.phase is not DialerPhase.OUTAGE:  # a retry in an outage keeps saying why
            core.set(phase=DialerPhase.LOADING, entry=None, countdown_deadline=None)
        generation = core.generation
        sessions, agent = core.sessions, core.agent

        def work() -> _Next:
            now = core.clock()
            result = next_entry(sessions, campaign.name, agent, now=now, explain=False)
            blocked: Mapping[str, int] = {}
            if result.entry is None:
                # Why nothing is dialable: the scan runs only when there is nothing to dial.
                why = next_entry(sessions, campaign.name, agent, now=now, dry_run=True)
                blocked = why.blocked
            return _Next(result.entry, blocked, campaign_progress(sessions, campaign.name))

        def done(found: _Next) -> None:
            if generation != core.generation:
                if found.entry is not None:
                    core.release(found.entry)
                return
            core.set(progress=found.progress, blocked=found.blocked)
            if found.entry is None:
                core.set(phase=DialerPhase.NOTHING)
                core.timer = core.loop.call_later(self._retry_seconds, self._retry_nothing)
            else:
                self._offer(found.entry)

        core.background(work, done, self._stopped(generation))

    def _retry_nothing(self) -> None:
        self._core.timer = None
        if self._core.view.phase in (DialerPhase.NOTHING, DialerPhase.CHOOSING):
            self.maybe_next()

    def _offer(self, entry: OfferedEntry) -> None:
        core = self._core
        core.set(phase=DialerPhase.OFFERED, entry=entry, countdown_deadline=None)
        if not core.agent_free():
            return  # the countdown starts when the agent is available again
        if core.view.mode == DialMode.PROGRESSIVE:
            self._dial(entry)
        elif core.view.mode == DialMode.PREVIEW:
            self._start_countdown(entry)

    def _start_countdown(self, entry: OfferedEntry) -> None:
        core = self._core
        core.cancel_timer()
        seconds = self._preview_seconds
        core.timer = core.loop.call_later(seconds, self._countdown_done, entry.id)
        core.set(countdown_deadline=core.now() + seconds)

    def _countdown_done(self, entry_id: uuid.UUID) -> None:
        core = self._core
        core.timer = None
        entry = core.view.entry
        if core.view.phase is DialerPhase.OFFERED and entry is not None and entry.id == entry_id:
            if core.agent_free():
                self._dial(entry)
            else:
                core.set(countdown_deadline=None)

    def lost_entry(self, error: BaseException) -> None:
        """The reservation ran out or someone changed the entry: say so, take the next one."""
        core = self._core
        core.dial = None
        skipped = notice(K.ENTRY_SKIPPED, error=error)
        core.notice(skipped, error=not isinstance(error, RequestError))
        core.set(entry=None, countdown_deadline=None)
        if core.view.running:
            core.set(phase=DialerPhase.WAITING)
            self.maybe_next()

    def on_agent_changed(self) -> None:
        """The desk's agent state changed: start, hold or resume what the dialer shows."""
        core = self._core
        phase, entry = core.view.phase, core.view.entry
        free = core.agent_free()
        if phase is DialerPhase.WAITING and free:
            self.maybe_next()
        elif phase in (DialerPhase.CHOOSING, DialerPhase.NOTHING) and not free:
            core.cancel_timer()  # the list is read again when the agent is free
            core.set(phase=DialerPhase.WAITING, choices=())
        elif phase is DialerPhase.OFFERED and entry is not None:
            if not free and core.view.countdown_deadline is not None:
                core.cancel_timer()
                core.set(countdown_deadline=None)
            elif free and core.view.countdown_deadline is None and core.timer is None:
                if core.view.mode == DialMode.PREVIEW:
                    self._start_countdown(entry)
                elif core.view.mode == DialMode.PROGRESSIVE:
                    self._dial(entry)
