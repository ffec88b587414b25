"""Idempotency keys across three processes on one PostgreSQL database: a retried edit sent to
any process, at once or in turn, is applied once, and a reused key with another body is 422."""

from __future__ import annotations

import threading
from concurrent.futures import ThreadPoolExecutor
from typing import Any

import httpx
import pytest

from support.api import SECOND, ApiOpener

from .conftest import Cluster

pytestmark = pytest.mark.slow

REPEATS = 10


def caption_body(draft_url: str, text: str = "once") -> dict[str, Any]:
    return {"draft_url": draft_url, "captions": [{"text": text, "start": 0, "end": SECOND}]}


def send(cluster: Cluster, index: int, body: Any, key: str) -> httpx.Response:
    url = f"{cluster.base_url(index)}/openapi/capcut-mate/v1/add_captions"
    return httpx.post(url, json=body, headers={"Idempotency-Key": key}, timeout=60, trust_env=False)


def tracks(apis: ApiOpener, cluster: Cluster, draft_url: str) -> list[dict[str, Any]]:
    found: list[dict[str, Any]] = apis(cluster.base_url(1)).info(draft_url)["tracks"]
    return found


def test_one_key_sent_ten_times_at_once_to_three_processes_adds_one_track(
    cluster: Cluster, apis: ApiOpener
) -> None:
    draft_url = apis(cluster.base_url(0)).create_draft()
    start = threading.Barrier(REPEATS)

    def post(index: int) -> httpx.Response:
        start.wait(timeout=60)
        return send(cluster, index, caption_body(draft_url), "burst")

    with ThreadPoolExecutor(REPEATS) as pool:
        answers = list(pool.map(post, range(REPEATS)))

    assert [a.status_code for a in answers] == [200] * REPEATS
    assert len({a.json()["track_id"] for a in answers}) == 1
    assert len(tracks(apis, cluster, draft_url)) == 1


def test_one_key_sent_ten_times_in_turn_to_three_processes_adds_one_track(
    cluster: Cluster, apis: ApiOpener
) -> None:
    draft_url = apis(cluster.base_url(0)).create_draft()

    answers = [send(cluster, i, caption_body(draft_url), "in-turn") for i in range(REPEATS)]

    assert [a.status_code for a in answers] == [200] * REPEATS
    assert [a.headers.get("Idempotent-Replayed") for a in answers] == [None] + ["true"] * 9
    assert {a.text for a in answers} == {answers[0].text}
    assert len(tracks(apis, cluster, draft_url)) == 1


def test_another_body_with_the_key_is_422_on_every_process(
    cluster: Cluster, apis: ApiOpener
) -> None:
    draft_url = apis(cluster.base_url(0)).create_draft()
    assert send(cluster, 0, caption_body(draft_url), "reused").status_code == 200

    refused = [send(cluster, i, caption_body(draft_url, "other"), "reused") for i in range(3)]

    assert [r.status_code for r in refused] == [422] * 3
    assert len(tracks(apis, cluster, draft_url)) == 1
