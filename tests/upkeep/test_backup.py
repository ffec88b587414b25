"""`draftsmith backup` while a client streams edits and saves, `draftsmith restore-backup` into
a fresh data directory: every version acknowledged before the backup began is there, and loads in
pyJianYingDraft with what it held."""

from __future__ import annotations

import json
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

import pytest

from draft_oracle import load_summary
from support.api import SECOND, Api
from support.downloads import draft_id_of
from support.media_server import MediaServer
from support.server import ServerProcess, server_env

pytestmark = pytest.mark.slow

ENV = {
    "DRAFTSMITH_ALLOW_PRIVATE_URLS": "1",
    "DRAFTSMITH_RENDER_WORKERS": "0",
    # The clients save as fast as they can: a save refused for its rate would end their stream.
    "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0",
    "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0",
}
DRAFTS = 3


@dataclass(frozen=True)
class Saved:
    """A save the server acknowledged, and when."""

    draft_url: str
    version: int
    captions: tuple[str, ...]
    acknowledged: float


def draftsmith(*args: str, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    return subprocess.run(
        [sys.executable, "-m", "draftsmith", *args],
        capture_output=True,
        text=True,
        timeout=300,
        env=server_env(env if env is not None else ENV),
        check=False,
    )


def stream_edits(
    server: ServerProcess, draft_url: str, saved: list[Saved], stop: threading.Event
) -> None:
    """Caption after caption, a save after every second one, until told to stop."""
    texts: list[str] = []
    with Api(server.base_url) as api:
        while not stop.is_set():
            text = f"{draft_id_of(draft_url)[-6:]}-{len(texts)}"
            api.add_caption(draft_url, text, len(texts) * SECOND, (len(texts) + 1) * SECOND)
            texts.append(text)
            if len(texts) % 2 == 0:
                version = api.save(draft_url)["version"]
                saved.append(Saved(draft_url, version, tuple(texts), time.time()))


def test_a_backup_taken_under_load_restores_every_version_acknowledged_before_it(
    tmp_path: Path, media_server: MediaServer
) -> None:
    saved: list[Saved] = []
    stop = threading.Event()
    with ServerProcess(tmp_path / "live", env=ENV) as server, Api(server.base_url) as api:
        drafts = [api.create_draft() for _ in range(DRAFTS)]
        video = {"video_url": media_server.url("bars.mp4"), "start": 0, "end": 2 * SECOND}
        api.ok("add_videos", {"draft_url": drafts[0], "video_infos": [video]})
        writers = [
            threading.Thread(target=stream_edits, args=(server, url, saved, stop)) for url in drafts
        ]
        for writer in writers:
            writer.start()
        try:
            while len(saved) < 3 * DRAFTS:
                time.sleep(0.05)
            began = time.time()
            backup = draftsmith(
                "backup", str(tmp_path / "backup"), "--data-dir", str(server.data_dir)
            )
            ended = time.time()
            while not any(s.acknowledged > ended for s in saved):
                time.sleep(0.05)
        finally:
            stop.set()
            for writer in writers:
                writer.join(timeout=60)
    assert backup.returncode == 0, backup.stderr
    before = [s for s in saved if s.acknowledged < began]
    assert len(before) >= 3 * DRAFTS
    manifest = json.loads((tmp_path / "backup" / "backup.json").read_text())
    assert manifest["missing"] == []
    assert manifest["blobs"] >= 1

    restored = tmp_path / "restored"
    result = draftsmith("restore-backup", str(tmp_path / "backup"), "--data-dir", str(restored))
    assert result.returncode == 0, result.stderr
    again = draftsmith("restore-backup", str(tmp_path / "backup"), "--data-dir", str(restored))
    assert again.returncode == 2
    assert "not empty" in again.stderr

    with ServerProcess(restored, env=ENV) as server, Api(server.base_url) as api:
        for number, save in enumerate(before):
            folder = api.download_draft(save.draft_url, tmp_path / f"check-{number}", save.version)
            summary = load_summary(folder)
            assert tuple(summary.captions) == save.captions, save
        # The video, and its media file, came back too.
        first = api.download_draft(drafts[0], tmp_path / "first")
        assert [kind for kind, _ in load_summary(first).tracks].count("video") == 1
        assert any(path.suffix == ".mp4" for path in first.rglob("*"))


def test_restore_checks_every_file_against_its_hash(
    tmp_path: Path, media_server: MediaServer
) -> None:
    with ServerProcess(tmp_path / "live", env=ENV) as server, Api(server.base_url) as api:
        draft = api.create_draft()
        video = {"video_url": media_server.url("red.mp4"), "start": 0, "end": SECOND}
        api.ok("add_videos", {"draft_url": draft, "video_infos": [video]})
        api.save(draft)
        backup = draftsmith("backup", str(tmp_path / "backup"), "--data-dir", str(server.data_dir))
    assert backup.returncode == 0, backup.stderr
    damaged = next((tmp_path / "backup" / "blobs").glob("*/*"))
    damaged.write_bytes(damaged.read_bytes()[:-1] + b"!")

    result = draftsmith(
        "restore-backup", str(tmp_path / "backup"), "--data-dir", str(tmp_path / "new")
    )

    assert result.returncode != 0
    assert f"{damaged} is damaged" in result.stderr
    assert not (tmp_path / "new" / "draftsmith.sqlite3").exists()
    assert not list((tmp_path / "new").glob("blobs/*/*"))


@pytest.mark.parametrize(
    ("setting", "advice"),
    [
        ({"DRAFTSMITH_DATABASE_URL": "postgresql://postgres@127.0.0.1:1/none"}, "pg_dump"),
        ({"DRAFTSMITH_S3_BUCKET": "drafts"}, "bucket versioning"),
    ],
)
@pytest.mark.parametrize("command", ["backup", "restore-backup"])
def test_other_stores_are_told_what_to_use_instead(
    tmp_path: Path, setting: dict[str, str], advice: str, command: str
) -> None:
    (tmp_path / "there").mkdir()
    result = draftsmith(command, str(tmp_path / "there"), env={**ENV, **setting})

    assert result.returncode == 2, result.stderr
    assert advice in result.stderr
    assert "docs/deploying.md" in result.stderr
