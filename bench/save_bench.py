"""Save benchmark: edits and saves against a real server, next to the fsync floor.

Five parts, on SQLite and on PostgreSQL (`--store`):

- tracks: drafts of 10, 100, 1,000 and 5,000 tracks of one caption each (each add_captions call
  stacks a track, as capcut-mate does): p50/p95/p99/max of a one-caption edit, of save_draft
  after it and of save_draft with nothing changed, next to a bare write+fsync of a file the
  size of the draft's draft_content.json (the floor any durable save pays), timed in the same
  rounds and again alone; then reading the newest version back (its draft_content.json, and
  the folder as a zip).
- alternate: the smallest and the largest of those sizes in one server, a draft of each
  edited, saved and saved again unchanged in alternation, and the ratio of their p50s: the
  cost of size alone, where the tracks part measures each size after the ones before it.
- restart: drafts of the same sizes saved, the server restarted, then one caption and a save,
  twice: the first save of a draft in a new process, next to the save after it.
- segments: the same for drafts of 10, 100 and 1,000 captions on a few tracks, and saves per
  second with 8 clients on 8 drafts (the figures of earlier runs).
- mixed: 50 clients on 10 shared drafts, 85 % add_captions / 10 % save_draft / 5 %
  get_draft_info, closed loop for 60 s, then open loop at a fixed 100 requests/s for 60 s:
  p50/p95/p99/max, requests per second, server peak RSS.

The server is driven over HTTP from the same machine, through keep-alive connections of the
standard library's http.client (`harness.Connection`). Save rate limits are off.
Run: python bench/save_bench.py [--quick] [--store sqlite|postgres|both]
     [--parts tracks,alternate,restart,segments,mixed] [--tracks 10,100,1000,5000]
     [--seconds 60] [--rate 100]
PostgreSQL: the server at DRAFTSMITH_TEST_POSTGRES_URL (default postgres@127.0.0.1:5432).
"""

from __future__ import annotations

import argparse
import functools
import itertools
import json
import os
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from pathlib import Path

from harness import API, BenchServer, Connection, elapsed_ms, machine_line, measure_rounds
from load_mix import Latency, closed_loop, latency, open_loop, report

# The test suite's helper makes the throwaway PostgreSQL database; reuse, do not copy.
sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "tests"))
from support.postgres import throwaway_database

SIZES = (10, 100, 1000)
TRACK_SIZES = (10, 100, 1000, 5000)
CHUNK = 250
BASE_ENV = {
    "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0",
    "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0",
    # Drafts of 5,000 tracks, grown while measured.
    "DRAFTSMITH_MAX_SEGMENTS_PER_DRAFT": "100000",
}


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


def saved_files(client: Connection, draft_url: str) -> tuple[str, str]:
    """The URLs of the newest version's draft_content.json and of its whole folder as a zip."""
    draft_id = draft_url.rsplit("=", 1)[1]
    answer = json.loads(client.get(f"{API}/get_draft?draft_id={draft_id}"))
    content = next(url for url in answer["files"] if url.endswith("/draft_content.json"))
    return content, str(answer["download_url"])


def content_size(client: Connection, draft_url: str) -> int:
    return len(client.get(saved_files(client, draft_url)[0]))


def read_back(client: Connection, draft_url: str, repeats: int) -> dict[str, Latency]:
    """Reading the newest version back: its draft_content.json, and the folder as a zip."""
    content, folder = saved_files(client, draft_url)
    samples: dict[str, list[float]] = {"content": [], "zip": []}
    for _ in range(repeats):
        for name, url in (("content", content), ("zip", folder)):
            samples[name].append(elapsed_ms(functools.partial(client.get, url)))
    return {name: latency(values) for name, values in samples.items()}


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


def create_tracks_draft(server: BenchServer, tracks: int) -> str:
    """A draft of `tracks` tracks of one caption each, stacked one add_captions call each
    (four connections at once, to build large drafts faster)."""
    with server.connect() as setup:
        draft_url = str(setup.post("create_draft", {"width": 1080, "height": 1920})["draft_url"])
    local = threading.local()

    def add(index: int) -> None:
        client = getattr(local, "client", None)
        if client is None:
            client = local.client = server.connect()
        caption = {
            "text": f"caption {index}",
            "start": index * 1_000_000,
            "end": index * 1_000_000 + 900_000,
        }
        client.post("add_captions", {"draft_url": draft_url, "captions": [caption]})

    with ThreadPoolExecutor(max_workers=4) as pool:
        list(pool.map(add, range(tracks)))
    return draft_url


def report_tracks(server: BenchServer, tracks: int, repeats: int) -> None:
    """Edits and saves on drafts of `tracks` tracks, interleaved round by round with the floor:
    each round stacks one track, saves, saves again unchanged and writes+fsyncs a file the
    size of the draft's draft_content.json."""
    # Small drafts are cheap to make: one per ten rounds, so that none grows by more than ten
    # tracks while measured; large ones grow by a few per cent at most.
    count = max(1, repeats // 10) if tracks <= 100 else 2
    with server.connect() as client:
        editors = [Editor(client, create_tracks_draft(server, tracks)) for _ in range(count)]
        for editor in editors:
            editor.save()
        rotation = Rotation(editors)
        content_bytes = content_size(client, editors[0].draft_url)
        samples: dict[str, list[float]] = {
            name: [] for name in ("edit", "save", "unchanged", "floor")
        }
        floor = fsync_floor_write(server.data_dir, content_bytes)
        for _ in range(repeats):
            rotation.advance()
            for name, action in (
                ("edit", rotation.edit),
                ("save", rotation.save),
                ("unchanged", rotation.save),
                ("floor", floor),
            ):
                samples[name].append(elapsed_ms(action))
        read = read_back(client, editors[0].draft_url, max(5, repeats // 10))
    alone = [elapsed_ms(floor) for _ in range(repeats)]
    figures = {name: latency(values) for name, values in samples.items()}
    floor_alone = latency(alone)
    print(f"\n{tracks} tracks (draft_content.json {content_bytes} bytes)")
    print(f"  one-caption edit        {figures['edit']}")
    print(f"  save after one edit     {figures['save']}")
    print(f"  save, nothing changed   {figures['unchanged']}")
    print(f"  write+fsync floor       {figures['floor']}")
    print(f"  the same floor, alone   {floor_alone}")
    save_p50 = figures["save"].p50_ms
    print(
        f"  save / floor (p50)      {save_p50 / figures['floor'].p50_ms:.1f}x in the same rounds,"
        f" {save_p50 / floor_alone.p50_ms:.1f}x alone"
    )
    print(f"  read draft_content.json {read['content']}")
    print(f"  read the folder's zip   {read['zip']}")


def report_alternate(server: BenchServer, sizes: list[int], repeats: int) -> None:
    """The smallest and the largest size side by side in one server: a draft of each, edited,
    saved and saved again unchanged in alternation, so that whatever else the server holds
    (the drafts of the sizes before, its caches) weighs on both alike."""
    small, large = min(sizes), max(sizes)
    urls = {size: create_tracks_draft(server, size) for size in (small, large)}
    samples: dict[tuple[int, str], list[float]] = {}
    with server.connect() as client:
        editors = {size: Editor(client, url) for size, url in urls.items()}
        for editor in editors.values():
            editor.save()
        for _ in range(repeats):
            for size, editor in editors.items():
                for name, action in (
                    ("edit", editor.edit),
                    ("save", editor.save),
                    ("unchanged", editor.save),
                ):
                    samples.setdefault((size, name), []).append(elapsed_ms(action))
    print(f"\n{small} and {large} tracks in alternation")
    for name, title in (("edit", "one-caption edit"), ("save", "save after one edit")):
        ratio = latency(samples[large, name]).p50_ms / latency(samples[small, name]).p50_ms
        for size in (small, large):
            print(f"  {title:<20} {size:>5}  {latency(samples[size, name])}")
        print(f"  {title:<20} {large} / {small} (p50): {ratio:.2f}x")
    for size in (small, large):
        print(f"  unchanged save       {size:>5}  {latency(samples[size, 'unchanged'])}")


def report_restart(server: BenchServer, sizes: list[int], drafts: int = 3) -> None:
    """The first save of a draft in a process that has not saved it before (after a restart,
    a deploy say), next to the save after it: `drafts` saved drafts per size, the server
    restarted, then per draft one caption and a save, twice."""
    with server.connect() as client:
        made = {size: [create_tracks_draft(server, size) for _ in range(drafts)] for size in sizes}
        for urls in made.values():
            for url in urls:
                Editor(client, url).save()
    server.restart()
    with server.connect() as client:
        for size, urls in made.items():
            first: list[float] = []
            second: list[float] = []
            for url in urls:
                editor = Editor(client, url)
                for samples in (first, second):
                    editor.edit()
                    samples.append(elapsed_ms(editor.save))
            print(f"\n{size} tracks, after a restart")
            print(f"  first save after one edit   {latency(first)}")
            print(f"  the next save after one     {latency(second)}")


def report_mixed(server: BenchServer, seconds: float, rate: float, clients: int = 50) -> None:
    """The mixed load on 10 shared drafts (10 tracks each to start with): closed loop, then
    open loop on 10 fresh drafts."""
    for mode in ("closed", "open"):
        drafts = [create_tracks_draft(server, 10) for _ in range(10)]
        before = os.getloadavg()[0]
        if mode == "closed":
            recorder, elapsed = closed_loop(server, drafts, clients, seconds)
            title = f"closed loop, {clients} clients, {seconds:.0f} s"
        else:
            recorder, elapsed = open_loop(server, drafts, rate, seconds)
            title = f"open loop, {rate:.0f} requests/s, {seconds:.0f} s"
        report(title, recorder, elapsed, server.peak_rss_mib)
        print(f"  load average {before:.2f} before, {os.getloadavg()[0]:.2f} after")


@contextmanager
def store_env(store: str) -> Iterator[dict[str, str]]:
    """Settings for a server on `store`: SQLite in its data directory, or a throwaway
    PostgreSQL database."""
    if store == "sqlite":
        yield {}
        return
    with throwaway_database("draftsmith_save_bench") as url:
        yield {"DRAFTSMITH_DATABASE_URL": url}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--quick", action="store_true", help="fewer rounds, 15 s loads")
    parser.add_argument("--store", choices=("sqlite", "postgres", "both"), default="both")
    parser.add_argument("--parts", default="tracks,alternate,restart,segments,mixed")
    parser.add_argument("--tracks", default=",".join(map(str, TRACK_SIZES)))
    parser.add_argument("--seconds", type=float, default=60.0, help="per mixed load")
    parser.add_argument("--rate", type=float, default=100.0, help="open loop, requests/s")
    args = parser.parse_args()
    repeats = 30 if args.quick else 200
    seconds = 15.0 if args.quick else args.seconds
    parts = set(args.parts.split(","))
    print(f"machine: {machine_line()}")
    print("load average before: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))
    for store in ("sqlite", "postgres") if args.store == "both" else (args.store,):
        print(f"\n=== {store} ===")
        with (
            store_env(store) as env,
            tempfile.TemporaryDirectory(dir=".") as scratch,
            BenchServer(Path(scratch) / "data", {**BASE_ENV, **env}) as server,
        ):
            if "tracks" in parts:
                for tracks in map(int, args.tracks.split(",")):
                    report_tracks(server, tracks, repeats)
            if "alternate" in parts:
                report_alternate(server, [int(size) for size in args.tracks.split(",")], repeats)
            if "restart" in parts:
                report_restart(server, [int(size) for size in args.tracks.split(",")])
            if "segments" in parts:
                for size in SIZES:
                    report_size(server, size, repeats)
                rate = throughput(server, 8, 3.0 if args.quick else 10.0)
                print(f"\n8 clients on 8 drafts of 100 segments: {rate:.1f} edit+save rounds/s")
            print(f"server peak RSS: {server.peak_rss_mib():.0f} MiB")
        if "mixed" in parts:
            with (
                store_env(store) as env,
                tempfile.TemporaryDirectory(dir=".") as scratch,
                BenchServer(Path(scratch) / "data", {**BASE_ENV, **env}) as server,
            ):
                report_mixed(server, seconds, args.rate)
    print("load average after: {:.2f} {:.2f} {:.2f}".format(*os.getloadavg()))


if __name__ == "__main__":
    main()
