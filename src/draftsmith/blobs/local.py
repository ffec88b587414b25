"""BlobStore on a local directory: blobs/<aa>/<sha256>, written atomically.

Every blob is written to a temporary file in the same directory, fsynced, renamed into place
and the directory fsynced, so a crash leaves either the whole blob or nothing.
"""

from __future__ import annotations

import hashlib
import os
import tempfile
from collections.abc import Iterator, Sequence
from pathlib import Path

from draftsmith.blobs.port import BlobInfo
from draftsmith.errors import InvalidInput, SaveFailed, Unavailable

_HEX = frozenset("0123456789abcdef")


def is_digest(name: str) -> bool:
    """Whether `name` is a SHA-256 hex digest as blobs are named: 64 lower-case hex digits."""
    return len(name) == 64 and set(name) <= _HEX


def check_digest(sha256: str) -> str:
    if len(sha256) != 64 or not set(sha256) <= _HEX:
        raise InvalidInput("not a SHA-256 digest")
    return sha256


def fsync_dir(directory: Path) -> None:
    fd = os.open(directory, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def write_atomically(target: Path, data: bytes) -> None:
    """Write `data` to `target` so that readers see the old file or the new one, never a mix."""
    target.parent.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=target.parent, prefix=".tmp-")
    try:
        with os.fdopen(fd, "wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    fsync_dir(target.parent)


def _touched(target: Path) -> bool:
    """Mark a blob put now, if it is there: garbage collection spares what was put lately."""
    try:
        os.utime(target)
    except FileNotFoundError:
        return False
    return True


class LocalBlobStore:
    def __init__(self, root: Path) -> None:
        self.root = root
        (root / "blobs").mkdir(parents=True, exist_ok=True)
        (root / "tmp").mkdir(parents=True, exist_ok=True)

    def _path(self, sha256: str) -> Path:
        digest = check_digest(sha256)
        return self.root / "blobs" / digest[:2] / digest

    def put_bytes(self, data: bytes) -> str:
        digest = hashlib.sha256(data).hexdigest()
        target = self._path(digest)
        try:
            if not _touched(target):
                write_atomically(target, data)
        except OSError as exc:
            raise SaveFailed() from exc
        return digest

    def put_file(self, source: Path, sha256: str) -> None:
        target = self._path(sha256)
        try:
            if _touched(target):
                source.unlink(missing_ok=True)
                return
            target.parent.mkdir(parents=True, exist_ok=True)
            with source.open("rb") as handle:
                os.fsync(handle.fileno())
            os.replace(source, target)
            fsync_dir(target.parent)
        except OSError as exc:
            raise SaveFailed() from exc

    def has(self, sha256: str) -> bool:
        return self._path(sha256).is_file()

    def size(self, sha256: str) -> int:
        return self._path(sha256).stat().st_size

    def open_chunks(self, sha256: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        with self._path(sha256).open("rb") as handle:
            while chunk := handle.read(chunk_size):
                yield chunk

    def open_range(
        self, sha256: str, start: int, end: int, chunk_size: int = 1024 * 1024
    ) -> Iterator[bytes]:
        with self._path(sha256).open("rb") as handle:
            handle.seek(start)
            remaining = end - start
            while remaining > 0 and (chunk := handle.read(min(chunk_size, remaining))):
                remaining -= len(chunk)
                yield chunk

    def local_path(self, sha256: str) -> Path | None:
        return self._path(sha256)

    def scratch_dir(self) -> Path:
        return self.root / "tmp"

    def list_blobs(self) -> Iterator[BlobInfo]:
        for shard in sorted((self.root / "blobs").iterdir()):
            if not shard.is_dir():
                continue
            for entry in os.scandir(shard):
                if entry.is_file() and is_digest(entry.name):
                    stat = entry.stat()
                    yield BlobInfo(entry.name, stat.st_size, stat.st_mtime)

    def delete_blobs(self, sha256s: Sequence[str], older_than: float) -> list[BlobInfo]:
        deleted = []
        for sha256 in sha256s:
            path = self._path(sha256)
            try:
                stat = path.stat()
                if stat.st_mtime >= older_than:
                    continue
                path.unlink()
            except FileNotFoundError:
                continue
            deleted.append(BlobInfo(sha256, stat.st_size, stat.st_mtime))
        return deleted

    def ready(self) -> None:
        for directory in (self.root / "blobs", self.root / "tmp"):
            if not directory.is_dir():
                raise Unavailable(
                    f"Service unavailable: the data directory has no {directory.name}/ directory"
                )
