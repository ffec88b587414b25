"""The MCP tools report what they adjusted instead of refusing (`warnings` in the result and
on the timeline resource's segments), and refuse it in strict mode: the X-Draftsmith-Strict
header over HTTP, `draftsmith mcp --strict` over stdio."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from agents.conftest import ALLOW_LOOPBACK_MEDIA, KEY_A
from agents.mcp_client import call, call_error, http_session, stdio_session
from agents.scenario import MediaUrls
from support.event_loop import run_coroutine

CAPTIONS = [{"text": "hi", "start_seconds": 0, "end_seconds": 1}]


def _codes(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(w["field"], w["code"]) for w in result["warnings"]]


def test_tools_return_warnings_and_refuse_when_strict(mcp_url: str, media: MediaUrls) -> None:
    async def scenario() -> tuple[dict[str, Any], dict[str, Any], dict[str, Any], str]:
        async with http_session(mcp_url, KEY_A) as session:
            draft = (await call(session, "create_draft"))["draft_id"]
            audio = [{"audio_url": media.audio, "start_seconds": 0, "end_seconds": 5}]
            audios = await call(session, "add_audios", draft_id=draft, audio_infos=audio)
            captions = await call(
                session, "add_captions", draft_id=draft, captions=CAPTIONS, font="nope-font"
            )
            resource = await session.read_resource(f"draftsmith://drafts/{draft}/timeline")
            timeline = json.loads(getattr(resource.contents[0], "text", ""))
        async with http_session(mcp_url, KEY_A, strict=True) as session:
            refused = await call_error(
                session, "add_captions", draft_id=draft, captions=CAPTIONS, font="nope-font"
            )
        return audios, captions, timeline, refused

    audios, captions, timeline, refused = run_coroutine(scenario())
    assert _codes(audios) == [("audio_infos[0].end", "clamped_to_media")]
    assert audios["segments"][0]["end_seconds"] == 3
    assert "see warnings" in audios["next"]
    assert _codes(captions) == [("font", "unknown_name_skipped")]
    kept = [s.get("warnings", []) for t in timeline["tracks"] for s in t["segments"]]
    assert [[w["code"] for w in w_list] for w_list in kept] == [
        ["clamped_to_media"],
        ["unknown_name_skipped"],
    ]
    assert 'font: unknown font "nope-font"' in refused


def test_stdio_server_strict_option(tmp_path: Path, media: MediaUrls) -> None:
    async def refused() -> str:
        args = ("--strict",)
        async with stdio_session(tmp_path / "data", args, ALLOW_LOOPBACK_MEDIA) as session:
            draft = (await call(session, "create_draft"))["draft_id"]
            audio = [{"audio_url": media.audio, "start_seconds": 0, "end_seconds": 5}]
            return await call_error(session, "add_audios", draft_id=draft, audio_infos=audio)

    detail = run_coroutine(refused())
    assert "the segment lasts 5000000 us but the audio lasts 3000000 us" in detail


def test_tools_skip_unknown_effects_and_apply_audio_effects(mcp_url: str, media: MediaUrls) -> None:
    effects = [{"effect_title": "录制边框 Z9", "start": 0, "end": 1_000_000}]
    audio = [
        {"audio_url": media.audio, "start_seconds": 0, "end_seconds": 1, "audio_effect": "大叔"},
        {"audio_url": media.audio, "start_seconds": 1, "end_seconds": 2, "audio_effect": "nope"},
    ]

    async def scenario() -> tuple[dict[str, Any], dict[str, Any], str]:
        async with http_session(mcp_url, KEY_A) as session:
            draft = (await call(session, "create_draft"))["draft_id"]
            skipped = await call(session, "add_effects", draft_id=draft, effect_infos=effects)
            voiced = await call(session, "add_audios", draft_id=draft, audio_infos=audio)
        async with http_session(mcp_url, KEY_A, strict=True) as session:
            unknown = await call_error(session, "add_effects", draft_id=draft, effect_infos=effects)
        return skipped, voiced, unknown

    skipped, voiced, unknown = run_coroutine(scenario())
    assert _codes(skipped) == [("effect_infos[0].effect_title", "unknown_name_skipped")]
    assert (skipped["track_id"], skipped["segment_ids"]) == ("", [])
    assert _codes(voiced) == [("audio_infos[1].audio_effect", "unknown_name_skipped")]
    assert len(voiced["segment_ids"]) == 2
    assert 'unknown effect "录制边框 Z9"' in unknown
