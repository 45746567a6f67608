"""Start the Qt application with asyncio (qasync) on the GUI thread."""

from __future__ import annotations

import asyncio
import signal
import sys

import qasync
from PySide6.QtCore import QTimer
from PySide6.QtWidgets import QApplication

from agentdesk import __version__
from agentdesk.app.desktop import DesktopContext
from agentdesk.ui.shell.i18n import choose_language, install_translators
from agentdesk.ui.shell.main_window import MainWindow


def run(context: DesktopContext) -> int:
    """Show the main window and run until it closes or the process gets SIGTERM/SIGINT."""
    app = QApplication.instance() or QApplication(sys.argv[:1])
    assert isinstance(app, QApplication)
    app.setApplicationName("AgentDesk")
    app.setApplicationVersion(__version__)
    app.setOrganizationName("AgentDesk")
    # Before any widget exists: tr() runs in constructors.
    install_translators(app, choose_language(context.settings.ui.language))
    loop = qasync.QEventLoop(app)
    asyncio.set_event_loop(loop)

    controller = context.build_controller(loop)
    window = MainWindow(context, controller)
    controller.start()
    window.show()
    # Queued behind the show's expose and paint events: logged once the window is up.
    QTimer.singleShot(0, controller.window_shown)

    for signum in (signal.SIGTERM, signal.SIGINT):
        signal.signal(signum, lambda *_: QTimer.singleShot(0, window.close))
    # Python only runs signal handlers when the interpreter gets control: wake it periodically.
    wake = QTimer()
    wake.start(200)
    wake.timeout.connect(lambda: None)

    closed = asyncio.Event()
    app.lastWindowClosed.connect(closed.set)
    with loop:
        loop.run_until_complete(closed.wait())
    return 0
