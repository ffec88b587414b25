"""Idempotency keys against a real server: a retried edit is applied once, whatever the timing;
the same key with another body is refused; keys are each API key's own; and a server killed
between the commit and the answer answers the retry with what it committed."""

from __future__ import annotations

import sys
import threading
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any

import httpx
import pytest

from support.api import SECOND, Api, ApiOpener
from support.server import ServerProcess

KEY_A = "ds_test-key-alice-0123456789abcdef"
KEY_B = "ds_test-key-bob-0123456789abcdef00"
REPEATS = 10


def caption_body(draft_url: str, text: str = "once") -> dict[str, Any]:
    return {"draft_url": draft_url, "captions": [{"text": text, "start": 0, "end": SECOND}]}


def keyed(api: Api, verb: str, body: Any, key: str) -> httpx.Response:
    return api.http.post(
        api.url(verb), json=body, headers={**api.headers(), "Idempotency-Key": key}
    )


def track_count(api: Api, draft_url: str) -> int:
    return len(api.info(draft_url)["tracks"])


def test_the_same_edit_sent_ten_times_in_sequence_adds_one_track(
    shared_server: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft()

    answers = [keyed(api, "add_captions", caption_body(draft_url), "seq-1") for _ in range(REPEATS)]

    assert [a.status_code for a in answers] == [200] * REPEATS
    assert "idempotent-replayed" not in answers[0].headers
    assert all(a.headers["Idempotent-Replayed"] == "true" for a in answers[1:])
    assert {a.text for a in answers} == {answers[0].text}
    assert track_count(api, draft_url) == 1


def test_the_same_edit_sent_ten_times_at_once_adds_one_track(
    shared_server: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft()
    start = threading.Barrier(REPEATS)

    def send(_: int) -> httpx.Response:
        start.wait(timeout=30)
        return keyed(api, "add_captions", caption_body(draft_url), "burst-1")

    with ThreadPoolExecutor(REPEATS) as pool:
        answers = list(pool.map(send, range(REPEATS)))

    assert [a.status_code for a in answers] == [200] * REPEATS
    assert len({a.json()["track_id"] for a in answers}) == 1
    assert track_count(api, draft_url) == 1


def test_the_key_in_the_body_works_as_the_header_does(
    shared_server: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(shared_server.base_url)
    body = {"width": 640, "height": 360, "idempotency_key": "create-in-body"}

    first, second = api.post("create_draft", body), api.post("create_draft", body)

    assert first.json()["draft_url"] == second.json()["draft_url"]
    assert second.headers["Idempotent-Replayed"] == "true"


def test_the_same_key_with_another_body_is_422_and_applies_nothing(
    shared_server: ServerProcess, apis: ApiOpener
) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft()
    assert keyed(api, "add_captions", caption_body(draft_url), "reused").status_code == 200

    other = keyed(api, "add_captions", caption_body(draft_url, "another"), "reused")

    assert other.status_code == 422
    assert other.json()["code"] == "idempotency_key_reused"
    assert track_count(api, draft_url) == 1


def test_every_state_changing_verb_replays(shared_server: ServerProcess, apis: ApiOpener) -> None:
    api = apis(shared_server.base_url)
    draft_url = api.create_draft()
    api.ok("add_captions", caption_body(draft_url))
    calls = [
        ("save_draft", {"draft_url": draft_url}),
        ("add_captions", caption_body(draft_url, "two")),
        ("restore_version", {"draft_url": draft_url, "version": 1}),
        ("delete_draft", {"draft_url": draft_url}),
    ]
    for verb, body in calls:
        first = keyed(api, verb, body, f"every-{verb}")
        again = keyed(api, verb, body, f"every-{verb}")
        assert first.status_code == 200, (verb, first.text)
        assert (again.status_code, again.text) == (200, first.text), verb
        assert again.headers["Idempotent-Replayed"] == "true", verb


def test_keys_of_another_api_key_do_not_collide(tmp_path: Path, apis: ApiOpener) -> None:
    env = {"DRAFTSMITH_API_KEYS": f"{KEY_A},{KEY_B}"}
    with ServerProcess(tmp_path / "data", env=env) as server:
        alice, bob = apis(server.base_url, KEY_A), apis(server.base_url, KEY_B)

        by_alice = keyed(alice, "create_draft", {"name": "alice's"}, "shared-key")
        by_bob = keyed(bob, "create_draft", {"name": "bob's"}, "shared-key")

        assert (by_alice.status_code, by_bob.status_code) == (200, 200)
        assert "idempotent-replayed" not in by_bob.headers
        assert by_alice.json()["draft_url"] != by_bob.json()["draft_url"]
        assert [d["name"] for d in bob.ok("list_drafts", {})["drafts"]] == ["bob's"]


class DyingServer(ServerProcess):
    """A server that dies by SIGKILL right after an idempotent edit commits (die_after_commit)."""

    def command(self) -> list[str]:
        script = str(Path(__file__).with_name("die_after_commit.py"))
        return [sys.executable, script, *super().command()[3:]]


def test_a_kill_between_the_commit_and_the_answer_then_the_retry_gives_the_stored_answer(
    tmp_path: Path, apis: ApiOpener
) -> None:
    with DyingServer(tmp_path / "data") as server:
        api = apis(server.base_url)
        draft_url = api.create_draft()
        body = caption_body(draft_url)

        with pytest.raises(httpx.TransportError):
            keyed(api, "add_captions", body, "crash-1")
        server.kill()
        server.start()
        retry = keyed(api, "add_captions", body, "crash-1")

        assert retry.status_code == 200, retry.text
        assert retry.headers["Idempotent-Replayed"] == "true"
        info = api.info(draft_url)
        assert [t["id"] for t in info["tracks"]] == [retry.json()["track_id"]]
