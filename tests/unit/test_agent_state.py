"""The agent state machine: an exhaustive (state, action) table and random action sequences."""

from __future__ import annotations

import dataclasses
import math

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import RuleBasedStateMachine, initialize, invariant, rule

from agentdesk.domain.agent_state import (
    BUSY_STATUSES,
    CALL_STATUSES,
    LOGIN_REASON,
    MAX_REASON_LENGTH,
    AgentAction,
    AgentState,
    AgentStatus,
    CallAnswered,
    CallEnded,
    CallFailed,
    CallHeld,
    CallOffered,
    CallResumed,
    InvalidTransition,
    LogIn,
    LogOut,
    SetAvailable,
    SetNotReady,
    WrapupDone,
    WrapupExpired,
    WrapupOwed,
    refusal,
    transition,
)

S = AgentStatus
WRAPUP = 30.0
ENDED_AT = 100.0

STATES = {
    S.LOGGED_OUT: AgentState.logged_out(WRAPUP),
    S.NOT_READY: AgentState(S.NOT_READY, WRAPUP, not_ready_reason="break"),
    S.AVAILABLE: AgentState(S.AVAILABLE, WRAPUP),
    S.RINGING: AgentState(S.RINGING, WRAPUP, call_id="c1"),
    S.TALKING: AgentState(S.TALKING, WRAPUP, call_id="c1"),
    S.HELD: AgentState(S.HELD, WRAPUP, call_id="c1"),
    S.WRAP_UP: AgentState(S.WRAP_UP, WRAPUP, call_id="c1", wrapup_deadline=ENDED_AT + WRAPUP),
}
ACTIONS: dict[str, AgentAction] = {
    "log_in": LogIn(),
    "log_out": LogOut(),
    "set_available": SetAvailable(),
    "set_not_ready": SetNotReady("lunch"),
    "call_offered": CallOffered("c2"),
    "call_answered": CallAnswered("c1"),
    "call_held": CallHeld("c1"),
    "call_resumed": CallResumed("c1"),
    "call_ended": CallEnded("c1", now=ENDED_AT),
    "call_failed": CallFailed("c1"),
    "wrapup_done": WrapupDone(),
    "wrapup_expired": WrapupExpired(now=ENDED_AT + WRAPUP),
    "wrapup_owed": WrapupOwed("c9", now=ENDED_AT),
}

LO = STATES[S.LOGGED_OUT]
AV = STATES[S.AVAILABLE]
WU = STATES[S.WRAP_UP]
LUNCH = AgentState(S.NOT_READY, WRAPUP, not_ready_reason="lunch")

# (status, action) -> the next state, or the refusal reason (a substring of it).
ALLOWED: dict[tuple[AgentStatus, str], AgentState] = {
    (S.LOGGED_OUT, "log_in"): AgentState(S.NOT_READY, WRAPUP, not_ready_reason=LOGIN_REASON),
    (S.NOT_READY, "log_out"): LO,
    (S.NOT_READY, "set_available"): AV,
    (S.NOT_READY, "set_not_ready"): LUNCH,
    (S.AVAILABLE, "log_out"): LO,
    (S.AVAILABLE, "set_not_ready"): LUNCH,
    (S.AVAILABLE, "call_offered"): AgentState(S.RINGING, WRAPUP, call_id="c2"),
    (S.RINGING, "set_not_ready"): AgentState(
        S.RINGING, WRAPUP, call_id="c1", pending_not_ready="lunch"
    ),
    (S.RINGING, "call_answered"): STATES[S.TALKING],
    (S.RINGING, "call_ended"): AV,
    (S.RINGING, "call_failed"): AV,
    (S.TALKING, "set_not_ready"): AgentState(
        S.TALKING, WRAPUP, call_id="c1", pending_not_ready="lunch"
    ),
    (S.TALKING, "call_held"): STATES[S.HELD],
    (S.TALKING, "call_ended"): WU,
    (S.HELD, "set_not_ready"): AgentState(S.HELD, WRAPUP, call_id="c1", pending_not_ready="lunch"),
    (S.HELD, "call_resumed"): STATES[S.TALKING],
    (S.HELD, "call_ended"): WU,
    (S.WRAP_UP, "set_not_ready"): dataclasses.replace(WU, pending_not_ready="lunch"),
    (S.WRAP_UP, "wrapup_done"): AV,
    (S.WRAP_UP, "wrapup_expired"): AV,
    (S.AVAILABLE, "wrapup_owed"): AgentState(
        S.WRAP_UP, WRAPUP, call_id="c9", wrapup_deadline=ENDED_AT + WRAPUP
    ),
    (S.NOT_READY, "wrapup_owed"): AgentState(
        S.WRAP_UP,
        WRAPUP,
        call_id="c9",
        wrapup_deadline=ENDED_AT + WRAPUP,
        pending_not_ready="break",
    ),
}
REFUSED: dict[tuple[AgentStatus, str], str] = {
    (S.LOGGED_OUT, "log_out"): "already logged out",
    (S.LOGGED_OUT, "set_available"): "log in first",
    (S.LOGGED_OUT, "set_not_ready"): "log in first",
    (S.LOGGED_OUT, "call_offered"): "logged out",
    (S.NOT_READY, "log_in"): "already logged in",
    (S.NOT_READY, "call_offered"): "not ready",
    (S.AVAILABLE, "log_in"): "already logged in",
    (S.AVAILABLE, "set_available"): "already available",
    (S.RINGING, "log_in"): "already logged in",
    (S.RINGING, "log_out"): "finish the current call",
    (S.RINGING, "set_available"): "when the call is over",
    (S.RINGING, "call_offered"): "already has a call",
    (S.RINGING, "call_held"): "not been answered",
    (S.RINGING, "call_resumed"): "not on hold",
    (S.TALKING, "log_in"): "already logged in",
    (S.TALKING, "log_out"): "finish the current call",
    (S.TALKING, "set_available"): "when the call is over",
    (S.TALKING, "call_offered"): "already has a call",
    (S.TALKING, "call_answered"): "already answered",
    (S.TALKING, "call_resumed"): "not on hold",
    (S.TALKING, "call_failed"): "only end",
    (S.HELD, "log_in"): "already logged in",
    (S.HELD, "log_out"): "finish the current call",
    (S.HELD, "set_available"): "when the call is over",
    (S.HELD, "call_offered"): "already has a call",
    (S.HELD, "call_answered"): "already answered",
    (S.HELD, "call_held"): "already on hold",
    (S.HELD, "call_failed"): "only end",
    (S.WRAP_UP, "log_in"): "already logged in",
    (S.WRAP_UP, "log_out"): "finish wrap-up",
    (S.WRAP_UP, "set_available"): "finish wrap-up",
    (S.WRAP_UP, "call_offered"): "in wrap-up",
    (S.WRAP_UP, "call_answered"): "already answered",
    (S.WRAP_UP, "call_held"): "has ended",
    (S.WRAP_UP, "call_resumed"): "not on hold",
    (S.WRAP_UP, "call_ended"): "already ended",
    (S.WRAP_UP, "call_failed"): "only end",
}
for _status in (S.LOGGED_OUT, S.NOT_READY, S.AVAILABLE):
    for _name in ("call_answered", "call_held", "call_resumed", "call_ended", "call_failed"):
        REFUSED[(_status, _name)] = "no call"
REFUSED[(S.LOGGED_OUT, "wrapup_owed")] = "log in first"
REFUSED[(S.WRAP_UP, "wrapup_owed")] = "finish wrap-up first"
for _status in CALL_STATUSES:
    REFUSED[(_status, "wrapup_owed")] = "finish the current call"
for _status in set(S) - {S.WRAP_UP}:
    for _name in ("wrapup_done", "wrapup_expired"):
        REFUSED[(_status, _name)] = "not in wrap-up"


def test_table_is_exhaustive_and_consistent() -> None:
    every = {(status, name) for status in S for name in ACTIONS}
    assert set(ALLOWED) | set(REFUSED) == every
    assert not set(ALLOWED) & set(REFUSED)


@pytest.mark.parametrize(("status", "name"), sorted(ALLOWED, key=str), ids=lambda v: str(v))
def test_allowed(status: AgentStatus, name: str) -> None:
    state = STATES[status]
    assert transition(state, ACTIONS[name]) == ALLOWED[(status, name)]
    assert refusal(state, ACTIONS[name]) is None


@pytest.mark.parametrize(("status", "name"), sorted(REFUSED, key=str), ids=lambda v: str(v))
def test_refused(status: AgentStatus, name: str) -> None:
    state = STATES[status]
    before = dataclasses.astuple(state)
    with pytest.raises(InvalidTransition) as caught:
        transition(state, ACTIONS[name])
    error = caught.value
    assert isinstance(error, ValueError)
    assert error.state is state and error.action is ACTIONS[name]
    assert REFUSED[(status, name)] in error.reason
    assert str(error).startswith(f"cannot {name.replace('_', ' ')} while {status.label}: ")
    assert dataclasses.astuple(state) == before
    assert refusal(state, ACTIONS[name]) == error.reason


# --- wrap-up policies, pending not-ready, call ids -----------------------------------------------


def _run(state: AgentState, *actions: AgentAction) -> AgentState:
    for action in actions:
        state = transition(state, action)
    return state


def _talking(wrapup_seconds: float | None) -> AgentState:
    return _run(
        AgentState.logged_out(wrapup_seconds),
        LogIn(available=True),
        CallOffered("c1"),
        CallAnswered("c1"),
    )


def test_login_available() -> None:
    assert transition(LO, LogIn(available=True)) == AV


def test_no_wrapup_goes_straight_back() -> None:
    assert transition(_talking(0), CallEnded("c1", now=5.0)) == AgentState(S.AVAILABLE, 0)
    pending = _run(_talking(0), SetNotReady("coaching"), CallEnded("c1", now=5.0))
    assert pending == AgentState(S.NOT_READY, 0, not_ready_reason="coaching")


def test_manual_wrapup_has_no_deadline_and_never_expires() -> None:
    state = transition(_talking(None), CallEnded("c1", now=5.0))
    assert (state.status, state.wrapup_deadline, state.wrapup_remaining(5.0)) == (
        S.WRAP_UP,
        None,
        None,
    )
    with pytest.raises(InvalidTransition, match="no time limit"):
        transition(state, WrapupExpired(now=1e9))
    assert transition(state, WrapupDone()) == AgentState(S.AVAILABLE, None)


def test_timed_wrapup_deadline_and_expiry() -> None:
    state = transition(_talking(WRAPUP), CallEnded("c1", now=ENDED_AT))
    assert state.wrapup_deadline == ENDED_AT + WRAPUP
    assert state.wrapup_remaining(ENDED_AT + 10) == WRAPUP - 10
    assert state.wrapup_remaining(ENDED_AT + 99) == 0.0
    with pytest.raises(InvalidTransition, match="not over yet"):
        transition(state, WrapupExpired(now=ENDED_AT + WRAPUP - 0.001))
    assert transition(state, WrapupExpired(now=ENDED_AT + WRAPUP)) == AV
    assert transition(state, WrapupDone()) == AV  # early finish is fine


def test_pending_not_ready_applies_after_wrapup_and_latest_wins() -> None:
    state = _run(_talking(WRAPUP), SetNotReady("lunch"), CallHeld("c1"), SetNotReady("meeting"))
    state = transition(state, CallEnded("c1", now=ENDED_AT))
    assert (state.status, state.pending_not_ready) == (S.WRAP_UP, "meeting")
    state = transition(state, WrapupExpired(now=ENDED_AT + WRAPUP))
    assert state == AgentState(S.NOT_READY, WRAPUP, not_ready_reason="meeting")


def test_set_available_cancels_pending_not_ready() -> None:
    state = _run(_talking(WRAPUP), SetNotReady("lunch"), SetAvailable())
    assert state == _talking(WRAPUP)
    state = _run(state, CallEnded("c1", now=1.0), SetNotReady("x"), SetAvailable(), WrapupDone())
    assert state == AV


def test_missed_call_with_pending_not_ready() -> None:
    ringing = _run(AV, CallOffered("c9"), SetNotReady("break"))
    expected = AgentState(S.NOT_READY, WRAPUP, not_ready_reason="break")
    assert transition(ringing, CallFailed("c9")) == expected
    assert transition(ringing, CallEnded("c9", now=3.0)) == expected


@pytest.mark.parametrize(
    "action",
    [CallAnswered("other"), CallHeld("other"), CallEnded("other", now=1.0), CallFailed("other")],
    ids=lambda a: a.name,
)
def test_events_for_another_call_are_refused(action: AgentAction) -> None:
    ringing = transition(AV, CallOffered("c1"))
    talking = transition(ringing, CallAnswered("c1"))
    for state in (ringing, talking):
        assert "not the current call" in (refusal(state, action) or "accepted")


@pytest.mark.parametrize("reason", ["", "   ", "x" * (MAX_REASON_LENGTH + 1)])
def test_bad_not_ready_reason(reason: str) -> None:
    with pytest.raises(InvalidTransition, match="reason"):
        transition(AV, SetNotReady(reason))


def test_reason_is_trimmed() -> None:
    assert transition(AV, SetNotReady("  lunch ")) == LUNCH


@pytest.mark.parametrize("now", [math.nan, math.inf, -math.inf])
def test_non_finite_time_is_refused(now: float) -> None:
    with pytest.raises(InvalidTransition, match="finite"):
        transition(STATES[S.TALKING], CallEnded("c1", now=now))
    with pytest.raises(InvalidTransition, match="finite"):
        transition(WU, WrapupExpired(now=now))


def test_empty_call_id_is_refused() -> None:
    with pytest.raises(InvalidTransition, match="no id"):
        transition(AV, CallOffered(""))


@pytest.mark.parametrize(
    "fields",
    [
        {"status": S.NOT_READY},
        {"status": S.AVAILABLE, "not_ready_reason": "x"},
        {"status": S.TALKING},
        {"status": S.AVAILABLE, "call_id": "c1"},
        {"status": S.AVAILABLE, "pending_not_ready": "x"},
        {"status": S.TALKING, "call_id": "c1", "wrapup_deadline": 3.0},
        {"status": S.LOGGED_OUT, "wrapup_seconds": -1.0},
        {"status": S.LOGGED_OUT, "wrapup_seconds": math.nan},
    ],
)
def test_inconsistent_state_cannot_be_built(fields: dict[str, object]) -> None:
    with pytest.raises(ValueError):
        AgentState(**fields)  # type: ignore[arg-type]


def test_not_an_action() -> None:
    with pytest.raises(TypeError):
        transition(AV, "log_in")  # type: ignore[arg-type]


# --- random sequences --------------------------------------------------------------------------


def expected_allowed(state: AgentState, action: AgentAction, now: float) -> bool:
    """An independent statement of the rules, checked against ``transition``."""
    status = state.status
    same_call = getattr(action, "call_id", None) == state.call_id
    match action:
        case LogIn():
            return status is S.LOGGED_OUT
        case LogOut():
            return status in (S.NOT_READY, S.AVAILABLE)
        case SetAvailable():
            return status is S.NOT_READY or state.pending_not_ready is not None
        case SetNotReady():
            return status is not S.LOGGED_OUT and bool(action.reason.strip())
        case CallOffered():
            return status is S.AVAILABLE
        case CallAnswered() | CallFailed():
            return status is S.RINGING and same_call
        case CallHeld():
            return status is S.TALKING and same_call
        case CallResumed():
            return status is S.HELD and same_call
        case CallEnded():
            return status in (S.RINGING, S.TALKING, S.HELD) and same_call
        case WrapupDone():
            return status is S.WRAP_UP
        case WrapupExpired():
            deadline = state.wrapup_deadline
            return status is S.WRAP_UP and deadline is not None and now >= deadline
        case WrapupOwed():
            return status in (S.AVAILABLE, S.NOT_READY) and state.wrapup_seconds != 0
    raise AssertionError(action)


CALL_IDS = st.sampled_from(["current", "current", "current", "c1", "c2"])
REASONS = st.sampled_from(["lunch", "break", " coaching ", ""])


class AgentMachine(RuleBasedStateMachine):
    """Drives random commands and events; every step is checked against the rules above."""

    def __init__(self) -> None:
        super().__init__()
        self.state = AgentState.logged_out()
        self.now = 0.0
        self.steps = 0

    @initialize(wrapup=st.sampled_from([None, 0.0, 5.0, 30.0]))
    def start(self, wrapup: float | None) -> None:
        self.state = AgentState.logged_out(wrapup)
        self.wrapup = wrapup

    def _call_id(self, choice: str) -> str:
        if choice == "current":
            return self.state.call_id or f"n{self.steps}"
        return choice

    def apply(self, action: AgentAction) -> None:
        self.steps += 1
        before = self.state
        snapshot = dataclasses.astuple(before)
        allowed = expected_allowed(before, action, self.now)
        try:
            after = transition(before, action)
        except InvalidTransition as error:
            assert not allowed, f"{action} refused in {before}: {error.reason}"
            assert error.state is before and error.reason
            assert dataclasses.astuple(before) == snapshot
            return
        assert allowed, f"{action} accepted in {before}"
        self.check_step(before, action, after)
        self.state = after

    def check_step(self, before: AgentState, action: AgentAction, after: AgentState) -> None:
        if after.status is S.RINGING and before.status is not S.RINGING:
            assert before.status is S.AVAILABLE
        if before.status is S.WRAP_UP and after.status is not S.WRAP_UP:
            # wrap-up ended: the pending not-ready (if any) is applied
            assert after.status is (S.NOT_READY if before.pending_not_ready else S.AVAILABLE)
            assert after.not_ready_reason == before.pending_not_ready
        if isinstance(action, CallEnded) and before.status in (S.TALKING, S.HELD):
            # an answered call goes to wrap-up unless wrap-up is disabled
            assert (after.status is S.WRAP_UP) == (self.wrapup != 0)
            if after.status is S.WRAP_UP:
                expected = None if self.wrapup is None else action.now + self.wrapup
                assert after.wrapup_deadline == expected
                assert after.pending_not_ready == before.pending_not_ready
        if after.status is S.WRAP_UP and isinstance(action, WrapupOwed):
            # a wrap-up owed since a crash: from between calls, a break kept for afterwards
            assert before.status in (S.AVAILABLE, S.NOT_READY)
            assert after.pending_not_ready == before.not_ready_reason
        elif after.status is S.WRAP_UP:
            assert before.status in (S.WRAP_UP, S.TALKING, S.HELD)
        if before.status in CALL_STATUSES and after.status in (S.AVAILABLE, S.NOT_READY):
            # the call is over without wrap-up: the pending not-ready (if any) is applied
            assert after.not_ready_reason == before.pending_not_ready
        if isinstance(action, SetNotReady) and before.status in BUSY_STATUSES:
            assert after == dataclasses.replace(before, pending_not_ready=action.reason.strip())
        if before.call_id is not None and after.call_id is not None:
            assert after.call_id == before.call_id

    def candidates(self, data: st.DataObject) -> list[AgentAction]:
        call = self._call_id(data.draw(CALL_IDS, label="call"))
        return [
            LogIn(available=data.draw(st.booleans(), label="available")),
            LogOut(),
            SetAvailable(),
            SetNotReady(data.draw(REASONS, label="reason")),
            CallOffered(data.draw(st.sampled_from(["c1", "c2", "c3"]), label="offered")),
            CallAnswered(call),
            CallHeld(call),
            CallResumed(call),
            CallEnded(call, now=self.now),
            CallFailed(call),
            WrapupDone(),
            WrapupExpired(now=self.now),
            WrapupOwed("owed", now=self.now),
        ]

    @rule(data=st.data())
    def any_action(self, data: st.DataObject) -> None:
        # mostly refused: exercises the refusals from every reachable state
        self.apply(data.draw(st.sampled_from(self.candidates(data)), label="action"))

    @rule(data=st.data(), seconds=st.floats(min_value=0, max_value=40))
    def allowed_action(self, data: st.DataObject, seconds: float) -> None:
        # Without this, random walks rarely get past ringing (most actions are refused). Call
        # events are weighted up so that calls, holds, wrap-ups and their endings are frequent.
        self.now += seconds
        options = self.candidates(data)
        allowed = [a for a in options if expected_allowed(self.state, a, self.now)]
        weighted = [a for a in allowed for _ in range(1 if isinstance(a, LogOut) else 3)]
        weighted += [a for a in allowed if not isinstance(a, LogOut | SetNotReady)] * 2
        self.apply(data.draw(st.sampled_from(weighted or options), label="action"))

    @invariant()
    def consistent(self) -> None:
        state = self.state
        assert state.wrapup_seconds == self.wrapup  # transitions never change the policy
        assert (state.wrapup_deadline is not None) <= (state.status is S.WRAP_UP)
        assert (state.call_id is not None) == (state.status in BUSY_STATUSES)
        assert (state.not_ready_reason is not None) == (state.status is S.NOT_READY)
        assert state.pending_not_ready is None or state.status in BUSY_STATUSES
        if state.status is S.WRAP_UP and self.wrapup is not None:
            assert state.wrapup_deadline is not None
            assert state.wrapup_remaining(self.now) is not None


AgentMachine.TestCase.settings = settings(max_examples=100, stateful_step_count=40, deadline=None)
TestAgentMachine = AgentMachine.TestCase
