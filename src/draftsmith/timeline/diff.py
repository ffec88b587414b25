"""What changed between two states of a draft, segment by segment.

Segment ids are chosen once and kept forever (restoring a version brings its ids back), so a
segment is "the same" in two states exactly when its id is. Pure: standard library only.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

from draftsmith.timeline.model import (
    Draft,
    EffectSegment,
    MediaSegment,
    Segment,
    StickerSegment,
    TrackKind,
)


@dataclass(frozen=True)
class SegmentRef:
    """Where a segment sits in one state of a draft, and what a person would call it."""

    id: str
    track_id: str
    kind: TrackKind
    label: str
    start: int
    end: int


@dataclass(frozen=True)
class SegmentMove:
    """A segment present in both states whose track or timeline span differs."""

    before: SegmentRef
    after: SegmentRef


@dataclass(frozen=True)
class DraftDiff:
    added: tuple[SegmentRef, ...] = ()
    removed: tuple[SegmentRef, ...] = ()
    moved: tuple[SegmentMove, ...] = ()
    changed: tuple[SegmentRef, ...] = ()
    """Segments in the same place whose content (text, style, source span...) differs."""
    tracks_added: int = 0
    tracks_removed: int = 0

    def describe(self) -> str:
        """One short English line, e.g. "3 segments added, 1 removed, 2 moved"."""
        counts = [
            (len(self.added), "added"),
            (len(self.removed), "removed"),
            (len(self.moved), "moved"),
            (len(self.changed), "changed"),
        ]
        parts = [f"{count} {verb}" for count, verb in counts if count]
        if parts:
            first_count = next(count for count, _ in counts if count)
            noun = "segment" if first_count == 1 else "segments"
            parts[0] = parts[0].replace(" ", f" {noun} ", 1)
        parts += _track_parts(self.tracks_added, "added") + _track_parts(
            self.tracks_removed, "removed"
        )
        return ", ".join(parts) if parts else "no changes"


def _track_parts(count: int, verb: str) -> list[str]:
    if not count:
        return []
    return [f"{count} {'track' if count == 1 else 'tracks'} {verb}"]


def segment_label(segment: Segment) -> str:
    """What a person calls a segment: its file's name, its effect's, its text, its sticker."""
    if isinstance(segment, MediaSegment):
        return segment.source_name
    if isinstance(segment, EffectSegment):
        return segment.name
    if isinstance(segment, StickerSegment):
        return f"sticker {segment.resource_id}"
    return segment.text


def _placed(draft: Draft | None) -> dict[str, tuple[SegmentRef, Segment]]:
    """Every segment of `draft` by id, in stacking order (bottom track first)."""
    placed: dict[str, tuple[SegmentRef, Segment]] = {}
    if draft is None:
        return placed
    for track in draft.tracks:
        for segment in track.segments:
            ref = SegmentRef(
                id=segment.id,
                track_id=track.id,
                kind=track.kind,
                label=segment_label(segment),
                start=segment.target.start,
                end=segment.target.end,
            )
            placed[segment.id] = (ref, segment)
    return placed


def diff_drafts(before: Draft | None, after: Draft) -> DraftDiff:
    """The segments added, removed, moved and changed going from `before` to `after`.

    `before` None means there was nothing yet: every segment of `after` is added.
    """
    old = _placed(before)
    new = _placed(after)
    added: list[SegmentRef] = []
    moved: list[SegmentMove] = []
    changed: list[SegmentRef] = []
    for segment_id, (ref, segment) in new.items():
        previous = old.get(segment_id)
        if previous is None:
            added.append(ref)
            continue
        old_ref, old_segment = previous
        if (old_ref.track_id, old_ref.start, old_ref.end) != (ref.track_id, ref.start, ref.end):
            moved.append(SegmentMove(old_ref, ref))
        elif replace(old_segment, target=segment.target) != segment:
            changed.append(ref)
    removed = [ref for segment_id, (ref, _) in old.items() if segment_id not in new]
    old_tracks = {t.id for t in before.tracks} if before is not None else set()
    new_tracks = {t.id for t in after.tracks}
    return DraftDiff(
        added=tuple(added),
        removed=tuple(removed),
        moved=tuple(moved),
        changed=tuple(changed),
        tracks_added=len(new_tracks - old_tracks),
        tracks_removed=len(old_tracks - new_tracks),
    )
