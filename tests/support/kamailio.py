"""Run a throwaway Kamailio registrar/proxy on loopback (no database; digest auth optional)."""

from __future__ import annotations

import contextlib
import os
import signal
import subprocess
import time
from dataclasses import dataclass
from pathlib import Path

from tests.support.sipp import INSTALL_HINT, free_port, require_binary, udp_port_bound

# Digest auth for REGISTER, left out of the script without a password (the auth module
# refuses an empty password even in a branch that never runs).
_AUTH = r"""if (!pv_www_authenticate("$fd", "{password}", "0")) {{
            www_challenge("$fd", "0");
            exit;
        }}
        consume_credentials();"""

_CONFIG = r"""#!KAMAILIO
debug=2
log_stderror=yes
fork=yes
children=2
tcp_children=1
disable_tcp=no
listen=udp:127.0.0.1:{port}
listen=tcp:127.0.0.1:{port}
rundir="{rundir}"
mpath="/usr/lib/x86_64-linux-gnu/kamailio/modules/"

loadmodule "tm.so"
loadmodule "sl.so"
loadmodule "rr.so"
loadmodule "pv.so"
loadmodule "maxfwd.so"
loadmodule "textops.so"
loadmodule "siputils.so"
loadmodule "xlog.so"
loadmodule "usrloc.so"
loadmodule "registrar.so"
loadmodule "ctl.so"
loadmodule "kex.so"
loadmodule "auth.so"

modparam("usrloc", "db_mode", 0)
modparam("registrar", "max_expires", 3600)
modparam("registrar", "min_expires", 1)
modparam("registrar", "default_expires", 60)
modparam("ctl", "binrpc", "unix:{ctl}")

request_route {{
    xlog("L_NOTICE", "SEEN $rm $ru\n");
    if (!mf_process_maxfwd_header("10")) {{
        sl_send_reply("483", "Too Many Hops");
        exit;
    }}
    if (has_totag()) {{
        if (loose_route()) {{
            t_relay();
            exit;
        }}
        if (is_method("ACK")) {{
            if (t_check_trans()) {{
                t_relay();
            }}
            exit;
        }}
        sl_send_reply("404", "Not here");
        exit;
    }}
    if (is_method("CANCEL")) {{
        if (t_check_trans()) {{
            t_relay();
        }}
        exit;
    }}
    remove_hf("Route");
    if (is_method("REGISTER")) {{
        {auth}
        save("location");
        exit;
    }}
    if (is_method("INVITE")) {{
        record_route();
    }}
    if (!lookup("location")) {{
        sl_send_reply("404", "Not Found");
        exit;
    }}
    t_relay();
}}
"""


@dataclass
class Kamailio:
    """A Kamailio process listening on 127.0.0.1:``port`` (UDP and TCP)."""

    port: int
    workdir: Path
    password: str = ""
    process: subprocess.Popen[bytes] | None = None

    @property
    def ctl_socket(self) -> Path:
        return self.workdir / "kamailio_ctl"

    @property
    def config_path(self) -> Path:
        return self.workdir / "kamailio.cfg"

    @property
    def log_path(self) -> Path:
        return self.workdir / "kamailio.log"

    def start(self, timeout: float = 10.0) -> None:
        binary = require_binary("kamailio")
        self.workdir.mkdir(parents=True, exist_ok=True)
        self.config_path.write_text(
            _CONFIG.format(
                port=self.port,
                rundir=self.workdir,
                ctl=self.ctl_socket,
                auth=_AUTH.format(password=self.password) if self.password else "",
            )
        )
        check = subprocess.run(
            [binary, "-c", "-f", str(self.config_path)], capture_output=True, text=True
        )
        if check.returncode != 0:
            raise AssertionError(f"bad kamailio config:\n{check.stderr}")
        log = self.log_path.open("ab")
        # -DD: stay in the foreground but keep children; -E: log to stderr.
        # its own process group: a SIGKILL of the main process after a slow shutdown would
        # leave its children running (and their ports bound) for the rest of the machine's life
        self.process = subprocess.Popen(
            [binary, "-f", str(self.config_path), "-DD", "-E"],
            stdout=log,
            stderr=subprocess.STDOUT,
            start_new_session=True,
        )
        log.close()
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise AssertionError(f"kamailio exited at start:\n{self.log()}")
            if udp_port_bound(self.port) and self.ctl_socket.exists():
                return
            time.sleep(0.05)
        raise AssertionError(f"kamailio did not come up:\n{self.log()}")

    def stop(self) -> None:
        if self.process is not None:
            if self.process.poll() is None:
                self.process.terminate()
                try:
                    self.process.wait(timeout=5)
                except subprocess.TimeoutExpired:
                    self.process.kill()
                    self.process.wait(timeout=5)
            # whatever of the group outlived the main process (killed before its children)
            with contextlib.suppress(ProcessLookupError):
                os.killpg(self.process.pid, signal.SIGKILL)
        self.process = None
        deadline = time.monotonic() + 5
        while udp_port_bound(self.port) and time.monotonic() < deadline:
            time.sleep(0.05)
        with contextlib.suppress(FileNotFoundError):
            self.ctl_socket.unlink()

    def log(self) -> str:
        try:
            return self.log_path.read_text(errors="replace")[-5000:]
        except FileNotFoundError:
            return ""

    def kamcmd(self, *command: str) -> str:
        binary = require_binary("kamcmd")
        result = subprocess.run(
            [binary, "-s", f"unix:{self.ctl_socket}", *command],
            capture_output=True,
            text=True,
            timeout=10,
        )
        if result.returncode != 0:
            raise AssertionError(f"kamcmd {command} failed: {result.stdout}{result.stderr}")
        return result.stdout

    def registered_contacts(self, aor: str) -> list[str]:
        """Contacts ``ul.dump`` lists for the address-of-record ``aor`` (user part)."""
        dump = self.kamcmd("ul.dump")
        contacts: list[str] = []
        current: str | None = None
        for raw in dump.splitlines():
            line = raw.strip()
            if line.startswith("AoR:"):
                current = line.split(":", 1)[1].strip()
            elif (
                line.startswith("Address:")
                and current is not None
                and (current == aor or current.split("@", 1)[0] == aor)
            ):
                contacts.append(line.split(":", 1)[1].strip())
        return contacts


def start_kamailio(workdir: Path, *, password: str = "", port: int | None = None) -> Kamailio:
    """Start Kamailio; a non-empty ``password`` turns on digest auth for REGISTER."""
    try:
        kam = Kamailio(port=port or free_port(), workdir=workdir, password=password)
        kam.start()
    except FileNotFoundError as exc:
        raise AssertionError(f"{exc}; {INSTALL_HINT}") from exc
    return kam
