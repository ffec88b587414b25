"""Pure edits: turn validated placements into a new track and a new draft value.

Like capcut-mate, every add_* call puts its items on a new track stacked above the others, so
an edit never rewrites what is already there.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from draftsmith.errors import InvalidInput
from draftsmith.timeline.model import (
    PHOTO_DURATION_US,
    Clip,
    Draft,
    Media,
    MediaKind,
    MediaSegment,
    Segment,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
)

MAX_TIME_US = 24 * 3600 * 1_000_000
"""Nothing on a timeline may start or end later than a day."""


@dataclass(frozen=True)
class MediaPlacement:
    """One requested media item: where it goes on the timeline and how loud it plays."""

    media: Media
    source_name: str
    start: int
    end: int
    volume: float = 1.0


@dataclass(frozen=True)
class CaptionPlacement:
    text: str
    start: int
    end: int
    style: TextStyle


def timerange(field: str, start: int, end: int) -> Timerange:
    """Validate a [start, end) pair from a request; `field` names it in the error."""
    if start < 0:
        raise InvalidInput(f"{field}.start must be >= 0, got {start}")
    if end <= start:
        raise InvalidInput(f"{field}.end must be greater than start ({end} <= {start})")
    if end > MAX_TIME_US:
        raise InvalidInput(f"{field}.end must be at most {MAX_TIME_US} microseconds")
    return Timerange(start, end - start)


def _check_no_overlap(field: str, ranges: Sequence[Timerange]) -> None:
    ordered = sorted(enumerate(ranges), key=lambda item: item[1].start)
    for (i, a), (j, b) in pairwise(ordered):
        if a.overlaps(b):
            first, second = sorted((i, j))
            raise InvalidInput(f"{field}[{first}] and {field}[{second}] overlap on the timeline")


def _source_range(field: str, placement: MediaPlacement, target: Timerange) -> Timerange:
    media = placement.media
    limit = PHOTO_DURATION_US if media.kind is MediaKind.IMAGE else media.duration_us or 0
    if target.duration > limit:
        raise InvalidInput(
            f"{field}: the segment lasts {target.duration} us but the {media.kind} lasts "
            f"{limit} us; shorten end - start"
        )
    return Timerange(0, target.duration)


def media_track(
    field: str,
    kind: TrackKind,
    placements: Sequence[MediaPlacement],
    clip: Clip | None,
    new_id: Callable[[], str],
) -> Track:
    """Build a new video or audio track from requested placements, validating each one."""
    if not placements:
        raise InvalidInput(f"{field} must contain at least one item")
    segments: list[Segment] = []
    targets = []
    for index, placement in enumerate(placements):
        item = f"{field}[{index}]"
        target = timerange(item, placement.start, placement.end)
        if not 0.0 <= placement.volume <= 10.0:
            raise InvalidInput(f"{item}.volume must be between 0 and 10, got {placement.volume}")
        targets.append(target)
        segments.append(
            MediaSegment(
                id=new_id(),
                material_id=new_id(),
                media=placement.media,
                source_name=placement.source_name,
                target=target,
                source=_source_range(item, placement, target),
                volume=placement.volume,
                clip=clip,
            )
        )
    _check_no_overlap(field, targets)
    return Track(id=new_id(), kind=kind, name=f"{kind}_{len(targets)}", segments=tuple(segments))


def caption_track(
    field: str, captions: Sequence[CaptionPlacement], clip: Clip, new_id: Callable[[], str]
) -> Track:
    if not captions:
        raise InvalidInput(f"{field} must contain at least one item")
    segments: list[Segment] = []
    targets = []
    for index, caption in enumerate(captions):
        item = f"{field}[{index}]"
        if not caption.text.strip():
            raise InvalidInput(f"{item}.text must not be empty")
        target = timerange(item, caption.start, caption.end)
        targets.append(target)
        segments.append(
            TextSegment(
                id=new_id(),
                material_id=new_id(),
                text=caption.text,
                target=target,
                style=caption.style,
                clip=clip,
            )
        )
    _check_no_overlap(field, targets)
    return Track(
        id=new_id(), kind=TrackKind.TEXT, name=f"text_{len(targets)}", segments=tuple(segments)
    )


def with_track(draft: Draft, track: Track) -> Draft:
    """The draft with `track` stacked on top of its other tracks."""
    return replace(draft, tracks=(*draft.tracks, track))
