"""The timeline file in chunks: they join to the file, and a change touches only its own."""

from __future__ import annotations

import json
from dataclasses import replace

from draftsmith.capcut.encode import FragmentCache, encode_folder, encode_folder_chunks
from draftsmith.capcut.profiles import profile_named
from draftsmith.chunks import GLUE_ALONE_BYTES, MIN_CHUNK_BYTES, Run, chunked, joined
from draftsmith.timeline.model import Canvas, Draft, TextSegment, Timerange, Track, TrackKind
from support.drafts import CREATED_AT_US, SAVED_AT_US, S

ALL = profile_named("all")
TIMELINE = "draft_content.json"


def caption_track(name: str, count: int, first_second: int) -> Track:
    segments = tuple(
        TextSegment(
            f"{name}-s{i}",
            f"{name}-m{i}",
            f"caption {name} {i}",
            Timerange((first_second + i) * S, S // 2),
        )
        for i in range(count)
    )
    return Track(f"{name}-track", TrackKind.TEXT, name, segments)


def draft_of(*tracks: Track) -> Draft:
    return Draft(
        "20261202000000aaaabbbbccccdddd", "chunks", Canvas(1080, 1920), CREATED_AT_US, tracks
    )


def six_tracks() -> Draft:
    return draft_of(*(caption_track(f"t{n}", 20, 20 * n) for n in range(6)))


def timeline_chunks(draft: Draft, saved_at_us: int = SAVED_AT_US) -> tuple[bytes, ...]:
    """The timeline file's chunks, as bytes."""
    chunks = encode_folder_chunks(draft, saved_at_us=saved_at_us, profile=ALL)[TIMELINE]
    return tuple(chunk.data for chunk in chunks)


def cut(pieces: list[bytes]) -> tuple[bytes, ...]:
    return tuple(chunk.data for chunk in chunked(pieces))


def new_bytes(before: tuple[bytes, ...], after: tuple[bytes, ...]) -> int:
    """How many bytes of `after` are in chunks that `before` did not have."""
    known = set(before)
    return sum(len(chunk) for chunk in after if chunk not in known)


def test_every_file_is_the_join_of_its_chunks() -> None:
    draft = six_tracks()

    chunks = encode_folder_chunks(draft, saved_at_us=SAVED_AT_US, profile=ALL)
    files = encode_folder(draft, saved_at_us=SAVED_AT_US, profile=ALL)

    assert chunks.keys() == files.keys()
    assert {path: joined(parts) for path, parts in chunks.items()} == files
    assert len(chunks[TIMELINE]) > 6
    assert chunks["draft_info.json"] is chunks[TIMELINE]


def test_appending_a_track_leaves_the_other_tracks_chunks_alone() -> None:
    draft = six_tracks()
    before = timeline_chunks(draft)

    after = timeline_chunks(
        replace(draft, tracks=(*draft.tracks, caption_track("t6", 1, 500))), SAVED_AT_US + S
    )

    alone = timeline_chunks(draft_of(caption_track("t6", 1, 500)))
    # What is new is the new track's share of each list, the header (its save time and
    # duration changed) and the separators beside them: about what a file of that track alone
    # takes, and far less than the whole file.
    assert new_bytes(before, after) < sum(map(len, alone)) + GLUE_ALONE_BYTES
    assert new_bytes(before, after) < sum(map(len, after)) // 20


def test_a_change_inside_one_track_changes_only_chunks_near_it() -> None:
    draft = six_tracks()
    before = timeline_chunks(draft)
    tracks = list(draft.tracks)
    tracks[2] = caption_track("t2", 19, 40)

    after = timeline_chunks(replace(draft, tracks=tuple(tracks)))

    assert new_bytes(before, after) < sum(map(len, after)) // 3
    assert b"caption t5 19" in b"".join(chunk for chunk in after if chunk in set(before))


def test_long_glue_stands_alone_and_short_runs_are_joined() -> None:
    header = b"h" * GLUE_ALONE_BYTES
    small = [Run(b"a" * 10), b",", Run(b"b" * 20)]
    big = Run(b"c" * MIN_CHUNK_BYTES)

    chunks = cut([header, *small, b",", big, b"]"])

    assert chunks == (header, b"a" * 10 + b"," + b"b" * 20 + b"," + b"c" * MIN_CHUNK_BYTES, b"]")


def test_a_cut_depends_only_on_the_pieces_since_the_previous_cut() -> None:
    tail = [Run(b"x" * MIN_CHUNK_BYTES), b",", Run(b"y" * 100), b"]"]

    short = cut([b"h" * GLUE_ALONE_BYTES, *tail])
    longer = cut([b"h" * (2 * GLUE_ALONE_BYTES), *tail])

    assert short[1:] == longer[1:] == (b"x" * MIN_CHUNK_BYTES, b"," + b"y" * 100 + b"]")


def test_a_material_two_tracks_share_is_written_once_where_first_used() -> None:
    first = caption_track("a", 2, 0)
    shared = replace(first.segments[1], id="b-s0", target=Timerange(10 * S, S))
    second = Track("b-track", TrackKind.TEXT, "b", (shared, *caption_track("b", 2, 20).segments))
    draft = draft_of(first, second)

    content = json.loads(joined(encode_folder_chunks(draft, saved_at_us=1, profile=ALL)[TIMELINE]))

    texts = [m["id"] for m in content["materials"]["texts"]]
    assert texts == ["a-m0", "a-m1", "b-m0", "b-m1"]
    assert [len(t["segments"]) for t in content["tracks"]] == [2, 3]


def timeline_runs(draft: Draft, cache: FragmentCache) -> list[Run]:
    """The runs of the timeline file's chunks, as encoded with `cache`."""
    chunks = encode_folder_chunks(draft, saved_at_us=SAVED_AT_US, profile=ALL, cache=cache)
    return [piece for chunk in chunks[TIMELINE] for piece in chunk.pieces if isinstance(piece, Run)]


def shared(first: list[Run], second: list[Run]) -> int:
    """How many of the runs are the very same objects (both lists keep them alive)."""
    return len({id(run) for run in first} & {id(run) for run in second})


def test_the_fragment_cache_reuses_the_encoding_of_the_very_same_track_objects() -> None:
    cache = FragmentCache()
    draft = six_tracks()
    first = timeline_runs(draft, cache)

    again = timeline_runs(
        replace(draft, tracks=(*draft.tracks, caption_track("t6", 1, 500))), cache
    )
    # Equal tracks that are other objects, as a store without a TrackCache reads them back.
    copies = timeline_runs(replace(draft, tracks=tuple(replace(t) for t in draft.tracks)), cache)

    assert shared(first, again) >= len(draft.tracks)
    assert shared(first, copies) == 0
    cached = encode_folder(draft, saved_at_us=SAVED_AT_US, profile=ALL, cache=cache)
    assert cached == encode_folder(draft, saved_at_us=SAVED_AT_US, profile=ALL)
