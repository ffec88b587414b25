"""`gen_video` / `gen_video_status`, `draftsmith server-render` and `draftsmith render --server`."""

from __future__ import annotations

import json
import time
from pathlib import Path

import av
from click.testing import CliRunner

from client.conftest import MediaUrls
from draftsmith.cli import main
from draftsmith.client import SECOND, Caption, Client, Video
from support.server import ServerProcess


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


def test_render_with_a_server_renders_there(
    client: Client, shared_server: ServerProcess, tmp_path: Path
) -> None:
    draft = client.create_draft(320, 240).draft_url
    client.add_captions(draft, [Caption("rendered remotely", 0, SECOND)])
    client.save(draft)
    output = tmp_path / "remote.mp4"
    command = ["render", draft, "-o", str(output), "--server", shared_server.base_url]

    result = CliRunner().invoke(main, command)

    assert result.exit_code == 0, (result.stdout, result.stderr)
    assert client.gen_video_status(draft).status == "completed"
    with av.open(str(output)) as container:
        assert container.streams.video[0].codec_context.height == 240


def test_gen_video_saves_unsaved_changes_and_says_so(
    client: Client, shared_server: ServerProcess, tmp_path: Path
) -> None:
    draft = client.create_draft(320, 240).draft_url
    client.add_captions(draft, [Caption("not saved yet", 0, SECOND)])

    submitted = client.gen_video(draft)
    again = client.gen_video(draft)

    assert (submitted.version, submitted.job_id is not None) == (1, True)
    [warning] = submitted.warnings
    assert (warning.field, warning.code) == ("draft_url", "saved_before_render")
    assert "version 1" in warning.message
    assert (again.version, again.job_id, again.warnings) == (1, submitted.job_id, ())
    assert client.get_draft_info(draft).unsaved_changes is False
    # server-render shows the warning on stderr, with the result on stdout.
    client.add_captions(draft, [Caption("changed again", SECOND, 2 * SECOND)])
    output = tmp_path / "out.mp4"
    env = {"DRAFTSMITH_SERVER": shared_server.base_url}
    command = ["server-render", draft, "-o", str(output), "--interval", "0.2"]
    shown = CliRunner().invoke(main, command, env=env)
    assert shown.exit_code == 0, (shown.stdout, shown.stderr)
    assert "saved it as version 2" in shown.stderr
    assert shown.stdout.strip() == str(output)
