"""Backups of the embedded store: `draftsmith backup DEST` and `draftsmith restore-backup SRC`.

A backup is taken while servers run. SQLite's online backup API copies the database as it was
at one moment (writers go on meanwhile); then every blob the copy references is copied, and its
bytes are hashed on the way and checked against its name. Blobs are never changed once written
and are deleted only when nothing references them (after the garbage collection's grace
period), so those the copy references are still there to be copied.

A backup directory holds `draftsmith.sqlite3`, `blobs/<aa>/<sha256>` and `backup.json` (what
was copied). A restore checks every blob's hash again and copies the database, again with the
backup API, into a data directory that must be empty.

PostgreSQL and S3 deployments are backed up with their own tools (pg_dump, bucket versioning;
docs/deploying.md): these commands refuse them and say so.
"""

from __future__ import annotations

import hashlib
import json
import os
import shutil
import sqlite3
import tempfile
from collections.abc import Iterator
from contextlib import closing
from dataclasses import dataclass, field
from datetime import UTC, datetime
from pathlib import Path

from draftsmith.blobs.local import fsync_dir, is_digest
from draftsmith.config import Settings
from draftsmith.errors import DraftsmithError, InvalidInput
from draftsmith.store.migrations import is_postgres_url, sqlite_path
from draftsmith.store.sqlite import SqliteDraftStore

DATABASE_NAME = "draftsmith.sqlite3"
MANIFEST_NAME = "backup.json"
BACKUP_FORMAT = 1
_COPY_CHUNK = 1024 * 1024


@dataclass(frozen=True)
class BackupReport:
    """What a backup (or a restore) copied."""

    directory: Path
    database_bytes: int
    blobs: int
    blob_bytes: int
    missing: list[str] = field(default_factory=list)
    """Blobs the database references that the data directory did not have (a damaged one)."""

    def summary(self, verb: str) -> str:
        text = (
            f"{verb} the database ({self.database_bytes} bytes) and {self.blobs} files "
            f"({self.blob_bytes} bytes)"
        )
        if self.missing:
            text += f"; {len(self.missing)} referenced files were missing from the source"
        return text


def refuse_other_stores(settings: Settings, command: str) -> None:
    """InvalidInput, saying what to use instead, unless the settings choose the embedded
    store: SQLite and files in the data directory."""
    if settings.database_url is not None and is_postgres_url(settings.database_url):
        raise InvalidInput(
            f"draftsmith {command} copies the embedded SQLite store; this deployment keeps its "
            "drafts in PostgreSQL: back that up with pg_dump and restore it with pg_restore "
            "(docs/deploying.md)"
        )
    if settings.s3_bucket:
        raise InvalidInput(
            f"draftsmith {command} copies files in the data directory; this deployment keeps "
            f"them in the S3 bucket {settings.s3_bucket!r}: turn on bucket versioning (or "
            "replication) instead (docs/deploying.md)"
        )


def backup(settings: Settings, destination: Path) -> BackupReport:
    """Copy the store the settings choose into `destination` (new, or an empty directory)."""
    refuse_other_stores(settings, "backup")
    source = sqlite_path(settings)
    if not source.is_file():
        raise InvalidInput(f"There is no database to back up at {source}")
    _require_empty(destination, "backup destination")
    destination.mkdir(parents=True, exist_ok=True)
    copy = destination / DATABASE_NAME
    with (
        closing(sqlite3.connect(source, timeout=30.0)) as live,
        closing(sqlite3.connect(copy)) as db,
    ):
        live.backup(db)
    store = SqliteDraftStore(copy)
    try:
        referenced = sorted(store.referenced_blobs())
    finally:
        store.close()
    _single_file(copy)
    blobs_root = settings.data_dir / "blobs"
    copied = size = 0
    missing = []
    for sha256 in referenced:
        origin = blobs_root / sha256[:2] / sha256
        if not origin.is_file():
            missing.append(sha256)
            continue
        size += _copy_verified(origin, destination / "blobs" / sha256[:2] / sha256, sha256)
        copied += 1
    report = BackupReport(destination, copy.stat().st_size, copied, size, missing)
    manifest = {
        "format": BACKUP_FORMAT,
        "created_at": datetime.now(UTC).isoformat(timespec="seconds"),
        "database": DATABASE_NAME,
        "blobs": copied,
        "blob_bytes": size,
        "missing": missing,
    }
    (destination / MANIFEST_NAME).write_text(json.dumps(manifest, indent=2) + "\n")
    return report


def restore(settings: Settings, source: Path) -> BackupReport:
    """Bring the backup in `source` back into the empty data directory the settings choose."""
    refuse_other_stores(settings, "restore-backup")
    manifest = _manifest(source)
    target = sqlite_path(settings)
    _require_empty(settings.data_dir, "data directory")
    if target.exists():
        raise InvalidInput(f"Restore into an empty data directory: {target} already exists")
    created: list[Path] = []
    try:
        copied = size = 0
        blobs_root = settings.data_dir / "blobs"
        for sha256, origin in _backup_blobs(source):
            created.append(blobs_root)
            size += _copy_verified(origin, blobs_root / sha256[:2] / sha256, sha256)
            copied += 1
        if copied != manifest.get("blobs"):
            raise DraftsmithError(
                f"The backup in {source} is incomplete: it lists {manifest.get('blobs')} files "
                f"and holds {copied}"
            )
        target.parent.mkdir(parents=True, exist_ok=True)
        created.append(target)
        with (
            closing(sqlite3.connect(source / DATABASE_NAME)) as saved,
            closing(sqlite3.connect(target)) as db,
        ):
            saved.backup(db)
            verdict = db.execute("PRAGMA integrity_check").fetchone()[0]
        if verdict != "ok":
            raise DraftsmithError(f"The backed-up database is damaged: {verdict}")
        SqliteDraftStore(target).close()
    except BaseException:
        for path in created:
            if path.is_dir():
                shutil.rmtree(path, ignore_errors=True)
            else:
                path.unlink(missing_ok=True)
        raise
    return BackupReport(settings.data_dir, target.stat().st_size, copied, size)


def _manifest(source: Path) -> dict[str, object]:
    path = source / MANIFEST_NAME
    try:
        manifest = json.loads(path.read_text())
    except (OSError, ValueError) as exc:
        raise InvalidInput(f"{source} is not a draftsmith backup: cannot read {path}") from exc
    if not isinstance(manifest, dict) or manifest.get("format") != BACKUP_FORMAT:
        raise InvalidInput(f"{source} is not a draftsmith backup of a format this version reads")
    if not (source / DATABASE_NAME).is_file():
        raise InvalidInput(f"{source} is not a draftsmith backup: it has no {DATABASE_NAME}")
    return manifest


def _backup_blobs(source: Path) -> Iterator[tuple[str, Path]]:
    root = source / "blobs"
    if not root.is_dir():
        return
    for shard in sorted(root.iterdir()):
        for path in sorted(shard.iterdir()) if shard.is_dir() else ():
            if is_digest(path.name) and path.name[:2] == shard.name:
                yield path.name, path


def _require_empty(directory: Path, what: str) -> None:
    """InvalidInput unless `directory` is missing or empty (empty blobs/ and tmp/ aside, as a
    server that never stored anything leaves them)."""
    if not directory.exists():
        return
    if not directory.is_dir():
        raise InvalidInput(f"The {what} {directory} is not a directory")
    for entry in directory.iterdir():
        if entry.name in ("blobs", "tmp") and entry.is_dir() and not any(entry.iterdir()):
            continue
        raise InvalidInput(f"The {what} {directory} is not empty (it holds {entry.name})")


def _copy_verified(origin: Path, target: Path, sha256: str) -> int:
    """Copy a blob, hashing its bytes on the way; DraftsmithError when they are not what its
    name says (nothing is left at `target` then). Returns its size."""
    target.parent.mkdir(parents=True, exist_ok=True)
    hasher = hashlib.sha256()
    size = 0
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with origin.open("rb") as reading, os.fdopen(fd, "wb") as writing:
            while chunk := reading.read(_COPY_CHUNK):
                hasher.update(chunk)
                writing.write(chunk)
                size += len(chunk)
            writing.flush()
            os.fsync(writing.fileno())
        if hasher.hexdigest() != sha256:
            raise DraftsmithError(
                f"The file {origin} is damaged: its bytes hash to {hasher.hexdigest()}"
            )
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)
    return size


def _single_file(database: Path) -> None:
    """Leave the copy as one self-contained file (no write-ahead log beside it)."""
    with closing(sqlite3.connect(database)) as db:
        db.execute("PRAGMA journal_mode=DELETE")
