"""Bad input gets a 4xx whose detail names the problem, and changes nothing that is stored.

Never a 500 (a bug) and never FastAPI's 422 list (the contract says 400 naming the field).
"""

from __future__ import annotations

import contextlib
import http.client
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.api import API_PREFIX, SECOND, Api
from support.downloads import draft_id_of
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

ALLOW_PRIVATE = {"DRAFTSMITH_ALLOW_PRIVATE_URLS": "1"}
STATE_FIELDS = ("current_version", "segment_count", "last_saved_version", "track_count")


def assert_rejected(response: httpx.Response, *fragments: str, status: int | None = None) -> str:
    """Assert a 4xx (not 422) JSON error whose detail holds every fragment; return the detail."""
    assert 400 <= response.status_code < 500, (response.status_code, response.text)
    assert response.status_code != 422, response.text
    if status is not None:
        assert response.status_code == status, response.text
    body = response.json()
    detail = body["detail"]
    assert isinstance(detail, str), body
    assert isinstance(body.get("code"), str), body
    for fragment in fragments:
        assert fragment.lower() in detail.lower(), (fragment, detail)
    return detail


def state(api: Api, draft_url: str) -> dict[str, Any]:
    info = api.info(draft_url)
    return {field: info[field] for field in STATE_FIELDS} | {"versions": api.versions(draft_url)}


@dataclass(frozen=True)
class Draft:
    url: str
    id: str


@pytest.fixture
def draft(api: Api) -> Iterator[Draft]:
    """A draft with one caption, saved; the test must leave its stored state as it found it."""
    draft_url = api.create_draft()
    api.add_caption(draft_url, "original")
    api.save(draft_url)
    before = state(api, draft_url)
    yield Draft(draft_url, draft_id_of(draft_url))
    assert state(api, draft_url) == before


Body = Callable[[str, MediaServer], Any]


def video(url: str, start: Any = 0, end: Any = SECOND, **extra: Any) -> dict[str, Any]:
    return {"video_url": url, "start": start, "end": end, **extra}


def videos(*items: dict[str, Any]) -> Body:
    return lambda d, m: {"draft_url": d, "video_infos": list(items)}


def video_at(name: str, start: int = 0, end: int = SECOND) -> Body:
    return lambda d, m: {"draft_url": d, "video_infos": [video(m.url(name), start, end)]}


def caption_body(**fields: Any) -> Body:
    captions = fields.pop("captions", [{"text": "ok", "start": 0, "end": SECOND}])
    return lambda d, m: {"draft_url": d, "captions": captions, **fields}


def too_many_redirects(m: MediaServer) -> str:
    url = m.url("bars.mp4")
    for _ in range(8):
        url = m.redirect_url(url)
    return url


CASES: dict[str, tuple[str, Body, tuple[str, ...]]] = {
    "json-array-body": ("add_videos", lambda d, m: [d], ("JSON object",)),
    "start-not-int": (
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": [video(m.url("bars.mp4"), start="abc")]},
        ("video_infos[0].start", "integer"),
    ),
    "infos-a-number": (
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": 5},
        ("video_infos",),
    ),
    "infos-not-json": (
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": "not json"},
        ("video_infos", "JSON"),
    ),
    "infos-json-object": (
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": '{"video_url": "x"}'},
        ("video_infos",),
    ),
    "infos-missing": ("add_videos", lambda d, m: {"draft_url": d}, ("video_infos",)),
    "infos-empty": (
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": []},
        ("video_infos",),
    ),
    "start-after-end": (
        "add_videos",
        video_at("bars.mp4", 2 * SECOND, SECOND),
        ("video_infos[0]",),
    ),
    "start-equals-end": ("add_videos", video_at("bars.mp4", SECOND, SECOND), ("video_infos[0]",)),
    "negative-start": ("add_videos", video_at("bars.mp4", -1, SECOND), ("video_infos[0].start",)),
    "missing-video-url": (
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": [{"start": 0, "end": SECOND}]},
        ("video_infos[0].video_url",),
    ),
    "volume-out-of-range": (
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": [video(m.url("bars.mp4"), volume=99)]},
        ("video_infos[0].volume",),
    ),
    "not-media": ("add_videos", video_at("fake.mp4"), ("video_infos[0]", "not a video")),
    "image-as-video": ("add_videos", video_at("still.png"), ("video_infos[0]", "add_images")),
    "audio-as-image": (
        "add_images",
        lambda d, m: {
            "draft_url": d,
            "image_infos": [{"image_url": m.url("tone.mp3"), "start": 0, "end": SECOND}],
        },
        ("image_infos[0]", "add_audios"),
    ),
    "missing-audio-url": (
        "add_audios",
        lambda d, m: {"draft_url": d, "audio_infos": [{"start": 0, "end": SECOND}]},
        ("audio_infos[0].audio_url",),
    ),
    "unreachable": (
        "add_videos",
        videos(video("http://127.0.0.1:1/x.mp4")),
        ("video_infos[0]", "127.0.0.1:1"),
    ),
    "media-404": ("add_videos", video_at("status/404"), ("video_infos[0]", "404")),
    "media-500": ("add_videos", video_at("status/500"), ("video_infos[0]", "500")),
    "media-missing-file": ("add_videos", video_at("no-such.mp4"), ("video_infos[0]", "404")),
    "redirect-loop": (
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": [video(too_many_redirects(m))]},
        ("video_infos[0]", "redirected more than"),
    ),
    "redirect-to-unreachable": (
        "add_videos",
        lambda d, m: {
            "draft_url": d,
            "video_infos": [video(m.redirect_url("http://127.0.0.1:1/x.mp4"))],
        },
        ("video_infos[0]", "cannot fetch"),
    ),
    "redirect-to-file-scheme": (
        "add_videos",
        lambda d, m: {"draft_url": d, "video_infos": [video(m.redirect_url("file:///etc/passwd"))]},
        ("video_infos[0]", "http"),
    ),
    "file-scheme": ("add_videos", videos(video("file:///etc/passwd")), ("video_infos[0]", "http")),
    "gopher-scheme": ("add_videos", videos(video("gopher://127.0.0.1:70/x")), ("video_infos[0]",)),
    "no-host": ("add_videos", videos(video("http:///x.mp4")), ("video_infos[0]",)),
    "overlap": (
        "add_videos",
        lambda d, m: {
            "draft_url": d,
            "video_infos": [
                video(m.url("bars.mp4"), 0, 2 * SECOND),
                video(m.url("bars.mp4"), SECOND, 3 * SECOND),
            ],
        },
        ("video_infos[0] and video_infos[1] overlap",),
    ),
    "caption-empty": (
        "add_captions",
        caption_body(captions=[{"text": "", "start": 0, "end": SECOND}]),
        ("captions[0].text",),
    ),
    "caption-blank": (
        "add_captions",
        caption_body(captions=[{"text": " \n ", "start": 0, "end": SECOND}]),
        ("captions[0].text",),
    ),
    "caption-second-bad": (
        "add_captions",
        caption_body(
            captions=[
                {"text": "fine", "start": 0, "end": SECOND},
                {"text": "reversed", "start": 3 * SECOND, "end": 2 * SECOND},
            ]
        ),
        ("captions[1]",),
    ),
    "caption-overlap": (
        "add_captions",
        caption_body(
            captions=[
                {"text": "a", "start": 0, "end": 2 * SECOND},
                {"text": "b", "start": SECOND, "end": 3 * SECOND},
            ]
        ),
        ("overlap",),
    ),
    "color-name": ("add_captions", caption_body(text_color="red"), ("text_color",)),
    "color-short-hex": ("add_captions", caption_body(text_color="#fff"), ("text_color",)),
    "border-not-hex": ("add_captions", caption_body(border_color="#gggggg"), ("border_color",)),
    "shadow-color": (
        "add_captions",
        caption_body(has_shadow=True, shadow_info={"shadow_color": "black"}),
        ("shadow_info.shadow_color",),
    ),
    "font-size-zero": ("add_captions", caption_body(font_size=0), ("font_size",)),
    "bad-draft-url": (
        "add_captions",
        lambda d, m: {
            "draft_url": d.replace("draft_id=", "draft_id=../"),
            "captions": [{"text": "ok", "start": 0, "end": SECOND}],
        },
        ("Invalid draft_url format",),
    ),
    "restore-unknown-version": (
        "restore_version",
        lambda d, m: {"draft_url": d, "version": 99},
        ("version 99",),
    ),
    "restore-version-zero": (
        "restore_version",
        lambda d, m: {"draft_url": d, "version": 0},
        ("version",),
    ),
    "expected-version-not-int": (
        "save_draft",
        lambda d, m: {"draft_url": d, "expected_version": "latest"},
        ("expected_version",),
    ),
}


@pytest.mark.parametrize("case", list(CASES), ids=list(CASES))
def test_bad_request_is_rejected_and_changes_nothing(
    case: str, api: Api, draft: Draft, media_server: MediaServer
) -> None:
    verb, body, fragments = CASES[case]
    assert_rejected(api.post(verb, body(draft.url, media_server)), *fragments)


@pytest.mark.parametrize(
    "content",
    [b"{not json", b"draft_url=x", b'{"draft_url": "x"', b"\xff\xfe"],
    ids=["broken", "form", "truncated", "binary"],
)
def test_non_json_body(api: Api, draft: Draft, content: bytes) -> None:
    for verb in ("add_captions", "add_videos", "save_draft"):
        response = api.http.post(api.url(verb), content=content)
        assert_rejected(response, "not valid JSON", status=400)


def test_body_over_the_limit_is_413(api: Api, draft: Draft) -> None:
    text = "x" * (3 * 1024 * 1024)
    big = {"draft_url": draft.url, "captions": [{"text": text, "start": 0, "end": SECOND}]}
    response = api.post("add_captions", big)
    assert_rejected(response, "2097152 byte limit", status=413)


def test_streamed_body_over_the_limit_is_413(api: Api, draft: Draft) -> None:
    """No Content-Length to look at: the limit must hold while the body arrives."""

    def chunks() -> Iterator[bytes]:
        yield b'{"draft_url": "' + draft.url.encode() + b'", "captions": [{"text": "'
        for _ in range(48):
            yield b"x" * 65536
        yield b'", "start": 0, "end": 1000000}]}'

    response = api.http.post(api.url("add_captions"), content=chunks())
    assert "content-length" not in response.request.headers
    assert_rejected(response, "byte limit", status=413)


@pytest.mark.parametrize("draft_id", ["../../etc/passwd", "%2e%2e%2f", "..%2f..%2f", "/etc/passwd"])
@pytest.mark.parametrize("verb", ["get_draft", "download_draft"])
def test_traversal_in_draft_id_query(api: Api, verb: str, draft_id: str) -> None:
    response = api.http.get(api.url(verb), params={"draft_id": draft_id})
    assert_rejected(response, "Invalid draft_url format", status=400)


def raw_get(base_url: str, path: str) -> tuple[int, bytes]:
    """GET `path` exactly as written: httpx would resolve the dot segments before sending."""
    host, port = base_url.removeprefix("http://").split(":")
    connection = http.client.HTTPConnection(host, int(port), timeout=10)
    try:
        connection.request("GET", path)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


@pytest.mark.parametrize(
    "tail",
    [
        "{id}/../../x",
        "{id}/../../../../../etc/passwd",
        "{id}/../../../draftsmith.sqlite3",
        "{id}/%2e%2e/%2e%2e/draftsmith.sqlite3",
        "{id}/..%2f..%2fdraftsmith.sqlite3",
        "{id}/%2e%2e%2f%2e%2e%2fdraftsmith.sqlite3",
        "{id}//etc/passwd",
        "%2e%2e/%2e%2e/draftsmith.sqlite3",
        "..%2f..%2fetc/passwd",
        "{id}/assets/../draft_content.json",
    ],
)
def test_traversal_in_draft_files_path(api: Api, draft: Draft, tail: str) -> None:
    path = f"{API_PREFIX}/draft_files/v1/{tail.format(id=draft.id)}"
    status, body = raw_get(api.base_url, path)
    assert status in (400, 404), (status, body[:200])
    assert b"root:" not in body
    assert not body.startswith(b"SQLite format")
    assert b'"detail"' in body


def test_draft_files_serves_listed_paths_only(api: Api, draft: Draft) -> None:
    """The positive control for the traversal cases: the same route does serve real files."""
    status, body = raw_get(api.base_url, f"{API_PREFIX}/draft_files/v1/{draft.id}/draft_info.json")
    assert status == 200
    assert body.startswith(b"{")


def test_unknown_version_is_404(api: Api, draft: Draft) -> None:
    get = api.http.get(api.url("get_draft"), params={"draft_id": draft.id, "version": 99})
    assert_rejected(get, "Version 99", status=404)
    file = api.http.get(api.url(f"draft_files/v99/{draft.id}/draft_content.json"))
    assert_rejected(file, "Version 99", status=404)
    zipped = api.http.get(api.url("download_draft"), params={"draft_id": draft.id, "version": 99})
    assert_rejected(zipped, "Version 99", status=404)
    posted = api.post("download_draft", {"draft_url": draft.url, "version": 99})
    assert_rejected(posted, "Version 99", status=404)
    zero = api.http.get(api.url("get_draft"), params={"draft_id": draft.id, "version": 0})
    assert_rejected(zero, "version", status=400)
    word = api.http.get(api.url("get_draft"), params={"draft_id": draft.id, "version": "last"})
    assert_rejected(word, "version", status=400)


def test_get_draft_without_a_saved_version_is_404(api: Api) -> None:
    draft_url = api.create_draft()
    response = api.http.get(api.url("get_draft"), params={"draft_id": draft_id_of(draft_url)})
    assert_rejected(response, "save_draft", status=404)


def test_missing_query_parameter_is_400(api: Api) -> None:
    assert_rejected(api.http.get(api.url("get_draft")), "draft_id", status=400)


# --- limits that need a server of their own ----------------------------------------------------


@contextlib.contextmanager
def own_api(directory: Path, env: dict[str, str]) -> Iterator[Api]:
    with ServerProcess(directory, env=env) as server, Api(server.base_url) as api:
        yield api


@pytest.fixture(scope="module")
def limited_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    env = {**ALLOW_PRIVATE, "DRAFTSMITH_MEDIA_MAX_BYTES": "1000"}
    with own_api(tmp_path_factory.mktemp("limited"), env) as api:
        yield api


@pytest.mark.parametrize(
    "name", ["bars.mp4", "big", "big?bytes=5000"], ids=["file", "stream", "announced"]
)
def test_media_over_the_size_limit(limited_api: Api, media_server: MediaServer, name: str) -> None:
    draft_url = limited_api.create_draft()
    response = limited_api.post(
        "add_videos", {"draft_url": draft_url, "video_infos": [video(media_server.url(name))]}
    )
    assert_rejected(response, "video_infos[0]", "1000 byte limit", status=400)
    assert limited_api.info(draft_url)["current_version"] == 0


@pytest.mark.parametrize("name", ["slow", "slow?seconds=8"], ids=["stalled", "late"])
def test_media_download_timeout(tmp_path: Path, media_server: MediaServer, name: str) -> None:
    env = {**ALLOW_PRIVATE, "DRAFTSMITH_MEDIA_TIMEOUT_SECONDS": "2"}
    with own_api(tmp_path / "data", env) as api:
        draft_url = api.create_draft()
        started = time.monotonic()
        response = api.post(
            "add_videos", {"draft_url": draft_url, "video_infos": [video(media_server.url(name))]}
        )
        elapsed = time.monotonic() - started
        assert_rejected(response, "video_infos[0]", "2 s", status=400)
        assert 1.5 <= elapsed < 6, elapsed
        assert api.info(draft_url)["current_version"] == 0


@pytest.fixture(scope="module")
def strict_api(tmp_path_factory: pytest.TempPathFactory) -> Iterator[Api]:
    """A server with the default: no private, loopback or link-local media URLs."""
    with own_api(tmp_path_factory.mktemp("strict"), {}) as api:
        yield api


@pytest.mark.parametrize(
    "url",
    [
        "{media}",
        "http://localhost:1/x.mp4",
        "http://[::1]:1/x.mp4",
        "http://[::ffff:127.0.0.1]:1/x.mp4",
        "http://10.0.0.1/x.mp4",
        "http://192.168.1.1/x.mp4",
        "http://169.254.169.254/latest/meta-data",
        "http://0.0.0.0:1/x.mp4",
    ],
)
def test_private_address_is_refused_by_default(
    strict_api: Api, media_server: MediaServer, standard_media: StandardMedia, url: str
) -> None:
    draft_url = strict_api.create_draft()
    target = url.format(media=media_server.url(standard_media.bars.name))
    requested = len(media_server.requested_paths())
    response = strict_api.post(
        "add_videos", {"draft_url": draft_url, "video_infos": [video(target)]}
    )
    assert_rejected(response, "video_infos[0]", "private", "loopback", status=400)
    assert len(media_server.requested_paths()) == requested, "the URL must not be fetched"
    assert strict_api.info(draft_url)["current_version"] == 0
