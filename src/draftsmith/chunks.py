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
from collections.abc import Callable, Container, Generator, Iterable, Mapping, Sequence
from dataclasses import dataclass
from functools import cached_property
from typing import Any, NamedTuple

MIN_CHUNK_BYTES = 16384
"""Short runs are joined until a chunk has this many bytes: fewer rows for drafts of many
small tracks, at the price of rewriting up to this much beside a changed run. Reading a file
back costs per chunk (a key to look up, a row to send): at 4 KB, a timeline of 5,000 captions
read back slower than as one flat list of chunks; a save's few more bytes cost little beside
its fsync."""
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

    @cached_property
    def key(self) -> str:
        """What the store knows the chunk by: its `sha256`, in hex."""
        return self.sha256.hex()

    @property
    def data(self) -> bytes:
        """Its bytes, joined anew at each use: a chunk kept for the next save (`Section`)
        holds its pieces only, which the caches it came from share."""
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


FANOUT = 64
"""Entries per index node: a tree of chunks (`Section`) is rewritten along one path of nodes
this wide when a run is added at its end."""
_ENTRY_BYTES = 65
CUTS = (MIN_CHUNK_BYTES, GLUE_ALONE_BYTES, FANOUT)
"""What decides where chunks end and how nodes group them: a section resumed from a frontier
cut under other values would not grow into the tree the same runs build whole."""


class Ref(NamedTuple):
    """An entry of an index node: a chunk's key, and what the chunk holds: file bytes
    (`depth` 0) or, deeper, an index node whose entries are read in turn. A tuple: reading a
    large file back makes one per chunk."""

    depth: int
    key: str


def index_node(entries: Sequence[Ref]) -> Chunk:
    """The chunk listing `entries` in order: per entry its depth (one digit) and its key."""
    return Chunk((b"".join(f"{ref.depth}{ref.key}".encode() for ref in entries),))


def node_entries(data: bytes) -> list[Ref]:
    """The entries of an index node (`index_node`)."""
    return list(map(Ref, *node_columns(data)))


def node_columns(data: bytes) -> tuple[list[int], list[str]]:
    """The entries of an index node as two lists, their depths and their keys. Reading a large
    file back walks thousands of entries: as tuples they would be as many objects for the
    garbage collector to track, whose collections took a third of such a read."""
    text = bytes(data).decode()
    if len(text) % _ENTRY_BYTES:
        raise ValueError("not an index node")
    keys = [text[at + 1 : at + _ENTRY_BYTES] for at in range(0, len(text), _ENTRY_BYTES)]
    return list(map(int, text[::_ENTRY_BYTES])), keys


class Section:
    """The runs of one JSON array (one draft list, say) in chunks, and the chunks in a tree.

    Runs are only ever added at the end (`add`); a draft whose runs change elsewhere builds its
    sections anew. Chunks are cut as `chunked` cuts them (after a run, at MIN_CHUNK_BYTES), and
    the tree groups them by position, FANOUT to a node, so a full group's node never changes
    again: adding a run makes a new last chunk and one new node per level, and every other
    chunk and node is the one the previous version used. Building a section from scratch and
    growing it run by run give the same chunks and nodes.

    It holds what the next runs need and no more: per level, how many chunks (level 0) or
    nodes of full groups (above) there are, and the keys of the last group, not yet full; the
    chunks' bytes go to the caller as they are sealed. `frontier` says that much, and
    `resume_sections` makes the section again from it and the tree its version stored.
    """

    def __init__(self, separator: bytes = b",") -> None:
        self._separator = separator
        self._counts: list[int] = []
        """Per level (chunks, then nodes over them), how many there are."""
        self._partial: list[list[str]] = []
        """Per level, the keys of the last group, not yet full (FANOUT makes a node)."""
        self._pending: list[bytes] = []
        self._size = 0
        self._tree: tuple[int, Ref | None, list[Chunk]] | None = None
        self.runs = 0
        self.size = 0
        """The bytes of the array's items, separators included."""

    def add(self, run: Run) -> list[Chunk]:
        """Add a run at the end; returns the chunks and nodes sealed by it."""
        if self.runs:
            self._pending.append(self._separator)
            self._size += len(self._separator)
        self.runs += 1
        self._pending.append(run)
        self._size += len(run)
        self.size += len(run) + (len(self._separator) if self.runs > 1 else 0)
        if self._size < MIN_CHUNK_BYTES:
            return []
        chunk = Chunk(tuple(self._pending))
        self._pending = []
        self._size = 0
        sealed = [chunk]
        key, level = chunk.key, 0
        while True:
            if len(self._counts) == level:
                self._counts.append(0)
                self._partial.append([])
            self._counts[level] += 1
            group = self._partial[level]
            group.append(key)
            if len(group) < FANOUT:
                return sealed
            node = index_node([Ref(level, k) for k in group])
            group.clear()
            sealed.append(node)
            key, level = node.key, level + 1

    def tree(self) -> tuple[Ref | None, list[Chunk]]:
        """The section's root (None when it holds nothing) and the chunks that change with the
        next run: the unsealed last chunk and the last node of each level. Full groups' nodes
        are taken as they are, so this costs one partial group per level (once per run)."""
        if self._tree is not None and self._tree[0] == self.runs:
            return self._tree[1], list(self._tree[2])
        root, open_chunks = self._build_tree()
        self._tree = (self.runs, root, open_chunks)
        return root, list(open_chunks)

    def _build_tree(self) -> tuple[Ref | None, list[Chunk]]:
        open_chunks: list[Chunk] = []
        tail: list[Ref] = []
        if self._pending:
            last = Chunk(tuple(self._pending))
            open_chunks.append(last)
            tail = [Ref(0, last.key)]
        level = 0
        while True:
            items = self._count(level)
            count = items + len(tail)
            if count == 0:
                return None, []
            if count == 1:
                return (tail[0] if tail else Ref(level, self._partial[level][0])), open_chunks
            rest = [Ref(level, key) for key in self._partial[level]] + tail
            if self._count(level + 1) == 0:
                # No full group at this level: the rest fits in one node, the root.
                node = index_node(rest)
                open_chunks.append(node)
                return Ref(level + 1, node.key), open_chunks
            tail = []
            if rest:
                node = index_node(rest)
                open_chunks.append(node)
                tail = [Ref(level + 1, node.key)]
            level += 1

    def _count(self, level: int) -> int:
        return self._counts[level] if level < len(self._counts) else 0

    def frontier(self) -> Frontier:
        """What `resume_sections` needs besides the stored tree to make this section again."""
        root, _ = self.tree()
        return Frontier(self.runs, self.size, self._count(0), tuple(map(len, self._pending)), root)

    @classmethod
    def _resuming(cls, frontier: Frontier, separator: bytes) -> Generator[str, bytes, Section]:
        """The section `frontier` describes, its last groups read from the stored tree: it
        yields the key of each chunk it needs (one node per level, then the last chunk) and is
        sent its bytes. ValueError when the tree is not the one described."""
        section = cls(separator)
        section.runs, section.size = frontier.runs, frontier.size
        counts = [frontier.sealed] if frontier.sealed else []
        while counts and counts[-1] >= FANOUT:
            counts.append(counts[-1] // FANOUT)
        section._counts = counts
        top = max(len(counts) - 1, 0)
        # Whether each level's group has a node over it (a tail) in the level above.
        tails = [bool(frontier.pending)]
        for level in range(top):
            tails.append(counts[level] % FANOUT + tails[level] > 0)
        root = frontier.root
        if section._count(top) + tails[top] == 0:
            if root is not None:
                raise ValueError("an empty section has a root")
            return section
        if root is None:
            raise ValueError("the section's root is missing")
        entries = [root]
        if section._count(top) + tails[top] > 1:
            entries = _node_entries(root, (yield root.key))
        partial: list[list[str]] = [[] for _ in counts]
        for level in range(top, -1, -1):
            held = section._count(level) % FANOUT if level < top else section._count(level)
            if len(entries) != held + tails[level] or any(
                ref.depth != level for ref in entries[:held]
            ):
                raise ValueError("the stored tree is not the one described")
            if counts:
                partial[level] = [ref.key for ref in entries[:held]]
            tail = entries[held:]
            if level:
                entries = _node_entries(tail[0], (yield tail[0].key)) if tail else []
            elif tail:
                data = yield tail[0].key
                section._pending = _pieces(data, frontier.pending, tail[0].key)
                section._size = sum(frontier.pending)
        section._partial = partial
        if section.tree()[0] != root:
            raise ValueError("the stored tree is not the one described")
        return section


def resume_sections(
    frontiers: Sequence[tuple[Frontier, bytes]],
    read: Callable[[Sequence[str]], Mapping[str, bytes]],
) -> list[Section]:
    """The sections the frontiers (each with its separator) describe, their last groups read
    from the stored trees (`read` gives chunks' bytes by key, those it finds): one read per
    level for all of them, and one for their last chunks (`Section.frontier`). ValueError
    when a stored tree is not the one described."""
    walks = [Section._resuming(frontier, separator) for frontier, separator in frontiers]
    sections: list[Section | None] = [None] * len(walks)
    asked: dict[int, str] = {}

    def step(index: int, data: bytes | None) -> None:
        try:
            walk = walks[index]
            asked[index] = next(walk) if data is None else walk.send(data)
        except StopIteration as done:
            sections[index] = done.value

    for index in range(len(walks)):
        step(index, None)
    while asked:
        found = read(list(dict.fromkeys(asked.values())))
        waiting, asked = asked, {}
        for index, key in waiting.items():
            data = found.get(key)
            if data is None:
                raise ValueError(f"chunk {key} of a stored tree is gone")
            step(index, data)
    return [section for section in sections if section is not None]


def tree_keys(
    roots: Iterable[Ref], read: Callable[[Sequence[str]], Mapping[str, bytes]]
) -> set[str]:
    """Every key of the stored trees under `roots`, theirs included: their nodes are read,
    one read per level, never their chunks of bytes."""
    keys = {ref.key for ref in roots}
    nodes = list(dict.fromkeys(ref.key for ref in roots if ref.depth))
    while nodes:
        found = read(nodes)
        if len(found) < len(nodes):
            raise ValueError("a node of a stored tree is gone")
        below: list[str] = []
        for node in nodes:
            for depth, key in zip(*node_columns(found[node]), strict=True):
                if key not in keys:
                    keys.add(key)
                    if depth:
                        below.append(key)
        nodes = below
    return keys


class Frontier(NamedTuple):
    """What a section (`Section.frontier`) is beyond its stored tree: its runs and their bytes,
    how many chunks it sealed, the sizes of the pieces of its last chunk, and its root."""

    runs: int
    size: int
    sealed: int
    pending: tuple[int, ...]
    root: Ref | None

    def to_json(self) -> list[object]:
        root = None if self.root is None else [self.root.depth, self.root.key]
        return [self.runs, self.size, self.sealed, list(self.pending), root]

    @classmethod
    def from_json(cls, data: Sequence[Any]) -> Frontier:
        runs, size, sealed, pending, root = data
        return cls(
            int(runs),
            int(size),
            int(sealed),
            tuple(map(int, pending)),
            None if root is None else Ref(int(root[0]), str(root[1])),
        )


def _node_entries(ref: Ref, data: bytes) -> list[Ref]:
    if not ref.depth:
        raise ValueError("a chunk of bytes where a node was expected")
    return node_entries(data)


def _pieces(data: bytes, sizes: Sequence[int], key: str) -> list[bytes]:
    if sum(sizes) != len(data):
        raise ValueError("the last chunk is not the one described")
    pieces: list[bytes] = []
    at = 0
    for size in sizes:
        pieces.append(Run(data[at : at + size]))
        at += size
    if Chunk(tuple(pieces)).key != key:
        raise ValueError("the last chunk is not the one described")
    return pieces


def document(parts: Iterable[bytes | Section]) -> tuple[Chunk, list[Chunk]]:
    """A file made of glue and sections, in order, as its root node (an index node) and the
    chunks that may be new besides the sections' sealed ones: each stretch of glue as one
    chunk, each section's unsealed chunks (`Section.tree`), and the root."""
    entries: list[Ref] = []
    made: list[Chunk] = []
    glue: list[bytes] = []

    def flush() -> None:
        if glue:
            chunk = Chunk((b"".join(glue),))
            glue.clear()
            made.append(chunk)
            entries.append(Ref(0, chunk.key))

    for part in parts:
        if isinstance(part, Section):
            root, open_chunks = part.tree()
            if root is not None:
                flush()
                entries.append(root)
                made.extend(open_chunks)
        else:
            glue.append(part)
    flush()
    root_node = index_node(entries)
    made.append(root_node)
    return root_node, made


def section_of(runs: Iterable[Run], separator: bytes = b",") -> Section:
    """A section holding `runs`, built from scratch."""
    section = Section(separator)
    for run in runs:
        section.add(run)
    return section


def flat_tree(chunks: Sequence[Chunk]) -> tuple[Chunk, list[Chunk]]:
    """A file already cut into `chunks` as a tree (`document`): its chunks under one root."""
    root = index_node([Ref(0, chunk.key) for chunk in chunks])
    return root, [*chunks, root]


@dataclass(frozen=True)
class VersionTree:
    """What a save hands the store: each document of the version (its in-store files by name,
    its snapshot) as a root, and the chunks the store may not hold yet.

    Grown from version `base` (`chunks` then holds only what changed since, and `dropped` the
    keys `base` used that this version no longer does; None: the store works them out from
    `uses`, which is then given), or built whole (`base` None: `chunks` holds every chunk,
    and the store works out what the previous version no longer needs).
    A tree grown from a version older than the draft's newest (one another process saved since)
    says which keys it `uses`: the store works out from them what the newest no longer needs.
    """

    roots: Mapping[str, Ref]
    chunks: Mapping[str, Chunk]
    base: int | None
    dropped: frozenset[str] | None
    segment_count: int
    duration_us: int
    uses: Container[str] | None = None
    """Every key the version uses (given when `base` may be older than the newest, or
    `dropped` is None)."""


class StaleTree(Exception):
    """A tree grown from a version that is no longer the draft's newest: build it whole."""
