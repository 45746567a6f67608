"""Run SIPp on loopback for the SIP integration tests and the latency benchmark."""

from __future__ import annotations

import contextlib
import hashlib
import shutil
import socket
import subprocess
import time
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

INSTALL_HINT = "install SIPp and Kamailio with: apt-get install -y sip-tester kamailio"
SCENARIOS = Path(__file__).resolve().parent.parent / "sip_scenarios"
PCAP_DIR = Path("/usr/share/sip-tester")


class ToolMissing(RuntimeError):
    """A SIP test tool is not installed."""


def require_binary(name: str) -> str:
    """Return the path of ``name`` or raise with the install hint."""
    path = shutil.which(name) or shutil.which(name, path="/usr/sbin:/usr/bin:/sbin:/bin")
    if path is None:
        raise ToolMissing(f"{name} not found on PATH; {INSTALL_HINT}")
    return path


def free_port() -> int:
    """A loopback port free for both UDP and TCP right now."""
    for _ in range(50):
        with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as udp:
            udp.bind(("127.0.0.1", 0))
            port = int(udp.getsockname()[1])
            with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as tcp:
                try:
                    tcp.bind(("127.0.0.1", port))
                except OSError:
                    continue
                return port
    raise RuntimeError("no free loopback port")


def free_rtp_port() -> int:
    """An even loopback port with port+1..port+3 free (SIPp ``-mp`` uses port and port + 2)."""
    for _ in range(100):
        port = free_port()
        if port % 2 or port > 65000:
            continue
        ok = True
        for extra in (1, 2, 3):
            with socket.socket(socket.AF_INET, socket.SOCK_DGRAM) as s:
                try:
                    s.bind(("127.0.0.1", port + extra))
                except OSError:
                    ok = False
                    break
        if ok:
            return port
    raise RuntimeError("no free RTP port pair")


@dataclass
class SippRun:
    """A running (or finished) SIPp process."""

    args: list[str]
    process: subprocess.Popen[bytes]
    workdir: Path
    port: int
    name: str
    stdout_path: Path = field(init=False)

    def __post_init__(self) -> None:
        self.stdout_path = self.workdir / f"{self.name}.out"

    @property
    def message_log(self) -> Path:
        return self.workdir / f"{self.name}_messages.log"

    @property
    def error_log(self) -> Path:
        return self.workdir / f"{self.name}_errors.log"

    def messages(self) -> str:
        """Everything SIPp sent and received so far (``-trace_msg``)."""
        try:
            return self.message_log.read_text(errors="replace")
        except FileNotFoundError:
            return ""

    def wait(self, timeout: float = 15.0) -> int:
        """Wait for SIPp to exit; kill it (and fail loudly) if it does not."""
        try:
            return self.process.wait(timeout=timeout)
        except subprocess.TimeoutExpired as exc:
            self.stop()
            raise AssertionError(
                f"SIPp {self.name} did not finish in {timeout}s\n{self.report()}"
            ) from exc

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=3)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait(timeout=3)

    def report(self) -> str:
        """Diagnostics for an assertion message."""
        parts = [f"args: {' '.join(self.args)}", f"exit: {self.process.poll()}"]
        for path in (self.stdout_path, self.error_log):
            with contextlib.suppress(FileNotFoundError):
                parts.append(f"--- {path.name}\n{path.read_text(errors='replace')[-3000:]}")
        parts.append(f"--- messages\n{self.messages()[-4000:]}")
        return "\n".join(parts)

    def assert_success(self, timeout: float = 15.0) -> None:
        code = self.wait(timeout)
        assert code == 0, f"SIPp {self.name} failed\n{self.report()}"


def render_scenario(template: str, workdir: Path, **values: str) -> str:
    """Write a copy of a scenario with ``@name@`` replaced; return its path.

    For what SIPp reads at load time (a response code), where ``-key`` cannot reach.
    """
    text = (SCENARIOS / template).read_text()
    for name, value in values.items():
        text = text.replace(f"<!--@{name}@-->", value).replace(f"@{name}@", value)
    suffix = hashlib.sha1(repr(sorted(values.items())).encode()).hexdigest()[:8]
    path = workdir / f"{template.removesuffix('.xml')}_{suffix}.xml"
    workdir.mkdir(parents=True, exist_ok=True)
    path.write_text(text)
    return str(path)


def start_sipp(
    scenario: str,
    workdir: Path,
    *,
    remote: str | None = None,
    port: int | None = None,
    name: str | None = None,
    calls: int | None = 1,
    keys: dict[str, str] | None = None,
    extra: Sequence[str] = (),
    media_port: int | None = None,
    transport: str = "u1",
) -> SippRun:
    """Start SIPp with a scenario (a file in tests/sip_scenarios, or ``uas``/``uac``).

    ``keys`` become ``-key NAME VALUE`` so scenarios can use ``[NAME]``.
    """
    binary = require_binary("sipp")
    media = range(media_port, media_port + 4) if media_port is not None else range(0)
    # Both ports come from the kernel's free ephemeral ports, so the SIP port can be handed out
    # again right after the media ports were probed; SIPp then fails to bind and never calls.
    if port is None:
        port = free_port()
        while port in media:
            port = free_port()
    name = name or f"sipp_{Path(scenario).name.removesuffix('.xml')}_{port}"
    workdir.mkdir(parents=True, exist_ok=True)
    args = [binary]
    if remote:
        args.append(remote)
    if scenario in ("uas", "uac"):
        args += ["-sn", scenario]
    else:
        args += ["-sf", str(SCENARIOS / scenario)]  # an absolute path stays as it is
    args += ["-i", "127.0.0.1", "-mi", "127.0.0.1", "-p", str(port), "-nostdin", "-t", transport]
    args += ["-trace_msg", "-message_file", str(workdir / f"{name}_messages.log")]
    args += ["-trace_err", "-error_file", str(workdir / f"{name}_errors.log")]
    if media_port is not None:
        args += ["-mp", str(media_port)]
    if calls is not None:
        args += ["-m", str(calls)]
    for key, value in (keys or {}).items():
        args += ["-key", key, value]
    args += list(extra)
    out = (workdir / f"{name}.out").open("wb")
    process = subprocess.Popen(args, stdout=out, stderr=subprocess.STDOUT, cwd=workdir)
    out.close()
    run = SippRun(args=args, process=process, workdir=workdir, port=port, name=name)
    if remote is None:
        _wait_listening(run)
    return run


def udp_port_bound(port: int) -> bool:
    """Whether some process has a UDP socket on ``port`` (read from /proc, no probing bind)."""
    needle = f":{port:04X} "
    for table in ("/proc/net/udp", "/proc/net/udp6"):
        with contextlib.suppress(FileNotFoundError), open(table) as fh:
            for line in fh.readlines()[1:]:
                fields = line.split()
                if len(fields) > 1 and (fields[1] + " ").endswith(needle):
                    return True
    return False


def _wait_listening(run: SippRun, timeout: float = 5.0) -> None:
    """A UAS SIPp is ready once its port is bound."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if run.process.poll() is not None:
            raise AssertionError(f"SIPp {run.name} exited at start\n{run.report()}")
        if udp_port_bound(run.port):
            return
        time.sleep(0.02)
    raise AssertionError(f"SIPp {run.name} never bound its port\n{run.report()}")
