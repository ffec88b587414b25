from __future__ import annotations

import json
import re
from dataclasses import replace
from importlib import resources
from pathlib import Path
from typing import Any

import pytest

from draft_oracle import load_summary, unresolved_refs
from draftsmith.capcut.encode import DRAFT_PATH_PLACEHOLDER, encode_folder, media_relpath
from draftsmith.timeline.model import (
    PHOTO_DURATION_US,
    Canvas,
    Clip,
    Draft,
    Shadow,
    TextStyle,
    Timerange,
    TrackKind,
)
from support import drafts
from support.drafts import AUDIO, CREATED_AT_US, IMAGE, SAVED_AT_US, VIDEO, Ids, S, layered_tracks

SAMPLE = Path(__file__).parents[1] / "fixtures" / "capcut-mate-sample"
oid = Ids(material="/material")


def make_draft() -> Draft:
    styled = TextStyle(
        font_size=12.0,
        color="#ff8000",
        bold=True,
        alignment=4,
        border_color="#000000",
        shadow=Shadow(color="#102030", alpha=0.9),
        letter_spacing=2.0,
        line_spacing=1.0,
    )
    captions = (
        oid.text("c1", "Hello", Timerange(0, 1 * S)),
        oid.text(
            "c2", "你好🎬", Timerange(1 * S, 2 * S), style=styled, clip=Clip(transform_y=432.0)
        ),
    )
    tracks = layered_tracks(
        oid,
        captions,
        first_clip=Clip(alpha=0.5, transform_x=480.0, transform_y=270.0),
        audio_volume=0.5,
        text_track="text_2",
    )
    return Draft(
        id="20261123070437076ab5041234abcd",
        name="Spring 春 🎬",
        canvas=Canvas(1920, 1080, 30),
        created_at_us=CREATED_AT_US,
        tracks=tracks,
    )


def write_folder(root: Path, draft: Draft) -> Path:
    return drafts.write_folder(
        root / "drafts" / draft.name, draft, media_bytes=lambda _: b"\0" * 16
    )


def content_of(draft: Draft) -> dict[str, Any]:
    files = encode_folder(draft, saved_at_us=SAVED_AT_US)
    loaded: dict[str, Any] = json.loads(files["draft_content.json"])
    return loaded


def meta_of(draft: Draft) -> dict[str, Any]:
    files = encode_folder(draft, saved_at_us=SAVED_AT_US)
    loaded: dict[str, Any] = json.loads(files["draft_meta_info.json"])
    return loaded


def segments_by_id(content: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {s["id"]: s for t in content["tracks"] for s in t["segments"]}


def materials_by_id(content: dict[str, Any], list_name: str) -> dict[str, dict[str, Any]]:
    return {m["id"]: m for m in content["materials"][list_name]}


def test_media_relpath_by_kind() -> None:
    assert media_relpath(VIDEO) == f"assets/videos/{'a' * 64}.mp4"
    assert media_relpath(IMAGE) == f"assets/images/{'b' * 64}.png"
    assert media_relpath(AUDIO) == f"assets/audios/{'c' * 64}.mp3"


def test_writes_three_files_with_identical_timelines() -> None:
    files = encode_folder(make_draft(), saved_at_us=SAVED_AT_US)
    assert set(files) == {"draft_content.json", "draft_info.json", "draft_meta_info.json"}
    assert files["draft_content.json"] == files["draft_info.json"]
    assert "Spring 春 🎬".encode() in files["draft_content.json"]  # UTF-8, not \u escapes


def test_same_draft_and_time_give_same_bytes() -> None:
    assert encode_folder(make_draft(), saved_at_us=SAVED_AT_US) == encode_folder(
        make_draft(), saved_at_us=SAVED_AT_US
    )
    later = encode_folder(make_draft(), saved_at_us=SAVED_AT_US + 5 * S)
    assert json.loads(later["draft_content.json"])["update_time"] == SAVED_AT_US // S + 5


def test_pyjianyingdraft_loads_tracks_times_and_materials(tmp_path: Path) -> None:
    summary = load_summary(write_folder(tmp_path, make_draft()))

    assert summary.tracks == [
        ("video", [(0, 3 * S, 1 * S, 3 * S), (3 * S, 1 * S, 0, 2 * S)]),
        ("video", [(3 * S, 2 * S, 0, 2 * S)]),
        ("audio", [(0, 4 * S, 0, 4 * S)]),
        ("text", [(0, 1 * S, None, None), (1 * S, 2 * S, None, None)]),
    ]
    assert summary.material_counts == {"videos": 3, "audios": 1, "texts": 2, "speeds": 4}
    assert summary.captions == ["Hello", "你好🎬"]
    assert (summary.width, summary.height, summary.fps) == (1920, 1080, 30.0)
    assert summary.duration == 5 * S == max(s[0] + s[1] for _, ss in summary.tracks for s in ss)


def test_every_material_id_and_ref_resolves(tmp_path: Path) -> None:
    assert unresolved_refs(write_folder(tmp_path, make_draft())) == {}


def test_top_level_fields() -> None:
    draft = make_draft()
    content = content_of(draft)
    template_file = resources.files("draftsmith.capcut") / "templates" / "draft_content.json"
    template = json.loads(template_file.read_text(encoding="utf-8"))

    assert re.fullmatch(r"[0-9A-F]{8}(-[0-9A-F]{4}){3}-[0-9A-F]{12}", content["id"])
    assert content_of(replace(draft, id="20261123070437ffffffffffffffff"))["id"] != content["id"]
    assert content["name"] == draft.name
    assert content["canvas_config"] == {"height": 1080, "ratio": "original", "width": 1920}
    assert content["fps"] == 30
    assert content["duration"] == draft.duration == 5 * S
    assert content["create_time"] == CREATED_AT_US // S
    assert content["update_time"] == SAVED_AT_US // S
    assert (content["version"], content["new_version"]) == (360000, "110.0.0")
    assert content["platform"] == content["last_modified_platform"]
    assert content["platform"]["app_source"] == "lv"
    assert set(content) == set(template)
    assert set(content["materials"]) == set(template["materials"])


def test_tracks_keep_order_and_render_index() -> None:
    draft = make_draft()
    tracks = content_of(draft)["tracks"]

    assert [(t["id"], t["type"], t["name"]) for t in tracks] == [
        (t.id, str(t.kind), t.name) for t in draft.tracks
    ]
    for index, track in enumerate(tracks):
        assert (track["attribute"], track["flag"], track["is_default_name"]) == (0, 0, False)
        assert {s["render_index"] for s in track["segments"]} == {index}
        assert {s["track_render_index"] for s in track["segments"]} == {0}


def test_media_segments_have_one_speed_each() -> None:
    content = content_of(make_draft())
    speeds = materials_by_id(content, "speeds")
    segments = segments_by_id(content)

    v2 = segments[oid("v2")]
    assert v2["speed"] == 2.0
    (speed_ref,) = v2["extra_material_refs"]
    assert speeds[speed_ref] == {
        "curve_speed": None,
        "id": speed_ref,
        "mode": 0,
        "speed": 2.0,
        "type": "speed",
    }
    assert re.fullmatch(r"[0-9a-f]{32}", speed_ref)
    media_ids = [oid(n) for n in ("v1", "v2", "i1", "a1")]
    refs = [r for i in media_ids for r in segments[i]["extra_material_refs"]]
    assert sorted(refs) == sorted(speeds)
    for caption in (oid("c1"), oid("c2")):
        assert segments[caption]["extra_material_refs"] == []


def test_video_photo_and_audio_materials() -> None:
    content = content_of(make_draft())
    videos = materials_by_id(content, "videos")
    audios = materials_by_id(content, "audios")

    video = videos[oid("v1/material")]
    assert video["type"] == "video"
    assert video["path"] == f"{DRAFT_PATH_PLACEHOLDER}/assets/videos/{'a' * 64}.mp4"
    assert (video["width"], video["height"], video["duration"]) == (640, 360, 5 * S)
    assert video["material_name"] == "v1.src"
    assert video["material_id"] == video["id"]

    photo = videos[oid("i1/material")]
    assert (photo["type"], photo["duration"]) == ("photo", PHOTO_DURATION_US)
    assert (photo["width"], photo["height"]) == (800, 600)

    audio = audios[oid("a1/material")]
    assert audio["type"] == "extract_music"
    assert audio["local_material_id"] == audio["music_id"] == audio["id"]
    assert (audio["name"], audio["duration"], audio["wave_points"]) == ("a1.src", 4 * S, [])
    assert audio["path"] == f"{DRAFT_PATH_PLACEHOLDER}/assets/audios/{'c' * 64}.mp3"


def test_segment_clip_volume_and_audio_nulls() -> None:
    segments = segments_by_id(content_of(make_draft()))

    v1 = segments[oid("v1")]
    assert v1["clip"]["transform"] == {"x": 0.5, "y": -0.5}  # 480 px right, 270 px down
    assert v1["clip"]["alpha"] == 0.5
    assert v1["hdr_settings"] == {"intensity": 1.0, "mode": 1, "nits": 1000}
    assert v1["uniform_scale"] == {"on": True, "value": 1.0}
    v2 = segments[oid("v2")]
    assert v2["clip"]["transform"] == {"x": 0.0, "y": 0.0}
    assert str(v2["clip"]["transform"]["y"]) == "0.0"  # not -0.0

    a1 = segments[oid("a1")]
    assert (a1["clip"], a1["hdr_settings"]) == (None, None)
    assert "uniform_scale" not in a1
    assert (a1["volume"], a1["last_nonzero_volume"]) == (0.5, 0.5)
    assert a1["source_timerange"] == {"start": 0, "duration": 4 * S}

    c2 = segments[oid("c2")]
    assert c2["source_timerange"] is None
    assert c2["clip"]["transform"] == {"x": 0.0, "y": -0.8}  # 432 px below the centre


def test_caption_materials() -> None:
    texts = materials_by_id(content_of(make_draft()), "texts")

    plain = texts[oid("c1/material")]
    content = json.loads(plain["content"])
    assert content["text"] == "Hello"
    (style,) = content["styles"]
    assert style["range"] == [0, 5]
    assert style["fill"]["content"]["solid"]["color"] == [1.0, 1.0, 1.0]
    assert (style["strokes"], "shadows" in style) == ([], False)
    assert (plain["check_flag"], plain["typesetting"], plain["alignment"]) == (7, 0, 1)
    assert plain["type"] == "subtitle"

    styled = texts[oid("c2/material")]
    content = json.loads(styled["content"])
    (style,) = content["styles"]
    assert style["range"] == [0, 4]  # 你, 好 and the surrogate pair of 🎬: UTF-16 code units
    assert (style["size"], style["bold"]) == (12.0, True)
    assert style["fill"]["content"]["solid"]["color"] == [1.0, 128 / 255, 0.0]
    assert style["strokes"] == [
        {"content": {"solid": {"alpha": 1.0, "color": [0.0] * 3}}, "width": 0.08}
    ]
    (shadow,) = style["shadows"]
    assert shadow["content"]["solid"]["color"] == [16 / 255, 32 / 255, 48 / 255]
    assert shadow["alpha"] == 0.9
    assert styled["check_flag"] == 7 | 8 | 32
    assert (styled["typesetting"], styled["alignment"]) == (1, 0)  # vertical, left
    assert styled["letter_spacing"] == pytest.approx(0.1)
    assert styled["line_spacing"] == pytest.approx(0.07)


def test_meta_info_lists_every_media_file() -> None:
    draft = make_draft()
    meta = meta_of(draft)

    assert (meta["draft_id"], meta["draft_name"], meta["draft_fold_path"]) == (
        draft.id,
        draft.name,
        "",
    )
    assert meta["tm_duration"] == 5 * S
    assert (meta["tm_draft_create"], meta["tm_draft_modified"]) == (CREATED_AT_US, SAVED_AT_US)
    assert meta["draft_timeline_materials_size_"] == 1500
    groups = {g["type"]: g["value"] for g in meta["draft_materials"]}
    assert set(groups) == {0, 1, 2, 3, 6, 7, 8}
    imported = groups[0]
    assert [(e["metetype"], e["id"], e["file_Path"]) for e in imported] == [
        ("video", oid("v1/material"), f"{DRAFT_PATH_PLACEHOLDER}/{media_relpath(VIDEO)}"),
        ("photo", oid("i1/material"), f"{DRAFT_PATH_PLACEHOLDER}/{media_relpath(IMAGE)}"),
        ("music", oid("a1/material"), f"{DRAFT_PATH_PLACEHOLDER}/{media_relpath(AUDIO)}"),
    ]
    assert [(e["width"], e["height"], e["duration"]) for e in imported] == [
        (640, 360, 5 * S),
        (800, 600, PHOTO_DURATION_US),
        (0, 0, 4 * S),
    ]
    assert list(meta) == sorted(meta)


def test_empty_draft_loads(tmp_path: Path) -> None:
    draft = Draft("20261123070437076ab5049999", "empty", Canvas(1080, 1920, 25), CREATED_AT_US)
    summary = load_summary(write_folder(tmp_path, draft))
    assert (summary.tracks, summary.material_counts, summary.duration) == ([], {}, 0)
    assert (summary.width, summary.height, summary.fps) == (1080, 1920, 25.0)
    assert meta_of(draft)["draft_materials"][0] == {"type": 0, "value": []}


def test_media_on_the_wrong_kind_of_track_is_refused() -> None:
    draft = make_draft()
    image_on_audio = replace(draft.tracks[1], kind=TrackKind.AUDIO)
    with pytest.raises(ValueError, match="image media cannot play on a audio track"):
        encode_folder(replace(draft, tracks=(image_on_audio,)), saved_at_us=SAVED_AT_US)
    caption_on_video = replace(draft.tracks[3], kind=TrackKind.VIDEO)
    with pytest.raises(ValueError, match="a video track cannot hold"):
        encode_folder(replace(draft, tracks=(caption_on_video,)), saved_at_us=SAVED_AT_US)


def test_oracle_reads_the_capcut_mate_sample() -> None:
    summary = load_summary(SAMPLE)

    assert summary.tracks == [
        ("video", []),
        ("video", []),
        ("video", [(0, 3 * S, 0, 3 * S)]),
        ("audio", [(0, 3 * S, 0, 3 * S)]),
        ("video", [(3 * S, 2 * S, 0, 2 * S)]),
        ("text", [(0, 3 * S, None, None)]),
    ]
    assert summary.material_counts == {"audios": 1, "speeds": 3, "texts": 1, "videos": 2}
    assert summary.captions == ["Hello capcut-mate"]
    assert (summary.width, summary.height, summary.duration) == (1920, 1080, 5 * S)
    # pyJianYingDraft's text segments reference a speed it never writes (FORMAT.md section 5).
    assert unresolved_refs(SAMPLE) == {
        "3c98b8acf2d54ec3a3d5a0152e44c87e": ["4ca1cf71e85f46caac18aee9a95af966"]
    }
