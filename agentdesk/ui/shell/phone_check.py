"""Help > Test call: run it on the executor and show the result."""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import QMessageBox, QWidget

from agentdesk.app.desktop import DesktopContext
from agentdesk.ui.shell.background import run_in_background


# QCoreApplication.translate with a fixed context: ``parent.tr`` would use the caller's
# class, which lupdate cannot see, so the catalogue would file the strings under "parent".
def run_test_call(context: DesktopContext, parent: QWidget) -> None:
    box = QMessageBox(parent)
    box.setWindowTitle(QCoreApplication.translate("TestCall", "Test call"))
    box.setText(
        QCoreApplication.translate("TestCall", "Calling through the SIP stack on loopback…")
    )
    box.setStandardButtons(QMessageBox.StandardButton.Close)
    box.show()

    def done(message: str) -> None:
        box.setText(
            QCoreApplication.translate("TestCall", "Test call: {result}").format(result=message)
        )

    def failed(error: BaseException) -> None:
        box.setText(
            QCoreApplication.translate("TestCall", "Test call failed: {error}").format(error=error)
        )

    run_in_background(box, context.executor, context.test_call, done, failed)
