"""A graceful stop (SIGTERM) lets writes in flight finish, and ends with exit code 0."""

from __future__ import annotations

import threading
import time
import uuid

import httpx
import pytest

from support.api import SECOND, Api
from support.media import StandardMedia
from support.media_server import MediaServer
from support.server import ServerProcess

pytestmark = pytest.mark.slow

TRICKLE_SECONDS = 2.0
SIGTERM_AFTER = 0.5
EXIT_WITHIN = 10.0
"""Well under uvicorn's 30 s graceful timeout, so a stop that waits it out fails the test."""


def test_sigterm_lets_the_write_in_flight_finish(
    server: ServerProcess, media_server: MediaServer, standard_media: StandardMedia
) -> None:
    marker = uuid.uuid4().hex
    video_url = media_server.url(
        f"trickle/{standard_media.bars.name}?seconds={TRICKLE_SECONDS}&tag={marker}"
    )
    with Api(server.base_url) as client:
        draft_url = client.create_draft()
        answer: list[httpx.Response | BaseException] = []

        def add_video() -> None:
            infos = [{"video_url": video_url, "start": 0, "end": 3 * SECOND}]
            with Api(server.base_url) as own:
                try:
                    answer.append(
                        own.post("add_videos", {"draft_url": draft_url, "video_infos": infos})
                    )
                except httpx.HTTPError as exc:
                    answer.append(exc)

        writer = threading.Thread(target=add_video)
        writer.start()
        media_server.wait_for_request(marker, timeout=10.0)
        time.sleep(SIGTERM_AFTER)
        assert writer.is_alive(), "the download should still be trickling"
        stopping = time.monotonic()
        code = server.stop(timeout=EXIT_WITHIN)
        took = time.monotonic() - stopping
        writer.join(timeout=30)

        assert code == 0, (code, took, server.log_tail())
        assert took < EXIT_WITHIN, took
        # The stop waited for the download (about 1.5 s of it was left), so it was in flight.
        assert took > (TRICKLE_SECONDS - SIGTERM_AFTER) / 2, took
        assert len(answer) == 1, answer
        response = answer[0]
        assert isinstance(response, httpx.Response), (response, server.log_tail())
        assert response.status_code == 200, response.text
        added = response.json()

        server.start()
        info = client.info(draft_url)
        assert info["current_version"] == added["current_version"] == 1, info
        assert [t["id"] for t in info["tracks"]] == [added["track_id"]], info
        (segment,) = info["tracks"][0]["segments"]
        assert segment["media_kind"] == "video", segment
        assert (segment["start"], segment["end"]) == (0, 3 * SECOND), segment


def test_sigterm_on_an_idle_server_exits_0_promptly(server: ServerProcess) -> None:
    stopping = time.monotonic()
    code = server.stop(timeout=EXIT_WITHIN)
    took = time.monotonic() - stopping
    assert code == 0, (code, server.log_tail())
    assert took < 5.0, took
