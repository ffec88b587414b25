"""GET /metrics after a scripted workload: parsed with prometheus-client's parser, each counter
moved by exactly what the workload did, labelled by route template, never by draft id."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from fastapi.testclient import TestClient

from draftsmith.bootstrap import http_app
from draftsmith.config import Settings
from support.api import SECOND, ApiOpener
from support.downloads import draft_id_of
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

from .metrics_text import moved, parse, value

pytestmark = pytest.mark.slow

V1 = "/openapi/capcut-mate/v1"
KEY = "ds_metrics-test-key-0123456789abcdef"


@pytest.fixture(scope="module")
def metered(tmp_path_factory: pytest.TempPathFactory) -> Iterator[ServerProcess]:
    env = {
        "DRAFTSMITH_ALLOW_PRIVATE_URLS": "1",
        # Queued renders stay queued: the queue depth is part of what is measured.
        "DRAFTSMITH_RENDER_WORKERS": "0",
        # Two saves of a draft, then the third is refused for a long while.
        "DRAFTSMITH_SAVE_RATE_PER_DRAFT": "0.001",
        "DRAFTSMITH_RATE_BURST": "2",
        # The client's limit shares that burst; off, so that it refuses nothing here.
        "DRAFTSMITH_SAVE_RATE_PER_CLIENT": "0",
    }
    with ServerProcess(tmp_path_factory.mktemp("metered"), env=env) as server:
        yield server


def scrape(http: httpx.Client, server: ServerProcess, **headers: str) -> httpx.Response:
    return http.get(f"{server.base_url}/metrics", headers=headers)


def test_counters_move_by_exactly_what_a_workload_did(
    metered: ServerProcess,
    apis: ApiOpener,
    http: httpx.Client,
    media_server: MediaServer,
    standard_media: StandardMedia,
) -> None:
    api = apis(metered.base_url)
    first = scrape(http, metered)
    assert first.status_code == 200
    assert first.headers["content-type"].startswith("text/plain")
    before = parse(first.text)
    video = media_server.url("bars.mp4")

    def post(verb: str, body: dict[str, object], status: int = 200) -> dict[str, object]:
        response = api.post(verb, body)
        assert response.status_code == status, (verb, response.text)
        data: dict[str, object] = response.json()
        return data

    a = str(post("create_draft", {"width": 1280, "height": 720})["draft_url"])
    b = str(post("create_draft", {"width": 1280, "height": 720})["draft_url"])
    clip = {"video_url": video, "start": 0, "end": 2 * SECOND}
    post("add_videos", {"draft_url": a, "video_infos": [clip]})
    post("add_videos", {"draft_url": a, "video_infos": [clip]})
    missing = {**clip, "video_url": media_server.url("status/404")}
    post("add_videos", {"draft_url": a, "video_infos": [missing]}, 400)
    for text in ("one", "two", "three"):
        caption = {"text": text, "start": 0, "end": SECOND}
        post("add_captions", {"draft_url": b, "captions": [caption]})
    post("save_draft", {"draft_url": a})
    post("save_draft", {"draft_url": a})
    post("save_draft", {"draft_url": a}, 429)
    post("save_draft", {"draft_url": b})
    post("gen_video", {"draft_url": a})
    assert http.get(f"{metered.base_url}/no/such/page").status_code == 404

    after = parse(scrape(http, metered).text)

    def requests(route: str, status: int, method: str = "POST") -> float:
        labels = {"route": route, "method": method, "status": str(status)}
        return value(after, "draftsmith_http_requests_total", **labels) - value(
            before, "draftsmith_http_requests_total", **labels
        )

    assert requests(f"{V1}/create_draft", 200) == 2
    assert requests(f"{V1}/add_videos", 200) == 2
    assert requests(f"{V1}/add_videos", 400) == 1
    assert requests(f"{V1}/add_captions", 200) == 3
    assert requests(f"{V1}/save_draft", 200) == 3
    assert requests(f"{V1}/save_draft", 429) == 1
    assert requests(f"{V1}/gen_video", 200) == 1
    assert requests("unmatched", 404, "GET") == 1
    timed = {"route": f"{V1}/save_draft", "method": "POST", "status": "200"}
    assert (
        value(after, "draftsmith_http_request_duration_seconds_count", **timed)
        - value(before, "draftsmith_http_request_duration_seconds_count", **timed)
        == 3
    )
    video_bytes = (standard_media.directory / "bars.mp4").stat().st_size
    service_counters = {
        key: delta
        for key, delta in moved(before, after).items()
        if not key[0].startswith(("draftsmith_http_", "draftsmith_render_"))
        and not key[0].endswith("_created")
    }
    assert service_counters == {
        ("draftsmith_saves_total", frozenset({("outcome", "created")})): 2,
        ("draftsmith_saves_total", frozenset({("outcome", "unchanged")})): 1,
        ("draftsmith_versions_created_total", frozenset()): 2,
        ("draftsmith_edits_total", frozenset({("kind", "stacked")})): 5,
        ("draftsmith_media_fetched_total", frozenset()): 1,
        ("draftsmith_media_fetched_bytes_total", frozenset()): video_bytes,
        ("draftsmith_media_fetch_failures_total", frozenset({("reason", "media_rejected")})): 1,
        ("draftsmith_rate_limited_total", frozenset({("scope", "save_draft")})): 1,
    }
    assert value(after, "draftsmith_render_jobs", state="pending") == 1
    assert value(after, "draftsmith_render_queue_depth") == 1
    labels = {value for (_, pairs) in after for _, value in pairs}
    assert not {draft_id_of(a), draft_id_of(b)} & labels
    assert not any(draft_id_of(a) in label or video in label for label in labels)


def test_metrics_take_an_api_key_while_keys_are_on(tmp_path: Path, http: httpx.Client) -> None:
    with ServerProcess(tmp_path / "data", env={"DRAFTSMITH_API_KEYS": KEY}) as server:
        refused = scrape(http, server)
        wrong = scrape(http, server, Authorization="Bearer ds_not-a-key-0123456789abcdef")
        allowed = scrape(http, server, Authorization=f"Bearer {KEY}")

    assert (refused.status_code, wrong.status_code, allowed.status_code) == (401, 401, 200)
    assert "draftsmith_http_requests_total" in allowed.text


def _app(tmp_path: Path, **settings: object) -> TestClient:
    """The app `serve` runs, in this process, on a data directory of its own."""
    fields = {"data_dir": tmp_path, "trusted_hosts": ["testserver"], "render_workers": 0}
    return TestClient(http_app(Settings.model_validate({**fields, **settings})))


def test_metrics_public_serves_them_without_a_key(tmp_path: Path) -> None:
    with _app(tmp_path, api_keys=[KEY], metrics_public=True) as client:
        assert client.get("/metrics").status_code == 200
        assert client.post(f"{V1}/create_draft", json={}).status_code == 401


def test_two_apps_in_one_process_count_apart(tmp_path: Path) -> None:
    with _app(tmp_path / "one") as one, _app(tmp_path / "two") as two:
        assert one.post(f"{V1}/create_draft", json={"width": 640, "height": 360}).is_success
        counted_one = parse(one.get("/metrics").text)
        counted_two = parse(two.get("/metrics").text)

    labels = {"route": f"{V1}/create_draft", "method": "POST", "status": "200"}
    assert value(counted_one, "draftsmith_http_requests_total", **labels) == 1
    assert value(counted_two, "draftsmith_http_requests_total", **labels) == 0
