"""The dialog shown when the desktop cannot start (the database cannot be reached, a setting is
wrong): someone who starts AgentDesk from a desktop icon sees no terminal, so the reason and
what to check must come up in a window.

:func:`start_error_box` builds the dialog (tests drive it offscreen); :func:`show_start_error`
makes the Qt application if there is none, loads the UI language and runs it modally.
"""

from __future__ import annotations

import os
import sys

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QApplication, QMessageBox, QWidget

from agentdesk.app.desktop import DesktopStartError, StartProblem
from agentdesk.ui.shell.i18n import choose_language, install_translators


def what_to_check(error: DesktopStartError) -> str:
    """What the user should look at for ``error``, in the UI language."""
    translate = QCoreApplication.translate
    config = str(error.config_path)
    match error.problem:
        case StartProblem.DATABASE_SERVER:
            text = translate(
                "StartError",
                "Check that:\n"
                "• the database server is running and reachable from this computer (the host "
                "and port in the URL, a VPN or firewall in between);\n"
                "• the database name and user are right, and the password (kept in the "
                "system keyring) is current;\n"
                "• the URL is the one you mean: it comes from --db, else the AGENTDESK_DB_URL "
                "variable, else [database] url in {config}.",
            )
        case StartProblem.DATABASE_FILE:
            text = translate(
                "StartError",
                "Check that the folder of the database file exists, that you may write to it "
                "and that the disk is not full. The file comes from --db, else the "
                "AGENTDESK_DB_URL variable, else [database] url in {config}, else the "
                "embedded database in your data folder.",
            )
        case StartProblem.DATABASE_URL:
            text = translate(
                "StartError",
                "Check the database URL (postgresql://user@host:port/name or "
                "sqlite:///path/to/file.db): it comes from --db, else the AGENTDESK_DB_URL "
                "variable, else [database] url in {config}.",
            )
        case StartProblem.DATABASE_SCHEMA:
            text = translate(
                "StartError",
                "The shared database is at an older schema than this AgentDesk. Ask your "
                "administrator to run `agentdesk db upgrade` once for the team, or use the "
                "AgentDesk version the team runs.",
            )
        case StartProblem.DATABASE_LOGIN:
            text = translate(
                "StartError",
                "Each user signs in to the shared database with their own login and password. "
                "Check the user name in the URL (it comes from --db, else the AGENTDESK_DB_URL "
                "variable, else [database] url in {config}); your administrator creates users "
                "with `agentdesk user add` and sets passwords with `agentdesk user password`.",
            )
        case StartProblem.CONFIG:
            text = translate(
                "StartError",
                "Correct the setting named above in {config}, or remove that line to use the "
                "default.",
            )
    return text.format(config=config)


def start_error_box(error: DesktopStartError, parent: QWidget | None = None) -> QMessageBox:
    """The dialog for ``error``: what failed, the reason as the system gave it, what to check."""
    translate = QCoreApplication.translate
    database = error.problem is not StartProblem.CONFIG
    headline = (
        translate("StartError", "AgentDesk cannot open its database.")
        if database
        else translate("StartError", "AgentDesk cannot start: a setting is wrong.")
    )
    box = QMessageBox(parent)
    box.setObjectName("startErrorBox")
    box.setIcon(QMessageBox.Icon.Critical)
    box.setWindowTitle(translate("StartError", "AgentDesk cannot start"))
    box.setText(f"{headline}\n\n{error}")
    box.setInformativeText(what_to_check(error))
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    return box


def run_modal(box: QMessageBox) -> None:
    """Run ``box`` until the user closes it (tests replace this: they never block on exec)."""
    box.exec()


def show_start_error(error: DesktopStartError, language: str | None) -> bool:
    """Show ``error`` in a dialog, in the configured language; False when there is no display
    to show it on (the caller has written the message to standard error already)."""
    if not start_application(language):
        return False
    run_modal(start_error_box(error))
    return True


def start_application(language: str | None) -> bool:
    """The Qt application for a dialog before the window, in the configured language; False
    when there is no display."""
    if not _has_display():
        return False
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("AgentDesk")
    install_translators(app, choose_language(language))
    return True


def _has_display() -> bool:
    # Without one, Qt's default platform aborts the process: a terminal-only session (SSH)
    # keeps the message on standard error and a clean exit status.
    if not sys.platform.startswith("linux"):
        return True
    return any(os.environ.get(name) for name in ("DISPLAY", "WAYLAND_DISPLAY", "QT_QPA_PLATFORM"))
