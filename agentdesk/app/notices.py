"""What the desk and the dialer tell the agent in the status bar, as kinds with values.

The UI words each kind in its language (``agentdesk.ui.shell.notices``); :attr:`Notice.message`
is the English sentence, for logs and tests. A value may be a service's own message (an
exception's text): the UI translates the refusals it knows (``REFUSALS``) and shows others as
they are.
"""

from __future__ import annotations

import enum
from dataclasses import dataclass


class NoticeKind(enum.StrEnum):
    CALL_REFUSED = "call_refused"
    WITHHELD_REFUSED = "withheld_refused"
    CALLER_PRESSED = "caller_pressed"
    TRANSFER_FAILED = "transfer_failed"
    COMMAND_FAILED = "command_failed"
    WORK_FAILED = "work_failed"
    WRAPUP_NOT_SAVED = "wrapup_not_saved"
    WRAPUP_OWED = "wrapup_owed"
    CHANGES_REFUSED = "changes_refused"
    CALL_NOT_PLACED = "call_not_placed"
    DIALER_STOPPED = "dialer_stopped"
    DIALER_STOPPED_NOT_DIALLED = "dialer_stopped_not_dialled"
    NOT_DIALLED = "not_dialled"
    ENTRY_SKIPPED = "entry_skipped"
    ATTEMPT_NOT_RECORDED = "attempt_not_recorded"
    WRAPUP_NOT_APPLIED = "wrapup_not_applied"
    ATTEMPT_KEPT = "attempt_kept"
    ATTEMPT_NOT_APPLIED = "attempt_not_applied"
    KEPT_ELSEWHERE = "kept_elsewhere"


TEXTS: dict[NoticeKind, str] = {
    NoticeKind.CALL_REFUSED: "call from {number} refused",
    NoticeKind.WITHHELD_REFUSED: "call from a withheld number refused",
    NoticeKind.CALLER_PRESSED: "caller pressed {digit}",
    NoticeKind.TRANSFER_FAILED: "transfer failed ({code})",
    NoticeKind.COMMAND_FAILED: "{command} failed: {error}",
    NoticeKind.WORK_FAILED: "{error}",
    NoticeKind.WRAPUP_NOT_SAVED: "the wrap-up was not saved: {error}",
    NoticeKind.WRAPUP_OWED: "the desk stopped during the call with {number}: please wrap it up",
    NoticeKind.CHANGES_REFUSED: (
        "the database refused {count} change(s) kept on this computer: they are set aside "
        "(agentdesk journal status)"
    ),
    NoticeKind.CALL_NOT_PLACED: "the call was not placed: {error}",
    NoticeKind.DIALER_STOPPED: "the dialer stopped: {error}",
    NoticeKind.DIALER_STOPPED_NOT_DIALLED: "the dialer stopped: {who} was not dialled: {why}",
    NoticeKind.NOT_DIALLED: "{who} was not dialled: {why}",
    NoticeKind.ENTRY_SKIPPED: "entry skipped: {error}",
    NoticeKind.ATTEMPT_NOT_RECORDED: "the attempt on {who} was not recorded: {error}",
    NoticeKind.WRAPUP_NOT_APPLIED: "the wrap-up was not applied to {who}: {error}",
    NoticeKind.ATTEMPT_KEPT: (
        "the attempt on {who} is kept on this computer: it reaches the campaign when the "
        "database returns"
    ),
    NoticeKind.KEPT_ELSEWHERE: (
        "{count} change(s) kept on this computer for {database} still wait: if that is this "
        "database under its old address, apply them with: agentdesk journal replay --from {file}"
    ),
    NoticeKind.ATTEMPT_NOT_APPLIED: (
        "the attempt on {who} is in the campaign's history, but the entry had moved on: {error}"
    ),
}
"""The English sentence of each kind; ``{...}`` are the names of its values."""


@dataclass(frozen=True, slots=True)
class Notice:
    """A kind and the values that fill its blanks (all text)."""

    kind: NoticeKind
    values: tuple[tuple[str, str], ...] = ()

    @property
    def fields(self) -> dict[str, str]:
        return dict(self.values)

    @property
    def message(self) -> str:
        return TEXTS[self.kind].format(**self.fields)


def notice(kind: NoticeKind, **values: object) -> Notice:
    """``notice(NoticeKind.CALL_REFUSED, number="+44...")``; values are kept as text."""
    return Notice(kind, tuple((name, str(value)) for name, value in values.items()))
