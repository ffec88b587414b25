"""MCP over streamable HTTP at /mcp of a real server with API keys on, through the SDK's client:
the tools are listed with typed, described parameters; the shared scenario builds, saves and
loads in pyJianYingDraft; versions restore; a render runs to completion; errors say what to fix;
and keys work exactly as on the HTTP API."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import httpx
import pytest

from agents.conftest import KEY_A, KEY_B
from agents.mcp_client import call, call_error, http_session
from agents.scenario import (
    Built,
    MediaUrls,
    build_scenario,
    check_folder,
    download_folder,
    render_to_completion,
    restore_first_version,
)
from support.event_loop import run_coroutine

TOOLS = {
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
    "add_text_style",
    "save_draft",
    "get_draft_info",
    "list_drafts",
    "list_versions",
    "restore_version",
    "validate_draft",
    "gen_video",
    "gen_video_status",
    "cancel_render",
}


@pytest.fixture(scope="module")
def built(mcp_url: str, media: MediaUrls) -> Built:
    async def scenario() -> Built:
        async with http_session(mcp_url, KEY_A) as session:
            return await build_scenario(session, media)

    return run_coroutine(scenario())


def test_every_tool_is_listed_with_typed_described_parameters(mcp_url: str) -> None:
    async def listing() -> tuple[list[Any], list[Any]]:
        async with http_session(mcp_url, KEY_A) as session:
            tools = (await session.list_tools()).tools
            templates = (await session.list_resource_templates()).resource_templates
            return tools, templates

    tools, templates = run_coroutine(listing())
    by_name = {tool.name: tool for tool in tools}
    assert set(by_name) >= TOOLS
    for tool in tools:
        assert tool.description, tool.name
        for name, schema in tool.input_schema["properties"].items():
            assert schema.get("description"), (tool.name, name)
            assert "type" in schema or "anyOf" in schema or "$ref" in schema, (tool.name, name)
    video = by_name["add_videos"]
    assert "start_seconds" in (video.description or "")
    item = video.input_schema["$defs"]["VideoItem"]["properties"]
    assert item["start_seconds"]["anyOf"][0]["type"] == "number"
    assert by_name["get_draft_info"].annotations.read_only_hint is True
    assert {t.uri_template for t in templates} == {
        "draftsmith://drafts/{draft_id}/timeline",
        "draftsmith://drafts/{draft_id}/versions",
    }


def test_saved_folder_loads_in_pyjianyingdraft(built: Built, tmp_path: Path) -> None:
    # While keys are on the link is signed: it works without a key, as get_draft's links do.
    assert "sig=" in built.download_url
    check_folder(download_folder(built.download_url, tmp_path))


def test_restore_version_publishes_a_new_version(mcp_url: str, media: MediaUrls) -> None:
    async def scenario() -> None:
        async with http_session(mcp_url, KEY_A) as session:
            built = await build_scenario(session, media)
            await restore_first_version(session, built.draft_id)

    run_coroutine(scenario())


def test_resources_show_the_timeline_and_versions(built: Built, mcp_url: str) -> None:
    async def read() -> tuple[str, str]:
        async with http_session(mcp_url, KEY_A) as session:
            base = f"draftsmith://drafts/{built.draft_id}"
            timeline = (await session.read_resource(f"{base}/timeline")).contents[0]
            versions = (await session.read_resource(f"{base}/versions")).contents[0]
            return getattr(timeline, "text", ""), getattr(versions, "text", "")

    timeline, versions = run_coroutine(read())
    assert '"text":"你好，MCP 🎬"' in timeline
    assert '"type":"audio"' in timeline
    assert '"version":1' in versions and '"unsaved_changes":false' in versions


def test_render_runs_to_completion(built: Built, mcp_url: str) -> None:
    async def render() -> dict[str, object]:
        async with http_session(mcp_url, KEY_A) as session:
            return await render_to_completion(session, built.draft_id)

    status = run_coroutine(render())
    assert status["status"] == "completed", status
    assert status["progress"] == 100
    video_url = str(status["video_url"])
    with httpx.Client(timeout=30, trust_env=False) as http:
        response = http.get(video_url)
    assert response.status_code == 200, response.text
    assert response.content[4:8] == b"ftyp"


def test_errors_say_what_to_fix(built: Built, mcp_url: str) -> None:
    async def errors() -> list[str]:
        async with http_session(mcp_url, KEY_A) as session:
            return [
                await call_error(session, "get_draft_info", draft_id="2026" + "0" * 26),
                await call_error(session, "get_draft_info", draft_id="../etc/passwd"),
                await call_error(
                    session,
                    "add_captions",
                    draft_id=built.draft_id,
                    captions=[{"text": "x", "start_seconds": 1}],
                ),
                await call_error(
                    session,
                    "add_captions",
                    draft_id=built.draft_id,
                    captions=[{"text": "x", "start": 0, "end": 1}],
                    font_size=501,
                ),
                await call_error(session, "restore_version", draft_id=built.draft_id, version="x"),
            ]

    missing, malformed, no_times, too_big, not_int = run_coroutine(errors())
    assert missing.startswith("Draft does not exist (draft_not_found). ")
    assert "list_drafts" in missing
    assert malformed.startswith("Invalid draft_url format (invalid_draft_url). ")
    assert no_times.startswith("captions[0]: give start_seconds and end_seconds, or start and end")
    # The HTTP API's own words for the same mistake (a 400 there).
    assert too_big.startswith("font_size: Input should be less than or equal to 500")
    assert not_int.startswith("version: Value error, must be an integer, or a string holding one")


def test_requests_without_a_live_key_are_refused(mcp_url: str) -> None:
    initialize = {
        "jsonrpc": "2.0",
        "id": 1,
        "method": "initialize",
        "params": {
            "protocolVersion": "2025-11-25",
            "capabilities": {},
            "clientInfo": {"name": "test", "version": "0"},
        },
    }
    headers = {"Accept": "application/json, text/event-stream"}
    with httpx.Client(timeout=30, trust_env=False) as http:
        anonymous = http.post(mcp_url, json=initialize, headers=headers)
        wrong = http.post(mcp_url, json=initialize, headers={**headers, "X-API-Key": "nope"})
        right = http.post(mcp_url, json=initialize, headers={**headers, "X-API-Key": KEY_B})
        # The path without its slash is the same endpoint.
        bare = http.post(mcp_url.rstrip("/"), json=initialize, headers=headers)
    assert anonymous.status_code == 401
    assert anonymous.json()["code"] == "unauthorized"
    assert anonymous.json()["detail"].startswith("API key required")
    assert (wrong.status_code, wrong.json()["detail"]) == (401, "Invalid or revoked API key")
    assert right.status_code == 200, right.text
    assert bare.status_code == 401


def test_another_keys_drafts_are_not_there(built: Built, mcp_url: str) -> None:
    async def as_key_b() -> tuple[str, dict[str, Any]]:
        async with http_session(mcp_url, KEY_B) as session:
            error = await call_error(session, "get_draft_info", draft_id=built.draft_id)
            return error, await call(session, "list_drafts")

    error, listed = run_coroutine(as_key_b())
    assert error.startswith("Draft does not exist")
    assert built.draft_id not in {d["draft_id"] for d in listed["drafts"]}


def test_gen_video_saves_unsaved_changes_first(mcp_url: str) -> None:
    async def render() -> tuple[dict[str, Any], dict[str, Any]]:
        async with http_session(mcp_url, KEY_A) as session:
            created = await call(session, "create_draft", width=320, height=240)
            draft_id = created["draft_id"]
            captions = [{"text": "not saved", "start_seconds": 0, "end_seconds": 1}]
            await call(session, "add_captions", draft_id=draft_id, captions=captions)
            first = await call(session, "gen_video", draft_id=draft_id)
            again = await call(session, "gen_video", draft_id=draft_id)
            return first, again

    first, again = run_coroutine(render())
    assert first["version"] == 1
    [warning] = first["warnings"]
    assert (warning["field"], warning["code"]) == ("draft_url", "saved_before_render")
    assert "saved it as version 1" in warning["message"]
    assert (again["job_id"], again["warnings"]) == (first["job_id"], [])
