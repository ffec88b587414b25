"""Filling a template: the tracks of a draft with caption texts and media replaced.

Texts are found by segment id, by material id, or by a placeholder (`{{title}}`) inside any
caption; media by material id or by the file name the draft shows for it. Each fill is applied
in request order to every segment it matches; a caption keeps its style, and its style ranges
follow the text (text_ranges.py). A media segment keeps its place and length on the timeline:
a longer file is trimmed to it, a shorter one shortens the segment (`clamped_to_media`).

Every problem of every fill is collected, with the fill's JSON pointer, so that a caller fixes
them all at once; nothing here does I/O (the media are fetched before, by the service).
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace
from enum import StrEnum

from draftsmith.errors import DraftsmithError, InvalidInput
from draftsmith.timeline.adjustments import (
    CLAMPED_TO_MEDIA,
    TEMPLATE_TARGET_NOT_FOUND,
    Adjustment,
    Adjustments,
)
from draftsmith.timeline.edits import media_length
from draftsmith.timeline.model import (
    Animation,
    Animations,
    KeyframeList,
    Media,
    MediaKind,
    MediaSegment,
    Segment,
    TextSegment,
    Timerange,
    Track,
    TrackKind,
)
from draftsmith.timeline.text_ranges import Replaced, Span, replace_all, replace_whole

TextEdit = Callable[[str, tuple[Span, ...]], Replaced]
"""One fill's change to a caption's text, with the style ranges it carries along."""
Restyle = Callable[[TextSegment, TextSegment, TextEdit], TextSegment]
"""What else a caption keeps of its styles beyond the model (an imported draft's own runs):
given the caption before and after a fill, and the fill's edit, the caption after with those
carried along too."""


def _as_is(before: TextSegment, after: TextSegment, edit: TextEdit) -> TextSegment:
    return after


class TextBy(StrEnum):
    SEGMENT_ID = "segment_id"
    MATERIAL_ID = "material_id"
    PLACEHOLDER = "placeholder"


class MediaBy(StrEnum):
    MATERIAL_ID = "material_id"
    NAME = "name"


@dataclass(frozen=True)
class TextFill:
    """Replace the text of the captions `by` `key` names (a placeholder: that part of any
    caption's text) with `text`; `pointer` names the fill in the request."""

    pointer: str
    by: TextBy
    key: str
    text: str


@dataclass(frozen=True)
class MediaFill:
    """Play `media` (fetched from a URL whose file is called `source_name`) in the media
    segments `by` `key` names; None when they are none, so nothing was fetched."""

    pointer: str
    by: MediaBy
    key: str
    media: Media | None
    source_name: str


@dataclass(frozen=True)
class Replacement:
    """What one fill replaced: how many times (placeholder occurrences, or segments) and in
    which segments."""

    pointer: str
    by: str
    key: str
    count: int
    segment_ids: tuple[str, ...]


@dataclass(frozen=True)
class Filled:
    """The tracks after every fill, what each fill replaced (texts, then media, in request
    order), what was adjusted, and the problems that stop the fill: (pointer, message)."""

    tracks: tuple[Track, ...]
    replacements: tuple[Replacement, ...]
    warnings: tuple[Adjustment, ...]
    problems: tuple[tuple[str, str], ...]


def names_media(segment: Segment, by: MediaBy, key: str) -> bool:
    """Whether a media fill `by` `key` names `segment`."""
    if not isinstance(segment, MediaSegment):
        return False
    return (segment.material_id if by is MediaBy.MATERIAL_ID else segment.source_name) == key


def fill(
    tracks: Sequence[Track],
    texts: Sequence[TextFill],
    media: Sequence[MediaFill],
    *,
    strict: bool,
    max_caption_chars: int,
    restyle: Restyle = _as_is,
) -> Filled:
    """`tracks` with every fill applied: texts first, then media, each in request order;
    `restyle` carries what a caption keeps of its styles outside the model."""
    by_id: dict[str, Segment] = {s.id: s for t in tracks for s in t.segments}
    kinds = {s.id: t.kind for t in tracks for s in t.segments}
    replacements: list[Replacement] = []
    warnings: list[Adjustment] = []
    problems: list[tuple[str, str]] = []
    for item in texts:
        notes = Adjustments(strict=strict)
        try:
            changed, count = _fill_text(by_id, item, notes, max_caption_chars, restyle)
        except DraftsmithError as exc:
            problems.append((item.pointer, exc.detail))
            continue
        by_id.update(changed)
        replacements.append(Replacement(item.pointer, item.by, item.key, count, tuple(changed)))
        warnings.extend(notes.items)
    for given in media:
        notes = Adjustments(strict=strict)
        try:
            changed = _fill_media(by_id, kinds, given, notes)
        except DraftsmithError as exc:
            problems.append((given.pointer, exc.detail))
            continue
        by_id.update(changed)
        replacements.append(
            Replacement(given.pointer, given.by, given.key, len(changed), tuple(changed))
        )
        warnings.extend(notes.items)
    filled = tuple(
        replace(track, segments=tuple(by_id[s.id] for s in track.segments))
        if any(by_id[s.id] is not s for s in track.segments)
        else track
        for track in tracks
    )
    return Filled(filled, tuple(replacements), tuple(warnings), tuple(problems))


def _not_found(notes: Adjustments, pointer: str, what: str) -> None:
    notes.note(
        pointer,
        TEMPLATE_TARGET_NOT_FOUND,
        f"{pointer}: {what}; nothing was replaced",
    )


def _fill_text(
    segments: dict[str, Segment],
    item: TextFill,
    notes: Adjustments,
    max_chars: int,
    restyle: Restyle,
) -> tuple[dict[str, Segment], int]:
    """The captions `item` changes, by id, and how many replacements it made."""
    if item.by is TextBy.SEGMENT_ID:
        segment = segments.get(item.key)
        if segment is None:
            _not_found(notes, item.pointer, f"the template has no segment {item.key!r}")
            return {}, 0
        if not isinstance(segment, TextSegment):
            raise InvalidInput(
                f"{item.pointer}: segment {item.key!r} is not a caption; its text cannot be set"
            )
        matched = [segment]
    elif item.by is TextBy.MATERIAL_ID:
        matched = [
            s for s in segments.values() if isinstance(s, TextSegment) and s.material_id == item.key
        ]
        if not matched:
            _not_found(notes, item.pointer, f"no caption of the template has material {item.key!r}")
            return {}, 0
    else:
        matched = [
            s for s in segments.values() if isinstance(s, TextSegment) and item.key in s.text
        ]
        if not matched:
            _not_found(notes, item.pointer, f"no caption of the template holds {item.key!r}")
            return {}, 0
    changed: dict[str, Segment] = {}
    count = 0
    for segment in matched:
        caption, made = _caption_filled(segment, item, restyle)
        if not caption.text.strip():
            raise InvalidInput(f"{item.pointer}: caption {segment.id!r} would be left empty")
        if len(caption.text) > max_chars:
            raise InvalidInput(
                f"{item.pointer}: caption {segment.id!r} would have {len(caption.text)} "
                f"characters; at most {max_chars}"
            )
        changed[segment.id] = caption
        count += made
    return changed, count


def _caption_filled(
    segment: TextSegment, item: TextFill, restyle: Restyle
) -> tuple[TextSegment, int]:
    """The caption with `item` applied, and how many stretches of its text were replaced.

    A caption's keyword runs are found again in its new text; a keyword holding the
    placeholder holds the value instead, so the value is highlighted where the placeholder
    was."""
    edit = _edit_of(item)
    done = edit(segment.text, ())
    if item.by is TextBy.PLACEHOLDER:
        keywords = tuple(dict.fromkeys(k.replace(item.key, item.text) for k in segment.keywords))
        kept = tuple(k for k in keywords if k)
        after = replace(
            segment,
            text=done.text,
            keywords=kept,
            keyword_style=segment.keyword_style if kept else None,
        )
    else:
        after = replace(segment, text=done.text)
    return restyle(segment, after, edit), done.count


def _edit_of(item: TextFill) -> TextEdit:
    if item.by is TextBy.PLACEHOLDER:
        return lambda text, spans: replace_all(text, spans, item.key, item.text)
    return lambda text, spans: replace_whole(text, spans, item.text)


def _fill_media(
    segments: dict[str, Segment], kinds: dict[str, TrackKind], item: MediaFill, notes: Adjustments
) -> dict[str, Segment]:
    matched = [
        s
        for s in segments.values()
        if isinstance(s, MediaSegment) and names_media(s, item.by, item.key)
    ]
    if not matched:
        what = "material" if item.by is MediaBy.MATERIAL_ID else "a file named"
        _not_found(
            notes, item.pointer, f"no video, photo or audio of the template has {what} {item.key!r}"
        )
        return {}
    media = item.media
    assert media is not None, "a fill that names segments comes with its file"
    changed: dict[str, Segment] = {}
    for segment in matched:
        own = Adjustments(strict=notes.strict)
        refitted = refit(segment, kinds[segment.id], media, item.source_name, item.pointer, own)
        # The segment keeps what was adjusted about it, as the add_* verbs' segments do.
        changed[segment.id] = replace(refitted, adjustments=(*refitted.adjustments, *own.items))
        for adjustment in own.items:
            notes.note(adjustment.field, adjustment.code, adjustment.message)
    return changed


def refit(
    segment: MediaSegment,
    kind: TrackKind,
    media: Media,
    source_name: str,
    pointer: str,
    notes: Adjustments,
) -> MediaSegment:
    """`segment` playing `media` instead, in the same place for the same time: the stretch of
    the file it played if the new file has it, else the file's start; a file shorter than
    that shortens the segment, at the same speed (noted as `clamped_to_media`)."""
    if kind is TrackKind.AUDIO and not (media.kind is MediaKind.AUDIO or media.has_audio):
        raise InvalidInput(f"{pointer}: segment {segment.id!r} plays audio; the file has none")
    if kind is not TrackKind.AUDIO and media.kind is MediaKind.AUDIO:
        raise InvalidInput(
            f"{pointer}: segment {segment.id!r} is a video or photo; the file is audio"
        )
    target, source = segment.target, segment.source
    if media.kind is MediaKind.IMAGE:
        # A photo plays at its own pace: the segment shows it for its whole span.
        source = Timerange(0, target.duration)
    else:
        length = media_length(media)
        if length <= 0:
            raise InvalidInput(f"{pointer}: the file has no duration to play")
        if source.end > length:
            source = Timerange(0, source.duration)
        if source.duration > length:
            refusal = InvalidInput(
                f"{pointer}: segment {segment.id!r} plays {source.duration} us of its file "
                f"but the {media.kind} lasts {length} us; use a longer file"
            )
            duration = max(1, length * target.duration // source.duration)
            notes.note(
                pointer,
                CLAMPED_TO_MEDIA,
                f"{pointer}: segment {segment.id!r} plays {source.duration} us of its file but "
                f"the {media.kind} lasts {length} us; the segment plays all of it and ends at "
                f"{target.start + duration} us",
                refusal,
            )
            source = Timerange(0, length)
            target = Timerange(target.start, duration)
    shorter = target.duration < segment.target.duration
    return replace(
        segment,
        media=media,
        source_name=source_name,
        target=target,
        source=source,
        animations=_animations_within(segment.animations, target.duration)
        if shorter
        else segment.animations,
        keyframes=_keyframes_within(segment.keyframes, target.duration)
        if shorter
        else segment.keyframes,
    )


def _animations_within(animations: Animations | None, duration: int) -> Animations | None:
    """Animations of a segment shortened to `duration`: the outro moved to its new end, the
    others cut to it."""
    if animations is None:
        return None
    items: list[Animation] = []
    for a in animations.items:
        if a.type == "out":
            length = min(a.duration, duration)
            items.append(replace(a, start=duration - length, duration=length))
        elif a.start < duration:
            items.append(replace(a, duration=min(a.duration, duration - a.start)))
    return replace(animations, items=tuple(items)) if items else None


def _keyframes_within(
    keyframes: tuple[KeyframeList, ...], duration: int
) -> tuple[KeyframeList, ...]:
    """Keyframes of a segment shortened to `duration`: those past its new end dropped."""
    kept = (
        replace(k, keyframes=tuple(f for f in k.keyframes if f.time_offset <= duration))
        for k in keyframes
    )
    return tuple(k for k in kept if k.keyframes)
