"""The real ``agentdesk`` process for end-to-end tests: its environment, its config file, the
window started offscreen, and the command line run as an admin would."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

AGENTDESK = Path(sys.executable).with_name("agentdesk")
INSTALL_HINT = f"{AGENTDESK} missing: pip install -e . in the virtualenv"


def desk_env(workdir: Path) -> dict[str, str]:
    """Offscreen Qt, the process's own data and config folders, no real keyring."""
    env = dict(os.environ)
    env.update(
        QT_QPA_PLATFORM="offscreen",
        XDG_DATA_HOME=str(workdir / "data"),
        XDG_CONFIG_HOME=str(workdir / "config"),
        PYTHON_KEYRING_BACKEND="keyring.backends.null.Keyring",
    )
    return env


def write_desk_config(
    path: Path,
    *,
    db_url: str,
    port: int,
    agent: str,
    wrapup_seconds: int,
    events: Path,
    recordings: Path,
) -> Path:
    """A desk on ``db_url`` taking direct SIP calls on 127.0.0.1:``port``, answering at once."""
    path.write_text(
        f"""
[database]
url = "{db_url}"

[phone]
default_region = "US"

[sip]
mode = "direct"
bind_address = "127.0.0.1"
port = {port}
recordings_dir = "{recordings}"

[agent]
username = "{agent}"
auto_answer_seconds = 0
wrapup_seconds = {wrapup_seconds}

[logging]
events_jsonl = "{events}"
""",
        encoding="utf-8",
    )
    return path


def start_desk(config: Path, log: Path, workdir: Path) -> subprocess.Popen[bytes]:
    """The window, offscreen, its output in ``log``."""
    assert AGENTDESK.exists(), INSTALL_HINT
    with log.open("wb") as out:
        return subprocess.Popen(
            [str(AGENTDESK), "--config", str(config)],
            stdout=out,
            stderr=subprocess.STDOUT,
            env=desk_env(workdir),
        )


def run_cli_json(workdir: Path, *args: str) -> object:
    """``agentdesk ARGS...`` (which must succeed), its JSON output."""
    result = subprocess.run(
        [str(AGENTDESK), *args],
        capture_output=True,
        text=True,
        timeout=60,
        env=desk_env(workdir),
    )
    assert result.returncode == 0, result.stderr
    return json.loads(result.stdout)
