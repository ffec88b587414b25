"""Schema migrations: numbered scripts, applied once each, in order, at start-up or on demand.

SQLite keeps its scripts in `sqlite_schema.py` and its schema version in `PRAGMA user_version`.
PostgreSQL keeps the scripts below and records each one applied in `schema_migrations`. Several
server processes may start at once against one PostgreSQL database, so the runner holds an
advisory lock from reading the schema version to the last script it applies.
"""

from __future__ import annotations

import sqlite3
from contextlib import closing
from pathlib import Path
from typing import Any

import psycopg
from psycopg.rows import tuple_row

from draftsmith.config import Settings
from draftsmith.errors import InvalidSettings, Unavailable
from draftsmith.store.sqlite import SqliteDraftStore

# Every integer column is BIGINT because SQLite integers are 64-bit and both stores must accept
# the same values. Ids and names use the "C" collation so ordering and ILIKE case folding
# (ASCII only) match SQLite's BINARY collation and LIKE.
POSTGRES_MIGRATIONS: tuple[str, ...] = (
    """
    CREATE TABLE drafts (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT COLLATE "C" NOT NULL,
        width BIGINT NOT NULL,
        height BIGINT NOT NULL,
        fps BIGINT NOT NULL,
        created_at_us BIGINT NOT NULL,
        updated_at_us BIGINT NOT NULL,
        revision BIGINT NOT NULL,
        saved_version BIGINT NOT NULL DEFAULT 0,
        saved_revision BIGINT NOT NULL DEFAULT 0,
        saved_at_us BIGINT,
        track_count BIGINT NOT NULL DEFAULT 0,
        segment_count BIGINT NOT NULL DEFAULT 0,
        duration_us BIGINT NOT NULL DEFAULT 0
    );
    CREATE INDEX drafts_by_update ON drafts (updated_at_us DESC, id);
    CREATE TABLE tracks (
        draft_id TEXT COLLATE "C" NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        position BIGINT NOT NULL,
        body TEXT NOT NULL,
        PRIMARY KEY (draft_id, position)
    );
    CREATE TABLE versions (
        draft_id TEXT COLLATE "C" NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        version BIGINT NOT NULL,
        revision BIGINT NOT NULL,
        created_at_us BIGINT NOT NULL,
        label TEXT,
        files TEXT NOT NULL,
        snapshot TEXT NOT NULL,
        segment_count BIGINT NOT NULL,
        duration_us BIGINT NOT NULL,
        PRIMARY KEY (draft_id, version)
    );
    CREATE TABLE media_sources (
        url TEXT PRIMARY KEY,
        media TEXT NOT NULL
    );
    """,
    # API keys (their SHA-256 only), which key owns each draft, and the server's own secrets.
    """
    ALTER TABLE drafts ADD COLUMN owner TEXT COLLATE "C";
    CREATE INDEX drafts_by_owner ON drafts (owner, updated_at_us DESC);
    CREATE TABLE api_keys (
        id TEXT COLLATE "C" PRIMARY KEY,
        name TEXT NOT NULL,
        hash TEXT COLLATE "C" NOT NULL UNIQUE,
        created_at_us BIGINT NOT NULL,
        revoked_at_us BIGINT
    );
    CREATE TABLE server_secrets (
        name TEXT COLLATE "C" PRIMARY KEY,
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
        id TEXT COLLATE "C" PRIMARY KEY,
        draft_id TEXT COLLATE "C" NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        version BIGINT NOT NULL,
        owner TEXT COLLATE "C",
        status TEXT NOT NULL,
        progress BIGINT NOT NULL DEFAULT 0,
        attempts BIGINT NOT NULL DEFAULT 0,
        error_message TEXT,
        video_sha256 TEXT,
        video_size BIGINT,
        created_at_us BIGINT NOT NULL,
        started_at_us BIGINT,
        completed_at_us BIGINT,
        lease_until_us BIGINT,
        worker_id TEXT,
        UNIQUE (draft_id, version)
    );
    CREATE INDEX render_jobs_queue ON render_jobs (status, created_at_us);
    CREATE INDEX render_jobs_by_owner ON render_jobs (owner, status);
    """,
    # The JSON files of each saved version, committed with it (records.FileEntry.in_store).
    """
    CREATE TABLE version_files (
        draft_id TEXT COLLATE "C" NOT NULL,
        version BIGINT NOT NULL,
        sha256 TEXT COLLATE "C" NOT NULL,
        data BYTEA NOT NULL,
        PRIMARY KEY (draft_id, version, sha256),
        FOREIGN KEY (draft_id, version) REFERENCES versions (draft_id, version) ON DELETE CASCADE
    );
    """,
    # Versions keep their files and snapshot as chunks each draft holds once (store/sql.py),
    # so a save writes what changed. A whole file or snapshot saved before becomes one chunk,
    # keyed as `draftsmith.chunks.Chunk.key` keys a chunk of one piece: SHA-256 of its SHA-256.
    """
    CREATE TABLE chunks (
        draft_id TEXT COLLATE "C" NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        key TEXT COLLATE "C" NOT NULL,
        data BYTEA NOT NULL,
        PRIMARY KEY (draft_id, key)
    );
    CREATE TABLE version_parts (
        draft_id TEXT COLLATE "C" NOT NULL,
        version BIGINT NOT NULL,
        document TEXT COLLATE "C" NOT NULL,
        position BIGINT NOT NULL,
        chunk TEXT COLLATE "C" NOT NULL,
        PRIMARY KEY (draft_id, version, document, position),
        FOREIGN KEY (draft_id, version) REFERENCES versions (draft_id, version) ON DELETE CASCADE
    );
    CREATE INDEX version_parts_by_chunk ON version_parts (draft_id, chunk);
    INSERT INTO chunks (draft_id, key, data)
        SELECT draft_id, encode(sha256(sha256(data)), 'hex'), data FROM version_files
        ON CONFLICT DO NOTHING;
    INSERT INTO version_parts (draft_id, version, document, position, chunk)
        SELECT draft_id, version, sha256, 0, encode(sha256(sha256(data)), 'hex')
        FROM version_files;
    DROP TABLE version_files;
    INSERT INTO chunks (draft_id, key, data)
        SELECT draft_id, encode(sha256(sha256(convert_to(snapshot, 'UTF8'))), 'hex'),
            convert_to(snapshot, 'UTF8')
        FROM versions ON CONFLICT DO NOTHING;
    INSERT INTO version_parts (draft_id, version, document, position, chunk)
        SELECT draft_id, version, 'snapshot', 0,
            encode(sha256(sha256(convert_to(snapshot, 'UTF8'))), 'hex')
        FROM versions;
    ALTER TABLE versions DROP COLUMN snapshot;
    """,
    # Render budgets: the draft time each render queued charged to its payer (an API key id;
    # NULL for callers with keys off), kept for an hour (store/jobs.py). Not tied to drafts,
    # so deleting a draft gives no budget back.
    """
    CREATE TABLE render_charges (
        payer TEXT COLLATE "C",
        charged_at_us BIGINT NOT NULL,
        duration_us BIGINT NOT NULL
    );
    CREATE INDEX render_charges_by_payer ON render_charges (payer, charged_at_us);
    CREATE INDEX render_charges_by_time ON render_charges (charged_at_us);
    """,
    # Operations (store/upkeep.py): when each media source was last asked for, so garbage
    # collection spares media an edit is about to use; the files of each version exported
    # for another editor profile, referenced by that version; save rate limits kept in the
    # store, shared by every process on it.
    """
    ALTER TABLE media_sources ADD COLUMN used_at_us BIGINT NOT NULL DEFAULT 0;
    CREATE TABLE version_exports (
        draft_id TEXT COLLATE "C" NOT NULL,
        version BIGINT NOT NULL,
        profile TEXT COLLATE "C" NOT NULL,
        files TEXT NOT NULL,
        PRIMARY KEY (draft_id, version, profile),
        FOREIGN KEY (draft_id, version) REFERENCES versions (draft_id, version) ON DELETE CASCADE
    );
    CREATE TABLE rate_buckets (
        key TEXT COLLATE "C" PRIMARY KEY,
        tokens DOUBLE PRECISION NOT NULL,
        updated_at_us BIGINT NOT NULL
    );
    CREATE INDEX rate_buckets_by_time ON rate_buckets (updated_at_us);
    """,
    # Idempotency keys (store/idempotency.py): the response of each key's first request,
    # written in the transaction of its effect, kept for a day and then pruned.
    """
    CREATE TABLE idempotency_keys (
        scope TEXT COLLATE "C" NOT NULL,
        key TEXT COLLATE "C" NOT NULL,
        body_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at_us BIGINT NOT NULL,
        PRIMARY KEY (scope, key)
    );
    CREATE INDEX idempotency_keys_by_time ON idempotency_keys (created_at_us);
    """,
    # What each render drew of its draft (render/report.py), as JSON; NULL before it is planned.
    """
    ALTER TABLE render_jobs ADD COLUMN report TEXT;
    """,
    # Saves that cost what changed: see the same step in sqlite_schema.py.
    """
    ALTER TABLE tracks ADD COLUMN revision BIGINT NOT NULL DEFAULT 0;
    CREATE INDEX tracks_by_revision ON tracks (draft_id, revision);
    ALTER TABLE version_parts ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE chunks ADD COLUMN died BIGINT;
    UPDATE chunks SET died = COALESCE((SELECT max(p.version) + 1 FROM version_parts p
            WHERE p.draft_id = chunks.draft_id AND p.chunk = chunks.key), 1)
        WHERE NOT EXISTS (SELECT 1 FROM version_parts p JOIN drafts d
            ON d.id = p.draft_id AND d.saved_version = p.version
            WHERE p.draft_id = chunks.draft_id AND p.chunk = chunks.key);
    CREATE INDEX chunks_by_death ON chunks (draft_id, died);
    """,
)

# Any fixed 64-bit key works, as long as every draftsmith process uses the same one ("dfsm").
MIGRATION_LOCK_KEY = 0x6466_736D

_POSTGRES_SCHEMES = ("postgresql://", "postgres://")


def is_postgres_url(url: str) -> bool:
    """Whether a database URL names PostgreSQL (anything else means SQLite)."""
    return url.startswith(_POSTGRES_SCHEMES)


def sqlite_path(settings: Settings) -> Path:
    """The SQLite file the settings choose; InvalidSettings for a URL of another database."""
    try:
        return settings.sqlite_path()
    except ValueError as exc:
        scheme = (settings.database_url or "").partition(":")[0]
        raise InvalidSettings(
            f"DRAFTSMITH_DATABASE_URL: unsupported database {scheme!r}; "
            "use postgresql://... or sqlite:///path"
        ) from exc


def migrate_postgres(conn: psycopg.Connection[Any]) -> int:
    """Apply pending scripts on an autocommit connection; return the schema version.

    Each script commits together with its `schema_migrations` row, so a crash leaves the
    schema at a version that is recorded.
    """
    with conn.cursor(row_factory=tuple_row) as cursor:
        cursor.execute("SELECT pg_advisory_lock(%s)", (MIGRATION_LOCK_KEY,))
        try:
            cursor.execute(
                "CREATE TABLE IF NOT EXISTS schema_migrations ("
                " version INTEGER PRIMARY KEY,"
                " applied_at TIMESTAMPTZ NOT NULL DEFAULT now())"
            )
            row = cursor.execute("SELECT max(version) FROM schema_migrations").fetchone()
            current = int(row[0]) if row is not None and row[0] is not None else 0
            for number, script in enumerate(POSTGRES_MIGRATIONS[current:], start=current + 1):
                with conn.transaction():
                    cursor.execute(script)
                    cursor.execute("INSERT INTO schema_migrations (version) VALUES (%s)", (number,))
            return max(current, len(POSTGRES_MIGRATIONS))
        finally:
            cursor.execute("SELECT pg_advisory_unlock(%s)", (MIGRATION_LOCK_KEY,))


def migrate_database(settings: Settings, *, connect_timeout: int = 10) -> int:
    """Bring the schema of the store the settings choose up to date; return its version."""
    url = settings.database_url
    if url is not None and is_postgres_url(url):
        try:
            with psycopg.connect(url, autocommit=True, connect_timeout=connect_timeout) as conn:
                return migrate_postgres(conn)
        except psycopg.Error as exc:
            raise Unavailable(f"Service unavailable: cannot migrate database ({exc})") from exc
    path = sqlite_path(settings)
    SqliteDraftStore(path).close()
    with closing(sqlite3.connect(path)) as db:
        return int(db.execute("PRAGMA user_version").fetchone()[0])
