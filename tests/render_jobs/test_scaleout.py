"""Scale-out rendering: an API-only server (DRAFTSMITH_RENDER_WORKERS=0) queues jobs in a shared
PostgreSQL database, and a separate `draftsmith worker` process renders them, reading media
from and writing videos to one S3 bucket."""

from __future__ import annotations

import signal
import subprocess
import sys
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest

from support.api import SECOND, ApiOpener
from support.media_server import MediaServer
from support.postgres import throwaway_database
from support.s3 import MotoServer
from support.server import ServerProcess, server_env

from .conftest import SERVER_ENV
from .mp4 import probe


@pytest.fixture
def shared_env(tmp_path: Path) -> Iterator[dict[str, str]]:
    """Settings of a deployment whose state is all in PostgreSQL and S3."""
    with (
        throwaway_database("draftsmith_render") as database_url,
        MotoServer(tmp_path / "moto.log") as s3,
    ):
        yield {
            **SERVER_ENV,
            **s3.server_env(s3.new_bucket(), "renders/"),
            "DRAFTSMITH_DATABASE_URL": database_url,
        }


def start_worker(data_dir: Path, env: Mapping[str, str]) -> subprocess.Popen[bytes]:
    data_dir.mkdir(parents=True)
    command = [sys.executable, "-m", "draftsmith", "worker", "--data-dir", str(data_dir)]
    with (data_dir / "worker.log").open("wb") as log:
        return subprocess.Popen(command, stdout=log, stderr=subprocess.STDOUT, env=server_env(env))


def test_an_api_only_server_queues_and_a_worker_process_renders(
    tmp_path: Path,
    shared_env: dict[str, str],
    media_server: MediaServer,
    apis: ApiOpener,
) -> None:
    api_only = {**shared_env, "DRAFTSMITH_RENDER_WORKERS": "0"}
    with ServerProcess(tmp_path / "api", env=api_only) as server:
        api = apis(server.base_url)
        drafts = [api.video_draft(media_server.url(name), 1) for name in ("bars.mp4", "red.mp4")]
        for draft_url in drafts:
            api.gen_video(draft_url)
        time.sleep(1.0)
        assert [api.status(d)["status"] for d in drafts] == ["pending", "pending"]

        worker = start_worker(tmp_path / "worker", {**shared_env, "DRAFTSMITH_RENDER_WORKERS": "2"})
        try:
            done = [api.wait(draft_url)[0] for draft_url in drafts]
        finally:
            worker.send_signal(signal.SIGTERM)
            assert worker.wait(30) == 0, (tmp_path / "worker" / "worker.log").read_text()

        assert [status["status"] for status in done] == ["completed", "completed"]
        video = probe(api.download_video(done[0]["video_url"], tmp_path / "out.mp4"))
        assert (video.width, video.height) == (320, 240)
        assert abs(video.duration_us - SECOND) <= SECOND // 10
    assert not list((tmp_path / "worker").glob("tmp/render-*")), "work files are removed"
