"""Pure edits: turn validated placements into a new track and a new draft value.

Like capcut-mate, every add_* call puts its items on a new track stacked above the others, so
an edit never rewrites what is already there.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, replace
from itertools import pairwise

from draftsmith.errors import InvalidInput, SegmentNotFound
from draftsmith.timeline.adjustments import CLAMPED_TO_MEDIA, Adjustment, Adjustments
from draftsmith.timeline.limits import MAX_SPEED, MAX_TIME_US, MIN_SPEED
from draftsmith.timeline.model import (
    PHOTO_DURATION_US,
    Animations,
    Clip,
    EffectParam,
    EffectSegment,
    Keyframe,
    KeyframeList,
    Mask,
    Media,
    MediaKind,
    MediaSegment,
    Segment,
    StickerSegment,
    TextEffect,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
    Transition,
)


@dataclass(frozen=True)
class MediaPlacement:
    """One requested media item: where it goes on the timeline and how loud it plays."""

    media: Media
    source_name: str
    start: int
    end: int
    volume: float = 1.0
    transition: Transition | None = None
    animations: Animations | None = None
    scene: tuple[int, int] | None = None
    """capcut-mate's scene timeline (start, end): where the item plays instead of [start,
    end), at the speed that fits end - start of the source into it."""


@dataclass(frozen=True)
class CaptionPlacement:
    text: str
    start: int
    end: int
    style: TextStyle
    animations: Animations | None = None
    keywords: tuple[str, ...] = ()
    keyword_style: TextStyle | None = None
    text_effect_id: str | None = None
    """The resource id of a text effect (花字) drawn on the whole caption."""


def timerange(field: str, start: int, end: int) -> Timerange:
    """Validate a [start, end) pair from a request; `field` names it in the error ("" for a
    body's own top-level start and end)."""
    prefix = f"{field}." if field else ""
    if start < 0:
        raise InvalidInput(f"{prefix}start must be >= 0, got {start}")
    if end <= start:
        raise InvalidInput(f"{prefix}end must be greater than start ({end} <= {start})")
    if end > MAX_TIME_US:
        raise InvalidInput(f"{prefix}end must be at most {MAX_TIME_US} microseconds")
    return Timerange(start, end - start)


def _check_no_overlap(field: str, ranges: Sequence[Timerange]) -> None:
    ordered = sorted(enumerate(ranges), key=lambda item: item[1].start)
    for (i, a), (j, b) in pairwise(ordered):
        if a.overlaps(b):
            first, second = sorted((i, j))
            raise InvalidInput(f"{field}[{first}] and {field}[{second}] overlap on the timeline")


def media_length(media: Media) -> int:
    """How much of `media` a segment can play, in microseconds (a photo: the editor's 3 h)."""
    return PHOTO_DURATION_US if media.kind is MediaKind.IMAGE else media.duration_us or 0


def _source_range(
    field: str, placement: MediaPlacement, duration: int, notes: Adjustments
) -> Timerange:
    """The stretch of the media a segment lasting `duration` plays: all of it if the media is
    shorter (capcut-mate's clamp), noted as `clamped_to_media`."""
    media = placement.media
    limit = media_length(media)
    if duration > limit:
        refusal = InvalidInput(
            f"{field}: the segment lasts {duration} us but the {media.kind} lasts "
            f"{limit} us; shorten end - start"
        )
        if limit <= 0:
            raise refusal
        ends = "" if placement.scene is not None else f"; it ends at {placement.start + limit} us"
        notes.note(
            f"{field}.end",
            CLAMPED_TO_MEDIA,
            f"{field}.end: the segment lasts {duration} us but the {media.kind} lasts {limit} "
            f"us; the segment plays all {limit} us of it{ends}",
            refusal,
        )
        duration = limit
    return Timerange(0, duration)


def _scene_target(index: int, placement: MediaPlacement, source_duration: int) -> Timerange:
    """The timeline span of an item with a scene timeline, whose speed must be one the
    editor can play: speed = source duration / scene duration."""
    assert placement.scene is not None
    field = f"scene_timelines[{index}]"
    target = timerange(field, *placement.scene)
    speed = source_duration / target.duration
    if not MIN_SPEED <= speed <= MAX_SPEED:
        raise InvalidInput(
            f"{field}: playing {source_duration} us of video in {target.duration} us needs "
            f"speed {speed:.3g}; the editor plays {MIN_SPEED} to {MAX_SPEED:g}"
        )
    return target


def media_track(
    field: str,
    kind: TrackKind,
    placements: Sequence[MediaPlacement],
    clip: Clip | None,
    new_id: Callable[[], str],
    notes: Adjustments,
) -> Track:
    """Build a new video or audio track from requested placements, validating each one; a
    segment longer than its media is shortened to it (see `_source_range`)."""
    if not placements:
        raise InvalidInput(f"{field} must contain at least one item")
    segments: list[Segment] = []
    targets = []
    for index, placement in enumerate(placements):
        item = f"{field}[{index}]"
        target = timerange(item, placement.start, placement.end)
        source = _source_range(item, placement, target.duration, notes)
        if placement.scene is not None:
            target = _scene_target(index, placement, source.duration)
        else:
            target = Timerange(target.start, source.duration)
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
                source=source,
                volume=placement.volume,
                clip=clip,
                transition=placement.transition,
                animations=placement.animations,
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
                animations=caption.animations,
                keywords=caption.keywords,
                keyword_style=caption.keyword_style if caption.keywords else None,
                effect=None
                if caption.text_effect_id is None
                else TextEffect(new_id(), caption.text_effect_id),
            )
        )
    _check_no_overlap(field, targets)
    return Track(
        id=new_id(), kind=TrackKind.TEXT, name=f"text_{len(targets)}", segments=tuple(segments)
    )


@dataclass(frozen=True)
class EffectPlacement:
    """One requested effect or filter, already resolved from the catalogue."""

    name: str
    effect_type: str
    effect_id: str
    resource_id: str
    start: int
    end: int
    value: float = 1.0
    params: tuple[EffectParam, ...] = ()


def effect_tracks(
    field: str,
    kind: TrackKind,
    placements: Sequence[EffectPlacement],
    new_id: Callable[[], str],
) -> tuple[tuple[Track, ...], tuple[EffectSegment, ...]]:
    """Build new effect or filter tracks, and the segments in request order.

    capcut-mate lets effects of one call overlap in time ("Multiple effects can be applied to
    the same time period"), but the editor rejects overlapping segments on one track: an item
    goes on the first new track it does not overlap, and a new track is stacked when none fits.
    """
    if not placements:
        raise InvalidInput(f"{field} must contain at least one item")
    segments: list[EffectSegment] = []
    for index, placement in enumerate(placements):
        target = timerange(f"{field}[{index}]", placement.start, placement.end)
        segments.append(
            EffectSegment(
                id=new_id(),
                material_id=new_id(),
                name=placement.name,
                effect_type=placement.effect_type,
                effect_id=placement.effect_id,
                resource_id=placement.resource_id,
                target=target,
                value=placement.value,
                params=placement.params,
            )
        )
    lanes: list[list[Segment]] = []
    for segment in segments:
        lane = next(
            (lane for lane in lanes if not any(segment.target.overlaps(s.target) for s in lane)),
            None,
        )
        if lane is None:
            lane = []
            lanes.append(lane)
        lane.append(segment)
    tracks = tuple(
        Track(
            id=new_id(),
            kind=kind,
            name=f"{kind}_{len(lane)}",
            segments=tuple(sorted(lane, key=lambda s: s.target.start)),
        )
        for lane in lanes
    )
    return tracks, tuple(segments)


def with_adjustments(
    tracks: Sequence[Track], adjustments: Mapping[str, Sequence[Adjustment]]
) -> tuple[Track, ...]:
    """`tracks` with `adjustments[segment id]` added to those segments' own, each once."""

    def adjusted(segment: Segment) -> Segment:
        given = dict.fromkeys(adjustments.get(segment.id, ()))
        new = [a for a in given if a not in segment.adjustments]
        return replace(segment, adjustments=(*segment.adjustments, *new)) if new else segment

    return tuple(
        replace(track, segments=tuple(adjusted(s) for s in track.segments))
        if any(s.id in adjustments for s in track.segments)
        else track
        for track in tracks
    )


def with_masks(
    tracks: Sequence[Track],
    segment_ids: Sequence[str],
    make_mask: Callable[[MediaSegment], Mask],
) -> tuple[tuple[Track, ...], tuple[Mask, ...]]:
    """`tracks` with a new mask (replacing any) on each named video or photo segment, and the
    masks in `segment_ids` order; NotFound naming the first id no segment has."""
    wanted = list(dict.fromkeys(segment_ids))
    found: dict[str, tuple[TrackKind, Segment]] = {
        s.id: (t.kind, s) for t in tracks for s in t.segments
    }
    for segment_id in wanted:
        if segment_id not in found:
            raise SegmentNotFound(f"segment_ids: no segment {segment_id!r} in this draft")
        kind, segment = found[segment_id]
        if not isinstance(segment, MediaSegment) or kind is not TrackKind.VIDEO:
            raise InvalidInput(
                f"segment_ids: {segment_id!r} is not a video or photo segment; "
                "only those take a mask"
            )
    masks = {}
    for segment_id in wanted:
        segment = found[segment_id][1]
        assert isinstance(segment, MediaSegment)
        masks[segment_id] = make_mask(segment)
    new_tracks = tuple(
        replace(
            track,
            segments=tuple(
                replace(s, mask=masks[s.id]) if s.id in masks and isinstance(s, MediaSegment) else s
                for s in track.segments
            ),
        )
        for track in tracks
    )
    return new_tracks, tuple(masks.values())


@dataclass(frozen=True)
class KeyframePlacement:
    """One keyframe for a segment: the editor's property and value, µs from its start."""

    field: str
    segment_id: str
    property: str
    time_offset: int
    value: float


_AUDIO_KEYFRAMES = ("KFTypeVolume",)
_TEXT_KEYFRAMES = {
    "KFTypePositionX": "KFTypePositionX",
    "KFTypePositionY": "KFTypePositionY",
    "KFTypeScaleX": "KFTypeScaleX",
    "KFTypeScaleY": "KFTypeScaleY",
    "KFTypeRotation": "KFTypeRotation",
    # A caption's opacity is its text material's global_alpha, and pyJianYingDraft notes that
    # KFTypeAlpha works on video segments only; the editor animates a text's with this one.
    "KFTypeAlpha": "KFTypeGlobalAlpha",
}
"""What a text segment can animate, by the property asked for: the one it is written as."""
_STICKER_KEYFRAMES = {k: k for k in _TEXT_KEYFRAMES}
"""What a sticker can animate (pyJianYingDraft's visual segment): position, scale, rotation
and opacity."""


def with_keyframes(
    tracks: Sequence[Track], placements: Sequence[KeyframePlacement], new_id: Callable[[], str]
) -> tuple[Track, ...]:
    """`tracks` with each keyframe merged into its segment's list for that property (one at the
    same time replaced); NotFound for an unknown segment, InvalidInput for a time outside the
    segment or a property its track cannot animate."""
    found: dict[str, tuple[TrackKind, Segment]] = {
        s.id: (t.kind, s) for t in tracks for s in t.segments
    }
    added: dict[str, list[KeyframePlacement]] = {}
    for asked in placements:
        p = asked
        if p.segment_id not in found:
            raise SegmentNotFound(
                f"{p.field}.segment_id: no segment {p.segment_id!r} in this draft"
            )
        kind, segment = found[p.segment_id]
        if isinstance(segment, TextSegment):
            if p.property not in _TEXT_KEYFRAMES:
                name = p.property.removeprefix("KFType").lower()
                raise InvalidInput(
                    f"{p.field}.property: a text segment cannot take {name} keyframes "
                    f"({p.property}); it takes position, scale, rotation and opacity"
                )
            p = replace(p, property=_TEXT_KEYFRAMES[p.property])
        elif isinstance(segment, StickerSegment):
            if p.property not in _STICKER_KEYFRAMES:
                name = p.property.removeprefix("KFType").lower()
                raise InvalidInput(
                    f"{p.field}.property: a sticker cannot take {name} keyframes "
                    f"({p.property}); it takes position, scale, rotation and opacity"
                )
        elif not isinstance(segment, MediaSegment):
            raise InvalidInput(
                f"{p.field}.segment_id: {p.segment_id!r} is not a video, photo, audio, text or "
                "sticker segment; only those take keyframes"
            )
        elif kind is TrackKind.AUDIO and p.property not in _AUDIO_KEYFRAMES:
            raise InvalidInput(f"{p.field}.property: an audio segment only takes volume keyframes")
        if not 0 <= p.time_offset <= segment.target.duration:
            raise InvalidInput(
                f"{p.field}.time must be between 0 and the segment's duration "
                f"({segment.target.duration} us), got {p.time_offset}"
            )
        added.setdefault(p.segment_id, []).append(p)

    def merged(
        segment: MediaSegment | TextSegment | StickerSegment, new: list[KeyframePlacement]
    ) -> Segment:
        lists = {k.property: k for k in segment.keyframes}
        for p in new:
            old = lists.get(p.property) or KeyframeList(new_id(), p.property, ())
            kept = [k for k in old.keyframes if k.time_offset != p.time_offset]
            kept.append(Keyframe(new_id(), p.time_offset, p.value))
            kept.sort(key=lambda k: k.time_offset)
            lists[p.property] = replace(old, keyframes=tuple(kept))
        return replace(segment, keyframes=tuple(lists.values()))

    return tuple(
        replace(
            track,
            segments=tuple(
                merged(s, added[s.id])
                if s.id in added and isinstance(s, MediaSegment | TextSegment | StickerSegment)
                else s
                for s in track.segments
            ),
        )
        for track in tracks
    )


@dataclass(frozen=True)
class StickerPlacement:
    """add_sticker: one sticker of the editor's library by resource id; `clip` in pixels;
    `image`, the picture fetched from `image_url` for renders (None if it could not be)."""

    resource_id: str
    start: int
    end: int
    clip: Clip
    image_url: str | None = None
    image: Media | None = None


def sticker_track(placement: StickerPlacement, new_id: Callable[[], str]) -> Track:
    """A new sticker track holding the one sticker, as capcut-mate stacks one per call."""
    if not (placement.resource_id.isdecimal() and placement.resource_id.isascii()):
        raise InvalidInput(
            f"sticker_id must be a string of digits (the editor's sticker id), "
            f"got {placement.resource_id!r}"
        )
    target = timerange("", placement.start, placement.end)
    segment = StickerSegment(
        id=new_id(),
        material_id=new_id(),
        resource_id=placement.resource_id,
        target=target,
        clip=placement.clip,
        image_url=placement.image_url,
        image=placement.image,
    )
    return Track(id=new_id(), kind=TrackKind.STICKER, name="sticker_1", segments=(segment,))
