"""The catalogue is pyJianYingDraft's metadata, and the catalogue verbs list it as documented."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
from pyJianYingDraft import metadata

from draftsmith import catalogue
from draftsmith.catalogue import Kind
from draftsmith.errors import UnknownName
from parity.reference_docs import example
from parity.test_helpers import assert_same_shape
from support.api import Api

ROOT = Path(__file__).resolve().parents[2]
SOURCES: dict[Kind, Any] = {
    Kind.TEXT_INTRO: metadata.TextIntro,
    Kind.TEXT_OUTRO: metadata.TextOutro,
    Kind.TEXT_LOOP: metadata.TextLoopAnim,
    Kind.VIDEO_INTRO: metadata.IntroType,
    Kind.VIDEO_OUTRO: metadata.OutroType,
    Kind.VIDEO_GROUP: metadata.GroupAnimationType,
    Kind.SCENE_EFFECT: metadata.VideoSceneEffectType,
    Kind.CHARACTER_EFFECT: metadata.VideoCharacterEffectType,
    Kind.FILTER: metadata.FilterType,
    Kind.TRANSITION: metadata.TransitionType,
    Kind.FONT: metadata.FontType,
    Kind.MASK: metadata.MaskType,
    Kind.MIX_MODE: metadata.MixModeType,
    Kind.AUDIO_SCENE_EFFECT: metadata.AudioSceneEffectType,
    Kind.TONE_EFFECT: metadata.ToneEffectType,
    Kind.SPEECH_TO_SONG: metadata.SpeechToSongType,
}


def _generator() -> ModuleType:
    spec = importlib.util.spec_from_file_location(
        "gen_catalogue", ROOT / "scripts/gen_catalogue.py"
    )
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def test_data_file_is_what_the_script_makes_from_the_installed_package() -> None:
    generator = _generator()
    assert generator.TARGET.read_text(encoding="utf-8") == generator.render()
    assert set(generator.SOURCES) == {kind.value for kind in SOURCES}


@pytest.mark.parametrize("kind", list(SOURCES))
def test_entries_are_the_package_metadata(kind: Kind) -> None:
    expected = [
        (
            getattr(m.value, "title", None) or m.value.name,
            m.name,
            m.value.resource_id,
            m.value.effect_id,
            bool(getattr(m.value, "is_vip", False)),
        )
        for m in SOURCES[kind]
    ]
    entries = catalogue.entries(kind)
    assert [(e.name, e.member, e.resource_id, e.effect_id, e.is_vip) for e in entries] == expected


def test_effects_are_scene_then_character_effects() -> None:
    scene, character = (catalogue.entries(k) for k in (Kind.SCENE_EFFECT, Kind.CHARACTER_EFFECT))
    assert catalogue.entries(Kind.EFFECT) == scene + character


@pytest.mark.parametrize(
    ("kind", "name", "expected"),
    [
        (Kind.TEXT_INTRO, "打字机 I", "打字机 I"),
        (Kind.TEXT_INTRO, "打字机_I", "打字机 I"),
        (Kind.FILTER, "1980", "1980"),
        (Kind.FILTER, "lofi ii", "Lofi II"),
        (Kind.MASK, "circle", "圆形"),
        (Kind.TRANSITION, " 叠化 ", "叠化"),
        (Kind.VIDEO_GROUP, "动感摇晃I", "动感摇晃I"),
    ],
)
def test_lookup_forgives_case_spaces_and_underscores(kind: Kind, name: str, expected: str) -> None:
    assert catalogue.lookup(kind, name, field="f").name == expected


def test_unknown_names_raise_with_close_matches() -> None:
    with pytest.raises(UnknownName) as raised:
        catalogue.lookup(Kind.VIDEO_INTRO, "渐显出", field="image_infos[0].in_animation")
    error = raised.value
    assert error.status == 400
    assert "渐显" in error.suggestions
    assert error.detail.startswith("image_infos[0].in_animation: unknown intro animation")
    assert '"渐显"' in error.detail
    with pytest.raises(UnknownName) as nothing_close:
        catalogue.lookup(Kind.FILTER, "zzzzzz", field="f")
    assert nothing_close.value.suggestions == ()
    assert "get_filters" in nothing_close.value.detail


def test_lookup_over_http(api: Api) -> None:
    found = api.ok("lookup_name", {"kind": "effect", "name": "1998"})
    assert found["entry"]["resource_id"] == metadata.VideoSceneEffectType._1998.value.resource_id
    response = api.post("lookup_name", {"kind": "transition", "name": "叠化x"})
    assert response.status_code == 400
    assert response.json()["code"] == "unknown_name"
    assert '"叠化"' in response.json()["detail"]


ANIMATIONS = {
    "get_text_animations": {"in": Kind.TEXT_INTRO, "out": Kind.TEXT_OUTRO, "loop": Kind.TEXT_LOOP},
    "get_image_animations": {
        "in": Kind.VIDEO_INTRO,
        "out": Kind.VIDEO_OUTRO,
        "loop": Kind.VIDEO_GROUP,
    },
}


@pytest.mark.parametrize("verb", list(ANIMATIONS))
def test_animation_lists(api: Api, verb: str) -> None:
    documented = example(verb)
    answer = api.ok(verb, documented.request)
    assert_same_shape(documented.response, answer)
    for kind_type, kind in ANIMATIONS[verb].items():
        everything = api.ok(verb, {"type": kind_type})["effects"]
        assert [e["name"] for e in everything] == [e.name for e in catalogue.entries(kind)]
        assert {e["type"] for e in everything} == {kind_type}
        vip = api.ok(verb, {"type": kind_type, "mode": 1})["effects"]
        free = api.ok(verb, {"type": kind_type, "mode": 2})["effects"]
        assert vip and free and all(e["is_vip"] for e in vip)
        assert not any(e["is_vip"] for e in free)
        assert len(vip) + len(free) == len(everything)


def test_text_animation_durations_are_the_packages(api: Api) -> None:
    effects = api.ok("get_text_animations", {"type": "in", "keyword": "变色输入"})["effects"]
    assert [(e["id"], e["duration"]) for e in effects] == [("77035159", 800_000)]


def test_effects_and_filters(api: Api) -> None:
    effects = api.ok("get_effects", {})
    scene, character = metadata.VideoSceneEffectType, metadata.VideoCharacterEffectType
    assert effects["total"] == len(effects["effects"]) == len(scene) + len(character)
    first = effects["effects"][0]
    assert (first["name"], first["category"], first["has_params"]) == ("1998", "scene", True)
    filters = api.ok("get_filters", {"mode": 2})
    assert filters["total"] == sum(1 for f in metadata.FilterType if not f.value.is_vip)
    page = api.ok("get_filters", {"offset": 10, "limit": 5})
    assert [f["name"] for f in page["filters"]] == [
        f.value.name for f in list(metadata.FilterType)[10:15]
    ]


def test_list_catalogue_covers_every_kind(api: Api) -> None:
    for kind, enum in SOURCES.items():
        listed = api.ok("list_catalogue", {"kind": kind.value})
        assert listed["total"] == len(listed["entries"]) == len(enum), kind
        assert listed["source"].startswith("pyjianyingdraft ")
