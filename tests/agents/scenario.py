"""The shared scenario, built through MCP tools: a video, an image, an audio and two captions,
saved, then checked the way every draft is checked: pyJianYingDraft must load the folder."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass
from pathlib import Path

import httpx
from mcp import ClientSession

from agents.mcp_client import call
from draft_oracle import load_summary, unresolved_refs
from support.api import SECOND
from support.downloads import unzip_draft

CAPTIONS = ["你好，MCP 🎬", "second line ✨"]
RENDER_TIMEOUT_SECONDS = 45.0


@dataclass(frozen=True)
class MediaUrls:
    video: str
    image: str
    audio: str


@dataclass(frozen=True)
class Built:
    draft_id: str
    version: int
    download_url: str


async def build_scenario(session: ClientSession, media: MediaUrls) -> Built:
    """create_draft, the four add_* tools (times in seconds and in microseconds), save_draft."""
    created = await call(session, "create_draft", width=640, height=360, name="mcp scenario")
    draft_id = created["draft_id"]
    video = await call(
        session,
        "add_videos",
        draft_id=draft_id,
        video_infos=[{"video_url": media.video, "start_seconds": 0, "end_seconds": 3}],
    )
    assert video["segments"] == [
        {"id": video["segment_ids"][0], "start_seconds": 0.0, "end_seconds": 3.0}
    ]
    assert video["unsaved_changes"] is True
    assert "save_draft" in video["next"]
    # Microseconds, as the HTTP API takes them, work too.
    await call(
        session,
        "add_images",
        draft_id=draft_id,
        image_infos=[{"image_url": media.image, "start": 3 * SECOND, "end": 5 * SECOND}],
    )
    await call(
        session,
        "add_audios",
        draft_id=draft_id,
        audio_infos=[{"audio_url": media.audio, "start_seconds": 0, "end_seconds": 3}],
    )
    captions = await call(
        session,
        "add_captions",
        draft_id=draft_id,
        captions=[
            {"text": CAPTIONS[0], "start_seconds": 0, "end_seconds": 2.5},
            {"text": CAPTIONS[1], "start_seconds": 2.5, "end_seconds": 5},
        ],
        font_size=12,
        text_color="#ffcc00",
    )
    assert captions["current_version"] == 4
    assert captions["save_status"] == "call save_draft to publish version 1"
    saved = await call(session, "save_draft", draft_id=draft_id, label="first cut")
    assert (saved["version"], saved["created"], saved["unsaved_changes"]) == (1, True, False)
    assert "gen_video" in saved["next"]
    return Built(draft_id, saved["version"], saved["download_url"])


def download_folder(download_url: str, root: Path) -> Path:
    """The saved folder, from the zip the tool's download_url serves."""
    with httpx.Client(timeout=30, trust_env=False) as http:
        response = http.get(download_url)
    assert response.status_code == 200, (download_url, response.status_code, response.text)
    names = unzip_draft(response.content, root)
    return root / names[0].split("/", 1)[0]


def check_folder(folder: Path) -> None:
    """pyJianYingDraft loads the folder and sees exactly the scenario."""
    summary = load_summary(folder)
    assert (summary.width, summary.height) == (640, 360)
    assert summary.duration == 5 * SECOND
    assert summary.tracks == [
        ("video", [(0, 3 * SECOND, 0, 3 * SECOND)]),
        ("video", [(3 * SECOND, 2 * SECOND, 0, 2 * SECOND)]),
        ("audio", [(0, 3 * SECOND, 0, 3 * SECOND)]),
        ("text", [(0, 2_500_000, None, None), (2_500_000, 2_500_000, None, None)]),
    ]
    assert summary.captions == CAPTIONS
    assert unresolved_refs(folder) == {}


async def restore_first_version(session: ClientSession, draft_id: str) -> None:
    """Change the draft, save version 2, then restore version 1 as version 3."""
    await call(
        session,
        "add_captions",
        draft_id=draft_id,
        captions=[{"text": "an afterthought", "start_seconds": 5, "end_seconds": 6}],
    )
    assert (await call(session, "save_draft", draft_id=draft_id))["version"] == 2
    restored = await call(session, "restore_version", draft_id=draft_id, version=1)
    assert (restored["version"], restored["restored_from"]) == (3, 1)
    versions = await call(session, "list_versions", draft_id=draft_id)
    assert [v["version"] for v in versions["versions"]] == [1, 2, 3]
    assert [v["segment_count"] for v in versions["versions"]] == [5, 6, 5]
    info = await call(session, "get_draft_info", draft_id=draft_id)
    assert (info["last_saved_version"], info["unsaved_changes"]) == (3, False)
    assert info["duration_seconds"] == 5.0


async def render_to_completion(session: ClientSession, draft_id: str) -> dict[str, object]:
    """gen_video, then gen_video_status until the job is done; the final status."""
    started = await call(session, "gen_video", draft_id=draft_id)
    assert "gen_video_status" in started["next"]
    deadline = asyncio.get_running_loop().time() + RENDER_TIMEOUT_SECONDS
    while True:
        status = await call(session, "gen_video_status", draft_id=draft_id)
        assert status["status"] in ("pending", "processing", "completed", "failed"), status
        if status["status"] in ("completed", "failed"):
            return status
        assert asyncio.get_running_loop().time() < deadline, status
        await asyncio.sleep(0.5)
