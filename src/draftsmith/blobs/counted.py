"""A BlobStore that reports each failed call to a listener (the metrics count them), and
otherwise is the store it wraps. A blob that is absent (FileNotFoundError) is an answer, not a
failure."""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from contextlib import contextmanager
from pathlib import Path

from draftsmith.blobs.port import BlobInfo, BlobStore
from draftsmith.errors import DraftsmithError


class CountedBlobs:
    def __init__(self, inner: BlobStore, failed: Callable[[str], None]) -> None:
        self.inner = inner
        self._failed = failed

    @contextmanager
    def _call(self, operation: str) -> Iterator[None]:
        try:
            yield
        except FileNotFoundError:
            raise
        except (DraftsmithError, OSError):
            self._failed(operation)
            raise

    def _stream(self, operation: str, chunks: Callable[[], Iterator[bytes]]) -> Iterator[bytes]:
        with self._call(operation):
            yield from chunks()

    def put_bytes(self, data: bytes) -> str:
        with self._call("put"):
            return self.inner.put_bytes(data)

    def put_file(self, source: Path, sha256: str) -> None:
        with self._call("put"):
            self.inner.put_file(source, sha256)

    def has(self, sha256: str) -> bool:
        with self._call("head"):
            return self.inner.has(sha256)

    def size(self, sha256: str) -> int:
        with self._call("head"):
            return self.inner.size(sha256)

    def open_chunks(self, sha256: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        return self._stream("get", lambda: self.inner.open_chunks(sha256, chunk_size))

    def open_range(
        self, sha256: str, start: int, end: int, chunk_size: int = 1024 * 1024
    ) -> Iterator[bytes]:
        return self._stream("get", lambda: self.inner.open_range(sha256, start, end, chunk_size))

    def local_path(self, sha256: str) -> Path | None:
        return self.inner.local_path(sha256)

    def scratch_dir(self) -> Path:
        return self.inner.scratch_dir()

    def ready(self) -> None:
        with self._call("ready"):
            self.inner.ready()

    def list_blobs(self) -> Iterator[BlobInfo]:
        return self._listing()

    def _listing(self) -> Iterator[BlobInfo]:
        with self._call("list"):
            yield from self.inner.list_blobs()

    def delete_blobs(self, sha256s: Sequence[str], older_than: float) -> list[BlobInfo]:
        with self._call("delete"):
            return self.inner.delete_blobs(sha256s, older_than)
