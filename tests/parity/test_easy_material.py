"""easy_create_material changes a draft exactly as the separate add_* verbs would."""

from __future__ import annotations

import json
import re
from typing import Any

from parity.reference_docs import example
from support.api import Api
from support.downloads import draft_id_of
from support.media_server import MediaServer

_HEX_ID = re.compile(r"^[0-9a-f]{32}$|^[0-9A-F-]{36}$")


def _tracks(api: Api, draft_url: str) -> list[tuple[str, list[tuple[Any, ...]]]]:
    info = api.info(draft_url)
    return [
        (
            track["type"],
            [
                tuple(
                    s.get(k) for k in ("start", "end", "media_kind", "source_end", "name", "text")
                )
                for s in track["segments"]
            ],
        )
        for track in info["tracks"]
    ]


def _canonical(value: Any, names: dict[str, str]) -> Any:
    """`value` with every generated id replaced by its order of first appearance."""
    if isinstance(value, dict):
        return {k: _canonical(v, names) for k, v in value.items()}
    if isinstance(value, list):
        return [_canonical(v, names) for v in value]
    if isinstance(value, str) and _HEX_ID.match(value):
        return names.setdefault(value, f"id{len(names)}")
    return value


def _content(api: Api, draft_url: str) -> Any:
    api.save(draft_url)
    files = api.get_draft(draft_id_of(draft_url))["files"]
    [content_url] = [f for f in files if f.split("?")[0].endswith("/draft_content.json")]
    content = json.loads(api.file_bytes(content_url))
    for key in ("id", "name", "create_time", "update_time"):
        content.pop(key, None)
    return _canonical(content, {})


def test_documented_request_adds_each_material(api: Api, media_server: MediaServer) -> None:
    documented = example("easy_create_material")
    tone, bars, still = (media_server.url(n) for n in ("tone.mp3", "bars.mp4", "still.png"))
    draft_url = api.create_draft()
    request = {
        **documented.request,
        "draft_url": draft_url,
        "audio_url": tone,
        "video_url": bars,
        "img_url": still,
    }
    answer = api.ok("easy_create_material", request)
    assert set(documented.response) <= set(answer)
    assert answer["draft_url"] == draft_url
    assert answer["current_version"] == api.info(draft_url)["current_version"]

    separate = api.create_draft()
    audio_us = api.ok("get_audio_duration", {"mp3_url": tone})["duration"]
    video_us = min(5_000_000, api.ok("get_audio_duration", {"mp3_url": bars})["duration"])
    api.ok(
        "add_audios",
        {"draft_url": separate, "audio_infos": [{"audio_url": tone, "start": 0, "end": audio_us}]},
    )
    api.ok(
        "add_videos",
        {"draft_url": separate, "video_infos": [{"video_url": bars, "start": 0, "end": video_us}]},
    )
    api.ok(
        "add_images",
        {
            "draft_url": separate,
            "image_infos": [{"image_url": still, "start": 0, "end": 3_000_000}],
        },
    )
    api.ok(
        "add_captions",
        {
            "draft_url": separate,
            "captions": [{"text": request["text"], "start": 0, "end": 5_000_000}],
            "text_color": request["text_color"],
            "font_size": request["font_size"],
            "transform_y": request["text_transform_y"],
        },
    )

    tracks = _tracks(api, draft_url)
    assert [t[0] for t in tracks] == ["audio", "video", "video", "text"]
    assert tracks == _tracks(api, separate)
    assert _content(api, draft_url) == _content(api, separate)


def test_audio_alone_and_null_strings(api: Api, media_server: MediaServer) -> None:
    draft_url = api.create_draft()
    body = {
        "draft_url": draft_url,
        "audio_url": media_server.url("tone.mp3"),
        "video_url": "null",
        "img_url": "",
        "text": "  ",
    }
    api.ok("easy_create_material", body)
    assert [t[0] for t in _tracks(api, draft_url)] == ["audio"]


def test_bad_video_leaves_the_draft_untouched(api: Api, media_server: MediaServer) -> None:
    draft_url = api.create_draft()
    before = api.info(draft_url)["current_version"]
    body = {
        "draft_url": draft_url,
        "audio_url": media_server.url("tone.mp3"),
        "video_url": media_server.url("still.png"),
    }
    response = api.post("easy_create_material", body)
    assert response.status_code == 400, response.text
    assert "video_url" in response.json()["detail"]
    assert api.info(draft_url)["current_version"] == before
