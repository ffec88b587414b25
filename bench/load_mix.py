"""The mixed load of the save benchmark: many clients on a few shared drafts, each request one
of add_captions / save_draft / get_draft_info, closed loop (each client sends its next request
when the last is answered) or open loop (requests start at a fixed rate, whatever the server's
pace, and a request's time counts from when it was due, so a stall shows in full).
"""

from __future__ import annotations

import random
import statistics
import threading
import time
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field

from harness import BenchServer

MIX = (("add_captions", 0.85), ("save_draft", 0.10), ("get_draft_info", 0.05))


@dataclass(frozen=True)
class Latency:
    p50_ms: float
    p95_ms: float
    p99_ms: float
    max_ms: float
    count: int

    def __str__(self) -> str:
        return (
            f"p50 {self.p50_ms:7.2f}  p95 {self.p95_ms:7.2f}  p99 {self.p99_ms:7.2f}"
            f"  max {self.max_ms:8.2f} ms  (n={self.count})"
        )


def latency(samples: list[float]) -> Latency:
    ordered = sorted(samples) or [float("nan")]

    def at(share: float) -> float:
        return ordered[min(len(ordered) - 1, round(share * (len(ordered) - 1)))]

    return Latency(statistics.median(ordered), at(0.95), at(0.99), ordered[-1], len(samples))


@dataclass
class Recorder:
    """Latencies by verb, in milliseconds, from many threads."""

    by_verb: dict[str, list[float]] = field(default_factory=dict)
    errors: list[str] = field(default_factory=list)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, verb: str, elapsed_ms: float) -> None:
        with self.lock:
            self.by_verb.setdefault(verb, []).append(elapsed_ms)

    def fail(self, message: str) -> None:
        with self.lock:
            self.errors.append(message)

    def every(self) -> list[float]:
        return [ms for samples in self.by_verb.values() for ms in samples]


class MixedClient:
    """Sends the mix's requests on its own keep-alive connection."""

    def __init__(self, server: BenchServer, drafts: list[str], seed: int) -> None:
        self.server = server
        self.connection = server.connect()
        self.drafts = drafts
        self.random = random.Random(seed)
        self.seed = seed
        self.sent = 0

    def request(self) -> str:
        """Send one request of the mix; returns its verb."""
        verb = self.random.choices([v for v, _ in MIX], [w for _, w in MIX])[0]
        draft_url = self.random.choice(self.drafts)
        self.sent += 1
        body: dict[str, object] = {"draft_url": draft_url}
        if verb == "add_captions":
            start = (self.sent % 3600) * 1_000_000
            body["captions"] = [
                {"text": f"caption {self.sent}", "start": start, "end": start + 900_000}
            ]
        try:
            self.connection.post(verb, body)
        except (BrokenPipeError, ConnectionResetError):
            # The server closed a keep-alive connection left idle (an open loop's worker
            # waits between requests) before reading the request: send it again on a new one.
            self.connection.close()
            self.connection = self.server.connect()
            self.connection.post(verb, body)
        return verb


def closed_loop(
    server: BenchServer, drafts: list[str], clients: int, seconds: float
) -> tuple[Recorder, float]:
    """`clients` clients, each sending its next request when the last is answered."""
    recorder = Recorder()
    stop = time.monotonic() + seconds

    def work(index: int) -> None:
        client = MixedClient(server, drafts, index)
        try:
            while time.monotonic() < stop:
                started = time.perf_counter()
                try:
                    verb = client.request()
                except (OSError, RuntimeError) as exc:
                    recorder.fail(str(exc)[:120])
                    client.connection.close()
                    client.connection = server.connect()
                    continue
                recorder.add(verb, (time.perf_counter() - started) * 1000)
        finally:
            client.connection.close()

    began = time.monotonic()
    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return recorder, time.monotonic() - began


def open_loop(
    server: BenchServer, drafts: list[str], rate: float, seconds: float, workers: int = 64
) -> tuple[Recorder, float]:
    """Requests due at a fixed `rate`, each sent by a free worker; its time counts from when
    it was due."""
    recorder = Recorder()
    local = threading.local()
    seeds = iter(range(1_000_000))
    seeds_lock = threading.Lock()

    def client() -> MixedClient:
        mine: MixedClient | None = getattr(local, "client", None)
        if mine is None:
            with seeds_lock:
                seed = next(seeds)
            mine = local.client = MixedClient(server, drafts, seed)
        return mine

    def send(due: float) -> None:
        mine = client()
        try:
            verb = mine.request()
        except (OSError, RuntimeError) as exc:
            recorder.fail(str(exc)[:120])
            mine.connection.close()
            mine.connection = server.connect()
            return
        recorder.add(verb, (time.perf_counter() - due) * 1000)

    total = int(rate * seconds)
    began = time.perf_counter()
    with ThreadPoolExecutor(max_workers=workers) as pool:
        for index in range(total):
            due = began + index / rate
            delay = due - time.perf_counter()
            if delay > 0:
                time.sleep(delay)
            pool.submit(send, due)
    return recorder, time.perf_counter() - began


def report(
    title: str, recorder: Recorder, elapsed: float, rss: Callable[[], float]
) -> dict[str, Latency]:
    every = recorder.every()
    print(f"\n{title}: {len(every) / elapsed:.1f} requests/s, {len(recorder.errors)} errors")
    for error in recorder.errors[:3]:
        print(f"  error: {error}")
    figures = {"all": latency(every)}
    print(f"  all             {figures['all']}")
    for verb, _ in MIX:
        figures[verb] = latency(recorder.by_verb.get(verb, []))
        print(f"  {verb:15} {figures[verb]}")
    print(f"  server peak RSS {rss():.0f} MiB")
    return figures
