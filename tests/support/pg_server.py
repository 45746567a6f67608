"""A throwaway PostgreSQL server on loopback for the test run.

PostgreSQL refuses to run as root, so as root the cluster is created and started as the
``postgres`` system user. A missing server is a test failure with the install hint, never a skip.
"""

from __future__ import annotations

import glob
import os
import pwd
import shutil
import socket
import subprocess
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path

INSTALL_HINT = "PostgreSQL server not found: install it with `apt-get install -y postgresql`"


def _bin_dir() -> Path:
    env = os.environ.get("AGENTDESK_PG_BIN")
    if env:
        return Path(env)
    candidates = sorted(
        glob.glob("/usr/lib/postgresql/*/bin"), key=lambda p: int(Path(p).parent.name)
    )
    for cand in reversed(candidates):
        if (Path(cand) / "initdb").exists():
            return Path(cand)
    initdb = shutil.which("initdb")
    if initdb:
        return Path(initdb).parent
    raise RuntimeError(INSTALL_HINT)


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return int(s.getsockname()[1])


@dataclass
class PgServer:
    root: Path
    port: int
    bin_dir: Path
    run_as: str | None

    @property
    def url(self) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/postgres"

    def url_for(self, database: str) -> str:
        return f"postgresql+psycopg://postgres@127.0.0.1:{self.port}/{database}"

    def _cmd(self, *args: str) -> list[str]:
        cmd = [str(self.bin_dir / args[0]), *args[1:]]
        return ["runuser", "-u", self.run_as, "--", *cmd] if self.run_as else cmd

    def start(self) -> None:
        data = self.root / "data"
        subprocess.run(
            self._cmd("initdb", "-D", str(data), "-U", "postgres", "--auth=trust", "-E", "UTF8",
                      "--locale=C.UTF-8", "--no-sync"),
            check=True, capture_output=True,
        )  # fmt: skip
        # The superuser connects without a password (the test run's owner); every desk login
        # must give its password, as on a team's server.
        (data / "pg_hba.conf").write_text(
            "local all all trust\n"
            "host all postgres 127.0.0.1/32 trust\n"
            "host all all 127.0.0.1/32 scram-sha-256\n"
        )
        opts = (
            f"-c listen_addresses=127.0.0.1 -c port={self.port} "
            f"-c unix_socket_directories={self.root} -c fsync=off "
            "-c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
            "-c password_encryption=scram-sha-256"
        )
        subprocess.run(
            self._cmd("pg_ctl", "-D", str(data), "-o", opts, "-l", str(self.root / "pg.log"),
                      "-w", "-t", "60", "start"),
            check=True, capture_output=True,
        )  # fmt: skip
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            with socket.socket() as s:
                if s.connect_ex(("127.0.0.1", self.port)) == 0:
                    return
            time.sleep(0.1)
        raise RuntimeError(f"PostgreSQL did not start; see {self.root / 'pg.log'}")

    def stop(self) -> None:
        subprocess.run(
            self._cmd("pg_ctl", "-D", str(self.root / "data"), "-m", "immediate", "stop"),
            capture_output=True,
        )
        shutil.rmtree(self.root, ignore_errors=True)


def start_server() -> PgServer:
    bin_dir = _bin_dir()
    run_as = None
    root = Path(tempfile.mkdtemp(prefix="agentdesk-pg-"))
    if os.geteuid() == 0:
        run_as = "postgres"
        try:
            pw = pwd.getpwnam(run_as)
        except KeyError as exc:
            raise RuntimeError(INSTALL_HINT + " (no postgres system user)") from exc
        os.chown(root, pw.pw_uid, pw.pw_gid)
    server = PgServer(root=root, port=free_port(), bin_dir=bin_dir, run_as=run_as)
    server.start()
    return server
