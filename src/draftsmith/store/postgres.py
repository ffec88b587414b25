"""The scale-out DraftStore: one PostgreSQL database shared by any number of server processes.

Every write is one transaction whose UPDATE of the draft's row both checks and bumps the
revision (or the saved version). The row lock that UPDATE takes queues concurrent writers to the
same draft, whichever process they run in, until the first commits; PostgreSQL then re-reads
the row for the next one, so no increment is lost and no in-process lock is needed. Reads run
in REPEATABLE READ READ ONLY transactions, so a header and the rows read with it agree; a read
or write of one statement (a header, an unchanged save's answer, a rate bucket) runs alone in
autocommit, its own snapshot or atomic step, in one round trip.
"""

from __future__ import annotations

import select
from collections.abc import Iterator, Mapping, Sequence
from contextlib import AbstractContextManager, contextmanager
from typing import Any
from urllib.parse import urlsplit

import psycopg
from psycopg import Connection, IsolationLevel
from psycopg.rows import DictRow, dict_row
from psycopg_pool import ConnectionPool

from draftsmith.chunks import Chunk, VersionTree
from draftsmith.errors import (
    Conflict,
    DraftNotFound,
    DraftQuotaExceeded,
    NotFound,
    SaveFailed,
    Unavailable,
    VersionNotFound,
)
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.migrations import migrate_postgres
from draftsmith.store.records import (
    ApiKeyRecord,
    DraftHeader,
    FileEntry,
    SaveOutcome,
    VersionRecord,
)
from draftsmith.store.rows import (
    HEADER_COLUMNS,
    INSERT_DRAFT,
    KEY_COLUMNS,
    VERSION_COLUMNS,
    api_key_from_row,
    header_from_row,
    new_draft_params,
    version_from_row,
)
from draftsmith.store.sql import SqlDrafts, track_totals
from draftsmith.store.track_cache import LoadedDrafts, TrackCache
from draftsmith.timeline.model import Draft, Track

# First half of the advisory lock that serialises draft creation per owner ("ds").
_OWNER_LOCK_CLASS = 0x6473
# ... and of the one that serialises charging renders to one payer's budget ("rb").
_PAYER_LOCK_CLASS = 0x7262
_JOINED_VERSION_COLUMNS = ", ".join(f"v.{column}" for column in VERSION_COLUMNS.split(", "))


def _one_line(message: str, password: str | None) -> str:
    """libpq's multi-line message on one line, without the password should it quote the URL."""
    text = "; ".join(line.strip() for line in message.splitlines() if line.strip())
    return text.replace(f":{password}@", ":***@") if password else text


def _check_idle(conn: Connection[DictRow]) -> None:
    """Check a pooled connection on checkout, without a round trip while nothing came in on it
    when idle: a server that ended the connection (a restart, say) told it so, or closed it,
    and that is what makes the socket readable."""
    if conn.closed or _readable(conn.fileno()):
        ConnectionPool.check_connection(conn)


def _readable(fd: int) -> bool:
    """Whether the socket has something to read, or was closed (poll: any descriptor number,
    where select stops at 1024)."""
    if not hasattr(select, "poll"):
        return True
    poller = select.poll()
    poller.register(fd, select.POLLIN)
    return bool(poller.poll(0))


class PostgresDraftStore(SqlDrafts):
    """DraftStore (and KeyStore, JobStore) on a PostgreSQL database, through a thread-safe
    connection pool.

    The constructor connects and applies pending schema migrations; it raises Unavailable when
    the database cannot be reached within `timeout` seconds.
    """

    local_reads = False

    _placeholder = "%s"
    _skip_locked = " FOR UPDATE SKIP LOCKED"
    # ILIKE under the "C" collation folds ASCII case only, as SQLite's LIKE does.
    _like = "ILIKE"
    _least = "LEAST"
    _greatest = "GREATEST"

    def __init__(
        self,
        url: str,
        *,
        max_connections: int = 10,
        timeout: float = 10.0,
        tracks: TrackCache | None = None,
    ) -> None:
        """`tracks`: the cache tracks are read through (see bootstrap.build_drafts)."""
        self._tracks = tracks
        self._loaded = LoadedDrafts()
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
            check=_check_idle,
        )
        try:
            # One plain connection first: the pool would retry a database that is not there
            # until `timeout`, then report only that it timed out, not why.
            psycopg.connect(url, connect_timeout=max(2, round(timeout))).close()
            self._pool.open(wait=True, timeout=timeout)
            with self._pool.connection() as conn:
                migrate_postgres(conn)
        except psycopg.Error as exc:
            self._pool.close()
            reason = _one_line(str(exc), urlsplit(url).password)
            raise Unavailable(f"Service unavailable: cannot open database ({reason})") from exc

    @contextmanager
    def _connection(self, *, write: bool, transaction: bool) -> Iterator[Connection[DictRow]]:
        """A pooled connection: in a transaction (a read's REPEATABLE READ READ ONLY), or for
        one statement in autocommit, a transaction of its own that needs no BEGIN and COMMIT
        round trips."""
        try:
            conn = self._pool.getconn()
        except psycopg.Error as exc:
            self._failed("write" if write else "read")
            raise Unavailable() from exc
        try:
            if transaction:
                conn.isolation_level = None if write else IsolationLevel.REPEATABLE_READ
                conn.read_only = None if write else True
                with conn.transaction():
                    yield conn
            else:
                yield conn
        except psycopg.Error as exc:
            self._failed("write" if write else "read")
            raise (SaveFailed() if write else Unavailable()) from exc
        finally:
            self._pool.putconn(conn)

    def _statement(self) -> AbstractContextManager[Connection[DictRow]]:
        return self._connection(write=False, transaction=False)

    def _one_write(self) -> AbstractContextManager[Connection[DictRow]]:
        return self._connection(write=True, transaction=False)

    def _write(self) -> AbstractContextManager[Connection[DictRow]]:
        return self._connection(write=True, transaction=True)

    def _read(self) -> AbstractContextManager[Connection[DictRow]]:
        return self._connection(write=False, transaction=True)

    def _lock_media_sources(self, db: Any) -> None:
        # Reads go on; a media lookup (an UPDATE or INSERT) waits for garbage collection.
        db.execute("LOCK TABLE media_sources IN EXCLUSIVE MODE")

    def _lock_payer(self, db: Any, payer: str | None) -> None:
        # Reading the hour's charges alone would let two concurrent renders both fit.
        db.execute(
            "SELECT pg_advisory_xact_lock(%s, hashtext(%s))", (_PAYER_LOCK_CLASS, payer or "")
        )

    def create_draft(
        self,
        draft: Draft,
        now_us: int,
        *,
        owner: str | None = None,
        max_owned: int = 0,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        with self._write() as conn:
            self._claim_in(conn, once)
            header = self._create_in(conn, draft, now_us, owner, max_owned)
            return self._settle_in(conn, once, header)

    def _create_in(
        self, conn: Any, draft: Draft, now_us: int, owner: str | None, max_owned: int
    ) -> DraftHeader:
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
        row = self._run(
            conn,
            f"{INSERT_DRAFT} RETURNING {HEADER_COLUMNS}",
            *new_draft_params(draft, now_us, owner),
        ).fetchone()
        assert row is not None
        return header_from_row(row)

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
        with self._write() as conn:
            self._claim_in(conn, once)
            if new is not None:
                self._create_in(conn, new, now_us, owner, max_owned)
            row = conn.execute(
                "UPDATE drafts SET revision = revision + 1, updated_at_us = %s,"
                " track_count = track_count + %s, segment_count = segment_count + %s,"
                " duration_us = GREATEST(duration_us, %s) WHERE id = %s"
                f" RETURNING track_count - %s AS position, {HEADER_COLUMNS}",
                (
                    now_us,
                    *track_totals(tracks),
                    draft_id,
                    len(tracks),
                ),
            ).fetchone()
            if row is None:
                raise DraftNotFound()
            self._write_tracks_in(conn, draft_id, tracks, row["revision"], after=row["position"])
            return self._settle_in(conn, once, header_from_row(row))

    def replace_tracks(
        self,
        draft_id: str,
        tracks: tuple[Track, ...],
        expected_revision: int,
        now_us: int,
        *,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        with self._write() as conn:
            self._claim_in(conn, once)
            row = conn.execute(
                "UPDATE drafts SET revision = revision + 1, updated_at_us = %s, track_count = %s,"
                " segment_count = %s, duration_us = %s WHERE id = %s AND revision = %s"
                f" RETURNING {HEADER_COLUMNS}",
                (
                    now_us,
                    *track_totals(tracks),
                    draft_id,
                    expected_revision,
                ),
            ).fetchone()
            if row is None:
                self._header_in(conn, draft_id)
                raise Conflict()
            self._write_tracks_in(
                conn, draft_id, tracks, row["revision"], replacing=expected_revision
            )
            return self._settle_in(conn, once, header_from_row(row))

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
        with self._write() as conn:
            self._claim_in(conn, once)
            claimed = conn.execute(
                "UPDATE drafts SET saved_version = saved_version + 1, saved_revision = %s,"
                " saved_at_us = %s WHERE id = %s AND (saved_version = 0 OR saved_revision < %s)"
                " RETURNING saved_version",
                (revision, now_us, draft_id, revision),
            ).fetchone()
            if claimed is None:
                newest = self._newest_version_in(conn, draft_id)
                return self._settle_in(conn, once, SaveOutcome(newest, False))
            number = claimed["saved_version"]
            record = self._insert_version_in(
                conn,
                draft_id,
                number,
                revision=revision,
                tree=tree,
                files=files,
                label=label,
                now_us=now_us,
            )
            self._prune_in(conn, draft_id, number, keep_versions)
            return self._settle_in(conn, once, SaveOutcome(record, True))

    def _run(self, db: Any, text: str, *params: Any) -> Any:
        # Results in binary: chunks (bytea) come as their bytes, not as twice as many hex
        # digits to decode, which halved the time of reading a version's file back.
        return db.execute(self._sql(text), params, binary=True)

    def _with_keys(self, text: str, keys: Sequence[str]) -> tuple[str, object]:
        return text.format(keys="key = ANY(?)"), list(keys)

    def _run_many(self, db: Connection[DictRow], text: str, rows: Sequence[Sequence[Any]]) -> None:
        if rows:
            with db.cursor() as cursor:
                cursor.executemany(self._sql(text), rows)

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
        return version_from_row(row)

    def delete_draft(self, draft_id: str, *, once: Idempotency[None] | None = None) -> None:
        with self._write() as conn:
            self._claim_in(conn, once)
            deleted = conn.execute("DELETE FROM drafts WHERE id = %s", (draft_id,)).rowcount
            if deleted == 0:
                raise DraftNotFound()
            self._settle_in(conn, once, None)
        self._loaded.forget(draft_id)

    def revoke_api_key(self, key_id: str, now_us: int) -> ApiKeyRecord:
        with self._write() as conn:
            row = conn.execute(
                "UPDATE api_keys SET revoked_at_us = COALESCE(revoked_at_us, %s) WHERE id = %s"
                f" RETURNING {KEY_COLUMNS}",
                (now_us, key_id),
            ).fetchone()
        if row is None:
            raise NotFound(f"No API key with id {key_id!r}")
        return api_key_from_row(row)

    def close(self) -> None:
        self._pool.close()
