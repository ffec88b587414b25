"""Shared pieces of the benchmarks: a real server process, timing and reporting."""

from __future__ import annotations

import http.client
import json
import os
import platform
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import httpx

API = "/openapi/capcut-mate/v1"


def free_port() -> int:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
        return port


class BenchServer:
    """`python -m draftsmith serve` on a free port, stopped when the block ends."""

    def __init__(self, data_dir: Path, env: Mapping[str, str] | None = None) -> None:
        self.data_dir = data_dir
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self._env = {**os.environ, **(env or {})}
        self._process: subprocess.Popen[bytes] | None = None

    def __enter__(self) -> BenchServer:
        command = [sys.executable, "-m", "draftsmith", "serve", "--port", str(self.port)]
        command += ["--data-dir", str(self.data_dir)]
        self.data_dir.mkdir(parents=True, exist_ok=True)
        log = (self.data_dir / "server.log").open("ab")
        self._process = subprocess.Popen(command, env=self._env, stdout=log, stderr=log)
        deadline = time.monotonic() + 30
        while time.monotonic() < deadline:
            try:
                if httpx.get(f"{self.base}/healthz", timeout=1).status_code == 200:
                    return self
            except httpx.HTTPError:
                time.sleep(0.1)
        raise RuntimeError("server did not start; see server.log")

    def __exit__(self, *_: object) -> None:
        if self._process is not None:
            self._process.terminate()
            self._process.wait(timeout=30)

    def restart(self) -> None:
        """Stop the server and start a new process on the same data and port."""
        self.__exit__()
        self.__enter__()

    @property
    def pid(self) -> int:
        assert self._process is not None
        return self._process.pid

    def url(self, verb: str) -> str:
        return f"{self.base}{API}/{verb}"

    def connect(self) -> Connection:
        return Connection(self.port)

    def peak_rss_mib(self) -> float:
        for line in Path(f"/proc/{self.pid}/status").read_text().splitlines():
            if line.startswith("VmHWM:"):
                return int(line.split()[1]) / 1024
        return float("nan")


class Connection:
    """One keep-alive HTTP/1.1 connection to a server on this machine, through the standard
    library's http.client: the leanest client there is, so that a figure is the server's time
    and not the client's (httpx costs about 0.25 ms more per request here)."""

    def __init__(self, port: int) -> None:
        self._conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)

    def _call(self, method: str, path: str, body: bytes | None = None) -> bytes:
        headers = {"Content-Type": "application/json"} if body is not None else {}
        self._conn.request(method, path, body, headers)
        response = self._conn.getresponse()
        data = response.read()
        if response.status != 200:
            raise RuntimeError(f"{method} {path}: {response.status} {data[:300]!r}")
        return data

    def post(self, verb: str, body: dict[str, object]) -> dict[str, object]:
        """POST a verb of the API; its JSON answer (an error status raises)."""
        answer: dict[str, object] = json.loads(
            self._call("POST", f"{API}/{verb}", json.dumps(body).encode())
        )
        return answer

    def get(self, path: str) -> bytes:
        """GET a path of the server (or a full URL of it): the body."""
        return self._call("GET", "/" + path.split("/", 3)[3] if "://" in path else path)

    def close(self) -> None:
        self._conn.close()

    def __enter__(self) -> Connection:
        return self

    def __exit__(self, *_: object) -> None:
        self.close()


@dataclass(frozen=True)
class Timing:
    p50_ms: float
    p95_ms: float
    count: int

    def __str__(self) -> str:
        return f"p50 {self.p50_ms:7.2f} ms  p95 {self.p95_ms:7.2f} ms  (n={self.count})"


def timing(samples: list[float]) -> Timing:
    ordered = sorted(samples)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Timing(statistics.median(ordered), p95, len(ordered))


def elapsed_ms(action: Callable[[], object]) -> float:
    """How long `action()` took, in milliseconds."""
    started = time.perf_counter()
    action()
    return (time.perf_counter() - started) * 1000


def measure_rounds(
    actions: dict[str, Callable[[], object]],
    repeats: int,
    before: Callable[[], object] | None = None,
) -> dict[str, Timing]:
    """Time each of `actions`, in order, once per round, `repeats` rounds; `before` runs
    untimed at the start of each round. Interleaved so that a machine whose speed drifts
    during the run (shared hosts do) slows every figure alike and their ratios hold."""
    samples: dict[str, list[float]] = {name: [] for name in actions}
    for _ in range(repeats):
        if before is not None:
            before()
        for name, action in actions.items():
            samples[name].append(elapsed_ms(action))
    return {name: timing(values) for name, values in samples.items()}


def machine_line() -> str:
    cpu = "unknown CPU"
    cpuinfo = Path("/proc/cpuinfo")
    if cpuinfo.exists():
        for line in cpuinfo.read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    memory = os.sysconf("SC_PAGE_SIZE") * os.sysconf("SC_PHYS_PAGES") / 2**30
    return (
        f"{datetime.now(UTC):%Y-%m-%d}, {os.cpu_count()} cores ({cpu}), {memory:.0f} GiB RAM, "
        f"Python {platform.python_version()}, {platform.system()} {platform.release()}"
    )
