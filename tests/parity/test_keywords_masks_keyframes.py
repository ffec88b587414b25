"""Keyword highlighting (add_captions, add_text_style), add_masks and add_keyframes: each
documented example works against the real server, the saved folder loads in pyJianYingDraft
with what was added, the validator finds no errors, and bad names or ids are a 400 or 404
naming the problem."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from pyJianYingDraft.keyframe import KeyframeList, KeyframeProperty
from pyJianYingDraft.metadata import MaskType
from pyJianYingDraft.video_segment import Mask

from draft_oracle import load_summary
from parity.reference_docs import example
from parity.saved import saved_folder
from support.api import Api
from support.media_server import MediaServer


def _text_contents(content: dict[str, Any]) -> list[dict[str, Any]]:
    by_id = {t["id"]: t for t in content["materials"]["texts"]}
    segments = [s for t in content["tracks"] if t["type"] == "text" for s in t["segments"]]
    segments.sort(key=lambda s: s["target_timerange"]["start"])
    return [json.loads(by_id[s["material_id"]]["content"]) for s in segments]


def _color(hex_color: str) -> list[float]:
    digits = hex_color.removeprefix("#")
    return [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]


def _runs(content: dict[str, Any]) -> list[tuple[list[int], list[float], float]]:
    return [
        (s["range"], s["fill"]["content"]["solid"]["color"], s["size"]) for s in content["styles"]
    ]


def test_documented_keyword_example_highlights_each_occurrence(api: Api, tmp_path: Path) -> None:
    documented = example("add_captions")
    draft_url = api.create_draft()
    api.ok("add_captions", {**documented.request, "draft_url": draft_url})
    folder, content = saved_folder(api, draft_url, tmp_path)
    wanted = json.loads(documented.request["captions"])
    assert load_summary(folder).captions == [w["text"] for w in wanted]
    first, second = _text_contents(content)
    # "Hello, CapCut captions" with keywords CapCut|captions.
    base, key = _color("#ffffff"), _color(wanted[0]["keyword_color"])
    assert _runs(first) == [
        ([0, 7], base, 18),
        ([7, 13], key, 22),
        ([13, 14], base, 18),
        ([14, 22], key, 22),
    ]
    keyword_run = first["styles"][1]
    assert keyword_run["strokes"][0]["content"]["solid"]["color"] == _color("#000000")
    assert keyword_run["shadows"][0]["alpha"] == 0.85
    assert first["styles"][0]["strokes"][0]["content"]["solid"]["color"] == _color("#333333")
    # "Welcome to caption features" with keyword "caption".
    key2 = _color(wanted[1]["keyword_color"])
    assert _runs(second) == [([0, 11], base, 16), ([11, 18], key2, 20), ([18, 27], base, 16)]


def test_keyword_ranges_count_utf16_code_units(api: Api, tmp_path: Path) -> None:
    text = "😀你好世界😀世界!"
    captions = [{"start": 0, "end": 2_000_000, "text": text, "keyword": "世界|nope|"}]
    draft_url = api.create_draft()
    api.ok(
        "add_captions",
        {
            "draft_url": draft_url,
            "captions": json.dumps(captions),
            "font_size": 12,
        },
    )
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert load_summary(folder).captions == [text]
    (only,) = _text_contents(content)
    base, key = _color("#ffffff"), _color("#ff7100")
    # The emoji is two UTF-16 code units.
    assert _runs(only) == [
        ([0, 4], base, 12),
        ([4, 6], key, 12),
        ([6, 8], base, 12),
        ([8, 10], key, 12),
        ([10, 11], base, 12),
    ]


def test_caption_without_keyword_match_keeps_one_style(api: Api, tmp_path: Path) -> None:
    captions = [{"start": 0, "end": 1_000_000, "text": "plain", "keyword": "absent"}]
    draft_url = api.create_draft()
    api.ok("add_captions", {"draft_url": draft_url, "captions": json.dumps(captions)})
    _, content = saved_folder(api, draft_url, tmp_path)
    (only,) = _text_contents(content)
    assert _runs(only) == [([0, 5], _color("#ffffff"), 15)]


def test_bad_keyword_color_is_a_400(api: Api) -> None:
    captions = [
        {"start": 0, "end": 1_000_000, "text": "a b", "keyword": "a", "keyword_color": "red"}
    ]
    draft_url = api.create_draft()
    answer = api.post("add_captions", {"draft_url": draft_url, "captions": json.dumps(captions)})
    assert answer.status_code == 400
    assert "keyword_color" in answer.text


def _video_draft(api: Api, media_server: MediaServer, count: int = 1) -> tuple[str, list[str]]:
    draft_url = api.create_draft()
    infos = [
        {
            "video_url": media_server.url("bars.mp4"),
            "start": i * 1_000_000,
            "end": (i + 1) * 1_000_000,
        }
        for i in range(count)
    ]
    answer = api.ok("add_videos", {"draft_url": draft_url, "video_infos": json.dumps(infos)})
    return draft_url, answer["segment_ids"]


def test_documented_add_masks(api: Api, media_server: MediaServer, tmp_path: Path) -> None:
    documented = example("add_masks")
    draft_url, segment_ids = _video_draft(api, media_server, 2)
    request = {**documented.request, "draft_url": draft_url, "segment_ids": segment_ids}
    answer = api.ok("add_masks", request)
    assert set(documented.response) <= set(answer)
    assert answer["masks_added"] == 2
    assert answer["affected_segments"] == segment_ids
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert len(load_summary(folder).tracks) == 1
    masks = {m["id"]: m for m in content["materials"]["masks"]}
    common = {m["id"]: m for m in content["materials"]["common_mask"]}
    assert set(masks) == set(common) == set(answer["mask_ids"])
    segments = [s for t in content["tracks"] for s in t["segments"]]
    for segment, mask_id in zip(segments, answer["mask_ids"], strict=True):
        assert mask_id in segment["extra_material_refs"]
        mask = masks[mask_id]
        assert mask["name"] == "圆形"
        assert mask["resource_type"] == "circle"
        assert mask["type"] == "mask"
        config = mask["config"]
        assert config["centerX"] == 0.0
        assert config["centerY"] == 0.0
        assert config["width"] == 0.3
        assert config["feather"] == 0.1
        assert config["roundCorner"] == 0.2
        assert common[mask_id]["config"]["expansion"] == 0.0


def test_mask_matches_pyjianyingdraft_export(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    draft_url, segment_ids = _video_draft(api, media_server)
    body = {
        "draft_url": draft_url,
        "segment_ids": segment_ids,
        "name": "矩形",
        "X": 0.75,
        "Y": 0.25,
        "width": 0.5,
        "height": 0.4,
        "rotation": 30,
        "invert": True,
    }
    answer = api.ok("add_masks", body)
    _, content = saved_folder(api, draft_url, tmp_path)
    (ours,) = content["materials"]["masks"]
    reference = Mask(MaskType.矩形.value, 0.5, 0.5, 0.5, 0.4, 1.0, 30, True, 0.0, 0.0)
    reference.global_id = answer["mask_ids"][0]
    assert ours == reference.export_json()
    (common,) = content["materials"]["common_mask"]
    assert common == reference.export_common_json()


def test_add_masks_errors(api: Api, media_server: MediaServer) -> None:
    draft_url, segment_ids = _video_draft(api, media_server)
    body = {
        "draft_url": draft_url,
        "segment_ids": segment_ids,
        "name": "circle",
        "X": 0.5,
        "Y": 0.5,
        "width": 0.3,
        "height": 0.3,
    }
    # Strict: compatible mode adds no mask, with a warning (tests/api/test_adjustments.py).
    unknown = api.post("add_masks", {**body, "name": "圆形1"}, strict=True)
    assert unknown.status_code == 400
    detail = json.dumps(unknown.json(), ensure_ascii=False)
    assert "圆形1" in detail
    assert "close matches" in detail
    missing = api.post("add_masks", {**body, "segment_ids": ["no-such-segment"]})
    assert missing.status_code == 404
    assert "no-such-segment" in missing.text
    # Above 1 is pixels of the material; past the largest frame it is a 400 in both modes.
    bad_x = api.post("add_masks", {**body, "X": 200_000})
    assert bad_x.status_code == 400
    assert "X" in bad_x.json()["detail"]
    captions = [{"start": 0, "end": 1_000_000, "text": "hi"}]
    text = api.ok("add_captions", {"draft_url": draft_url, "captions": json.dumps(captions)})
    not_video = api.post("add_masks", {**body, "segment_ids": text["segment_ids"]})
    assert not_video.status_code == 400
    assert "not a video" in not_video.text


def test_add_videos_mask_field(api: Api, media_server: MediaServer, tmp_path: Path) -> None:
    draft_url = api.create_draft()
    infos = [
        {"video_url": media_server.url("bars.mp4"), "start": 0, "end": 1_000_000, "mask": "circle"},
        {
            "video_url": media_server.url("bars.mp4"),
            "start": 1_000_000,
            "end": 2_000_000,
            "mask": "heart",
        },
        {"video_url": media_server.url("bars.mp4"), "start": 2_000_000, "end": 3_000_000},
    ]
    answer = api.ok("add_videos", {"draft_url": draft_url, "video_infos": json.dumps(infos)})
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert len(load_summary(folder).tracks[0][1]) == 3
    masks = {m["id"]: m for m in content["materials"]["masks"]}
    assert [m["name"] for m in masks.values()] == ["圆形", "爱心"]
    segments = {s["id"]: s for t in content["tracks"] for s in t["segments"]}
    with_mask = [
        [r for r in segments[i]["extra_material_refs"] if r in masks] for i in answer["segment_ids"]
    ]
    assert [len(refs) for refs in with_mask] == [1, 1, 0]
    heart = masks[with_mask[1][0]]["config"]
    assert heart["aspectRatio"] == 1.115
    assert heart["centerX"] == heart["centerY"] == 0.0
    assert heart["height"] == 0.5


def test_add_videos_unknown_mask_is_a_400_in_strict_mode(
    api: Api, media_server: MediaServer
) -> None:
    """Compatible mode adds the video without the mask (tests/api/test_adjustments.py)."""
    draft_url = api.create_draft()
    infos = [
        {"video_url": media_server.url("bars.mp4"), "start": 0, "end": 1_000_000, "mask": "blob"}
    ]
    body = {"draft_url": draft_url, "video_infos": json.dumps(infos)}
    response = api.post("add_videos", body, strict=True)
    assert response.status_code == 400
    assert "video_infos[0].mask" in response.text
    assert api.info(draft_url)["track_count"] == 0


def _keyframe_lists(content: dict[str, Any], segment_id: str) -> dict[str, dict[str, Any]]:
    (segment,) = [s for t in content["tracks"] for s in t["segments"] if s["id"] == segment_id]
    return {k["property_type"]: k for k in segment["common_keyframes"]}


def test_documented_add_keyframes(api: Api, media_server: MediaServer, tmp_path: Path) -> None:
    documented = example("add_keyframes")
    draft_url, segment_ids = _video_draft(api, media_server, 2)
    answer = api.ok("add_keyframes", {**documented.request, "draft_url": draft_url})
    assert set(documented.response) <= set(answer)
    # No segment_id: every video segment gets the keyframes.
    assert answer["affected_segments"] == segment_ids
    assert answer["keyframes_added"] == 4
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert len(load_summary(folder).tracks) == 1
    for segment_id in segment_ids:
        lists = _keyframe_lists(content, segment_id)
        assert set(lists) == {"KFTypePositionX"}
        frames = lists["KFTypePositionX"]["keyframe_list"]
        assert [f["time_offset"] for f in frames] == [0, 1_000_000]
        # 100 px on a 1280-wide canvas is 100 / 640 half-widths.
        assert [f["values"] for f in frames] == [[0.0], [100 / 640]]


def test_keyframes_match_pyjianyingdraft_export(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    draft_url, segment_ids = _video_draft(api, media_server)
    (segment_id,) = segment_ids
    keyframes = [
        {"segment_id": segment_id, "property": "opacity", "time": 500_000, "value": 0.2},
        {"segment_id": segment_id, "property": "opacity", "time": 0, "value": 1.0},
        {"segment_id": segment_id, "property": "scale.x", "offset": 1_000_000, "value": 1.5},
        {"segment_id": segment_id, "property": "KFTypeRotation", "time": 0, "value": 90},
        {"segment_id": segment_id, "property": "volume", "time": 0, "value": 0.5},
    ]
    answer = api.ok("add_keyframes", {"draft_url": draft_url, "keyframes": keyframes})
    assert answer["keyframes_added"] == 5
    assert answer["affected_segments"] == [segment_id]
    # A later call adds to the same lists.
    more = [{"segment_id": segment_id, "property": "position.y", "time": 0, "value": 360}]
    api.ok("add_keyframes", {"draft_url": draft_url, "keyframes": json.dumps(more)})
    _, content = saved_folder(api, draft_url, tmp_path)
    lists = _keyframe_lists(content, segment_id)
    reference = KeyframeList(KeyframeProperty.alpha)
    reference.add_keyframe(500_000, 0.2)
    reference.add_keyframe(0, 1.0)
    expected = reference.export_json()
    ours = lists["KFTypeAlpha"]
    expected["id"] = ours["id"]
    for frame, ours_frame in zip(expected["keyframe_list"], ours["keyframe_list"], strict=True):
        frame["id"] = ours_frame["id"]
    assert ours == expected
    assert lists["KFTypeScaleX"]["keyframe_list"][0]["time_offset"] == 1_000_000
    assert lists["KFTypeScaleX"]["keyframe_list"][0]["values"] == [1.5]
    assert lists["KFTypeRotation"]["keyframe_list"][0]["values"] == [90.0]
    assert lists["KFTypeVolume"]["keyframe_list"][0]["values"] == [0.5]
    # y points up in the editor: 360 px down on a 720-high canvas is -1 half-height.
    assert lists["KFTypePositionY"]["keyframe_list"][0]["values"] == [-1.0]
    (segment,) = [s for t in content["tracks"] for s in t["segments"]]
    assert segment["uniform_scale"]["on"] is False


def test_add_keyframes_errors(api: Api, media_server: MediaServer) -> None:
    draft_url, segment_ids = _video_draft(api, media_server)
    (segment_id,) = segment_ids
    good = {"segment_id": segment_id, "property": "opacity", "time": 0, "value": 0.5}
    cases: list[tuple[dict[str, Any], int, str]] = [
        ({**good, "segment_id": "nope-segment"}, 404, "nope-segment"),
        ({**good, "property": "wobble"}, 400, "wobble"),
        ({**good, "value": 2.0}, 400, "value"),
        ({**good, "time": 5_000_000}, 400, "time"),
        ({**good, "time": -1}, 400, "time"),
        ({key: v for key, v in good.items() if key != "time"}, 400, "time is required"),
    ]
    for item, status, word in cases:
        response = api.post("add_keyframes", {"draft_url": draft_url, "keyframes": [item]})
        assert response.status_code == status, (item, response.text)
        assert word in response.text
    captions = [{"start": 0, "end": 1_000_000, "text": "hi"}]
    text = api.ok("add_captions", {"draft_url": draft_url, "captions": json.dumps(captions)})
    (text_id,) = text["segment_ids"]
    on_text = {**good, "segment_id": text_id, "property": "volume"}
    response = api.post("add_keyframes", {"draft_url": draft_url, "keyframes": [on_text]})
    assert response.status_code == 400
    assert "volume" in response.text
    empty = api.create_draft()
    response = api.post(
        "add_keyframes", {"draft_url": empty, "keyframes": [good | {"segment_id": None}]}
    )
    assert response.status_code == 400
    assert "no segment" in response.text


def test_keyframes_infos_output_feeds_add_keyframes(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    draft_url, segment_ids = _video_draft(api, media_server)
    answer = api.ok(
        "keyframes_infos",
        {
            "ctype": "KFTypeAlpha",
            "offsets": [0.0, 0.5, 1.0],
            "values": [0.0, 1.0, 0.5],
            "segment_infos": [{"id": segment_ids[0], "start": 0, "end": 1_000_000}],
        },
    )
    added = api.ok(
        "add_keyframes", {"draft_url": draft_url, "keyframes": answer["keyframes_infos"]}
    )
    assert added["keyframes_added"] == 3
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert len(load_summary(folder).tracks) == 1
    frames = _keyframe_lists(content, segment_ids[0])["KFTypeAlpha"]["keyframe_list"]
    assert [(f["time_offset"], f["values"]) for f in frames] == [
        (0, [0.0]),
        (500_000, [1.0]),
        (1_000_000, [0.5]),
    ]


def test_documented_add_text_style(api: Api) -> None:
    documented = example("add_text_style")
    answer = api.ok("add_text_style", documented.request)
    assert set(documented.response) <= set(answer)
    ours = json.loads(answer["text_style"])
    theirs = json.loads(documented.response["text_style"])
    assert ours == theirs


def test_add_text_style_longer_keyword_wins_and_counts_utf16(api: Api) -> None:
    answer = api.ok(
        "add_text_style",
        {"text": "😀快乐快乐人", "keyword": "快乐|快乐人", "keyword_color": "#ff0000"},
    )
    ours = json.loads(answer["text_style"])
    assert ours["text"] == "😀快乐快乐人"
    assert [(s["range"], s["size"]) for s in ours["styles"]] == [
        ([0, 2], 12),
        ([2, 4], 15),
        ([4, 7], 15),
    ]
    assert ours["styles"][1]["fill"]["content"]["solid"]["color"] == [1.0, 0.0, 0.0]
    bad = api.post("add_text_style", {"text": "abc", "keyword": "|"})
    assert bad.status_code == 400
    assert "keyword" in bad.text
