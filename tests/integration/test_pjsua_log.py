"""pjsua's log lines go to the app's log, not to the terminal (issue 14: every start printed
"pjlib 2.x for POSIX initialized" and a dozen more lines)."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

# In a child process: pjsua2 allows one Endpoint per process, and the SIP tests own theirs; and
# pjlib writes to the process's file descriptors, which only a child's pipes catch.
SCRIPT = """
import logging, sys
logging.basicConfig(filename=sys.argv[1], level=logging.DEBUG, format="%(name)s %(message)s")
from agentdesk.telephony.pjsua2.adapter import SipEngine
engine = SipEngine(headless=True)
try:
    engine.call(lambda: engine.ep.libGetState())
finally:
    engine.close()
"""


def test_the_real_engine_prints_nothing_and_logs_pjsua(tmp_path: Path) -> None:
    log_file = tmp_path / "agentdesk.log"
    env = dict(os.environ, XDG_DATA_HOME=str(tmp_path / "data"))
    result = subprocess.run(
        [sys.executable, "-c", SCRIPT, str(log_file)],
        capture_output=True,
        text=True,
        timeout=60,
        env=env,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert result.stderr == ""
    assert result.stdout == ""
    logged = log_file.read_text()
    assert "agentdesk.pjsip" in logged and "pjlib" in logged  # the start-up lines, kept
    assert "pjsua_core.c" in logged  # lines after libInit, through the writer
