"""Versions keep their documents as chunks the draft holds once: run against every adapter,
looking at what each one really stored with plain SQL beside it."""

from __future__ import annotations

import sqlite3
from collections.abc import Callable
from contextlib import closing
from dataclasses import replace

import psycopg
import pytest

from draftsmith.chunks import Chunk, digest, flat_tree, joined, whole
from draftsmith.errors import DraftsmithError
from draftsmith.store.codec import snapshot_chunks
from draftsmith.store.port import DraftStore
from draftsmith.store.records import FileEntry, VersionRecord
from draftsmith.store.sqlite import SqliteDraftStore

from .builders import new_draft, sample_tracks, text_track

NOW = 1_763_900_000_000_000
(HEAD,) = whole(b'{"head":' + b"h" * 5000)
(OLD_TAIL,) = whole(b',"old":1}')
(NEW_TAIL,) = whole(b',"new":2}')

StoredChunks = Callable[[str], set[str]]


@pytest.fixture
def stored_chunks(store: DraftStore, request: pytest.FixtureRequest) -> StoredChunks:
    """The key of every chunk the database holds for a draft, read beside the store."""
    query = "SELECT key FROM chunks WHERE draft_id = "
    if isinstance(store, SqliteDraftStore):
        path = store.path

        def from_sqlite(draft_id: str) -> set[str]:
            with closing(sqlite3.connect(path)) as db:
                return {row[0] for row in db.execute(query + "?", (draft_id,))}

        return from_sqlite
    url: str = request.getfixturevalue("postgres_url")

    def from_postgres(draft_id: str) -> set[str]:
        with psycopg.connect(url) as conn:
            return {row[0] for row in conn.execute(query + "%s", (draft_id,))}

    return from_postgres


def save_file(store: DraftStore, draft_id: str, *chunks: Chunk, keep: int = 0) -> VersionRecord:
    """Save the current state with one in-store file made of `chunks`."""
    header, draft = store.load(draft_id)
    file_sha = digest(chunks)
    entry = FileEntry("draft_content.json", file_sha, len(joined(chunks)), in_store=True)
    saved = store.add_version(
        draft_id,
        revision=header.revision,
        snapshot=draft,
        files=(entry,),
        contents={file_sha: chunks},
        label=None,
        keep_versions=keep,
        now_us=NOW,
    ).version
    return store.version(draft_id, saved.version)


def draft_with_a_track(store: DraftStore, draft_id: str = "dft_one") -> str:
    store.create_draft(new_draft(draft_id), NOW)
    store.append_track(draft_id, text_track("t1"), NOW)
    return draft_id


def document_keys(*chunks: Chunk) -> set[str]:
    """The chunks a document of `chunks` is stored as: those, under one index node when
    there are several."""
    keys = {chunk.key for chunk in chunks}
    return keys | {flat_tree(chunks)[0].key} if len(chunks) > 1 else keys


def snapshot_keys(store: DraftStore, draft_id: str) -> set[str]:
    return document_keys(*snapshot_chunks(store.load(draft_id)[1]))


def test_a_chunk_the_draft_holds_is_not_stored_again(
    store: DraftStore, stored_chunks: StoredChunks
) -> None:
    draft_id = draft_with_a_track(store)
    first = save_file(store, draft_id, HEAD, OLD_TAIL)
    first_snapshot = snapshot_keys(store, draft_id)
    store.append_track(draft_id, text_track("t2"), NOW)

    second = save_file(store, draft_id, HEAD, NEW_TAIL)

    assert stored_chunks(draft_id) == {
        *document_keys(HEAD, OLD_TAIL),
        *document_keys(HEAD, NEW_TAIL),
        *first_snapshot,
        *snapshot_keys(store, draft_id),
    }
    assert store.version_file(draft_id, 1, first.files[0].sha256) == HEAD.data + OLD_TAIL.data
    assert store.version_file(draft_id, 2, second.files[0].sha256) == HEAD.data + NEW_TAIL.data


def test_pruning_removes_the_chunks_only_pruned_versions_used(
    store: DraftStore, stored_chunks: StoredChunks
) -> None:
    draft_id = draft_with_a_track(store)
    save_file(store, draft_id, HEAD, OLD_TAIL, keep=1)
    store.append_track(draft_id, text_track("t2"), NOW)

    kept = save_file(store, draft_id, HEAD, NEW_TAIL, keep=1)

    assert stored_chunks(draft_id) == {
        *document_keys(HEAD, NEW_TAIL),
        *snapshot_keys(store, draft_id),
    }
    assert (
        store.version_file(draft_id, kept.version, kept.files[0].sha256)
        == HEAD.data + NEW_TAIL.data
    )
    assert store.version_snapshot(draft_id, kept.version) == store.load(draft_id)[1]


def test_deleting_a_draft_removes_its_chunks_and_no_other_drafts(
    store: DraftStore, stored_chunks: StoredChunks
) -> None:
    gone, other = draft_with_a_track(store, "dft_gone"), draft_with_a_track(store, "dft_other")
    for draft_id in (gone, other):
        save_file(store, draft_id, HEAD, OLD_TAIL)

    store.delete_draft(gone)

    assert stored_chunks(gone) == set()
    assert HEAD.key in stored_chunks(other)
    assert store.version_file(other, 1, digest((HEAD, OLD_TAIL))) == HEAD.data + OLD_TAIL.data


def test_a_snapshot_of_many_chunks_reads_back_whole(store: DraftStore) -> None:
    draft = replace(
        new_draft(),
        tracks=(*sample_tracks(), *(text_track(f"t{n}", "字幕 " * 400) for n in range(32))),
    )
    store.create_draft(draft, NOW)
    store.replace_tracks(draft.id, draft.tracks, 0, NOW)
    assert len(snapshot_chunks(draft)) > 4

    version = save_file(store, draft.id, HEAD, OLD_TAIL)

    assert store.version_snapshot(draft.id, version.version) == draft


def test_a_file_whose_chunks_repeat_reads_back_with_each_in_its_place(store: DraftStore) -> None:
    draft_id = draft_with_a_track(store)
    version = save_file(store, draft_id, HEAD, OLD_TAIL, HEAD, HEAD)

    data = store.version_file(draft_id, version.version, version.files[0].sha256)

    assert data == HEAD.data + OLD_TAIL.data + HEAD.data + HEAD.data


def test_a_file_missing_a_chunk_is_an_error_not_a_shorter_file(
    store: DraftStore, request: pytest.FixtureRequest
) -> None:
    draft_id = draft_with_a_track(store)
    version = save_file(store, draft_id, HEAD, OLD_TAIL)
    delete = "DELETE FROM chunks WHERE key = "
    if isinstance(store, SqliteDraftStore):
        with closing(sqlite3.connect(store.path)) as db, db:
            db.execute(delete + "?", (OLD_TAIL.key,))
    else:
        with psycopg.connect(request.getfixturevalue("postgres_url")) as conn:
            conn.execute(delete + "%s", (OLD_TAIL.key,))

    with pytest.raises(DraftsmithError, match="lost part of"):
        store.version_file(draft_id, version.version, version.files[0].sha256)
