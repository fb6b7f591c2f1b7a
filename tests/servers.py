"""Start real servers for tests and benchmarks: the WSGI app under gunicorn with the project's gunicorn.conf.py, the
ASGI app under daphne or uvicorn, or a private redis-server,
each in a subprocess on a free port, waited for until it answers, and stopped (with its output kept) afterwards.
"""

import contextlib
import os
import signal
import socket
import subprocess
import sys
import tempfile
import time
import urllib.request
from dataclasses import dataclass, field
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BIN = Path(sys.executable).parent


def free_port() -> int:
    with contextlib.closing(socket.socket(socket.AF_INET, socket.SOCK_STREAM)) as sock:
        sock.bind(("127.0.0.1", 0))
        return sock.getsockname()[1]


@dataclass
class Process:
    """A started subprocess; `log` holds its stdout and stderr."""

    popen: subprocess.Popen
    port: int
    log: Path
    name: str
    extra: dict = field(default_factory=dict)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    @property
    def ws_url(self) -> str:
        return f"ws://127.0.0.1:{self.port}"

    def output(self) -> str:
        return self.log.read_text(errors="replace") if self.log.exists() else ""

    def alive(self) -> bool:
        return self.popen.poll() is None

    def stop(self, *, timeout: float = 10) -> None:
        if self.popen.poll() is not None:
            return
        self.popen.send_signal(signal.SIGTERM)
        try:
            self.popen.wait(timeout=timeout)
        except subprocess.TimeoutExpired:
            self.popen.kill()
            self.popen.wait(timeout=timeout)

    def kill(self) -> None:
        """Die without cleaning up, as a crashed worker would."""
        if self.popen.poll() is None:
            self.popen.kill()
            self.popen.wait(timeout=10)

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.stop()


def _spawn(cmd: list[str], *, env: dict | None, name: str, port: int, log_dir: Path | None = None) -> Process:
    """Start `cmd` in its own session (a Ctrl-C meant for the caller does not reach it), output to a log file in
    `log_dir` (default: the system's temporary folder)."""
    log = Path(tempfile.mkstemp(prefix=f"{name}-{port}-", suffix=".log", dir=log_dir)[1])
    with log.open("wb") as out:
        popen = subprocess.Popen(cmd, cwd=ROOT, env=env, stdout=out, stderr=subprocess.STDOUT, start_new_session=True)
    return Process(popen=popen, port=port, log=log, name=name)


def _wait(process: Process, ready, *, timeout: float) -> Process:
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline:
        if not process.alive():
            raise RuntimeError(f"{process.name} exited with {process.popen.returncode}:\n{process.output()[-4000:]}")
        if ready():
            return process
        time.sleep(0.1)
    process.stop()
    raise RuntimeError(f"{process.name} did not answer within {timeout}s:\n{process.output()[-4000:]}")


def _answers_healthz(port: int):
    def answers() -> bool:
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/healthz/", timeout=2) as response:
                return response.status == 200
        except OSError:
            return False

    return answers


def start_wsgi(
    *, env: dict, workers: int = 2, port: int | None = None, timeout: float = 60, log_dir: Path | None = None
) -> Process:
    """The project's WSGI application as production serves it: gunicorn with `gunicorn.conf.py` (sync workers,
    the application preloaded in the master), on `port` with `workers` workers, `env` added to this environment."""
    port = port or free_port()
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
    cmd = [str(BIN / "gunicorn"), "--config", str(ROOT / "gunicorn.conf.py"), "--bind", f"127.0.0.1:{port}",
           "--workers", str(workers)]  # fmt: skip
    process = _spawn(cmd, env=full_env, name="gunicorn", port=port, log_dir=log_dir)
    return _wait(process, _answers_healthz(port), timeout=timeout)


def start_asgi(
    *,
    env: dict,
    server: str = "daphne",
    port: int | None = None,
    timeout: float = 60,
    args: tuple[str, ...] = (),
    log_dir: Path | None = None,
) -> Process:
    """The project's ASGI application (lms.asgi) under daphne or uvicorn, with `env` added to this environment
    and `args` added to the server's command line."""
    port = port or free_port()
    full_env = {**os.environ, "PYTHONUNBUFFERED": "1", **env}
    if server == "daphne":
        cmd = [str(BIN / "daphne"), "-b", "127.0.0.1", "-p", str(port), "lms.asgi:application"]
    elif server == "uvicorn":
        cmd = [str(BIN / "uvicorn"), "--host", "127.0.0.1", "--port", str(port), "--no-access-log",
               "--lifespan", "off", "--ws", "websockets", "lms.asgi:application"]  # fmt: skip
    else:
        raise ValueError(f"unknown server {server!r}")
    cmd[1:1] = list(args)
    process = _spawn(cmd, env=full_env, name=server, port=port, log_dir=log_dir)
    return _wait(process, _answers_healthz(port), timeout=timeout)


def start_tcp(
    cmd: list[str], *, name: str, port: int, env: dict | None = None, timeout: float = 20, log_dir: Path | None = None
) -> Process:
    """Any server that is ready once it accepts connections on `port` (nginx, the fan-out benchmark's floor)."""
    process = _spawn(cmd, env=env, name=name, port=port, log_dir=log_dir)

    def answers() -> bool:
        try:
            socket.create_connection(("127.0.0.1", port), timeout=1).close()
            return True
        except OSError:
            return False

    return _wait(process, answers, timeout=timeout)


def start_redis(*, port: int | None = None, timeout: float = 15, log_dir: Path | None = None) -> Process:
    """A private, non-persistent redis-server on its own port (for fault tests that stop and restart it)."""
    port = port or free_port()
    cmd = ["redis-server", "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no",
           "--daemonize", "no"]  # fmt: skip
    process = _spawn(cmd, env=None, name="redis", port=port, log_dir=log_dir)

    def answers() -> bool:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1) as sock:
                sock.sendall(b"PING\r\n")
                return sock.recv(16).startswith(b"+PONG")
        except OSError:
            return False

    return _wait(process, answers, timeout=timeout)
