"""Writing the TOML configuration from the Settings dialog (never a password)."""

from __future__ import annotations

import copy
import os
import re
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from agentdesk.app.sip_setup import sip_config, store_sip_password
from agentdesk.config.credentials import CredentialStore
from agentdesk.config.settings import Settings, default_config_path, parse_settings

_BARE_KEY = re.compile(r"^[A-Za-z0-9_-]+$")


@dataclass(frozen=True, slots=True)
class SettingsForm:
    """What the Settings dialog edits. ``sip_password`` goes to the keyring only."""

    database_url: str
    default_region: str
    sip_mode: str
    sip_registrar: str
    sip_username: str
    sip_auth_username: str
    sip_bind_address: str
    sip_port: int
    sip_transport: str
    input_device: str
    output_device: str
    auto_answer_seconds: float | None
    wrapup_seconds: int
    record_calls: bool
    recordings_dir: str
    sip_password: str | None = None
    language: str = "system"
    """``[ui] language``: ``system`` or one of :data:`~agentdesk.config.settings.UI_LANGUAGES`."""
    sip_outbound_proxy: str = ""
    """``[sip] outbound_proxy``: where calls to numbers go in direct mode (empty: none)."""
    display_name: str = ""
    """``[agent] display_name``: the agent's name as call scripts say it (empty: the username)."""


def form_from(settings: Settings) -> SettingsForm:
    sip = settings.sip
    return SettingsForm(
        database_url=settings.database_url or "",
        default_region=settings.default_region,
        sip_mode=str(sip.get("mode", "direct")),
        sip_registrar=str(sip.get("registrar", "")),
        sip_username=str(sip.get("username", settings.agent.username)),
        sip_auth_username=str(sip.get("auth_username", "")),
        sip_bind_address=str(sip.get("bind_address", "127.0.0.1")),
        sip_port=int(sip.get("port", 5060)),
        sip_transport=str(sip.get("transport", "udp")),
        input_device=str(sip.get("input_device", "")),
        output_device=str(sip.get("output_device", "")),
        auto_answer_seconds=settings.agent.auto_answer_seconds,
        wrapup_seconds=settings.agent.wrapup_seconds,
        record_calls=bool(sip.get("record_calls", False)),
        recordings_dir=str(sip.get("recordings_dir", "")),
        language=settings.ui.language or "system",
        sip_outbound_proxy=str(sip.get("outbound_proxy", "")),
        display_name=settings.agent.display_name or "",
    )


def apply_form(settings: Settings, form: SettingsForm) -> dict[str, Any]:
    """The new TOML document: the old one with the dialog's keys replaced."""
    doc = copy.deepcopy(settings.raw)

    def table(name: str) -> dict[str, Any]:
        value = doc.setdefault(name, {})
        assert isinstance(value, dict)
        return value

    database = table("database")
    if form.database_url.strip():
        database["url"] = form.database_url.strip()
    else:
        database.pop("url", None)
    table("phone")["default_region"] = form.default_region.strip().upper()
    if form.language == "system":
        table("ui").pop("language", None)
    else:
        table("ui")["language"] = form.language
    agent = table("agent")
    agent.setdefault("username", settings.agent.username)
    if form.display_name.strip():
        agent["display_name"] = form.display_name.strip()
    else:
        agent.pop("display_name", None)
    agent["wrapup_seconds"] = int(form.wrapup_seconds)
    if form.auto_answer_seconds is None:
        agent.pop("auto_answer_seconds", None)
    else:
        agent["auto_answer_seconds"] = form.auto_answer_seconds
    sip = table("sip")
    values: dict[str, Any] = {
        "mode": form.sip_mode,
        "registrar": form.sip_registrar.strip(),
        "username": form.sip_username.strip(),
        "auth_username": form.sip_auth_username.strip(),
        "bind_address": form.sip_bind_address.strip(),
        "port": int(form.sip_port),
        "transport": form.sip_transport,
        "outbound_proxy": form.sip_outbound_proxy.strip(),
        "input_device": form.input_device,
        "output_device": form.output_device,
        "record_calls": form.record_calls,
        "recordings_dir": form.recordings_dir.strip(),
    }
    for key, value in values.items():
        if value == "" or value is None:
            sip.pop(key, None)
        else:
            sip[key] = value
    sip.pop("password", None)
    return {k: v for k, v in doc.items() if v != {}}


def save_settings(
    settings: Settings,
    form: SettingsForm,
    credentials: CredentialStore,
    path: Path | None = None,
) -> tuple[Path, bool]:
    """Validate, write the file atomically and store the SIP password in the keyring.

    Returns (the file written, whether the password is in the keyring for good). Raises
    ``ConfigError`` for invalid values; nothing is written then.
    """
    target = path or settings.source or default_config_path()
    doc = apply_form(settings, form)
    checked = parse_settings(doc, target)
    config = sip_config(checked)
    kept = True
    if form.sip_password:
        kept = store_sip_password(credentials, config, form.sip_password)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = target.with_suffix(".tmp")
    tmp.write_text(dumps_toml(doc), encoding="utf-8")
    os.replace(tmp, target)
    return target, kept


def dumps_toml(doc: dict[str, Any]) -> str:
    """A small TOML writer for our config: top-level tables of scalars and string lists."""
    lines: list[str] = []
    scalars = {k: v for k, v in doc.items() if not isinstance(v, dict)}
    for key, value in scalars.items():
        lines.append(f"{_key(key)} = {_value(value)}")
    for name, table in doc.items():
        if not isinstance(table, dict):
            continue
        if lines:
            lines.append("")
        lines.append(f"[{_key(name)}]")
        for key, value in table.items():
            if isinstance(value, dict):
                raise ValueError(f"nested table [{name}.{key}] is not supported")
            lines.append(f"{_key(key)} = {_value(value)}")
    return "\n".join(lines) + "\n"


def _key(key: str) -> str:
    return key if _BARE_KEY.match(key) else _string(key)


def _string(text: str) -> str:
    escaped = text.replace("\\", "\\\\").replace('"', '\\"')
    escaped = escaped.replace("\n", "\\n").replace("\t", "\\t").replace("\r", "\\r")
    return f'"{escaped}"'


def _value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, (int, float)):
        return repr(value)
    if isinstance(value, str):
        return _string(value)
    if isinstance(value, (list, tuple)):
        return "[" + ", ".join(_value(v) for v in value) + "]"
    raise ValueError(f"cannot write {type(value).__name__} to TOML")
