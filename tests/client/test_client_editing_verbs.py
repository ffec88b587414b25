"""The editing verbs beyond media and captions, through `Client` and `AsyncClient` against a
real server: each method round-trips, and the saved folder loads in pyJianYingDraft with what
it added (effects, filters, masks, keyframes, transitions, animations, keyword highlights)."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest
from pyJianYingDraft import FontType
from pyJianYingDraft.text_segment import TextEffect

from client.conftest import MediaUrls
from draft_oracle import load_script, load_summary, unresolved_refs
from draftsmith.client import (
    SECOND,
    Animations,
    AsyncClient,
    Caption,
    CaptionStyle,
    Client,
    DraftNotFound,
    Effect,
    Filter,
    Image,
    Keyframe,
    Keywords,
    Mask,
    Scene,
    Shadow,
    Sticker,
    Video,
)
from draftsmith.errors import InvalidInput, UnknownName
from support.event_loop import run_coroutine
from support.server import ServerProcess

EFFECT = "录制边框 III"
FILTER = "森山"
TRANSITION = "叠化"
TEXT_EFFECT_ID = "7296357486490144036"


def saved_script(client: Client, draft: str, root: Path) -> tuple[Path, Any]:
    """Save `draft`, download its folder and load it with pyJianYingDraft."""
    client.save(draft)
    folder = client.download_draft(draft, root, extract=True).path
    assert unresolved_refs(folder) == {}
    return folder, load_script(folder)


def raw_segments(script: Any) -> dict[str, dict[str, Any]]:
    """Every segment of the loaded draft, as pyJianYingDraft keeps it, by id."""
    return {s["id"]: s for t in script.imported_tracks for s in t.raw_data["segments"]}


def materials(script: Any, kind: str) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in script.imported_materials[kind]}


def test_effects_and_filters_go_on_their_own_tracks(
    client: Client, media_urls: MediaUrls, tmp_path: Path
) -> None:
    draft = client.create_draft(1280, 720, name="client effects").draft_url
    client.add_videos(draft, [Video(media_urls.video, 0, 2 * SECOND)])
    effects = client.add_effects(
        draft, [Effect(EFFECT, 0, SECOND), Effect(EFFECT, SECOND, 2 * SECOND)]
    )
    filters = client.add_filters(draft, [Filter(FILTER, 0, 2 * SECOND, intensity=60)])
    assert effects.draft_url == draft
    assert [(s.start, s.end) for s in effects.segments] == [(0, SECOND), (SECOND, 2 * SECOND)]
    assert len(effects.material_ids) == len(effects.segment_ids) == 2
    assert len(filters.segment_ids) == 1
    assert filters.current_version == effects.current_version + 1

    folder, script = saved_script(client, draft, tmp_path)
    summary = load_summary(folder)
    assert [kind for kind, _ in summary.tracks] == ["video", "effect", "filter"]
    segments = raw_segments(script)
    effect_materials = materials(script, "video_effects")
    assert [effect_materials[segments[i]["material_id"]]["name"] for i in effects.segment_ids] == [
        EFFECT,
        EFFECT,
    ]
    (filter_id,) = filters.segment_ids
    filter_material = materials(script, "effects")[segments[filter_id]["material_id"]]
    assert filter_material["name"] == FILTER
    assert filter_material["value"] == 0.6

    # An unknown name: the item is skipped with a warning; strict mode refuses it.
    skipped = client.add_effects(draft, [Effect(EFFECT + " Z9", 0, SECOND)])
    assert (skipped.track_id, skipped.segment_ids) == ("", ())
    assert [w.code for w in skipped.warnings] == ["unknown_name_skipped"]
    client.strict = True
    with pytest.raises(UnknownName) as unknown:
        client.add_effects(draft, [Effect(EFFECT + " Z9", 0, SECOND)])
    client.strict = False
    assert unknown.value.status == 400
    assert "effect_infos[0].effect_title" in unknown.value.detail


def test_masks_and_keyframes_change_video_segments(
    client: Client, media_urls: MediaUrls, tmp_path: Path
) -> None:
    draft = client.create_draft(1280, 720, name="client masks").draft_url
    videos = [Video(media_urls.video, 0, SECOND), Video(media_urls.video, SECOND, 2 * SECOND)]
    first, second = client.add_videos(draft, videos).segment_ids
    masked = client.add_masks(draft, [first, second], Mask("circle", 0.5, 0.5, 0.3, 0.3, 0.1))
    assert (masked.draft_url, masked.masks_added) == (draft, 2)
    assert masked.affected_segments == (first, second)
    assert len(masked.mask_ids) == 2
    keyframes = [
        Keyframe("opacity", 0, 1.0, first),
        Keyframe("opacity", 500_000, 0.2, first),
        Keyframe("rotation", 0, 90, second),
    ]
    keyed = client.add_keyframes(draft, keyframes)
    assert (keyed.keyframes_added, keyed.affected_segments) == (3, (first, second))
    assert keyed.current_version == masked.current_version + 1

    _, script = saved_script(client, draft, tmp_path)
    segments = raw_segments(script)
    masks = materials(script, "masks")
    for segment_id, mask_id in zip((first, second), masked.mask_ids, strict=True):
        assert mask_id in segments[segment_id]["extra_material_refs"]
        assert masks[mask_id]["name"] == "圆形"
        assert masks[mask_id]["config"]["feather"] == 0.1
    alpha = {k["property_type"]: k for k in segments[first]["common_keyframes"]}["KFTypeAlpha"]
    frames = [(f["time_offset"], f["values"]) for f in alpha["keyframe_list"]]
    assert frames == [(0, [1.0]), (500_000, [0.2])]
    (rotation,) = segments[second]["common_keyframes"]
    assert rotation["property_type"] == "KFTypeRotation"

    with pytest.raises(DraftNotFound):
        client.add_masks("20240101000000" + "0" * 16, [first], Mask("circle", 0.5, 0.5, 0.3, 0.3))
    with pytest.raises(InvalidInput) as bad:
        client.add_keyframes(draft, [Keyframe("wobble", 0, 1.0, first)])
    assert bad.value.status == 400 and "wobble" in bad.value.detail


def test_add_sticker_puts_one_sticker_on_a_new_track(client: Client, tmp_path: Path) -> None:
    draft = client.create_draft(1280, 720, name="client sticker").draft_url
    sticker = Sticker("7326810673609018675", SECOND, 3 * SECOND, scale=0.5, transform_x=64)
    added = client.add_sticker(draft, sticker)
    assert (added.draft_url, added.sticker_id, added.duration) == (
        draft,
        "7326810673609018675",
        2 * SECOND,
    )
    [track_info] = client.get_draft_info(draft).tracks
    assert [s.sticker_id for s in track_info.segments] == ["7326810673609018675"]

    folder, script = saved_script(client, draft, tmp_path)
    assert [kind for kind, _ in load_summary(folder).tracks] == ["sticker"]
    (track,) = script.imported_tracks
    assert track.track_id == added.track_id
    segment = raw_segments(script)[added.segment_id]
    assert segment["target_timerange"] == {"start": SECOND, "duration": 2 * SECOND}
    assert segment["clip"]["scale"] == {"x": 0.5, "y": 0.5}
    assert segment["clip"]["transform"]["x"] == 0.1
    (material,) = script.imported_materials["stickers"]
    assert material["id"] == segment["material_id"]
    assert material["resource_id"] == "7326810673609018675"

    with pytest.raises(InvalidInput) as bad:
        client.add_sticker(draft, Sticker("not-digits", 0, SECOND))
    assert bad.value.status == 400 and "sticker_id" in bad.value.detail


def test_add_text_style_highlights_keywords(client: Client) -> None:
    style = json.loads(client.add_text_style("say hello world", "hello|world", font_size=10))
    assert style["text"] == "say hello world"
    assert [(s["range"], s["size"]) for s in style["styles"]] == [
        ([0, 4], 10),
        ([4, 9], 15),
        ([9, 10], 10),
        ([10, 15], 15),
    ]
    assert style["styles"][1]["fill"]["content"]["solid"]["color"] == [1.0, 113 / 255, 0.0]
    with pytest.raises(InvalidInput) as bad:
        client.add_text_style("abc", "|")
    assert bad.value.status == 400 and "keyword" in bad.value.detail


def test_transitions_animations_masks_scenes_and_keywords_of_the_media_verbs(
    client: Client, media_urls: MediaUrls, tmp_path: Path
) -> None:
    draft = client.create_draft(1280, 720, name="client media fields").draft_url
    videos = [
        Video(
            media_urls.video,
            0,
            2 * SECOND,
            volume=0.5,
            transition=TRANSITION,
            transition_duration=400_000,
            mask="heart",
            scene=Scene(0, 4 * SECOND),
        ),
        Video(media_urls.video, 0, SECOND, scene=Scene(4 * SECOND, 5 * SECOND)),
    ]
    video = client.add_videos(draft, videos)
    assert [(s.start, s.end) for s in video.segments] == [(0, 4 * SECOND), (4 * SECOND, 5 * SECOND)]
    fade = Animations(in_animation="渐显", out_animation="渐隐", out_animation_duration=300_000)
    image = client.add_images(
        draft, [Image(media_urls.image, 0, 2 * SECOND, transition=TRANSITION, animations=fade)]
    )
    keywords = Keywords("world", color="#00ff00", font_size=30, shadow=Shadow(alpha=0.5))
    slide = Animations(in_animation="向上滑动", in_animation_duration=500_000)
    text = client.add_captions(
        draft, [Caption("hello world", 0, 2 * SECOND, keywords=keywords, animations=slide)]
    )

    folder, script = saved_script(client, draft, tmp_path)
    summary = load_summary(folder)
    assert summary.tracks[0] == (
        "video",
        [(0, 4 * SECOND, 0, 2 * SECOND), (4 * SECOND, SECOND, 0, SECOND)],
    )
    assert summary.captions == ["hello world"]
    segments = raw_segments(script)
    first_video = segments[video.segment_ids[0]]
    assert first_video["volume"] == 0.5
    transitions = materials(script, "transitions")
    (transition_id,) = [r for r in first_video["extra_material_refs"] if r in transitions]
    assert (transitions[transition_id]["name"], transitions[transition_id]["duration"]) == (
        TRANSITION,
        400_000,
    )
    masks = materials(script, "masks")
    assert [masks[r]["name"] for r in first_video["extra_material_refs"] if r in masks] == ["爱心"]
    animations = materials(script, "material_animations")
    (image_id,) = image.segment_ids
    (image_animations,) = [
        animations[r]["animations"]
        for r in segments[image_id]["extra_material_refs"]
        if r in animations
    ]
    assert [(a["name"], a["type"]) for a in image_animations] == [("渐显", "in"), ("渐隐", "out")]
    assert image_animations[1]["duration"] == 300_000
    (text_id,) = text.segment_ids
    (text_animations,) = [
        animations[r]["animations"]
        for r in segments[text_id]["extra_material_refs"]
        if r in animations
    ]
    assert [(a["name"], a["duration"]) for a in text_animations] == [("向上滑动", 500_000)]
    content = json.loads(materials(script, "texts")[segments[text_id]["material_id"]]["content"])
    runs = [(s["range"], s["size"]) for s in content["styles"]]
    assert runs == [([0, 6], 15), ([6, 11], 30)]
    assert content["styles"][1]["fill"]["content"]["solid"]["color"] == [0.0, 1.0, 0.0]
    assert content["styles"][1]["shadows"][0]["alpha"] == 0.5


def test_caption_fonts_and_text_effect_reach_the_folder(client: Client, tmp_path: Path) -> None:
    draft = client.create_draft(1280, 720, name="client caption fonts").draft_url
    style = CaptionStyle(text_color="#ff0000", font="得意黑", text_effect=int(TEXT_EFFECT_ID))
    captions = [
        Caption("Hello CapCut world", 0, SECOND, keywords=Keywords("CapCut", font="思源中宋")),
        # Without a keyword font the keyword is drawn in the style's font.
        Caption("No CapCut font", SECOND, 2 * SECOND, keywords=Keywords("CapCut")),
    ]
    text = client.add_captions(draft, captions, style)

    folder, script = saved_script(client, draft, tmp_path)
    assert load_summary(folder).captions == ["Hello CapCut world", "No CapCut font"]
    segments = raw_segments(script)
    # As pyJianYingDraft's TextSegment writes it: one effect material per caption.
    effects = materials(script, "effects")
    reference = TextEffect(TEXT_EFFECT_ID, TEXT_EFFECT_ID).export_json()
    for segment_id in text.segment_ids:
        (effect_id,) = [r for r in segments[segment_id]["extra_material_refs"] if r in effects]
        assert effects[effect_id] == {**reference, "id": effect_id}
    texts = materials(script, "texts")
    first, second = (
        json.loads(texts[segments[i]["material_id"]]["content"])["styles"] for i in text.segment_ids
    )
    caption_font = FontType.得意黑.value.resource_id
    keyword_font = FontType.思源中宋.value.resource_id
    assert [(s["range"], s["font"]["id"]) for s in first] == [
        ([0, 6], caption_font),
        ([6, 12], keyword_font),
        ([12, 18], caption_font),
    ]
    assert {s["font"]["id"] for s in second} == {caption_font}
    assert {s["effectStyle"]["id"] for s in first + second} == {TEXT_EFFECT_ID}
    # The effect brings its own colours: the style's red is reset to white.
    assert first[0]["fill"]["content"]["solid"]["color"] == [1.0, 1.0, 1.0]

    # Unknown fonts are refused in strict mode only (else: a warning, and the default font).
    client.strict = True
    with pytest.raises(UnknownName) as unknown:
        client.add_captions(draft, captions[:1], CaptionStyle(font="nope-font"))
    assert unknown.value.status == 400 and "font" in unknown.value.detail
    bad_keyword = Caption("hi", 0, SECOND, keywords=Keywords("hi", font="思源中宋体X"))
    with pytest.raises(UnknownName) as unknown:
        client.add_captions(draft, [bad_keyword])
    assert "captions[0].keyword_font" in unknown.value.detail


def test_scenes_must_come_in_order(client: Client, media_urls: MediaUrls) -> None:
    draft = client.create_draft().draft_url
    videos = [
        Video(media_urls.video, 0, SECOND),
        Video(media_urls.video, 0, SECOND, scene=Scene(0, SECOND)),
    ]
    with pytest.raises(InvalidInput) as bad:
        client.add_videos(draft, videos)
    assert "videos[0] has no scene" in bad.value.detail
    assert client.get_draft_info(draft).tracks == ()


def test_async_client_editing_verbs(
    shared_server: ServerProcess, media_urls: MediaUrls, tmp_path: Path
) -> None:
    async def scenario() -> None:
        async with AsyncClient(shared_server.base_url, trust_env=False) as client:
            draft = (await client.create_draft(640, 360, "async editing")).draft_url
            (segment_id,) = (
                await client.add_videos(draft, [Video(media_urls.video, 0, SECOND)])
            ).segment_ids
            effects = await client.add_effects(draft, [Effect(EFFECT, 0, SECOND)])
            filters = await client.add_filters(draft, [Filter(FILTER, 0, SECOND)])
            masked = await client.add_masks(draft, [segment_id], Mask("矩形", 0.5, 0.5, 0.5, 0.4))
            keyed = await client.add_keyframes(draft, [Keyframe("scale.x", 0, 1.5)])
            style = await client.add_text_style("ab", "b")
            sticker = await client.add_sticker(draft, Sticker("42", 0, SECOND))
            assert (sticker.sticker_id, sticker.duration) == ("42", SECOND)
            assert len(effects.segment_ids) == len(filters.segment_ids) == 1
            assert masked.masks_added == 1 and keyed.affected_segments == (segment_id,)
            assert json.loads(style)["text"] == "ab"
            await client.save(draft)
            await client.download_draft(draft, tmp_path, extract=True)

    run_coroutine(scenario())
    (folder,) = tmp_path.iterdir()
    script = load_script(folder)
    kinds = [t.track_type.name for t in script.imported_tracks]
    assert kinds == ["video", "effect", "filter", "sticker"]
    (segment,) = script.imported_tracks[0].raw_data["segments"]
    assert [k["property_type"] for k in segment["common_keyframes"]] == ["KFTypeScaleX"]
    assert [m["name"] for m in script.imported_materials["masks"]] == ["矩形"]
