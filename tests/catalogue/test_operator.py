"""The operator's catalogue files: loaded and checked once, searched, and text effect names
resolved to ids."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from draftsmith.catalogue import operator
from draftsmith.config import Settings
from draftsmith.errors import InvalidSettings, UnknownName

STICKERS = [
    {
        "sticker": {
            "large_image": {"image_url": "https://example.com/a.png"},
            "preview_cover": "",
            "sticker_package": {"height_per_frame": 540, "size": 1000, "width_per_frame": 540},
            "sticker_type": 1,
            "track_thumbnail": "https://example.com/a-small.png",
        },
        "sticker_id": "7000000000000000001",
        "title": "Big Smile",
    },
    {"sticker": {}, "sticker_id": "7000000000000000002", "title": "smiling cat "},
    {"sticker": {}, "sticker_id": "7000000000000000003", "title": "Rain cloud"},
]
EFFECTS = [
    {"id": "7100000000000000001", "title": "Golden Glow", "is_vip": False},
    {"id": "7100000000000000002", "title": "Neon Night", "is_vip": True},
    {"id": "7100000000000000003", "title": "红黄火焰综艺花字", "is_vip": False},
]


def _write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, ensure_ascii=False), encoding="utf-8")
    return path


@pytest.fixture
def catalogue(tmp_path: Path) -> operator.OperatorCatalogue:
    return operator.load(
        _write(tmp_path / "stickers.json", STICKERS), _write(tmp_path / "effects.json", EFFECTS)
    )


def test_stickers_match_keyword_in_title_ignoring_case(
    catalogue: operator.OperatorCatalogue,
) -> None:
    found = catalogue.search_stickers("SMIL")
    assert [s.sticker_id for s in found] == ["7000000000000000001", "7000000000000000002"]
    assert found[0].sticker == STICKERS[0]["sticker"]
    assert catalogue.search_stickers("thunder") == ()


def test_text_effects_by_mode(catalogue: operator.OperatorCatalogue) -> None:
    assert [e.title for e in catalogue.text_effects_for(0)] == [e["title"] for e in EFFECTS]
    assert [e.title for e in catalogue.text_effects_for(1)] == ["Neon Night"]
    assert [e.title for e in catalogue.text_effects_for(2)] == ["Golden Glow", "红黄火焰综艺花字"]
    assert [e.title for e in catalogue.text_effects_for(0, "glow")] == ["Golden Glow"]


def test_text_effect_id_takes_ids_and_titles(catalogue: operator.OperatorCatalogue) -> None:
    assert catalogue.text_effect_id("123456") == "123456"
    assert catalogue.text_effect_id(" 7100000000000000002 ") == "7100000000000000002"
    assert catalogue.text_effect_id("红黄火焰综艺花字") == "7100000000000000003"
    assert catalogue.text_effect_id("golden_glow") == "7100000000000000001"


def test_unknown_text_effect_title_lists_close_matches(
    catalogue: operator.OperatorCatalogue,
) -> None:
    with pytest.raises(UnknownName) as caught:
        catalogue.text_effect_id("Golden Glo", field="captions_effect")
    error = caught.value
    assert error.status == 400
    assert error.suggestions == ("Golden Glow",)
    assert error.detail.startswith('captions_effect: unknown text effect "Golden Glo"')
    assert '"Golden Glow"' in error.detail


def test_without_a_catalogue_only_ids_resolve() -> None:
    empty = operator.OperatorCatalogue()
    assert empty.text_effect_id("42") == "42"
    with pytest.raises(UnknownName) as caught:
        empty.text_effect_id("Golden Glow")
    assert operator.TEXT_EFFECT_SETTING in caught.value.detail
    assert "numeric effect id" in caught.value.detail


def test_saved_verb_answers_load_too(tmp_path: Path) -> None:
    loaded = operator.load(
        _write(tmp_path / "s.json", {"code": 0, "data": STICKERS}),
        _write(tmp_path / "e.json", {"code": 0, "text_effects": EFFECTS}),
    )
    assert len(loaded.stickers) == 3
    assert len(loaded.text_effects) == 3


def test_settings_name_the_files(tmp_path: Path) -> None:
    settings = Settings(
        data_dir=tmp_path,
        sticker_catalogue=_write(tmp_path / "s.json", STICKERS),
        text_effect_catalogue=_write(tmp_path / "e.json", EFFECTS),
    )
    loaded = operator.from_settings(settings)
    assert [s.title for s in loaded.stickers] == [s["title"] for s in STICKERS]
    assert operator.from_settings(Settings(data_dir=tmp_path)) == operator.OperatorCatalogue()


@pytest.mark.parametrize(
    ("content", "problem"),
    [
        ("[{", "not valid JSON (line 1, column 3"),
        ('{"items": []}', "expected a JSON list of items, got an object"),
        ("[1]", "item 0: expected an object, got a number"),
        ('[{"title": "x"}]', "item 0: id must be a string of digits, got missing"),
        ('[{"id": "12a", "title": "x"}]', 'item 0: id must be a string of digits, got "12a"'),
        ('[{"id": "1", "title": ""}]', "item 0: title must be a non-empty string"),
        ('[{"id": "1", "title": "x", "is_vip": "no"}]', "is_vip must be true or false"),
    ],
)
def test_malformed_text_effect_file_names_file_and_problem(
    tmp_path: Path, content: str, problem: str
) -> None:
    path = tmp_path / "effects.json"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(InvalidSettings) as caught:
        operator.load(None, path)
    assert caught.value.detail.startswith(f"{operator.TEXT_EFFECT_SETTING}={path}: ")
    assert problem in caught.value.detail


@pytest.mark.parametrize(
    ("item", "problem"),
    [
        ({"sticker": [], "sticker_id": "1", "title": "x"}, "sticker must be an object"),
        ({"sticker": {}, "sticker_id": "", "title": "x"}, "sticker_id must be a string of digits"),
        ({"sticker": {}, "sticker_id": "1"}, "title must be a non-empty string"),
    ],
)
def test_malformed_sticker_item_names_its_index(
    tmp_path: Path, item: dict[str, Any], problem: str
) -> None:
    path = _write(tmp_path / "stickers.json", [STICKERS[0], item])
    with pytest.raises(InvalidSettings) as caught:
        operator.load(path, None)
    assert caught.value.detail.startswith(f"{operator.STICKER_SETTING}={path}: item 1: ")
    assert problem in caught.value.detail


def test_missing_file_names_it(tmp_path: Path) -> None:
    missing = tmp_path / "nowhere.json"
    with pytest.raises(InvalidSettings) as caught:
        operator.load(missing, None)
    assert str(missing) in caught.value.detail
    assert "cannot read the file" in caught.value.detail
