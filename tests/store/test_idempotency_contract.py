"""Idempotency keys in the store, run against every adapter: a key's write and its response
commit together, a taken key replays instead of writing, and concurrent writers with one key
write once."""

from __future__ import annotations

import json
import threading
from concurrent.futures import ThreadPoolExecutor

import pytest

from draftsmith.errors import DraftNotFound, IdempotencyKeyReused
from draftsmith.store.idempotency import Idempotency, Replayed, StoredResponse
from draftsmith.store.port import DraftStore, JobStore
from draftsmith.store.records import DraftHeader, RenderJob, SaveOutcome

from .builders import new_draft, video_track
from .test_contract import CONTENT_CHUNKS, CONTENT_SHA, FILES, NOW

DAY_US = 24 * 3600 * 1_000_000


def once(
    key: str = "k1", body: str = "b1", scope: str = "", at: int = NOW
) -> Idempotency[DraftHeader]:
    def respond(header: DraftHeader) -> str:
        return json.dumps({"revision": header.revision, "segments": header.segment_count})

    return Idempotency(scope, key, body, at, at - DAY_US, respond)


def replayed(call: object) -> str:
    assert callable(call)
    with pytest.raises(Replayed) as caught:
        call()
    return caught.value.response


def test_first_write_stores_its_response_with_its_effect(store: DraftStore) -> None:
    store.create_draft(new_draft(), NOW)

    header = store.append_track("dft_one", video_track("t1"), NOW, once=once())

    assert header.segment_count == 2
    stored = store.idempotent_response("", "k1", NOW - DAY_US)
    assert stored == StoredResponse("b1", json.dumps({"revision": 1, "segments": 2}))


def test_a_repeat_replays_and_writes_nothing(store: DraftStore) -> None:
    store.create_draft(new_draft(), NOW)
    store.append_track("dft_one", video_track("t1"), NOW, once=once())

    response = replayed(lambda: store.append_track("dft_one", video_track("t2"), NOW, once=once()))

    assert json.loads(response) == {"revision": 1, "segments": 2}
    assert store.header("dft_one").segment_count == 2


def test_the_same_key_with_another_body_is_refused(store: DraftStore) -> None:
    store.create_draft(new_draft(), NOW)
    store.append_track("dft_one", video_track("t1"), NOW, once=once())

    with pytest.raises(IdempotencyKeyReused):
        store.append_track("dft_one", video_track("t2"), NOW, once=once(body="b2"))
    assert store.header("dft_one").segment_count == 2


def test_keys_of_another_scope_do_not_collide(store: DraftStore) -> None:
    store.create_draft(new_draft(), NOW)
    store.append_track("dft_one", video_track("t1"), NOW, once=once(scope="key_a"))

    store.append_track("dft_one", video_track("t2"), NOW, once=once(scope="key_b"))

    assert store.header("dft_one").segment_count == 4


def test_a_failed_write_leaves_its_key_free(store: DraftStore) -> None:
    with pytest.raises(DraftNotFound):
        store.append_track("dft_none", video_track("t1"), NOW, once=once())

    assert store.idempotent_response("", "k1", NOW - DAY_US) is None
    store.create_draft(new_draft(), NOW)
    assert store.append_track("dft_one", video_track("t1"), NOW, once=once()).segment_count == 2


def test_a_stale_key_is_taken_again(store: DraftStore) -> None:
    store.create_draft(new_draft(), NOW)
    store.append_track("dft_one", video_track("t1"), NOW, once=once())
    later = NOW + DAY_US + 1

    assert store.idempotent_response("", "k1", later - DAY_US) is None
    store.append_track("dft_one", video_track("t2"), later, once=once(body="b2", at=later))

    assert store.header("dft_one").segment_count == 4
    assert store.idempotent_response("", "k1", later - DAY_US) == StoredResponse(
        "b2", json.dumps({"revision": 2, "segments": 4})
    )


def test_forgetting_deletes_only_older_keys(store: DraftStore) -> None:
    store.create_draft(new_draft(), NOW)
    store.append_track("dft_one", video_track("t1"), NOW, once=once("old"))
    store.append_track("dft_one", video_track("t2"), NOW + 10, once=once("new", at=NOW + 10))

    assert store.forget_idempotency_keys(NOW + 5) == 1

    assert store.idempotent_response("", "old", 0) is None
    assert store.idempotent_response("", "new", 0) is not None


def test_every_write_takes_a_key(store: DraftStore) -> None:
    def header_once(key: str) -> Idempotency[DraftHeader]:
        return Idempotency("", key, "b", NOW, 0, lambda h: h.id)

    created = store.create_draft(new_draft(), NOW, once=header_once("create"))
    assert (
        replayed(lambda: store.create_draft(new_draft("dft_two"), NOW, once=header_once("create")))
        == created.id
    )
    header = store.replace_tracks(
        "dft_one", (video_track("t1"),), 0, NOW, once=header_once("replace")
    )
    assert (
        replayed(
            lambda: store.replace_tracks(
                "dft_one", (), header.revision, NOW, once=header_once("replace")
            )
        )
        == "dft_one"
    )
    save_once: Idempotency[SaveOutcome] = Idempotency(
        "", "save", "b", NOW, 0, lambda o: str(o.version.version)
    )
    _, draft = store.load("dft_one")
    save = dict(
        revision=header.revision,
        snapshot=draft,
        files=FILES,
        contents={CONTENT_SHA: CONTENT_CHUNKS},
        label=None,
        keep_versions=0,
        now_us=NOW,
        once=save_once,
    )
    store.add_version("dft_one", **save)  # type: ignore[arg-type]
    assert replayed(lambda: store.add_version("dft_one", **save)) == "1"  # type: ignore[arg-type]
    job_once: Idempotency[RenderJob] = Idempotency("", "render", "b", NOW, 0, lambda j: j.id)
    assert isinstance(store, JobStore)
    job = store.create_render_job("dft_one", 1, None, NOW, once=job_once)
    assert (
        replayed(lambda: store.create_render_job("dft_one", 1, None, NOW, once=job_once)) == job.id
    )
    cancel_once: Idempotency[RenderJob] = Idempotency(
        "", "cancel", "b", NOW, 0, lambda j: j.status.value
    )
    store.cancel_render_job("dft_one", None, NOW, once=cancel_once)
    assert replayed(lambda: store.cancel_render_job("dft_one", None, NOW, once=cancel_once)) == (
        "cancelled"
    )
    delete_once: Idempotency[None] = Idempotency("", "delete", "b", NOW, 0, lambda _: "gone")
    store.delete_draft("dft_one", once=delete_once)
    assert replayed(lambda: store.delete_draft("dft_one", once=delete_once)) == "gone"
    for draft_id in ("dft_one", "dft_two"):
        with pytest.raises(DraftNotFound):
            store.header(draft_id)


def test_concurrent_writers_with_one_key_write_once(store: DraftStore) -> None:
    store.create_draft(new_draft(), NOW)
    start = threading.Barrier(8)

    def append(index: int) -> str:
        start.wait()
        try:
            header = store.append_track("dft_one", video_track(f"t{index}"), NOW, once=once())
        except Replayed as exc:
            return exc.response
        return json.dumps({"revision": header.revision, "segments": header.segment_count})

    with ThreadPoolExecutor(8) as pool:
        answers = set(pool.map(append, range(8)))

    assert answers == {json.dumps({"revision": 1, "segments": 2})}
    assert store.header("dft_one").segment_count == 2
