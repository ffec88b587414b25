"""Numbers sent as strings ("640") reach the MCP tools as they reach the HTTP verbs: read, with a
`number_from_string` warning naming the argument; refused as a tool error in strict mode (the
X-Draftsmith-Strict header over HTTP, `draftsmith mcp --strict` over stdio)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mcp import ClientSession

from agents.conftest import KEY_A
from agents.mcp_client import call, call_error, http_session, stdio_session, text_of
from support.event_loop import run_coroutine

FROM_STRING = "number_from_string"
CAPTIONS = [{"text": "hi", "start_seconds": "0.5", "end_seconds": 2}]


def _warned(result: dict[str, Any]) -> list[tuple[str, str]]:
    return [(w["field"], w["code"]) for w in result["warnings"]]


async def _text_result(session: ClientSession, tool: str, **arguments: Any) -> dict[str, Any]:
    """The result as its text content says it (what a client without structured content
    reads)."""
    result = await session.call_tool(tool, arguments)
    assert not result.is_error, text_of(result)
    parsed: dict[str, Any] = json.loads(text_of(result))
    return parsed


def test_numeric_strings_are_read_with_warnings(mcp_url: str) -> None:
    async def scenario() -> dict[str, Any]:
        async with http_session(mcp_url, KEY_A) as session:
            made = await _text_result(session, "create_draft", width="640", height=" 360 ")
            draft = made["draft_id"]
            captions = await call(
                session,
                "add_captions",
                draft_id=draft,
                captions=[{**CAPTIONS[0], "font_size": "12"}],
                transform_y="-80.5",
            )
            # A list sent as JSON text, as some clients do, is read the same way.
            as_text = await call(
                session,
                "add_captions",
                draft_id=draft,
                captions=json.dumps([{"text": "yo", "start": "2000000", "end": 3_000_000}]),
            )
            resource = await session.read_resource(f"draftsmith://drafts/{draft}/timeline")
            timeline = json.loads(getattr(resource.contents[0], "text", ""))
            revision = str(as_text["current_version"])
            saved = await call(session, "save_draft", draft_id=draft, expected_version=revision)
            listed = await call(session, "list_drafts", limit="1")
            return {
                "listed": listed,
                "made": made,
                "captions": captions,
                "as_text": as_text,
                "timeline": timeline,
                "saved": saved,
            }

    results = run_coroutine(scenario())
    made = results["made"]
    assert (made["width"], made["height"]) == (640, 360)
    assert _warned(made) == [("width", FROM_STRING), ("height", FROM_STRING)]
    assert made["warnings"][1]["message"] == "height: the string ' 360 ' is read as the number 360"
    captions = results["captions"]
    assert _warned(captions) == [
        ("captions[0].start_seconds", FROM_STRING),
        ("captions[0].font_size", FROM_STRING),
        ("transform_y", FROM_STRING),
    ]
    assert captions["segments"][0]["start_seconds"] == 0.5
    assert "see warnings" in captions["next"]
    assert _warned(results["as_text"]) == [("captions[0].start", FROM_STRING)]
    assert results["as_text"]["segments"][0]["start_seconds"] == 2
    kept = [s.get("warnings", []) for t in results["timeline"]["tracks"] for s in t["segments"]]
    assert [[w["field"] for w in notes] for notes in kept] == [
        ["captions[0].start_seconds", "captions[0].font_size", "transform_y"],
        ["captions[0].start"],
    ]
    listed = results["listed"]
    assert (len(listed["drafts"]), _warned(listed)) == (1, [("limit", FROM_STRING)])
    saved = results["saved"]
    assert (saved["version"], _warned(saved)) == (1, [("expected_version", FROM_STRING)])


def test_strings_that_hold_no_number_and_booleans_are_refused(mcp_url: str) -> None:
    async def scenario() -> list[str]:
        async with http_session(mcp_url, KEY_A) as session:
            draft = (await call(session, "create_draft"))["draft_id"]
            bad: list[dict[str, Any]] = [
                {"captions": [{**CAPTIONS[0], "start_seconds": "nan"}]},
                {"captions": [{**CAPTIONS[0], "start_seconds": "1e3"}]},
                {"captions": [{**CAPTIONS[0], "start_seconds": "1" * 41}]},
                {"captions": CAPTIONS, "font_size": True},
            ]
            return [await call_error(session, "add_captions", draft_id=draft, **b) for b in bad]

    nan, exponent, long, boolean = run_coroutine(scenario())
    for error in (nan, exponent, long):
        assert error.startswith("captions[0].start_seconds: Value error, must be a number, or a")
        assert "(invalid_input)" in error
    assert "'nan'" in nan and "'1e3'" in exponent and "..." in long
    assert boolean.startswith("font_size: Value error, must be an integer, not true or false")


def test_strict_call_refuses_numeric_strings(mcp_url: str) -> None:
    async def scenario() -> tuple[str, str, dict[str, Any]]:
        async with http_session(mcp_url, KEY_A) as session:
            draft = (await call(session, "create_draft"))["draft_id"]
        async with http_session(mcp_url, KEY_A, strict=True) as session:
            width = await call_error(session, "create_draft", width="640")
            start = await call_error(session, "add_captions", draft_id=draft, captions=CAPTIONS)
            numbers = {**CAPTIONS[0], "start_seconds": 0.5}
            taken = await call(session, "add_captions", draft_id=draft, captions=[numbers])
        return width, start, taken

    width, start, taken = run_coroutine(scenario())
    assert width.startswith("width: Value error, must be an integer, not a string (invalid_input)")
    assert start.startswith(
        "captions[0].start_seconds: Value error, must be a number, not a string"
    )
    assert taken["warnings"] == []


def test_strict_stdio_server_refuses_numeric_strings(tmp_path: Path) -> None:
    spec = {"width": "640", "tracks": []}

    async def scenario() -> tuple[str, str, str]:
        async with stdio_session(tmp_path / "data", ("--strict",)) as session:
            draft = (await call(session, "create_draft"))["draft_id"]
            listed = await call_error(session, "list_drafts", limit="5")
            refused = await call_error(
                session, "add_captions", draft_id=draft, captions=CAPTIONS, font_size="12"
            )
            composed = await call_error(session, "compose_video", spec=spec)
            return listed, refused, composed

    listed, refused, composed = run_coroutine(scenario())
    assert listed.startswith("limit: Value error, must be an integer, not a string")
    assert refused.startswith("captions[0].start_seconds: Value error, must be a number, not a")
    assert composed.startswith("spec.width: Value error, must be an integer, not a string")


def test_compose_video_reads_numeric_strings_as_its_http_verb(mcp_url: str) -> None:
    """compose_video's spec is the HTTP verb's own schema, which takes numeric strings itself:
    they are noted (with the spec's JSON pointers) and refused when strict, as on HTTP."""
    spec = {
        "width": "640",
        "height": 360,
        "tracks": [{"type": "caption", "items": [{"text": "hi", "start": "0", "end": 500_000}]}],
    }

    async def scenario() -> tuple[dict[str, Any], str]:
        async with http_session(mcp_url, KEY_A) as session:
            made = await call(session, "compose_video", spec=spec)
        async with http_session(mcp_url, KEY_A, strict=True) as session:
            refused = await call_error(session, "compose_video", spec=spec)
        return made, refused

    made, refused = run_coroutine(scenario())
    assert _warned(made) == [("/tracks/0/items/0/start", FROM_STRING)]
    assert "must be an integer, not a string" in refused
