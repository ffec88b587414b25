"""The render report through the Python clients (sync and async) and `draftsmith
server-render`, against a real server: RenderStatus.report lists each feature of the draft with
its segments; a sticker's picture from image_url is drawn, a sticker without one is not."""

from __future__ import annotations

import time
from pathlib import Path

import pytest
from click.testing import CliRunner

from client.conftest import MediaUrls
from draftsmith.cli import main
from draftsmith.client import (
    SECOND,
    AsyncClient,
    Client,
    Mask,
    RenderReportEntry,
    RenderStatus,
    Sticker,
    Video,
)
from support.event_loop import run_coroutine
from support.server import ServerProcess

STICKER_ID = "7326810673609018675"
BARE_STICKER_ID = "7326810673609018676"


def _finished(client: Client, draft: str) -> RenderStatus:
    for _ in range(600):
        status = client.gen_video_status(draft)
        if status.finished:
            return status
        time.sleep(0.1)
    raise AssertionError(f"the render did not finish: {status}")


@pytest.fixture(scope="module")
def draft(shared_server: ServerProcess, media_urls: MediaUrls) -> dict[str, str]:
    """A saved 1 s draft: a masked video, a sticker with a picture and one without."""
    with Client(shared_server.base_url, trust_env=False) as client:
        draft = client.create_draft(160, 120).draft_url
        [video] = client.add_videos(draft, [Video(media_urls.video, 0, SECOND)]).segment_ids
        client.add_masks(draft, [video], Mask("圆形", 0.5, 0.5, 0.5, 0.5, feather=0.3))
        drawn = client.add_sticker(
            draft, Sticker(STICKER_ID, 0, SECOND, image_url=media_urls.image)
        ).segment_id
        bare = client.add_sticker(draft, Sticker(BARE_STICKER_ID, 0, SECOND // 2)).segment_id
        client.save(draft)
        return {"draft": draft, "video": video, "drawn": drawn, "bare": bare}


def test_render_status_carries_the_report(
    shared_server: ServerProcess, draft: dict[str, str]
) -> None:
    with Client(shared_server.base_url, trust_env=False) as client:
        client.gen_video(draft["draft"])
        status = _finished(client, draft["draft"])

    assert status.status == "completed", status.error_message
    found = {(e.feature, e.name): e for e in status.report}
    assert set(found) == {
        ("video", ""),
        ("mask", "圆形"),
        ("sticker", STICKER_ID),
        ("sticker", BARE_STICKER_ID),
    }
    assert found["video", ""] == RenderReportEntry("video", "", "exact", "", (draft["video"],))
    mask = found["mask", "圆形"]
    assert (mask.drawn, mask.segment_ids) == ("approximated", (draft["video"],))
    assert "feather" in mask.how or "blur" in mask.how
    sticker = found["sticker", STICKER_ID]
    assert (sticker.drawn, sticker.segment_ids) == ("approximated", (draft["drawn"],))
    bare = found["sticker", BARE_STICKER_ID]
    assert (bare.drawn, bare.segment_ids) == ("not_drawn", (draft["bare"],))
    assert status.not_exact == tuple(e for e in status.report if e.drawn != "exact")
    assert found["video", ""] not in status.not_exact


def test_the_async_client_reads_the_same_report(
    shared_server: ServerProcess, draft: dict[str, str]
) -> None:
    with Client(shared_server.base_url, trust_env=False) as client:
        client.gen_video(draft["draft"])
        expected = _finished(client, draft["draft"]).report

    async def status() -> RenderStatus:
        async with AsyncClient(shared_server.base_url, trust_env=False) as client:
            return await client.gen_video_status(draft["draft"])

    assert expected and run_coroutine(status()).report == expected


def test_server_render_lists_what_is_not_drawn_exactly(
    shared_server: ServerProcess, draft: dict[str, str], tmp_path: Path
) -> None:
    output = tmp_path / "out.mp4"
    command = ["server-render", draft["draft"], "-o", str(output), "--interval", "0.1"]
    shown = CliRunner().invoke(main, command, env={"DRAFTSMITH_SERVER": shared_server.base_url})

    assert shown.exit_code == 0, (shown.stdout, shown.stderr)
    assert shown.stdout.strip() == str(output)
    lines = shown.stderr.splitlines()
    assert (
        f"not drawn: sticker {BARE_STICKER_ID}: the server has no picture of this library "
        "sticker (1 segment)" in lines
    )
    assert any(line.startswith(f"approximated: sticker {STICKER_ID}: ") for line in lines)
    assert not any(line.startswith("exact") for line in lines)


def test_add_sticker_takes_a_picture_and_shows_why_one_is_left_out(
    shared_server: ServerProcess, media_urls: MediaUrls
) -> None:
    env = {"DRAFTSMITH_SERVER": shared_server.base_url}
    with Client(shared_server.base_url, trust_env=False) as client:
        draft = client.create_draft(160, 120).draft_url
    base = ["add-sticker", draft, STICKER_ID, "--start", "0", "--end", "1s"]
    missing = media_urls.image.rsplit("/", 1)[0] + "/status/404"

    kept = CliRunner().invoke(main, [*base, "--image-url", media_urls.image], env=env)
    left_out = CliRunner().invoke(main, [*base, "--image-url", missing], env=env)

    assert kept.exit_code == 0 and "warning" not in kept.stderr, (kept.stdout, kept.stderr)
    assert left_out.exit_code == 0, (left_out.stdout, left_out.stderr)
    assert "added sticker" in left_out.stdout
    assert "warning: image_url:" in left_out.stderr and "404" in left_out.stderr
