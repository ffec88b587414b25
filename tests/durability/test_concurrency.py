"""Invariant 3 and the save_draft contract under concurrency, against one real server.

N concurrent edits give N applied edits, each its own revision; concurrent saves publish
consecutive, whole versions, and a save answered after an edit was acknowledged publishes a
version that contains that edit.
"""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path
from typing import Any, TypeVar

import pytest

from durability.conftest import load_version
from support.api import Api, caption_texts
from support.server import ServerProcess

pytestmark = pytest.mark.slow

T = TypeVar("T")
EDITORS = 50
SAVERS = 20
EXTRA_EDITORS = 5
EXTRA_EDITS = 4


def all_at_once(count: int, work: Callable[[Api, int], T], base_url: str) -> list[T]:
    """Run `work(client, index)` on `count` threads, each with its own connection, released
    together by a barrier so that the requests really overlap."""
    barrier = threading.Barrier(count)

    def run(index: int) -> T:
        with Api(base_url, timeout=60) as client:
            barrier.wait(timeout=30)
            return work(client, index)

    with ThreadPoolExecutor(count) as pool:
        return list(pool.map(run, range(count)))


def test_concurrent_edits_are_each_applied_once(unlimited_server: ServerProcess) -> None:
    with Api(unlimited_server.base_url) as client:
        draft_url = client.create_draft()
        texts = [f"edit-{i}" for i in range(EDITORS)]
        responses = all_at_once(
            EDITORS,
            lambda c, i: c.post_captions(draft_url, [texts[i]]),
            unlimited_server.base_url,
        )
        failed = [(r.status_code, r.text) for r in responses if r.status_code != 200]
        assert failed == []
        answers = [r.json() for r in responses]
        revisions = sorted(a["current_version"] for a in answers)
        assert revisions == list(range(1, EDITORS + 1)), revisions

        info = client.info(draft_url)
        assert info["current_version"] == EDITORS
        assert info["segment_count"] == EDITORS
        assert info["track_count"] == EDITORS
        assert sorted(caption_texts(info)) == sorted(texts)
        # Each edit answered with the revision it made; the track it added sits at that place.
        track_at = {index + 1: track["id"] for index, track in enumerate(info["tracks"])}
        assert {a["current_version"]: a["track_id"] for a in answers} == track_at


@dataclass(frozen=True)
class EditThenSave:
    text: str
    edit: dict[str, Any]
    save: dict[str, Any]


def edit_then_save(client: Api, draft_url: str, text: str) -> EditThenSave:
    edit = client.post_captions(draft_url, [text])
    assert edit.status_code == 200, edit.text
    save = client.post("save_draft", {"draft_url": draft_url})
    assert save.status_code == 200, save.text
    return EditThenSave(text, edit.json(), save.json())


def test_concurrent_saves_publish_consecutive_whole_versions(
    unlimited_server: ServerProcess, tmp_path: Path
) -> None:
    with Api(unlimited_server.base_url) as client:
        draft_url = client.create_draft()

        def work(c: Api, index: int) -> list[EditThenSave]:
            if index < SAVERS:
                return [edit_then_save(c, draft_url, f"saver-{index}")]
            # Edits that no save of their own follows, interleaved with the savers'.
            for number in range(EXTRA_EDITS):
                response = c.post_captions(draft_url, [f"editor-{index}-{number}"])
                assert response.status_code == 200, response.text
            return []

        done = all_at_once(SAVERS + EXTRA_EDITORS, work, unlimited_server.base_url)
        results = [result for results in done for result in results]
        assert len(results) == SAVERS

        texts = caption_texts(client.info(draft_url))
        assert len(texts) == SAVERS + EXTRA_EDITORS * EXTRA_EDITS
        versions = client.versions(draft_url)
        numbers = [v["version"] for v in versions]
        assert numbers == list(range(1, len(versions) + 1)), numbers
        revisions = [v["current_version"] for v in versions]
        assert revisions == sorted(set(revisions)), f"each version is a newer state: {revisions}"
        counts = [v["segment_count"] for v in versions]
        assert counts == sorted(counts), f"a later version lost captions: {counts}"

        published = {v["version"]: v for v in versions}
        contents = {
            v["version"]: load_version(client, draft_url, v["version"], tmp_path).captions
            for v in versions
        }
        for number, captions in contents.items():
            revision = published[number]["current_version"]
            # Tracks are only ever appended, so the state at revision r is the first r of now.
            assert captions == texts[:revision], (number, revision, captions)
            assert len(captions) == published[number]["segment_count"], number
        for result in results:
            version = result.save["version"]
            assert version in published, (result, numbers)
            assert result.save["current_version"] == published[version]["current_version"]
            # The save came after the edit was acknowledged: what it published includes it.
            assert result.save["current_version"] >= result.edit["current_version"], result
            assert result.text in contents[version], (result, contents[version])

        # Saving what is already saved publishes nothing new.
        final = client.ok("save_draft", {"draft_url": draft_url})
        again = client.ok("save_draft", {"draft_url": draft_url})
        assert final["version"] in (numbers[-1], numbers[-1] + 1), final
        assert (again["version"], again["created"]) == (final["version"], False), again
        assert final["current_version"] == len(texts), final
