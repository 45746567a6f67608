"""The desk's and the dialer's notices in the UI language, and the refusals they carry.

A notice comes as a kind with values (``agentdesk.app.notices``): each kind's sentence is here,
marked for the catalogue (context ``Notice``) with the English text the app logs. A value that
is a refusal the desk gives in fixed words (why a call cannot be placed now, why the agent's
state did not change, why a wrap-up cannot be saved yet) is translated too; a value that is a
service's own message (an exception's text, a number) is shown as it is.
"""

from __future__ import annotations

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from agentdesk.app.notices import Notice, NoticeKind

_CONTEXT = "Notice"
K = NoticeKind
SENTENCES: dict[str, object] = {
    K.CALL_REFUSED: QT_TRANSLATE_NOOP("Notice", "call from {number} refused"),
    K.WITHHELD_REFUSED: QT_TRANSLATE_NOOP("Notice", "call from a withheld number refused"),
    K.CALLER_PRESSED: QT_TRANSLATE_NOOP("Notice", "caller pressed {digit}"),
    K.TRANSFER_FAILED: QT_TRANSLATE_NOOP("Notice", "transfer failed ({code})"),
    K.COMMAND_FAILED: QT_TRANSLATE_NOOP("Notice", "{command} failed: {error}"),
    K.WORK_FAILED: QT_TRANSLATE_NOOP("Notice", "{error}"),
    K.WRAPUP_NOT_SAVED: QT_TRANSLATE_NOOP("Notice", "the wrap-up was not saved: {error}"),
    K.WRAPUP_OWED: QT_TRANSLATE_NOOP(
        "Notice", "the desk stopped during the call with {number}: please wrap it up"
    ),
    K.CHANGES_REFUSED: QT_TRANSLATE_NOOP(
        "Notice",
        "the database refused {count} change(s) kept on this computer: they are set aside "
        "(agentdesk journal status)",
    ),
    K.CALL_NOT_PLACED: QT_TRANSLATE_NOOP("Notice", "the call was not placed: {error}"),
    K.DIALER_STOPPED: QT_TRANSLATE_NOOP("Notice", "the dialer stopped: {error}"),
    K.DIALER_STOPPED_NOT_DIALLED: QT_TRANSLATE_NOOP(
        "Notice", "the dialer stopped: {who} was not dialled: {why}"
    ),
    K.NOT_DIALLED: QT_TRANSLATE_NOOP("Notice", "{who} was not dialled: {why}"),
    K.ENTRY_SKIPPED: QT_TRANSLATE_NOOP("Notice", "entry skipped: {error}"),
    K.ATTEMPT_NOT_RECORDED: QT_TRANSLATE_NOOP(
        "Notice", "the attempt on {who} was not recorded: {error}"
    ),
    K.WRAPUP_NOT_APPLIED: QT_TRANSLATE_NOOP(
        "Notice", "the wrap-up was not applied to {who}: {error}"
    ),
    K.ATTEMPT_KEPT: QT_TRANSLATE_NOOP(
        "Notice",
        "the attempt on {who} is kept on this computer: it reaches the campaign when the "
        "database returns",
    ),
    K.KEPT_ELSEWHERE: QT_TRANSLATE_NOOP(
        "Notice",
        "{count} change(s) kept on this computer for {database} still wait: if that is this "
        "database under its old address, apply them with: agentdesk journal replay --from {file}",
    ),
    K.ATTEMPT_NOT_APPLIED: QT_TRANSLATE_NOOP(
        "Notice",
        "the attempt on {who} is in the campaign's history, but the entry had moved on: {error}",
    ),
}
"""Each kind's sentence; ``agentdesk.app.notices.TEXTS`` has the same English (a test checks)."""

COMMANDS: dict[str, object] = {
    "answer": QT_TRANSLATE_NOOP("Notice", "answer"),
    "hang up": QT_TRANSLATE_NOOP("Notice", "hang up"),
    "hold": QT_TRANSLATE_NOOP("Notice", "hold"),
    "resume": QT_TRANSLATE_NOOP("Notice", "resume"),
    "mute": QT_TRANSLATE_NOOP("Notice", "mute"),
    "unmute": QT_TRANSLATE_NOOP("Notice", "unmute"),
    "record": QT_TRANSLATE_NOOP("Notice", "record"),
    "stop recording": QT_TRANSLATE_NOOP("Notice", "stop recording"),
    "transfer": QT_TRANSLATE_NOOP("Notice", "transfer"),
    "consult call": QT_TRANSLATE_NOOP("Notice", "consult call"),
    "complete transfer": QT_TRANSLATE_NOOP("Notice", "complete transfer"),
    "cancel transfer": QT_TRANSLATE_NOOP("Notice", "cancel transfer"),
    "register": QT_TRANSLATE_NOOP("Notice", "register"),
    "reject": QT_TRANSLATE_NOOP("Notice", "reject"),
}
"""The softphone commands a ``command_failed`` notice names (``DeskCore.command``'s ``what``)."""

REFUSALS: dict[str, object] = {
    # agentdesk.app.desk.outbound and wrapup
    "enter a number": QT_TRANSLATE_NOOP("Notice", "enter a number"),
    "finish the current call first": QT_TRANSLATE_NOOP("Notice", "finish the current call first"),
    "there is no call to wrap up": QT_TRANSLATE_NOOP("Notice", "there is no call to wrap up"),
    "choose a disposition": QT_TRANSLATE_NOOP("Notice", "choose a disposition"),
    "already saving": QT_TRANSLATE_NOOP("Notice", "already saving"),
    "the agent cannot take a call now": QT_TRANSLATE_NOOP(
        "Notice", "the agent cannot take a call now"
    ),
    # agentdesk.domain.agent_state (what an agent meets: not the event-order checks)
    "log in first": QT_TRANSLATE_NOOP("Notice", "log in first"),
    "finish wrap-up first": QT_TRANSLATE_NOOP("Notice", "finish wrap-up first"),
    "there is no call": QT_TRANSLATE_NOOP("Notice", "there is no call"),
    "already logged in": QT_TRANSLATE_NOOP("Notice", "already logged in"),
    "already logged out": QT_TRANSLATE_NOOP("Notice", "already logged out"),
    "already available": QT_TRANSLATE_NOOP("Notice", "already available"),
    "you will be available again when the call is over": QT_TRANSLATE_NOOP(
        "Notice", "you will be available again when the call is over"
    ),
    "a not-ready reason is required": QT_TRANSLATE_NOOP("Notice", "a not-ready reason is required"),
    "the not-ready reason is too long": QT_TRANSLATE_NOOP(
        "Notice", "the not-ready reason is too long"
    ),
    "the agent is logged out": QT_TRANSLATE_NOOP("Notice", "the agent is logged out"),
    "the agent is not ready": QT_TRANSLATE_NOOP("Notice", "the agent is not ready"),
    "the agent already has a call": QT_TRANSLATE_NOOP("Notice", "the agent already has a call"),
    "the agent is in wrap-up": QT_TRANSLATE_NOOP("Notice", "the agent is in wrap-up"),
    "the call was already answered": QT_TRANSLATE_NOOP("Notice", "the call was already answered"),
    "the call is already on hold": QT_TRANSLATE_NOOP("Notice", "the call is already on hold"),
    "the call has not been answered": QT_TRANSLATE_NOOP("Notice", "the call has not been answered"),
    "the call has ended": QT_TRANSLATE_NOOP("Notice", "the call has ended"),
    "the call is not on hold": QT_TRANSLATE_NOOP("Notice", "the call is not on hold"),
    "the call has already ended": QT_TRANSLATE_NOOP("Notice", "the call has already ended"),
}
"""Refusals the desk words itself, by their English text (they come as text, not keys)."""


def _translate(text: object) -> str:
    return QCoreApplication.translate(_CONTEXT, str(text))


def refusal_text(text: str) -> str:
    """A refusal in the UI language when it is one of :data:`REFUSALS`, else as given."""
    known = REFUSALS.get(text)
    return text if known is None else _translate(known)


def notice_text(notice: Notice) -> str:
    """The notice's sentence in the UI language, its values filled in."""
    values = {name: refusal_text(value) for name, value in notice.fields.items()}
    if "command" in values:
        command = COMMANDS.get(values["command"])
        values["command"] = values["command"] if command is None else _translate(command)
    sentence = SENTENCES.get(notice.kind)
    return notice.message if sentence is None else _translate(sentence).format(**values)
