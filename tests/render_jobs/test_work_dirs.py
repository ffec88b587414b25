"""Work directories of renders cut short by a crash are removed when a worker pool starts,
and those of renders that may still run in another process are not."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from draftsmith.blobs.local import LocalBlobStore
from draftsmith.render.worker import RenderWorkers, WorkerSettings, work_dir_prefix
from draftsmith.store.sqlite import SqliteDraftStore
from store.builders import new_draft
from support.api import Api
from support.media_server import MediaServer
from support.server import ServerProcess

from .conftest import LONG_SECONDS
from .test_workers import under_way

NOW = 1_763_900_000_000_000
LEASE_SECONDS = 30.0
LEASE_US = int(LEASE_SECONDS * 1_000_000)


def work_dirs(data_dir: Path) -> set[Path]:
    return {path for path in (data_dir / "tmp").glob("render-*") if path.is_dir()}


def test_a_work_directory_left_by_a_killed_server_is_removed_on_restart(
    slow_server: ServerProcess, slow_api: Api, long_media: MediaServer
) -> None:
    draft_url = slow_api.video_draft(long_media.url("long.mp4"), LONG_SECONDS)
    slow_api.gen_video(draft_url)
    slow_api.wait(draft_url, under_way)
    left = work_dirs(slow_server.data_dir)
    assert len(left) == 1, left

    slow_server.kill()
    assert work_dirs(slow_server.data_dir) == left, "kill -9 leaves the work directory behind"
    slow_server.start()

    assert not left & work_dirs(slow_server.data_dir)
    assert "left by a render that is no longer running" in slow_server.log_text()
    assert slow_api.wait(draft_url)[0]["status"] == "completed"
    assert work_dirs(slow_server.data_dir) == set()


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteDraftStore]:
    store = SqliteDraftStore(tmp_path / "drafts.sqlite3")
    yield store
    store.close()


def test_only_directories_no_running_render_owns_are_removed(
    store: SqliteDraftStore, tmp_path: Path
) -> None:
    """One data directory shared by several processes: a render another process runs (its job
    processing, its lease current) keeps its directory; every other one goes."""
    blobs = LocalBlobStore(tmp_path / "data")
    for draft_id in ("dft_live", "dft_expired", "dft_done", "dft_legacy"):
        store.create_draft(new_draft(draft_id), NOW)
        store.create_render_job(draft_id, 1, None, NOW)
    # Another process's worker claims every job; only the live one's lease is then renewed.
    claimed = {}
    for _ in range(4):
        job = store.claim_render_job("elsewhere:1:pool:0", NOW, LEASE_US, 3)
        assert job is not None
        claimed[job.draft_id] = job
    later = NOW + LEASE_US + 1
    live = claimed["dft_live"]
    assert store.update_render_progress(live.id, "elsewhere:1:pool:0", 50, later, LEASE_US)
    done = claimed["dft_done"]
    assert store.complete_render_job(done.id, "elsewhere:1:pool:0", "f" * 64, 1, later)

    def make(name: str) -> Path:
        path = blobs.scratch_dir() / name
        (path / "media").mkdir(parents=True)
        return path

    worker = "elsewhere:1:pool:0"
    kept = {
        make(work_dir_prefix(live.id, worker) + "a1"),
        # A directory from before worker ids were part of the name.
        make(f"render-{live.id[:12]}-b2"),
    }
    removed = {
        make(work_dir_prefix(claimed["dft_expired"].id, worker) + "c3"),
        make(work_dir_prefix(done.id, worker) + "d4"),
        # The live job's earlier attempt, by a worker that no longer holds it.
        make(work_dir_prefix(live.id, "gone:2:pool:0") + "e5"),
        make(f"render-{claimed['dft_legacy'].id[:12]}-f6"),
        make("render-" + "0" * 32 + "-" + "0" * 12 + "-g7"),
    }
    other = blobs.scratch_dir() / "download.part"
    other.write_bytes(b"not a render's")

    pool = RenderWorkers(
        store, store, blobs, WorkerSettings(workers=0, lease_seconds=LEASE_SECONDS), lambda: later
    )
    pool.start()
    pool.stop()

    assert work_dirs(tmp_path / "data") == kept
    assert not any(path.exists() for path in removed)
    assert other.read_bytes() == b"not a render's"
