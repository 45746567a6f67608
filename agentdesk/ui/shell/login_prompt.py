"""The database password prompt: each user signs in to a team's PostgreSQL with their own
login, asked once and then kept in the system keyring by the start (never in a file).

:func:`password_dialog` builds the dialog (tests drive it offscreen); :func:`ask_password`
shows it through :func:`run_dialog`, the seam tests replace so nothing blocks on ``exec()``.
"""

from __future__ import annotations

from PySide6.QtCore import QCoreApplication
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QLineEdit,
    QVBoxLayout,
    QWidget,
)

from agentdesk.ui.shell.start_error import start_application


class PasswordDialog(QDialog):
    def __init__(self, login: str, refused: bool, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        translate = QCoreApplication.translate
        self.setObjectName("databasePasswordDialog")
        self.setWindowTitle(translate("LoginPrompt", "Sign in to the database"))
        layout = QVBoxLayout(self)
        who = QLabel(translate("LoginPrompt", "Password for {login}:").format(login=login))
        who.setWordWrap(True)
        layout.addWidget(who)
        if refused:
            wrong = QLabel(translate("LoginPrompt", "The database did not accept the password."))
            wrong.setObjectName("refusedLabel")
            wrong.setStyleSheet("color: #b00020;")
            layout.addWidget(wrong)
        self.passwordEdit = QLineEdit()
        self.passwordEdit.setObjectName("passwordEdit")
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)
        layout.addWidget(self.passwordEdit)
        note = QLabel(
            translate(
                "LoginPrompt", "It is kept in the system keyring, so you are asked only once."
            )
        )
        note.setWordWrap(True)
        layout.addWidget(note)
        buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel
        )
        buttons.accepted.connect(self.accept)
        buttons.rejected.connect(self.reject)
        layout.addWidget(buttons)
        self.setMinimumWidth(420)


def run_dialog(dialog: PasswordDialog) -> bool:
    """Run ``dialog``; True when the user pressed OK (tests replace this)."""
    return dialog.exec() == QDialog.DialogCode.Accepted


def ask_password(login: str, refused: bool, language: str | None) -> str | None:
    """The password the user typed for ``login``; ``None`` when they cancelled or there is no
    display to ask on."""
    if not start_application(language):
        return None
    dialog = PasswordDialog(login, refused)
    if not run_dialog(dialog):
        return None
    return dialog.passwordEdit.text() or None
