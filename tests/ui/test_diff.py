"""The version diff: segments added, removed, moved and changed between two drafts."""

from __future__ import annotations

from dataclasses import replace

from draftsmith.timeline.diff import DraftDiff, diff_drafts
from draftsmith.timeline.model import (
    Canvas,
    Draft,
    MediaSegment,
    TextSegment,
    Timerange,
    Track,
    TrackKind,
)
from support.drafts import VIDEO, S


def caption(segment_id: str, text: str, start: int, end: int) -> TextSegment:
    return TextSegment(segment_id, f"m-{segment_id}", text, Timerange(start, end - start))


def clip(segment_id: str, start: int, end: int) -> MediaSegment:
    span = Timerange(start, end - start)
    return MediaSegment(segment_id, f"m-{segment_id}", VIDEO, "bars.mp4", span, span)


def draft(*tracks: Track) -> Draft:
    return Draft("d" * 30, "test", Canvas(), 0, tracks)


def text_track(track_id: str, *segments: TextSegment) -> Track:
    return Track(track_id, TrackKind.TEXT, track_id, segments)


def video_track(track_id: str, *segments: MediaSegment) -> Track:
    return Track(track_id, TrackKind.VIDEO, track_id, segments)


def test_first_version_adds_every_segment() -> None:
    after = draft(video_track("v", clip("c1", 0, S)), text_track("t", caption("s1", "Hi", 0, S)))
    diff = diff_drafts(None, after)
    assert [ref.id for ref in diff.added] == ["c1", "s1"]
    assert (diff.removed, diff.moved, diff.changed) == ((), (), ())
    assert diff.tracks_added == 2
    assert diff.describe() == "2 segments added, 2 tracks added"


def test_identical_drafts_have_no_changes() -> None:
    same = draft(text_track("t", caption("s1", "Hi", 0, S)))
    diff = diff_drafts(same, same)
    assert diff == DraftDiff()
    assert diff.describe() == "no changes"


def test_added_and_removed_segments_are_named_by_id() -> None:
    before = draft(text_track("t", caption("s1", "Hello", 0, S), caption("s2", "Bye", S, 2 * S)))
    after = draft(
        text_track("t", caption("s1", "Hello", 0, S)), text_track("u", caption("s3", "New", 0, S))
    )
    diff = diff_drafts(before, after)
    assert [(r.id, r.label, r.kind) for r in diff.added] == [("s3", "New", TrackKind.TEXT)]
    assert [(r.id, r.label, r.start, r.end) for r in diff.removed] == [("s2", "Bye", S, 2 * S)]
    assert diff.tracks_added == 1
    assert diff.tracks_removed == 0
    assert diff.describe() == "1 segment added, 1 removed, 1 track added"


def test_a_segment_on_another_span_or_track_is_moved() -> None:
    before = draft(video_track("v1", clip("c1", 0, S), clip("c2", S, 2 * S)), video_track("v2"))
    after = draft(
        video_track("v1", clip("c1", 3 * S, 4 * S)), video_track("v2", clip("c2", S, 2 * S))
    )
    diff = diff_drafts(before, after)
    assert [(m.before.start, m.after.start) for m in diff.moved] == [(0, 3 * S), (S, S)]
    assert [(m.before.track_id, m.after.track_id) for m in diff.moved] == [
        ("v1", "v1"),
        ("v1", "v2"),
    ]
    assert not diff.added
    assert not diff.removed
    assert diff.describe() == "2 segments moved"


def test_same_place_different_content_is_changed_not_moved() -> None:
    before = draft(text_track("t", caption("s1", "Helo", 0, S)))
    after = draft(text_track("t", caption("s1", "Hello", 0, S)))
    diff = diff_drafts(before, after)
    assert [r.label for r in diff.changed] == ["Hello"]
    assert not diff.moved
    assert diff.describe() == "1 segment changed"


def test_restoring_an_older_state_brings_its_segments_back() -> None:
    v1 = draft(text_track("t", caption("s1", "One", 0, S)))
    v2 = draft(
        text_track("t", caption("s1", "One", 0, S)), text_track("u", caption("s2", "Two", 0, S))
    )
    restored = diff_drafts(v2, v1)
    assert [r.id for r in restored.removed] == ["s2"]
    assert restored.tracks_removed == 1
    assert diff_drafts(v1, v2).added[0].id == "s2"


def test_changing_a_media_source_span_is_a_change() -> None:
    original = clip("c1", 0, 2 * S)
    trimmed = replace(original, source=Timerange(S, 2 * S))
    diff = diff_drafts(draft(video_track("v", original)), draft(video_track("v", trimmed)))
    assert [r.id for r in diff.changed] == ["c1"]
    assert diff.changed[0].label == "bars.mp4"
