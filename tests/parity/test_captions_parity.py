"""add_captions' text effects (花字) and keyword fonts, and keyframes on captions: against a
real server, the saved folder loads in pyJianYingDraft and holds what pyJianYingDraft's own
TextSegment would write; bad names and properties are a 400 naming the problem."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from pyJianYingDraft import FontType
from pyJianYingDraft.keyframe import KeyframeList, KeyframeProperty
from pyJianYingDraft.text_segment import TextEffect

from conftest import TEST_SERVER_ENV
from draft_oracle import load_script, load_summary
from parity.saved import saved_folder
from support.api import Api, ApiOpener
from support.server import ServerProcess

EFFECT_ID = "7296357486490144036"
CATALOGUE = [
    {"id": "7000000000000000001", "title": "白字橘色发光花字", "is_vip": False},
    {"id": "7000000000000000002", "title": "金色描边花字", "is_vip": True},
]


def _text_segments(content: dict[str, Any]) -> list[dict[str, Any]]:
    return [s for t in content["tracks"] if t["type"] == "text" for s in t["segments"]]


def _material(content: dict[str, Any], segment: dict[str, Any]) -> dict[str, Any]:
    materials: list[dict[str, Any]] = content["materials"]["texts"]
    (material,) = [m for m in materials if m["id"] == segment["material_id"]]
    return material


def _styles(material: dict[str, Any]) -> list[dict[str, Any]]:
    styles: list[dict[str, Any]] = json.loads(material["content"])["styles"]
    return styles


def _color(hex_color: str) -> list[float]:
    digits = hex_color.removeprefix("#")
    return [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]


def _captions(**extra: Any) -> dict[str, Any]:
    caption = {
        "start": 0,
        "end": 2_000_000,
        "text": "Hello CapCut world",
        "keyword": "CapCut",
        "keyword_color": "#00ff00",
        **extra,
    }
    return {"captions": json.dumps([caption])}


def test_text_effect_by_id_is_referenced_and_resets_colours(api: Api, tmp_path: Path) -> None:
    draft_url = api.create_draft()
    body = {
        "draft_url": draft_url,
        **_captions(keyword_has_shadow=True),
        "text_color": "#ff0000",
        "border_color": "#0000ff",
        "has_shadow": True,
        "text_effect": EFFECT_ID,
    }
    answer = api.ok("add_captions", body)
    folder, content = saved_folder(api, draft_url, tmp_path)

    script = load_script(folder)
    assert load_summary(folder).captions == ["Hello CapCut world"]
    (effect,) = script.imported_materials["effects"]
    reference = TextEffect(EFFECT_ID, EFFECT_ID).export_json()
    assert effect == {**reference, "id": effect["id"]}
    (segment,) = _text_segments(content)
    assert segment["id"] == answer["segment_ids"][0]
    assert effect["id"] in segment["extra_material_refs"]

    material = _material(content, segment)
    styles = _styles(material)
    assert [s["range"] for s in styles] == [[0, 6], [6, 12], [12, 18]]
    for style in styles:
        assert style["effectStyle"]["id"] == EFFECT_ID
        assert "shadows" not in style
        assert style["strokes"] == []
    base, keyword, _ = styles
    assert base["fill"]["content"]["solid"]["color"] == _color("#ffffff")
    # The keyword keeps its own colour; only colour, border and shadows are reset.
    assert keyword["fill"]["content"]["solid"]["color"] == _color("#00ff00")
    assert material["text_color"] == "#FFFFFF"
    assert material["border_color"] == ""
    assert material["has_shadow"] is False


def test_without_text_effect_colours_and_shadows_stay(api: Api, tmp_path: Path) -> None:
    draft_url = api.create_draft()
    body = {
        "draft_url": draft_url,
        **_captions(),
        "text_color": "#ff0000",
        "has_shadow": True,
        "text_effect": None,
    }
    api.ok("add_captions", body)
    _, content = saved_folder(api, draft_url, tmp_path)
    (segment,) = _text_segments(content)
    assert not content["materials"].get("effects")
    base = _styles(_material(content, segment))[0]
    assert "effectStyle" not in base
    assert base["fill"]["content"]["solid"]["color"] == _color("#ff0000")
    assert len(base["shadows"]) == 1


@pytest.fixture(scope="module")
def catalogue_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server given a text effect catalogue file."""
    root = tmp_path_factory.mktemp("effects")
    catalogue = root / "text_effects.json"
    catalogue.write_text(json.dumps(CATALOGUE, ensure_ascii=False), encoding="utf-8")
    env = {**TEST_SERVER_ENV, "DRAFTSMITH_TEXT_EFFECT_CATALOGUE": str(catalogue)}
    with ServerProcess(root / "data", env=env) as process:
        yield process


def test_text_effect_title_resolves_from_the_catalogue(
    catalogue_server: ServerProcess, apis: ApiOpener, tmp_path: Path
) -> None:
    api = apis(catalogue_server.base_url)
    draft_url = api.create_draft()
    api.ok("add_captions", {"draft_url": draft_url, **_captions(), "text_effect": "金色描边花字"})
    folder, content = saved_folder(api, draft_url, tmp_path)
    (effect,) = load_script(folder).imported_materials["effects"]
    assert (effect["effect_id"], effect["resource_id"]) == (CATALOGUE[1]["id"],) * 2
    (segment,) = _text_segments(content)
    assert effect["id"] in segment["extra_material_refs"]
    assert {s["effectStyle"]["id"] for s in _styles(_material(content, segment))} == {
        CATALOGUE[1]["id"]
    }


def test_unknown_text_effect_title_is_a_400_with_close_matches_in_strict_mode(
    catalogue_server: ServerProcess, apis: ApiOpener
) -> None:
    """Compatible mode leaves the effect out (tests/api/test_adjustments.py)."""
    api = apis(catalogue_server.base_url)
    draft_url = api.create_draft()
    response = api.post(
        "add_captions",
        {"draft_url": draft_url, **_captions(), "text_effect": "白字橘色发光"},
        strict=True,
    )
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert "text_effect" in detail
    assert "close matches" in detail
    assert "白字橘色发光花字" in detail
    assert api.info(draft_url)["track_count"] == 0


def test_keyword_font_styles_the_keyword_ranges(api: Api, tmp_path: Path) -> None:
    draft_url = api.create_draft()
    captions = [
        {
            "start": 0,
            "end": 1_000_000,
            "text": "Hello CapCut world",
            "keyword": "CapCut",
            "keyword_font": "思源中宋",
        },
        # Without keyword_font the keyword is drawn in the caption's font.
        {"start": 1_000_000, "end": 2_000_000, "text": "No CapCut font", "keyword": "CapCut"},
    ]
    body = {"draft_url": draft_url, "captions": json.dumps(captions), "font": "得意黑"}
    api.ok("add_captions", body)
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert load_summary(folder).captions == ["Hello CapCut world", "No CapCut font"]

    caption_font = FontType.得意黑.value.resource_id
    keyword_font = FontType.思源中宋.value.resource_id
    first, second = (_styles(_material(content, s)) for s in _text_segments(content))
    assert [(s["range"], s["font"]["id"]) for s in first] == [
        ([0, 6], caption_font),
        ([6, 12], keyword_font),
        ([12, 18], caption_font),
    ]
    assert {s["font"]["id"] for s in second} == {caption_font}


def test_unknown_keyword_font_is_a_400_with_close_matches_in_strict_mode(api: Api) -> None:
    """Compatible mode falls back to the caption's font (tests/api/test_adjustments.py)."""
    draft_url = api.create_draft()
    response = api.post(
        "add_captions",
        {"draft_url": draft_url, **_captions(keyword_font="思源中宋体X")},
        strict=True,
    )
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert "captions[0].keyword_font" in detail
    assert "close matches" in detail
    assert "思源中宋" in detail
    response = api.post(
        "add_captions", {"draft_url": draft_url, **_captions(), "font": "nope-font"}, strict=True
    )
    assert response.status_code == 400, response.text
    assert "font" in response.json()["detail"]
    assert api.info(draft_url)["track_count"] == 0


def _caption_segment(api: Api) -> tuple[str, str]:
    draft_url = api.create_draft()
    answer = api.ok("add_captions", {"draft_url": draft_url, **_captions()})
    (segment_id,) = answer["segment_ids"]
    return draft_url, segment_id


def test_keyframes_on_a_caption_segment(api: Api, tmp_path: Path) -> None:
    draft_url, segment_id = _caption_segment(api)
    keyframes = [
        {"segment_id": segment_id, "property": "position.x", "time": 0, "value": 0},
        {"segment_id": segment_id, "property": "position.x", "time": 1_000_000, "value": 320},
        {"segment_id": segment_id, "property": "scale.x", "time": 0, "value": 1.5},
        {"segment_id": segment_id, "property": "rotation.z", "time": 500_000, "value": 45},
        {"segment_id": segment_id, "property": "opacity", "time": 2_000_000, "value": 0.25},
    ]
    answer = api.ok("add_keyframes", {"draft_url": draft_url, "keyframes": json.dumps(keyframes)})
    assert answer["keyframes_added"] == 5
    assert answer["affected_segments"] == [segment_id]
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert load_summary(folder).captions == ["Hello CapCut world"]

    (segment,) = _text_segments(content)
    lists = {k["property_type"]: k for k in segment["common_keyframes"]}
    assert set(lists) == {
        "KFTypePositionX",
        "KFTypeScaleX",
        "KFTypeRotation",
        "KFTypeGlobalAlpha",
    }
    # 320 px on a 1280-wide canvas is half a half-width.
    reference = KeyframeList(KeyframeProperty.position_x)
    reference.add_keyframe(0, 0.0)
    reference.add_keyframe(1_000_000, 0.5)
    expected = reference.export_json()
    ours = lists["KFTypePositionX"]
    expected["id"] = ours["id"]
    for frame, ours_frame in zip(expected["keyframe_list"], ours["keyframe_list"], strict=True):
        frame["id"] = ours_frame["id"]
    assert ours == expected
    assert lists["KFTypeRotation"]["keyframe_list"][0]["values"] == [45.0]
    assert lists["KFTypeGlobalAlpha"]["keyframe_list"][0]["time_offset"] == 2_000_000
    assert lists["KFTypeGlobalAlpha"]["keyframe_list"][0]["values"] == [0.25]
    # Like pyJianYingDraft's add_keyframe: a one-axis scale keyframe turns uniform scale off.
    assert segment["uniform_scale"]["on"] is False


@pytest.mark.parametrize("prop", ["volume", "saturation", "KFTypeBrightness"])
def test_a_property_text_cannot_take_is_a_400_naming_it(api: Api, prop: str) -> None:
    draft_url, segment_id = _caption_segment(api)
    item = {"segment_id": segment_id, "property": prop, "time": 0, "value": 0.5}
    response = api.post("add_keyframes", {"draft_url": draft_url, "keyframes": [item]})
    assert response.status_code == 400, response.text
    detail = response.json()["detail"]
    assert "keyframes[0].property" in detail
    assert prop.removeprefix("KFType").lower() in detail
    assert "text segment" in detail
