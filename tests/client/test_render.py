"""`gen_video` / `gen_video_status` and `draftsmith server-render`, once the server renders.

Skipped while the server's OpenAPI document has no gen_video verb; it starts running by
itself when rendering lands.
"""

from __future__ import annotations

import functools
import json
import tempfile
import time
from pathlib import Path

import av
import pytest
from click.testing import CliRunner

from client.conftest import MediaUrls
from draftsmith.cli import main
from draftsmith.client import SECOND, Caption, Client, Video
from draftsmith.config import Settings
from draftsmith.timeline.ids import API_PREFIX
from draftsmith.web.app import create_app
from support.server import ServerProcess


@functools.cache
def server_has_verb(verb: str) -> bool:
    """Whether the server's /openapi.json lists `verb`, read from the app itself."""
    with tempfile.TemporaryDirectory() as data_dir:
        app = create_app(Settings(data_dir=Path(data_dir)))
        try:
            paths = app.openapi()["paths"]
        finally:
            app.state.drafts.store.close()
    return f"{API_PREFIX}/{verb}" in paths


pytestmark = pytest.mark.skipif(
    not (server_has_verb("gen_video") and server_has_verb("gen_video_status")),
    reason="the server has no gen_video / gen_video_status verbs yet (render not landed)",
)


def test_server_render_draws_progress_and_downloads_the_mp4(
    client: Client, shared_server: ServerProcess, media_urls: MediaUrls, tmp_path: Path
) -> None:
    draft = client.create_draft(320, 240).draft_url
    client.add_videos(draft, [Video(media_urls.video, 0, SECOND)])
    client.add_captions(draft, [Caption("render me", 0, SECOND)])
    client.save(draft)
    output = tmp_path / "out.mp4"
    env = {"DRAFTSMITH_SERVER": shared_server.base_url}
    command = ["server-render", draft, "-o", str(output), "--interval", "0.2"]

    shown = CliRunner().invoke(main, command, env=env)
    assert shown.exit_code == 0, (shown.stdout, shown.stderr)
    assert shown.stdout.strip() == str(output)
    assert "rendering" in shown.stderr, "the progress bar goes to stderr"

    result = CliRunner().invoke(main, [*command, "--json"], env=env)
    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert "rendering" not in result.stderr
    status = json.loads(result.stdout)
    assert (status["status"], status["progress"], status["path"]) == ("completed", 100, str(output))
    with av.open(str(output)) as container:
        assert container.streams.video[0].codec_context.width == 320
    assert client.gen_video_status(draft).status == "completed"


def test_gen_video_status_reports_progress_until_done(client: Client) -> None:
    draft = client.create_draft(320, 240).draft_url
    client.add_captions(draft, [Caption("only text", 0, SECOND)])
    client.save(draft)
    submitted = client.gen_video(draft)
    assert submitted.draft_url == draft
    seen: list[int] = []
    for _ in range(600):
        status = client.gen_video_status(draft)
        seen.append(status.progress)
        if status.finished:
            break
        time.sleep(0.2)
    assert status.status == "completed", status.error_message
    assert status.video_url is not None and seen == sorted(seen)
