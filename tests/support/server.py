"""The real draftsmith server, run as a subprocess on a free port for tests."""

from __future__ import annotations

import os
import signal
import socket
import subprocess
import sys
import time
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import IO

import httpx

from support.closing import ClosedOnExit

API_PREFIX = "/openapi/capcut-mate/v1"
LOG_NAME = "server.log"


class ServerStartError(RuntimeError):
    """The server exited or never became healthy; `output` is what it logged meanwhile."""

    def __init__(self, message: str, output: str) -> None:
        self.output = output
        tail = "\n".join(output.splitlines()[-40:])
        super().__init__(f"{message}\n--- server log tail\n{tail}")


def free_port() -> int:
    """A TCP port on 127.0.0.1 that was free a moment ago."""
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


def server_env(overrides: Mapping[str, str]) -> dict[str, str]:
    """This process's environment without DRAFTSMITH_* variables, plus `overrides`.

    Inherited DRAFTSMITH_* settings would make a test depend on the shell that ran it.
    """
    env = {key: value for key, value in os.environ.items() if not key.startswith("DRAFTSMITH_")}
    env["PYTHONUNBUFFERED"] = "1"
    env.update(overrides)
    return env


class ServerProcess(ClosedOnExit):
    """`python -m draftsmith serve` on 127.0.0.1, logging to `<data_dir>/server.log`.

    Starts on construction and blocks until ``GET /healthz`` answers 200. Use as a context
    manager, or call `stop()`. `restart()` keeps the port and the data directory.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        env: Mapping[str, str] | None = None,
        port: int | None = None,
        args: Sequence[str] = (),
        startup_timeout: float = 30.0,
    ) -> None:
        self.data_dir = data_dir
        self.log_path = data_dir / LOG_NAME
        self.env = server_env(env or {})
        self.args = tuple(args)
        self.startup_timeout = startup_timeout
        self._process: subprocess.Popen[bytes] | None = None
        self._log: IO[bytes] | None = None
        self._start_offset = 0
        data_dir.mkdir(parents=True, exist_ok=True)
        if port is not None:
            self.port = port
            self.start()
            return
        # A port picked by free_port() can be taken before the server binds it; try again then.
        for attempt in range(3):
            self.port = free_port()
            try:
                self.start()
                return
            except ServerStartError as exc:
                if attempt == 2 or "address already in use" not in exc.output.lower():
                    raise

    @property
    def base_url(self) -> str:
        return f"http://127.0.0.1:{self.port}"

    def api(self, verb: str) -> str:
        """URL of a capcut-mate verb, e.g. ``api("create_draft")``."""
        return f"{self.base_url}{API_PREFIX}/{verb.lstrip('/')}"

    @property
    def pid(self) -> int:
        if self._process is None:
            raise RuntimeError("server is not running")
        return self._process.pid

    @property
    def running(self) -> bool:
        return self._process is not None and self._process.poll() is None

    def command(self) -> list[str]:
        return [
            sys.executable,
            "-m",
            "draftsmith",
            "serve",
            "--host",
            "127.0.0.1",
            "--port",
            str(self.port),
            "--data-dir",
            str(self.data_dir),
            *self.args,
        ]

    def start(self) -> None:
        """Start the process and wait until it is healthy."""
        if self.running:
            raise RuntimeError("server is already running")
        self._close_log()
        self._log = self.log_path.open("ab")
        self._log.write(f"--- starting on port {self.port}\n".encode())
        self._log.flush()
        self._start_offset = self._log.tell()
        self._process = subprocess.Popen(
            self.command(),
            stdin=subprocess.DEVNULL,
            stdout=self._log,
            stderr=subprocess.STDOUT,
            env=self.env,
        )
        try:
            self._wait_healthy()
        except BaseException:
            self.kill()
            raise

    def _wait_healthy(self) -> None:
        deadline = time.monotonic() + self.startup_timeout
        with httpx.Client(timeout=2.0, trust_env=False) as client:
            while True:
                assert self._process is not None
                code = self._process.poll()
                if code is not None:
                    raise ServerStartError(
                        f"server exited with code {code} during start-up", self._start_output()
                    )
                try:
                    if client.get(f"{self.base_url}/healthz").status_code == 200:
                        return
                except httpx.TransportError:
                    pass
                if time.monotonic() > deadline:
                    raise ServerStartError(
                        f"server not healthy after {self.startup_timeout} s", self._start_output()
                    )
                time.sleep(0.05)

    def stop(self, timeout: float = 10.0) -> int | None:
        """SIGTERM and wait; SIGKILL if it has not exited after `timeout`. Returns the code."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(timeout)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait()
        self._close_log()
        return process.returncode

    def kill(self) -> int | None:
        """SIGKILL and wait, as a crash would. Returns the exit code."""
        process = self._process
        if process is None:
            return None
        if process.poll() is None:
            process.kill()
            process.wait()
        self._close_log()
        return process.returncode

    def restart(self, env: Mapping[str, str] | None = None) -> None:
        """Stop gracefully and start again on the same port and data directory.

        `env` adds to (or replaces some of) the overrides the server was started with.
        """
        self.stop()
        self.env.update(env or {})
        self.start()

    def log_text(self) -> str:
        if not self.log_path.exists():
            return ""
        return self.log_path.read_text(encoding="utf-8", errors="replace")

    def log_tail(self, lines: int = 40) -> str:
        return "\n".join(self.log_text().splitlines()[-lines:])

    def _start_output(self) -> str:
        with self.log_path.open("rb") as log:
            log.seek(self._start_offset)
            return log.read().decode("utf-8", errors="replace")

    def _close_log(self) -> None:
        if self._log is not None:
            self._log.close()
            self._log = None

    def close(self) -> None:
        """Stop the server: what leaving its `with` block does."""
        self.stop()
