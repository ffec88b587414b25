"""Scale-out benchmark: edit+save rounds against PostgreSQL-backed servers, 1 and then 3 of them.

Each run gets a throwaway PostgreSQL database and fresh server processes sharing it and one blob
store (a local directory all processes share, or a moto S3 server with --blobs s3). N client
threads then edit and save for a fixed time, every request going to the next process in turn
as a round-robin load balancer would send it. Two scenarios: every client on a draft of its own
(100 captions to start with), and every client on one shared draft. Reports saves per second and
p50/p95 of save_draft and of the edit before it.

Run: python bench/scaleout_bench.py [--quick] [--clients N] [--seconds S] [--blobs local|s3]
Needs PostgreSQL at DRAFTSMITH_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
import threading
import time
from collections.abc import Iterator
from contextlib import ExitStack, contextmanager
from dataclasses import dataclass, field
from pathlib import Path

import httpx
import psycopg

from harness import BenchServer, Timing, machine_line
from save_bench import create_draft

# The test suite's helpers make the throwaway database and the S3 server; reuse, do not copy.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support.postgres import admin_url, throwaway_database
from support.s3 import MotoServer

PROCESS_COUNTS = (1, 3)
SEGMENTS = 100
BASE_ENV = {"DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0", "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0"}


def timing(samples: list[float]) -> Timing:
    ordered = sorted(samples) or [float("nan")]
    p50 = ordered[len(ordered) // 2]
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return Timing(p50, p95, len(samples))


@dataclass
class Samples:
    """What the clients measured, in milliseconds; appended to from several threads."""

    saves: list[float] = field(default_factory=list)
    edits: list[float] = field(default_factory=list)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, kind: list[float], started: float) -> None:
        elapsed = (time.perf_counter() - started) * 1000
        with self.lock:
            kind.append(elapsed)


def client_loop(
    servers: list[BenchServer], index: int, draft_url: str, stop: float, samples: Samples
) -> None:
    """Edit then save until `stop`; request k of client i goes to process (i + k) % P."""
    turn = index
    start_us = 10_000 * 1_000_000 + index * 1_000_000_000
    with httpx.Client(timeout=60) as client:
        while time.monotonic() < stop:
            caption = {"text": f"client {index}", "start": start_us, "end": start_us + 900_000}
            start_us += 1_000_000
            for verb, body, kind in (
                ("add_captions", {"draft_url": draft_url, "captions": [caption]}, samples.edits),
                ("save_draft", {"draft_url": draft_url}, samples.saves),
            ):
                server = servers[turn % len(servers)]
                turn += 1
                started = time.perf_counter()
                response = client.post(server.url(verb), json=body)
                if response.status_code == 200:
                    samples.add(kind, started)
                else:
                    samples.errors.append(f"{verb} {response.status_code} {response.text[:80]}")


@dataclass(frozen=True)
class Result:
    processes: int
    scenario: str
    clients: int
    saves_per_second: float
    save: Timing
    edit: Timing
    errors: int

    def row(self) -> str:
        return (
            f"| {self.processes} | {self.scenario} | {self.clients} | "
            f"{self.saves_per_second:.1f} | {self.save.p50_ms:.1f} | {self.save.p95_ms:.1f} | "
            f"{self.edit.p50_ms:.1f} | {self.edit.p95_ms:.1f} | {self.errors} |"
        )


def run_scenario(servers: list[BenchServer], scenario: str, clients: int, seconds: float) -> Result:
    with servers[0].connect() as setup:
        if scenario == "own drafts":
            drafts = [create_draft(setup, SEGMENTS) for _ in range(clients)]
        else:
            drafts = [create_draft(setup, SEGMENTS)] * clients
    samples = Samples()
    stop = time.monotonic() + seconds
    threads = [
        threading.Thread(target=client_loop, args=(servers, i, drafts[i], stop, samples))
        for i in range(clients)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    for error in samples.errors[:3]:
        print(f"  error: {error}")
    return Result(
        len(servers),
        scenario,
        clients,
        len(samples.saves) / seconds,
        timing(samples.saves),
        timing(samples.edits),
        len(samples.errors),
    )


@contextmanager
def blob_env(kind: str, scratch: Path) -> Iterator[dict[str, str]]:
    """Settings that give every server process the same blob store."""
    if kind == "local":
        yield {}
        return
    with MotoServer(scratch / "moto.log") as s3:
        yield s3.server_env(s3.new_bucket())


def run(processes: int, args: argparse.Namespace, scratch: Path) -> list[Result]:
    root = scratch / f"{processes}-processes"
    root.mkdir()
    with (
        throwaway_database("draftsmith_bench") as database_url,
        blob_env(args.blobs, root) as blobs,
        ExitStack() as running,
    ):
        env = {**BASE_ENV, **blobs, "DRAFTSMITH_DATABASE_URL": database_url}
        # With local blobs the processes share one data directory, as they would share a
        # network filesystem; with S3 each keeps only its scratch files there.
        servers = [
            running.enter_context(
                BenchServer(root / ("data" if args.blobs == "local" else f"data-{i}"), env)
            )
            for i in range(processes)
        ]
        return [
            run_scenario(servers, scenario, args.clients, args.seconds)
            for scenario in ("own drafts", "one draft")
        ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="3 s per scenario")
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--seconds", type=float, default=10.0)
    parser.add_argument("--blobs", choices=("local", "s3"), default="local")
    args = parser.parse_args()
    if args.quick:
        args.seconds = 3.0
    with psycopg.connect(admin_url()) as conn:
        row = conn.execute("SHOW server_version").fetchone()
    print(f"machine: {machine_line()}")
    # Other work on the machine skews every figure; say how busy it was.
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    print(f"PostgreSQL {row[0] if row else '?'}; blobs: {args.blobs}; {args.seconds:.0f} s each")
    print(
        "\n| processes | scenario | clients | saves/s | save p50 ms | save p95 ms "
        "| edit p50 ms | edit p95 ms | errors |"
    )
    print("|---|---|---|---|---|---|---|---|---|")
    with tempfile.TemporaryDirectory(prefix="scaleout-bench-") as scratch:
        for processes in PROCESS_COUNTS:
            for result in run(processes, args, Path(scratch)):
                print(result.row(), flush=True)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
