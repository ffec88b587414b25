"""Stickers and text effects: the lists shipped with the package by default, an operator's
files instead (loaded and checked once), searched, and text effect names resolved to ids."""

from __future__ import annotations

import json
import subprocess
import sys
from importlib import resources
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


def _package_data(name: str) -> list[dict[str, Any]]:
    """The project's own copy of a shipped list, as the installed package holds it."""
    text = resources.files("draftsmith.catalogue").joinpath(name).read_text(encoding="utf-8")
    items: list[dict[str, Any]] = json.loads(text)
    return items


def test_by_default_the_shipped_lists_are_offered() -> None:
    shipped = operator.OperatorCatalogue()
    stickers = _package_data(operator.SHIPPED_STICKERS)
    effects = _package_data(operator.SHIPPED_TEXT_EFFECTS)
    assert (len(stickers), len(effects)) == (174, 1673)
    assert [(s.sticker_id, s.title) for s in shipped.stickers] == [
        (s["sticker_id"], s["title"]) for s in stickers
    ]
    assert [(e.id, e.title, e.is_vip) for e in shipped.text_effects] == [
        (e["id"], e["title"], e["is_vip"]) for e in effects
    ]
    assert len({s.sticker_id for s in shipped.stickers}) == len(stickers)
    assert len({e.id for e in shipped.text_effects}) == len(effects)
    assert shipped == operator.NO_OPERATOR_CATALOGUE


def test_shipped_stickers_answer_capcut_mates_detail_object() -> None:
    shipped = operator.OperatorCatalogue()
    first = _package_data(operator.SHIPPED_STICKERS)[0]
    found = shipped.search_stickers(first["title"])
    assert found[0].sticker_id == first["sticker_id"]
    assert found[0].sticker == {
        "large_image": {"image_url": ""},
        "preview_cover": "",
        "sticker_package": {
            "height_per_frame": first["height_per_frame"],
            "size": 0,
            "width_per_frame": first["width_per_frame"],
        },
        "sticker_type": first["sticker_type"],
        "track_thumbnail": "",
    }
    assert {s.sticker["sticker_type"] for s in shipped.stickers} == {1, 2}


def test_shipped_text_effects_filter_by_mode_and_resolve_titles() -> None:
    shipped = operator.OperatorCatalogue()
    effects = _package_data(operator.SHIPPED_TEXT_EFFECTS)
    vip = [e["id"] for e in effects if e["is_vip"]]
    free = [e["id"] for e in effects if not e["is_vip"]]
    assert vip and free
    assert [e.id for e in shipped.text_effects_for(1)] == vip
    assert [e.id for e in shipped.text_effects_for(2)] == free
    first = effects[0]
    assert shipped.text_effect_id(f" {first['title']} ") == first["id"]
    assert shipped.text_effect_id("42") == "42"
    titles = [e["title"] for e in effects]
    repeated = next(t for t in titles if titles.count(t) > 1)
    assert shipped.text_effect_id(repeated) == effects[titles.index(repeated)]["id"]


def test_unknown_title_among_the_shipped_effects_lists_close_matches() -> None:
    title = _package_data(operator.SHIPPED_TEXT_EFFECTS)[0]["title"]
    with pytest.raises(UnknownName) as caught:
        operator.OperatorCatalogue().text_effect_id(title[:-1])
    assert title in caught.value.suggestions
    assert caught.value.detail.startswith(f'text_effect: unknown text effect "{title[:-1]}"')
    assert caught.value.detail.endswith("get_text_effects lists them all")


def test_an_operator_file_replaces_the_shipped_list_of_its_kind_only(tmp_path: Path) -> None:
    shipped_sticker = _package_data(operator.SHIPPED_STICKERS)[0]
    shipped_effect = _package_data(operator.SHIPPED_TEXT_EFFECTS)[0]

    stickers_only = operator.load(_write(tmp_path / "s.json", STICKERS), None)
    assert [s.sticker_id for s in stickers_only.stickers] == [s["sticker_id"] for s in STICKERS]
    assert stickers_only.search_stickers(shipped_sticker["title"]) == ()
    assert stickers_only.text_effect_id(shipped_effect["title"]) == shipped_effect["id"]

    effects_only = operator.load(None, _write(tmp_path / "e.json", EFFECTS))
    assert [e.id for e in effects_only.text_effects] == [e["id"] for e in EFFECTS]
    assert (
        effects_only.search_stickers(shipped_sticker["title"])[0].sticker_id
        == (shipped_sticker["sticker_id"])
    )
    # The operator's file has a title of the shipped list, under an id of its own.
    assert shipped_effect["title"] == EFFECTS[2]["title"]
    assert effects_only.text_effect_id(shipped_effect["title"]) == EFFECTS[2]["id"]
    with pytest.raises(UnknownName):
        effects_only.text_effect_id(_package_data(operator.SHIPPED_TEXT_EFFECTS)[1]["title"])


def test_an_operator_sticker_file_may_be_flat_like_the_shipped_one(tmp_path: Path) -> None:
    flat = {
        "sticker_id": "7000000000000000009",
        "title": "Wave",
        "sticker_type": 2,
        "width_per_frame": 280,
        "height_per_frame": 300,
    }
    [sticker] = operator.load(_write(tmp_path / "s.json", [flat]), None).stickers
    assert sticker.sticker["sticker_type"] == 2
    assert sticker.sticker["sticker_package"] == {
        "height_per_frame": 300,
        "size": 0,
        "width_per_frame": 280,
    }


def test_the_shipped_lists_are_read_on_first_use_and_once() -> None:
    script = """
from draftsmith.catalogue import operator
def reads():
    return operator.shipped_stickers.cache_info().misses, (
        operator.shipped_text_effects.cache_info().misses
    )
catalogue = operator.load(None, None)
print(reads())
catalogue.search_stickers("a")
catalogue.text_effects_for(0)
print(reads())
operator.load(None, None).text_effects_for(1)
print(reads())
"""
    ran = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert ran.returncode == 0, ran.stderr
    assert ran.stdout.splitlines() == ["(0, 0)", "(1, 1)", "(1, 1)"]


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
        (
            {"sticker_id": "1", "title": "x", "sticker_type": 1},
            "width_per_frame must be a whole number of at least 0, got missing",
        ),
        (
            {"sticker_id": "1", "title": "x", "sticker_type": 1.5, "width_per_frame": 1},
            "sticker_type must be a whole number of at least 0, got 1.5",
        ),
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
