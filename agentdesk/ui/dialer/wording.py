"""What the dialer tab says: its words for reasons, outcomes and statuses, and the sentences
it builds from a ``DialerView``.

Functions of the view only (no widget state), so the panel stays layout and wiring. The
strings keep the panel's translation context (``DialerPanel``): they are the panel's words,
and the catalogue has them there.
"""

from __future__ import annotations

from collections.abc import Mapping

from PySide6.QtCore import QT_TRANSLATE_NOOP, QCoreApplication

from agentdesk.app.dialer.views import DialerPhase, DialerView, EntryResult
from agentdesk.dialer.selection import OfferedEntry
from agentdesk.ui.desk.pop_views import short_when
from agentdesk.ui.shell.labels import disposition_text

CONTEXT = "DialerPanel"
"""The translation context of every string here (lupdate needs it spelled out in each call)."""

# Marked for lupdate in the panel's context; word() looks them up there at run time.
# Shown in this order; the keys are dialer.blocked.blocked_counts' reasons.
BLOCKED_REASONS = (
    ("outside_hours", QT_TRANSLATE_NOOP("DialerPanel", "outside calling hours")),
    ("dnc", QT_TRANSLATE_NOOP("DialerPanel", "on a do-not-call list")),
    ("exhausted", QT_TRANSLATE_NOOP("DialerPanel", "out of attempts")),
    ("reserved", QT_TRANSLATE_NOOP("DialerPanel", "reserved or on a call")),
    ("retry_wait", QT_TRANSLATE_NOOP("DialerPanel", "waiting for their retry time")),
    ("callback_not_due", QT_TRANSLATE_NOOP("DialerPanel", "callbacks not due yet")),
    ("other_agent", QT_TRANSLATE_NOOP("DialerPanel", "another agent's callbacks")),
    ("invalid", QT_TRANSLATE_NOOP("DialerPanel", "invalid numbers")),
    ("unknown_time_zone", QT_TRANSLATE_NOOP("DialerPanel", "with no known time zone")),
    ("paused", QT_TRANSLATE_NOOP("DialerPanel", "held: the campaign is paused")),
)
SKIP_REASONS = (
    QT_TRANSLATE_NOOP("DialerPanel", "Not the right person"),
    QT_TRANSLATE_NOOP("DialerPanel", "Already a customer"),
    QT_TRANSLATE_NOOP("DialerPanel", "Called recently from another list"),
    QT_TRANSLATE_NOOP("DialerPanel", "Record needs fixing first"),
)
OUTCOMES = {
    "answered": QT_TRANSLATE_NOOP("DialerPanel", "answered"),
    "busy": QT_TRANSLATE_NOOP("DialerPanel", "busy"),
    "no_answer": QT_TRANSLATE_NOOP("DialerPanel", "no answer"),
    "invalid_number": QT_TRANSLATE_NOOP("DialerPanel", "invalid number"),
    "declined": QT_TRANSLATE_NOOP("DialerPanel", "declined"),
    "cancelled": QT_TRANSLATE_NOOP("DialerPanel", "cancelled"),
    "failed": QT_TRANSLATE_NOOP("DialerPanel", "call failed"),
    "skipped": QT_TRANSLATE_NOOP("DialerPanel", "skipped"),
    "dnc": QT_TRANSLATE_NOOP("DialerPanel", "on a do-not-call list, not dialled"),
}
# Why the dialer does not start; the keys are agentdesk.telephony.port.NoRoute's values.
NO_ROUTE = {
    "no_proxy": QT_TRANSLATE_NOOP(
        "DialerPanel",
        "the phone is in direct SIP mode without an outbound proxy, so it cannot call phone "
        "numbers. Set File > Settings > SIP account > Outbound proxy (or register with a PBX) "
        "and restart AgentDesk.",
    ),
    "no_registrar": QT_TRANSLATE_NOOP(
        "DialerPanel",
        "the phone is in register mode without a registrar, so it cannot call phone numbers. "
        "Set File > Settings > SIP account > Registrar and restart AgentDesk.",
    ),
    "not_registered": QT_TRANSLATE_NOOP(
        "DialerPanel",
        "the phone is not registered with the PBX. Check File > Settings > SIP account "
        "(registrar, user name, password).",
    ),
}
STATUSES = {
    "new": QT_TRANSLATE_NOOP("DialerPanel", "new"),
    "callback": QT_TRANSLATE_NOOP("DialerPanel", "callback"),
    "done": QT_TRANSLATE_NOOP("DialerPanel", "done"),
    "dnc": QT_TRANSLATE_NOOP("DialerPanel", "do not call"),
    "exhausted": QT_TRANSLATE_NOOP("DialerPanel", "out of attempts"),
    "invalid": QT_TRANSLATE_NOOP("DialerPanel", "invalid number"),
    "in_progress": QT_TRANSLATE_NOOP("DialerPanel", "in progress"),
    "reserved": QT_TRANSLATE_NOOP("DialerPanel", "reserved"),
}


def marked(text: object) -> str:
    """A string marked with ``QT_TRANSLATE_NOOP`` above, in the UI language."""
    return QCoreApplication.translate(CONTEXT, str(text))


def word(words: Mapping[str, object], key: str) -> str:
    """``key``'s marked word in the UI language; an unknown key as it is."""
    return marked(words[key]) if key in words else key


def mode_text(mode: str) -> str:
    texts = {
        "preview": QCoreApplication.translate("DialerPanel", "Preview"),
        "progressive": QCoreApplication.translate("DialerPanel", "Progressive"),
        "manual": QCoreApplication.translate("DialerPanel", "Manual"),
    }
    return texts.get(mode, mode)


def entry_title(entry: OfferedEntry) -> str:
    """The entry's name (or a placeholder), marked when it is a callback."""
    name = entry.name or QCoreApplication.translate("DialerPanel", "(no name)")
    if entry.is_callback:
        name += QCoreApplication.translate("DialerPanel", " (callback)")
    return name


def history_text(entry: OfferedEntry) -> str:
    if not entry.attempts:
        return QCoreApplication.translate("DialerPanel", "first call")
    last = word(OUTCOMES, entry.last_outcome or "")
    return QCoreApplication.translate("DialerPanel", "{n} so far, last: {last}").format(
        n=entry.attempts, last=last
    )


def blocked_text(blocked: Mapping[str, int]) -> str:
    """Why nothing is dialable, from the counts of held-back entries by reason."""
    parts = [
        QCoreApplication.translate("DialerPanel", "{n} {reason}").format(
            n=blocked[key], reason=marked(text)
        )
        for key, text in BLOCKED_REASONS
        if blocked.get(key)
    ]
    if parts:
        return QCoreApplication.translate(
            "DialerPanel", "Nothing is dialable now. Held back: {parts}."
        ).format(parts="; ".join(parts))
    return QCoreApplication.translate(
        "DialerPanel", "Nothing is dialable now: the campaign has no open entries."
    )


def state_text(view: DialerView, seconds_left: float | None) -> str:
    """The state line; ``seconds_left`` is the countdown's (``None``: no countdown)."""
    name = view.entry.name or view.entry.phone if view.entry else ""
    phase = view.phase
    if view.campaign is None:
        return QCoreApplication.translate("DialerPanel", "Choose a campaign.")
    if phase is DialerPhase.STOPPED:
        if view.entry is not None:
            return QCoreApplication.translate(
                "DialerPanel", "Pausing after the call with {name}"
            ).format(name=name)
        return QCoreApplication.translate(
            "DialerPanel", "Paused. Press Start to dial this campaign."
        )
    if phase is DialerPhase.OUTAGE:
        return QCoreApplication.translate(
            "DialerPanel",
            "Paused: entries are reserved in the database, which cannot be reached. "
            "The dialer goes on by itself when it can.",
        )
    if phase is DialerPhase.WAITING:
        return QCoreApplication.translate("DialerPanel", "Waiting until you are available…")
    if phase is DialerPhase.LOADING:
        if view.entry is not None:
            return QCoreApplication.translate("DialerPanel", "Reserving {name}…").format(name=name)
        return QCoreApplication.translate("DialerPanel", "Finding the next entry…")
    if phase is DialerPhase.CHOOSING:
        return QCoreApplication.translate(
            "DialerPanel", "Pick an entry to dial ({n} listed)"
        ).format(n=len(view.choices))
    if phase is DialerPhase.OFFERED:
        if seconds_left is not None:
            seconds = max(0, round(seconds_left))
            return QCoreApplication.translate("DialerPanel", "Dialing in {n} s").format(n=seconds)
        if view.mode == "manual":
            return QCoreApplication.translate("DialerPanel", "Dial when you are ready")
        return QCoreApplication.translate("DialerPanel", "On hold until you are available")
    if phase is DialerPhase.DIALING:
        return QCoreApplication.translate("DialerPanel", "Dialing {name}…").format(name=name)
    if phase is DialerPhase.ON_CALL:
        return QCoreApplication.translate("DialerPanel", "On call with {name}").format(name=name)
    if phase is DialerPhase.WRAP_UP:
        return QCoreApplication.translate(
            "DialerPanel", "Wrap up the call with {name} to go on"
        ).format(name=name)
    return QCoreApplication.translate("DialerPanel", "Nothing to dial now; asking again shortly")


def last_text(last: EntryResult | None) -> str:
    """What became of the last entry (and when it comes back), or nothing."""
    if last is None:
        return ""
    what = disposition_text(last.label) if last.label else word(OUTCOMES, last.what)
    status = word(STATUSES, last.status)
    if last.next_at is not None:
        when = short_when(last.next_at, "")
        if last.status == "callback":
            return QCoreApplication.translate(
                "DialerPanel", "Last: {name} — {what}; callback at {when}"
            ).format(name=last.name, what=what, when=when)
        return QCoreApplication.translate(
            "DialerPanel", "Last: {name} — {what}; next try after {when}"
        ).format(name=last.name, what=what, when=when)
    return QCoreApplication.translate("DialerPanel", "Last: {name} — {what}; now {status}").format(
        name=last.name, what=what, status=status
    )
