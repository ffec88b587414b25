"""The BlobStore port: immutable bytes addressed by their SHA-256."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Protocol


class BlobStore(Protocol):
    def put_bytes(self, data: bytes) -> str:
        """Store `data` durably and return its SHA-256 hex digest."""
        ...

    def put_file(self, source: Path, sha256: str) -> None:
        """Move a finished temporary file whose digest is `sha256` into the store."""
        ...

    def has(self, sha256: str) -> bool: ...

    def size(self, sha256: str) -> int: ...

    def open_chunks(self, sha256: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        """The blob's bytes, in chunks; raises FileNotFoundError when it is absent."""
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
