"""The editing verbs beyond media and captions: each documented example works against the
real server, the saved folder loads in pyJianYingDraft with what was added, the validator
finds no errors, and unknown names are a 400 with close matches (in strict mode)."""

from __future__ import annotations

import json
from itertools import pairwise
from pathlib import Path
from typing import Any

import pyJianYingDraft
import pytest
from pyJianYingDraft.animation import Text_animation, VideoAnimation
from pyJianYingDraft.video_segment import Transition

from draft_oracle import load_summary
from parity.reference_docs import example
from parity.saved import saved_folder
from support.api import Api
from support.media_server import MediaServer


def _items(request: dict[str, Any], key: str) -> list[dict[str, Any]]:
    value = request[key]
    items: list[dict[str, Any]] = json.loads(value) if isinstance(value, str) else value
    return items


def _segments_of(content: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [s for t in content["tracks"] if t["type"] == kind for s in t["segments"]]


@pytest.mark.parametrize(
    ("verb", "infos", "ids", "kind", "materials", "title"),
    [
        ("add_effects", "effect_infos", "effect_ids", "effect", "video_effects", "effect_title"),
        ("add_filters", "filter_infos", "filter_ids", "filter", "effects", "filter_title"),
    ],
)
def test_documented_example_adds_tracks(
    api: Api,
    tmp_path: Path,
    verb: str,
    infos: str,
    ids: str,
    kind: str,
    materials: str,
    title: str,
) -> None:
    documented = example(verb)
    draft_url = api.create_draft()
    answer = api.ok(verb, {**documented.request, "draft_url": draft_url})
    assert set(documented.response) <= set(answer)
    wanted = _items(documented.request, infos)
    assert len(answer[ids]) == len(answer["segment_ids"]) == len(wanted)
    assert [(s["start"], s["end"]) for s in answer["segment_infos"]] == [
        (w["start"], w["end"]) for w in wanted
    ]

    folder, content = saved_folder(api, draft_url, tmp_path)
    summary = load_summary(folder)
    assert kind in [name for name, _ in summary.tracks]
    assert summary.material_counts[materials] == len(wanted)
    segments = {s["id"]: s for s in _segments_of(content, kind)}
    assert set(segments) == set(answer["segment_ids"])
    for segment_id, material_id, item in zip(
        answer["segment_ids"], answer[ids], wanted, strict=True
    ):
        segment = segments[segment_id]
        assert segment["material_id"] == material_id
        assert segment["target_timerange"] == {
            "start": item["start"],
            "duration": item["end"] - item["start"],
        }
        [material] = [m for m in content["materials"][materials] if m["id"] == material_id]
        assert material["name"] == item[title].strip()
    # Overlapping items of one call go on separate tracks: no track holds an overlap.
    for track in content["tracks"]:
        spans = sorted(
            (s["target_timerange"]["start"], s["target_timerange"]["duration"])
            for s in track["segments"]
        )
        for (a, da), (b, _) in pairwise(spans):
            assert a + da <= b


def test_effect_material_is_shaped_like_pyjianyingdraft(api: Api, tmp_path: Path) -> None:
    draft = pyJianYingDraft
    draft_url = api.create_draft()
    api.ok(
        "add_effects",
        {
            "draft_url": draft_url,
            "effect_infos": [{"effect_title": "录制边框 III", "start": 0, "end": 10}],
        },
    )
    api.ok(
        "add_filters",
        {
            "draft_url": draft_url,
            "filter_infos": [{"filter_title": "森山", "start": 0, "end": 10, "intensity": 60}],
        },
    )
    _, content = saved_folder(api, draft_url, tmp_path)
    [effect] = content["materials"]["video_effects"]
    [filter_] = content["materials"]["effects"]

    reference_effect = draft.EffectSegment(
        draft.VideoSceneEffectType.from_name("录制边框 III"), draft.trange(0, 10)
    ).effect_inst.export_json()
    reference_filter = draft.FilterSegment(
        draft.FilterType.from_name("森山"), draft.trange(0, 10), 0.6
    ).material.export_json()
    for ours, theirs in ((effect, reference_effect), (filter_, reference_filter)):
        assert list(ours) == list(theirs)
        assert {k: v for k, v in ours.items() if k != "id"} == {
            k: v for k, v in theirs.items() if k != "id"
        }


@pytest.mark.parametrize(
    ("verb", "body", "field"),
    [
        (
            "add_effects",
            {"effect_infos": [{"effect_title": "录制边框 Z9", "start": 0, "end": 5}]},
            "effect_infos[0].effect_title",
        ),
        (
            "add_filters",
            {"filter_infos": [{"filter_title": "森山Z9", "start": 0, "end": 5}]},
            "filter_infos[0].filter_title",
        ),
    ],
)
def test_unknown_name_is_a_400_with_close_matches(
    api: Api, verb: str, body: dict[str, Any], field: str
) -> None:
    """In strict mode; compatible mode skips the item (tests/api/test_adjustments.py)."""
    draft_url = api.create_draft()
    response = api.post(verb, {"draft_url": draft_url, **body}, strict=True)
    assert response.status_code == 400, response.text
    detail = json.dumps(response.json(), ensure_ascii=False)
    assert field in detail
    assert "close matches" in detail
    assert api.info(draft_url)["track_count"] == 0


@pytest.mark.parametrize(
    ("verb", "item"),
    [
        ("add_effects", {"effect_infos": [{"effect_title": "录制边框 III", "start": 5, "end": 5}]}),
        ("add_filters", {"filter_infos": [{"filter_title": "森山", "start": 9, "end": 3}]}),
        (
            "add_filters",
            {"filter_infos": [{"filter_title": "森山", "start": 0, "end": 3, "intensity": 101}]},
        ),
    ],
)
def test_bad_times_and_intensity_are_400(api: Api, verb: str, item: dict[str, Any]) -> None:
    draft_url = api.create_draft()
    response = api.post(verb, {"draft_url": draft_url, **item})
    assert response.status_code == 400, response.text
    assert api.info(draft_url)["track_count"] == 0


def _one_item(request: dict[str, Any], key: str, **changes: Any) -> list[dict[str, Any]]:
    [item] = _items(request, key)
    return [{**item, **changes}]


def _check_transition(content: dict[str, Any], segment_id: str, name: str, duration: int) -> None:
    segments = {s["id"]: s for t in content["tracks"] for s in t["segments"]}
    [transition] = content["materials"]["transitions"]
    assert transition["id"] in segments[segment_id]["extra_material_refs"]
    reference = Transition(pyJianYingDraft.TransitionType.from_name(name), duration).export_json()
    assert list(transition) == list(reference)
    assert {k: v for k, v in transition.items() if k != "id"} == {
        k: v for k, v in reference.items() if k != "id"
    }


def test_documented_add_videos_transition(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    documented = example("add_videos")
    draft_url = api.create_draft()
    # The documented clip lasts 5 s; the fixture's lasts 3 s.
    infos = _one_item(
        documented.request, "video_infos", video_url=media_server.url("bars.mp4"), end=3_000_000
    )
    request = {**documented.request, "draft_url": draft_url, "video_infos": json.dumps(infos)}
    request.pop("scene_timelines", None)
    answer = api.ok("add_videos", request)
    assert set(documented.response) <= set(answer)
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert load_summary(folder).tracks == [("video", [(0, 3_000_000, 0, 3_000_000)])]
    [segment_id] = answer["segment_ids"]
    _check_transition(content, segment_id, infos[0]["transition"], infos[0]["transition_duration"])


def test_add_images_transition_defaults_to_half_a_second(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    documented = example("add_images")
    draft_url = api.create_draft()
    infos = _one_item(
        documented.request,
        "image_infos",
        image_url=media_server.url("still.png"),
        transition="叠化",
    )
    answer = api.ok(
        "add_images", {**documented.request, "draft_url": draft_url, "image_infos": infos}
    )
    assert set(documented.response) <= set(answer)
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert [kind for kind, _ in load_summary(folder).tracks] == ["video"]
    [segment_id] = answer["segment_ids"]
    _check_transition(content, segment_id, "叠化", 500_000)


@pytest.mark.parametrize(
    ("change", "expected"),
    [
        ({"transition": "叠化Z9"}, "close matches"),
        ({"transition": "叠化", "transition_duration": 99_999}, "transition_duration"),
        ({"transition": "叠化", "transition_duration": 2_500_001}, "transition_duration"),
    ],
)
def test_bad_transition_is_a_400(
    api: Api, media_server: MediaServer, change: dict[str, Any], expected: str
) -> None:
    """In strict mode; compatible mode skips an unknown name (tests/api/test_adjustments.py)."""
    draft_url = api.create_draft()
    item = {"image_url": media_server.url("still.png"), "start": 0, "end": 1_000_000, **change}
    response = api.post("add_images", {"draft_url": draft_url, "image_infos": [item]}, strict=True)
    assert response.status_code == 400, response.text
    assert expected in json.dumps(response.json(), ensure_ascii=False)
    assert api.info(draft_url)["track_count"] == 0


def _animation_entries(content: dict[str, Any], segment_id: str) -> list[dict[str, Any]]:
    segments = {s["id"]: s for t in content["tracks"] for s in t["segments"]}
    refs = segments[segment_id]["extra_material_refs"]
    entries = [m for m in content["materials"]["material_animations"] if m["id"] in refs]
    assert len(entries) == 1, (refs, entries)
    [entry] = entries
    assert list(entry) == ["id", "type", "multi_language_current", "animations"]
    assert entry["type"] == "sticker_animation"
    animations: list[dict[str, Any]] = entry["animations"]
    return animations


def _reference_animation(kind: Any, start: int, duration: int, *, video: bool) -> dict[str, Any]:
    made = VideoAnimation(kind, start, duration) if video else Text_animation(kind, start, duration)
    exported: dict[str, Any] = made.export_json()
    return exported


def test_documented_add_captions_animations(api: Api, tmp_path: Path) -> None:
    documented = example("add_captions")
    draft_url = api.create_draft()
    answer = api.ok("add_captions", {**documented.request, "draft_url": draft_url})
    assert set(documented.response) <= set(answer)
    wanted = _items(documented.request, "captions")
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert load_summary(folder).captions == [w["text"] for w in wanted]
    assert len(content["materials"]["material_animations"]) == len(wanted)
    for segment_id, item in zip(answer["segment_ids"], wanted, strict=True):
        span = item["end"] - item["start"]
        intro, outro, loop = _animation_entries(content, segment_id)
        assert intro == _reference_animation(
            pyJianYingDraft.TextIntro.from_name(item["in_animation"]),
            0,
            item["in_animation_duration"],
            video=False,
        )
        assert outro == _reference_animation(
            pyJianYingDraft.TextOutro.from_name(item["out_animation"]),
            span - item["out_animation_duration"],
            item["out_animation_duration"],
            video=False,
        )
        # The loop fills the time between intro and outro.
        loop_start = item["in_animation_duration"]
        assert loop == _reference_animation(
            pyJianYingDraft.TextLoopAnim.from_name(item["loop_animation"]),
            loop_start,
            span - loop_start - item["out_animation_duration"],
            video=False,
        )


def test_add_images_animations(api: Api, media_server: MediaServer, tmp_path: Path) -> None:
    documented = example("add_images")
    draft_url = api.create_draft()
    names = {"in_animation": "渐显", "out_animation": "渐隐"}
    first = _one_item(
        documented.request,
        "image_infos",
        image_url=media_server.url("still.png"),
        end=2_000_000,
        **names,
        out_animation_duration=300_000,
    )
    second = {
        "image_url": media_server.url("still.png"),
        "start": 2_000_000,
        "end": 4_000_000,
        "loop_animation": "晃动旋出",
    }
    request = {**documented.request, "draft_url": draft_url, "image_infos": [*first, second]}
    answer = api.ok("add_images", request)
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert load_summary(folder).tracks == [
        ("video", [(0, 2_000_000, 0, 2_000_000), (2_000_000, 2_000_000, 0, 2_000_000)])
    ]
    intro_kind = pyJianYingDraft.IntroType.from_name("渐显")
    intro, outro = _animation_entries(content, answer["segment_ids"][0])
    assert intro == _reference_animation(intro_kind, 0, intro_kind.value.duration, video=True)
    assert outro == _reference_animation(
        pyJianYingDraft.OutroType.from_name("渐隐"), 1_700_000, 300_000, video=True
    )
    [group] = _animation_entries(content, answer["segment_ids"][1])
    assert group == _reference_animation(
        pyJianYingDraft.GroupAnimationType.from_name("晃动旋出"), 0, 2_000_000, video=True
    )


@pytest.mark.parametrize(
    ("verb", "body", "expected"),
    [
        (
            "add_captions",
            {
                "captions": [
                    {"text": "hi", "start": 0, "end": 1_000_000, "in_animation": "向上滑动Z9"}
                ]
            },
            "captions[0].in_animation",
        ),
        (
            "add_images",
            {"image_infos": [{"start": 0, "end": 1_000_000, "out_animation": "渐隐Z9"}]},
            "image_infos[0].out_animation",
        ),
    ],
)
def test_bad_animation_is_a_400(
    api: Api, media_server: MediaServer, verb: str, body: dict[str, Any], expected: str
) -> None:
    """In strict mode; compatible mode skips an unknown name (tests/api/test_adjustments.py)."""
    draft_url = api.create_draft()
    for item in body.get("image_infos", []):
        item["image_url"] = media_server.url("still.png")
    response = api.post(verb, {"draft_url": draft_url, **body}, strict=True)
    assert response.status_code == 400, response.text
    detail = json.dumps(response.json(), ensure_ascii=False)
    assert expected in detail
    if "Z9" in json.dumps(body, ensure_ascii=False):
        assert "close matches" in detail
    assert api.info(draft_url)["track_count"] == 0


@pytest.mark.parametrize(
    ("scenes", "as_string"),
    [
        # The documented speed change example: 2 s of video played in 1 s (2x).
        ([{"start": 0, "end": 1_000_000}], True),
        # Slowed down, placed later than the video's own start.
        ([{"start": 500_000, "end": 4_500_000}], False),
    ],
)
def test_add_videos_scene_timelines_change_speed(
    api: Api,
    media_server: MediaServer,
    tmp_path: Path,
    scenes: list[dict[str, int]],
    as_string: bool,
) -> None:
    draft_url = api.create_draft()
    infos = [{"video_url": media_server.url("bars.mp4"), "start": 0, "end": 2_000_000}]
    answer = api.ok(
        "add_videos",
        {
            "draft_url": draft_url,
            "video_infos": json.dumps(infos),
            "scene_timelines": json.dumps(scenes) if as_string else scenes,
        },
    )
    [scene] = scenes
    scene_span = scene["end"] - scene["start"]
    assert answer["segment_infos"][0]["start"] == scene["start"]
    assert answer["segment_infos"][0]["end"] == scene["end"]
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert load_summary(folder).tracks == [("video", [(scene["start"], scene_span, 0, 2_000_000)])]
    [segment] = _segments_of(content, "video")
    speed = 2_000_000 / scene_span
    assert segment["speed"] == pytest.approx(speed)
    [speed_material] = [
        m for m in content["materials"]["speeds"] if m["id"] in segment["extra_material_refs"]
    ]
    assert speed_material["speed"] == pytest.approx(speed)
    source = segment["source_timerange"]["duration"]
    assert segment["target_timerange"]["duration"] == round(source / speed_material["speed"])


@pytest.mark.parametrize(
    ("scenes", "expected"),
    [
        ([{"start": 0, "end": 10_000}], "scene_timelines[0]"),
        ([{"start": 0, "end": 1_000_000}, {"start": 1_000_000, "end": 2_000_000}], "at most"),
        ([{"start": 5, "end": 5}], "scene_timelines[0]"),
    ],
)
def test_bad_scene_timelines_are_a_400(
    api: Api, media_server: MediaServer, scenes: list[dict[str, int]], expected: str
) -> None:
    draft_url = api.create_draft()
    infos = [{"video_url": media_server.url("bars.mp4"), "start": 0, "end": 2_000_000}]
    response = api.post(
        "add_videos", {"draft_url": draft_url, "video_infos": infos, "scene_timelines": scenes}
    )
    assert response.status_code == 400, response.text
    assert expected in response.text
    assert api.info(draft_url)["track_count"] == 0


def test_image_intro_wins_over_a_group_animation(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    """imgs_infos asks for in, out and loop at once; the editor holds a group animation or
    in/out animations, so the group animation is left out, and the answer says so."""
    draft_url = api.create_draft()
    item = {
        "image_url": media_server.url("still.png"),
        "start": 0,
        "end": 1_000_000,
        "in_animation": "渐显",
        "loop_animation": "晃动旋出",
    }
    answer = api.ok("add_images", {"draft_url": draft_url, "image_infos": [item]})
    assert [(w["field"], w["code"]) for w in answer["warnings"]] == [
        ("image_infos[0].loop_animation", "left_out")
    ]
    _, content = saved_folder(api, draft_url, tmp_path)
    [intro] = _animation_entries(content, answer["segment_ids"][0])
    assert intro["type"] == "in"
    unknown = {**item, "loop_animation": "晃动旋出Z9"}
    body = {"draft_url": draft_url, "image_infos": [unknown]}
    response = api.post("add_images", body, strict=True)
    assert response.status_code == 400, response.text
    assert "image_infos[0].loop_animation" in response.text


@pytest.mark.parametrize(
    ("helper", "names", "verb", "infos"),
    [
        ("effect_infos", {"effects": ["录制边框 III", "简约边框"]}, "add_effects", "effect_infos"),
        ("filter_infos", {"filters": ["1980", "森山"]}, "add_filters", "filter_infos"),
    ],
)
def test_helper_infos_feed_the_verb(
    api: Api, helper: str, names: dict[str, list[str]], verb: str, infos: str
) -> None:
    request = {**example(helper).request, **names}
    made = api.ok(helper, request)["infos"]
    draft_url = api.create_draft()
    added = api.ok(verb, {"draft_url": draft_url, infos: made})
    spans = [(s["start"], s["end"]) for s in added["segment_infos"]]
    assert spans == [(t["start"], t["end"]) for t in request["timelines"]]
