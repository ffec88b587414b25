"""Entries of `tracks[].segments`, shaped like pyJianYingDraft 0.3.1's segment exports.

Field sets and order follow `segment.py` (BaseSegment, MediaSegment, VisualSegment),
`video_segment.py` and `audio_segment.py`; `render_index` comes last, as `ScriptFile.dumps`
appends it.
"""

from __future__ import annotations

from draftsmith.capcut.materials import Json, speed_id
from draftsmith.timeline.model import (
    Canvas,
    Clip,
    EffectSegment,
    KeyframeList,
    MediaSegment,
    StickerSegment,
    TextSegment,
    Timerange,
    TrackKind,
)

_HDR_SETTINGS = {"intensity": 1.0, "mode": 1, "nits": 1000}


def _timerange(timerange: Timerange) -> Json:
    return {"start": timerange.start, "duration": timerange.duration}


def _base(segment_id: str, material_id: str, target: Timerange, volume: float) -> Json:
    return {
        "enable_adjust": True,
        "enable_color_correct_adjust": False,
        "enable_color_curves": True,
        "enable_color_match_adjust": False,
        "enable_color_wheels": True,
        "enable_lut": True,
        "enable_smart_color_adjust": False,
        # What un-muting restores; a muted segment falls back to full volume.
        "last_nonzero_volume": volume if volume > 0 else 1.0,
        "reverse": False,
        "track_attribute": 0,
        "track_render_index": 0,
        "visible": True,
        "id": segment_id,
        "material_id": material_id,
        "target_timerange": _timerange(target),
        "common_keyframes": [],
        "keyframe_refs": [],
    }


def clip_json(clip: Clip, canvas: Canvas, *, alpha: float | None = None) -> Json:
    """The editor's `clip` for `clip`, whose transform is in canvas pixels, y pointing down.

    The editor measures transform in half canvas widths/heights with y pointing up
    (pyJianYingDraft `segment.py` ClipSettings: "transform_x/y: 单位为半个画布宽/高", and
    captions the editor imports sit at transform_y -0.8, below the centre).
    """
    return {
        "alpha": clip.alpha if alpha is None else alpha,
        "flip": {"horizontal": False, "vertical": False},
        "rotation": 0.0,
        "scale": {"x": clip.scale_x, "y": clip.scale_y},
        "transform": {
            "x": clip.transform_x / (canvas.width / 2),
            # 0.0 - y rather than -y so that no offset is written as 0.0, not -0.0.
            "y": (0.0 - clip.transform_y) / (canvas.height / 2),
        },
    }


def _uniform_scale(clip: Clip) -> Json:
    return {"on": clip.scale_x == clip.scale_y, "value": 1.0}


_SCALE_KEYFRAMES = ("KFTypeScaleX", "KFTypeScaleY")
"""Keyframes that scale one axis: pyJianYingDraft turns uniform scale off for them."""


def _keyframe_list(keyframes: KeyframeList) -> Json:
    """A `common_keyframes` entry, shaped like pyJianYingDraft's `KeyframeList` export."""
    return {
        "id": keyframes.id,
        "keyframe_list": [
            {
                "curveType": "Line",
                "graphID": "",
                "left_control": {"x": 0.0, "y": 0.0},
                "right_control": {"x": 0.0, "y": 0.0},
                "id": k.id,
                "time_offset": k.time_offset,
                "values": [k.value],
            }
            for k in keyframes.keyframes
        ],
        "material_id": "",
        "property_type": keyframes.property,
    }


def media_segment(
    track_kind: TrackKind, segment: MediaSegment, canvas: Canvas, render_index: int
) -> Json:
    """The segment entry for a video, photo or audio segment; its speed material is derived."""
    entry = _base(segment.id, segment.material_id, segment.target, segment.volume)
    entry.update(
        {
            "source_timerange": _timerange(segment.source),
            "speed": segment.speed,
            "volume": segment.volume,
            "extra_material_refs": [
                speed_id(segment),
                *([segment.animations.id] if segment.animations else []),
                *([segment.transition.id] if segment.transition else []),
                *([segment.mask.id] if segment.mask else []),
                *([segment.audio_effect.id] if segment.audio_effect else []),
            ],
            "is_tone_modify": False,
        }
    )
    if segment.keyframes:
        entry["common_keyframes"] = [_keyframe_list(k) for k in segment.keyframes]
    if track_kind is TrackKind.AUDIO:
        entry.update({"clip": None, "hdr_settings": None})
    else:
        clip = segment.clip or Clip()
        entry.update(
            {
                "clip": clip_json(clip, canvas),
                "uniform_scale": _uniform_scale(clip)
                if not any(k.property in _SCALE_KEYFRAMES for k in segment.keyframes)
                else {"on": False, "value": 1.0},
                "hdr_settings": dict(_HDR_SETTINGS),
            }
        )
    entry["render_index"] = render_index
    return entry


def text_segment(segment: TextSegment, canvas: Canvas, render_index: int) -> Json:
    """The segment entry for a caption.

    pyJianYingDraft also puts a speed id in a text segment's refs without adding the speed
    material; we leave refs empty so every ref resolves.
    """
    entry = _base(segment.id, segment.material_id, segment.target, 1.0)
    entry.update(
        {
            "source_timerange": None,
            "speed": 1.0,
            "volume": 1.0,
            "extra_material_refs": [
                *([segment.animations.id] if segment.animations else []),
                *([segment.effect.id] if segment.effect else []),
            ],
            "is_tone_modify": False,
            # The caption's opacity is the text material's global_alpha (as capcut-mate does).
            "clip": clip_json(segment.clip, canvas, alpha=1.0),
            "uniform_scale": _uniform_scale(segment.clip)
            if not any(k.property in _SCALE_KEYFRAMES for k in segment.keyframes)
            else {"on": False, "value": 1.0},
            "render_index": render_index,
        }
    )
    if segment.keyframes:
        entry["common_keyframes"] = [_keyframe_list(k) for k in segment.keyframes]
    return entry


def effect_segment(segment: EffectSegment, render_index: int) -> Json:
    """The segment entry for an effect or filter: pyJianYingDraft's BaseSegment export."""
    entry = _base(segment.id, segment.material_id, segment.target, 1.0)
    entry["render_index"] = render_index
    return entry


def sticker_segment(segment: StickerSegment, canvas: Canvas, render_index: int) -> Json:
    """The segment entry for a sticker: pyJianYingDraft's StickerSegment export (a visual
    segment without source range or hdr_settings).

    Like text segments, no speed id in the refs: pyJianYingDraft puts one there without adding
    the speed material, and we keep every ref resolvable.
    """
    entry = _base(segment.id, segment.material_id, segment.target, 1.0)
    entry.update(
        {
            "source_timerange": None,
            "speed": 1.0,
            "volume": 1.0,
            "extra_material_refs": [],
            "is_tone_modify": False,
            "clip": clip_json(segment.clip, canvas),
            "uniform_scale": _uniform_scale(segment.clip)
            if not any(k.property in _SCALE_KEYFRAMES for k in segment.keyframes)
            else {"on": False, "value": 1.0},
            "render_index": render_index,
        }
    )
    if segment.keyframes:
        entry["common_keyframes"] = [_keyframe_list(k) for k in segment.keyframes]
    return entry
