"""Compatible by default, strict on request: requests capcut-mate accepts succeed with the
adjustment said in `warnings`; strict mode (the header, the setting) refuses them with the 400
such requests got before; the draft keeps each adjustment with its segment, and
get_draft_info, validate_draft and the saved folder (read by pyJianYingDraft) agree."""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyJianYingDraft
import pytest
from pyJianYingDraft.audio_segment import AudioEffect as ReferenceAudioEffect

from draft_oracle import load_summary
from parity.saved import saved_folder
from support.api import SECOND, Api, ApiOpener
from support.media_server import MediaServer
from support.server import ServerProcess

Body = Callable[[str, MediaServer], dict[str, Any]]
"""A request body for a draft (its draft_url), with media from the media server."""


def _video(m: MediaServer, **item: Any) -> list[dict[str, Any]]:
    return [{"video_url": m.url("bars.mp4"), "start": 0, "end": SECOND, **item}]


def _image(m: MediaServer, **item: Any) -> list[dict[str, Any]]:
    return [{"image_url": m.url("still.png"), "start": 0, "end": SECOND, **item}]


def _caption(**item: Any) -> list[dict[str, Any]]:
    return [{"text": "hello world", "start": 0, "end": SECOND, **item}]


@dataclass(frozen=True)
class Case:
    """One kind of request capcut-mate accepts and draftsmith adjusts."""

    verb: str
    body: Body
    warnings: tuple[tuple[str, str], ...]
    """(field, code) of each warning, in order."""
    refusal: tuple[str, str]
    """The strict 400's `code` and the start of its `detail`."""


CASES = {
    "audio-longer-than-media": Case(
        "add_audios",
        lambda d, m: {
            "draft_url": d,
            # A JSON string, as capcut-mate's clients send it; the file lasts 3 s.
            "audio_infos": json.dumps(
                [{"audio_url": m.url("tone.mp3"), "start": 0, "end": 5 * SECOND}]
            ),
        },
        (("audio_infos[0].end", "clamped_to_media"),),
        (
            "invalid_input",
            "audio_infos[0]: the segment lasts 5000000 us but the audio lasts 3000000 us; "
            "shorten end - start",
        ),
    ),
    "unknown-audio-effect": Case(
        "add_audios",
        lambda d, m: {
            "draft_url": d,
            # capcut-mate's documented example: a name the editor's catalogue does not have.
            "audio_infos": [
                {
                    "audio_url": m.url("tone.mp3"),
                    "start": 0,
                    "end": SECOND,
                    "audio_effect": "reverb",
                }
            ],
        },
        (("audio_infos[0].audio_effect", "unknown_name_skipped"),),
        ("unknown_name", 'audio_infos[0].audio_effect: unknown audio effect "reverb"'),
    ),
    "video-longer-than-media": Case(
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": _video(m, start=SECOND, end=6 * SECOND)},
        (("video_infos[0].end", "clamped_to_media"),),
        (
            "invalid_input",
            "video_infos[0]: the segment lasts 5000000 us but the video lasts 3000000 us",
        ),
    ),
    "unknown-transition": Case(
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": _video(m, transition="溶解")},
        (("video_infos[0].transition", "unknown_name_skipped"),),
        ("unknown_name", 'video_infos[0].transition: unknown transition "溶解"; close matches'),
    ),
    "unknown-video-mask": Case(
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": _video(m, mask="blob")},
        (("video_infos[0].mask", "unknown_name_skipped"),),
        ("unknown_name", 'video_infos[0].mask: unknown mask "blob"'),
    ),
    "unknown-image-animation": Case(
        "add_images",
        lambda d, m: {"draft_url": d, "image_infos": _image(m, in_animation="渐显Z9")},
        (("image_infos[0].in_animation", "unknown_name_skipped"),),
        ("unknown_name", 'image_infos[0].in_animation: unknown intro animation "渐显Z9"'),
    ),
    "image-loop-with-intro": Case(
        "add_images",
        lambda d, m: {
            "draft_url": d,
            "image_infos": _image(m, in_animation="渐显", loop_animation="晃动旋出"),
        },
        (("image_infos[0].loop_animation", "left_out"),),
        ("invalid_input", "image_infos[0].loop_animation: the editor cannot combine"),
    ),
    "unknown-caption-animation": Case(
        "add_captions",
        lambda d, m: {"draft_url": d, "captions": _caption(loop_animation="弹幕滚动Z9")},
        (("captions[0].loop_animation", "unknown_name_skipped"),),
        ("unknown_name", 'captions[0].loop_animation: unknown text loop animation "弹幕滚动Z9"'),
    ),
    "unknown-font": Case(
        "add_captions",
        lambda d, m: {"draft_url": d, "captions": _caption(), "font": "nope-font"},
        (("font", "unknown_name_skipped"),),
        ("unknown_name", 'font: unknown font "nope-font"'),
    ),
    "unknown-keyword-font": Case(
        "add_captions",
        lambda d, m: {
            "draft_url": d,
            "captions": _caption(keyword="world", keyword_font="思源中宋体X"),
            "font": "思源中宋",
        },
        (("captions[0].keyword_font", "unknown_name_skipped"),),
        ("unknown_name", 'captions[0].keyword_font: unknown font "思源中宋体X"; close matches'),
    ),
    "unknown-text-effect": Case(
        "add_captions",
        lambda d, m: {"draft_url": d, "captions": _caption(), "text_effect": "白字橘色发光Z9"},
        (("text_effect", "unknown_name_skipped"),),
        ("unknown_name", 'text_effect: unknown text effect "白字橘色发光Z9"'),
    ),
    "float-times": Case(
        "add_captions",
        lambda d, m: {"draft_url": d, "captions": _caption(start=0.4, end=1_000_000.6)},
        (("captions[0].start", "number_rounded"), ("captions[0].end", "number_rounded")),
        (
            "invalid_input",
            "captions[0].start: Input should be a valid integer, got a number with a fractional "
            "part",
        ),
    ),
    "float-sticker-time": Case(
        "add_sticker",
        lambda d, m: {
            "draft_url": d,
            "sticker_id": "7326810673609018675",
            "start": 0,
            "end": 2.5e6 + 0.5,
        },
        (("end", "number_rounded"),),
        ("invalid_input", "end: Input should be a valid integer"),
    ),
    "numbers-as-strings": Case(
        "add_captions",
        lambda d, m: {
            "draft_url": d,
            "captions": json.dumps([{"text": "hi", "start": "0", "end": " 1000000.6 "}]),
        },
        (
            ("captions[0].start", "number_from_string"),
            ("captions[0].end", "number_from_string"),
            ("captions[0].end", "number_rounded"),
        ),
        ("invalid_input", "captions[0].start: Value error, must be an integer, not a string"),
    ),
}


@pytest.fixture(scope="module")
def strict_server(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    """A server set strict (DRAFTSMITH_STRICT=1)."""
    env = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1", "DRAFTSMITH_STRICT": "1"}
    with ServerProcess(tmp_path_factory.mktemp("strict"), env=env) as process:
        yield process


def _segment_warnings(api: Api, draft_url: str) -> dict[str, list[tuple[str, str]]]:
    """(field, code) of every warning get_draft_info lists, by segment id."""
    return {
        segment["id"]: [(w["field"], w["code"]) for w in segment["warnings"]]
        for track in api.info(draft_url)["tracks"]
        for segment in track["segments"]
    }


def _refused(response: Any, case: Case) -> None:
    assert response.status_code == 400, response.text
    code, detail = case.refusal
    assert response.json()["code"] == code, response.text
    assert response.json()["detail"].startswith(detail), response.text


@pytest.mark.parametrize("name", list(CASES))
def test_compatible_by_default_strict_on_request(
    api: Api, media_server: MediaServer, tmp_path: Path, name: str
) -> None:
    case = CASES[name]
    draft_url = api.create_draft()
    body = case.body(draft_url, media_server)

    _refused(api.post(case.verb, body, strict=True), case)
    assert api.info(draft_url)["track_count"] == 0

    answer = api.ok(case.verb, body)
    warnings = answer["warnings"]
    assert [(w["field"], w["code"]) for w in warnings] == list(case.warnings)
    assert all(w["message"].startswith(w["field"]) for w in warnings), warnings
    segment_ids = answer.get("segment_ids") or [answer["segment_id"]]
    kept = _segment_warnings(api, draft_url)
    assert {s: kept[s] for s in segment_ids} == {s: list(case.warnings) for s in segment_ids}

    saved_folder(api, draft_url, tmp_path)
    report = api.ok("validate_draft", {"draft_url": draft_url})
    assert report["valid"] is True
    assert [(w["segment_id"], w["field"], w["code"]) for w in report["warnings"]] == [
        (segment_id, field, code) for segment_id in segment_ids for field, code in case.warnings
    ]


@pytest.mark.parametrize(
    "name", ["audio-longer-than-media", "unknown-font", "float-times", "numbers-as-strings"]
)
def test_the_strict_setting_and_the_header_that_overrides_it(
    strict_server: ServerProcess, apis: ApiOpener, media_server: MediaServer, name: str
) -> None:
    case = CASES[name]
    api = apis(strict_server.base_url)
    draft_url = api.create_draft()
    body = case.body(draft_url, media_server)
    _refused(api.post(case.verb, body), case)
    _refused(api.post(case.verb, body, strict=True), case)
    assert api.info(draft_url)["track_count"] == 0
    answer = api.ok(case.verb, body, strict=False)
    assert [(w["field"], w["code"]) for w in answer["warnings"]] == list(case.warnings)


def test_a_bad_strict_header_is_a_400(api: Api) -> None:
    draft_url = api.create_draft()
    response = api.http.post(
        api.url("add_captions"),
        json={"draft_url": draft_url, "captions": _caption()},
        headers={"X-Draftsmith-Strict": "maybe"},
    )
    assert response.status_code == 400
    assert "X-Draftsmith-Strict must be 1 or 0" in response.json()["detail"]


def test_clamped_segments_load_in_pyjianyingdraft(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    """Audio ends start + the file's length; video plays all of the file from start."""
    draft_url = api.create_draft()
    audio = [{"audio_url": media_server.url("tone.mp3"), "start": SECOND, "end": 9 * SECOND}]
    answer = api.ok("add_audios", {"draft_url": draft_url, "audio_infos": audio})
    assert answer["segment_infos"][0]["end"] == 4 * SECOND
    videos = _video(media_server, start=2 * SECOND, end=7 * SECOND)
    answer = api.ok("add_videos", {"draft_url": draft_url, "video_infos": videos})
    assert answer["segment_infos"][0]["end"] == 5 * SECOND
    folder, _ = saved_folder(api, draft_url, tmp_path)
    summary = load_summary(folder)
    assert ("audio", [(SECOND, 3 * SECOND, 0, 3 * SECOND)]) in summary.tracks
    assert ("video", [(2 * SECOND, 3 * SECOND, 0, 3 * SECOND)]) in summary.tracks


def test_booleans_are_not_numbers_in_either_mode(api: Api, media_server: MediaServer) -> None:
    draft_url = api.create_draft()
    for strict in (None, True):
        response = api.post(
            "add_captions",
            {"draft_url": draft_url, "captions": _caption(start=True), "alpha": False},
            strict=strict,
        )
        assert response.status_code == 400, response.text
        assert "must be a number, not true or false" in response.json()["detail"]


def test_keyframe_offsets_as_fractions_and_microseconds(
    api: Api, media_server: MediaServer
) -> None:
    """capcut-mate's add_keyframes reads offset 0-1 as a fraction of the segment; above 1 it
    is microseconds (draftsmith's keyframes_infos), a fraction of one rounded."""
    draft_url = api.create_draft()
    video = api.ok("add_videos", {"draft_url": draft_url, "video_infos": _video(media_server)})
    [segment_id] = video["segment_ids"]
    keyframes = [
        {"segment_id": segment_id, "property": "opacity", "offset": 0.5, "value": 0.5},
        {"segment_id": segment_id, "property": "opacity", "offset": 250_000.5, "value": 1},
    ]
    body = {"draft_url": draft_url, "keyframes": json.dumps(keyframes)}
    refused = api.post("add_keyframes", body, strict=True)
    assert refused.status_code == 400, refused.text
    assert refused.json()["detail"].startswith("keyframes[1].offset: Input should be a valid")
    answer = api.ok("add_keyframes", body)
    assert answer["keyframes_added"] == 2
    assert [(w["field"], w["code"]) for w in answer["warnings"]] == [
        ("keyframes[1].offset", "number_rounded")
    ]
    assert _segment_warnings(api, draft_url)[segment_id] == [
        ("keyframes[1].offset", "number_rounded")
    ]


def _mask_config(folder: Path) -> dict[str, Any]:
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    [mask] = content["materials"]["masks"]
    config: dict[str, Any] = mask["config"]
    return config


def _reference_mask(folder: Path, kind: Any, **shape: Any) -> dict[str, Any]:
    """pyJianYingDraft's own mask config for the draft's one video file."""
    [video] = (folder / "assets").rglob("*.mp4")
    segment = pyJianYingDraft.VideoSegment(str(video), pyJianYingDraft.trange(0, SECOND))
    segment.add_mask(kind, **shape)
    config: dict[str, Any] = segment.mask.export_json()["config"]
    return config


@pytest.mark.parametrize(
    ("given", "expected"),
    [
        # Left out: capcut-mate's defaults, read by its code as pixels: 512 px at the centre.
        ({}, {"center_x": 0, "center_y": 0, "size": 512 / 240}),
        # Pixels of the 320 x 240 material from its centre (y up), as capcut-mate's code reads
        # them; feather and roundCorner as percentages.
        (
            {
                "name": "矩形",
                "X": 80,
                "Y": -60,
                "width": 160,
                "height": 120,
                "feather": 20,
                "roundCorner": 30,
            },
            {
                "center_x": 80,
                "center_y": -60,
                "size": 0.5,
                "rect_width": 0.5,
                "feather": 20,
                "round_corner": 30,
            },
        ),
        # Fractions of the frame from its top left, as capcut-mate's docs give them.
        (
            {"name": "矩形", "X": 0.75, "Y": 0.25, "width": 0.5, "height": 0.5, "feather": 0.2},
            {"center_x": 80, "center_y": 60, "size": 0.5, "rect_width": 0.5, "feather": 20},
        ),
    ],
)
def test_add_masks_units_and_defaults(
    api: Api,
    media_server: MediaServer,
    tmp_path: Path,
    given: dict[str, Any],
    expected: dict[str, Any],
) -> None:
    draft_url = api.create_draft()
    video = api.ok("add_videos", {"draft_url": draft_url, "video_infos": _video(media_server)})
    body = {"draft_url": draft_url, "segment_ids": video["segment_ids"], **given}
    answer = api.ok("add_masks", body)
    left_out = [name for name in ("name", "X", "Y", "width", "height") if name not in given]
    assert [(w["field"], w["code"]) for w in answer["warnings"]] == [
        (name, "default_applied") for name in left_out
    ]
    if left_out:
        refused = api.post("add_masks", body, strict=True)
        assert refused.status_code == 400, refused.text
        assert (
            refused.json()["detail"] == "name: Field required; X: Field required; Y: Field required"
        )
    folder, _ = saved_folder(api, draft_url, tmp_path)
    kind = pyJianYingDraft.MaskType.from_name(given.get("name", "线性"))
    reference = _reference_mask(folder, kind, **expected)
    assert _mask_config(folder) == pytest.approx(reference)


def test_style_text_draws_add_text_styles_answer(api: Api, tmp_path: Path) -> None:
    styled = api.ok(
        "add_text_style",
        {"text": "五个快乐到死的顶级思维", "keyword": "快乐|顶级思维", "keyword_color": "#00ff00"},
    )["text_style"]
    draft_url = api.create_draft()
    captions = [
        {"text": styled, "start": 0, "end": SECOND},
        _caption(start=SECOND, end=2 * SECOND)[0],
    ]
    answer = api.ok(
        "add_captions", {"draft_url": draft_url, "captions": captions, "style_text": True}
    )
    # The second caption's text is not a text_style: shown as it is, and said.
    assert [(w["field"], w["code"]) for w in answer["warnings"]] == [
        ("captions[1].text", "left_out")
    ]
    folder, content = saved_folder(api, draft_url, tmp_path)
    assert load_summary(folder).captions == ["五个快乐到死的顶级思维", "hello world"]
    [first, _] = content["materials"]["texts"]
    runs = json.loads(first["content"])["styles"]
    green = [r["range"] for r in runs if r["fill"]["content"]["solid"]["color"] == [0.0, 1.0, 0.0]]
    assert green == [[2, 4], [7, 11]]


def test_the_openapi_document_states_warnings_and_the_header(api: Api) -> None:
    document = api.http.get(f"{api.base_url}/openapi.json").json()
    schemas = document["components"]["schemas"]
    for name in (
        "AddVideosResponse",
        "AddCaptionsResponse",
        "AddMasksResponse",
        "AddKeyframesResponse",
        "AddStickerResponse",
    ):
        warnings = schemas[name]["properties"]["warnings"]
        assert warnings["items"]["$ref"].endswith("/Warning"), (name, warnings)
    assert set(schemas["Warning"]["required"]) == {"field", "code", "message"}
    segment = schemas["SegmentView"]["properties"]["warnings"]
    assert segment["items"]["$ref"].endswith("/Warning")
    validate = schemas["ValidateDraftResponse"]["properties"]["warnings"]
    assert [item["$ref"].rsplit("/", 1)[1] for item in validate["items"]["anyOf"]] == [
        "SegmentWarning",
        "Warning",
    ]
    verb = document["paths"]["/openapi/capcut-mate/v1/add_videos"]["post"]
    [header] = [p for p in verb["parameters"] if p["name"] == "X-Draftsmith-Strict"]
    assert header["in"] == "header"
    assert "strict" in header["description"]
    # Every value the server reads is in the document, and nothing else (fuzzing checks both).
    pattern = header["schema"]["pattern"]
    for taken in ("1", "0", "TRUE", "off", "Yes", ""):
        assert re.search(pattern, taken), taken
    for refused in ("maybe", "10", "y"):
        assert not re.search(pattern, refused), refused
    # capcut-mate's numbers: a time is any JSON number (a fraction is rounded), or that
    # number as a string of decimals.
    number, text = schemas["VideoInfo"]["properties"]["end"]["anyOf"]
    assert number["type"] == "number"
    assert number["minimum"] == 0
    assert text["type"] == "string"
    assert re.fullmatch(text["pattern"].strip("^$"), " 1000000.5 ")
    assert not re.search(text["pattern"], "1e6")
    assert text["maxLength"] <= 64


def test_numbers_as_strings_with_their_bounds(api: Api, media_server: MediaServer) -> None:
    """capcut-mate (pydantic's lax mode) reads "640" as 640 wherever it takes a number; so
    does every verb here, its answer saying so where it has `warnings`, and the field's bounds
    still apply. Nothing else passes for a number."""
    created = api.ok("create_draft", {"width": "640", "height": " 360.0 "})
    draft_url = created["draft_url"]
    assert api.info(draft_url)["width"] == 640
    assert api.info(draft_url)["height"] == 360
    refused = api.post("create_draft", {"width": "640"}, strict=True)
    assert refused.status_code == 400, refused.text
    assert refused.json()["detail"] == "width: Value error, must be an integer, not a string"
    too_wide = api.post("create_draft", {"width": "99999"})
    assert too_wide.status_code == 400, too_wide.text
    assert too_wide.json()["detail"].startswith("width: Input should be less than or equal to")
    for bad in ("", "abc", "nan", "inf", "-inf", "1e3", "0x10", "1_000", "9" * 64, "٣"):
        response = api.post("create_draft", {"width": bad})
        assert response.status_code == 400, (bad, response.text)
        assert response.json()["detail"].startswith(
            "width: Value error, must be an integer, or a string holding one in decimals"
        ), (bad, response.text)
    half = api.post("create_draft", {"width": "640.5"})
    assert half.status_code == 400, half.text
    assert "fractional part" in half.json()["detail"]

    # Top-level fields and the items of a JSON-string list, each with its own warning.
    videos = _video(media_server, start="0", end="1000000", volume="0.5")
    answer = api.ok(
        "add_videos", {"draft_url": draft_url, "video_infos": json.dumps(videos), "alpha": "0.5"}
    )
    assert [(w["field"], w["code"]) for w in answer["warnings"]] == [
        ("alpha", "number_from_string"),
        ("video_infos[0].start", "number_from_string"),
        ("video_infos[0].end", "number_from_string"),
        ("video_infos[0].volume", "number_from_string"),
    ]
    assert answer["warnings"][0]["message"] == "alpha: the string '0.5' is read as the number 0.5"
    assert answer["segment_infos"] == [{"id": answer["segment_ids"][0], "start": 0, "end": SECOND}]
    loud = api.post("add_videos", {"draft_url": draft_url, "video_infos": videos, "alpha": "2"})
    assert loud.status_code == 400, loud.text
    assert loud.json()["detail"].startswith("alpha: Input should be less than or equal to 1")

    # A list of numbers in a JSON string (filter_infos' intensities).
    infos = api.ok(
        "filter_infos",
        {
            "filters": ["森山"],
            "timelines": [{"start": "0", "end": "1000000"}],
            "intensities": '["60"]',
        },
    )
    assert json.loads(infos["infos"])[0]["intensity"] == 60
    refused = api.post(
        "filter_infos",
        {"filters": ["森山"], "timelines": [{"start": 0, "end": 1}], "intensities": ["60"]},
        strict=True,
    )
    assert refused.status_code == 400, refused.text
    assert refused.json()["detail"] == "intensities[0]: Value error, must be a number, not a string"


KNOWN_EFFECT = "录制边框 III"


def test_unknown_effect_names_skip_their_items(api: Api, tmp_path: Path) -> None:
    """An effect or filter the catalogue does not know is skipped, as capcut-mate skips it:
    the other items are added; names match ignoring case, spaces and underscores."""
    draft_url = api.create_draft()
    effects = [
        {"effect_title": "录制边框_iii", "start": 0, "end": SECOND},
        {"effect_title": "录制边框 Z9", "start": SECOND, "end": 2 * SECOND},
    ]
    body = {"draft_url": draft_url, "effect_infos": effects}
    refused = api.post("add_effects", body, strict=True)
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "unknown_name"
    assert refused.json()["detail"].startswith(
        'effect_infos[1].effect_title: unknown effect "录制边框 Z9"; close matches: "录制边框'
    )
    assert api.info(draft_url)["track_count"] == 0

    answer = api.ok("add_effects", body)
    [warning] = answer["warnings"]
    assert (warning["field"], warning["code"]) == (
        "effect_infos[1].effect_title",
        "unknown_name_skipped",
    )
    assert "close matches" in warning["message"]
    assert warning["message"].endswith("the item was skipped: nothing was added for it")
    assert answer["segment_infos"] == [{"id": answer["segment_ids"][0], "start": 0, "end": SECOND}]
    assert len(answer["effect_ids"]) == 1
    # The one segment added keeps no warning: the one skipped was another item.
    assert _segment_warnings(api, draft_url) == {answer["segment_ids"][0]: []}

    folder, _ = saved_folder(api, draft_url, tmp_path)
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    assert [m["name"] for m in content["materials"]["video_effects"]] == [KNOWN_EFFECT]
    [track] = content["tracks"]
    assert [(track["type"], s["target_timerange"]) for s in track["segments"]] == [
        ("effect", {"start": 0, "duration": SECOND})
    ]
    load_summary(folder)


def test_a_call_whose_every_item_is_skipped_adds_nothing(api: Api) -> None:
    """No track and no segment: an empty track_id and empty lists keep the answer's shape."""
    draft_url = api.create_draft()
    before = api.info(draft_url)["current_version"]
    filters = [{"filter_title": "森山Z9", "start": 0, "end": SECOND}]
    body = {"draft_url": draft_url, "filter_infos": filters}
    refused = api.post("add_filters", body, strict=True)
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "unknown_name"
    answer = api.ok("add_filters", body)
    assert (answer["track_id"], answer["filter_ids"], answer["segment_ids"]) == ("", [], [])
    assert answer["segment_infos"] == []
    assert answer["current_version"] == before
    assert [(w["field"], w["code"]) for w in answer["warnings"]] == [
        ("filter_infos[0].filter_title", "unknown_name_skipped")
    ]
    assert api.info(draft_url)["track_count"] == 0
    # Applied once per key, like any edit.
    keyed = {**body, "idempotency_key": "every-item-skipped"}
    first = api.post("add_filters", keyed)
    again = api.post("add_filters", keyed)
    assert first.status_code == again.status_code == 200, again.text
    assert again.headers.get("Idempotent-Replayed") == "true"
    assert again.json() == first.json()


def test_an_unknown_mask_name_adds_no_mask(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    draft_url = api.create_draft()
    video = api.ok("add_videos", {"draft_url": draft_url, "video_infos": _video(media_server)})
    shape = {"X": 0, "Y": 0, "width": 512, "height": 512}
    body = {"draft_url": draft_url, "segment_ids": video["segment_ids"], "name": "blob", **shape}
    refused = api.post("add_masks", body, strict=True)
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "unknown_name"
    assert refused.json()["detail"].startswith('name: unknown mask "blob"')
    answer = api.ok("add_masks", body)
    assert (answer["masks_added"], answer["mask_ids"], answer["affected_segments"]) == (0, [], [])
    assert answer["current_version"] == video["current_version"]
    assert [(w["field"], w["code"]) for w in answer["warnings"]] == [
        ("name", "unknown_name_skipped")
    ]
    # Case, spaces and underscores do not matter.
    masked = api.ok("add_masks", {**body, "name": "圆 形"})
    assert masked["masks_added"] == 1
    assert masked["warnings"] == []
    folder, _ = saved_folder(api, draft_url, tmp_path)
    assert [m["name"] for m in _mask_materials(folder)] == ["圆形"]


def _mask_materials(folder: Path) -> list[dict[str, Any]]:
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    masks: list[dict[str, Any]] = content["materials"]["masks"]
    return masks


def _reference_audio_effect(meta: Any) -> dict[str, Any]:
    """What pyJianYingDraft's `AudioSegment.add_effect(meta)` puts in materials.audio_effects,
    but its random id."""
    exported: dict[str, Any] = ReferenceAudioEffect(meta).export_json()
    del exported["id"]
    return exported


def test_audio_effects_are_written_where_pyjianyingdraft_writes_them(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    """A voice tone, a scene sound (its name in another case) and a song style each go into
    materials.audio_effects, referred to by their segment; a name the catalogue does not know
    is skipped (strict: refused)."""
    draft_url = api.create_draft()
    names = ["大叔", "8BIT", "reverb", "民谣"]
    audios = [
        {
            "audio_url": media_server.url("tone.mp3"),
            "start": index * SECOND,
            "end": (index + 1) * SECOND,
            "audio_effect": name,
        }
        for index, name in enumerate(names)
    ]
    body = {"draft_url": draft_url, "audio_infos": json.dumps(audios, ensure_ascii=False)}
    refused = api.post("add_audios", body, strict=True)
    assert refused.status_code == 400, refused.text
    assert refused.json()["code"] == "unknown_name"
    assert refused.json()["detail"].startswith(
        'audio_infos[2].audio_effect: unknown audio effect "reverb"'
    )

    answer = api.ok("add_audios", body)
    assert [(w["field"], w["code"]) for w in answer["warnings"]] == [
        ("audio_infos[2].audio_effect", "unknown_name_skipped")
    ]
    assert answer["warnings"][0]["message"].endswith("the audio was added without an effect")
    segment_ids = answer["segment_ids"]
    assert len(segment_ids) == 4
    shown = {s["id"]: s for t in api.info(draft_url)["tracks"] for s in t["segments"]}
    assert [shown[s].get("audio_effect") for s in segment_ids] == [
        {"name": "大叔", "category": "tone"},
        {"name": "8bit", "category": "sound_effect"},
        None,
        {"name": "民谣", "category": "speech_to_song"},
    ]

    folder, _ = saved_folder(api, draft_url, tmp_path)
    load_summary(folder)
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    effects = {e["id"]: e for e in content["materials"]["audio_effects"]}
    segments = {s["id"]: s for t in content["tracks"] for s in t["segments"]}
    speeds = {m["id"] for m in content["materials"]["speeds"]}
    refs = [segments[s]["extra_material_refs"] for s in segment_ids]
    assert all(r[0] in speeds for r in refs)
    assert [len(r) for r in refs] == [2, 2, 1, 2]
    written = [{k: v for k, v in effects[r[1]].items() if k != "id"} for r in refs if len(r) > 1]
    assert written == [
        _reference_audio_effect(pyJianYingDraft.ToneEffectType.from_name("大叔")),
        _reference_audio_effect(pyJianYingDraft.AudioSceneEffectType.from_name("8bit")),
        _reference_audio_effect(pyJianYingDraft.SpeechToSongType.from_name("民谣")),
    ]
    assert len(effects) == 3
    # Kept with the draft: another save writes the same effects.
    api.ok("add_captions", {"draft_url": draft_url, "captions": _caption()})
    again, _ = saved_folder(api, draft_url, tmp_path / "again")
    later = json.loads((again / "draft_content.json").read_text(encoding="utf-8"))
    assert later["materials"]["audio_effects"] == content["materials"]["audio_effects"]


def test_audio_infos_passes_the_effect_on_to_add_audios(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    """capcut-mate's audio_infos helper names the effect once for every file; add_audios then
    applies it to each segment."""
    helped = api.ok(
        "audio_infos",
        {
            "mp3_urls": [media_server.url("tone.mp3")] * 2,
            "timelines": [{"start": 0, "end": SECOND}, {"start": SECOND, "end": 2 * SECOND}],
            "audio_effect": "低保真",
        },
    )
    draft_url = api.create_draft()
    answer = api.ok("add_audios", {"draft_url": draft_url, "audio_infos": helped["infos"]})
    assert answer["warnings"] == []
    folder, content = saved_folder(api, draft_url, tmp_path)
    load_summary(folder)
    effects = content["materials"]["audio_effects"]
    assert [e["name"] for e in effects] == ["低保真", "低保真"]
    segments = {s["id"]: s for t in content["tracks"] for s in t["segments"]}
    assert [segments[s]["extra_material_refs"][-1] for s in answer["segment_ids"]] == [
        e["id"] for e in effects
    ]


def test_verbs_without_edits_report_the_numbers_they_read(api: Api) -> None:
    """Verbs that edit no segment (create, list, save, restore, the workflow helpers, the
    catalogue) take numbers as strings too, and say so in their own `warnings`: nothing read
    differently from how it was sent goes unreported."""
    created = api.ok("create_draft", {"width": "640", "height": 360})
    assert [(w["field"], w["code"]) for w in created["warnings"]] == [
        ("width", "number_from_string")
    ]
    draft_url = created["draft_url"]
    assert api.ok("create_draft", {"width": 640})["warnings"] == []
    api.ok("add_captions", {"draft_url": draft_url, "captions": _caption()})

    saved = api.ok("save_draft", {"draft_url": draft_url, "expected_version": "1"})
    assert [(w["field"], w["code"]) for w in saved["warnings"]] == [
        ("expected_version", "number_from_string")
    ]
    restored = api.ok("restore_version", {"draft_url": draft_url, "version": " 1 "})
    assert restored["restored_from"] == 1
    assert restored["warnings"][0]["message"] == "version: the string ' 1 ' is read as the number 1"
    checked = api.ok("validate_draft", {"draft_url": draft_url, "version": "1"})
    assert checked["version"] == 1
    assert [(w["field"], w["code"]) for w in checked["warnings"]] == [
        ("version", "number_from_string")
    ]
    refused = api.post("validate_draft", {"draft_url": draft_url, "version": "1"}, strict=True)
    assert refused.status_code == 400, refused.text
    # A zip has no `warnings`: they come in a header, when there are any.
    zipped = api.post("download_draft", {"draft_url": draft_url, "version": "1"})
    assert zipped.headers["content-type"] == "application/zip"
    noted = json.loads(zipped.headers["X-Draftsmith-Warnings"])
    assert [(w["field"], w["code"]) for w in noted] == [("version", "number_from_string")]
    plain = api.post("download_draft", {"draft_url": draft_url, "version": 1})
    assert plain.content == zipped.content
    assert "X-Draftsmith-Warnings" not in plain.headers

    listed = api.ok("list_drafts", {"limit": "5"})
    assert [(w["field"], w["code"]) for w in listed["warnings"]] == [
        ("limit", "number_from_string")
    ]
    effects = api.ok("get_effects", {"limit": "2", "offset": 0})
    assert len(effects["effects"]) == 2
    assert [w["field"] for w in effects["warnings"]] == ["limit"]

    pieces = api.ok("timelines", {"duration": "3000000", "num": 3})
    assert pieces["all_timelines"] == [{"start": 0, "end": 3 * SECOND}]
    assert [w["field"] for w in pieces["warnings"]] == ["duration"]

    # A fraction where a whole number is read is rounded and reported (strict: refused).
    body = {"links": [{"url": "http://127.0.0.1:9/a.mp3", "duration": 1000000.6}]}
    rounded = api.ok("audio_timelines", body)
    assert rounded["all_timelines"] == [{"start": 0, "end": 1000001}]
    assert [(w["field"], w["code"]) for w in rounded["warnings"]] == [
        ("links[0].duration", "number_rounded")
    ]
    refused = api.post("audio_timelines", body, strict=True)
    assert refused.status_code == 400, refused.text
    assert "fractional part" in refused.json()["detail"]
