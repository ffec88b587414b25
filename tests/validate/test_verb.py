"""The validate_draft verb on a real server: a saved version of one of our drafts."""

from __future__ import annotations

from typing import Any

import httpx

from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

API = "/openapi/capcut-mate/v1"
S = 1_000_000


def post(http: httpx.Client, server: ServerProcess, verb: str, body: Any) -> httpx.Response:
    return http.post(f"{server.base_url}{API}/{verb}", json=body)


def ok(http: httpx.Client, server: ServerProcess, verb: str, body: Any) -> dict[str, Any]:
    response = post(http, server, verb, body)
    assert response.status_code == 200, (verb, response.text)
    data: dict[str, Any] = response.json()
    return data


def test_validate_draft_on_saved_versions(
    shared_server: ServerProcess,
    media_server: MediaServer,
    standard_media: StandardMedia,
    http: httpx.Client,
) -> None:
    draft_url = ok(http, shared_server, "create_draft", {"width": 1280, "height": 720})["draft_url"]
    bars = media_server.url(standard_media.bars.name)
    videos = [{"video_url": bars, "start": 0, "end": 2 * S}]
    ok(http, shared_server, "add_videos", {"draft_url": draft_url, "video_infos": videos})
    captions = [{"text": "你好 🎬", "start": 0, "end": 2 * S}]
    ok(http, shared_server, "add_captions", {"draft_url": draft_url, "captions": captions})
    assert ok(http, shared_server, "save_draft", {"draft_url": draft_url})["version"] == 1

    report = ok(http, shared_server, "validate_draft", {"draft_url": draft_url})
    assert report["code"] == 0
    assert (report["version"], report["profile"]) == (1, "all")
    assert (report["valid"], report["problems"]) == (True, [])

    body = {"draft_url": draft_url, "version": 1, "profile": "jianying-5.9"}
    report = ok(http, shared_server, "validate_draft", body)
    assert (report["valid"], report["profile"], report["problems"]) == (
        True,
        "jianying-5.9",
        [],
    )


def test_validate_draft_errors(shared_server: ServerProcess, http: httpx.Client) -> None:
    draft_url = ok(http, shared_server, "create_draft", {})["draft_url"]
    unsaved = post(http, shared_server, "validate_draft", {"draft_url": draft_url})
    assert unsaved.status_code == 404
    bad = post(http, shared_server, "validate_draft", {"draft_url": draft_url, "profile": "x"})
    assert bad.status_code == 400
    assert "profile" in bad.json()["detail"]
    missing = post(http, shared_server, "validate_draft", {})
    assert (missing.status_code, missing.json()["detail"]) == (400, "draft_url is required")
