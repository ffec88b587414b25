"""`draftsmith gc` on the data directory of a running server: deleted drafts, exports of them,
a pending upload, leftover temporary files and live drafts. Exactly the orphans go, media an
edit is using is kept, and a second run frees nothing."""

from __future__ import annotations

import json
import os
import sqlite3
import subprocess
import sys
import threading
import time
from collections.abc import Iterator
from contextlib import closing
from pathlib import Path
from typing import Any

import pytest

from draft_oracle import load_summary
from support.api import SECOND, Api, ApiOpener
from support.downloads import draft_id_of
from support.media_server import MediaServer
from support.server import ServerProcess, server_env

from .metrics_text import parse, value

pytestmark = pytest.mark.slow

GRACE = 3600
AGED = 2 * GRACE
ENV = {
    "DRAFTSMITH_ALLOW_PRIVATE_URLS": "1",
    "DRAFTSMITH_RENDER_WORKERS": "0",
    "DRAFTSMITH_GC_GRACE_SECONDS": str(GRACE),
}


@pytest.fixture
def served(tmp_path: Path) -> Iterator[ServerProcess]:
    with ServerProcess(tmp_path / "data", env=ENV) as server:
        yield server


def blobs(data_dir: Path) -> set[str]:
    return {path.name for path in (data_dir / "blobs").glob("*/*") if len(path.name) == 64}


def age_everything(data_dir: Path) -> None:
    """Make what the data directory holds look two grace periods old: its files and the last
    use of every media URL."""
    then = time.time() - AGED
    for path in [*(data_dir / "blobs").glob("*/*"), *(data_dir / "tmp").iterdir()]:
        os.utime(path, (then, then))
    with closing(sqlite3.connect(data_dir / "draftsmith.sqlite3", timeout=30)) as db, db:
        db.execute("UPDATE media_sources SET used_at_us = used_at_us - ?", (AGED * 1_000_000,))


def gc(data_dir: Path, *args: str) -> dict[str, Any]:
    """`draftsmith gc --json` in a process of its own, as an operator's cron job runs it."""
    result = subprocess.run(
        [sys.executable, "-m", "draftsmith", "gc", "--json", "--data-dir", str(data_dir), *args],
        capture_output=True,
        text=True,
        timeout=120,
        env=server_env(ENV),
        check=False,
    )
    assert result.returncode == 0, result.stderr
    report: dict[str, Any] = json.loads(result.stdout)
    return report


def video_tracks(folder: Path) -> int:
    """Video tracks of a downloaded folder, as pyJianYingDraft loads it (every file listed,
    media included, was downloaded to make the folder)."""
    return sum(kind == "video" for kind, _ in load_summary(folder).tracks)


def clip(url: str) -> dict[str, object]:
    return {"video_url": url, "start": 0, "end": 2 * SECOND}


def exported(api: Api, draft_url: str, profile: str) -> list[str]:
    """The file links of the latest version exported for `profile` (get_draft?profile=)."""
    response = api.get(api.url("get_draft"), draft_id=draft_id_of(draft_url), profile=profile)
    assert response.status_code == 200, response.text
    files: list[str] = response.json()["files"]
    return files


def make_live_draft(api: Api, media: MediaServer) -> str:
    draft_url = api.create_draft()
    api.ok("add_videos", {"draft_url": draft_url, "video_infos": [clip(media.url("bars.mp4"))]})
    image = {"image_url": media.url("still.png"), "start": 2 * SECOND, "end": 3 * SECOND}
    api.ok("add_images", {"draft_url": draft_url, "image_infos": [image]})
    api.save(draft_url)
    exported(api, draft_url, "capcut")
    return draft_url


def test_gc_frees_exactly_the_orphans_and_then_nothing(
    served: ServerProcess, apis: ApiOpener, media_server: MediaServer, tmp_path: Path
) -> None:
    api = apis(served.base_url)
    data_dir = served.data_dir
    live = make_live_draft(api, media_server)
    kept = blobs(data_dir)
    # A draft saved, exported for other editors, then deleted: its media and exports are orphans.
    gone = api.create_draft()
    api.ok("add_videos", {"draft_url": gone, "video_infos": [clip(media_server.url("red.mp4"))]})
    api.save(gone)
    exported(api, gone, "capcut")
    exported(api, gone, "jianying-6")
    api.ok("delete_draft", {"draft_url": gone})
    orphans = blobs(data_dir) - kept
    assert orphans
    (data_dir / "tmp" / "crashed-download.part").write_bytes(b"left by a crash")
    age_everything(data_dir)
    # A pending upload: a file fetched a moment ago by a request that then failed, so no draft
    # names it yet; and a download still being written.
    audios = [
        {"audio_url": media_server.url("tone.mp3"), "start": 0, "end": SECOND},
        {"audio_url": media_server.url("status/404"), "start": 0, "end": SECOND},
    ]
    assert api.post("add_audios", {"draft_url": live, "audio_infos": audios}).status_code == 400
    pending = blobs(data_dir) - kept - orphans
    assert len(pending) == 2  # the sound and its waveform, made at ingest
    (data_dir / "tmp" / "downloading.part").write_bytes(b"still arriving")
    orphan_bytes = sum((data_dir / "blobs" / name[:2] / name).stat().st_size for name in orphans)

    dry = gc(data_dir, "--dry-run")
    assert (dry["dry_run"], dry["freed"], dry["freed_bytes"]) == (True, len(orphans), orphan_bytes)
    assert blobs(data_dir) == kept | orphans | pending

    first = gc(data_dir)
    assert (first["freed"], first["freed_bytes"]) == (len(orphans), orphan_bytes)
    assert (first["temp_files"], first["young"]) == (1, len(pending))
    assert blobs(data_dir) == kept | pending
    assert sorted(path.name for path in (data_dir / "tmp").iterdir()) == ["downloading.part"]

    second = gc(data_dir)
    assert (second["freed"], second["freed_bytes"], second["temp_files"]) == (0, 0, 0)
    # What is left still opens: the live draft, and its export for another profile.
    folder = api.download_folder(draft_id_of(live), tmp_path / "own")
    assert video_tracks(folder) == 2
    for file_url in exported(api, live, "capcut"):
        api.file_bytes(file_url)


def test_media_an_edit_asked_for_within_the_grace_period_is_kept(
    served: ServerProcess, apis: ApiOpener, media_server: MediaServer
) -> None:
    api = apis(served.base_url)
    data_dir = served.data_dir
    gone = api.create_draft()
    red = media_server.url("red.mp4")
    api.ok("add_videos", {"draft_url": gone, "video_infos": [clip(red)]})
    api.ok("delete_draft", {"draft_url": gone})
    media = blobs(data_dir)
    age_everything(data_dir)
    # An edit in flight: it has its media (the lookup marks it used) and is yet to store a track.
    failing = [clip(red), clip(media_server.url("status/404"))]
    draft = api.create_draft()
    assert api.post("add_videos", {"draft_url": draft, "video_infos": failing}).status_code == 400

    report = gc(data_dir)

    assert report["freed"] == 0
    assert blobs(data_dir) == media


def test_concurrent_edits_keep_their_media_while_two_collections_run(
    served: ServerProcess, apis: ApiOpener, media_server: MediaServer, tmp_path: Path
) -> None:
    api = apis(served.base_url)
    data_dir = served.data_dir
    red = media_server.url("red.mp4")
    for round_number in range(3):
        # The media's last draft is gone, and it looks old: a candidate for collection...
        gone = api.create_draft()
        api.ok("add_videos", {"draft_url": gone, "video_infos": [clip(red)]})
        api.ok("delete_draft", {"draft_url": gone})
        age_everything(data_dir)
        # ... while edits of another draft keep asking for it.
        draft = api.create_draft()
        stop = threading.Event()
        answers: list[int] = []

        def edit(
            draft_url: str = draft, stop: threading.Event = stop, answers: list[int] = answers
        ) -> None:
            with Api(served.base_url) as editor:
                while not stop.is_set() or not answers:
                    body = {"draft_url": draft_url, "video_infos": [clip(red)]}
                    answers.append(editor.post("add_videos", body).status_code)

        editor = threading.Thread(target=edit)
        editor.start()
        try:
            reports = gc_at_once(data_dir, 2)
        finally:
            stop.set()
            editor.join(timeout=60)

        assert set(answers) == {200}
        assert sum(report["freed"] for report in reports) <= 4
        api.save(draft)
        folder = api.download_folder(draft_id_of(draft), tmp_path / f"round-{round_number}")
        assert video_tracks(folder) == len(answers)
        api.ok("delete_draft", {"draft_url": draft})


def gc_at_once(data_dir: Path, count: int) -> list[dict[str, Any]]:
    """`count` `draftsmith gc` processes started together; their reports once all are done."""
    processes = [
        subprocess.Popen(
            [sys.executable, "-m", "draftsmith", "gc", "--json", "--data-dir", str(data_dir)],
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
            env=server_env(ENV),
        )
        for _ in range(count)
    ]
    reports = []
    for process in processes:
        out, err = process.communicate(timeout=120)
        assert process.returncode == 0, err
        reports.append(json.loads(out))
    return reports


def test_the_server_collects_on_its_own_when_told_to(
    tmp_path: Path, media_server: MediaServer
) -> None:
    # A short grace period, still longer than an edit takes from fetching media to storing it.
    env = {**ENV, "DRAFTSMITH_GC_INTERVAL_SECONDS": "1", "DRAFTSMITH_GC_GRACE_SECONDS": "5"}
    with ServerProcess(tmp_path / "data", env=env) as server, Api(server.base_url) as api:
        live = api.create_draft()
        api.ok(
            "add_videos", {"draft_url": live, "video_infos": [clip(media_server.url("bars.mp4"))]}
        )
        kept = blobs(server.data_dir)
        gone = api.create_draft()
        api.ok(
            "add_videos", {"draft_url": gone, "video_infos": [clip(media_server.url("red.mp4"))]}
        )
        orphans = blobs(server.data_dir) - kept
        api.ok("delete_draft", {"draft_url": gone})
        deadline = time.monotonic() + 60
        while blobs(server.data_dir) != kept and time.monotonic() < deadline:
            time.sleep(0.2)
        left = blobs(server.data_dir)
        scraped = api.http.get("/metrics").text

    assert orphans
    assert left == kept
    freed = parse(scraped)
    assert value(freed, "draftsmith_gc_freed_blobs_total") == len(orphans)
