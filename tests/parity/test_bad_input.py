"""Bad input to the helper and catalogue verbs is a 400 whose detail names the field."""

from __future__ import annotations

from typing import Any

import pytest

from support.api import Api
from support.media_server import MediaServer

SPAN = [{"start": 0, "end": 1_000_000}]
TWO_SPANS = [{"start": 0, "end": 1_000_000}, {"start": 1_000_000, "end": 2_000_000}]

CASES: list[tuple[str, dict[str, Any], str]] = [
    ("str_to_list", {}, "obj"),
    ("str_to_list", {"obj": {"a": 1}}, "obj"),
    ("str_list_to_objs", {"infos": "not json"}, "infos"),
    ("objs_to_str_list", {"outputs": [{"out": "x"}]}, "outputs[0].output"),
    ("get_url", {}, "output"),
    ("timelines", {"num": 3}, "duration"),
    ("timelines", {"duration": 0, "num": 3}, "duration"),
    ("timelines", {"duration": 10, "num": 0}, "num"),
    ("timelines", {"duration": 2, "num": 3}, "num"),
    ("timelines", {"duration": 10, "num": 2, "start": -1}, "start"),
    ("timelines", {"duration": 10, "num": 2, "type": "sideways"}, "type"),
    ("audio_timelines", {"links": []}, "links"),
    ("audio_timelines", {"links": [{"url": "x", "duration": 0}]}, "links[0].duration"),
    ("audio_timelines", {"links": [{"duration": 5}]}, "links[0].url"),
    ("imgs_infos", {"imgs": ["a", "b"], "timelines": SPAN}, "imgs"),
    ("imgs_infos", {"imgs": ["a"]}, "timelines"),
    ("imgs_infos", {"imgs": ["a"], "timelines": [{"start": 5, "end": 5}]}, "timelines[0].end"),
    ("imgs_infos", {"imgs": ["a"], "timelines": SPAN, "width": 0}, "width"),
    ("video_infos", {"video_urls": ["a"], "timelines": SPAN, "volume": 3}, "volume"),
    ("video_infos", {"video_urls": ["a"], "timelines": TWO_SPANS}, "video_urls"),
    ("audio_infos", {"mp3_urls": ["a"], "timelines": [{"start": -1, "end": 1}]}, "timelines[0]"),
    ("caption_infos", {"texts": [], "timelines": SPAN}, "texts"),
    ("caption_infos", {"texts": ["a"], "timelines": SPAN, "keyword_color": "red"}, "keyword_color"),
    ("effect_infos", {"effects": ["a"], "timelines": TWO_SPANS}, "effects"),
    ("filter_infos", {"filters": ["a"], "timelines": SPAN, "intensities": [150]}, "intensities[0]"),
    ("filter_infos", {"filters": ["a"], "timelines": SPAN, "intensities": [1, 2]}, "intensities"),
    ("keyframes_infos", {"ctype": "x", "offsets": [0, 1], "values": [1]}, "segment_infos"),
    (
        "keyframes_infos",
        {
            "ctype": "x",
            "offsets": [0, 1],
            "values": [1],
            "segment_infos": [{"id": "s", "start": 0, "end": 10}],
        },
        "offsets",
    ),
    (
        "keyframes_infos",
        {
            "ctype": "x",
            "offsets": [2],
            "values": [1],
            "segment_infos": [{"id": "s", "start": 0, "end": 10}],
        },
        "offsets[0]",
    ),
    (
        "keyframes_infos",
        {
            "ctype": "x",
            "offsets": "0|abc",
            "values": "1|2",
            "segment_infos": [{"id": "s", "start": 0, "end": 10}],
        },
        "offsets",
    ),
    (
        "keyframes_infos",
        {
            "ctype": "x",
            "offsets": [0.5] * 101,
            "values": [1] * 101,
            "segment_infos": [{"id": str(i), "start": 0, "end": 10} for i in range(100)],
        },
        "segment_infos",
    ),
    ("get_audio_duration", {}, "mp3_url"),
    ("get_audio_duration", {"mp3_url": "ftp://example.com/a.mp3"}, "mp3_url"),
    ("get_text_animations", {"mode": 0}, "type"),
    ("get_text_animations", {"type": "sideways"}, "type"),
    ("get_image_animations", {"type": "in", "mode": 3}, "mode"),
    ("get_effects", {"mode": -1}, "mode"),
    ("get_filters", {"limit": 0}, "limit"),
    ("get_text_effects", {"mode": 9}, "mode"),
    ("search_sticker", {}, "keyword"),
    ("list_catalogue", {"kind": "spells"}, "kind"),
    ("lookup_name", {"kind": "filter"}, "name"),
]


@pytest.mark.parametrize(("verb", "body", "field"), CASES)
def test_bad_input_names_the_field(api: Api, verb: str, body: dict[str, Any], field: str) -> None:
    response = api.post(verb, body)
    assert response.status_code == 400, (verb, body, response.text)
    error = response.json()
    assert set(error) == {"detail", "code"}
    assert field in error["detail"], (verb, body, error)


def test_audio_duration_of_a_file_without_audio(api: Api, media_server: MediaServer) -> None:
    response = api.post("get_audio_duration", {"mp3_url": media_server.url("still.png")})
    assert response.status_code == 400, response.text
    assert "mp3_url" in response.json()["detail"]


def test_easy_create_material_needs_audio(api: Api, media_server: MediaServer) -> None:
    draft_url = api.create_draft()
    for audio in ({}, {"audio_url": "null"}, {"audio_url": " "}):
        response = api.post("easy_create_material", {"draft_url": draft_url, **audio})
        assert response.status_code == 400, response.text
        assert "audio_url" in response.json()["detail"]
    missing = {"audio_url": media_server.url("tone.mp3")}
    assert api.post("easy_create_material", missing).json()["code"] == "draft_url_required"
