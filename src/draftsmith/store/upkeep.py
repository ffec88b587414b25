"""The UpkeepStore methods (store/port.py), written once for both SQL adapters: what garbage
collection, backups, metrics and shared rate limits ask of the store.

Blobs are referenced from JSON the store keeps: a track's media (`"sha256"`,
`"thumbnail_sha256"`, `"strip_sha256"` and `"waveform_sha256"` of its media objects), a
version's files, a version's exports and a render job's video. A snapshot is cut into chunks
only after whole tracks (`draftsmith.chunks`), so a media object never straddles two chunks and
each chunk can be searched alone.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Iterable, Sequence
from contextlib import AbstractContextManager
from typing import Any, ClassVar

from draftsmith.store.codec import files_from_json, files_to_json, media_from_json
from draftsmith.store.jobs import SqlJobs
from draftsmith.store.records import FileEntry
from draftsmith.timeline.model import Media

_BLOB_FIELD = re.compile(
    r'"(?:sha256|thumbnail_sha256|strip_sha256|waveform_sha256)"\s*:\s*"([0-9a-f]{64})"'
)
_DRAFTS_PER_READ = 200
"""Drafts whose references are read in one transaction: bounded memory, short reads."""
_ROWS_PER_STATEMENT = 500
"""Values named in one statement: well under either database's limit on parameters."""


def blob_names(text: str | bytes | memoryview) -> Iterable[str]:
    """The blob digests the media objects in a piece of stored JSON name."""
    if not isinstance(text, str):
        text = bytes(text).decode()
    return _BLOB_FIELD.findall(text)


def _batches(values: Sequence[str], size: int = _ROWS_PER_STATEMENT) -> Iterable[Sequence[str]]:
    for start in range(0, len(values), size):
        yield values[start : start + size]


def _marks(values: Sequence[object]) -> str:
    return ", ".join("?" * len(values))


class SqlUpkeep(SqlJobs):
    """Mixed into an adapter that has `_write()` and `_read()` transactions."""

    # Two-argument minimum and maximum: MIN/MAX in SQLite, LEAST/GREATEST in PostgreSQL.
    _least: ClassVar[str] = "MIN"
    _greatest: ClassVar[str] = "MAX"

    _error_listener: Callable[[str], None] | None = None

    def _statement(self) -> AbstractContextManager[Any]:
        """A connection for one statement that reads, one snapshot on its own: the adapter
        may spare it a transaction's round trips."""
        return self._read()

    def _one_write(self) -> AbstractContextManager[Any]:
        """A connection for one statement that writes, atomic on its own: the adapter may
        spare it a transaction's round trips."""
        return self._write()

    def on_error(self, listener: Callable[[str], None]) -> None:
        """Call `listener("read")` or `listener("write")` for each transaction that failed in
        the database (the metrics count them)."""
        self._error_listener = listener

    def _failed(self, operation: str) -> None:
        if self._error_listener is not None:
            self._error_listener(operation)

    def _lock_media_sources(self, db: Any) -> None:
        """Hold, until commit, what keeps media lookups (`use_media`, `remember_media`) out.
        SQLite's write transaction already holds the whole database."""

    def referenced_blobs(self) -> set[str]:
        found: set[str] = set()
        after = ""
        while True:
            with self._read() as db:
                ids = [
                    row["id"]
                    for row in self._run(
                        db,
                        "SELECT id FROM drafts WHERE id > ? ORDER BY id LIMIT ?",
                        after,
                        _DRAFTS_PER_READ,
                    ).fetchall()
                ]
                if not ids:
                    break
                self._references_in(db, ids, found)
            after = ids[-1]
        return found

    def _references_in(self, db: Any, ids: Sequence[str], found: set[str]) -> None:
        marks = _marks(ids)
        for row in self._run(
            db, f"SELECT body FROM tracks WHERE draft_id IN ({marks})", *ids
        ).fetchall():
            found.update(blob_names(row["body"]))
        # Every chunk a draft holds, not only its snapshots' (the chunks of a tree do not say
        # which document they belong to): the other files name no blob this way.
        for row in self._run(
            db, f"SELECT data FROM chunks WHERE draft_id IN ({marks})", *ids
        ).fetchall():
            found.update(blob_names(row["data"]))
        for table in ("versions", "version_exports"):
            for row in self._run(
                db, f"SELECT files FROM {table} WHERE draft_id IN ({marks})", *ids
            ).fetchall():
                found.update(f.sha256 for f in files_from_json(row["files"]) if not f.in_store)
        for row in self._run(
            db,
            f"SELECT video_sha256 FROM render_jobs WHERE draft_id IN ({marks})"
            " AND video_sha256 IS NOT NULL",
            *ids,
        ).fetchall():
            found.add(row["video_sha256"])

    def use_media(self, url: str, now_us: int, fresh_after_us: int | None = None) -> Media | None:
        if fresh_after_us is not None:
            with self._read() as db:
                row = self._run(
                    db, "SELECT media, used_at_us FROM media_sources WHERE url = ?", url
                ).fetchone()
            if row is None:
                return None
            if row["used_at_us"] >= fresh_after_us:
                return media_from_json(row["media"])
        with self._write() as db:
            row = self._run(
                db,
                "UPDATE media_sources SET used_at_us = ? WHERE url = ? RETURNING media",
                now_us,
                url,
            ).fetchone()
        return None if row is None else media_from_json(row["media"])

    def collect_blobs(
        self,
        candidates: Sequence[str],
        used_since_us: int,
        remove: Callable[[list[str]], list[str]],
        *,
        batch: int = 1000,
    ) -> list[str]:
        old: dict[str, list[str]] = {}
        with self._read() as db:
            for row in self._run(
                db, "SELECT url, media FROM media_sources WHERE used_at_us < ?", used_since_us
            ).fetchall():
                for sha256 in set(blob_names(row["media"])):
                    old.setdefault(sha256, []).append(row["url"])
        removed: list[str] = []
        for part in _batches(candidates, batch):
            with self._write() as db:
                self._lock_media_sources(db)
                spared: set[str] = set()
                for row in self._run(
                    db, "SELECT media FROM media_sources WHERE used_at_us >= ?", used_since_us
                ).fetchall():
                    spared.update(blob_names(row["media"]))
                doomed = [sha256 for sha256 in part if sha256 not in spared]
                gone = remove(doomed) if doomed else []
                urls = sorted({url for sha256 in gone for url in old.get(sha256, ())})
                for some in _batches(urls):
                    self._run(
                        db,
                        f"DELETE FROM media_sources WHERE url IN ({_marks(some)})"
                        " AND used_at_us < ?",
                        *some,
                        used_since_us,
                    )
                removed += gone
        return removed

    def version_export(
        self, draft_id: str, version: int, profile: str
    ) -> tuple[FileEntry, ...] | None:
        with self._read() as db:
            row = self._run(
                db,
                "SELECT files FROM version_exports WHERE draft_id = ? AND version = ?"
                " AND profile = ?",
                draft_id,
                version,
                profile,
            ).fetchone()
        return None if row is None else files_from_json(row["files"])

    def add_version_export(
        self, draft_id: str, version: int, profile: str, files: tuple[FileEntry, ...]
    ) -> None:
        with self._write() as db:
            # A version pruned or deleted meanwhile takes no export: nothing would remove it.
            self._run(
                db,
                "INSERT INTO version_exports (draft_id, version, profile, files)"
                " SELECT draft_id, version, ?, ? FROM versions WHERE draft_id = ? AND version = ?"
                " ON CONFLICT (draft_id, version, profile) DO NOTHING",
                profile,
                files_to_json(files),
                draft_id,
                version,
            )

    def take_token(self, key: str, rate: float, burst: int, now_us: int) -> int:
        per_us = rate / 1_000_000
        least, greatest = self._least, self._greatest
        refilled = (
            f"{least}(?, rate_buckets.tokens + {greatest}(0, ? - rate_buckets.updated_at_us) * ?)"
        )
        with self._one_write() as db:
            granted = self._run(
                db,
                "INSERT INTO rate_buckets (key, tokens, updated_at_us) VALUES (?, ?, ?)"
                f" ON CONFLICT (key) DO UPDATE SET tokens = {refilled} - 1,"
                f" updated_at_us = {greatest}(rate_buckets.updated_at_us, ?)"
                f" WHERE {refilled} >= 1 RETURNING tokens",
                key,
                float(burst - 1),
                now_us,
                float(burst),
                now_us,
                per_us,
                now_us,
                float(burst),
                now_us,
                per_us,
            ).fetchone()
        if granted is not None:
            return 0
        with self._statement() as db:
            row = self._run(
                db, "SELECT tokens, updated_at_us FROM rate_buckets WHERE key = ?", key
            ).fetchone()
        if row is None:  # forgotten since, being full: the next try is granted
            return 1
        held = float(row["tokens"]) + max(0, now_us - int(row["updated_at_us"])) * per_us
        return max(1, math.ceil((1.0 - min(float(burst), held)) / rate))

    def forget_rate_buckets(self, prefix: str, before_us: int) -> int:
        pattern = prefix.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"
        with self._write() as db:
            return int(
                self._run(
                    db,
                    "DELETE FROM rate_buckets WHERE key LIKE ? ESCAPE '\\' AND updated_at_us < ?",
                    pattern,
                    before_us,
                ).rowcount
            )

    def render_job_counts(self) -> dict[str, int]:
        with self._read() as db:
            rows = self._run(
                db, "SELECT status, count(*) AS jobs FROM render_jobs GROUP BY status"
            ).fetchall()
        return {row["status"]: int(row["jobs"]) for row in rows}
