"""add_keyframes' requests in the editor's terms: property names, units and times.

capcut-mate's docs name properties `position.x`, pyJianYingDraft `KFTypePositionX`; both are
taken. A keyframe's place is `time` (microseconds from the segment's start) or `offset`, which
capcut-mate's add_keyframes reads as a fraction of the segment's duration (0-1) and
draftsmith's keyframes_infos writes in microseconds: up to 1 it is a fraction, above it
microseconds.
"""

from __future__ import annotations

import math
from collections.abc import Sequence

from draftsmith.errors import InvalidInput
from draftsmith.service.requests import KeyframeRequest
from draftsmith.timeline import edits
from draftsmith.timeline.adjustments import NUMBER_ROUNDED, Adjustments
from draftsmith.timeline.limits import MAX_VOLUME
from draftsmith.timeline.model import Draft, MediaSegment, Segment, TrackKind

# capcut-mate's documented property names and pyJianYingDraft's, to the editor's property and
# whether the value is in canvas pixels along x or y (else it is the editor's own unit).
_KEYFRAME_PROPERTIES: dict[str, tuple[str, str | None]] = {
    "position.x": ("KFTypePositionX", "x"),
    "position_x": ("KFTypePositionX", "x"),
    "position.y": ("KFTypePositionY", "y"),
    "position_y": ("KFTypePositionY", "y"),
    "scale.x": ("KFTypeScaleX", None),
    "scale_x": ("KFTypeScaleX", None),
    "scale.y": ("KFTypeScaleY", None),
    "scale_y": ("KFTypeScaleY", None),
    "rotation": ("KFTypeRotation", None),
    "rotation.z": ("KFTypeRotation", None),
    "opacity": ("KFTypeAlpha", None),
    "alpha": ("KFTypeAlpha", None),
    "volume": ("KFTypeVolume", None),
    "saturation": ("KFTypeSaturation", None),
    "contrast": ("KFTypeContrast", None),
    "brightness": ("KFTypeBrightness", None),
}
_EDITOR_PROPERTIES = {editor for editor, _ in _KEYFRAME_PROPERTIES.values()}
KEYFRAME_PROPERTIES = (*_KEYFRAME_PROPERTIES, *sorted(_EDITOR_PROPERTIES))
"""Every property name add_keyframes takes (the friendly ones also in any case)."""
_KEYFRAME_RANGES = {"KFTypeAlpha": (0.0, 1.0), "KFTypeVolume": (0.0, MAX_VOLUME)}
_KEYFRAME_RANGES.update(
    dict.fromkeys(("KFTypeSaturation", "KFTypeContrast", "KFTypeBrightness"), (-1.0, 1.0))
)


def keyframe_property(item: KeyframeRequest) -> tuple[str, str | None]:
    """The editor's property for `item` and the canvas axis its value is in pixels along."""
    name = item.property.strip()
    if name in _EDITOR_PROPERTIES:
        editor, axis = name, None
    elif name.lower() in _KEYFRAME_PROPERTIES:
        editor, axis = _KEYFRAME_PROPERTIES[name.lower()]
    else:
        known = ", ".join(sorted({k for k in _KEYFRAME_PROPERTIES if "." in k} | {"volume"}))
        raise InvalidInput(
            f"{item.field}.property: unknown property {item.property!r}; use one of {known}"
        )
    low, high = _KEYFRAME_RANGES.get(editor, (-1e6, 1e6))
    if not low <= item.value <= high:
        raise InvalidInput(
            f"{item.field}.value for {item.property} must be between {low:g} and {high:g}, "
            f"got {item.value}"
        )
    return editor, axis


def _time(item: KeyframeRequest, segment: Segment, notes: Adjustments) -> int:
    """Microseconds from the segment's start at which `item` sets its value."""
    if item.time is not None:
        return item.time
    offset = item.offset
    if offset is None:
        raise InvalidInput(f"{item.field}.time is required (microseconds from the segment's start)")
    if offset <= 1:
        # capcut-mate's add_keyframes: int(offset * duration).
        return int(offset * segment.target.duration)
    if not offset.is_integer():
        used = math.floor(offset + 0.5)
        notes.note(
            f"{item.field}.offset",
            NUMBER_ROUNDED,
            f"{item.field}.offset: {offset} microseconds is not a whole number; {used} is used",
            InvalidInput(
                f"{item.field}.offset: Input should be a valid integer, got a number with a "
                "fractional part"
            ),
        )
        return used
    return int(offset)


def keyframe_placements(
    draft: Draft, items: Sequence[KeyframeRequest], notes: Adjustments
) -> list[edits.KeyframePlacement]:
    """One placement per item and segment, times and values in the editor's units."""
    kinds = {s.id: (t.kind, s) for t in draft.tracks for s in t.segments}
    placements = []
    for item in items:
        editor, axis = keyframe_property(item)
        if item.segment_id is not None:
            segment_ids = [item.segment_id]
        else:
            allowed = (
                (TrackKind.VIDEO, TrackKind.AUDIO)
                if editor == "KFTypeVolume"
                else (TrackKind.VIDEO,)
            )
            segment_ids = [
                sid
                for sid, (kind, segment) in kinds.items()
                if kind in allowed and isinstance(segment, MediaSegment)
            ]
            if not segment_ids:
                raise InvalidInput(
                    f"{item.field}: the draft has no segment to animate; add videos or images "
                    "first or give segment_id"
                )
        value = item.value
        if axis == "x":
            value = value / (draft.canvas.width / 2)
        elif axis == "y":
            value = (0.0 - value) / (draft.canvas.height / 2)
        if item.time is None and item.offset is None:
            raise InvalidInput(
                f"{item.field}.time is required (microseconds from the segment's start)"
            )
        for segment_id in segment_ids:
            found = kinds.get(segment_id)
            # An unknown segment id is reported by edits.with_keyframes, naming the field.
            time = _time(item, found[1], notes) if found else 0
            placements.append(edits.KeyframePlacement(item.field, segment_id, editor, time, value))
    return placements
