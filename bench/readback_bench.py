"""Read-back benchmark: how long a saved version takes to read back over HTTP, for one source
tree or several side by side (say, two commits checked out as worktrees).

For each source tree in turn, round after round, a server of that tree starts on a fresh data
directory (SQLite), a draft of N one-caption tracks is built one add_captions call at a time
and saved once, and its draft_content.json and its folder as a zip are each read 40 times:
p50/p95/p99/max per tree, size and file, then each round's p50 side by side. The trees take turns
so that a machine whose speed drifts slows them alike.

Run: python bench/readback_bench.py [--tracks 1000,5000] [--rounds 2] [--reads 40]
     [--source NAME=PATH/TO/src ...]   (default: this tree's src)
"""

from __future__ import annotations

import argparse
import functools
import sys
import tempfile
from pathlib import Path

from harness import BenchServer, Connection, elapsed_ms, machine_line
from load_mix import latency
from save_bench import BASE_ENV, saved_files

HERE = Path(__file__).resolve().parents[1] / "src"


def build_and_save(client: Connection, tracks: int) -> str:
    """A draft of `tracks` one-caption tracks, saved once; its URL."""
    draft_url = str(client.post("create_draft", {"width": 1080, "height": 1920})["draft_url"])
    for n in range(tracks):
        caption = {"text": f"caption {n}", "start": n * 1_000_000, "end": n * 1_000_000 + 900_000}
        client.post("add_captions", {"draft_url": draft_url, "captions": [caption]})
    client.post("save_draft", {"draft_url": draft_url})
    return draft_url


def read_back(source: Path, tracks: int, reads: int, scratch: Path) -> dict[str, list[float]]:
    """Milliseconds per read of the newest version's draft_content.json and of its zip, on a
    server of the tree at `source`."""
    with tempfile.TemporaryDirectory(dir=scratch) as data:
        env = {**BASE_ENV, "PYTHONPATH": str(source)}
        with BenchServer(Path(data) / "data", env) as server, server.connect() as client:
            content, folder = saved_files(client, build_and_save(client, tracks))
            samples: dict[str, list[float]] = {}
            for name, url in (("draft_content.json", content), ("the zip", folder)):
                client.get(url)  # once untimed: what a first read warms
                read = functools.partial(client.get, url)
                samples[name] = [elapsed_ms(read) for _ in range(reads)]
            return samples


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--tracks", default="1000,5000")
    parser.add_argument("--rounds", type=int, default=2)
    parser.add_argument("--reads", type=int, default=40)
    parser.add_argument("--source", action="append", default=[], metavar="NAME=PATH")
    args = parser.parse_args()
    sources = dict(item.split("=", 1) for item in args.source) or {"this tree": str(HERE)}
    sizes = [int(size) for size in args.tracks.split(",")]
    print(f"machine: {machine_line()}")
    rounds: dict[tuple[int, str, str], list[float]] = {}
    with tempfile.TemporaryDirectory() as scratch:
        for round_number in range(args.rounds):
            for name, source in sources.items():
                for size in sizes:
                    samples = read_back(Path(source), size, args.reads, Path(scratch))
                    for file, values in samples.items():
                        figure = latency(values)
                        rounds.setdefault((size, file, name), []).append(figure.p50_ms)
                        print(f"round {round_number + 1}, {name}, {size} tracks, {file}: {figure}")
                        sys.stdout.flush()
    print("\np50 per round:")
    for (size, file, name), values in sorted(rounds.items()):
        figures = " / ".join(f"{value:.1f}" for value in values)
        print(f"  {size:>5} tracks  {file:<18}  {name:<20}  {figures}")


if __name__ == "__main__":
    main()
