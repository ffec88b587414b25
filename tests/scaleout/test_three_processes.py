"""Invariant 3 across processes: three servers sharing one PostgreSQL database and one S3 bucket
behave as one server. Requests go round-robin, as a load balancer would send them.
"""

from __future__ import annotations

import hashlib
import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from pathlib import Path
from typing import Any, TypeVar

import httpx
import pytest

from draft_oracle import load_summary
from support.api import SECOND, Api, ApiOpener, caption_texts, relative_path
from support.downloads import draft_id_of, unzip_draft
from support.media_server import MediaServer

from .conftest import Cluster

pytestmark = pytest.mark.slow

T = TypeVar("T")
EDITS = 210
SAVERS = 30


def round_robin(cluster: Cluster, count: int, work: Callable[[Api, int], T]) -> list[T]:
    """Run `work(api, index)` on `count` threads released together by a barrier; request
    number `index` goes to process `index % 3`. One raw client with a connection per thread: a
    client per thread would spend seconds building SSL contexts before any request is sent, so
    `work` sends raw requests only."""
    barrier = threading.Barrier(count)
    limits = httpx.Limits(max_connections=count, max_keepalive_connections=count)
    with (
        httpx.Client(timeout=60, trust_env=False, limits=limits) as http,
        Api(cluster.base_url(0), http=http) as first,
    ):

        def run(index: int) -> T:
            api = first.at(cluster.base_url(index))
            barrier.wait(timeout=60)
            return work(api, index)

        with ThreadPoolExecutor(count) as pool:
            return list(pool.map(run, range(count)))


def test_concurrent_edits_sent_to_three_processes_are_each_applied_once(
    cluster: Cluster, apis: ApiOpener
) -> None:
    draft_url = apis(cluster.base_url(0)).create_draft()
    texts = [f"edit-{index}" for index in range(EDITS)]
    responses = round_robin(
        cluster,
        EDITS,
        lambda api, i: api.post(
            "add_captions",
            {"draft_url": draft_url, "captions": [{"text": texts[i], "start": 0, "end": SECOND}]},
        ),
    )
    assert [(r.status_code, r.text) for r in responses if r.status_code != 200] == []
    revisions = sorted(r.json()["current_version"] for r in responses)
    assert revisions == list(range(1, EDITS + 1))
    for index in range(len(cluster.servers)):
        info = apis(cluster.base_url(index)).info(draft_url)
        assert info["current_version"] == EDITS
        assert info["segment_count"] == EDITS
        assert sorted(caption_texts(info)) == sorted(texts)


def test_concurrent_saves_sent_to_three_processes_publish_consecutive_versions(
    cluster: Cluster, http: httpx.Client, apis: ApiOpener, tmp_path: Path
) -> None:
    draft_url = apis(cluster.base_url(0)).create_draft()

    def edit_then_save(api: Api, index: int) -> tuple[str, dict[str, Any], dict[str, Any]]:
        text = f"saver-{index}"
        captions = [{"text": text, "start": 0, "end": SECOND}]
        edit = api.ok("add_captions", {"draft_url": draft_url, "captions": captions})
        # The save goes to the next process, not the one that made the edit.
        return text, edit, api.at(cluster.base_url(index + 1)).save(draft_url)

    results = round_robin(cluster, SAVERS, edit_then_save)
    api = apis(cluster.base_url(2))
    texts = caption_texts(api.info(draft_url))
    assert sorted(texts) == sorted(text for text, _, _ in results)
    versions = api.versions(draft_url)
    numbers = [v["version"] for v in versions]
    assert numbers == list(range(1, len(versions) + 1))
    revisions = [v["current_version"] for v in versions]
    assert revisions == sorted(set(revisions)), f"each version is a newer state: {revisions}"
    published = {v["version"]: v["current_version"] for v in versions}
    for text, edit, save in results:
        assert published[save["version"]] == save["current_version"]
        assert save["current_version"] >= edit["current_version"], (text, edit, save)
    # Tracks are only appended, so the version made at revision r holds the first r captions.
    draft_id = draft_id_of(draft_url)
    for number in (numbers[0], numbers[len(numbers) // 2], numbers[-1]):
        source = api.at(cluster.base_url(number))
        response = http.get(
            source.url("download_draft"), params={"draft_id": draft_id, "version": number}
        )
        assert response.status_code == 200, response.text
        unzip_draft(response.content, tmp_path / f"v{number}")
        summary = load_summary(tmp_path / f"v{number}" / draft_id)
        assert summary.captions == texts[: published[number]], number


def test_a_stale_expected_version_is_refused_by_another_process(
    cluster: Cluster, apis: ApiOpener
) -> None:
    first, second, third = (apis(cluster.base_url(i)) for i in range(3))
    draft_url = first.create_draft()
    first.add_caption(draft_url, "one")
    assert first.save(draft_url, expected_version=1)["version"] == 1
    assert second.add_caption(draft_url, "two").current_version == 2

    stale = third.post("save_draft", {"draft_url": draft_url, "expected_version": 1})
    assert stale.status_code == 409, stale.text
    assert stale.json() == {"detail": "Draft was modified", "code": "draft_modified"}
    assert [v["version"] for v in first.versions(draft_url)] == [1]

    fresh = third.save(draft_url, expected_version=2)
    assert (fresh["version"], fresh["current_version"]) == (2, 2)


def test_media_added_through_one_process_downloads_identically_through_the_others(
    cluster: Cluster,
    http: httpx.Client,
    apis: ApiOpener,
    media_server: MediaServer,
    media_dir: Path,
    tmp_path: Path,
) -> None:
    adder, lister, zipper = (apis(cluster.base_url(i)) for i in range(3))
    video = (media_dir / "bars.mp4").read_bytes()
    draft_url = adder.create_draft()
    adder.add_video(draft_url, media_server.url("bars.mp4"), 0, 2 * SECOND)
    lister.add_caption(draft_url, "over the bars")
    version = zipper.save(draft_url)["version"]
    draft_id = draft_id_of(draft_url)

    listed = lister.get_draft(draft_id, version)["files"]
    served = {relative_path(url, draft_id): lister.file_bytes(url) for url in listed}
    assert video in served.values()
    # Behind a load balancer any process may get the request for any file URL.
    for other in (adder, zipper):
        for url in listed:
            moved = other.base_url + url.removeprefix(lister.base_url)
            assert other.file_bytes(moved) == served[relative_path(url, draft_id)], url

    response = http.get(zipper.url("download_draft"), params={"draft_id": draft_id})
    assert response.status_code == 200, response.text
    names = unzip_draft(response.content, tmp_path)
    folder = tmp_path / draft_id
    assert sorted(names) == sorted(f"{draft_id}/{path}" for path in served)
    for path, data in served.items():
        assert (folder / path).read_bytes() == data, path

    summary = load_summary(folder)
    assert [kind for kind, _ in summary.tracks] == ["video", "text"]
    assert summary.captions == ["over the bars"]

    # The bytes live in the shared bucket, and in no process's data directory.
    key = f"{cluster.prefix}blobs/{hashlib.sha256(video).hexdigest()[:2]}/"
    listing = cluster.s3.client().list_objects_v2(Bucket=cluster.bucket, Prefix=key)
    assert listing.get("KeyCount", 0) >= 1
    for server in cluster.servers:
        assert not (server.data_dir / "blobs").exists()
