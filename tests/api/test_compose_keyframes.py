"""Keyframes inside a compose spec, against the real server: each item of a video, image,
audio, caption or sticker track may carry add_keyframes' items for its own segment, applied
in the same write; the folder is the one the chain of add_* calls then add_keyframes makes
(ids aside) and loads in pyJianYingDraft; bad keyframes are all reported with their JSON
pointers and nothing is stored."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import jsonschema_rs

from api.test_compose import _chain, _ids_aside
from draft_oracle import load_summary
from parity.saved import saved_folder
from support.api import Api
from support.media_server import MediaServer

S = 1_000_000
STICKER = "7326810673609018675"


def _keyframed(media: MediaServer) -> list[dict[str, Any]]:
    fade = [
        {"property": "opacity", "time": 0, "value": 0.0},
        {"property": "alpha", "offset": 1, "value": 1},
    ]
    return [
        {
            "type": "video",
            "items": [
                {"video_url": media.url("bars.mp4"), "start": 0, "end": S, "keyframes": fade},
                {"video_url": media.url("bars.mp4"), "start": S, "end": 2 * S},
            ],
        },
        {
            "type": "image",
            "items": [
                {
                    "image_url": media.url("still.png"),
                    "start": 0,
                    "end": 2 * S,
                    "keyframes": [
                        {"property": "position.x", "offset": 0.5, "value": 200},
                        {"property": "KFTypeScaleX", "time": S, "value": 1.5},
                    ],
                }
            ],
        },
        {
            "type": "audio",
            "items": [
                {
                    "audio_url": media.url("tone.mp3"),
                    "start": 0,
                    "end": S,
                    "keyframes": [{"property": "volume", "time": S // 2, "value": 0.2}],
                }
            ],
        },
        {
            "type": "caption",
            "items": [
                {
                    "text": "moving",
                    "start": 0,
                    "end": S,
                    "keyframes": [{"property": "rotation", "time": 0, "value": 45}],
                }
            ],
        },
        {
            "type": "sticker",
            "items": [
                {
                    "sticker_id": STICKER,
                    "start": 0,
                    "end": S,
                    "keyframes": [{"property": "position_y", "time": 0, "value": -100}],
                }
            ],
        },
    ]


def _without_keyframes(tracks: list[dict[str, Any]]) -> list[dict[str, Any]]:
    return [
        {**t, "items": [{k: v for k, v in i.items() if k != "keyframes"} for i in t["items"]]}
        for t in tracks
    ]


def _chain_with_keyframes(api: Api, tracks: list[dict[str, Any]]) -> str:
    """create_draft, the add_* calls, then one add_keyframes naming each item's segment."""
    draft_url = _chain(api, _without_keyframes(tracks))
    segments = [t["segments"] for t in api.info(draft_url)["tracks"]]
    keyframes = [
        {**frame, "segment_id": segments[t][i]["id"]}
        for t, track in enumerate(tracks)
        for i, item in enumerate(track["items"])
        for frame in item.get("keyframes", ())
    ]
    api.ok("add_keyframes", {"draft_url": draft_url, "keyframes": keyframes})
    return draft_url


def test_keyframes_in_a_spec_give_the_folder_of_add_keyframes(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    tracks = _keyframed(media_server)

    answer = api.ok("compose", {"width": 1280, "height": 720, "tracks": tracks})
    chained = _chain_with_keyframes(api, tracks)

    assert answer["warnings"] == []
    assert api.info(answer["draft_url"])["current_version"] == 1
    composed_folder, composed = saved_folder(api, answer["draft_url"], tmp_path / "composed")
    chain_folder, chain = saved_folder(api, chained, tmp_path / "chain")
    assert _ids_aside(composed) == _ids_aside(chain)
    assert load_summary(composed_folder) == load_summary(chain_folder)
    animated = [
        sorted(k["property_type"] for k in segment.get("common_keyframes", ()))
        for track in composed["tracks"]
        for segment in track["segments"]
    ]
    assert animated == [
        ["KFTypeAlpha"],
        [],
        ["KFTypePositionX", "KFTypeScaleX"],
        ["KFTypeVolume"],
        ["KFTypeRotation"],
        ["KFTypePositionY"],
    ]
    assert "sticker" in [kind for kind, _ in load_summary(composed_folder).tracks]


def test_bad_keyframes_are_pointed_at_and_nothing_is_stored(
    api: Api, media_server: MediaServer
) -> None:
    tracks = _keyframed(media_server)
    tracks[0]["items"][1]["keyframes"] = [
        {"property": "opacity", "time": 0, "value": 0.5},
        {"property": "sparkle", "time": 0, "value": 1},
    ]
    tracks[2]["items"][0]["keyframes"] = [{"property": "opacity", "time": 0, "value": 0.5}]
    tracks[3]["items"][0]["keyframes"][0]["time"] = 5 * S
    tracks[4]["items"][0]["keyframes"].append({"property": "time", "time": 0})
    drafts_before = api.ok("list_drafts", {"limit": 500})["drafts"]

    refused = api.post("compose", {"tracks": tracks})

    assert refused.status_code == 400, refused.text
    pointers = {p["pointer"] for p in refused.json()["problems"]}
    assert pointers == {"/tracks/4/items/0/keyframes/1/value"}, refused.text

    del tracks[4]["items"][0]["keyframes"][1]
    refused = api.post("compose", {"tracks": tracks})

    assert refused.status_code == 400, refused.text
    problems = {p["pointer"]: p["message"] for p in refused.json()["problems"]}
    assert set(problems) == {
        "/tracks/0/items/1/keyframes/1/property",
        "/tracks/2/items/0/keyframes/0/property",
        "/tracks/3/items/0/keyframes/0/time",
    }, problems
    assert "sparkle" in problems["/tracks/0/items/1/keyframes/1/property"]
    assert "volume" in problems["/tracks/2/items/0/keyframes/0/property"]
    assert api.ok("list_drafts", {"limit": 500})["drafts"] == drafts_before


def test_the_published_schema_describes_item_keyframes(api: Api, media_server: MediaServer) -> None:
    validator = jsonschema_rs.validator_for(api.get(api.url("compose.schema.json")).json())
    tracks = _keyframed(media_server)

    validator.validate({"tracks": tracks})
    no_value = [{**tracks[0], "items": [{**tracks[0]["items"][0], "keyframes": [{"time": 0}]}]}]
    assert not validator.is_valid({"tracks": no_value})
