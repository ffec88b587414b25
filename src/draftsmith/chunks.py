"""A file cut into chunks that stay the same from one save to the next.

A saved version keeps each large document (the timeline file, the draft snapshot) as a list of
chunks, each stored once per draft under its key. When the next version differs by one track,
only the chunks that track touches are new, so a save writes what changed, not the whole file.

Whoever writes a file says where its stable pieces are: a `Run` is a piece that came whole from
one source (one track's members of a list, one track's object) and changes only with it; every
other piece is glue. Chunks end only after a run, so a change stays within the chunks of its
run, and a cut depends only on the pieces since the previous cut: after any cut two versions
agree on, the rest are cut alike.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from functools import cached_property

MIN_CHUNK_BYTES = 4096
"""Short runs are joined until a chunk has this many bytes: fewer rows for drafts of many
small tracks, at the price of rewriting up to this much beside a changed run."""
GLUE_ALONE_BYTES = 256
"""Glue this long (the file's header with its save time, say) is not joined to the run after
it, so that the run's chunk does not change when only the glue does."""


class Run(bytes):
    """A piece of a file that came whole from one source: chunks are cut only after runs.

    Its SHA-256 is computed once per object, so a run the writer keeps from one save to the
    next (an unchanged track's) is not hashed again.
    """

    @cached_property
    def sha256(self) -> bytes:
        return hashlib.sha256(self).digest()


@dataclass(frozen=True, eq=False)
class Chunk:
    """Consecutive pieces of a file, stored as one."""

    pieces: tuple[bytes, ...]

    @cached_property
    def sha256(self) -> bytes:
        """The SHA-256 of its pieces' SHA-256s: as unique as a hash of its bytes, and cheap for
        chunks of runs hashed before."""
        hasher = hashlib.sha256()
        for piece in self.pieces:
            hasher.update(
                piece.sha256 if isinstance(piece, Run) else hashlib.sha256(piece).digest()
            )
        return hasher.digest()

    @property
    def key(self) -> str:
        """What the store knows the chunk by: its `sha256`, in hex."""
        return self.sha256.hex()

    @cached_property
    def data(self) -> bytes:
        return b"".join(self.pieces)

    @property
    def size(self) -> int:
        return sum(map(len, self.pieces))


def whole(data: bytes) -> tuple[Chunk]:
    """A small file kept as one chunk."""
    return (Chunk((data,)),)


def chunked(pieces: Iterable[bytes]) -> tuple[Chunk, ...]:
    """`pieces` (runs and glue, in file order) gathered into chunks, in file order."""
    chunks: list[Chunk] = []
    pending: list[bytes] = []
    size = glue = 0

    def cut() -> None:
        nonlocal size
        if pending:
            chunks.append(Chunk(tuple(pending)))
            pending.clear()
            size = 0

    for piece in pieces:
        if isinstance(piece, Run):
            if glue >= GLUE_ALONE_BYTES:
                cut()
            glue = 0
            pending.append(piece)
            size += len(piece)
            if size >= MIN_CHUNK_BYTES:
                cut()
        else:
            pending.append(piece)
            size += len(piece)
            glue += len(piece)
    cut()
    return tuple(chunks)


def length(chunks: Sequence[Chunk]) -> int:
    """The size in bytes of the file the chunks make up."""
    return sum(chunk.size for chunk in chunks)


def joined(chunks: Sequence[Chunk]) -> bytes:
    """The file the chunks make up."""
    return b"".join(piece for chunk in chunks for piece in chunk.pieces)


def digest(chunks: Sequence[Chunk]) -> str:
    """The name (hex) of the file the chunks make up: the SHA-256 of their SHA-256s.

    It names those bytes as surely as a SHA-256 of the bytes would, without hashing again the
    runs a save has hashed before: a file kept in chunks is known by this, not by a hash of
    its bytes.
    """
    hasher = hashlib.sha256()
    for chunk in chunks:
        hasher.update(chunk.sha256)
    return hasher.hexdigest()
