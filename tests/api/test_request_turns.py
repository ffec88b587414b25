"""Request turns (turns.py): at most so many holders, let in in arrival order; a thread away
gives its turn to the next; and a server whose only turn is taken by a request downloading
media still serves every other request meanwhile."""

from __future__ import annotations

import contextlib
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
from support.waiting import wait_for

WAIT = 10.0
STALL_SECONDS = 30


def started(target: Callable[[], None]) -> threading.Thread:
    thread = threading.Thread(target=target, daemon=True)
    thread.start()
    return thread


class Holders:
    """Threads that each take a turn, say so in `inside`, and keep it (until `finish`) if
    told to."""

    def __init__(self, turns: Turns) -> None:
        self.turns = turns
        self.inside: list[str] = []
        self._release = threading.Event()
        self._threads: list[threading.Thread] = []

    def start(self, name: str, *, keep: bool = True) -> None:
        def hold() -> None:
            with self.turns:
                self.inside.append(name)
                if keep:
                    self._release.wait(WAIT)

        self._threads.append(started(hold))

    def finish(self) -> None:
        self._release.set()
        for thread in self._threads:
            thread.join(WAIT)


def test_at_most_count_hold_at_once() -> None:
    holders = Holders(Turns(2))
    for name in ("a", "b", "c"):
        holders.start(name)
    wait_for(lambda: len(holders.inside) == 2)
    time.sleep(0.2)
    assert len(holders.inside) == 2
    holders.finish()
    assert sorted(holders.inside) == ["a", "b", "c"]


def test_waiting_holders_are_let_in_in_arrival_order() -> None:
    holders = Holders(Turns(1))
    holders.start("first")
    wait_for(lambda: holders.inside == ["first"])
    # Queued one at a time, so that their arrival order is known.
    for name in ("c", "d", "e", "f"):
        holders.start(name, keep=False)
        time.sleep(0.05)
    holders.finish()
    assert holders.inside == ["first", "c", "d", "e", "f"]


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
    wait_for(lambda: "away" in events)
    second = started(other)
    first.join(WAIT)
    second.join(WAIT)
    # The thread coming back waits for the one that came in meanwhile to leave.
    assert events == ["away", "other in", "other out", "back"]


def test_away_without_a_turn_gives_none_away() -> None:
    turns = Turns(1)
    with turns.away():
        pass
    holders = Holders(turns)
    holders.start("first")
    wait_for(lambda: holders.inside == ["first"])
    holders.start("second")
    time.sleep(0.2)
    # Still one turn: the second waits for the first.
    assert holders.inside == ["first"]
    holders.finish()
    assert holders.inside == ["first", "second"]


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
