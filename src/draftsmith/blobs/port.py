"""The BlobStore port: immutable bytes addressed by their SHA-256."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Protocol


@dataclass(frozen=True)
class BlobInfo:
    """A blob as a listing shows it: its name, size and when it was last put (Unix seconds)."""

    sha256: str
    size: int
    modified: float


class BlobStore(Protocol):
    def put_bytes(self, data: bytes) -> str:
        """Store `data` durably and return its SHA-256 hex digest. Bytes already there are
        not written again, but count as put now (see `delete_blobs`)."""
        ...

    def put_file(self, source: Path, sha256: str) -> None:
        """Move a finished temporary file whose digest is `sha256` into the store."""
        ...

    def has(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int: ...

    def open_chunks(self, sha256: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        """The blob's bytes, in chunks; raises FileNotFoundError when it is absent."""
        ...

    def open_range(
        self, sha256: str, start: int, end: int, chunk_size: int = 1024 * 1024
    ) -> Iterator[bytes]:
        """Bytes `start` to `end` (exclusive) of the blob, in chunks; for Range requests.
        Raises FileNotFoundError when it is absent."""
        ...

    def local_path(self, sha256: str) -> Path | None:
        """A filesystem path holding the blob, when the store has one."""
        ...

    def scratch_dir(self) -> Path:
        """A directory on the same filesystem for temporary files about to be put."""
        ...

    def ready(self) -> None:
        """A cheap check that the store can be used now; raises Unavailable naming the problem."""
        ...

    def list_blobs(self) -> Iterator[BlobInfo]:
        """Every blob in the store, in no particular order (for garbage collection)."""
        ...

    def delete_blobs(self, sha256s: Sequence[str], older_than: float) -> list[BlobInfo]:
        """Delete those of these blobs last put before `older_than` (Unix seconds) and return
        them; a blob put again meanwhile (a put of bytes already there counts) is kept."""
        ...
