"""The server's render workers: jobs survive a crash and a clean stop, renders run off the request
path, and the number of renders at once is the configured number of workers."""

from __future__ import annotations

import time
from pathlib import Path

from support.api import SECOND, Api, ApiOpener, Status, processing
from support.media_server import MediaServer
from support.server import ServerProcess

from .conftest import LONG_SECONDS
from .mp4 import probe


def under_way(status: Status) -> bool:
    return processing(status) and status["progress"] >= 10


def children_of(pid: int) -> set[int]:
    """Process ids whose parent is `pid`, read from /proc."""
    found = set()
    for stat in Path("/proc").glob("[0-9]*/stat"):
        try:
            fields = stat.read_text().rsplit(")", 1)[1].split()
        except OSError:
            continue
        if int(fields[1]) == pid:
            found.add(int(stat.parent.name))
    return found


def alive(pids: set[int]) -> set[int]:
    return {pid for pid in pids if Path(f"/proc/{pid}").exists()}


def test_a_render_cut_short_by_a_crash_is_done_after_restart(
    slow_server: ServerProcess, slow_api: Api, long_media: MediaServer, tmp_path: Path
) -> None:
    draft_url = slow_api.video_draft(long_media.url("long.mp4"), LONG_SECONDS)
    slow_api.gen_video(draft_url)
    slow_api.wait(draft_url, under_way)
    encoders = children_of(slow_server.pid)
    assert encoders, "the render should run in an ffmpeg child of the server"

    slow_server.kill()
    deadline = time.monotonic() + 10
    while alive(encoders) and time.monotonic() < deadline:
        time.sleep(0.05)
    assert not alive(encoders), "ffmpeg must not outlive a killed server"
    slow_server.start()

    done, _ = slow_api.wait(draft_url)
    assert (done["status"], done["progress"]) == ("completed", 100), done
    assert "is gone; taking it back" in slow_server.log_text()
    video = probe(slow_api.download_video(done["video_url"], tmp_path / "out.mp4"))
    assert abs(video.duration_us - int(LONG_SECONDS * SECOND)) <= SECOND // 10


def test_a_render_stopped_by_a_clean_shutdown_is_queued_again(
    slow_server: ServerProcess, slow_api: Api, long_media: MediaServer
) -> None:
    draft_url = slow_api.video_draft(long_media.url("long.mp4"), 2)
    queued = slow_api.gen_video(draft_url)
    slow_api.wait(draft_url, under_way)

    assert slow_server.stop() == 0
    assert f"render job {queued['job_id']}: stopped; back in the queue" in slow_server.log_text()
    slow_server.start()

    assert slow_api.wait(draft_url)[0]["status"] == "completed"


def test_the_api_answers_while_a_render_runs(slow_api: Api, long_media: MediaServer) -> None:
    draft_url = slow_api.video_draft(long_media.url("long.mp4"), LONG_SECONDS)
    slow_api.gen_video(draft_url)
    slow_api.wait(draft_url, processing)

    info = slow_api.info(draft_url)
    other = slow_api.create_draft(320, 240)
    slow_api.add_caption(other, "edited meanwhile")
    saved = slow_api.save(other)

    assert (info["last_saved_version"], saved["version"]) == (1, 1)
    assert processing(slow_api.status(draft_url)), "answered while the render was still running"


def test_one_worker_renders_one_job_at_a_time(slow_api: Api, long_media: MediaServer) -> None:
    first = slow_api.video_draft(long_media.url("long.mp4"), LONG_SECONDS)
    second = slow_api.video_draft(long_media.url("long.mp4"), LONG_SECONDS)
    slow_api.gen_video(first)
    slow_api.gen_video(second)

    slow_api.wait(first, processing)
    deadline = time.monotonic() + 1.5
    while time.monotonic() < deadline:
        states = (slow_api.status(first)["status"], slow_api.status(second)["status"])
        assert states == ("processing", "pending")
        time.sleep(0.1)


def test_two_workers_render_two_jobs_at_once(
    tmp_path: Path,
    slow_ffmpeg_env: dict[str, str],
    long_media: MediaServer,
    apis: ApiOpener,
) -> None:
    env = {**slow_ffmpeg_env, "DRAFTSMITH_RENDER_WORKERS": "2"}
    with ServerProcess(tmp_path / "data", env=env) as server:
        api = apis(server.base_url)
        drafts = [api.video_draft(long_media.url("long.mp4"), LONG_SECONDS) for _ in range(2)]
        for draft_url in drafts:
            api.gen_video(draft_url)

        for draft_url in drafts:
            api.wait(draft_url, processing)
        assert [api.status(d)["status"] for d in drafts] == ["processing", "processing"]
