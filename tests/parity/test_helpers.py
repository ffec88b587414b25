"""The workflow helper verbs answer their documented example requests as documented."""

from __future__ import annotations

import json
from itertools import pairwise
from typing import Any

import pytest

from parity.reference_docs import example
from support.api import Api
from support.media_server import MediaServer

# Where capcut-mate's docs show a key that its code (and the verb that consumes the JSON) spell
# differently, the consumer's spelling wins: see docs/api.md.
RENAMED = {"img_url": "image_url", "effect": "effect_title"}
SUCCESS = {"code": 0, "message": "success"}


def _kind(value: Any) -> str:
    if isinstance(value, bool):
        return "bool"
    if isinstance(value, int | float):
        return "number"
    return type(value).__name__


def assert_same_shape(documented: Any, answered: Any, where: str = "") -> None:
    """Every documented key is answered, with a value of the same JSON type (nulls: any)."""
    if documented is None:
        return
    assert _kind(answered) == _kind(documented), (where, documented, answered)
    if isinstance(documented, dict):
        for key, value in documented.items():
            ours = RENAMED.get(key, key)
            assert ours in answered, (where, ours, sorted(answered))
            assert_same_shape(value, answered[ours], f"{where}.{ours}")
    elif isinstance(documented, list) and documented:
        assert answered, where
        for index, item in enumerate(documented[: len(answered)]):
            assert_same_shape(item, answered[index], f"{where}[{index}]")


EXACT = [
    "str_to_list",
    "str_list_to_objs",
    "objs_to_str_list",
    "timelines",
    "audio_timelines",
    "get_url",
]
EXACT_INFOS = ["caption_infos", "filter_infos"]
SAME_SHAPE_INFOS = ["imgs_infos", "video_infos", "audio_infos", "effect_infos"]


@pytest.mark.parametrize("verb", EXACT)
def test_documented_example_gives_documented_answer(api: Api, verb: str) -> None:
    documented = example(verb)
    answer = api.ok(verb, documented.request)
    # Nothing in a documented example needs adjusting; verbs that read numbers say so.
    assert answer.pop("warnings", []) == []
    assert answer == {**documented.response, **SUCCESS}


@pytest.mark.parametrize("verb", EXACT_INFOS)
def test_documented_infos_are_reproduced(api: Api, verb: str) -> None:
    documented = example(verb)
    answer = api.ok(verb, documented.request)
    assert json.loads(answer["infos"]) == json.loads(documented.response["infos"])


@pytest.mark.parametrize("verb", SAME_SHAPE_INFOS)
def test_documented_infos_have_documented_shape(api: Api, verb: str) -> None:
    documented = example(verb)
    answer = api.ok(verb, documented.request)
    assert_same_shape(documented.response, answer)
    infos = json.loads(answer["infos"])
    assert_same_shape(json.loads(documented.response["infos"]), infos, verb)
    assert len(infos) == len(documented.request["timelines"])
    for info, timeline in zip(infos, documented.request["timelines"], strict=True):
        assert (info["start"], info["end"]) == (timeline["start"], timeline["end"])
        assert info["duration"] == timeline["end"] - timeline["start"]


def test_imgs_infos_feed_add_images(api: Api, media_server: MediaServer) -> None:
    documented = example("imgs_infos")
    request = {**documented.request, "imgs": [media_server.url("still.png")] * 2}
    infos = api.ok("imgs_infos", request)["infos"]
    draft_url = api.create_draft()
    added = api.ok("add_images", {"draft_url": draft_url, "image_infos": infos})
    spans = [(s["start"], s["end"]) for s in added["segment_infos"]]
    assert spans == [(t["start"], t["end"]) for t in request["timelines"]]


def test_keyframes_infos_place_offsets_in_each_segment(api: Api) -> None:
    documented = example("keyframes_infos")
    answer = api.ok("keyframes_infos", documented.request)
    assert_same_shape(documented.response, answer)
    keyframes = json.loads(answer["keyframes_infos"])
    assert_same_shape(json.loads(documented.response["keyframes_infos"]), keyframes)
    assert [k["offset"] for k in keyframes] == [0, 2_500_000, 5_000_000]
    assert {k["property"] for k in keyframes} == {documented.request["ctype"]}
    percent = {**documented.request, "offsets": "0|50|100", "values": "0|0.5|1"}
    assert api.ok("keyframes_infos", percent)["keyframes_infos"] == answer["keyframes_infos"]


def test_lists_may_be_json_strings(api: Api) -> None:
    documented = example("imgs_infos").request
    encoded = {
        **documented,
        "imgs": json.dumps(documented["imgs"]),
        "timelines": json.dumps(documented["timelines"]),
    }
    assert api.ok("imgs_infos", encoded) == api.ok("imgs_infos", documented)


def test_animation_names_alternate_over_items(api: Api) -> None:
    timelines = [{"start": i, "end": i + 1} for i in range(3)]
    body = {"imgs": ["a", "b", "c"], "timelines": timelines, "in_animation": "渐显|放大"}
    infos = json.loads(api.ok("imgs_infos", body)["infos"])
    assert [i["in_animation"] for i in infos] == ["渐显", "放大", "渐显"]


def test_random_timelines_cover_the_span_and_repeat(api: Api) -> None:
    body = {"duration": 10_000_000, "num": 4, "start": 2_000_000, "type": 1}
    first = api.ok("timelines", body)
    assert first == api.ok("timelines", {**body, "type": "random"})
    pieces = first["timelines"]
    assert pieces[0]["start"] == 2_000_000 and pieces[-1]["end"] == 12_000_000
    assert all(a["end"] == b["start"] for a, b in pairwise(pieces))
    assert all(p["end"] > p["start"] for p in pieces)
    assert first["all_timelines"] == [{"start": 2_000_000, "end": 12_000_000}]


def test_audio_durations_are_measured(api: Api, media_server: MediaServer) -> None:
    documented = example("get_audio_duration")
    request = {**documented.request, "mp3_url": media_server.url("tone.mp3")}
    answer = api.ok("get_audio_duration", request)
    assert_same_shape(documented.response, answer)
    assert abs(answer["duration"] - 3_000_000) < 100_000
    tone = media_server.url("tone.mp3")
    links = [tone, {"url": tone, "duration": 1_000_000}]
    pieces = api.ok("audio_timelines", {"links": links})["timelines"]
    assert pieces == [
        {"start": 0, "end": answer["duration"]},
        {"start": answer["duration"], "end": answer["duration"] + 1_000_000},
    ]
