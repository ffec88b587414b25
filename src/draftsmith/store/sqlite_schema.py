"""The SQLite schema: numbered scripts, applied once each, in order, at start-up.

The schema version is SQLite's `PRAGMA user_version`; store/migrations.py holds PostgreSQL's.
"""

from __future__ import annotations

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
    # The JSON files of each saved version, committed with it (records.FileEntry.in_store).
    """
    CREATE TABLE version_files (
        draft_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        sha256 TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (draft_id, version, sha256),
        FOREIGN KEY (draft_id, version) REFERENCES versions (draft_id, version) ON DELETE CASCADE
    );
    """,
    # Versions keep their files and snapshot as chunks each draft holds once (store/sql.py),
    # so a save writes what changed. A whole file or snapshot saved before becomes one chunk,
    # keyed as `draftsmith.chunks.Chunk.key` keys a chunk of one piece: SHA-256 of its SHA-256.
    """
    CREATE TABLE chunks (
        draft_id TEXT NOT NULL REFERENCES drafts (id) ON DELETE CASCADE,
        key TEXT NOT NULL,
        data BLOB NOT NULL,
        PRIMARY KEY (draft_id, key)
    );
    CREATE TABLE version_parts (
        draft_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        document TEXT NOT NULL,
        position INTEGER NOT NULL,
        chunk TEXT NOT NULL,
        PRIMARY KEY (draft_id, version, document, position),
        FOREIGN KEY (draft_id, version) REFERENCES versions (draft_id, version) ON DELETE CASCADE
    );
    CREATE INDEX version_parts_by_chunk ON version_parts (draft_id, chunk);
    INSERT INTO chunks (draft_id, key, data)
        SELECT draft_id, lower(hex(sha256(sha256(data)))), data FROM version_files WHERE true
        ON CONFLICT DO NOTHING;
    INSERT INTO version_parts (draft_id, version, document, position, chunk)
        SELECT draft_id, version, sha256, 0, lower(hex(sha256(sha256(data)))) FROM version_files;
    DROP TABLE version_files;
    INSERT INTO chunks (draft_id, key, data)
        SELECT draft_id, lower(hex(sha256(sha256(snapshot)))), CAST(snapshot AS BLOB)
        FROM versions WHERE true ON CONFLICT DO NOTHING;
    INSERT INTO version_parts (draft_id, version, document, position, chunk)
        SELECT draft_id, version, 'snapshot', 0, lower(hex(sha256(sha256(snapshot))))
        FROM versions;
    ALTER TABLE versions DROP COLUMN snapshot;
    """,
    # Render budgets: the draft time each render queued charged to its payer (an API key id;
    # NULL for callers with keys off), kept for an hour (store/jobs.py). Not tied to drafts,
    # so deleting a draft gives no budget back.
    """
    CREATE TABLE render_charges (
        payer TEXT,
        charged_at_us INTEGER NOT NULL,
        duration_us INTEGER NOT NULL
    );
    CREATE INDEX render_charges_by_payer ON render_charges (payer, charged_at_us);
    CREATE INDEX render_charges_by_time ON render_charges (charged_at_us);
    """,
    # Operations (store/upkeep.py): when each media source was last asked for, so garbage
    # collection spares media an edit is about to use; the files of each version exported
    # for another editor profile, referenced by that version; save rate limits kept in the
    # store, shared by every process on it.
    """
    ALTER TABLE media_sources ADD COLUMN used_at_us INTEGER NOT NULL DEFAULT 0;
    CREATE TABLE version_exports (
        draft_id TEXT NOT NULL,
        version INTEGER NOT NULL,
        profile TEXT NOT NULL,
        files TEXT NOT NULL,
        PRIMARY KEY (draft_id, version, profile),
        FOREIGN KEY (draft_id, version) REFERENCES versions (draft_id, version) ON DELETE CASCADE
    );
    CREATE TABLE rate_buckets (
        key TEXT PRIMARY KEY,
        tokens REAL NOT NULL,
        updated_at_us INTEGER NOT NULL
    );
    CREATE INDEX rate_buckets_by_time ON rate_buckets (updated_at_us);
    """,
    # Idempotency keys (store/idempotency.py): the response of each key's first request,
    # written in the transaction of its effect, kept for a day and then pruned.
    """
    CREATE TABLE idempotency_keys (
        scope TEXT NOT NULL,
        key TEXT NOT NULL,
        body_hash TEXT NOT NULL,
        response TEXT NOT NULL,
        created_at_us INTEGER NOT NULL,
        PRIMARY KEY (scope, key)
    );
    CREATE INDEX idempotency_keys_by_time ON idempotency_keys (created_at_us);
    """,
    # What each render drew of its draft (render/report.py), as JSON; NULL before it is planned.
    """
    ALTER TABLE render_jobs ADD COLUMN report TEXT;
    """,
    # Saves that cost what changed (store/sql.py). Each track row records the revision that
    # wrote it, so a draft read before is read again as the rows written since. A version's
    # document may be one part naming an index node (`depth` 1) whose entries name chunks or
    # further nodes (`draftsmith.chunks`), so versions share unchanged subtrees; parts saved
    # before (depth 0) name the file's chunks in order and read as they did. A chunk records
    # the first version that no longer uses it (`died`); it goes once that version is the
    # oldest kept. Chunks the newest version does not use died after the last that did.
    """
    ALTER TABLE tracks ADD COLUMN revision INTEGER NOT NULL DEFAULT 0;
    CREATE INDEX tracks_by_revision ON tracks (draft_id, revision);
    ALTER TABLE version_parts ADD COLUMN depth INTEGER NOT NULL DEFAULT 0;
    ALTER TABLE chunks ADD COLUMN died INTEGER;
    UPDATE chunks SET died = COALESCE((SELECT max(p.version) + 1 FROM version_parts p
            WHERE p.draft_id = chunks.draft_id AND p.chunk = chunks.key), 1)
        WHERE NOT EXISTS (SELECT 1 FROM version_parts p JOIN drafts d
            ON d.id = p.draft_id AND d.saved_version = p.version
            WHERE p.draft_id = chunks.draft_id AND p.chunk = chunks.key);
    CREATE INDEX chunks_by_death ON chunks (draft_id, died);
    """,
)
