"""Saves that cost what changed: a version grown from the previous one reads back as the whole
folder, a save after stacking one track writes and reads as much at 1,000 tracks as at 10,
and drafts saved by another process or pruned stay whole. Run against the real service on
SQLite and PostgreSQL."""

from __future__ import annotations

import sqlite3
import tempfile
from collections.abc import Callable, Iterator
from contextlib import ExitStack, closing
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import IO

import psycopg
import pytest
from psycopg import pq
from psycopg.rows import DictRow

from draftsmith.bootstrap import build_drafts
from draftsmith.capcut.encode import encode_folder
from draftsmith.chunks import CUTS, joined, node_entries, whole
from draftsmith.config import Settings
from draftsmith.errors import DraftsmithError
from draftsmith.security.caller import UNRESTRICTED
from draftsmith.service import Drafts, editor_profile, folder_trees
from draftsmith.store.codec import files_to_json, snapshot_chunks, track_to_json
from draftsmith.store.migrations import POSTGRES_MIGRATIONS
from draftsmith.store.postgres import PostgresDraftStore
from draftsmith.store.records import FileEntry
from draftsmith.store.sqlite import (
    CHUNK_DATA_IN_ORDER,
    CHUNKS_IN_ORDER,
    MIGRATIONS,
    SqliteDraftStore,
)
from draftsmith.timeline.model import Draft, MediaSegment, Track

from . import builders
from .builders import audio_track, sample_tracks, text_track, video_track
from .test_migrations import _before, _old_postgres, _old_sqlite


@dataclass
class Service:
    """The service on one database, and plain SQL on that database beside it."""

    drafts: Drafts
    query: Callable[[str, tuple[object, ...]], list[tuple[object, ...]]]


ServiceOpener = Callable[..., Service]


@pytest.fixture(params=["sqlite", "postgres"])
def open_service(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[ServiceOpener]:
    """`open_service(keep_versions=0)`: a service of its own (as another process would be) on one
    database per test."""
    opened: list[Drafts] = []
    if request.param == "sqlite":
        url = f"sqlite:///{tmp_path / 'drafts.sqlite3'}"

        def query(text: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
            with closing(sqlite3.connect(tmp_path / "drafts.sqlite3")) as db, db:
                return list(db.execute(text, params))

    else:
        url = request.getfixturevalue("postgres_store_url")

        def query(text: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
            with psycopg.connect(url) as conn:
                cursor = conn.execute(text.replace("?", "%s"), params)
                return list(cursor) if cursor.description else []

    def open_one(keep_versions: int = 0) -> Service:
        drafts = build_drafts(
            Settings(
                data_dir=tmp_path / "data",
                database_url=url,
                save_rate_per_draft=0,
                save_rate_per_client=0,
                keep_versions=keep_versions,
            )
        )
        opened.append(drafts)
        return Service(drafts, query)

    yield open_one
    for drafts in opened:
        drafts.close()


@pytest.fixture
def postgres_store_url(postgres_store: object, postgres_url: str) -> str:
    """The session database, emptied (by the `postgres_store` fixture) for this test."""
    return postgres_url


def new_draft_id(drafts: Drafts) -> str:
    return drafts.create(UNRESTRICTED, 1080, 1920, "growing").id


def assert_versions_read_back(drafts: Drafts, draft_id: str, states: dict[int, Draft]) -> None:
    """Every version's files are what encoding its draft whole at its save time gives, and
    its snapshot is the draft it was saved from."""
    for listed in drafts.versions(UNRESTRICTED, draft_id):
        record, snapshot = drafts.snapshot(UNRESTRICTED, draft_id, listed.version)
        assert snapshot == states[record.version]
        expected = encode_folder(
            snapshot,
            saved_at_us=record.created_at_us,
            profile=editor_profile(snapshot.profile),
        )
        stored = {
            entry.path: b"".join(drafts.file_chunks(record, entry))
            for entry in record.files
            if entry.in_store
        }
        assert stored == expected


def save(drafts: Drafts, draft_id: str, states: dict[int, Draft]) -> int:
    outcome = drafts.save(UNRESTRICTED, draft_id, client="test")
    states[outcome.version.version] = drafts.load(UNRESTRICTED, draft_id)[1]
    return outcome.version.version


def test_versions_grown_track_by_track_read_back_as_the_whole_folder(
    open_service: ServiceOpener,
) -> None:
    drafts = open_service().drafts
    draft_id = new_draft_id(drafts)
    states: dict[int, Draft] = {}
    save(drafts, draft_id, states)
    # Every kind of track, many captions (several chunks per list, and nodes over them), a
    # save now and then and one with nothing changed.
    kinds = [*sample_tracks(), video_track("v2", 3_000_000), audio_track("a2")]
    for n in range(150):
        track = kinds[n] if n < len(kinds) else text_track(f"c{n}", f"字幕 {n} " * 20, n * 1000)
        drafts.stack_tracks(UNRESTRICTED, draft_id, [replace(track, id=f"t{n}")])
        if n % 7 == 0:
            save(drafts, draft_id, states)
    save(drafts, draft_id, states)
    save(drafts, draft_id, states)

    assert len(states) == 24
    assert_versions_read_back(drafts, draft_id, states)


def saved_captions(drafts: Drafts, count: int, states: dict[int, Draft]) -> str:
    """A new draft of `count` tracks of one caption each, saved."""
    draft_id = new_draft_id(drafts)
    captions = [text_track(f"c{n}", "字幕 " * 30) for n in range(count)]
    drafts.stack_tracks(UNRESTRICTED, draft_id, captions)
    save(drafts, draft_id, states)
    return draft_id


def replace_tracks(
    drafts: Drafts, draft_id: str, change: Callable[[tuple[Track, ...]], tuple[Track, ...]]
) -> None:
    """Replace the draft's tracks with `change` of them."""
    header, draft = drafts.load(UNRESTRICTED, draft_id)
    drafts._store.replace_tracks(draft_id, change(draft.tracks), header.revision, 1)


def test_an_edit_of_an_existing_track_is_saved_whole_and_reads_back(
    open_service: ServiceOpener,
) -> None:
    drafts = open_service().drafts
    states: dict[int, Draft] = {}
    draft_id = saved_captions(drafts, 40, states)
    replace_tracks(
        drafts,
        draft_id,
        lambda tracks: (*tracks[:5], replace(tracks[5], name="renamed"), *tracks[6:]),
    )
    save(drafts, draft_id, states)
    drafts.stack_tracks(UNRESTRICTED, draft_id, [text_track("last")])
    save(drafts, draft_id, states)

    assert states[2].tracks[5].name == "renamed"
    assert_versions_read_back(drafts, draft_id, states)


@pytest.mark.parametrize("restarted", [False, True])
def test_tracks_taken_off_the_top_are_saved_whole_and_read_back(
    open_service: ServiceOpener, restarted: bool
) -> None:
    drafts = open_service().drafts
    states: dict[int, Draft] = {}
    draft_id = saved_captions(drafts, 10, states)
    # Taking tracks off writes no track row: only the count says the draft changed.
    replace_tracks(drafts, draft_id, lambda tracks: tracks[:8])
    saver = open_service().drafts if restarted else drafts
    save(saver, draft_id, states)
    replace_tracks(drafts, draft_id, lambda tracks: tracks[:6])
    saver.stack_tracks(UNRESTRICTED, draft_id, [text_track("last", "字幕 " * 30)])
    save(saver, draft_id, states)

    assert [len(states[v].tracks) for v in (1, 2, 3)] == [10, 8, 7]
    assert_versions_read_back(drafts, draft_id, states)


def test_saves_from_two_processes_in_turn_stay_whole(open_service: ServiceOpener) -> None:
    one, two = open_service().drafts, open_service().drafts
    draft_id = new_draft_id(one)
    states: dict[int, Draft] = {}
    for n in range(12):
        drafts = one if n % 3 else two
        drafts.stack_tracks(UNRESTRICTED, draft_id, [text_track(f"c{n}", "字幕 " * 200)])
        save(drafts, draft_id, states)

    assert_versions_read_back(one, draft_id, states)
    assert_versions_read_back(two, draft_id, states)


def stored_keys(service: Service, draft_id: str) -> set[str]:
    return {
        str(row[0])
        for row in service.query("SELECT key FROM chunks WHERE draft_id = ?", (draft_id,))
    }


def reachable_keys(service: Service, draft_id: str) -> set[str]:
    """Every chunk the kept versions use, walked from their roots with plain SQL."""
    rows = service.query("SELECT chunk, depth FROM version_parts WHERE draft_id = ?", (draft_id,))
    keys = {str(chunk) for chunk, _ in rows}
    nodes = {str(chunk) for chunk, depth in rows if depth}
    while nodes:
        key = nodes.pop()
        [(data,)] = service.query(
            "SELECT data FROM chunks WHERE draft_id = ? AND key = ?", (draft_id, key)
        )
        assert isinstance(data, bytes)
        for entry in node_entries(data):
            if entry.key not in keys:
                keys.add(entry.key)
                if entry.depth:
                    nodes.add(entry.key)
    return keys


def test_pruning_keeps_what_kept_versions_use_and_nothing_else(
    open_service: ServiceOpener,
) -> None:
    service = open_service(keep_versions=2)
    other = open_service(keep_versions=2)
    draft_id = new_draft_id(service.drafts)
    states: dict[int, Draft] = {}
    for n in range(40):
        drafts = other.drafts if n % 9 == 4 else service.drafts
        drafts.stack_tracks(UNRESTRICTED, draft_id, [text_track(f"c{n}", "字幕 " * 300)])
        save(drafts, draft_id, states)
        assert stored_keys(service, draft_id) == reachable_keys(service, draft_id)

    assert [v.version for v in service.drafts.versions(UNRESTRICTED, draft_id)] == [39, 40]
    assert_versions_read_back(service.drafts, draft_id, states)


def test_a_file_missing_an_index_node_is_an_error_not_a_shorter_file(
    open_service: ServiceOpener,
) -> None:
    service = open_service()
    drafts = service.drafts
    draft_id = new_draft_id(drafts)
    captions = [text_track(f"c{n}", "字幕 " * 300) for n in range(300)]
    drafts.stack_tracks(UNRESTRICTED, draft_id, captions)
    drafts.save(UNRESTRICTED, draft_id, client="test")
    record = drafts.version(UNRESTRICTED, draft_id)
    entry = next(entry for entry in record.files if entry.path == "draft_content.json")
    [(root,)] = service.query(
        "SELECT chunk FROM version_parts WHERE draft_id = ? AND version = ? AND document = ?",
        (draft_id, record.version, entry.sha256),
    )
    [(data,)] = service.query(
        "SELECT data FROM chunks WHERE draft_id = ? AND key = ?", (draft_id, root)
    )
    assert isinstance(data, bytes)
    # A node under the root: the chunks under it would be left out with it.
    node = next(ref.key for ref in node_entries(data) if ref.depth)
    service.query("DELETE FROM chunks WHERE draft_id = ? AND key = ?", (draft_id, node))

    with pytest.raises(DraftsmithError, match="lost part of"):
        drafts.file_chunks(record, entry)


@pytest.mark.parametrize("statement", [CHUNKS_IN_ORDER, CHUNK_DATA_IN_ORDER])
def test_sqlite_looks_a_files_chunks_up_by_key_in_the_order_given(
    tmp_path: Path, statement: str
) -> None:
    # A file's chunks are asked for in its order, the order they were written in: each is one
    # search of the primary key. A plan that scans the draft's chunks once per key took a
    # second to read a file of 3,500 chunks.
    SqliteDraftStore(tmp_path / "drafts.sqlite3").close()
    with closing(sqlite3.connect(tmp_path / "drafts.sqlite3")) as db:
        plan = [row[3] for row in db.execute("EXPLAIN QUERY PLAN " + statement, ('["k"]', "draft"))]

    assert len(plan) == 2
    assert plan[0].startswith("SCAN k VIRTUAL TABLE")
    assert plan[1] == "SEARCH c USING INDEX sqlite_autoindex_chunks_1 (draft_id=? AND key=?)"


def test_restoring_an_old_version_brings_back_its_chunks_safely(
    open_service: ServiceOpener,
) -> None:
    service = open_service(keep_versions=3)
    drafts = service.drafts
    draft_id = new_draft_id(drafts)
    states: dict[int, Draft] = {}
    for n in range(3):
        drafts.stack_tracks(UNRESTRICTED, draft_id, [text_track(f"c{n}", "字幕 " * 300)])
        save(drafts, draft_id, states)
    drafts.restore(UNRESTRICTED, draft_id, 1, client="test")
    states[4] = drafts.load(UNRESTRICTED, draft_id)[1]
    for n in range(3, 8):
        drafts.stack_tracks(UNRESTRICTED, draft_id, [text_track(f"c{n}", "字幕 " * 300)])
        save(drafts, draft_id, states)

    assert stored_keys(service, draft_id) == reachable_keys(service, draft_id)
    assert_versions_read_back(drafts, draft_id, states)


@dataclass(frozen=True)
class Work:
    """What one call did on the store's own SQLite connection."""

    vm_steps: int
    """SQLite virtual machine instructions: rows read and written."""
    statements: int
    changes: int
    chunk_bytes: int


def measured(store: SqliteDraftStore, call: Callable[[], object]) -> Work:
    db = store._connection()  # this thread's: the one the call runs its statements on
    steps, statements = [0], [0]

    def tick() -> int:
        steps[0] += 1
        return 0

    def traced(_: str) -> None:
        statements[0] += 1

    def chunk_bytes() -> int:
        return int(db.execute("SELECT coalesce(sum(length(data)), 0) FROM chunks").fetchone()[0])

    before_bytes, before_changes = chunk_bytes(), db.total_changes
    db.set_progress_handler(tick, 1)
    db.set_trace_callback(traced)
    try:
        call()
    finally:
        db.set_progress_handler(None, 0)
        db.set_trace_callback(None)
    return Work(
        steps[0], statements[0], db.total_changes - before_changes, chunk_bytes() - before_bytes
    )


def work_at(drafts: Drafts, store: SqliteDraftStore, size: int) -> dict[str, Work]:
    """What an edit, the save after it, an unchanged save and a read cost on a draft of
    `size` tracks of one caption each, saved before."""
    draft_id = new_draft_id(drafts)
    for start in range(0, size, 250):
        tracks = [text_track(f"c{n}", f"caption {n}", n * 1000) for n in range(start, size)]
        drafts.stack_tracks(UNRESTRICTED, draft_id, tracks[:250])
    drafts.save(UNRESTRICTED, draft_id, client="test")
    work: dict[str, Work] = {}
    for _ in range(2):  # the second round is measured: the first warms what a server would
        work = {
            "edit": measured(
                store,
                lambda: drafts.stack_tracks(UNRESTRICTED, draft_id, [text_track("x", "one")]),
            ),
            "save": measured(store, lambda: drafts.save(UNRESTRICTED, draft_id, client="test")),
            "unchanged": measured(
                store, lambda: drafts.save(UNRESTRICTED, draft_id, client="test")
            ),
            "load": measured(store, lambda: drafts.load(UNRESTRICTED, draft_id)),
        }
    return work


def test_a_save_after_one_edit_reads_and_writes_alike_at_10_and_1000_tracks(
    tmp_path: Path,
) -> None:
    settings = Settings(
        data_dir=tmp_path,
        max_segments_per_draft=10_000,
        save_rate_per_draft=0,
        save_rate_per_client=0,
    )
    drafts = build_drafts(settings)
    store = drafts._store
    assert isinstance(store, SqliteDraftStore)
    work = {size: work_at(drafts, store, size) for size in (10, 1000)}
    drafts.close()

    small, large = work[10], work[1000]
    # An edit and an unchanged save do the very same work; reading the draft again reads the
    # track stacked since it was last read, through an index one level deeper at 1,000 tracks.
    for name in ("edit", "unchanged"):
        assert large[name] == small[name], name
    assert large["load"].statements == small["load"].statements
    assert large["load"].vm_steps <= small["load"].vm_steps + 2
    assert small["unchanged"].changes == small["load"].changes == 0
    # A save after an edit writes the new track's chunks and one node per level of each tree
    # it touches: the trees of 1,000 tracks have one level more than those of 10.
    save_small, save_large = small["save"], large["save"]
    assert save_large.statements <= save_small.statements + 6
    assert save_large.changes <= save_small.changes + 10
    assert save_large.vm_steps <= 2 * save_small.vm_steps
    assert 0 < save_large.chunk_bytes < 64 * 1024
    assert save_small.chunk_bytes < 64 * 1024


def _legacy_rows() -> tuple[list[tuple[str, tuple[object, ...]]], dict[str, bytes], Draft]:
    """A draft saved twice before versions were trees: each document's chunks listed in order
    (the second file shares its first chunk with the first), and the snapshot in chunks."""
    draft = replace(builders.new_draft("dft_old"), tracks=sample_tracks())
    shared, first, second = (
        whole(b'{"head":' + b"h" * 5000)[0],
        whole(b',"v":1}')[0],
        whole(b',"v":2}')[0],
    )
    snapshot = snapshot_chunks(draft)
    files = {"file1": (shared, first), "file2": (shared, second)}
    rows: list[tuple[str, tuple[object, ...]]] = [
        (
            "INSERT INTO drafts (id, name, width, height, fps, created_at_us, updated_at_us,"
            " revision, saved_version, saved_revision, track_count, segment_count, duration_us)"
            " VALUES (?, ?, 1080, 1920, 25, ?, 2, 1, 2, 1, ?, ?, ?)",
            (
                draft.id,
                draft.name,
                draft.created_at_us,
                len(draft.tracks),
                draft.segment_count,
                draft.duration,
            ),
        ),
        *(
            (
                "INSERT INTO tracks (draft_id, position, body) VALUES (?, ?, ?)",
                (draft.id, position, track_to_json(track)),
            )
            for position, track in enumerate(draft.tracks)
        ),
        *(
            (
                "INSERT INTO chunks (draft_id, key, data) VALUES (?, ?, ?)",
                (draft.id, chunk.key, chunk.data),
            )
            for chunk in {c.key: c for c in (shared, first, second, *snapshot)}.values()
        ),
    ]
    for version, name in ((1, "file1"), (2, "file2")):
        entry = FileEntry("draft_content.json", name, len(joined(files[name])), in_store=True)
        rows.append(
            (
                "INSERT INTO versions (draft_id, version, revision, created_at_us, label, files,"
                " segment_count, duration_us) VALUES (?, ?, 1, 2, NULL, ?, ?, ?)",
                (draft.id, version, files_to_json((entry,)), draft.segment_count, draft.duration),
            )
        )
        for document, chunks in ((name, files[name]), ("snapshot", snapshot)):
            rows += [
                (
                    "INSERT INTO version_parts (draft_id, version, document, position, chunk)"
                    " VALUES (?, ?, ?, ?, ?)",
                    (draft.id, version, document, position, chunk.key),
                )
                for position, chunk in enumerate(chunks)
            ]
    return rows, {name: joined(chunks) for name, chunks in files.items()}, draft


@pytest.mark.parametrize("kind", ["sqlite", "postgres"])
def test_a_database_of_the_previous_schema_reads_back_and_saves_and_prunes(
    kind: str, tmp_path: Path, request: pytest.FixtureRequest
) -> None:
    rows, contents, draft = _legacy_rows()
    if kind == "sqlite":
        path = tmp_path / "old.sqlite3"
        _old_sqlite(path, _before(MIGRATIONS, "ADD COLUMN died"), rows)
        url = f"sqlite:///{path}"

        def query(text: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
            with closing(sqlite3.connect(path)) as db:
                return list(db.execute(text, params))

    else:
        url = request.getfixturevalue("fresh_schema_url")
        _old_postgres(url, _before(POSTGRES_MIGRATIONS, "ADD COLUMN died"), rows)

        def query(text: str, params: tuple[object, ...]) -> list[tuple[object, ...]]:
            with psycopg.connect(url) as conn:
                return list(conn.execute(text.replace("?", "%s"), params))

    settings = Settings(
        data_dir=tmp_path / "data",
        database_url=url,
        save_rate_per_draft=0,
        save_rate_per_client=0,
        keep_versions=1,
    )
    drafts = build_drafts(settings)
    service = Service(drafts, query)
    try:
        for version, name in ((1, "file1"), (2, "file2")):
            record = drafts.version(UNRESTRICTED, draft.id, version)
            [entry] = record.files
            assert b"".join(drafts.file_chunks(record, entry)) == contents[name]
            assert drafts.snapshot(UNRESTRICTED, draft.id, version)[1] == draft
        assert drafts.load(UNRESTRICTED, draft.id)[1] == draft

        drafts.stack_tracks(UNRESTRICTED, draft.id, [text_track("new")])
        states: dict[int, Draft] = {}
        assert save(drafts, draft.id, states) == 3
        drafts.stack_tracks(UNRESTRICTED, draft.id, [text_track("newer")])
        assert save(drafts, draft.id, states) == 4

        assert [v.version for v in drafts.versions(UNRESTRICTED, draft.id)] == [4]
        assert_versions_read_back(drafts, draft.id, states)
        assert stored_keys(service, draft.id) == reachable_keys(service, draft.id)
    finally:
        drafts.close()


@dataclass(frozen=True)
class Exchange:
    """What one call sent PostgreSQL and got back on the store's pooled connections, read
    from libpq's trace of the protocol messages."""

    round_trips: int
    """Answers the server ended with ReadyForQuery: one per round trip."""
    statements: int
    rows: int
    """Rows the server sent back."""
    bytes_sent: int = field(compare=False)
    """Not compared: a prepared statement's name makes its calls a few bytes longer."""
    bytes_received: int = field(compare=False)


def exchanged(store: PostgresDraftStore, call: Callable[[], object]) -> Exchange:
    """Trace every connection of the store's pool (idle between calls, as in a single-threaded
    test: the pool makes none while tracing) through `call`."""

    def idle() -> list[psycopg.Connection[DictRow]]:
        taken = []
        while store._pool.get_stats().get("pool_available", 0) > 0:
            taken.append(store._pool.getconn())
        return taken

    with ExitStack() as files:
        connections = idle()
        traces: list[IO[bytes]] = []
        for conn in connections:
            traces.append(files.enter_context(tempfile.TemporaryFile()))
            conn.pgconn.trace(traces[-1].fileno())
            conn.pgconn.set_trace_flags(pq.Trace.SUPPRESS_TIMESTAMPS | pq.Trace.REGRESS_MODE)
        for conn in connections:
            store._pool.putconn(conn)
        try:
            call()
        finally:
            back = idle()
            for conn in connections:
                conn.pgconn.untrace()
            for conn in back:
                store._pool.putconn(conn)
        assert {id(conn) for conn in back} == {id(conn) for conn in connections}
        messages = []
        for trace in traces:
            trace.seek(0)
            messages += [line.split("\t") for line in trace.read().decode().splitlines()]
    sent = [m for m in messages if m[0] == "F" and m[2] != "Parse"]
    # psycopg prepares a statement the fifth time it runs, in a round trip of its own (a named
    # Parse): once per connection, not per call, so left out, with what every Parse sends.
    prepared = sum(
        m[0] == "F" and m[2] == "Parse" and not m[3].startswith(' "" ') for m in messages
    )
    return Exchange(
        round_trips=sum(m[0] == "B" and m[2] == "ReadyForQuery" for m in messages) - prepared,
        statements=sum(m[2] in ("Query", "Execute") for m in sent),
        rows=sum(m[0] == "B" and m[2] == "DataRow" for m in messages),
        bytes_sent=sum(int(m[1]) for m in sent),
        bytes_received=sum(int(m[1]) for m in messages if m[0] == "B"),
    )


def own_video_track(track_id: str, number: int) -> Track:
    """A video track whose media no other track uses: its draft's folder lists one more file."""
    track = video_track(track_id)
    first = track.segments[0]
    assert isinstance(first, MediaSegment)
    media = replace(first.media, sha256=f"{number:064x}")
    return replace(track, segments=(replace(first, media=media),))


@pytest.mark.parametrize("rate_limited", [False, True])
def test_an_unchanged_save_on_postgres_is_one_round_trip_at_10_and_1000_tracks(
    postgres_store_url: str, tmp_path: Path, rate_limited: bool
) -> None:
    """One statement reads the header, on a connection checked out without a round trip of its
    own, and gets as many bytes back at 1,000 tracks as at 10, each track with a video of its
    own (the version's list of files is not read); each save rate limit (a bucket in the
    database) adds one statement, a transaction of its own."""
    settings = Settings(
        data_dir=tmp_path,
        database_url=postgres_store_url,
        save_rate_per_draft=1000 if rate_limited else 0,
        save_rate_per_client=1000 if rate_limited else 0,
    )
    drafts = build_drafts(settings)
    store = drafts._store
    assert isinstance(store, PostgresDraftStore)

    def work_at(size: int) -> dict[str, Exchange]:
        draft_id = new_draft_id(drafts)
        for start in range(0, size, 250):
            tracks = [own_video_track(f"v{n}", n) for n in range(start, size)]
            drafts.stack_tracks(UNRESTRICTED, draft_id, tracks[:250])
        drafts.save(UNRESTRICTED, draft_id, client="test")
        return {
            "unchanged": exchanged(
                store, lambda: drafts.save(UNRESTRICTED, draft_id, client="test")
            ),
            "header": exchanged(store, lambda: drafts.header(UNRESTRICTED, draft_id)),
        }

    work = {size: work_at(size) for size in (10, 1000)}
    drafts.close()

    buckets = 2 if rate_limited else 0
    assert work[10]["unchanged"] == work[1000]["unchanged"]
    # Alike but for a few digits (counts, durations): the list of 1,000 files is 200 kB.
    received = [work[size]["unchanged"].bytes_received for size in (10, 1000)]
    assert abs(received[0] - received[1]) < 64, received
    assert work[10]["unchanged"].round_trips == 1 + buckets
    assert work[10]["unchanged"].statements == 1 + buckets
    assert work[10]["unchanged"].rows == 1 + buckets
    assert work[10]["header"] == work[1000]["header"]
    assert work[10]["header"].round_trips == 1


def test_a_save_in_another_process_costs_alike_at_10_and_1000_tracks(
    open_service: ServiceOpener,
) -> None:
    """Two services on one database (two server processes behind a load balancer) take turns
    to stack a track and save: each grows its folder from the version it saved last, though
    the other saved since, and reads and writes as much at 1,000 tracks as at 10."""
    one, two = open_service().drafts, open_service().drafts
    store = two._store

    def cost(call: Callable[[], object]) -> Work | Exchange:
        if isinstance(store, SqliteDraftStore):
            return measured(store, call)
        assert isinstance(store, PostgresDraftStore)
        return exchanged(store, call)

    def work_at(size: int) -> dict[str, Work | Exchange]:
        draft_id = new_draft_id(one)
        for start in range(0, size, 250):
            tracks = [text_track(f"c{n}", f"caption {n}", n * 1000) for n in range(start, size)]
            one.stack_tracks(UNRESTRICTED, draft_id, tracks[:250])
        one.save(UNRESTRICTED, draft_id, client="test")
        work: dict[str, Work | Exchange] = {}
        # The first round is the other process's first sight of the draft (read whole); the
        # second is measured.
        for _ in range(2):
            one.stack_tracks(UNRESTRICTED, draft_id, [text_track("x", "one")])
            one.save(UNRESTRICTED, draft_id, client="test")
            work = {
                "edit": cost(
                    lambda: two.stack_tracks(UNRESTRICTED, draft_id, [text_track("y", "two")])
                ),
                "save": cost(lambda: two.save(UNRESTRICTED, draft_id, client="test")),
                "unchanged": cost(lambda: two.save(UNRESTRICTED, draft_id, client="test")),
            }
        states = {
            v.version: one.snapshot(UNRESTRICTED, draft_id, v.version)[1]
            for v in one.versions(UNRESTRICTED, draft_id)
        }
        assert len(states) == 5
        assert_versions_read_back(two, draft_id, states)
        return work

    small, large = work_at(10), work_at(1000)
    for name in ("edit", "unchanged"):
        assert large[name] == small[name], name
    save_small, save_large = small["save"], large["save"]
    if isinstance(save_small, Work):
        assert isinstance(save_large, Work)
        assert save_large.statements <= save_small.statements + 6
        assert save_large.changes <= save_small.changes + 10
        assert save_large.vm_steps <= 2 * save_small.vm_steps
        assert 0 < save_large.chunk_bytes < 64 * 1024
    else:
        assert isinstance(save_large, Exchange)
        assert save_large.round_trips <= save_small.round_trips + 6
        assert save_large.rows <= save_small.rows + 10
        assert save_large.bytes_sent < 2 * save_small.bytes_sent + 64 * 1024


def test_a_save_grown_from_a_version_others_saved_over_keeps_what_it_uses(
    open_service: ServiceOpener,
) -> None:
    """One process grows its folder from its own version though the other saved since: the
    chunks that the other's version stopped using come back to life (pruning would take them
    otherwise), and a base pruned meanwhile makes the save build whole."""
    service = open_service(keep_versions=2)
    other = open_service(keep_versions=2).drafts
    drafts = service.drafts
    draft_id = new_draft_id(drafts)
    states: dict[int, Draft] = {}
    captions = [text_track(f"c{n}", "字幕 " * 300) for n in range(12)]
    drafts.stack_tracks(UNRESTRICTED, draft_id, captions)
    save(drafts, draft_id, states)
    # The other process renames a track and saves, then puts the tracks back unsaved.
    header, draft = other.load(UNRESTRICTED, draft_id)
    renamed = (replace(draft.tracks[0], name="renamed"), *draft.tracks[1:])
    header = other._store.replace_tracks(draft_id, renamed, header.revision, 1)
    save(other, draft_id, states)
    other._store.replace_tracks(draft_id, draft.tracks, header.revision, 2)
    drafts.stack_tracks(UNRESTRICTED, draft_id, [text_track("next", "字幕 " * 300)])
    assert save(drafts, draft_id, states) == 3
    assert stored_keys(service, draft_id) == reachable_keys(service, draft_id)
    # The other renames the track again and saves twice: the version this process grew from
    # is pruned, and with it the chunks of the first track, which neither newer version uses.
    header, draft = other.load(UNRESTRICTED, draft_id)
    renamed = (replace(draft.tracks[0], name="renamed"), *draft.tracks[1:])
    header = other._store.replace_tracks(draft_id, renamed, header.revision, 3)
    for n in range(2):
        other.stack_tracks(UNRESTRICTED, draft_id, [text_track(f"o{n}", "字幕 " * 300)])
        save(other, draft_id, states)
    header, now = other.load(UNRESTRICTED, draft_id)
    other._store.replace_tracks(draft_id, (*draft.tracks, *now.tracks[13:]), header.revision, 4)
    drafts.stack_tracks(UNRESTRICTED, draft_id, [text_track("last", "字幕 " * 300)])
    assert save(drafts, draft_id, states) == 6

    assert stored_keys(service, draft_id) == reachable_keys(service, draft_id)
    assert_versions_read_back(drafts, draft_id, states)


def shares_materials_with(track: Track, track_id: str, start_us: int) -> Track:
    """A track of `track`'s media segments moved to `start_us`, using the same materials: the
    timeline file lists each material once, so it adds segments and no material."""
    segments = tuple(
        replace(
            segment,
            id=f"{track_id}-{n}",
            target=replace(segment.target, start=start_us + segment.target.start),
        )
        for n, segment in enumerate(track.segments)
        if isinstance(segment, MediaSegment)
    )
    return replace(track, id=track_id, name=track_id, segments=segments)


def with_new_media(track: Track) -> Track:
    """`track` moved later, its segments on a file the draft did not use (new materials)."""
    media = replace(builders.VIDEO, sha256="e" * 64)
    segments = tuple(
        replace(
            segment, id=f"new-{segment.id}", material_id=f"new-{segment.material_id}", media=media
        )
        for segment in track.segments
        if isinstance(segment, MediaSegment)
    )
    return replace(track, id="new-media", segments=segments)


def saved_after_restart(
    open_service: ServiceOpener, draft_id: str, track: Track, states: dict[int, Draft]
) -> Service:
    """A new service (a restarted process) stacks `track` and saves."""
    restarted = open_service(keep_versions=3)
    restarted.drafts.stack_tracks(UNRESTRICTED, draft_id, [track])
    save(restarted.drafts, draft_id, states)
    return restarted


def encoded_tracks(drafts: Drafts) -> list[str]:
    """The ids of the tracks the service encoded for a timeline file (its fragment cache)."""
    fragments = drafts._fragments
    assert fragments is not None
    return [entry[0].id for entry in fragments._entries.values()]


def test_a_new_process_grows_the_folder_from_the_state_the_newest_version_stored(
    open_service: ServiceOpener,
) -> None:
    """After a restart (a service of its own on the same database), the first save of a draft
    resumes the folder from what its newest version stored: no track saved before is encoded
    again, and every version reads back whole, with exactly the chunks kept versions use."""
    first = open_service(keep_versions=3)
    draft_id = new_draft_id(first.drafts)
    states: dict[int, Draft] = {}
    video = video_track("v1", 0)
    tracks = [video, *sample_tracks()[1:], shares_materials_with(video, "v2", 9_000_000)]
    tracks += [text_track(f"c{n}", f"字幕 {n} " * 20, n * 1000) for n in range(300)]
    first.drafts.stack_tracks(UNRESTRICTED, draft_id, tracks)
    save(first.drafts, draft_id, states)
    # New segments on media saved before, then on a file new to the draft: the meta file
    # lists each file once, under the material that used it first.
    added_tracks = {1: shares_materials_with(video, "x1", 20_000_000), 2: with_new_media(video)}
    for n in range(4):
        added = added_tracks.get(n) or text_track(f"n{n}", f"新 {n} " * 30, n * 5000)
        restarted = saved_after_restart(open_service, draft_id, added, states)

        assert encoded_tracks(restarted.drafts) == [added.id]
        assert stored_keys(restarted, draft_id) == reachable_keys(restarted, draft_id)

    assert_versions_read_back(first.drafts, draft_id, {v: states[v] for v in (3, 4, 5)})


def test_a_new_process_builds_the_folder_whole_when_the_draft_changed_below(
    open_service: ServiceOpener,
) -> None:
    """A track saved before and changed since, or a folder state that does not read back,
    leaves nothing to resume: the save builds the folder whole."""
    first = open_service(keep_versions=3)
    draft_id = new_draft_id(first.drafts)
    states: dict[int, Draft] = {}
    captions = [text_track(f"c{n}", "字幕 " * 300) for n in range(30)]
    first.drafts.stack_tracks(UNRESTRICTED, draft_id, captions)
    save(first.drafts, draft_id, states)
    header, draft = first.drafts.load(UNRESTRICTED, draft_id)
    renamed = (replace(draft.tracks[0], name="renamed"), *draft.tracks[1:])
    first.drafts._store.replace_tracks(draft_id, renamed, header.revision, 1)

    last = text_track("last", "字幕 " * 300)
    restarted = saved_after_restart(open_service, draft_id, last, states)

    assert len(encoded_tracks(restarted.drafts)) == 31
    assert states[2].tracks[0].name == "renamed"
    assert stored_keys(restarted, draft_id) == reachable_keys(restarted, draft_id)

    # What the newest version stored to grow from is damaged: the save builds whole too.
    [(root,)] = restarted.query(
        "SELECT chunk FROM version_parts WHERE draft_id = ? AND version = 2 AND document = ?",
        (draft_id, "folder-state"),
    )
    [(node,)] = restarted.query(
        "SELECT data FROM chunks WHERE draft_id = ? AND key = ?", (draft_id, root)
    )
    assert isinstance(node, bytes)
    head = node_entries(node)[0]
    assert head.depth == 0
    restarted.query(
        "UPDATE chunks SET data = ? WHERE draft_id = ? AND key = ?",
        (b'{"head":', draft_id, head.key),
    )
    again = saved_after_restart(open_service, draft_id, text_track("more", "字幕 " * 300), states)

    assert len(encoded_tracks(again.drafts)) == 32
    assert stored_keys(again, draft_id) == reachable_keys(again, draft_id)
    assert_versions_read_back(again.drafts, draft_id, states)


def test_a_state_cut_into_chunks_otherwise_is_not_resumed(
    open_service: ServiceOpener, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A version saved by a release that cut chunks otherwise (say 4 KB, before chunks of
    16 KB): a new process does not grow a tree of other cuts, it builds the folder whole."""
    with monkeypatch.context() as earlier:
        earlier.setattr(folder_trees, "CUTS", (4096, *CUTS[1:]))
        first = open_service(keep_versions=3)
        draft_id = new_draft_id(first.drafts)
        states: dict[int, Draft] = {}
        first.drafts.stack_tracks(
            UNRESTRICTED, draft_id, [text_track(f"c{n}", "字幕 " * 300) for n in range(30)]
        )
        save(first.drafts, draft_id, states)

    restarted = saved_after_restart(open_service, draft_id, text_track("last", "字幕 "), states)

    assert len(encoded_tracks(restarted.drafts)) == 31
    assert stored_keys(restarted, draft_id) == reachable_keys(restarted, draft_id)
    again = saved_after_restart(open_service, draft_id, text_track("more", "字幕 "), states)
    assert encoded_tracks(again.drafts) == ["more"]
    assert_versions_read_back(again.drafts, draft_id, states)


def test_a_process_whose_state_is_behind_grows_from_the_newest_version_instead(
    open_service: ServiceOpener,
) -> None:
    """Another process edited a track and saved: this process's state no longer describes the
    draft, the state the newest version stored does, and the save grows from it."""
    one, two = open_service(keep_versions=3), open_service(keep_versions=3)
    draft_id = new_draft_id(one.drafts)
    states: dict[int, Draft] = {}
    one.drafts.stack_tracks(
        UNRESTRICTED, draft_id, [text_track(f"c{n}", "字幕 " * 300) for n in range(30)]
    )
    save(one.drafts, draft_id, states)
    header, draft = two.drafts.load(UNRESTRICTED, draft_id)
    renamed = (*draft.tracks[:3], replace(draft.tracks[3], name="renamed"), *draft.tracks[4:])
    two.drafts._store.replace_tracks(draft_id, renamed, header.revision, 1)
    save(two.drafts, draft_id, states)
    encoded = len(encoded_tracks(one.drafts))

    one.drafts.stack_tracks(UNRESTRICTED, draft_id, [text_track("last", "字幕 " * 300)])
    save(one.drafts, draft_id, states)

    assert encoded_tracks(one.drafts)[encoded:] == ["last"]
    assert states[3].tracks[3].name == "renamed"
    assert stored_keys(one, draft_id) == reachable_keys(one, draft_id)
    assert_versions_read_back(one.drafts, draft_id, states)


def test_the_first_save_in_a_new_process_writes_alike_at_10_and_1000_tracks(
    open_service: ServiceOpener,
) -> None:
    """What the first save of a draft in a new process writes does not grow with the draft,
    nor how many statements it takes, and it reads the tracks stacked since the newest
    version, not the others (but what that version stored to grow from: the nodes of its
    trees, and per track the materials it wrote)."""

    def first_save_at(size: int) -> Work | Exchange:
        one = open_service().drafts
        draft_id = new_draft_id(one)
        for start in range(0, size, 250):
            tracks = [text_track(f"c{n}", f"caption {n}", n * 1000) for n in range(start, size)]
            one.stack_tracks(UNRESTRICTED, draft_id, tracks[:250])
        one.save(UNRESTRICTED, draft_id, client="test")
        restarted = open_service().drafts
        restarted.stack_tracks(UNRESTRICTED, draft_id, [text_track("y", "two")])
        store = restarted._store
        save = lambda: restarted.save(UNRESTRICTED, draft_id, client="test")  # noqa: E731
        if isinstance(store, SqliteDraftStore):
            return measured(store, save)
        assert isinstance(store, PostgresDraftStore)
        return exchanged(store, save)

    # A tree one level deeper costs a read per level walked and a new node per section.
    small, large = first_save_at(10), first_save_at(1000)
    if isinstance(small, Work):
        assert isinstance(large, Work)
        assert large.statements <= small.statements + 12
        assert large.changes <= small.changes + 10
        assert large.vm_steps <= 2 * small.vm_steps
        assert 0 < large.chunk_bytes < 64 * 1024
    else:
        assert isinstance(large, Exchange)
        assert large.round_trips <= small.round_trips + 8
        assert large.rows <= small.rows + 60
        assert large.bytes_sent < small.bytes_sent + 64 * 1024
