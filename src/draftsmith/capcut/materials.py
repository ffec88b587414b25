"""Entries of `materials.*`: the media, speed and text objects that segments point at.

Field sets and their order follow pyJianYingDraft 0.3.1 (`local_materials.py`, `segment.py`,
`text_segment.py`), which is what the editor is known to accept.
"""

from __future__ import annotations

import json
from typing import Any

from draftsmith.capcut.ids import derived_id
from draftsmith.capcut.paths import material_path
from draftsmith.timeline.model import (
    PHOTO_DURATION_US,
    MediaKind,
    MediaSegment,
    Shadow,
    TextSegment,
    TextStyle,
    TrackKind,
)

Json = dict[str, Any]

_FULL_FRAME_CROP = {
    "upper_left_x": 0.0,
    "upper_left_y": 0.0,
    "upper_right_x": 1.0,
    "upper_right_y": 0.0,
    "lower_left_x": 0.0,
    "lower_left_y": 1.0,
    "lower_right_x": 1.0,
    "lower_right_y": 1.0,
}

# pyJianYingDraft's TextBorder default: 40 on the editor's 0-100 slider, stored as 40 / 100 * 0.2.
_BORDER_WIDTH = 0.08
_CHECK_FLAG_TEXT = 7
_CHECK_FLAG_BORDER = 8
_CHECK_FLAG_SHADOW = 32


def speed_id(segment: MediaSegment) -> str:
    return derived_id("speed", segment.id)


def speed_material(segment: MediaSegment) -> Json:
    return {
        "curve_speed": None,
        "id": speed_id(segment),
        "mode": 0,
        "speed": segment.speed,
        "type": "speed",
    }


def media_material(track_kind: TrackKind, segment: MediaSegment) -> tuple[str, Json]:
    """The `materials` list name and entry for the file `segment` plays on a `track_kind` track."""
    media = segment.media
    if track_kind is TrackKind.VIDEO and media.kind in (MediaKind.VIDEO, MediaKind.IMAGE):
        return "videos", _video_material(segment)
    if track_kind is TrackKind.AUDIO and media.kind in (MediaKind.AUDIO, MediaKind.VIDEO):
        return "audios", _audio_material(segment)
    raise ValueError(
        f"segment {segment.id}: {media.kind} media cannot play on a {track_kind} track"
    )


def _media_duration(segment: MediaSegment) -> int:
    # A media file without a probed duration is at least as long as the part the segment uses.
    duration = segment.media.duration_us
    return duration if duration is not None else segment.source.end


def _video_material(segment: MediaSegment) -> Json:
    media = segment.media
    is_photo = media.kind is MediaKind.IMAGE
    return {
        "audio_fade": None,
        "category_id": "",
        "category_name": "local",
        "check_flag": 63487,
        "crop": dict(_FULL_FRAME_CROP),
        "crop_ratio": "free",
        "crop_scale": 1.0,
        "duration": PHOTO_DURATION_US if is_photo else _media_duration(segment),
        "height": media.height or 0,
        "id": segment.material_id,
        "local_material_id": "",
        "material_id": segment.material_id,
        "material_name": segment.source_name,
        "media_path": "",
        "path": material_path(media),
        "type": "photo" if is_photo else "video",
        "width": media.width or 0,
    }


def _audio_material(segment: MediaSegment) -> Json:
    return {
        "app_id": 0,
        "category_id": "",
        "category_name": "local",
        "check_flag": 3,
        "copyright_limit_type": "none",
        "duration": _media_duration(segment),
        "effect_id": "",
        "formula_id": "",
        "id": segment.material_id,
        "local_material_id": segment.material_id,
        "music_id": segment.material_id,
        "name": segment.source_name,
        "path": material_path(segment.media),
        "source_platform": 0,
        "type": "extract_music",
        "wave_points": [],
    }


def utf16_length(text: str) -> int:
    """Length of `text` in UTF-16 code units, the unit of text style ranges."""
    return len(text.encode("utf-16-le")) // 2


def rgb(color: str) -> list[float]:
    """A "#rrggbb" colour as the editor's [r, g, b] floats in 0..1."""
    digits = color.removeprefix("#")
    if len(digits) != 6:
        raise ValueError(f"colour must look like #rrggbb, got {color!r}")
    return [int(digits[i : i + 2], 16) / 255 for i in (0, 2, 4)]


def _layout(alignment: int) -> tuple[int, int]:
    """(typesetting, alignment) for a capcut-mate alignment 0-5.

    0-2 are left/centre/right in horizontal text; 3-5 are vertical text (typesetting 1) with
    centre/left/right (capcut-mate add_captions docs); the editor keeps 0/1/2 for the latter.
    """
    if alignment in (0, 1, 2):
        return 0, alignment
    vertical = {3: 1, 4: 0, 5: 2}
    if alignment in vertical:
        return 1, vertical[alignment]
    raise ValueError(f"text alignment must be 0-5, got {alignment}")


def _shadow(shadow: Shadow) -> Json:
    return {
        # The editor stores its 0-100 diffuse slider divided by 600 (pyJianYingDraft TextShadow).
        "diffuse": shadow.diffuse / 100.0 / 6,
        "alpha": shadow.alpha,
        "distance": shadow.distance,
        "content": {"solid": {"color": rgb(shadow.color)}},
        "angle": shadow.angle,
    }


def _style(text: str, style: TextStyle) -> Json:
    strokes = []
    if style.border_color is not None:
        strokes.append(
            {
                "content": {"solid": {"alpha": 1.0, "color": rgb(style.border_color)}},
                "width": _BORDER_WIDTH,
            }
        )
    entry: Json = {
        "fill": {
            "alpha": 1.0,
            "content": {"render_type": "solid", "solid": {"alpha": 1.0, "color": rgb(style.color)}},
        },
        "range": [0, utf16_length(text)],
        "size": style.font_size,
        "bold": style.bold,
        "italic": style.italic,
        "underline": style.underline,
        "strokes": strokes,
    }
    if style.shadow is not None:
        entry["shadows"] = [_shadow(style.shadow)]
    return entry


def text_material(segment: TextSegment) -> Json:
    style = segment.style
    check_flag = _CHECK_FLAG_TEXT
    if style.border_color is not None:
        check_flag |= _CHECK_FLAG_BORDER
    if style.shadow is not None:
        check_flag |= _CHECK_FLAG_SHADOW
    typesetting, alignment = _layout(style.alignment)
    content = {"styles": [_style(segment.text, style)], "text": segment.text}
    return {
        "id": segment.material_id,
        "content": json.dumps(content, ensure_ascii=False, allow_nan=False),
        "typesetting": typesetting,
        "alignment": alignment,
        # Spacing is in the editor's UI units, mapped as pyJianYingDraft's TextStyle does.
        "letter_spacing": style.letter_spacing * 0.05,
        "line_spacing": 0.02 + style.line_spacing * 0.05,
        "line_feed": 1,
        "line_max_width": 0.82,
        "force_apply_line_max_width": False,
        "check_flag": check_flag,
        # "subtitle" wraps long lines automatically, as capcut-mate's captions do.
        "type": "subtitle",
        # capcut-mate puts a caption's opacity here rather than in the segment's clip.
        "global_alpha": segment.clip.alpha,
    }
