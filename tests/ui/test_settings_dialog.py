"""Settings dialog: writes the TOML config, the SIP password only to the keyring."""

from __future__ import annotations

import tomllib
from pathlib import Path

import keyring
import pytest
from PySide6.QtWidgets import QLineEdit
from pytestqt.qtbot import QtBot

from agentdesk.app.sip_setup import sip_config
from agentdesk.config.credentials import SIP_SERVICE
from agentdesk.config.settings import load_settings
from agentdesk.ui.shell.settings_dialog import SettingsDialog
from tests.support.memory_keyring import MemoryKeyring
from tests.ui.conftest import Desk


def test_settings_written_to_toml_and_password_to_keyring(
    desk: Desk,
    qtbot: QtBot,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "config.toml"
    monkeypatch.setattr("agentdesk.app.settings_store.default_config_path", lambda: path)
    dialog = SettingsDialog(desk.context, desk.window)
    qtbot.addWidget(dialog)
    dialog.modeCombo.setCurrentIndex(dialog.modeCombo.findData("register"))
    dialog.registrarEdit.setText("pbx.example.com:5070")
    dialog.usernameEdit.setText("1001")
    dialog.passwordEdit.setText("s3cret-pass")
    dialog.regionEdit.setText("gb")
    dialog.wrapupSpin.setValue(45)
    dialog.autoAnswerCheck.setChecked(True)
    dialog.autoAnswerSpin.setValue(2)
    dialog.recordCheck.setChecked(True)
    dialog.inputEdit.setCurrentText("USB Headset")
    dialog.proxyEdit.setText(" edge.example.com:5060 ")
    assert dialog.languageCombo.currentData() == "system"
    dialog.languageCombo.setCurrentIndex(dialog.languageCombo.findData("zh_CN"))
    dialog.buttons.accepted.emit()
    assert dialog.saved_path == str(path), dialog.errorLabel.text()
    text = path.read_text()
    assert "s3cret-pass" not in text
    doc = tomllib.loads(text)
    assert doc["sip"]["mode"] == "register" and doc["sip"]["registrar"] == "pbx.example.com:5070"
    assert doc["sip"]["record_calls"] is True and doc["sip"]["input_device"] == "USB Headset"
    assert doc["sip"]["outbound_proxy"] == "edge.example.com:5060"
    assert doc["agent"] == {"username": "alice", "wrapup_seconds": 45, "auto_answer_seconds": 2.0}
    assert doc["phone"]["default_region"] == "GB"
    assert doc["ui"] == {"language": "zh_CN"}
    assert keyring.get_password(SIP_SERVICE, "1001@pbx.example.com:5070") == "s3cret-pass"
    again = load_settings(path)
    assert again.agent.wrapup_seconds == 45 and again.sip["username"] == "1001"
    assert sip_config(again).outbound_proxy == "edge.example.com:5060"
    assert again.ui.language == "zh_CN"
    # Back to the system language: the key goes, rather than pinning today's locale.
    desk.context.settings = again
    dialog = SettingsDialog(desk.context, desk.window)
    qtbot.addWidget(dialog)
    assert dialog.languageCombo.currentData() == "zh_CN"
    dialog.languageCombo.setCurrentIndex(dialog.languageCombo.findData("system"))
    dialog.buttons.accepted.emit()
    assert "ui" not in tomllib.loads(path.read_text())


def test_invalid_values_are_refused_without_writing(
    desk: Desk,
    qtbot: QtBot,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = tmp_path / "refused.toml"
    monkeypatch.setattr("agentdesk.app.settings_store.default_config_path", lambda: path)
    dialog = SettingsDialog(desk.context, desk.window)
    qtbot.addWidget(dialog)
    dialog.regionEdit.setText("ZZ")
    dialog.buttons.accepted.emit()
    assert "default_region" in dialog.errorLabel.text()
    assert not path.exists()
    dialog.regionEdit.setText("US")
    dialog.buttons.accepted.emit()
    assert dialog.saved_path == str(path) and path.exists()


def test_display_name_is_saved_and_every_hint_fits(
    desk: Desk,
    qtbot: QtBot,
    tmp_path: Path,
    memory_keyring: MemoryKeyring,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Scripts read "this is agent from AgentDesk" without a name to set, and the password
    field's hint was cut off (issue 14)."""
    path = tmp_path / "named.toml"
    monkeypatch.setattr("agentdesk.app.settings_store.default_config_path", lambda: path)
    dialog = SettingsDialog(desk.context, desk.window)
    qtbot.addWidget(dialog)
    dialog.show()
    qtbot.waitExposed(dialog)
    metrics = dialog.fontMetrics()
    for edit in dialog.findChildren(QLineEdit):
        hint = edit.placeholderText()
        if hint and edit.isVisible():
            assert edit.width() > metrics.horizontalAdvance(hint), hint
    dialog.displayNameEdit.setText(" Wang Fang ")
    dialog.buttons.accepted.emit()
    assert dialog.saved_path == str(path), dialog.errorLabel.text()
    assert tomllib.loads(path.read_text())["agent"]["display_name"] == "Wang Fang"
    assert load_settings(path).agent.display_name == "Wang Fang"
