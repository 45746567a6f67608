"""File > Settings: SIP account (password to the keyring), database, region, audio, the agent's
name."""

from __future__ import annotations

from PySide6.QtWidgets import (
    QCheckBox,
    QComboBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFormLayout,
    QGroupBox,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QSpinBox,
    QVBoxLayout,
    QWidget,
)

from agentdesk.app.desktop import DesktopContext
from agentdesk.app.settings_store import SettingsForm, form_from, save_settings
from agentdesk.config.settings import ConfigError
from agentdesk.ui.shell.background import run_in_background


class SettingsDialog(QDialog):
    """Edits the TOML config; the SIP password never reaches the file."""

    def __init__(self, context: DesktopContext, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setWindowTitle(self.tr("Settings"))
        self._context = context
        current = form_from(context.settings)

        self.modeCombo = QComboBox(self)
        self.modeCombo.addItem(self.tr("Direct (no registrar)"), "direct")
        self.modeCombo.addItem(self.tr("Register with a PBX"), "register")
        self.modeCombo.setCurrentIndex(max(0, self.modeCombo.findData(current.sip_mode)))
        self.registrarEdit = QLineEdit(current.sip_registrar, self)
        self.usernameEdit = QLineEdit(current.sip_username, self)
        self.authEdit = QLineEdit(current.sip_auth_username, self)
        self.passwordEdit = QLineEdit(self)
        self.passwordEdit.setEchoMode(QLineEdit.EchoMode.Password)
        self.passwordEdit.setPlaceholderText(self.tr("unchanged (stored in the keyring)"))
        self.proxyEdit = QLineEdit(current.sip_outbound_proxy, self)
        self.proxyEdit.setPlaceholderText("pbx.example.com:5060")
        self.proxyEdit.setToolTip(
            self.tr(
                "Where calls to phone numbers go (a PBX or SIP trunk). Without it, direct mode "
                "can call SIP addresses only and the dialer does not start."
            )
        )
        self.bindEdit = QLineEdit(current.sip_bind_address, self)
        self.portSpin = QSpinBox(self)
        self.portSpin.setRange(1, 65535)
        self.portSpin.setValue(current.sip_port)
        self.transportCombo = QComboBox(self)
        for name in ("udp", "tcp", "tls"):
            self.transportCombo.addItem(name.upper(), name)
        self.transportCombo.setCurrentIndex(
            max(0, self.transportCombo.findData(current.sip_transport))
        )
        sip = QGroupBox(self.tr("SIP account"), self)
        sf = QFormLayout(sip)
        sf.addRow(self.tr("Mode:"), self.modeCombo)
        sf.addRow(self.tr("Registrar:"), self.registrarEdit)
        sf.addRow(self.tr("User name:"), self.usernameEdit)
        sf.addRow(self.tr("Auth user:"), self.authEdit)
        sf.addRow(self.tr("Password:"), self.passwordEdit)
        sf.addRow(self.tr("Outbound proxy:"), self.proxyEdit)
        sf.addRow(self.tr("Bind address:"), self.bindEdit)
        sf.addRow(self.tr("Port:"), self.portSpin)
        sf.addRow(self.tr("Transport:"), self.transportCombo)

        self.inputEdit = self._device_combo(current.input_device)
        self.outputEdit = self._device_combo(current.output_device)
        run_in_background(self, context.executor, context.audio_devices, self._on_devices, None)
        self.recordCheck = QCheckBox(self.tr("Record every call"), self)
        self.recordCheck.setChecked(current.record_calls)
        self.recordingsEdit = QLineEdit(current.recordings_dir, self)
        self.recordingsEdit.setPlaceholderText(self.tr("default folder"))
        audio = QGroupBox(self.tr("Audio and recording"), self)
        af = QFormLayout(audio)
        af.addRow(self.tr("Microphone:"), self.inputEdit)
        af.addRow(self.tr("Speaker:"), self.outputEdit)
        af.addRow(self.recordCheck)
        af.addRow(self.tr("Recordings folder:"), self.recordingsEdit)

        self.dbEdit = QLineEdit(current.database_url, self)
        self.dbEdit.setPlaceholderText(self.tr("embedded database"))
        self.regionEdit = QLineEdit(current.default_region, self)
        self.regionEdit.setMaxLength(2)
        self.autoAnswerCheck = QCheckBox(self.tr("Answer automatically after"), self)
        self.autoAnswerSpin = QDoubleSpinBox(self)
        self.autoAnswerSpin.setRange(0, 60)
        self.autoAnswerSpin.setSuffix(self.tr(" s"))
        self.autoAnswerCheck.setChecked(current.auto_answer_seconds is not None)
        self.autoAnswerSpin.setValue(current.auto_answer_seconds or 0)
        self.wrapupSpin = QSpinBox(self)
        self.wrapupSpin.setRange(0, 3600)
        self.wrapupSpin.setSuffix(self.tr(" s"))
        self.wrapupSpin.setValue(current.wrapup_seconds)
        self.languageCombo = QComboBox(self)
        self.languageCombo.addItem(self.tr("System language"), "system")
        # Each language is named in itself, so a user can find theirs whatever is showing.
        self.languageCombo.addItem("English", "en")
        self.languageCombo.addItem("简体中文", "zh_CN")
        self.languageCombo.setCurrentIndex(max(0, self.languageCombo.findData(current.language)))
        self.displayNameEdit = QLineEdit(current.display_name, self)
        self.displayNameEdit.setPlaceholderText(self.tr("as callers should hear it"))
        self.displayNameEdit.setToolTip(
            self.tr("The name call scripts say for you: {agent_name} in a script.")
        )
        desk = QGroupBox(self.tr("Desk"), self)
        df = QFormLayout(desk)
        df.addRow(self.tr("Your name:"), self.displayNameEdit)
        df.addRow(self.tr("Database URL:"), self.dbEdit)
        df.addRow(self.tr("Default region:"), self.regionEdit)
        df.addRow(self.autoAnswerCheck, self.autoAnswerSpin)
        df.addRow(self.tr("Wrap-up time:"), self.wrapupSpin)
        df.addRow(self.tr("Language:"), self.languageCombo)

        self.errorLabel = QLabel(self)
        self.errorLabel.setWordWrap(True)
        self.errorLabel.setStyleSheet("color: #b3261e;")
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Save | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.buttons.accepted.connect(self.save)
        self.buttons.rejected.connect(self.reject)
        # Two columns: stacked, the three groups made a tall, narrow dialog that cut the
        # fields' hints off and did not fit a laptop screen.
        columns = QHBoxLayout()
        columns.addWidget(sip, 1)
        right = QVBoxLayout()
        right.addWidget(desk)
        right.addWidget(audio)
        right.addStretch(1)
        columns.addLayout(right, 1)
        layout = QVBoxLayout(self)
        layout.addLayout(columns)
        layout.addWidget(QLabel(self.tr("Changes apply the next time AgentDesk starts."), self))
        layout.addWidget(self.errorLabel)
        layout.addWidget(self.buttons)
        self.saved_path: str | None = None
        self._fit_placeholders()

    def _fit_placeholders(self) -> None:
        """Every field wide enough for its hint, in whichever language is showing (the
        Chinese and English hints differ in length), and room for a URL or a path."""
        metrics = self.fontMetrics()
        for edit in self.findChildren(QLineEdit):
            hint = edit.placeholderText()
            if hint:
                room = metrics.horizontalAdvance(hint) + 4 * metrics.averageCharWidth()
                edit.setMinimumWidth(room)
        self.setMinimumWidth(max(820, 96 * metrics.averageCharWidth()))

    def _device_combo(self, current: str) -> QComboBox:
        combo = QComboBox(self)
        combo.setEditable(True)
        line = combo.lineEdit()
        if line is not None:
            line.setPlaceholderText(self.tr("system default"))
        combo.addItem("")
        if current:
            combo.addItem(current)
        combo.setCurrentText(current)
        return combo

    def _on_devices(self, devices: tuple[list[str], list[str]]) -> None:
        for combo, names in zip((self.inputEdit, self.outputEdit), devices, strict=True):
            chosen = combo.currentText()
            for name in names:
                if combo.findText(name) < 0:
                    combo.addItem(name)
            combo.setCurrentText(chosen)

    def form(self) -> SettingsForm:
        return SettingsForm(
            database_url=self.dbEdit.text(),
            default_region=self.regionEdit.text(),
            sip_mode=str(self.modeCombo.currentData()),
            sip_registrar=self.registrarEdit.text(),
            sip_username=self.usernameEdit.text(),
            sip_auth_username=self.authEdit.text(),
            sip_bind_address=self.bindEdit.text(),
            sip_port=self.portSpin.value(),
            sip_transport=str(self.transportCombo.currentData()),
            input_device=self.inputEdit.currentText(),
            output_device=self.outputEdit.currentText(),
            auto_answer_seconds=(
                self.autoAnswerSpin.value() if self.autoAnswerCheck.isChecked() else None
            ),
            wrapup_seconds=self.wrapupSpin.value(),
            record_calls=self.recordCheck.isChecked(),
            recordings_dir=self.recordingsEdit.text(),
            sip_password=self.passwordEdit.text() or None,
            language=str(self.languageCombo.currentData()),
            sip_outbound_proxy=self.proxyEdit.text(),
            display_name=self.displayNameEdit.text(),
        )

    def save(self) -> None:
        # A small local file write: quick enough for the GUI thread (no database involved).
        try:
            path, kept = save_settings(
                self._context.settings, self.form(), self._context.credentials
            )
        except (ConfigError, ValueError, OSError) as exc:
            self.errorLabel.setText(str(exc))
            return
        self.saved_path = str(path)
        if not kept:
            self.errorLabel.setText(self.tr("No keyring: the password is kept for this run only."))
        self.accept()
