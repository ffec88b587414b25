"""compose against the real server: a 200-item spec gives the folder the equivalent chain of
add_* calls gives (ids aside) and loads in pyJianYingDraft; one bad item among 200 stores
nothing and is reported with its JSON pointer; the spec's JSON Schema is served."""

from __future__ import annotations

import re
from pathlib import Path
from typing import Any

import jsonschema_rs

from draft_oracle import load_summary
from parity.saved import saved_folder
from support.api import Api
from support.media_server import MediaServer

S = 1_000_000
_ID = re.compile(
    r"[0-9A-Fa-f]{8}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{4}-?[0-9A-Fa-f]{12}|dft_\w+"
)
# What differs between any two drafts made at different times under different names.
_PER_DRAFT = {"create_time", "update_time", "name", "draft_name", "tm_draft_create"}


def _tracks(media: MediaServer) -> list[dict[str, Any]]:
    """Seven tracks, 200 items in all, with transitions and animations."""
    video = media.url("bars.mp4")
    return [
        {
            "type": "video",
            "alpha": 0.9,
            "scale_x": 1.1,
            "items": [
                {
                    "video_url": video,
                    "start": i * S,
                    "end": (i + 1) * S,
                    "volume": 0.5,
                    "transition": "叠化" if i % 2 else None,
                }
                for i in range(50)
            ],
        },
        {
            "type": "image",
            "transform_y": 100,
            "items": [
                {
                    "image_url": media.url("still.png"),
                    "start": i * S,
                    "end": (i + 1) * S,
                    "in_animation": "渐显",
                }
                for i in range(30)
            ],
        },
        {
            "type": "audio",
            "items": [
                {"audio_url": media.url("tone.mp3"), "start": i * S, "end": (i + 1) * S}
                for i in range(40)
            ],
        },
        {
            "type": "caption",
            "font_size": 12,
            "text_color": "#ffee00",
            "items": [
                {"text": f"line {i}", "start": i * S, "end": (i + 1) * S, "in_animation": "渐显"}
                for i in range(50)
            ],
        },
        {
            "type": "effect",
            "items": [
                {"effect_title": "简约边框", "start": i * 2 * S, "end": (i * 2 + 1) * S}
                for i in range(10)
            ],
        },
        {
            "type": "filter",
            "items": [
                {"filter_title": "1980", "start": i * 2 * S, "end": (i * 2 + 1) * S}
                for i in range(10)
            ],
        },
        {
            "type": "sticker",
            "items": [
                {"sticker_id": "7326810673609018675", "start": i * S, "end": (i + 1) * S}
                for i in range(10)
            ],
        },
    ]


_VERBS = {
    "video": ("add_videos", "video_infos"),
    "image": ("add_images", "image_infos"),
    "audio": ("add_audios", "audio_infos"),
    "caption": ("add_captions", "captions"),
    "effect": ("add_effects", "effect_infos"),
    "filter": ("add_filters", "filter_infos"),
}


def _chain(api: Api, tracks: list[dict[str, Any]]) -> str:
    """The same draft made by create_draft and one add_* call per track (per sticker)."""
    draft_url = api.create_draft(1280, 720)
    for track in tracks:
        rest = {k: v for k, v in track.items() if k not in ("type", "items")}
        if track["type"] == "sticker":
            for item in track["items"]:
                api.ok("add_sticker", {"draft_url": draft_url, **item})
            continue
        verb, field = _VERBS[track["type"]]
        api.ok(verb, {"draft_url": draft_url, **rest, field: track["items"]})
    return draft_url


def _ids_aside(content: Any, names: dict[str, str] | None = None) -> Any:
    """`content` with every id replaced by the order it first appears in, and the fields
    that tell one draft from another left out."""
    names = {} if names is None else names
    if isinstance(content, dict):
        return {k: _ids_aside(v, names) for k, v in content.items() if k not in _PER_DRAFT}
    if isinstance(content, list):
        return [_ids_aside(v, names) for v in content]
    if isinstance(content, str):
        return _ID.sub(lambda m: names.setdefault(m[0], f"id{len(names)}"), content)
    return content


def test_a_200_item_spec_gives_the_folder_of_the_chain(
    api: Api, media_server: MediaServer, tmp_path: Path
) -> None:
    tracks = _tracks(media_server)
    assert sum(len(t["items"]) for t in tracks) == 200

    answer = api.ok("compose", {"width": 1280, "height": 720, "tracks": tracks})
    chained = _chain(api, tracks)

    assert answer["current_version"] == 1
    assert len(answer["track_ids"]) == 6 + 10
    composed_folder, composed = saved_folder(api, answer["draft_url"], tmp_path / "composed")
    chain_folder, chain = saved_folder(api, chained, tmp_path / "chain")
    assert _ids_aside(composed) == _ids_aside(chain)
    summary = load_summary(composed_folder)
    assert summary == load_summary(chain_folder)
    assert len(summary.captions) == 50
    assert (summary.width, summary.height) == (1280, 720)


def test_one_bad_item_among_200_stores_nothing_and_is_pointed_at(
    api: Api, media_server: MediaServer
) -> None:
    tracks = _tracks(media_server)
    tracks[0]["items"][17]["video_url"] = media_server.url("fake.mp4")
    tracks[3]["items"][5]["end"] = 0
    existing = api.create_draft()
    before = api.info(existing)
    drafts_before = api.ok("list_drafts", {"limit": 500})["drafts"]

    for target in ({}, {"draft_url": existing}):
        refused = api.post("compose", {**target, "tracks": tracks})

        assert refused.status_code == 400, refused.text
        body = refused.json()
        assert body["code"] == "invalid_spec"
        pointers = [p["pointer"] for p in body["problems"]]
        assert "/tracks/0/items/17/video_url" in pointers
        assert any(p.startswith("/tracks/3/items/5") for p in pointers)
    assert api.info(existing) == before
    assert api.ok("list_drafts", {"limit": 500})["drafts"] == drafts_before


def test_every_schema_problem_is_listed_with_its_pointer(api: Api) -> None:
    refused = api.post(
        "compose",
        {
            "width": 0,
            "tracks": [
                {"type": "video", "alpha": 3, "items": [{"start": 0, "end": 1}]},
                {"type": "hologram", "items": [{}]},
            ],
        },
    )

    assert refused.status_code == 400
    pointers = {p["pointer"] for p in refused.json()["problems"]}
    assert {"/width", "/tracks/0/alpha", "/tracks/0/items/0/video_url", "/tracks/1"} <= pointers


def test_compose_appends_saves_and_replays_by_key(api: Api, media_server: MediaServer) -> None:
    draft_url = api.create_draft()
    spec = {
        "draft_url": draft_url,
        "save": True,
        "tracks": [
            {
                "type": "video",
                "items": [{"video_url": media_server.url("bars.mp4"), "start": 0, "end": 5 * S}],
            }
        ],
    }
    headers = {**api.headers(), "Idempotency-Key": "compose-once"}

    first = api.http.post(api.url("compose"), json=spec, headers=headers)
    again = api.http.post(api.url("compose"), json=spec, headers=headers)

    assert first.status_code == again.status_code == 200, first.text
    assert again.headers["Idempotent-Replayed"] == "true"
    assert again.json() == first.json()
    answer = first.json()
    assert answer["draft_url"] == draft_url
    assert answer["version"] == 1
    assert [w["code"] for w in answer["warnings"]] == ["clamped_to_media"]
    assert answer["warnings"][0]["field"].startswith("/tracks/0/items/0")
    assert len(api.info(draft_url)["tracks"]) == 1


def test_the_spec_schema_is_served_and_describes_a_spec(
    api: Api, media_server: MediaServer
) -> None:
    schema = api.get(api.url("compose.schema.json")).json()

    jsonschema_rs.validator_for(schema).validate({"tracks": _tracks(media_server)})
    assert set(schema["$defs"]) >= {"VideoTrack", "StickerItem", "CaptionItem", "ItemKeyframe"}
    assert "draft_url" in schema["properties"]
    assert all("draft_url" not in d.get("properties", {}) for d in schema["$defs"].values())


def test_numbers_read_differently_are_warned_at_track_and_item_level(api: Api) -> None:
    spec = {
        "tracks": [
            {
                "type": "caption",
                "alpha": "0.5",
                "items": [{"text": "a", "start": "0", "end": 1_000_000.4}],
            }
        ]
    }

    answer = api.ok("compose", spec)

    warned = {(w["field"], w["code"]) for w in answer["warnings"]}
    assert warned == {
        ("/tracks/0/alpha", "number_from_string"),
        ("/tracks/0/items/0/start", "number_from_string"),
        ("/tracks/0/items/0/end", "number_rounded"),
    }
    refused = api.post("compose", spec, strict=True)
    assert refused.status_code == 400, refused.text
