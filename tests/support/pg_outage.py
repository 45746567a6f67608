"""A PostgreSQL server of a test's own, to stop and start again: the shared session server
must stay up for the other tests."""

from __future__ import annotations

import subprocess
from pathlib import Path

from tests.support.pg_server import PgServer

# The options PgServer.start gives the server, so a restart comes back the same.
OPTS = (
    "-c listen_addresses=127.0.0.1 -c port={port} -c unix_socket_directories={root} "
    "-c fsync=off -c synchronous_commit=off -c full_page_writes=off -c max_connections=200 "
    "-c password_encryption=scram-sha-256"
)


def _pg_ctl(server: PgServer, *args: str) -> None:
    cmd = [str(server.bin_dir / "pg_ctl"), "-D", str(server.root / "data"), *args]
    if server.run_as:
        cmd = ["runuser", "-u", server.run_as, "--", *cmd]
    subprocess.run(cmd, check=True, capture_output=True)


def halt(server: PgServer) -> None:
    """Stop the server at once (no checkpoint, connections cut), keeping its data."""
    _pg_ctl(server, "-m", "immediate", "-w", "stop")


def resume(server: PgServer) -> None:
    """Start the halted server again on the same port."""
    opts = OPTS.format(port=server.port, root=server.root)
    log = Path(server.root) / "pg.log"
    _pg_ctl(server, "-o", opts, "-l", str(log), "-w", "-t", "60", "start")
