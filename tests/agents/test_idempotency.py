"""Idempotency keys through the real MCP server (streamable HTTP, API keys on): every tool
that changes state takes `idempotency_key`; a retried call with the same key and arguments
is answered with the first call's result (`replayed: true`) and applies nothing; other
arguments with the same key are refused; another API key's keys are its own."""

from __future__ import annotations

import io
import zipfile
from pathlib import Path
from typing import Any

from mcp import ClientSession

from agents.conftest import KEY_A, KEY_B
from agents.mcp_client import call, call_error, http_session
from agents.scenario import MediaUrls
from support.api import ApiOpener
from support.downloads import draft_id_of
from support.event_loop import run_coroutine
from support.media_server import MediaServer
from support.server import ServerProcess

CHANGING = {
    "create_draft",
    "add_videos",
    "add_images",
    "add_audios",
    "add_captions",
    "add_effects",
    "add_filters",
    "add_masks",
    "add_keyframes",
    "add_sticker",
    "save_draft",
    "restore_version",
    "gen_video",
    "cancel_render",
    "compose_video",
    "fill_template",
    "import_draft",
    "relink_media",
}


async def _twice(session: ClientSession, tool: str, key: str, **arguments: Any) -> dict[str, Any]:
    """Call `tool` twice with `key`: the first result, once the second is checked to be it."""
    first = await call(session, tool, idempotency_key=key, **arguments)
    again = await call(session, tool, idempotency_key=key, **arguments)
    assert "replayed" not in first, tool
    assert again == {**first, "replayed": True}, tool
    return first


async def _tracks(session: ClientSession, draft: str) -> int:
    return len((await call(session, "get_draft_info", draft_id=draft))["tracks"])


def test_every_changing_tool_takes_a_key_and_no_reading_one_does(mcp_url: str) -> None:
    async def scenario() -> dict[str, bool]:
        async with http_session(mcp_url, KEY_A) as session:
            tools = (await session.list_tools()).tools
            return {t.name: "idempotency_key" in t.input_schema["properties"] for t in tools}

    keyed = run_coroutine(scenario())
    assert set(keyed) >= CHANGING
    assert {name for name, has in keyed.items() if has} >= CHANGING
    assert not any(keyed[name] for name in ("get_draft_info", "list_drafts", "gen_video_status"))


def test_retried_tool_calls_are_applied_once(mcp_url: str, media: MediaUrls) -> None:
    async def scenario() -> None:
        async with http_session(mcp_url, KEY_A) as session:
            drafts_before = len((await call(session, "list_drafts"))["drafts"])
            created = await _twice(session, "create_draft", "mcp-create", width=640, height=360)
            assert len((await call(session, "list_drafts"))["drafts"]) == drafts_before + 1
            draft = created["draft_id"]

            video = {"video_url": media.video, "start_seconds": 0, "end_seconds": 1}
            videos = await _twice(
                session, "add_videos", "mcp-videos", draft_id=draft, video_infos=[video]
            )
            image = {"image_url": media.image, "start_seconds": 1, "end_seconds": 2}
            await _twice(session, "add_images", "mcp-images", draft_id=draft, image_infos=[image])
            audio = {"audio_url": media.audio, "start_seconds": 0, "end_seconds": 1}
            await _twice(session, "add_audios", "mcp-audios", draft_id=draft, audio_infos=[audio])
            caption = {"text": "once", "start_seconds": 0, "end_seconds": 1}
            await _twice(
                session, "add_captions", "mcp-captions", draft_id=draft, captions=[caption]
            )
            effect = {"effect_title": "简约边框", "start_seconds": 0, "end_seconds": 1}
            await _twice(
                session, "add_effects", "mcp-effects", draft_id=draft, effect_infos=[effect]
            )
            tint = {"filter_title": "1980", "start_seconds": 0, "end_seconds": 1}
            await _twice(session, "add_filters", "mcp-filters", draft_id=draft, filter_infos=[tint])
            await _twice(
                session,
                "add_sticker",
                "mcp-sticker",
                draft_id=draft,
                sticker_id="7326810673609018675",
                start_seconds=0,
                end_seconds=1,
            )
            assert await _tracks(session, draft) == 7
            segment = videos["segment_ids"][0]
            masked = {"segment_ids": [segment], "name": "circle", "X": 0.5, "Y": 0.5}
            await _twice(
                session, "add_masks", "mcp-mask", draft_id=draft, width=0.5, height=0.5, **masked
            )
            frame = {"segment_id": segment, "property": "opacity", "value": 0.5, "time": 0}
            await _twice(session, "add_keyframes", "mcp-kf", draft_id=draft, keyframes=[frame])

            saved = await _twice(session, "save_draft", "mcp-save", draft_id=draft)
            assert saved["version"] == 1
            await call(session, "add_captions", draft_id=draft, captions=[caption])
            assert (await call(session, "save_draft", draft_id=draft))["version"] == 2
            restored = await _twice(
                session, "restore_version", "mcp-restore", draft_id=draft, version=1
            )
            assert restored["version"] == 3
            versions = (await call(session, "list_versions", draft_id=draft))["versions"]
            assert [v["version"] for v in versions] == [1, 2, 3]
            job = await _twice(session, "gen_video", "mcp-render", draft_id=draft)
            await _twice(
                session, "cancel_render", "mcp-cancel", draft_id=draft, job_id=job["job_id"]
            )

            filled = await _twice(
                session,
                "fill_template",
                "mcp-fill",
                template=draft,
                texts=[{"placeholder": "once", "text": "twice"}],
            )
            assert filled["draft_id"] != draft
            drafts_now = len((await call(session, "list_drafts"))["drafts"])
            assert drafts_now == drafts_before + 2

            refused = await call_error(
                session,
                "add_captions",
                idempotency_key="mcp-captions",
                draft_id=draft,
                captions=[{**caption, "text": "another"}],
            )
            assert "idempotency_key_reused" in refused
            assert await _tracks(session, draft) == 7

    run_coroutine(scenario())


def test_a_retried_compose_video_makes_one_draft(mcp_url: str, media: MediaUrls) -> None:
    spec = {
        "width": 640,
        "height": 360,
        "save": True,
        "tracks": [
            {
                "type": "video",
                "items": [
                    {
                        "video_url": media.video,
                        "start": 0,
                        "end": 1_000_000,
                        "keyframes": [{"property": "opacity", "time": 0, "value": 0.2}],
                    }
                ],
            }
        ],
    }

    async def scenario() -> None:
        async with http_session(mcp_url, KEY_A) as session:
            before = len((await call(session, "list_drafts"))["drafts"])
            made = await _twice(session, "compose_video", "mcp-compose", spec=spec)
            assert made["version"] == 1
            assert len((await call(session, "list_drafts"))["drafts"]) == before + 1
            assert await _tracks(session, made["draft_id"]) == 1

    run_coroutine(scenario())


def test_keys_are_each_api_keys_own(mcp_url: str) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any]]:
        async with http_session(mcp_url, KEY_A) as alice, http_session(mcp_url, KEY_B) as bob:
            mine = await call(alice, "create_draft", idempotency_key="mcp-shared", name="a")
            theirs = await call(bob, "create_draft", idempotency_key="mcp-shared", name="b")
            return mine, theirs

    mine, theirs = run_coroutine(scenario())
    assert "replayed" not in theirs
    assert mine["draft_id"] != theirs["draft_id"]


def test_a_retried_import_and_relink_are_applied_once(
    mcp_url: str, keyed_server: ServerProcess, apis: ApiOpener, media: MediaUrls, tmp_path: Path
) -> None:
    api = apis(keyed_server.base_url, KEY_A)
    draft_url = api.create_draft(640, 360)
    api.ok(
        "add_videos",
        {
            "draft_url": draft_url,
            "video_infos": [{"video_url": media.video, "start": 0, "end": 1_000_000}],
        },
    )
    api.save(draft_url)
    zipped = api.get(api.url("download_draft"), draft_id=draft_id_of(draft_url))
    assert zipped.status_code == 200, zipped.text
    bare = io.BytesIO()
    with zipfile.ZipFile(io.BytesIO(zipped.content)) as source, zipfile.ZipFile(bare, "w") as kept:
        for info in source.infolist():
            if "/assets/" not in info.filename:
                kept.writestr(info, source.read(info))
    (tmp_path / "bare.zip").write_bytes(bare.getvalue())

    async def scenario(zip_url: str) -> None:
        async with http_session(mcp_url, KEY_A) as session:
            before = len((await call(session, "list_drafts"))["drafts"])
            imported = await _twice(session, "import_draft", "mcp-import", zip_url=zip_url)
            assert len((await call(session, "list_drafts"))["drafts"]) == before + 1
            [missing] = imported["missing_media"]
            relinked = await _twice(
                session,
                "relink_media",
                "mcp-relink",
                draft_id=imported["draft_id"],
                material=missing.rsplit("/", 1)[-1],
                url=media.video,
            )
            info = await call(session, "get_draft_info", draft_id=imported["draft_id"])
            assert info["current_version"] == relinked["current_version"]

    with MediaServer(tmp_path) as zips:
        run_coroutine(scenario(zips.url("bare.zip")))
