"""Sections (`draftsmith.chunks.Section`): a list of runs kept as a tree of chunks, grown at its
end. Pure: no store."""

from __future__ import annotations

from draftsmith.chunks import FANOUT, Chunk, Ref, Run, Section, document, node_entries, section_of


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


def every_chunk(section: Section) -> dict[str, Chunk]:
    root, open_chunks = section.tree()
    assert root is not None
    kept = [*section.sealed, *(n for level in section.full_nodes for n in level), *open_chunks]
    return {chunk.key: chunk for chunk in kept}


def runs(count: int, size: int) -> list[Run]:
    return [Run(f"[{n:06d}]".encode().ljust(size, b"x")) for n in range(count)]


def test_a_section_grown_run_by_run_is_the_section_built_whole() -> None:
    # Runs of a full chunk each: more than FANOUT squared chunks, so three levels of nodes.
    items = runs(FANOUT * FANOUT + 70, 4096)
    grown = Section()
    roots = []
    for count, run in enumerate(items, start=1):
        grown.add(run)
        if count in (1, 2, FANOUT, FANOUT + 1, FANOUT * FANOUT, len(items)):
            roots.append((count, grown.tree()[0]))

    for count, root in roots:
        whole = section_of(items[:count])
        assert whole.tree()[0] == root
    assert roots[-1][1] is not None and roots[-1][1].depth == 3
    assert expanded(roots[-1][1], every_chunk(grown)) == b",".join(items)


def test_small_runs_share_chunks_and_a_run_added_changes_one_path() -> None:
    items = runs(3000, 100)
    section = section_of(items[:-1])
    before = every_chunk(section)
    section.add(items[-1])
    after = every_chunk(section)

    root, _ = section.tree()
    assert root is not None
    assert expanded(root, after) == b",".join(items)
    # The last chunk and the last node of each level are new; every other chunk is shared.
    assert len(set(after) - set(before)) <= 1 + root.depth


def test_a_document_is_its_glue_and_sections_in_order() -> None:
    first, second, empty = section_of(runs(50, 300)), section_of(runs(5, 10)), Section()
    root, made = document([b'{"a":[', first, b'],"b":[', empty, b'],"c":[', second, b"]}"])
    chunks = {**every_chunk(first), **every_chunk(second), **{c.key: c for c in made}}

    expected = b'{"a":[' + b",".join(runs(50, 300)) + b'],"b":[],"c":['
    assert expanded(Ref(1, root.key), chunks) == expected + b",".join(runs(5, 10)) + b"]}"
