"""Stickers: add_sticker puts one sticker of the editor's library on a new sticker track, in
the form pyJianYingDraft writes; search_sticker and get_text_effects answer from the lists
shipped with the package (capcut-mate's), or from the operator's catalogue files instead; a
malformed catalogue file stops the server at start-up."""

from __future__ import annotations

import json
from collections.abc import Iterator
from importlib import resources
from pathlib import Path
from typing import Any

import pytest
from pyJianYingDraft import ClipSettings, StickerSegment, trange

from draft_oracle import load_script, load_summary
from draftsmith.catalogue.operator import SHIPPED_STICKERS, SHIPPED_TEXT_EFFECTS
from parity.reference_docs import example
from parity.saved import saved_folder
from support.api import Api
from support.server import ServerProcess, ServerStartError

STICKER_ID = "7326810673609018675"


def _sticker_tracks(folder: Path) -> list[tuple[list[dict[str, Any]], dict[str, str]]]:
    """Each sticker track pyJianYingDraft loads: its raw segments and the resource id of each
    segment's material (by segment id)."""
    script = load_script(folder)
    stickers = {m["id"]: m for m in script.imported_materials["stickers"]}
    tracks = []
    for track in script.imported_tracks:
        if track.track_type.name == "sticker":
            segments = track.raw_data["segments"]
            ids = {s["id"]: stickers[s["material_id"]]["resource_id"] for s in segments}
            tracks.append((segments, ids))
    return tracks


def test_documented_example_gives_documented_answer_and_a_loadable_folder(
    api: Api, tmp_path: Path
) -> None:
    documented = example("add_sticker")
    draft_url = api.create_draft(1920, 1080)
    answer = api.ok("add_sticker", {**documented.request, "draft_url": draft_url})
    assert set(documented.response) <= set(answer)
    assert answer["draft_url"] == draft_url
    assert answer["sticker_id"] == documented.request["sticker_id"] == STICKER_ID
    assert answer["duration"] == documented.response["duration"] == 5_000_000

    folder, _ = saved_folder(api, draft_url, tmp_path)
    [(segments, resource_ids)] = _sticker_tracks(folder)
    [segment] = segments
    assert segment["id"] == answer["segment_id"]
    assert resource_ids == {answer["segment_id"]: STICKER_ID}
    assert segment["target_timerange"] == {"start": 0, "duration": 5_000_000}
    script = load_script(folder)
    [track] = [t for t in script.imported_tracks if t.track_type.name == "sticker"]
    assert track.track_id == answer["track_id"]
    assert script.duration == 5_000_000


def test_folder_json_is_what_pyjianyingdraft_writes(api: Api, tmp_path: Path) -> None:
    draft_url = api.create_draft(1920, 1080)
    body = {
        "draft_url": draft_url,
        "sticker_id": STICKER_ID,
        "start": 2_000_000,
        "end": 7_000_000,
        "scale": 0.8,
        "transform_x": 200,
        "transform_y": -100,
    }
    answer = api.ok("add_sticker", body)
    _, content = saved_folder(api, draft_url, tmp_path)
    [track] = [t for t in content["tracks"] if t["type"] == "sticker"]
    [segment] = track["segments"]
    [material] = content["materials"]["stickers"]

    # Docs: pixels from the centre, y pointing down, stored in half canvas widths/heights; the
    # editor's y points up (as for images and captions).
    clip = ClipSettings(scale_x=0.8, scale_y=0.8, transform_x=200 / 960, transform_y=100 / 540)
    reference = StickerSegment(STICKER_ID, trange(2_000_000, 5_000_000), clip_settings=clip)
    expected = reference.export_json()
    assert set(segment) == {*expected, "render_index"}
    assert segment["clip"] == expected["clip"]
    assert segment["target_timerange"] == expected["target_timerange"]
    assert segment["source_timerange"] is None
    assert segment["uniform_scale"] == expected["uniform_scale"]
    assert segment["id"] == answer["segment_id"]
    assert material == {**reference.export_material(), "id": segment["material_id"]}


def test_each_call_stacks_a_new_sticker_track(api: Api, tmp_path: Path) -> None:
    draft_url = api.create_draft()
    first = api.ok(
        "add_sticker", {"draft_url": draft_url, "sticker_id": "1", "start": 0, "end": 1_000_000}
    )
    second = api.ok(
        "add_sticker",
        {"draft_url": draft_url, "sticker_id": 2, "start": 500_000, "end": 3_000_000},
    )
    assert second["sticker_id"] == "2"
    assert first["track_id"] != second["track_id"]
    info = api.info(draft_url)
    assert [t["type"] for t in info["tracks"]] == ["sticker", "sticker"]
    assert info["tracks"][1]["segments"][0]["sticker_id"] == "2"
    folder, _ = saved_folder(api, draft_url, tmp_path)
    tracks = _sticker_tracks(folder)
    assert [list(ids.values()) for _, ids in tracks] == [["1"], ["2"]]
    assert [s[0]["target_timerange"] for s, _ in tracks] == [
        {"start": 0, "duration": 1_000_000},
        {"start": 500_000, "duration": 2_500_000},
    ]


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"sticker_id": "abc"}, "sticker_id"),
        ({"sticker_id": "12 34"}, "sticker_id"),
        ({"sticker_id": ""}, "sticker_id"),
        ({"sticker_id": None}, "sticker_id"),
        ({"end": 1_000_000, "start": 1_000_000}, "end"),
        ({"end": 500_000, "start": 1_000_000}, "end"),
        ({"start": -1}, "start"),
        ({"end": None}, "end"),
        ({"scale": 0}, "scale"),
        ({"scale": -1.5}, "scale"),
        ({"transform_x": "left"}, "transform_x"),
    ],
)
def test_bad_input_is_a_400_naming_the_field(api: Api, change: dict[str, Any], field: str) -> None:
    body = {"draft_url": api.create_draft(), "sticker_id": STICKER_ID, "start": 0, "end": 10}
    body.update(change)
    body = {k: v for k, v in body.items() if v is not None}
    response = api.post("add_sticker", body)
    assert response.status_code == 400, response.text
    assert response.json()["detail"].startswith(field), response.text


def test_unknown_draft_is_a_404(api: Api) -> None:
    never_created = (
        api.create_draft().split("draft_id=")[0] + "draft_id=" + "20200101000000" + "0" * 16
    )
    deleted = api.create_draft()
    api.ok("delete_draft", {"draft_url": deleted})
    for draft_url in (never_created, deleted):
        body = {"draft_url": draft_url, "sticker_id": STICKER_ID, "start": 0, "end": 10}
        response = api.post("add_sticker", body)
        assert response.status_code == 404, response.text
        assert response.json()["detail"] == "Draft does not exist"


def _shipped(name: str) -> list[dict[str, Any]]:
    """The project's own copy of a list shipped with the package."""
    text = resources.files("draftsmith.catalogue").joinpath(name).read_text(encoding="utf-8")
    items: list[dict[str, Any]] = json.loads(text)
    return items


DOCUMENTED_STICKER = {
    "sticker": {
        "large_image": {"image_url": "https://..."},
        "preview_cover": "",
        "sticker_package": {"height_per_frame": 540, "size": 305932, "width_per_frame": 540},
        "sticker_type": 1,
        "track_thumbnail": "https://...",
    },
    "sticker_id": "7521200021564427545",
    "title": "大笑",
}
"""The item of capcut-mate's documented search_sticker answer (its image links shortened)."""
DOCUMENTED_TEXT_EFFECT_IDS = ["7539407429763796249", "7351316503771368713"]
"""The ids of capcut-mate's documented get_text_effects answer, the first two of its list."""


def test_out_of_the_box_search_sticker_answers_capcut_mates_stickers(api: Api) -> None:
    shipped = _shipped(SHIPPED_STICKERS)
    found = api.ok("search_sticker", {"keyword": DOCUMENTED_STICKER["title"]})["data"]
    assert [item["sticker_id"] for item in found] == [
        s["sticker_id"] for s in shipped if "大笑" in s["title"]
    ]
    first = found[0]
    assert set(first) == set(DOCUMENTED_STICKER)
    assert first["sticker_id"] == DOCUMENTED_STICKER["sticker_id"]
    assert first["title"] == DOCUMENTED_STICKER["title"]
    detail, documented = first["sticker"], DOCUMENTED_STICKER["sticker"]
    assert isinstance(documented, dict)
    assert set(detail) == set(documented)
    assert set(detail["sticker_package"]) == set(documented["sticker_package"])
    assert detail["sticker_type"] == documented["sticker_type"]
    for side in ("width_per_frame", "height_per_frame"):
        assert detail["sticker_package"][side] == documented["sticker_package"][side]

    people = api.ok("search_sticker", {"keyword": "人"})["data"]
    assert [item["title"] for item in people] == [s["title"] for s in shipped if "人" in s["title"]]
    assert people
    assert api.ok("search_sticker", {"keyword": "no such sticker"})["data"] == []


def test_out_of_the_box_get_text_effects_lists_capcut_mates_effects(api: Api) -> None:
    shipped = _shipped(SHIPPED_TEXT_EFFECTS)
    every = api.ok("get_text_effects", {"mode": 0})
    assert every["total"] == len(every["text_effects"]) == len(shipped) == 1673
    assert every["text_effects"] == shipped
    assert [e["id"] for e in every["text_effects"][:2]] == DOCUMENTED_TEXT_EFFECT_IDS
    assert api.ok("get_text_effects", {})["text_effects"] == shipped

    vip = api.ok("get_text_effects", {"mode": 1})
    assert vip["text_effects"] == [e for e in shipped if e["is_vip"]]
    free = api.ok("get_text_effects", {"mode": 2})
    assert free["text_effects"] == [e for e in shipped if not e["is_vip"]]
    assert vip["total"] + free["total"] == len(shipped)

    page = api.ok("get_text_effects", {"mode": 0, "offset": 1600, "limit": 50})
    assert page["total"] == len(shipped)
    assert page["text_effects"] == shipped[1600:1650]
    tail = api.ok("get_text_effects", {"offset": 1670, "limit": 50})["text_effects"]
    assert tail == shipped[1670:]
    fire = api.ok("get_text_effects", {"keyword": "火焰"})
    assert fire["text_effects"] == [e for e in shipped if "火焰" in e["title"]]


def test_a_shipped_sticker_can_be_added_and_loads(api: Api, tmp_path: Path) -> None:
    [found, *_] = api.ok("search_sticker", {"keyword": "看这里"})["data"]
    draft_url = api.create_draft(1920, 1080)
    body = {"draft_url": draft_url, "sticker_id": found["sticker_id"], "start": 0, "end": 2_000_000}
    answer = api.ok("add_sticker", body)
    folder, _ = saved_folder(api, draft_url, tmp_path)
    [(segments, resource_ids)] = _sticker_tracks(folder)
    assert resource_ids == {answer["segment_id"]: found["sticker_id"]}
    assert segments[0]["target_timerange"] == {"start": 0, "duration": 2_000_000}


def test_a_shipped_text_effect_title_styles_captions(api: Api, tmp_path: Path) -> None:
    effect = _shipped(SHIPPED_TEXT_EFFECTS)[0]
    draft_url = api.create_draft()
    caption = {"start": 0, "end": 2_000_000, "text": "Hello"}
    body = {
        "draft_url": draft_url,
        "captions": json.dumps([caption]),
        "text_effect": effect["title"],
    }
    api.ok("add_captions", body)
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert load_summary(folder).captions == ["Hello"]
    (material,) = load_script(folder).imported_materials["effects"]
    assert (material["effect_id"], material["resource_id"]) == (effect["id"], effect["id"])
    [segment] = [s for t in content["tracks"] if t["type"] == "text" for s in t["segments"]]
    assert material["id"] in segment["extra_material_refs"]


STICKERS = [
    {
        "sticker": {
            "large_image": {"image_url": "https://example.com/smile.png"},
            "preview_cover": "",
            "sticker_package": {"height_per_frame": 540, "size": 305932, "width_per_frame": 540},
            "sticker_type": 1,
            "track_thumbnail": "https://example.com/smile-small.png",
        },
        "sticker_id": "7000000000000000001",
        "title": "大笑 Big Smile",
    },
    {
        "sticker": {
            "large_image": {"image_url": "https://example.com/cat.gif"},
            "preview_cover": "",
            "sticker_package": {"height_per_frame": 280, "size": 32625, "width_per_frame": 280},
            "sticker_type": 2,
            "track_thumbnail": "https://example.com/cat-small.png",
        },
        "sticker_id": "7000000000000000002",
        "title": "smiling cat",
    },
    {"sticker": {}, "sticker_id": "7000000000000000003", "title": "rain cloud"},
]
TEXT_EFFECTS = [
    {"id": "7100000000000000001", "title": "Golden Glow", "is_vip": False},
    {"id": "7100000000000000002", "title": "Neon Night", "is_vip": True},
    {"id": "7100000000000000003", "title": "Fire Frame", "is_vip": False},
]


@pytest.fixture(scope="module")
def catalogue_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    root = tmp_path_factory.mktemp("operator-catalogue")
    stickers, effects = root / "stickers.json", root / "effects.json"
    stickers.write_text(json.dumps(STICKERS, ensure_ascii=False), encoding="utf-8")
    effects.write_text(json.dumps(TEXT_EFFECTS), encoding="utf-8")
    env = {
        "DRAFTSMITH_STICKER_CATALOGUE": str(stickers),
        "DRAFTSMITH_TEXT_EFFECT_CATALOGUE": str(effects),
    }
    with ServerProcess(root / "data", env=env) as server, Api(server.base_url) as api:
        yield api


def test_search_sticker_matches_titles_ignoring_case(catalogue_api: Api) -> None:
    documented = example("search_sticker")
    found = catalogue_api.ok("search_sticker", {"keyword": "SMIL"})["data"]
    assert found == STICKERS[:2]
    [documented_item] = documented.response["data"]
    for item in found:
        assert set(item) == set(documented_item)
        assert set(item["sticker"]) == set(documented_item["sticker"])
    # The operator's file replaces the shipped list: none of its 大笑 stickers is found.
    assert catalogue_api.ok("search_sticker", {"keyword": "大笑"})["data"] == STICKERS[:1]
    assert catalogue_api.ok("search_sticker", {"keyword": "thunder"})["data"] == []
    blank = catalogue_api.post("search_sticker", {"keyword": "   "})
    assert blank.status_code == 400 and "keyword" in blank.json()["detail"]


def test_get_text_effects_filters_by_mode(catalogue_api: Api) -> None:
    documented = example("get_text_effects")
    every = catalogue_api.ok("get_text_effects", documented.request)
    assert every["text_effects"] == TEXT_EFFECTS
    assert every["total"] == 3
    assert set(every["text_effects"][0]) == set(documented.response["text_effects"][0])
    vip = catalogue_api.ok("get_text_effects", {"mode": 1})["text_effects"]
    assert [e["title"] for e in vip] == ["Neon Night"]
    free = catalogue_api.ok("get_text_effects", {"mode": 2})["text_effects"]
    assert [e["title"] for e in free] == ["Golden Glow", "Fire Frame"]
    assert catalogue_api.ok("get_text_effects", {})["text_effects"] == TEXT_EFFECTS
    assert catalogue_api.post("get_text_effects", {"mode": 3}).status_code == 400


def test_a_catalogue_sticker_can_be_added(catalogue_api: Api, tmp_path: Path) -> None:
    [found] = catalogue_api.ok("search_sticker", {"keyword": "cloud"})["data"]
    draft_url = catalogue_api.create_draft()
    body = {"draft_url": draft_url, "sticker_id": found["sticker_id"], "start": 0, "end": 10}
    catalogue_api.ok("add_sticker", body)
    folder, _ = saved_folder(catalogue_api, draft_url, tmp_path)
    [(_, resource_ids)] = _sticker_tracks(folder)
    assert list(resource_ids.values()) == ["7000000000000000003"]


@pytest.mark.parametrize(
    ("setting", "content", "problem"),
    [
        ("DRAFTSMITH_STICKER_CATALOGUE", '[{"sticker": {}, "title": "x"}]', "item 0: sticker_id"),
        ("DRAFTSMITH_TEXT_EFFECT_CATALOGUE", "[{", "not valid JSON"),
        ("DRAFTSMITH_TEXT_EFFECT_CATALOGUE", None, "cannot read the file"),
    ],
)
def test_bad_catalogue_file_stops_serve_at_start_up(
    tmp_path: Path, setting: str, content: str | None, problem: str
) -> None:
    path = tmp_path / "catalogue.json"
    if content is not None:
        path.write_text(content, encoding="utf-8")
    with pytest.raises(ServerStartError) as caught:
        ServerProcess(tmp_path / "data", env={setting: str(path)}).stop()
    assert "exited with code 9" in str(caught.value)
    output = caught.value.output
    assert f"error: {setting}={path}: " in output
    assert problem in output
    assert "Traceback" not in output
