"""From the ``[sip]`` table to a ``SipConfig``, the SIP password in the keyring, and the
softphone itself (pjsua2 is imported only when a real phone is built)."""

from __future__ import annotations

import dataclasses
from pathlib import Path
from typing import Any

from agentdesk.config.credentials import SIP_SERVICE, CredentialStore
from agentdesk.config.settings import ConfigError, Settings, data_dir
from agentdesk.telephony.port import SipConfig, Softphone

_FIELDS = {f.name: f for f in dataclasses.fields(SipConfig)}


def sip_config(settings: Settings) -> SipConfig:
    """The ``SipConfig`` for ``settings``; unknown or mistyped keys raise ``ConfigError``.

    Auto-answer is left out on purpose: the desk controller applies ``[agent]
    auto_answer_seconds`` itself so it behaves the same on every softphone.
    """
    values: dict[str, Any] = {}
    for key, value in settings.sip.items():
        if key == "password":
            raise ConfigError("[sip] password must not be in the file: use the Settings dialog")
        if key not in _FIELDS or key == "auto_answer_seconds":
            raise ConfigError(f"[sip] {key} is not a known setting")
        default = getattr(SipConfig(), key)
        if isinstance(default, tuple):
            if not isinstance(value, list) or not all(isinstance(v, str) for v in value):
                raise ConfigError(f"[sip] {key} must be a list of strings")
            value = tuple(value)
        elif isinstance(default, Path):
            value = Path(str(value)).expanduser()
        elif isinstance(default, bool):
            if not isinstance(value, bool):
                raise ConfigError(f"[sip] {key} must be true or false")
        elif isinstance(default, (int, float)) and not isinstance(default, bool):
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigError(f"[sip] {key} must be a number")
        elif not isinstance(value, str):
            raise ConfigError(f"[sip] {key} must be text")
        values[key] = value
    if "recordings_dir" not in values:
        values["recordings_dir"] = data_dir() / "recordings"
    if "username" not in values:
        values["username"] = settings.agent.username
    try:
        return SipConfig(**values)
    except (TypeError, ValueError) as exc:
        raise ConfigError(f"[sip] {exc}") from None


def sip_password_key(config: SipConfig) -> str:
    """The keyring user name for the SIP account: who registers where."""
    return f"{config.auth_username or config.username}@{config.registrar}"


def store_sip_password(credentials: CredentialStore, config: SipConfig, password: str) -> bool:
    """Put the SIP password into the keyring; False when only kept for this run."""
    return credentials.set(SIP_SERVICE, sip_password_key(config), password)


def sip_password(credentials: CredentialStore, config: SipConfig) -> str:
    return credentials.get(SIP_SERVICE, sip_password_key(config)) or ""


class SoftphoneStack:
    """The real softphone and the engine thread under it, closed in the right order."""

    def __init__(self, config: SipConfig) -> None:
        from agentdesk.telephony.pjsua2.adapter import Pjsua2Softphone
        from agentdesk.telephony.pjsua2.engine import SipEngine

        self.engine = SipEngine(headless=config.headless)
        try:
            self.phone: Softphone = Pjsua2Softphone(self.engine, config)
        except Exception:
            self.engine.close()
            raise

    def close(self) -> None:
        self.phone.close()
        self.engine.close()
