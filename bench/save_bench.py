"""Save benchmark: edits and saves against a real server, next to the fsync floor.

Reports, for drafts of 10, 100 and 1,000 caption segments: p50/p95 of a one-caption edit, of
save_draft after one edit and of save_draft with no change; saves per second with 8 clients on
8 drafts; and the time of a bare write+fsync of a file the size of draft_content.json, the
physical floor any durable save pays; and, for scale, the round trip of the cheapest request.
The server is driven over HTTP from the same machine, through one keep-alive connection per
client (`harness.Connection`).
Run: python bench/save_bench.py [--quick]
"""

from __future__ import annotations

import argparse
import itertools
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable
from pathlib import Path

from harness import API, BenchServer, Connection, machine_line, measure_rounds

SIZES = (10, 100, 1000)
CHUNK = 250


def create_draft(client: Connection, segments: int) -> str:
    draft_url = str(client.post("create_draft", {"width": 1080, "height": 1920})["draft_url"])
    for offset in range(0, segments, CHUNK):
        count = min(CHUNK, segments - offset)
        captions = [
            {
                "text": f"caption {offset + i}",
                "start": (offset + i) * 1_000_000,
                "end": (offset + i) * 1_000_000 + 900_000,
            }
            for i in range(count)
        ]
        client.post("add_captions", {"draft_url": draft_url, "captions": captions})
    return draft_url


class Editor:
    """Adds one caption at a time after the existing ones, on the draft it was given."""

    def __init__(self, client: Connection, draft_url: str) -> None:
        self.client = client
        self.draft_url = draft_url
        self.next_start = 10_000 * 1_000_000

    def edit(self) -> None:
        start = self.next_start
        self.next_start += 1_000_000
        caption = {"text": "one more", "start": start, "end": start + 900_000}
        self.client.post("add_captions", {"draft_url": self.draft_url, "captions": [caption]})

    def save(self) -> None:
        self.client.post("save_draft", {"draft_url": self.draft_url})


def content_size(client: Connection, draft_url: str) -> int:
    draft_id = draft_url.rsplit("=", 1)[1]
    answer = json.loads(client.get(f"{API}/get_draft?draft_id={draft_id}"))
    content = next(url for url in answer["files"] if url.endswith("/draft_content.json"))
    return len(client.get(content))


def fsync_floor_write(directory: Path, size: int) -> Callable[[], None]:
    """A bare write + fsync of `size` bytes in `directory`: the physical floor of a save."""
    payload = os.urandom(size)

    def write() -> None:
        with tempfile.NamedTemporaryFile(dir=directory) as handle:
            handle.write(payload)
            handle.flush()
            os.fsync(handle.fileno())

    return write


def throughput(server: BenchServer, clients: int, seconds: float) -> float:
    """Saves per second with `clients` threads, each editing and saving its own draft."""
    with server.connect() as setup:
        drafts = [create_draft(setup, 100) for _ in range(clients)]
    saves = [0] * clients
    stop = time.monotonic() + seconds

    def work(index: int) -> None:
        with server.connect() as client:
            editor = Editor(client, drafts[index])
            while time.monotonic() < stop:
                editor.edit()
                editor.save()
                saves[index] += 1

    threads = [threading.Thread(target=work, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return sum(saves) / seconds


class Rotation:
    """Hands the work to each editor in turn, so each draft gets only a share of the edits."""

    def __init__(self, editors: list[Editor]) -> None:
        self._turn = itertools.cycle(editors)
        self.current = next(self._turn)

    def advance(self) -> None:
        self.current = next(self._turn)

    def edit(self) -> None:
        self.current.edit()

    def save(self) -> None:
        self.current.save()


def report_size(server: BenchServer, size: int, repeats: int) -> None:
    """Time edits and saves on drafts of `size` captions, next to the fsync floor and the
    cheapest request, interleaved round by round (see `measure_rounds`).

    The work is spread over several drafts so that none grows by more than ten captions while
    it is measured.
    """
    with server.connect() as client:
        editors = [Editor(client, create_draft(client, size)) for _ in range(max(1, repeats // 10))]
        for editor in editors:
            editor.save()
        rotation = Rotation(editors)
        # The floor writes a file the size of the largest draft_content.json saved below: that of
        # a draft of `size` captions after its ten edits.
        probe = Editor(client, create_draft(client, size))
        for _ in range(10):
            probe.edit()
        probe.save()
        content_bytes = content_size(client, probe.draft_url)
        timings = measure_rounds(
            {
                "edit": rotation.edit,
                "save after edit": rotation.save,
                "unchanged save": rotation.save,
                "floor": fsync_floor_write(server.data_dir, content_bytes),
                "healthz": lambda: client.get("/healthz"),
            },
            repeats,
            before=rotation.advance,
        )
    # The floor once more, alone: nothing else running between its writes.
    alone = measure_rounds({"floor": fsync_floor_write(server.data_dir, content_bytes)}, repeats)
    after_edit, floor = timings["save after edit"], timings["floor"]
    print(f"\n{size} segments (draft_content.json {content_bytes} bytes)")
    print(f"  one-caption edit        {timings['edit']}")
    print(f"  save after one edit     {after_edit}")
    print(f"  save, nothing changed   {timings['unchanged save']}")
    print(f"  write+fsync floor       {floor}")
    print(f"  the same floor, alone   {alone['floor']}")
    print(f"  GET /healthz            {timings['healthz']}")
    print(f"  save / floor (p50)      {after_edit.p50_ms / floor.p50_ms:.1f}x")
    print(f"  save / floor alone      {after_edit.p50_ms / alone['floor'].p50_ms:.1f}x")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer repetitions")
    args = parser.parse_args()
    repeats = 30 if args.quick else 200
    env = {"DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0", "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0"}
    print(f"machine: {machine_line()}")
    with (
        tempfile.TemporaryDirectory(dir=".") as scratch,
        BenchServer(Path(scratch) / "data", env) as server,
    ):
        for size in SIZES:
            report_size(server, size, repeats)
        rate = throughput(server, 8, 3.0 if args.quick else 10.0)
        print(f"\n8 clients on 8 drafts of 100 segments: {rate:.1f} edit+save rounds per second")
        print(f"server peak RSS: {server.peak_rss_mib():.0f} MiB")


if __name__ == "__main__":
    main()
