"""Sections (`draftsmith.chunks.Section`): a list of runs kept as a tree of chunks, grown at its
end. Pure: no store."""

from __future__ import annotations

from collections.abc import Sequence

import pytest

from draftsmith.chunks import (
    FANOUT,
    MIN_CHUNK_BYTES,
    Chunk,
    Frontier,
    Ref,
    Run,
    Section,
    document,
    node_entries,
    resume_sections,
    section_of,
    tree_keys,
)


def expanded(root: Ref, chunks: dict[str, Chunk]) -> bytes:
    """The bytes a tree holds, read as the store reads them: node by node."""
    refs = [root]
    while any(ref.depth for ref in refs):
        refs = [
            entry
            for ref in refs
            for entry in (node_entries(chunks[ref.key].data) if ref.depth else (ref,))
        ]
    return b"".join(chunks[ref.key].data for ref in refs)


class Kept:
    """A section and every chunk it sealed, as a store would keep them."""

    def __init__(self, items: tuple[Run, ...] | list[Run] = ()) -> None:
        self.section = Section()
        self.sealed: dict[str, Chunk] = {}
        for item in items:
            self.add(item)

    def add(self, run: Run) -> None:
        self.sealed.update((chunk.key, chunk) for chunk in self.section.add(run))

    def every_chunk(self) -> dict[str, Chunk]:
        root, open_chunks = self.section.tree()
        assert root is not None
        return {**self.sealed, **{chunk.key: chunk for chunk in open_chunks}}


def runs(count: int, size: int) -> list[Run]:
    return [Run(f"[{n:06d}]".encode().ljust(size, b"x")) for n in range(count)]


def test_a_section_grown_run_by_run_is_the_section_built_whole() -> None:
    # Runs of a full chunk each: more than FANOUT squared chunks, so three levels of nodes.
    items = runs(FANOUT * FANOUT + 70, MIN_CHUNK_BYTES)
    grown = Kept()
    roots = []
    for count, run in enumerate(items, start=1):
        grown.add(run)
        if count in (1, 2, FANOUT, FANOUT + 1, FANOUT * FANOUT, len(items)):
            roots.append((count, grown.section.tree()[0]))

    for count, root in roots:
        whole = section_of(items[:count])
        assert whole.tree()[0] == root
    assert roots[-1][1] is not None and roots[-1][1].depth == 3
    assert expanded(roots[-1][1], grown.every_chunk()) == b",".join(items)


def test_small_runs_share_chunks_and_a_run_added_changes_one_path() -> None:
    items = runs(3000, 100)
    kept = Kept(items[:-1])
    before = kept.every_chunk()
    kept.add(items[-1])
    after = kept.every_chunk()

    root, _ = kept.section.tree()
    assert root is not None
    assert expanded(root, after) == b",".join(items)
    # The last chunk and the last node of each level are new; every other chunk is shared.
    assert len(set(after) - set(before)) <= 1 + root.depth


def test_a_document_is_its_glue_and_sections_in_order() -> None:
    first, second, empty = Kept(runs(50, 300)), Kept(runs(5, 10)), Section()
    parts: list[bytes | Section] = [
        b'{"a":[',
        first.section,
        b'],"b":[',
        empty,
        b'],"c":[',
        second.section,
        b"]}",
    ]
    root, made = document(parts)
    chunks = {**first.every_chunk(), **second.every_chunk(), **{c.key: c for c in made}}

    expected = b'{"a":[' + b",".join(runs(50, 300)) + b'],"b":[],"c":['
    assert expanded(Ref(1, root.key), chunks) == expected + b",".join(runs(5, 10)) + b"]}"


# Sizes around every edge of the tree: no chunk sealed, one, a full group (one node), one more
# (two levels), full groups of full groups; each with and without runs pending.
EDGES = [1, 2, 3, 4, 5, 7, 8, 127, 128, 129, 131, 2 * FANOUT * FANOUT + 6, 2 * FANOUT * FANOUT + 9]


@pytest.mark.parametrize("count", EDGES)
def test_a_section_resumed_from_its_frontier_grows_as_the_section_itself(count: int) -> None:
    # Runs of half a chunk: a chunk is sealed every other run, and some runs stay pending.
    items = runs(count + 3, 2100)
    kept = Kept(items[:count])
    store = kept.every_chunk()
    reads: list[list[str]] = []

    def read(keys: Sequence[str]) -> dict[str, bytes]:
        reads.append(list(keys))
        return {key: store[key].data for key in keys}

    [resumed] = resume_sections([(kept.section.frontier(), b",")], read)

    assert resumed.frontier() == kept.section.frontier()
    assert len(reads) <= 4  # one node per level and the last chunk
    assert [c.key for c in resumed.tree()[1]] == [c.key for c in kept.section.tree()[1]]
    for end in range(count + 1, len(items) + 1):
        sealed = resumed.add(items[end - 1])
        assert [c.key for c in sealed] == [c.key for c in kept.section.add(items[end - 1])]
        assert resumed.tree()[0] == section_of(items[:end]).tree()[0]


def test_a_frontier_that_does_not_describe_the_stored_tree_is_refused() -> None:
    items = runs(301, 2100)
    kept = Kept(items)
    store = kept.every_chunk()
    frontier = kept.section.frontier()

    def read(keys: Sequence[str]) -> dict[str, bytes]:
        return {key: store[key].data for key in keys if key in store}

    assert resume_sections([(frontier, b",")], read)[0].tree()[0] == frontier.root
    wrong = [
        frontier._replace(sealed=frontier.sealed - 1),
        frontier._replace(sealed=frontier.sealed + FANOUT),
        frontier._replace(pending=(*frontier.pending[:-1], frontier.pending[-1] + 1)),
        frontier._replace(pending=(frontier.pending[0] - 1, 1, *frontier.pending[1:])),
        frontier._replace(root=Ref(frontier.root.depth, "0" * 64) if frontier.root else None),
        frontier._replace(root=None),
    ]
    for each in wrong:
        with pytest.raises(ValueError):
            resume_sections([(frontier, b","), (each, b",")], read)
    assert Frontier.from_json(frontier.to_json()) == frontier


def test_the_keys_of_stored_trees_are_read_a_level_at_a_time() -> None:
    first = Kept(runs(FANOUT * FANOUT + 5, MIN_CHUNK_BYTES))
    second = Kept(runs(70, MIN_CHUNK_BYTES))
    store = {**first.every_chunk(), **second.every_chunk()}
    reads: list[list[str]] = []

    def read(keys: Sequence[str]) -> dict[str, bytes]:
        reads.append(list(keys))
        return {key: store[key].data for key in keys}

    roots = [first.section.tree()[0], second.section.tree()[0]]
    assert None not in roots
    keys = tree_keys([root for root in roots if root is not None], read)

    assert keys == set(store)
    assert len(reads) == 3  # the roots, the nodes below them, the nodes above the chunks
    assert all(node_entries(store[key].data) for batch in reads for key in batch)
