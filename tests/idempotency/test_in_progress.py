"""A repeat of a keyed request that arrives while the first is still being applied, against a
real server on SQLite and on PostgreSQL: the first request's media download is made slow (a
media server trickles the file out), and the repeat, sent with the same key and body while it
runs, is answered as docs/api.md says: with the first request's response once that one has
committed (`Idempotent-Replayed: true`), or with 409 `request_in_progress` and Retry-After;
never by applying the request a second time."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import ExitStack
from pathlib import Path
from typing import Any

import httpx
import pytest

from conftest import TEST_SERVER_ENV
from support.api import SECOND, Api, ApiOpener
from support.media import StandardMedia
from support.media_server import MediaServer
from support.postgres import throwaway_database
from support.server import ServerProcess

TRICKLE_SECONDS = 3.0
"""How long the first request's media download lasts: the repeat arrives well within it."""


@pytest.fixture(params=["sqlite", "postgres"])
def server(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServerProcess]:
    with ExitStack() as stack:
        env = dict(TEST_SERVER_ENV)
        if request.param == "postgres":
            env["DRAFTSMITH_DATABASE_URL"] = stack.enter_context(
                throwaway_database("draftsmith_in_progress")
            )
        yield stack.enter_context(ServerProcess(tmp_path / "data", env=env))


def keyed(api: Api, body: Any, key: str) -> httpx.Response:
    return api.http.post(
        api.url("compose"), json=body, headers={**api.headers(), "Idempotency-Key": key}
    )


def test_a_repeat_sent_while_the_first_runs_is_answered_once_applied(
    server: ServerProcess,
    apis: ApiOpener,
    media_server: MediaServer,
    standard_media: StandardMedia,
) -> None:
    api = apis(server.base_url)
    draft_url = api.create_draft()
    marker = uuid.uuid4().hex
    video_url = media_server.url(
        f"trickle/{standard_media.bars.name}?seconds={TRICKLE_SECONDS}&tag={marker}"
    )
    spec = {
        "draft_url": draft_url,
        "tracks": [
            {"type": "video", "items": [{"video_url": video_url, "start": 0, "end": SECOND}]}
        ],
    }
    key = f"in-progress-{marker}"

    with ThreadPoolExecutor(1) as pool:
        first = pool.submit(keyed, apis(server.base_url), spec, key)
        media_server.wait_for_request(marker, timeout=30.0)
        assert not first.done(), "the first request should still be downloading its video"
        repeat = keyed(api, spec, key)
        answer = first.result(timeout=60)

    # Each request downloads and probes the video itself, so either may commit first: that one
    # is applied, and the other is answered as its repeat.
    applied = [
        a
        for a in (answer, repeat)
        if a.status_code == 200 and "idempotent-replayed" not in a.headers
    ]
    assert len(applied) == 1, (answer.text, repeat.text)
    [made] = applied
    [other] = [a for a in (answer, repeat) if a is not made]
    assert made.status_code == 200, made.text
    if other.status_code == 409:
        assert other.json()["code"] == "request_in_progress"
        assert int(other.headers["Retry-After"]) >= 1
    else:
        assert other.status_code == 200, other.text
        assert other.headers["Idempotent-Replayed"] == "true"
        assert other.text == made.text
    tracks = api.info(draft_url)["tracks"]
    assert [t["id"] for t in tracks] == made.json()["track_ids"]
