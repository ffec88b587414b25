"""The embedded DraftStore: one SQLite file in WAL mode, zero set-up.

Each thread gets its own connection. Writes run in `BEGIN IMMEDIATE` transactions, so two
writers serialise on the database lock and every check-then-write is atomic; `synchronous=FULL`
makes a commit durable before the caller is answered.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from draftsmith.errors import (
    Conflict,
    DraftNotFound,
    DraftQuotaExceeded,
    NoSavedVersion,
    NotFound,
    SaveFailed,
    Unavailable,
    VersionNotFound,
)
from draftsmith.store.jobs import SqlJobs
from draftsmith.store.records import (
    ApiKeyRecord,
    DraftHeader,
    FileEntry,
    SaveOutcome,
    VersionRecord,
    draft_from_json,
    draft_to_json,
    files_from_json,
    files_to_json,
    media_from_json,
    media_to_json,
    track_from_json,
    track_to_json,
)
from draftsmith.timeline.model import Canvas, Draft, Media, Track

MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE drafts (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        width INTEGER NOT NULL,
        height INTEGER NOT NULL,
        fps INTEGER NOT NULL,
        created_at_us INTEGER NOT NULL,
        updated_at_us INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        saved_version INTEGER NOT NULL DEFAULT 0,
        saved_revision INTEGER NOT NULL DEFAULT 0,
        saved_at_us INTEGER,
        track_count INTEGER NOT NULL DEFAULT 0,
        segment_count INTEGER NOT NULL DEFAULT 0,
        duration_us INTEGER NOT NULL DEFAULT 0
    );
    CREATE INDEX drafts_by_update ON drafts (updated_at_us DESC);
    CREATE TABLE tracks (
        draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        position INTEGER NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (draft_id, position)
    );
    CREATE TABLE versions (
        draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        revision INTEGER NOT NULL,
        created_at_us INTEGER NOT NULL,
        label TEXT,
        files TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        segment_count INTEGER NOT NULL,
        duration_us INTEGER NOT NULL,
        PRIMARY KEY (draft_id, version)
    );
    CREATE TABLE media_sources (
        url TEXT PRIMARY KEY,
        media TEXT NOT NULL
    );
    """,
    # API keys (their SHA-256 only), which key owns each draft, and the server's own secrets.
    """
    ALTER TABLE drafts ADD COLUMN owner TEXT;
    CREATE INDEX drafts_by_owner ON drafts (owner, updated_at_us DESC);
    CREATE TABLE api_keys (
        id TEXT PRIMARY KEY,
        name TEXT NOT NULL,
        hash TEXT NOT NULL UNIQUE,
        created_at_us INTEGER NOT NULL,
        revoked_at_us INTEGER
    );
    CREATE TABLE server_secrets (
        name TEXT PRIMARY KEY,
        value TEXT NOT NULL
    );
    """,
    # The editor profile a draft's saved folders are written for; older drafts were for "all".
    """
    ALTER TABLE drafts ADD COLUMN profile TEXT NOT NULL DEFAULT 'all';
    """,
    # Render jobs (gen_video): a queue of renders, one job per draft version (store/jobs.py).
    """
    CREATE TABLE render_jobs (
        id TEXT PRIMARY KEY,
        draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        version INTEGER NOT NULL,
        owner TEXT,
        status TEXT NOT NULL,
        progress INTEGER NOT NULL DEFAULT 0,
        attempts INTEGER NOT NULL DEFAULT 0,
        error_message TEXT,
        video_sha256 TEXT,
        video_size INTEGER,
        created_at_us INTEGER NOT NULL,
        started_at_us INTEGER,
        completed_at_us INTEGER,
        lease_until_us INTEGER,
        worker_id TEXT,
        UNIQUE (draft_id, version)
    );
    CREATE INDEX render_jobs_queue ON render_jobs (status, created_at_us);
    CREATE INDEX render_jobs_by_owner ON render_jobs (owner, status);
    """,
)

_HEADER_COLUMNS = (
    "id, name, width, height, fps, created_at_us, updated_at_us, revision, saved_version, "
    "saved_revision, saved_at_us, segment_count, duration_us, owner, profile"
)
_KEY_COLUMNS = "id, name, hash, created_at_us, revoked_at_us"
_VERSION_COLUMNS = (
    "draft_id, version, revision, created_at_us, label, files, segment_count, duration_us"
)


def _header(row: sqlite3.Row) -> DraftHeader:
    return DraftHeader(
        id=row["id"],
        name=row["name"],
        canvas=Canvas(row["width"], row["height"], row["fps"]),
        created_at_us=row["created_at_us"],
        updated_at_us=row["updated_at_us"],
        revision=row["revision"],
        saved_version=row["saved_version"],
        saved_revision=row["saved_revision"],
        saved_at_us=row["saved_at_us"],
        segment_count=row["segment_count"],
        duration_us=row["duration_us"],
        owner=row["owner"],
        profile=row["profile"],
    )


def _api_key(row: sqlite3.Row) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row["id"],
        name=row["name"],
        hash=row["hash"],
        created_at_us=row["created_at_us"],
        revoked_at_us=row["revoked_at_us"],
    )


def _version(row: sqlite3.Row) -> VersionRecord:
    return VersionRecord(
        draft_id=row["draft_id"],
        version=row["version"],
        revision=row["revision"],
        created_at_us=row["created_at_us"],
        label=row["label"],
        files=files_from_json(row["files"]),
        segment_count=row["segment_count"],
        duration_us=row["duration_us"],
    )


class SqliteDraftStore(SqlJobs):
    """DraftStore (and JobStore) on one SQLite database file."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._local = threading.local()
        self._all: list[sqlite3.Connection] = []
        self._all_lock = threading.Lock()
        try:
            path.parent.mkdir(parents=True, exist_ok=True)
            with self._write() as db:
                self._migrate(db)
        except (OSError, sqlite3.Error) as exc:
            raise Unavailable(f"Service unavailable: cannot open database ({exc})") from exc

    def _connection(self) -> sqlite3.Connection:
        db: sqlite3.Connection | None = getattr(self._local, "db", None)
        if db is None:
            db = sqlite3.connect(
                self.path, timeout=30.0, isolation_level=None, check_same_thread=False
            )
            db.row_factory = sqlite3.Row
            db.execute("PRAGMA journal_mode=WAL")
            db.execute("PRAGMA synchronous=FULL")
            db.execute("PRAGMA foreign_keys=ON")
            self._local.db = db
            with self._all_lock:
                self._all.append(db)
        return db

    @contextmanager
    def _write(self) -> Iterator[sqlite3.Connection]:
        try:
            db = self._connection()
            db.execute("BEGIN IMMEDIATE")
        except sqlite3.Error as exc:
            raise Unavailable() from exc
        try:
            yield db
            db.execute("COMMIT")
        except BaseException as exc:
            # A COMMIT that fails with "database or disk is full" (or an I/O error) has already
            # rolled back; a second ROLLBACK would raise and hide the real cause.
            if db.in_transaction:
                db.execute("ROLLBACK")
            if isinstance(exc, sqlite3.Error):
                raise SaveFailed() from exc
            raise

    @contextmanager
    def _read(self) -> Iterator[sqlite3.Connection]:
        try:
            db = self._connection()
            db.execute("BEGIN")
        except sqlite3.Error as exc:
            raise Unavailable() from exc
        try:
            yield db
        except sqlite3.Error as exc:
            raise Unavailable() from exc
        finally:
            db.execute("COMMIT")

    def _migrate(self, db: sqlite3.Connection) -> None:
        current = db.execute("PRAGMA user_version").fetchone()[0]
        for number, script in enumerate(MIGRATIONS[current:], start=current + 1):
            for statement in script.split(";"):
                if statement.strip():
                    db.execute(statement)
            db.execute(f"PRAGMA user_version={number}")

    @staticmethod
    def _header_in(db: sqlite3.Connection, draft_id: str) -> DraftHeader:
        row = db.execute(
            f"SELECT {_HEADER_COLUMNS} FROM drafts WHERE id = ?", (draft_id,)
        ).fetchone()
        if row is None:
            raise DraftNotFound()
        return _header(row)

    def create_draft(
        self, draft: Draft, now_us: int, *, owner: str | None = None, max_owned: int = 0
    ) -> DraftHeader:
        with self._write() as db:
            if owner is not None and max_owned > 0:
                # BEGIN IMMEDIATE holds the write lock, so no other create slips in between.
                held = db.execute(
                    "SELECT count(*) FROM drafts WHERE owner = ?", (owner,)
                ).fetchone()[0]
                if held >= max_owned:
                    raise DraftQuotaExceeded(max_owned)
            db.execute(
                "INSERT INTO drafts (id, name, width, height, fps, created_at_us, updated_at_us,"
                " revision, owner, profile) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)",
                (
                    draft.id,
                    draft.name,
                    draft.canvas.width,
                    draft.canvas.height,
                    draft.canvas.fps,
                    draft.created_at_us,
                    now_us,
                    owner,
                    draft.profile,
                ),
            )
            return self._header_in(db, draft.id)

    def header(self, draft_id: str) -> DraftHeader:
        with self._read() as db:
            return self._header_in(db, draft_id)

    def load(self, draft_id: str) -> tuple[DraftHeader, Draft]:
        with self._read() as db:
            header = self._header_in(db, draft_id)
            rows = db.execute(
                "SELECT body FROM tracks WHERE draft_id = ? ORDER BY position", (draft_id,)
            ).fetchall()
        draft = Draft(
            id=header.id,
            name=header.name,
            canvas=header.canvas,
            created_at_us=header.created_at_us,
            tracks=tuple(track_from_json(row["body"]) for row in rows),
            profile=header.profile,
        )
        return header, draft

    def append_track(self, draft_id: str, track: Track, now_us: int) -> DraftHeader:
        with self._write() as db:
            header = self._header_in(db, draft_id)
            position = db.execute(
                "SELECT track_count FROM drafts WHERE id = ?", (draft_id,)
            ).fetchone()[0]
            db.execute(
                "INSERT INTO tracks (draft_id, position, body) VALUES (?, ?, ?)",
                (draft_id, position, track_to_json(track)),
            )
            db.execute(
                "UPDATE drafts SET revision = revision + 1, updated_at_us = ?,"
                " track_count = track_count + 1, segment_count = segment_count + ?,"
                " duration_us = MAX(duration_us, ?) WHERE id = ? AND revision = ?",
                (now_us, len(track.segments), track.end, draft_id, header.revision),
            )
            return self._header_in(db, draft_id)

    def replace_tracks(
        self, draft_id: str, tracks: tuple[Track, ...], expected_revision: int, now_us: int
    ) -> DraftHeader:
        with self._write() as db:
            header = self._header_in(db, draft_id)
            if header.revision != expected_revision:
                raise Conflict()
            db.execute("DELETE FROM tracks WHERE draft_id = ?", (draft_id,))
            db.executemany(
                "INSERT INTO tracks (draft_id, position, body) VALUES (?, ?, ?)",
                [(draft_id, i, track_to_json(t)) for i, t in enumerate(tracks)],
            )
            db.execute(
                "UPDATE drafts SET revision = revision + 1, updated_at_us = ?, track_count = ?,"
                " segment_count = ?, duration_us = ? WHERE id = ?",
                (
                    now_us,
                    len(tracks),
                    sum(len(t.segments) for t in tracks),
                    max((t.end for t in tracks), default=0),
                    draft_id,
                ),
            )
            return self._header_in(db, draft_id)

    def add_version(
        self,
        draft_id: str,
        *,
        revision: int,
        snapshot: Draft,
        files: tuple[FileEntry, ...],
        label: str | None,
        keep_versions: int,
        now_us: int,
    ) -> SaveOutcome:
        with self._write() as db:
            header = self._header_in(db, draft_id)
            if header.saved_version and header.saved_revision >= revision:
                return SaveOutcome(self._version_in(db, draft_id, header.saved_version), False)
            number = header.saved_version + 1
            db.execute(
                "INSERT INTO versions (draft_id, version, revision, created_at_us, label, files,"
                " snapshot, segment_count, duration_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    draft_id,
                    number,
                    revision,
                    now_us,
                    label,
                    files_to_json(files),
                    draft_to_json(snapshot),
                    snapshot.segment_count,
                    snapshot.duration,
                ),
            )
            db.execute(
                "UPDATE drafts SET saved_version = ?, saved_revision = ?, saved_at_us = ?"
                " WHERE id = ?",
                (number, revision, now_us, draft_id),
            )
            if keep_versions > 0:
                db.execute(
                    "DELETE FROM versions WHERE draft_id = ? AND version <= ?",
                    (draft_id, number - keep_versions),
                )
            return SaveOutcome(self._version_in(db, draft_id, number), True)

    @staticmethod
    def _version_in(db: sqlite3.Connection, draft_id: str, version: int) -> VersionRecord:
        row = db.execute(
            f"SELECT {_VERSION_COLUMNS} FROM versions WHERE draft_id = ? AND version = ?",
            (draft_id, version),
        ).fetchone()
        if row is None:
            raise VersionNotFound(f"Version {version} does not exist")
        return _version(row)

    def versions(self, draft_id: str) -> list[VersionRecord]:
        with self._read() as db:
            self._header_in(db, draft_id)
            rows = db.execute(
                f"SELECT {_VERSION_COLUMNS} FROM versions WHERE draft_id = ? ORDER BY version",
                (draft_id,),
            ).fetchall()
        return [_version(row) for row in rows]

    def version(self, draft_id: str, version: int | None) -> VersionRecord:
        with self._read() as db:
            header = self._header_in(db, draft_id)
            if version is None:
                if header.saved_version == 0:
                    raise NoSavedVersion()
                version = header.saved_version
            return self._version_in(db, draft_id, version)

    def version_snapshot(self, draft_id: str, version: int) -> Draft:
        with self._read() as db:
            self._header_in(db, draft_id)
            row = db.execute(
                "SELECT snapshot FROM versions WHERE draft_id = ? AND version = ?",
                (draft_id, version),
            ).fetchone()
        if row is None:
            raise VersionNotFound(f"Version {version} does not exist")
        return draft_from_json(row["snapshot"])

    def list_drafts(
        self, *, limit: int, offset: int, query: str | None, owner: str | None = None
    ) -> list[DraftHeader]:
        sql = f"SELECT {_HEADER_COLUMNS} FROM drafts WHERE 1 = 1"
        params: list[object] = []
        if owner is not None:
            sql += " AND owner = ?"
            params.append(owner)
        if query:
            pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            sql += " AND (id LIKE ? ESCAPE '\\' OR name LIKE ? ESCAPE '\\')"
            params += [pattern + "%", pattern + "%"]
        sql += " ORDER BY updated_at_us DESC, id LIMIT ? OFFSET ?"
        params += [limit, offset]
        with self._read() as db:
            return [_header(row) for row in db.execute(sql, params).fetchall()]

    def delete_draft(self, draft_id: str) -> None:
        with self._write() as db:
            self._header_in(db, draft_id)
            db.execute("DELETE FROM drafts WHERE id = ?", (draft_id,))

    def remember_media(self, url: str, media: Media) -> None:
        with self._write() as db:
            db.execute(
                "INSERT OR REPLACE INTO media_sources (url, media) VALUES (?, ?)",
                (url, media_to_json(media)),
            )

    def media_for_url(self, url: str) -> Media | None:
        with self._read() as db:
            row = db.execute("SELECT media FROM media_sources WHERE url = ?", (url,)).fetchone()
        return None if row is None else media_from_json(row["media"])

    def add_api_key(self, record: ApiKeyRecord) -> None:
        with self._write() as db:
            db.execute(
                f"INSERT INTO api_keys ({_KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                (record.id, record.name, record.hash, record.created_at_us, record.revoked_at_us),
            )

    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        with self._read() as db:
            row = db.execute(
                f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE hash = ?", (key_hash,)
            ).fetchone()
        return None if row is None else _api_key(row)

    def api_keys(self) -> list[ApiKeyRecord]:
        with self._read() as db:
            rows = db.execute(
                f"SELECT {_KEY_COLUMNS} FROM api_keys ORDER BY created_at_us, id"
            ).fetchall()
        return [_api_key(row) for row in rows]

    def revoke_api_key(self, key_id: str, now_us: int) -> ApiKeyRecord:
        with self._write() as db:
            db.execute(
                "UPDATE api_keys SET revoked_at_us = COALESCE(revoked_at_us, ?) WHERE id = ?",
                (now_us, key_id),
            )
            row = db.execute(
                f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE id = ?", (key_id,)
            ).fetchone()
            if row is None:
                raise NotFound(f"No API key with id {key_id!r}")
            return _api_key(row)

    def has_api_keys(self) -> bool:
        with self._read() as db:
            return bool(db.execute("SELECT EXISTS (SELECT 1 FROM api_keys)").fetchone()[0])

    def server_secret(self, name: str, candidate: bytes) -> bytes:
        with self._write() as db:
            db.execute(
                "INSERT OR IGNORE INTO server_secrets (name, value) VALUES (?, ?)",
                (name, candidate.hex()),
            )
            row = db.execute("SELECT value FROM server_secrets WHERE name = ?", (name,)).fetchone()
        return bytes.fromhex(row["value"])

    def ping(self) -> None:
        with self._read() as db:
            db.execute("SELECT 1").fetchone()

    def close(self) -> None:
        with self._all_lock:
            for db in self._all:
                db.close()
            self._all.clear()
