"""Concurrent writers with real threads: N edits give N applied edits, saves stay ordered."""

from __future__ import annotations

import threading
from collections.abc import Callable
from concurrent.futures import ThreadPoolExecutor
from typing import TypeVar

from draftsmith.errors import Conflict
from draftsmith.store.port import DraftStore
from draftsmith.store.postgres import PostgresDraftStore
from draftsmith.store.records import DraftHeader, SaveOutcome

from .builders import new_draft, text_track

NOW = 1_763_900_000_000_000
T = TypeVar("T")


def run_together(count: int, work: Callable[[int], T]) -> list[T]:
    """Run `work(0..count-1)` on `count` threads released at the same moment."""
    start = threading.Barrier(count, timeout=30)

    def released(number: int) -> T:
        start.wait()
        return work(number)

    with ThreadPoolExecutor(max_workers=count) as pool:
        return list(pool.map(released, range(count)))


def test_fifty_threads_appending_lose_no_track(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)

    headers = run_together(50, lambda n: store.append_track(draft.id, text_track(f"t{n}"), NOW + n))

    header, loaded = store.load(draft.id)
    assert header.revision == 50
    assert header.segment_count == 100
    assert sorted(h.revision for h in headers) == list(range(1, 51))
    assert sorted(t.id for t in loaded.tracks) == sorted(f"t{n}" for n in range(50))
    # The track a call appended is the one on top at the revision that call returned.
    by_revision = {h.revision: n for n, h in enumerate(headers)}
    assert [t.id for t in loaded.tracks] == [f"t{by_revision[r]}" for r in range(1, 51)]


def test_saves_interleaved_with_appends_publish_consecutive_ordered_versions(
    store: DraftStore,
) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)

    def append_then_save(number: int) -> tuple[int, SaveOutcome]:
        store.append_track(draft.id, text_track(f"t{number}"), NOW)
        header, current = store.load(draft.id)
        outcome = store.add_version(
            draft.id,
            revision=header.revision,
            snapshot=current,
            files=(),
            contents={},
            label=f"save {number}",
            keep_versions=0,
            now_us=NOW + number,
        )
        return header.revision, outcome

    results = run_together(20, append_then_save)

    versions = store.versions(draft.id)
    assert [v.version for v in versions] == list(range(1, len(versions) + 1))
    revisions = [v.revision for v in versions]
    assert revisions == sorted(set(revisions))
    assert revisions[-1] == 20
    for version in versions:
        snapshot = store.version_snapshot(draft.id, version.version)
        assert len(snapshot.tracks) == version.revision == version.segment_count // 2
    for revision, outcome in results:
        assert outcome.version.revision >= revision
    created = sorted(o.version.version for _, o in results if o.created)
    assert created == [v.version for v in versions]
    header = store.header(draft.id)
    assert (header.revision, header.saved_version, header.saved_revision) == (
        20,
        len(versions),
        20,
    )


def test_replace_tracks_at_one_revision_lets_exactly_one_writer_win(store: DraftStore) -> None:
    draft = new_draft()
    store.create_draft(draft, NOW)

    def replace(number: int) -> DraftHeader | None:
        try:
            return store.replace_tracks(draft.id, (text_track(f"t{number}"),), 0, NOW)
        except Conflict:
            return None

    results = run_together(10, replace)

    winners = [(n, h) for n, h in enumerate(results) if h is not None]
    assert len(winners) == 1
    number, header = winners[0]
    assert header.revision == 1
    assert store.header(draft.id) == header
    assert [t.id for t in store.load(draft.id)[1].tracks] == [f"t{number}"]


def test_two_postgres_stores_appending_at_once_lose_nothing(
    postgres_store: PostgresDraftStore, postgres_url: str
) -> None:
    # Two pools on one database behave as two server processes: nothing is shared but rows.
    other = PostgresDraftStore(postgres_url)
    try:
        draft = new_draft()
        postgres_store.create_draft(draft, NOW)
        stores = (postgres_store, other)

        run_together(
            50,
            lambda n: stores[n % 2].append_track(draft.id, text_track(f"t{n}"), NOW),
        )

        header, loaded = other.load(draft.id)
        assert postgres_store.load(draft.id) == (header, loaded)
        assert header.revision == 50
        assert sorted(t.id for t in loaded.tracks) == sorted(f"t{n}" for n in range(50))
    finally:
        other.close()
