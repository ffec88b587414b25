"""The embedded DraftStore: one SQLite file in WAL mode, zero set-up.

Each thread gets its own connection. Writes run in `BEGIN IMMEDIATE` transactions, so two
writers serialise on the database lock and every check-then-write is atomic; `synchronous=FULL`
makes a commit durable before the caller is answered. Writers of one process queue for that
lock in arrival order, and the log is checkpointed beside them (sqlite_writes.py).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import sqlite3
import threading
from collections.abc import Iterable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from draftsmith.chunks import Chunk, VersionTree
from draftsmith.errors import Conflict, DraftQuotaExceeded, NotFound, SaveFailed, Unavailable
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.records import (
    ApiKeyRecord,
    DraftHeader,
    FileEntry,
    SaveOutcome,
)
from draftsmith.store.rows import (
    INSERT_DRAFT,
    KEY_COLUMNS,
    api_key_from_row,
    new_draft_params,
)
from draftsmith.store.sql import SqlDrafts, track_totals
from draftsmith.store.sqlite_schema import MIGRATIONS
from draftsmith.store.sqlite_writes import Checkpointer
from draftsmith.store.track_cache import LoadedDrafts, TrackCache
from draftsmith.timeline.model import Draft, Track
from draftsmith.turns import Turns

__all__ = ["MIGRATIONS", "SqliteDraftStore"]


BUSY_SECONDS = 30.0
"""How long a connection waits for another's lock (SQLite's busy handler)."""
EVENT_LOOP_BUSY_SECONDS = 0.1
"""The same for the event loop's own connection (its reads of one row, `local_reads`): while
it waits, no request of the process is answered. A read in WAL mode meets a lock only in rare
cases (another process recovering the log after a crash, or holding the file exclusively);
the request is then answered 503 with Retry-After, and the others go on."""


_KEYS_GIVEN = "(SELECT value FROM json_each(?))"
"""Many keys as one parameter, a JSON array: the statement is the same whatever their number."""

# Looked up in the order given: a file's chunks come in the order they were written,
# the order the rows are stored in. An IN list is looked up in key order, and keys are
# hashes: a large file's lookups would jump all over the table. CROSS JOIN fixes the
# order of the loops (left to the planner, it scanned the draft's chunks once per key:
# a second to read a file of 3,500 chunks).
_IN_ORDER = " FROM json_each(?) AS k CROSS JOIN chunks AS c ON c.draft_id = ? AND c.key = k.value"
CHUNKS_IN_ORDER = "SELECT c.key, c.data" + _IN_ORDER
"""The rows (`key`, `data`) of a draft's chunks of the keys given, in their order."""
CHUNK_DATA_IN_ORDER = "SELECT c.data" + _IN_ORDER
"""The bytes of a draft's chunks of the keys given, in their order, repeats repeated."""


def _on_event_loop() -> bool:
    try:
        asyncio.get_running_loop()
    except RuntimeError:
        return False
    return True


def _sha256(value: str | bytes) -> bytes:
    """SHA-256 as an SQL function (SQLite has none), of a BLOB or of a TEXT's UTF-8."""
    return hashlib.sha256(value.encode() if isinstance(value, str) else value).digest()


class SqliteDraftStore(SqlDrafts):
    """DraftStore (and KeyStore, JobStore) on one SQLite database file."""

    local_reads = True

    def __init__(self, path: Path, *, tracks: TrackCache | None = None) -> None:
        """`tracks`: the cache tracks are read through (see bootstrap.build_drafts)."""
        self.path = path
        self._tracks = tracks
        self._loaded = LoadedDrafts()
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        self._writers = Turns(1)
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._write() as db:
                self._migrate(db)
        except (OSError, sqlite3.Error) as exc:
            raise Unavailable(f"Service unavailable: cannot open database ({exc})") from exc
        self._checkpointer = Checkpointer(path, self._connect)

    def _connect(self) -> sqlite3.Connection:
        db = sqlite3.connect(
            self.path, timeout=BUSY_SECONDS, isolation_level=None, check_same_thread=False
        )
        db.row_factory = sqlite3.Row
        db.execute("PRAGMA journal_mode=WAL")
        db.execute("PRAGMA synchronous=FULL")
        # The Checkpointer copies the log back beside the writers (sqlite_writes.py); this is
        # the backstop should it fall far behind.
        db.execute("PRAGMA wal_autocheckpoint=16384")
        db.execute("PRAGMA foreign_keys=ON")
        return db

    def _connection(self) -> sqlite3.Connection:
        """This thread's connection, waiting for locks as long as its thread may: the thread
        that runs the event loop (it may have made the connection before the loop ran) waits
        EVENT_LOOP_BUSY_SECONDS."""
        local = self._local
        db: sqlite3.Connection | None = getattr(local, "db", None)
        if db is None:
            db = local.db = self._connect()
            local.waits = BUSY_SECONDS
            with self._all_lock:
                self._all.append(db)
        waits = EVENT_LOOP_BUSY_SECONDS if _on_event_loop() else BUSY_SECONDS
        if waits != local.waits:
            db.execute(f"PRAGMA busy_timeout = {round(waits * 1000)}")
            local.waits = waits
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        # Writers of this process take turns in arrival order before asking SQLite, whose
        # busy handler would make them poll (sqlite_writes.py).
        with self._writers:
            try:
                db = self._connection()
                db.execute("BEGIN IMMEDIATE")
            except sqlite3.Error as exc:
                self._failed("write")
                raise Unavailable() from exc
            try:
                yield db
                db.execute("COMMIT")
            except BaseException as exc:
                # A COMMIT that fails with "database or disk is full" (or an I/O error) has
                # already rolled back; a second ROLLBACK would raise and hide the real cause.
                if db.in_transaction:
                    db.execute("ROLLBACK")
                if isinstance(exc, sqlite3.Error):
                    self._failed("write")
                    raise SaveFailed() from exc
                raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            db = self._connection()
            db.execute("BEGIN")
        except sqlite3.Error as exc:
            self._failed("read")
            raise Unavailable() from exc
        try:
            yield db
        except sqlite3.Error as exc:
            self._failed("read")
            raise Unavailable() from exc
        finally:
            db.execute("COMMIT")

    def _with_keys(self, text: str, keys: Sequence[str]) -> tuple[str, object]:
        return text.format(keys=f"key IN {_KEYS_GIVEN}"), json.dumps(list(keys))

    def _chunk_rows(self, db: Any, draft_id: str, keys: Sequence[str]) -> Iterable[Any]:
        return self._run(db, CHUNKS_IN_ORDER, json.dumps(list(keys)), draft_id)

    def _ordered_chunk_data(self, db: Any, draft_id: str, keys: Sequence[str]) -> list[bytes]:
        cursor = db.cursor()
        cursor.row_factory = None  # plain tuples: a large file is thousands of rows
        found = cursor.execute(CHUNK_DATA_IN_ORDER, (json.dumps(list(keys)), draft_id))
        return [data for (data,) in found]

    def _run_many(self, db: sqlite3.Connection, text: str, rows: Sequence[Sequence[Any]]) -> None:
        db.executemany(self._sql(text), rows)

    def _migrate(self, db: sqlite3.Connection) -> None:
        # Moving whole files into chunks (sqlite_schema.py) keys each by a SHA-256.
        db.create_function("sha256", 1, _sha256, deterministic=True)
        current = db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            for statement in script.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={number}")

    def create_draft(
        self,
        draft: Draft,
        now_us: int,
        *,
        owner: str | None = None,
        max_owned: int = 0,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        with self._write() as db:
            self._claim_in(db, once)
            self._create_in(db, draft, now_us, owner, max_owned)
            return self._settle_in(db, once, self._header_in(db, draft.id))

    def _create_in(
        self, db: Any, draft: Draft, now_us: int, owner: str | None, max_owned: int
    ) -> None:
        if owner is not None and max_owned > 0:
            # BEGIN IMMEDIATE holds the write lock, so no other create slips in between.
            held = db.execute("SELECT count(*) FROM drafts WHERE owner = ?", (owner,)).fetchone()[0]
            if held >= max_owned:
                raise DraftQuotaExceeded(max_owned)
        db.execute(INSERT_DRAFT, new_draft_params(draft, now_us, owner))

    def append_tracks(
        self,
        draft_id: str,
        tracks: Sequence[Track],
        now_us: int,
        *,
        new: Draft | None = None,
        owner: str | None = None,
        max_owned: int = 0,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        with self._write() as db:
            self._claim_in(db, once)
            if new is not None:
                self._create_in(db, new, now_us, owner, max_owned)
            header = self._header_in(db, draft_id)
            position = db.execute(
                "SELECT track_count FROM drafts WHERE id = ?", (draft_id,)
            ).fetchone()[0]
            self._write_tracks_in(db, draft_id, tracks, header.revision + 1, after=position)
            db.execute(
                "UPDATE drafts SET revision = revision + 1, updated_at_us = ?,"
                " track_count = track_count + ?, segment_count = segment_count + ?,"
                " duration_us = MAX(duration_us, ?) WHERE id = ? AND revision = ?",
                (
                    now_us,
                    *track_totals(tracks),
                    draft_id,
                    header.revision,
                ),
            )
            return self._settle_in(db, once, self._header_in(db, draft_id))

    def replace_tracks(
        self,
        draft_id: str,
        tracks: tuple[Track, ...],
        expected_revision: int,
        now_us: int,
        *,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        with self._write() as db:
            self._claim_in(db, once)
            header = self._header_in(db, draft_id)
            if header.revision != expected_revision:
                raise Conflict()
            self._write_tracks_in(
                db, draft_id, tracks, header.revision + 1, replacing=header.revision
            )
            db.execute(
                "UPDATE drafts SET revision = revision + 1, updated_at_us = ?, track_count = ?,"
                " segment_count = ?, duration_us = ? WHERE id = ?",
                (
                    now_us,
                    *track_totals(tracks),
                    draft_id,
                ),
            )
            return self._settle_in(db, once, self._header_in(db, draft_id))

    def add_version(
        self,
        draft_id: str,
        *,
        revision: int,
        snapshot: Draft | None,
        files: tuple[FileEntry, ...],
        contents: Mapping[str, Sequence[Chunk]],
        label: str | None,
        keep_versions: int,
        now_us: int,
        once: Idempotency[SaveOutcome] | None = None,
        tree: VersionTree | None = None,
    ) -> SaveOutcome:
        if tree is None:
            tree = self._whole_tree(contents, snapshot)
        with self._write() as db:
            self._claim_in(db, once)
            header = self._header_in(db, draft_id)
            if header.saved_version and header.saved_revision >= revision:
                saved = self._version_in(db, draft_id, header.saved_version)
                return self._settle_in(db, once, SaveOutcome(saved, False))
            number = header.saved_version + 1
            record = self._insert_version_in(
                db,
                draft_id,
                number,
                revision=revision,
                tree=tree,
                files=files,
                label=label,
                now_us=now_us,
            )
            db.execute(
                "UPDATE drafts SET saved_version = ?, saved_revision = ?, saved_at_us = ?"
                " WHERE id = ?",
                (number, revision, now_us, draft_id),
            )
            self._prune_in(db, draft_id, number, keep_versions)
            return self._settle_in(db, once, SaveOutcome(record, True))

    def delete_draft(self, draft_id: str, *, once: Idempotency[None] | None = None) -> None:
        with self._write() as db:
            self._claim_in(db, once)
            self._header_in(db, draft_id)
            db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))
            self._settle_in(db, once, None)
        self._loaded.forget(draft_id)

    def revoke_api_key(self, key_id: str, now_us: int) -> ApiKeyRecord:
        with self._write() as db:
            db.execute(
                "UPDATE api_keys SET revoked_at_us = COALESCE(revoked_at_us, ?) WHERE id = ?",
                (now_us, key_id),
            )
            row = db.execute(
                f"SELECT {KEY_COLUMNS} FROM api_keys WHERE id = ?", (key_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"No API key with id {key_id!r}")
            return api_key_from_row(row)

    def close(self) -> None:
        self._checkpointer.stop()
        with self._all_lock:
            for db in self._all:
                db.close()
            self._all.clear()
