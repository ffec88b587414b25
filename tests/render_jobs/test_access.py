"""Renders while API keys are on: only the owner sees a draft's render, its video_url is a signed
link, and one key may have only so many renders queued or running."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from support.api import ApiOpener, processing
from support.media_server import MediaServer
from support.server import ServerProcess

KEY_A = "ds_render-key-alice-0123456789abcdef"
KEY_B = "ds_render-key-bob-0123456789abcdef00"


@pytest.fixture
def keyed_server(tmp_path: Path, slow_ffmpeg_env: dict[str, str]) -> Iterator[ServerProcess]:
    env = {
        **slow_ffmpeg_env,
        "DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}",
        "DRAFTSMITH_MAX_RENDERS_PER_KEY": "1",
    }
    with ServerProcess(tmp_path / "data", env=env) as server:
        yield server


def test_renders_belong_to_the_drafts_key_and_are_limited_per_key(
    keyed_server: ServerProcess,
    http: httpx.Client,
    apis: ApiOpener,
    long_media: MediaServer,
    tmp_path: Path,
) -> None:
    alice = apis(keyed_server.base_url, KEY_A)
    bob = apis(keyed_server.base_url, KEY_B)
    first = alice.video_draft(long_media.url("long.mp4"), 2)
    second = alice.video_draft(long_media.url("long.mp4"), 1)
    queued = alice.gen_video(first)
    alice.wait(first, processing)

    over = alice.post("gen_video", {"draft_url": second})
    assert over.status_code == 429, over.text
    assert over.json()["code"] == "render_quota_exceeded"
    assert int(over.headers["Retry-After"]) > 0
    assert alice.gen_video(first)["job_id"] == queued["job_id"], "asking again is no new render"
    for verb in ("gen_video", "gen_video_status"):
        hidden = bob.post(verb, {"draft_url": first})
        assert (hidden.status_code, hidden.json()["detail"]) == (404, "Draft does not exist")

    done, _ = alice.wait(first)
    assert alice.gen_video(second)["status"] in ("pending", "processing")
    signed = done["video_url"]
    plain = signed.split("?", 1)[0]
    assert "sig=" in signed and "expires=" in signed
    alice.download_video(signed, tmp_path / "by-link.mp4")
    alice.download_video(plain, tmp_path / "by-key.mp4", **{"X-API-Key": KEY_A})
    assert http.get(plain).status_code == 401
    assert http.get(plain, headers={"X-API-Key": KEY_B}).status_code == 404
    assert http.get(signed.replace("v1.mp4", "v2.mp4")).status_code == 401
