"""The scale-out DraftStore: one PostgreSQL database shared by any number of server processes.

Every write is one transaction whose UPDATE of the draft's row both checks and bumps the
revision (or the saved version). The row lock that UPDATE takes queues concurrent writers to the
same draft, whichever process they run in, until the first commits; PostgreSQL then re-reads
the row for the next one, so no increment is lost and no in-process lock is needed. Reads run
in REPEATABLE READ READ ONLY transactions, so a header and the rows read with it agree.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import AbstractContextManager, contextmanager

import psycopg
from psycopg import Connection, IsolationLevel
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool

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
from draftsmith.store.migrations import migrate_postgres
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

_HEADER_COLUMNS = (
    "id, name, width, height, fps, created_at_us, updated_at_us, revision, saved_version, "
    "saved_revision, saved_at_us, segment_count, duration_us, owner, profile"
)
_KEY_COLUMNS = "id, name, hash, created_at_us, revoked_at_us"
# First half of the advisory lock that serialises draft creation per owner ("ds").
_OWNER_LOCK_CLASS = 0x6473
_VERSION_COLUMNS = (
    "draft_id, version, revision, created_at_us, label, files, segment_count, duration_us"
)

_JOINED_VERSION_COLUMNS = ", ".join(f"v.{column}" for column in _VERSION_COLUMNS.split(", "))


def _header(row: DictRow) -> DraftHeader:
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


def _api_key(row: DictRow) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row["id"],
        name=row["name"],
        hash=row["hash"],
        created_at_us=row["created_at_us"],
        revoked_at_us=row["revoked_at_us"],
    )


def _version(row: DictRow) -> VersionRecord:
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


class PostgresDraftStore(SqlJobs):
    """DraftStore (and JobStore) on a PostgreSQL database, through a thread-safe connection pool.

    The constructor connects and applies pending schema migrations; it raises Unavailable when
    the database cannot be reached within `timeout` seconds.
    """

    _placeholder = "%s"
    _skip_locked = " FOR UPDATE SKIP LOCKED"

    def __init__(self, url: str, *, max_connections: int = 10, timeout: float = 10.0) -> None:
        self._pool = ConnectionPool(
            url,
            min_size=1,
            max_size=max_connections,
            timeout=timeout,
            open=False,
            connection_class=Connection[DictRow],
            kwargs={"autocommit": True, "row_factory": dict_row},
            # After a database restart the pool holds dead connections; checking each one on
            # checkout turns that into a reconnect rather than a failed request.
            check=ConnectionPool.check_connection,
        )
        try:
            self._pool.open(wait=True, timeout=timeout)
            with self._pool.connection() as conn:
                migrate_postgres(conn)
        except psycopg.Error as exc:
            self._pool.close()
            raise Unavailable(f"Service unavailable: cannot open database ({exc})") from exc

    @contextmanager
    def _transaction(self, *, write: bool) -> Iterator[Connection[DictRow]]:
        try:
            conn = self._pool.getconn()
        except psycopg.Error as exc:
            raise Unavailable() from exc
        try:
            conn.isolation_level = None if write else IsolationLevel.REPEATABLE_READ
            conn.read_only = None if write else True
            with conn.transaction():
                yield conn
        except psycopg.Error as exc:
            raise (SaveFailed() if write else Unavailable()) from exc
        finally:
            self._pool.putconn(conn)

    def _write(self) -> AbstractContextManager[Connection[DictRow]]:
        return self._transaction(write=True)

    def _read(self) -> AbstractContextManager[Connection[DictRow]]:
        return self._transaction(write=False)

    @staticmethod
    def _header_in(conn: Connection[DictRow], draft_id: str) -> DraftHeader:
        row = conn.execute(
            f"SELECT {_HEADER_COLUMNS} FROM drafts WHERE id = %s", (draft_id,)
        ).fetchone()
        if row is None:
            raise DraftNotFound()
        return _header(row)

    @staticmethod
    def _version_in(conn: Connection[DictRow], draft_id: str, version: int) -> VersionRecord:
        row = conn.execute(
            f"SELECT {_VERSION_COLUMNS} FROM versions WHERE draft_id = %s AND version = %s",
            (draft_id, version),
        ).fetchone()
        if row is None:
            raise VersionNotFound(f"Version {version} does not exist")
        return _version(row)

    def create_draft(
        self, draft: Draft, now_us: int, *, owner: str | None = None, max_owned: int = 0
    ) -> DraftHeader:
        with self._write() as conn:
            if owner is not None and max_owned > 0:
                # Counting alone would let two concurrent creates both see room for one more;
                # the per-owner lock, held to commit, queues them.
                conn.execute(
                    "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_OWNER_LOCK_CLASS, owner)
                )
                held = conn.execute(
                    "SELECT count(*) AS held FROM drafts WHERE owner = %s", (owner,)
                ).fetchone()
                if held is not None and held["held"] >= max_owned:
                    raise DraftQuotaExceeded(max_owned)
            row = conn.execute(
                "INSERT INTO drafts (id, name, width, height, fps, created_at_us, updated_at_us,"
                " revision, owner, profile) VALUES (%s, %s, %s, %s, %s, %s, %s, 0, %s, %s)"
                f" RETURNING {_HEADER_COLUMNS}",
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
            ).fetchone()
        assert row is not None
        return _header(row)

    def header(self, draft_id: str) -> DraftHeader:
        with self._read() as conn:
            return self._header_in(conn, draft_id)

    def load(self, draft_id: str) -> tuple[DraftHeader, Draft]:
        with self._read() as conn:
            header = self._header_in(conn, draft_id)
            rows = conn.execute(
                "SELECT body FROM tracks WHERE draft_id = %s ORDER BY position", (draft_id,)
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
        with self._write() as conn:
            row = conn.execute(
                "UPDATE drafts SET revision = revision + 1, updated_at_us = %s,"
                " track_count = track_count + 1, segment_count = segment_count + %s,"
                " duration_us = GREATEST(duration_us, %s) WHERE id = %s"
                f" RETURNING track_count - 1 AS position, {_HEADER_COLUMNS}",
                (now_us, len(track.segments), track.end, draft_id),
            ).fetchone()
            if row is None:
                raise DraftNotFound()
            conn.execute(
                "INSERT INTO tracks (draft_id, position, body) VALUES (%s, %s, %s)",
                (draft_id, row["position"], track_to_json(track)),
            )
        return _header(row)

    def replace_tracks(
        self, draft_id: str, tracks: tuple[Track, ...], expected_revision: int, now_us: int
    ) -> DraftHeader:
        with self._write() as conn:
            row = conn.execute(
                "UPDATE drafts SET revision = revision + 1, updated_at_us = %s, track_count = %s,"
                " segment_count = %s, duration_us = %s WHERE id = %s AND revision = %s"
                f" RETURNING {_HEADER_COLUMNS}",
                (
                    now_us,
                    len(tracks),
                    sum(len(t.segments) for t in tracks),
                    max((t.end for t in tracks), default=0),
                    draft_id,
                    expected_revision,
                ),
            ).fetchone()
            if row is None:
                self._header_in(conn, draft_id)
                raise Conflict()
            conn.execute("DELETE FROM tracks WHERE draft_id = %s", (draft_id,))
            with conn.cursor() as cursor:
                cursor.executemany(
                    "INSERT INTO tracks (draft_id, position, body) VALUES (%s, %s, %s)",
                    [(draft_id, i, track_to_json(t)) for i, t in enumerate(tracks)],
                )
        return _header(row)

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
        with self._write() as conn:
            claimed = conn.execute(
                "UPDATE drafts SET saved_version = saved_version + 1, saved_revision = %s,"
                " saved_at_us = %s WHERE id = %s AND (saved_version = 0 OR saved_revision < %s)"
                " RETURNING saved_version",
                (revision, now_us, draft_id, revision),
            ).fetchone()
            if claimed is None:
                return SaveOutcome(self._newest_version_in(conn, draft_id), False)
            number = claimed["saved_version"]
            row = conn.execute(
                "INSERT INTO versions (draft_id, version, revision, created_at_us, label, files,"
                " snapshot, segment_count, duration_us)"
                f" VALUES (%s, %s, %s, %s, %s, %s, %s, %s, %s) RETURNING {_VERSION_COLUMNS}",
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
            ).fetchone()
            if keep_versions > 0:
                conn.execute(
                    "DELETE FROM versions WHERE draft_id = %s AND version <= %s",
                    (draft_id, number - keep_versions),
                )
        assert row is not None
        return SaveOutcome(_version(row), True)

    def _newest_version_in(self, conn: Connection[DictRow], draft_id: str) -> VersionRecord:
        # One statement, so one snapshot: a save committed meanwhile may prune the version
        # the header named a moment before, never the one it names now.
        row = conn.execute(
            f"SELECT {_JOINED_VERSION_COLUMNS}"
            " FROM drafts d JOIN versions v ON v.draft_id = d.id AND v.version = d.saved_version"
            " WHERE d.id = %s",
            (draft_id,),
        ).fetchone()
        if row is None:
            header = self._header_in(conn, draft_id)
            raise VersionNotFound(f"Version {header.saved_version} does not exist")
        return _version(row)

    def versions(self, draft_id: str) -> list[VersionRecord]:
        with self._read() as conn:
            self._header_in(conn, draft_id)
            rows = conn.execute(
                f"SELECT {_VERSION_COLUMNS} FROM versions WHERE draft_id = %s ORDER BY version",
                (draft_id,),
            ).fetchall()
        return [_version(row) for row in rows]

    def version(self, draft_id: str, version: int | None) -> VersionRecord:
        with self._read() as conn:
            header = self._header_in(conn, draft_id)
            if version is None:
                if header.saved_version == 0:
                    raise NoSavedVersion()
                version = header.saved_version
            return self._version_in(conn, draft_id, version)

    def version_snapshot(self, draft_id: str, version: int) -> Draft:
        with self._read() as conn:
            self._header_in(conn, draft_id)
            row = conn.execute(
                "SELECT snapshot FROM versions WHERE draft_id = %s AND version = %s",
                (draft_id, version),
            ).fetchone()
        if row is None:
            raise VersionNotFound(f"Version {version} does not exist")
        return draft_from_json(row["snapshot"])

    def list_drafts(
        self, *, limit: int, offset: int, query: str | None, owner: str | None = None
    ) -> list[DraftHeader]:
        sql = f"SELECT {_HEADER_COLUMNS} FROM drafts WHERE true"
        params: list[object] = []
        if owner is not None:
            sql += " AND owner = %s"
            params.append(owner)
        if query:
            pattern = "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_")
            # ILIKE under the "C" collation folds ASCII case only, as SQLite's LIKE does.
            sql += " AND (id ILIKE %s ESCAPE '\\' OR name ILIKE %s ESCAPE '\\')"
            params += [pattern + "%", pattern + "%"]
        sql += " ORDER BY updated_at_us DESC, id LIMIT %s OFFSET %s"
        params += [limit, offset]
        with self._read() as conn:
            return [_header(row) for row in conn.execute(sql, params).fetchall()]

    def delete_draft(self, draft_id: str) -> None:
        with self._write() as conn:
            deleted = conn.execute("DELETE FROM drafts WHERE id = %s", (draft_id,)).rowcount
            if deleted == 0:
                raise DraftNotFound()

    def remember_media(self, url: str, media: Media) -> None:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO media_sources (url, media) VALUES (%s, %s)"
                " ON CONFLICT (url) DO UPDATE SET media = EXCLUDED.media",
                (url, media_to_json(media)),
            )

    def media_for_url(self, url: str) -> Media | None:
        with self._read() as conn:
            row = conn.execute("SELECT media FROM media_sources WHERE url = %s", (url,)).fetchone()
        return None if row is None else media_from_json(row["media"])

    def add_api_key(self, record: ApiKeyRecord) -> None:
        with self._write() as conn:
            conn.execute(
                f"INSERT INTO api_keys ({_KEY_COLUMNS}) VALUES (%s, %s, %s, %s, %s)",
                (record.id, record.name, record.hash, record.created_at_us, record.revoked_at_us),
            )

    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        with self._read() as conn:
            row = conn.execute(
                f"SELECT {_KEY_COLUMNS} FROM api_keys WHERE hash = %s", (key_hash,)
            ).fetchone()
        return None if row is None else _api_key(row)

    def api_keys(self) -> list[ApiKeyRecord]:
        with self._read() as conn:
            rows = conn.execute(
                f"SELECT {_KEY_COLUMNS} FROM api_keys ORDER BY created_at_us, id"
            ).fetchall()
        return [_api_key(row) for row in rows]

    def revoke_api_key(self, key_id: str, now_us: int) -> ApiKeyRecord:
        with self._write() as conn:
            row = conn.execute(
                "UPDATE api_keys SET revoked_at_us = COALESCE(revoked_at_us, %s) WHERE id = %s"
                f" RETURNING {_KEY_COLUMNS}",
                (now_us, key_id),
            ).fetchone()
        if row is None:
            raise NotFound(f"No API key with id {key_id!r}")
        return _api_key(row)

    def has_api_keys(self) -> bool:
        with self._read() as conn:
            row = conn.execute("SELECT EXISTS (SELECT 1 FROM api_keys) AS found").fetchone()
        return row is not None and bool(row["found"])

    def server_secret(self, name: str, candidate: bytes) -> bytes:
        with self._write() as conn:
            conn.execute(
                "INSERT INTO server_secrets (name, value) VALUES (%s, %s)"
                " ON CONFLICT (name) DO NOTHING",
                (name, candidate.hex()),
            )
            row = conn.execute(
                "SELECT value FROM server_secrets WHERE name = %s", (name,)
            ).fetchone()
        assert row is not None
        return bytes.fromhex(row["value"])

    def ping(self) -> None:
        with self._read() as conn:
            conn.execute("SELECT 1").fetchone()

    def close(self) -> None:
        self._pool.close()
