"""Verbs whose effect is several tracks, each applied in one write with its key:
easy_create_material (sent repeatedly, at once and in sequence, by header or body field),
add_effects with overlapping items, and a saving compose retried at once."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx

from support.api import SECOND, Api, ApiOpener
from support.media_server import MediaServer
from support.server import ServerProcess

REPEATS = 6


def keyed(api: Api, verb: str, body: Any, key: str) -> httpx.Response:
    return api.http.post(
        api.url(verb), json=body, headers={**api.headers(), "Idempotency-Key": key}
    )


def _material(draft_url: str, media: MediaServer) -> dict[str, Any]:
    return {
        "draft_url": draft_url,
        "audio_url": media.url("tone.mp3"),
        "video_url": media.url("bars.mp4"),
        "img_url": media.url("still.png"),
        "text": "hello",
    }


def _types(api: Api, draft_url: str) -> list[str]:
    return [t["type"] for t in api.info(draft_url)["tracks"]]


def test_easy_create_material_sent_again_and_again_adds_its_tracks_once(
    shared_server: ServerProcess, apis: ApiOpener, media_server: MediaServer
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft()
    body = _material(draft_url, media_server)
    start = threading.Barrier(REPEATS)

    def send(_: int) -> httpx.Response:
        start.wait(timeout=30)
        return keyed(api, "easy_create_material", body, "easy-burst")

    with ThreadPoolExecutor(REPEATS) as pool:
        burst = list(pool.map(send, range(REPEATS)))
    later = keyed(api, "easy_create_material", body, "easy-burst")

    assert [a.status_code for a in burst] == [200] * REPEATS, [a.text for a in burst]
    assert {a.text for a in [*burst, later]} == {later.text}
    assert sum("idempotent-replayed" not in a.headers for a in burst) == 1
    assert later.headers["Idempotent-Replayed"] == "true"
    assert _types(api, draft_url) == ["audio", "video", "video", "text"]
    assert later.json()["current_version"] == api.info(draft_url)["current_version"]

    other = keyed(api, "easy_create_material", {**body, "text": "another"}, "easy-burst")
    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"


def test_easy_create_material_takes_the_key_in_its_body(
    shared_server: ServerProcess, apis: ApiOpener, media_server: MediaServer
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft()
    body = {**_material(draft_url, media_server), "idempotency_key": "easy-in-body"}

    first, second = api.post("easy_create_material", body), api.post("easy_create_material", body)

    assert (first.status_code, second.status_code) == (200, 200), first.text
    assert second.headers["Idempotent-Replayed"] == "true"
    assert _types(api, draft_url) == ["audio", "video", "video", "text"]
    # Without a key each call is applied: the same request twice is two sets of tracks.
    plain = {k: v for k, v in body.items() if k != "idempotency_key"}
    api.ok("easy_create_material", plain)
    assert len(_types(api, draft_url)) == 8


def test_a_saving_compose_sent_at_once_stacks_and_saves_once(
    shared_server: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft()
    spec = {
        "draft_url": draft_url,
        "save": True,
        "tracks": [{"type": "caption", "items": [{"text": "x", "start": 0, "end": SECOND}]}],
    }
    start = threading.Barrier(REPEATS)

    def send(_: int) -> httpx.Response:
        start.wait(timeout=30)
        return keyed(api, "compose", spec, "compose-burst")

    with ThreadPoolExecutor(REPEATS) as pool:
        answers = list(pool.map(send, range(REPEATS)))

    assert [a.status_code for a in answers] == [200] * REPEATS, [a.text for a in answers]
    assert len({a.text for a in answers}) == 1
    assert len(api.info(draft_url)["tracks"]) == 1
    assert [v["version"] for v in api.versions(draft_url)] == [1]


def test_overlapping_effects_sent_twice_stack_their_tracks_once_in_one_write(
    shared_server: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft()
    before = api.info(draft_url)["current_version"]
    overlapping = [
        {"effect_title": "简约边框", "start": 0, "end": 2 * SECOND},
        {"effect_title": "简约边框", "start": SECOND, "end": 3 * SECOND},
    ]
    body = {"draft_url": draft_url, "effect_infos": overlapping}

    first = keyed(api, "add_effects", body, "effects-overlap")
    again = keyed(api, "add_effects", body, "effects-overlap")

    assert (first.status_code, again.text) == (200, first.text), first.text
    info = api.info(draft_url)
    assert [t["type"] for t in info["tracks"]] == ["effect", "effect"]
    assert info["current_version"] == before + 1 == first.json()["current_version"]
