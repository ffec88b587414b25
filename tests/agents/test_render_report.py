"""gen_video_status over MCP (streamable HTTP, API keys on) answers with the render report: each
feature of the draft, drawn exactly, approximated or not drawn, with its segments; a sticker
with an image_url is drawn, one without is listed as not drawn."""

from __future__ import annotations

from typing import Any

from agents.conftest import KEY_A
from agents.mcp_client import call, http_session
from agents.scenario import MediaUrls, render_to_completion
from support.event_loop import run_coroutine

STICKER_ID = "7326810673609018675"
BARE_STICKER_ID = "7326810673609018676"


async def _render_a_masked_draft_with_stickers(mcp_url: str, media: MediaUrls) -> dict[str, Any]:
    async with http_session(mcp_url, KEY_A) as session:
        draft = (await call(session, "create_draft", width=160, height=120))["draft_id"]
        videos = await call(
            session,
            "add_videos",
            draft_id=draft,
            video_infos=[{"video_url": media.video, "start_seconds": 0, "end_seconds": 1}],
        )
        [video] = videos["segment_ids"]
        await call(
            session,
            "add_masks",
            draft_id=draft,
            segment_ids=[video],
            name="圆形",
            X=0.5,
            Y=0.5,
            width=0.5,
            height=0.5,
        )
        drawn = await call(
            session,
            "add_sticker",
            draft_id=draft,
            sticker_id=STICKER_ID,
            start_seconds=0,
            end_seconds=1,
            image_url=media.image,
        )
        bare = await call(
            session,
            "add_sticker",
            draft_id=draft,
            sticker_id=BARE_STICKER_ID,
            start_seconds=0,
            end_seconds=0.5,
        )
        await call(session, "save_draft", draft_id=draft)
        status = await render_to_completion(session, draft)
        again = await call(session, "gen_video_status", draft_id=draft)
        return {
            "video": video,
            "drawn": drawn["segment_ids"][0],
            "bare": bare["segment_ids"][0],
            "status": status,
            "again": again,
        }


def test_gen_video_status_lists_what_the_video_draws(mcp_url: str, media: MediaUrls) -> None:
    got = run_coroutine(_render_a_masked_draft_with_stickers(mcp_url, media))
    status = got["status"]
    assert status["status"] == "completed", status
    found = {(e["feature"], e["name"]): e for e in status["report"]}
    assert set(found) == {
        ("video", ""),
        ("mask", "圆形"),
        ("sticker", STICKER_ID),
        ("sticker", BARE_STICKER_ID),
    }
    assert (found["video", ""]["drawn"], found["video", ""]["segment_ids"]) == (
        "exact",
        [got["video"]],
    )
    assert found["mask", "圆形"]["segment_ids"] == [got["video"]]
    drawn, bare = found["sticker", STICKER_ID], found["sticker", BARE_STICKER_ID]
    assert (drawn["drawn"], drawn["segment_ids"]) == ("approximated", [got["drawn"]])
    assert "image_url" in drawn["how"]
    assert (bare["drawn"], bare["segment_ids"]) == ("not_drawn", [got["bare"]])
    assert bare["how"], "a feature not drawn says why"
    assert got["again"]["report"] == status["report"]
