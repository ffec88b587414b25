"""The styling tools (add_effects, add_filters, add_masks, add_keyframes, add_sticker,
add_text_style) and the transition, animation, mask, scene (speed), font, text effect and
keyword fields of the media tools,
over streamable HTTP with API keys on, through the SDK's client: the saved folder loads in
pyJianYingDraft with everything they added, times and durations work in seconds and in
microseconds, and mistakes come back as tool errors that say what to fix."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from mcp import ClientSession
from pyJianYingDraft import FontType
from pyJianYingDraft.text_segment import TextEffect

from agents.conftest import KEY_A
from agents.mcp_client import call, call_error, http_session
from agents.scenario import MediaUrls, download_folder
from draft_oracle import load_script, load_summary, unresolved_refs
from support.api import SECOND
from support.event_loop import run_coroutine

EFFECT = "录制边框 III"
FILTER = "森山"
TEXT_EFFECT_ID = "7296357486490144036"


def _by_id(items: list[dict[str, Any]]) -> dict[str, dict[str, Any]]:
    return {item["id"]: item for item in items}


async def build_styled(session: ClientSession, media: MediaUrls) -> dict[str, Any]:
    """A draft with every styling tool and field used once, saved: each tool's result."""
    draft = (await call(session, "create_draft", width=640, height=360))["draft_id"]
    video_item = {
        "video_url": media.video,
        "start_seconds": 0,
        "end_seconds": 2,
        "volume": 0.5,
        "transition": "叠化",
        "transition_duration_seconds": 0.4,
        "mask": "circle",
    }
    second = {"video_url": media.video, "start": 2 * SECOND, "end": 3 * SECOND}
    # Speed changes: the first video's 2 s in 1 s (2x), the second's 1 s in 2 s (0.5x).
    scenes = [{"start_seconds": 0, "end_seconds": 1}, {"start": SECOND, "end": 3 * SECOND}]
    videos = await call(
        session,
        "add_videos",
        draft_id=draft,
        video_infos=[video_item, second],
        scene_timelines=scenes,
    )
    image_item = {
        "image_url": media.image,
        "start_seconds": 3,
        "end_seconds": 5,
        "in_animation": "渐显",
        "out_animation": "渐隐",
        "out_animation_duration_seconds": 0.3,
    }
    await call(session, "add_images", draft_id=draft, image_infos=[image_item])
    caption = {
        "text": "hello world",
        "start_seconds": 0,
        "end_seconds": 2,
        "keyword": "world",
        "keyword_color": "#00ff00",
        "keyword_font": "思源中宋",
        "in_animation": "向上滑动",
        "in_animation_duration": 500_000,
    }
    text = await call(
        session,
        "add_captions",
        draft_id=draft,
        captions=[caption],
        font="得意黑",
        text_effect=TEXT_EFFECT_ID,
    )
    effects = await call(
        session,
        "add_effects",
        draft_id=draft,
        effect_infos=[
            {"effect_title": EFFECT, "start_seconds": 0, "end_seconds": 2},
            {"effect_title": EFFECT, "start_seconds": 1, "end_seconds": 3},
        ],
    )
    filters = await call(
        session,
        "add_filters",
        draft_id=draft,
        filter_infos=[{"filter_title": FILTER, "start": 0, "end": 3 * SECOND, "intensity": 60}],
    )
    second_id = videos["segment_ids"][1]
    masks = await call(
        session,
        "add_masks",
        draft_id=draft,
        segment_ids=[second_id],
        name="矩形",
        X=0.5,
        Y=0.5,
        width=0.5,
        height=0.4,
        roundCorner=0.2,
    )
    keyframes = await call(
        session,
        "add_keyframes",
        draft_id=draft,
        keyframes=[
            {"segment_id": second_id, "property": "opacity", "time_seconds": 0, "value": 1},
            {
                "segment_id": second_id,
                "property": "opacity",
                "time_seconds": 0.5,
                "value": 0.2,
            },
            {"segment_id": second_id, "property": "rotation", "time": 0, "value": 90},
        ],
    )
    sticker = await call(
        session,
        "add_sticker",
        draft_id=draft,
        sticker_id="7326810673609018675",
        start_seconds=1,
        end_seconds=2.5,
        scale=0.5,
    )
    saved = await call(session, "save_draft", draft_id=draft)
    return {
        "sticker": sticker,
        "videos": videos,
        "text": text,
        "effects": effects,
        "filters": filters,
        "masks": masks,
        "keyframes": keyframes,
        "saved": saved,
    }


def check_results(built: dict[str, Any]) -> None:
    effects, masks, keyframes = built["effects"], built["masks"], built["keyframes"]
    assert [(s["start_seconds"], s["end_seconds"]) for s in built["videos"]["segments"]] == [
        (0.0, 1.0),
        (1.0, 3.0),
    ]
    # Overlapping effects of one call: both segments are reported, each span in seconds.
    assert [(s["start_seconds"], s["end_seconds"]) for s in effects["segments"]] == [
        (0.0, 2.0),
        (1.0, 3.0),
    ]
    assert effects["unsaved_changes"] is True and "save_draft" in effects["next"]
    assert (masks["masks_added"], masks["affected_segments"]) == (
        1,
        [built["videos"]["segment_ids"][1]],
    )
    # One revision per call: the two overlapping effects' tracks are one write.
    assert (keyframes["keyframes_added"], keyframes["current_version"]) == (3, 7)
    sticker = built["sticker"]
    assert sticker["sticker_id"] == "7326810673609018675"
    assert sticker["segments"] == [
        {"id": sticker["segment_ids"][0], "start_seconds": 1.0, "end_seconds": 2.5}
    ]


def check_speeds(
    materials: dict[str, Any], segments: dict[str, dict[str, Any]], speeds: dict[str, float]
) -> None:
    """Each segment plays at its speed, and refers to a speed material that says so."""
    speed_materials = _by_id(materials["speeds"])
    for segment_id, speed in speeds.items():
        assert segments[segment_id]["speed"] == speed
        refs = segments[segment_id]["extra_material_refs"]
        (speed_id,) = [r for r in refs if r in speed_materials]
        assert speed_materials[speed_id]["speed"] == speed


def check_caption_look(materials: dict[str, Any], segment: dict[str, Any]) -> None:
    """The caption's font, its keyword's font and colour, and its text effect, referenced as
    pyJianYingDraft's TextSegment writes it."""
    (text,) = materials["texts"]
    styles = json.loads(text["content"])["styles"]
    caption_font = FontType.得意黑.value.resource_id
    keyword_font = FontType.思源中宋.value.resource_id
    assert [(s["range"], s["font"]["id"]) for s in styles] == [
        ([0, 6], caption_font),
        ([6, 11], keyword_font),
    ]
    assert {s["effectStyle"]["id"] for s in styles} == {TEXT_EFFECT_ID}
    # The effect resets the caption's colours; the keyword keeps its own.
    assert styles[1]["fill"]["content"]["solid"]["color"] == [0.0, 1.0, 0.0]
    effects = _by_id(materials["effects"])
    (effect_id,) = [r for r in segment["extra_material_refs"] if r in effects]
    reference = TextEffect(TEXT_EFFECT_ID, TEXT_EFFECT_ID).export_json()
    assert effects[effect_id] == {**reference, "id": effect_id}


def check_folder(built: dict[str, Any], folder: Path) -> None:
    """pyJianYingDraft loads the saved folder and finds everything the tools added."""
    assert unresolved_refs(folder) == {}
    summary = load_summary(folder)
    assert [kind for kind, _ in summary.tracks] == [
        "video",
        "video",
        "text",
        "effect",
        "effect",
        "filter",
        "sticker",
    ]
    assert summary.captions == ["hello world"]
    script = load_script(folder)
    materials = script.imported_materials
    segments = _by_id([s for t in script.imported_tracks for s in t.raw_data["segments"]])
    first_id, second_id = built["videos"]["segment_ids"]
    first = segments[first_id]
    assert first["volume"] == 0.5
    assert summary.tracks[0] == (
        "video",
        [(0, SECOND, 0, 2 * SECOND), (SECOND, 2 * SECOND, 0, SECOND)],
    )
    check_speeds(materials, segments, {first_id: 2.0, second_id: 0.5})
    transitions = _by_id(materials["transitions"])
    (transition,) = [transitions[r] for r in first["extra_material_refs"] if r in transitions]
    assert (transition["name"], transition["duration"]) == ("叠化", 400_000)
    mask_names = {m["id"]: m["name"] for m in materials["masks"]}
    assert [mask_names[r] for r in first["extra_material_refs"] if r in mask_names] == ["圆形"]
    (rectangle,) = built["masks"]["mask_ids"]
    assert mask_names[rectangle] == "矩形"
    assert rectangle in segments[second_id]["extra_material_refs"]
    lists = {k["property_type"]: k for k in segments[second_id]["common_keyframes"]}
    alpha = [(f["time_offset"], f["values"]) for f in lists["KFTypeAlpha"]["keyframe_list"]]
    assert alpha == [(0, [1.0]), (500_000, [0.2])]
    assert lists["KFTypeRotation"]["keyframe_list"][0]["values"] == [90.0]
    animations = [a for m in materials["material_animations"] for a in m["animations"]]
    assert sorted((a["name"], a["duration"]) for a in animations if a["type"] == "out") == [
        ("渐隐", 300_000)
    ]
    assert ("向上滑动", 500_000) in [(a["name"], a["duration"]) for a in animations]
    (text_segment_id,) = built["text"]["segment_ids"]
    check_caption_look(materials, segments[text_segment_id])
    effects = materials["effects"]
    (filter_material,) = [m for m in effects if m["type"] == "filter"]
    assert (filter_material["name"], filter_material["value"]) == (FILTER, 0.6)
    assert [m["name"] for m in materials["video_effects"]] == [EFFECT, EFFECT]
    (sticker_segment_id,) = built["sticker"]["segment_ids"]
    sticker_segment = segments[sticker_segment_id]
    assert sticker_segment["target_timerange"] == {"start": SECOND, "duration": 1_500_000}
    assert sticker_segment["clip"]["scale"] == {"x": 0.5, "y": 0.5}
    (sticker_material,) = materials["stickers"]
    assert sticker_material["resource_id"] == "7326810673609018675"


def test_styled_draft_loads_in_pyjianyingdraft(
    mcp_url: str, media: MediaUrls, tmp_path: Path
) -> None:
    async def build() -> dict[str, Any]:
        async with http_session(mcp_url, KEY_A) as session:
            return await build_styled(session, media)

    built = run_coroutine(build())
    check_results(built)
    check_folder(built, download_folder(built["saved"]["download_url"], tmp_path))


def test_add_text_style_touches_no_draft(mcp_url: str) -> None:
    async def style() -> dict[str, Any]:
        async with http_session(mcp_url, KEY_A) as session:
            return await call(
                session, "add_text_style", text="say hello", keyword="hello", font_size=10
            )

    result = run_coroutine(style())
    assert result["keywords"] == ["hello"]
    styles = json.loads(result["text_style"])["styles"]
    assert [(s["range"], s["size"]) for s in styles] == [([0, 4], 10), ([4, 9], 15)]


def test_styling_mistakes_say_what_to_fix(mcp_url: str, media: MediaUrls) -> None:
    async def errors() -> list[str]:
        # Strict: an unknown effect name is otherwise skipped with a warning.
        async with http_session(mcp_url, KEY_A, strict=True) as session:
            draft = (await call(session, "create_draft"))["draft_id"]
            videos = await call(
                session,
                "add_videos",
                draft_id=draft,
                video_infos=[{"video_url": media.video, "start_seconds": 0, "end_seconds": 1}],
            )
            (segment_id,) = videos["segment_ids"]
            both = {
                "image_url": media.image,
                "start_seconds": 0,
                "end_seconds": 1,
                "in_animation": "渐显",
                "in_animation_duration_seconds": 0.5,
                "in_animation_duration": 500_000,
            }
            return [
                await call_error(
                    session,
                    "add_effects",
                    draft_id=draft,
                    effect_infos=[{"effect_title": "录制边框 Z9", "start": 0, "end": SECOND}],
                ),
                await call_error(session, "add_images", draft_id=draft, image_infos=[both]),
                await call_error(
                    session,
                    "add_keyframes",
                    draft_id=draft,
                    keyframes=[{"segment_id": segment_id, "property": "opacity", "value": 1}],
                ),
                await call_error(
                    session,
                    "add_masks",
                    draft_id=draft,
                    segment_ids=["no-such-segment"],
                    name="circle",
                    X=0.5,
                    Y=0.5,
                    width=0.3,
                    height=0.3,
                ),
                await call_error(session, "add_text_style", text="abc", keyword="|"),
                await call_error(
                    session,
                    "add_sticker",
                    draft_id=draft,
                    sticker_id="42",
                    start_seconds=0,
                    end=SECOND,
                ),
                await call_error(
                    session,
                    "add_videos",
                    draft_id=draft,
                    video_infos=[{"video_url": media.video, "start": 0, "end": SECOND}],
                    scene_timelines=[{"start_seconds": 0, "end": SECOND}],
                ),
            ]

    # Unknown names are adjusted, not refused, unless strict: tests/agents/test_warnings.py.
    unknown, both, no_time, missing, no_keyword, half, scene = run_coroutine(errors())
    assert "effect_infos[0].effect_title" in unknown
    assert "Use one of the names the catalogue lists." in unknown
    assert "image_infos[0]: give in_animation_duration_seconds or in_animation_duration" in both
    assert "keyframes[0]: give time_seconds, or time in microseconds" in no_time
    assert "no-such-segment" in missing and "Check the ids you passed." in missing
    assert "keyword must name at least one keyword" in no_keyword
    assert "sticker: give start_seconds and end_seconds, or start and end" in half
    assert "scene_timelines[0]: give start_seconds and end_seconds, or start and end" in scene
