"""Request turns (turns.py): at most so many holders, let in in arrival order; a thread away
gives its turn to the next; and a server whose only turn is taken by a request downloading
media still serves every other request meanwhile."""

from __future__ import annotations

import contextlib
import functools
import json
import threading
import time
import uuid
from collections.abc import Callable
from pathlib import Path

import httpx

from draftsmith.turns import Turns
from support.api import SECOND, Api, ApiOpener
from support.media_server import MediaServer
from support.server import ServerProcess

WAIT = 10.0
STALL_SECONDS = 30


def started(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


def wait_until(condition: Callable[[], bool]) -> None:
    deadline = time.monotonic() + WAIT
    while not condition():
        assert time.monotonic() < deadline, "timed out"
        time.sleep(0.005)


def test_at_most_count_hold_at_once() -> None:
    turns = Turns(2)
    release = threading.Event()
    inside: list[str] = []

    def hold(name: str) -> None:
        with turns:
            inside.append(name)
            release.wait(WAIT)

    threads = [started(functools.partial(hold, name)) for name in ("a", "b", "c")]
    wait_until(lambda: len(inside) == 2)
    time.sleep(0.2)
    assert len(inside) == 2
    release.set()
    for thread in threads:
        thread.join(WAIT)
    assert sorted(inside) == ["a", "b", "c"]


def test_waiting_holders_are_let_in_in_arrival_order() -> None:
    turns = Turns(1)
    release = threading.Event()
    order: list[str] = []

    def hold(name: str) -> None:
        with turns:
            order.append(name)
            if name == "first":
                release.wait(WAIT)

    threads = [started(lambda: hold("first"))]
    wait_until(lambda: order == ["first"])
    # Queued one at a time, so that their arrival order is known.
    for name in ("c", "d", "e", "f"):
        threads.append(started(functools.partial(hold, name)))
        time.sleep(0.05)
    release.set()
    for thread in threads:
        thread.join(WAIT)
    assert order == ["first", "c", "d", "e", "f"]


def test_a_thread_away_lets_the_next_one_in_and_queues_again_to_come_back() -> None:
    turns = Turns(1)
    back = threading.Event()
    events: list[str] = []

    def away_for_a_while() -> None:
        with turns:
            with turns.away():
                events.append("away")
                back.wait(WAIT)
            events.append("back")

    def other() -> None:
        with turns:
            events.append("other in")
            back.set()
            time.sleep(0.1)
            events.append("other out")

    first = started(away_for_a_while)
    wait_until(lambda: "away" in events)
    second = started(other)
    first.join(WAIT)
    second.join(WAIT)
    # The thread coming back waits for the one that came in meanwhile to leave.
    assert events == ["away", "other in", "other out", "back"]


def test_away_without_a_turn_gives_none_away() -> None:
    turns = Turns(1)
    with turns.away():
        pass
    release = threading.Event()
    inside: list[str] = []

    def hold(name: str) -> None:
        with turns:
            inside.append(name)
            release.wait(WAIT)

    first = started(lambda: hold("first"))
    wait_until(lambda: inside == ["first"])
    second = started(lambda: hold("second"))
    time.sleep(0.2)
    # Still one turn: the second waits for the first.
    assert inside == ["first"]
    release.set()
    first.join(WAIT)
    second.join(WAIT)
    assert inside == ["first", "second"]


def add_videos_until_shut_down(api: Api, body: dict[str, str]) -> None:
    """add_videos of a stalling download: the server shutting down ends it."""
    with contextlib.suppress(httpx.TransportError):
        api.post("add_videos", body)


def test_a_request_downloading_media_leaves_its_turn_to_others(
    tmp_path: Path, apis: ApiOpener, media_server: MediaServer
) -> None:
    env = {
        "DRAFTSMITH_ALLOW_PRIVATE_URLS": "1",
        "DRAFTSMITH_REQUEST_CONCURRENCY": "1",
        "DRAFTSMITH_MEDIA_TIMEOUT_SECONDS": "60",
    }
    with ServerProcess(tmp_path / "data", env=env) as server:
        api, downloader = apis(server.base_url), apis(server.base_url)
        draft_url = api.create_draft()
        tag = uuid.uuid4().hex
        video = {"video_url": media_server.url(f"slow?seconds={STALL_SECONDS}&t={tag}")}
        item = {**video, "start": 0, "end": SECOND}
        body = {"draft_url": draft_url, "video_infos": json.dumps([item])}
        stalled = started(lambda: add_videos_until_shut_down(downloader, body))
        media_server.wait_for_request(tag)
        # The download holds no turn: every other request is served while it stalls.
        other = api.create_draft()
        api.add_caption(other, "meanwhile")
        assert api.post("save_draft", {"draft_url": other}).json()["version"] == 1
        assert api.info(other)["track_count"] == 1
        assert stalled.is_alive()
