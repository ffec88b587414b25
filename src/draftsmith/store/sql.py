"""The DraftStore and KeyStore methods whose SQL SQLite and PostgreSQL read alike, written
once for both adapters, as store/jobs.py does for the JobStore.

Statements are written with `?` placeholders; `_run` puts in the adapter's own. Writes whose
best form differs by dialect (row locks, RETURNING) stay in the adapters.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from typing import Any, ClassVar

from draftsmith.chunks import Chunk
from draftsmith.errors import (
    DraftNotFound,
    DraftsmithError,
    NoSavedVersion,
    NotFound,
    VersionNotFound,
)
from draftsmith.store.codec import (
    draft_from_json,
    media_from_json,
    media_to_json,
    snapshot_chunks,
    track_from_json,
    track_run,
    track_to_json,
)
from draftsmith.store.records import ApiKeyRecord, DraftHeader, FileEntry, VersionRecord
from draftsmith.store.rows import (
    HEADER_COLUMNS,
    INSERT_CHUNK,
    INSERT_VERSION,
    INSERT_VERSION_PART,
    KEY_COLUMNS,
    SNAPSHOT_DOCUMENT,
    VERSION_COLUMNS,
    api_key_from_row,
    contains_pattern,
    header_from_row,
    new_version_params,
    version_from_row,
)
from draftsmith.store.track_cache import TrackCache
from draftsmith.store.upkeep import SqlUpkeep
from draftsmith.timeline.model import Draft, Media, Track

# Chunk keys asked about in one query: well under either database's limit on parameters.
_KEYS_PER_QUERY = 500


def track_totals(tracks: Sequence[Track]) -> tuple[int, int, int]:
    """How many tracks, how many segments and the furthest end: what a draft row counts of
    the tracks written with it."""
    return (
        len(tracks),
        sum(len(t.segments) for t in tracks),
        max((t.end for t in tracks), default=0),
    )


class SqlDrafts(SqlUpkeep):
    """Mixed into an adapter that has `_write()` and `_read()` transactions."""

    # How `list_drafts` matches a query: case-insensitive for ASCII only, on both databases.
    _like: ClassVar[str] = "LIKE"
    _tracks: TrackCache | None = None
    """The cache tracks are read and written through, if the adapter was given one."""

    def _decode_track(self, body: str) -> Track:
        return track_from_json(body) if self._tracks is None else self._tracks.decode(body)

    def _track_json(self, track: Track) -> str:
        return track_to_json(track) if self._tracks is None else self._tracks.to_json(track)

    def _header_in(self, db: Any, draft_id: str) -> DraftHeader:
        row = self._run(
            db, f"SELECT {HEADER_COLUMNS} FROM drafts WHERE id = ?", draft_id
        ).fetchone()
        if row is None:
            raise DraftNotFound()
        return header_from_row(row)

    def _version_in(self, db: Any, draft_id: str, version: int) -> VersionRecord:
        row = self._run(
            db,
            f"SELECT {VERSION_COLUMNS} FROM versions WHERE draft_id = ? AND version = ?",
            draft_id,
            version,
        ).fetchone()
        if row is None:
            raise VersionNotFound(f"Version {version} does not exist")
        return version_from_row(row)

    def header(self, draft_id: str) -> DraftHeader:
        with self._read() as db:
            return self._header_in(db, draft_id)

    def load(self, draft_id: str) -> tuple[DraftHeader, Draft]:
        with self._read() as db:
            header = self._header_in(db, draft_id)
            rows = self._run(
                db, "SELECT body FROM tracks WHERE draft_id = ? ORDER BY position", draft_id
            ).fetchall()
        draft = Draft(
            id=header.id,
            name=header.name,
            canvas=header.canvas,
            created_at_us=header.created_at_us,
            tracks=tuple(self._decode_track(row["body"]) for row in rows),
            profile=header.profile,
        )
        return header, draft

    def versions(self, draft_id: str) -> list[VersionRecord]:
        with self._read() as db:
            self._header_in(db, draft_id)
            rows = self._run(
                db,
                f"SELECT {VERSION_COLUMNS} FROM versions WHERE draft_id = ? ORDER BY version",
                draft_id,
            ).fetchall()
        return [version_from_row(row) for row in rows]

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
            text = self._document_in(db, draft_id, version, SNAPSHOT_DOCUMENT)
        if text is None:
            raise VersionNotFound(f"Version {version} does not exist")
        return draft_from_json(text.decode())

    def version_file(self, draft_id: str, version: int, sha256: str) -> bytes:
        with self._read() as db:
            data = self._document_in(db, draft_id, version, sha256)
        if data is None:
            raise NotFound(f"Version {version} of the draft has no file {sha256}")
        return data

    def _document_in(self, db: Any, draft_id: str, version: int, document: str) -> bytes | None:
        """A document the version keeps (`_insert_version_in`), joined from its chunks; None
        when the version has no such document."""
        rows = self._run(
            db,
            "SELECT c.data FROM version_parts p LEFT JOIN chunks c"
            " ON c.draft_id = p.draft_id AND c.key = p.chunk"
            " WHERE p.draft_id = ? AND p.version = ? AND p.document = ? ORDER BY p.position",
            draft_id,
            version,
            document,
        ).fetchall()
        if not rows:
            return None
        if any(row["data"] is None for row in rows):
            # Chunks go only with the last version that uses them: this is a damaged store.
            raise DraftsmithError(f"Version {version} of draft {draft_id} lost part of {document}")
        return b"".join(bytes(row["data"]) for row in rows)

    def _insert_version_in(
        self,
        db: Any,
        draft_id: str,
        number: int,
        *,
        revision: int,
        snapshot: Draft,
        files: tuple[FileEntry, ...],
        contents: Mapping[str, Sequence[Chunk]],
        label: str | None,
        now_us: int,
    ) -> VersionRecord:
        """Insert version `number` with its documents: the in-store files' chunks and the
        snapshot's. A chunk the draft already holds (from an earlier version, unchanged since)
        is not stored again, so a save writes little more than what changed."""
        self._run(
            db,
            INSERT_VERSION,
            *new_version_params(draft_id, number, revision, now_us, label, files, snapshot),
        )
        chunks: dict[str, Chunk] = {}
        parts = []
        run = track_run if self._tracks is None else self._tracks.run
        documents = {**contents, SNAPSHOT_DOCUMENT: snapshot_chunks(snapshot, run)}
        for document, document_chunks in documents.items():
            for position, chunk in enumerate(document_chunks):
                chunks[chunk.key] = chunk
                parts.append((draft_id, number, document, position, chunk.key))
        held = self._held_chunks_in(db, draft_id, list(chunks))
        self._run_many(
            db,
            INSERT_CHUNK,
            [(draft_id, key, chunk.data) for key, chunk in chunks.items() if key not in held],
        )
        self._run_many(db, INSERT_VERSION_PART, parts)
        return VersionRecord(
            draft_id=draft_id,
            version=number,
            revision=revision,
            created_at_us=now_us,
            label=label,
            files=files,
            segment_count=snapshot.segment_count,
            duration_us=snapshot.duration,
        )

    def _held_chunks_in(self, db: Any, draft_id: str, keys: Sequence[str]) -> set[str]:
        held: set[str] = set()
        for start in range(0, len(keys), _KEYS_PER_QUERY):
            batch = keys[start : start + _KEYS_PER_QUERY]
            rows = self._run(
                db,
                "SELECT key FROM chunks WHERE draft_id = ?"
                f" AND key IN ({', '.join('?' * len(batch))})",
                draft_id,
                *batch,
            ).fetchall()
            held.update(row["key"] for row in rows)
        return held

    def _prune_in(self, db: Any, draft_id: str, newest: int, keep_versions: int) -> None:
        """Delete the versions older than the newest `keep_versions` (0 keeps every version),
        and the chunks only they used."""
        if keep_versions <= 0:
            return
        pruned = self._run(
            db,
            "DELETE FROM versions WHERE draft_id = ? AND version <= ?",
            draft_id,
            newest - keep_versions,
        ).rowcount
        if pruned:
            self._run(
                db,
                "DELETE FROM chunks WHERE draft_id = ? AND NOT EXISTS (SELECT 1 FROM"
                " version_parts p WHERE p.draft_id = chunks.draft_id AND p.chunk = chunks.key)",
                draft_id,
            )

    def _run_many(self, db: Any, text: str, rows: Sequence[Sequence[Any]]) -> None:
        raise NotImplementedError

    def list_drafts(
        self, *, limit: int, offset: int, query: str | None, owner: str | None = None
    ) -> list[DraftHeader]:
        sql = f"SELECT {HEADER_COLUMNS} FROM drafts WHERE 1 = 1"
        params: list[object] = []
        if owner is not None:
            sql += " AND owner = ?"
            params.append(owner)
        if query:
            like = self._like
            sql += f" AND (id {like} ? ESCAPE '\\' OR name {like} ? ESCAPE '\\')"
            params += [contains_pattern(query)] * 2
        sql += " ORDER BY updated_at_us DESC, id LIMIT ? OFFSET ?"
        params += [limit, offset]
        with self._read() as db:
            return [header_from_row(row) for row in self._run(db, sql, *params).fetchall()]

    def remember_media(self, url: str, media: Media, now_us: int | None = None) -> None:
        used_at = time.time_ns() // 1000 if now_us is None else now_us
        with self._write() as db:
            self._run(
                db,
                "INSERT INTO media_sources (url, media, used_at_us) VALUES (?, ?, ?)"
                " ON CONFLICT (url) DO UPDATE SET media = excluded.media,"
                " used_at_us = excluded.used_at_us",
                url,
                media_to_json(media),
                used_at,
            )

    def media_for_url(self, url: str) -> Media | None:
        with self._read() as db:
            row = self._run(db, "SELECT media FROM media_sources WHERE url = ?", url).fetchone()
        return None if row is None else media_from_json(row["media"])

    def add_api_key(self, record: ApiKeyRecord) -> None:
        with self._write() as db:
            self._run(
                db,
                f"INSERT INTO api_keys ({KEY_COLUMNS}) VALUES (?, ?, ?, ?, ?)",
                record.id,
                record.name,
                record.hash,
                record.created_at_us,
                record.revoked_at_us,
            )

    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        with self._read() as db:
            row = self._run(
                db, f"SELECT {KEY_COLUMNS} FROM api_keys WHERE hash = ?", key_hash
            ).fetchone()
        return None if row is None else api_key_from_row(row)

    def api_keys(self) -> list[ApiKeyRecord]:
        with self._read() as db:
            rows = self._run(
                db, f"SELECT {KEY_COLUMNS} FROM api_keys ORDER BY created_at_us, id"
            ).fetchall()
        return [api_key_from_row(row) for row in rows]

    def has_api_keys(self) -> bool:
        with self._read() as db:
            row = self._run(db, "SELECT EXISTS (SELECT 1 FROM api_keys) AS found").fetchone()
        return row is not None and bool(row["found"])

    def server_secret(self, name: str, candidate: bytes) -> bytes:
        with self._write() as db:
            self._run(
                db,
                "INSERT INTO server_secrets (name, value) VALUES (?, ?)"
                " ON CONFLICT (name) DO NOTHING",
                name,
                candidate.hex(),
            )
            row = self._run(db, "SELECT value FROM server_secrets WHERE name = ?", name).fetchone()
        assert row is not None
        return bytes.fromhex(row["value"])

    def ping(self) -> None:
        with self._read() as db:
            self._run(db, "SELECT 1").fetchone()
