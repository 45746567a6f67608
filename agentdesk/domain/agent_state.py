"""The agent's state machine: logged out, not ready, available, ringing, talking, held, wrap-up.

Pure and immutable: :class:`AgentState` is a frozen value and :func:`transition` returns the next
one or raises :class:`InvalidTransition` (the old value is untouched, so a refused action cannot
change anything). Time is injected: actions that need it carry ``now``, a float on whatever clock
the caller uses consistently (``time.monotonic()`` in the app, plain numbers in tests).

::

    logged_out --log_in--> not_ready(reason) <--set_not_ready-- available --call_offered--> ringing
        ^                     |   ^                 |   ^                                    |
        +-------log_out-------+   +--set_available--+   +--call_failed / call_ended (missed)--+
                                                                                     call_answered
    ringing --> talking <--call_held / call_resumed--> held                                   |
    talking / held --call_ended--> wrap_up --wrapup_done / wrapup_expired--> available or not_ready

Decisions:

* ``log_in`` leads to ``not_ready`` with reason :data:`LOGIN_REASON` (agents usually start not
  ready), or straight to ``available`` with ``LogIn(available=True)``.
* ``wrapup_seconds`` is part of the state (the agent's current policy): ``0`` means no wrap-up
  (``call_ended`` goes straight back), ``None`` a manual wrap-up without timer (only
  ``wrapup_done`` ends it), a positive number a timed wrap-up whose deadline is
  ``now + wrapup_seconds``; ``wrapup_done`` may still end it early.
* ``ringing`` is only reached from ``available``. A call that ends before it is answered
  (``call_failed``, or ``call_ended`` for a call still ringing: missed, rejected, cancelled)
  returns to ``available`` without wrap-up, there being no conversation to wrap up.
* ``set_not_ready`` while ringing, talking, held or in wrap-up does not interrupt the call: it
  records a *pending* not-ready reason applied when the call is over (after wrap-up, or at once
  when a ringing call is missed or wrap-up is disabled). A later ``set_not_ready`` replaces the
  pending reason; ``set_available`` cancels it.
* ``log_out`` is refused during a call and during wrap-up (the wrap-up saves the call record).
* Call events carry the call id; one for another call than the agent's is refused, so late
  events of an old call cannot move the agent. Call waiting is not modelled: ``call_offered``
  while busy is refused, and the telephony layer should answer such calls busy.
"""

from __future__ import annotations

import enum
import math
from dataclasses import dataclass, replace
from typing import ClassVar

LOGIN_REASON = "login"
MAX_REASON_LENGTH = 64


class AgentStatus(enum.StrEnum):
    LOGGED_OUT = "logged_out"
    NOT_READY = "not_ready"
    AVAILABLE = "available"
    RINGING = "ringing"
    TALKING = "talking"
    HELD = "held"
    WRAP_UP = "wrap_up"

    @property
    def label(self) -> str:
        return self.value.replace("_", " ")


CALL_STATUSES = frozenset({AgentStatus.RINGING, AgentStatus.TALKING, AgentStatus.HELD})
"""Statuses in which the agent has a live call."""
BUSY_STATUSES = CALL_STATUSES | {AgentStatus.WRAP_UP}
"""Statuses that belong to a call (live or in wrap-up) and so carry a ``call_id``."""


@dataclass(frozen=True, slots=True)
class AgentState:
    """Where the agent stands. Construct with :meth:`logged_out`; advance with :func:`transition`.

    ``not_ready_reason`` is set exactly in ``not_ready``; ``call_id`` exactly while busy with a
    call (ringing, talking, held, wrap-up); ``wrapup_deadline`` only in a timed wrap-up;
    ``pending_not_ready`` only while busy with a call. Inconsistent values raise ``ValueError``.
    """

    status: AgentStatus = AgentStatus.LOGGED_OUT
    wrapup_seconds: float | None = None
    not_ready_reason: str | None = None
    call_id: str | None = None
    wrapup_deadline: float | None = None
    pending_not_ready: str | None = None

    def __post_init__(self) -> None:
        if self.wrapup_seconds is not None and not (
            math.isfinite(self.wrapup_seconds) and self.wrapup_seconds >= 0
        ):
            raise ValueError("wrapup_seconds must be None (manual) or a finite number >= 0")
        if (self.not_ready_reason is not None) != (self.status is AgentStatus.NOT_READY):
            raise ValueError("not_ready_reason is set exactly when not ready")
        if (self.call_id is not None) != (self.status in BUSY_STATUSES):
            raise ValueError("call_id is set exactly while busy with a call")
        if self.pending_not_ready is not None and self.status not in BUSY_STATUSES:
            raise ValueError("a pending not-ready only exists while busy with a call")
        if self.wrapup_deadline is not None and self.status is not AgentStatus.WRAP_UP:
            raise ValueError("a wrap-up deadline only exists in wrap-up")

    @classmethod
    def logged_out(cls, wrapup_seconds: float | None = None) -> AgentState:
        return cls(AgentStatus.LOGGED_OUT, wrapup_seconds=wrapup_seconds)

    def wrapup_remaining(self, now: float) -> float | None:
        """Seconds left in a timed wrap-up (never negative); ``None`` without a timer."""
        if self.wrapup_deadline is None:
            return None
        return max(0.0, self.wrapup_deadline - now)


# --- actions (commands from the agent and events from the phone) --------------------------------


@dataclass(frozen=True, slots=True)
class LogIn:
    name: ClassVar[str] = "log_in"
    available: bool = False


@dataclass(frozen=True, slots=True)
class LogOut:
    name: ClassVar[str] = "log_out"


@dataclass(frozen=True, slots=True)
class SetAvailable:
    name: ClassVar[str] = "set_available"


@dataclass(frozen=True, slots=True)
class SetNotReady:
    name: ClassVar[str] = "set_not_ready"
    reason: str


@dataclass(frozen=True, slots=True)
class CallOffered:
    name: ClassVar[str] = "call_offered"
    call_id: str


@dataclass(frozen=True, slots=True)
class CallAnswered:
    name: ClassVar[str] = "call_answered"
    call_id: str


@dataclass(frozen=True, slots=True)
class CallHeld:
    name: ClassVar[str] = "call_held"
    call_id: str


@dataclass(frozen=True, slots=True)
class CallResumed:
    name: ClassVar[str] = "call_resumed"
    call_id: str


@dataclass(frozen=True, slots=True)
class CallEnded:
    name: ClassVar[str] = "call_ended"
    call_id: str
    now: float


@dataclass(frozen=True, slots=True)
class CallFailed:
    """The offered call ended before it was answered (missed, rejected, cancelled, failed)."""

    name: ClassVar[str] = "call_failed"
    call_id: str


@dataclass(frozen=True, slots=True)
class WrapupDone:
    name: ClassVar[str] = "wrapup_done"


@dataclass(frozen=True, slots=True)
class WrapupExpired:
    name: ClassVar[str] = "wrapup_expired"
    now: float


@dataclass(frozen=True, slots=True)
class WrapupOwed:
    """At start: the desk stopped during an answered call (a crash), whose wrap-up is owed."""

    name: ClassVar[str] = "wrapup_owed"
    call_id: str
    now: float


AgentAction = (
    LogIn
    | LogOut
    | SetAvailable
    | SetNotReady
    | CallOffered
    | CallAnswered
    | CallHeld
    | CallResumed
    | CallEnded
    | CallFailed
    | WrapupDone
    | WrapupExpired
    | WrapupOwed
)


class InvalidTransition(ValueError):
    """``action`` is not allowed in ``state``; ``reason`` says why in words for the agent."""

    def __init__(self, state: AgentState, action: AgentAction, reason: str) -> None:
        super().__init__(
            f"cannot {action.name.replace('_', ' ')} while {state.status.label}: {reason}"
        )
        self.state = state
        self.action = action
        self.reason = reason


# --- the machine ----------------------------------------------------------------------------

_S = AgentStatus


def _after_call(state: AgentState) -> AgentState:
    """Where the agent goes once a call (and its wrap-up) is over."""
    if state.pending_not_ready is not None:
        return AgentState(
            _S.NOT_READY, state.wrapup_seconds, not_ready_reason=state.pending_not_ready
        )
    return AgentState(_S.AVAILABLE, state.wrapup_seconds)


_OFFER_REFUSALS = {
    _S.LOGGED_OUT: "the agent is logged out",
    _S.NOT_READY: "the agent is not ready",
    _S.RINGING: "the agent already has a call",
    _S.TALKING: "the agent already has a call",
    _S.HELD: "the agent already has a call",
    _S.WRAP_UP: "the agent is in wrap-up",
}


def _refuse_if_busy(state: AgentState, action: AgentAction) -> None:
    if state.status is _S.LOGGED_OUT:
        raise InvalidTransition(state, action, "log in first")
    if state.status in CALL_STATUSES:
        raise InvalidTransition(state, action, "finish the current call first")
    if state.status is _S.WRAP_UP:
        raise InvalidTransition(state, action, "finish wrap-up first")


def _check_call(state: AgentState, action: AgentAction, call_id: str) -> None:
    if state.call_id is None:
        raise InvalidTransition(state, action, "there is no call")
    if call_id != state.call_id:
        raise InvalidTransition(
            state, action, f"the event is for call {call_id!r}, not the current call"
        )


def _check_now(state: AgentState, action: AgentAction, now: float) -> None:
    if not math.isfinite(now):
        raise InvalidTransition(state, action, "the time given is not a finite number")


def transition(state: AgentState, action: AgentAction) -> AgentState:
    """The state after ``action``; raises :class:`InvalidTransition` when it is not allowed."""
    status = state.status
    match action:
        case LogIn():
            if status is not _S.LOGGED_OUT:
                raise InvalidTransition(state, action, "already logged in")
            if action.available:
                return AgentState(_S.AVAILABLE, state.wrapup_seconds)
            return AgentState(_S.NOT_READY, state.wrapup_seconds, not_ready_reason=LOGIN_REASON)

        case LogOut():
            if status is _S.LOGGED_OUT:
                raise InvalidTransition(state, action, "already logged out")
            _refuse_if_busy(state, action)
            return AgentState.logged_out(state.wrapup_seconds)

        case SetAvailable():
            if status is _S.AVAILABLE:
                raise InvalidTransition(state, action, "already available")
            if status is _S.NOT_READY:
                return AgentState(_S.AVAILABLE, state.wrapup_seconds)
            if status in BUSY_STATUSES and state.pending_not_ready is not None:
                return replace(state, pending_not_ready=None)  # changed their mind
            if status is _S.WRAP_UP:
                raise InvalidTransition(state, action, "finish wrap-up first")
            if status in CALL_STATUSES:
                raise InvalidTransition(
                    state, action, "you will be available again when the call is over"
                )
            raise InvalidTransition(state, action, "log in first")

        case SetNotReady():
            reason = action.reason.strip() if isinstance(action.reason, str) else ""
            if not reason:
                raise InvalidTransition(state, action, "a not-ready reason is required")
            if len(reason) > MAX_REASON_LENGTH:
                raise InvalidTransition(state, action, "the not-ready reason is too long")
            if status is _S.LOGGED_OUT:
                raise InvalidTransition(state, action, "log in first")
            if status in BUSY_STATUSES:
                return replace(state, pending_not_ready=reason)
            return AgentState(_S.NOT_READY, state.wrapup_seconds, not_ready_reason=reason)

        case CallOffered():
            if not action.call_id:
                raise InvalidTransition(state, action, "the call has no id")
            if status is _S.AVAILABLE:
                return AgentState(_S.RINGING, state.wrapup_seconds, call_id=action.call_id)
            raise InvalidTransition(state, action, _OFFER_REFUSALS[status])

        case CallAnswered():
            _check_call(state, action, action.call_id)
            if status is not _S.RINGING:
                raise InvalidTransition(state, action, "the call was already answered")
            return replace(state, status=_S.TALKING)

        case CallHeld():
            _check_call(state, action, action.call_id)
            if status is not _S.TALKING:
                raise InvalidTransition(state, action, _not_talking(status))
            return replace(state, status=_S.HELD)

        case CallResumed():
            _check_call(state, action, action.call_id)
            if status is not _S.HELD:
                raise InvalidTransition(state, action, "the call is not on hold")
            return replace(state, status=_S.TALKING)

        case CallEnded():
            _check_call(state, action, action.call_id)
            _check_now(state, action, action.now)
            if status is _S.WRAP_UP:
                raise InvalidTransition(state, action, "the call has already ended")
            if status is _S.RINGING or state.wrapup_seconds == 0:
                return _after_call(state)
            deadline = None if state.wrapup_seconds is None else action.now + state.wrapup_seconds
            return replace(state, status=_S.WRAP_UP, wrapup_deadline=deadline)

        case CallFailed():
            _check_call(state, action, action.call_id)
            if status is not _S.RINGING:
                raise InvalidTransition(
                    state, action, "the call was answered; it can only end, not fail"
                )
            return _after_call(state)

        case WrapupDone():
            if status is not _S.WRAP_UP:
                raise InvalidTransition(state, action, "not in wrap-up")
            return _after_call(state)

        case WrapupExpired():
            _check_now(state, action, action.now)
            if status is not _S.WRAP_UP:
                raise InvalidTransition(state, action, "not in wrap-up")
            if state.wrapup_deadline is None:
                raise InvalidTransition(state, action, "this wrap-up has no time limit")
            if action.now < state.wrapup_deadline:
                raise InvalidTransition(state, action, "the wrap-up time is not over yet")
            return _after_call(state)

        case WrapupOwed():
            _check_now(state, action, action.now)
            _refuse_if_busy(state, action)  # only between calls
            if (seconds := state.wrapup_seconds) == 0:
                raise InvalidTransition(state, action, "wrap-up is off: it is saved at once")
            deadline = None if seconds is None else action.now + seconds
            # a break stays a break once the wrap-up is done
            return AgentState(_S.WRAP_UP, seconds, None, action.call_id, deadline,
                              state.not_ready_reason)  # fmt: skip

    raise TypeError(f"not an agent action: {action!r}")


def _not_talking(status: AgentStatus) -> str:
    if status is _S.HELD:
        return "the call is already on hold"
    if status is _S.RINGING:
        return "the call has not been answered"
    return "the call has ended"


def refusal(state: AgentState, action: AgentAction) -> str | None:
    """Why ``action`` would be refused in ``state``, or ``None`` when it is allowed (for UIs)."""
    try:
        transition(state, action)
    except InvalidTransition as exc:
        return exc.reason
    return None
