"""Entries of `materials.*`: the media and speed objects that segments point at.

Field sets and their order follow pyJianYingDraft 0.3.1 (`local_materials.py`, `segment.py`),
which is what the editor is known to accept. Text materials are in `text_material`.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

from draftsmith.capcut.ids import derived_id
from draftsmith.capcut.paths import material_path
from draftsmith.timeline.model import (
    PHOTO_DURATION_US,
    Animations,
    AudioEffect,
    EffectParam,
    EffectSegment,
    Mask,
    MediaKind,
    MediaSegment,
    StickerSegment,
    TextEffect,
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


def animation_material(animations: Animations) -> Json:
    """The `materials.material_animations` entry, shaped like pyJianYingDraft's
    `SegmentAnimations` export."""
    video = animations.video
    return {
        "id": animations.id,
        "type": "sticker_animation",
        "multi_language_current": "none",
        "animations": [
            {
                "anim_adjust_params": None,
                "platform": "all",
                "panel": "video" if video else "",
                "material_type": "video" if video else "sticker",
                "name": a.name,
                "id": a.effect_id,
                "type": a.type,
                "resource_id": a.resource_id,
                "start": a.start,
                "duration": a.duration,
            }
            for a in animations.items
        ],
    }


def transition_material(segment: MediaSegment) -> Json | None:
    """The `materials.transitions` entry of `segment`'s transition, shaped like
    pyJianYingDraft's `Transition` export; None without one."""
    transition = segment.transition
    if transition is None:
        return None
    return {
        "category_id": "",
        "category_name": "",
        "duration": transition.duration,
        "effect_id": transition.effect_id,
        "id": transition.id,
        "is_overlap": transition.is_overlap,
        "name": transition.name,
        "platform": "all",
        "resource_id": transition.resource_id,
        "type": "transition",
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


def effect_material(segment: EffectSegment) -> tuple[str, Json]:
    """The `materials` list name and entry of an effect or filter segment's material, shaped
    like pyJianYingDraft's `Filter` (into `effects`) and `VideoEffect` (into `video_effects`,
    applied globally as its `EffectSegment` does) exports."""
    if segment.effect_type == "filter":
        return "effects", {
            "adjust_params": [],
            "algorithm_artifact_path": "",
            "apply_target_type": 0,
            "bloom_params": None,
            "category_id": "",
            "category_name": "",
            "color_match_info": {
                "source_feature_path": "",
                "target_feature_path": "",
                "target_image_path": "",
            },
            "effect_id": segment.effect_id,
            "enable_skin_tone_correction": False,
            "exclusion_group": [],
            "face_adjust_params": [],
            "formula_id": "",
            "id": segment.material_id,
            "intensity_key": "",
            "multi_language_current": "",
            "name": segment.name,
            "panel_id": "",
            "platform": "all",
            "resource_id": segment.resource_id,
            "source_platform": 1,
            "sub_type": "none",
            "time_range": None,
            "type": "filter",
            "value": segment.value,
            "version": "",
        }
    return "video_effects", {
        "adjust_params": _adjust_params(segment.params),
        "apply_target_type": 2,
        "apply_time_range": None,
        "category_id": "",
        "category_name": "",
        "common_keyframes": [],
        "disable_effect_faces": [],
        "effect_id": segment.effect_id,
        "formula_id": "",
        "id": segment.material_id,
        "name": segment.name,
        "platform": "all",
        "render_index": 11000,
        "resource_id": segment.resource_id,
        "source_platform": 0,
        "time_range": None,
        "track_render_index": 0,
        "type": segment.effect_type,
        "value": 1.0,
        "version": "",
    }


def _adjust_params(params: Sequence[EffectParam]) -> list[Json]:
    """An effect's parameters as the editor lists them (`adjust_params`)."""
    return [
        {
            "default_value": p.default,
            "max_value": p.max,
            "min_value": p.min,
            "name": p.name,
            "parameterIndex": index,
            "portIndex": 0,
            "value": p.value,
        }
        for index, p in enumerate(params)
    ]


_AUDIO_EFFECT_CATEGORIES = {
    "sound_effect": ("场景音", 1),
    "tone": ("音色", 2),
    "speech_to_song": ("声音成曲", 3),
}
"""The editor's name and sub_type of each audio effect category (pyJianYingDraft's)."""


def audio_effect_material(effect: AudioEffect) -> Json:
    """The `materials.audio_effects` entry, shaped like pyJianYingDraft's
    `AudioEffect.export_json`: a voice tone has no category fields there, so none here."""
    entry: Json = {
        "audio_adjust_params": _adjust_params(effect.params),
        "id": effect.id,
        "name": effect.name,
        "resource_id": effect.resource_id,
        "type": "audio_effect",
    }
    if effect.category == "tone":
        return entry
    category_name, sub_type = _AUDIO_EFFECT_CATEGORIES[effect.category]
    entry.update(
        {
            "category_id": effect.category,
            "category_name": category_name,
            "is_ugc": False,
            "production_path": "",
            "speaker_id": "",
            "sub_type": sub_type,
            "time_range": {"duration": 0, "start": 0},
        }
    )
    return entry


def mask_material(mask: Mask) -> Json:
    """The `materials.masks` entry, shaped like pyJianYingDraft's `Mask.export_json`."""
    return {
        "config": {
            "aspectRatio": mask.aspect_ratio,
            "centerX": mask.center_x,
            "centerY": mask.center_y,
            "feather": mask.feather,
            "height": mask.height,
            "invert": mask.invert,
            "rotation": mask.rotation,
            "roundCorner": mask.round_corner,
            "width": mask.width,
        },
        "id": mask.id,
        "name": mask.name,
        "platform": "all",
        "position_info": "",
        "resource_type": mask.resource_type,
        "resource_id": mask.resource_id,
        "type": "mask",
    }


def common_mask_material(mask: Mask) -> Json:
    """The `materials.common_mask` entry newer editors read instead, shaped like
    pyJianYingDraft's `Mask.export_common_json`; same id as `mask_material`."""
    entry = mask_material(mask)
    entry.update(
        {
            "category": "video",
            "category_id": "jichu",
            "category_name": "基础",
            "is_old_version": False,
            "loader_work_space": "",
            "panel": "",
            "source_platform": 0,
            "track_segment": "",
            "text_config": {
                "align_type": 15,
                "bold_width": 0.0,
                "char_spacing": 0.0,
                "content": "",
                "font_name": "",
                "font_path": "",
                "font_resource_id": "",
                "font_size": 15.0,
                "has_underline": False,
                "italic_degree": 0,
                "line_gap": 0.0,
                "scale": 1.0,
            },
        }
    )
    entry["config"] = dict(entry["config"], expansion=0.0)
    return entry


def text_effect_material(effect: TextEffect) -> Json:
    """A caption's text effect (花字) for `materials.effects`: pyJianYingDraft's `TextEffect`
    export, whose effect id is also its resource id."""
    return {
        "apply_target_type": 0,
        "effect_id": effect.effect_id,
        "id": effect.id,
        "resource_id": effect.effect_id,
        "type": "text_effect",
        "value": 1.0,
        "source_platform": 1,
    }


def sticker_material(segment: StickerSegment) -> Json:
    """The `materials.stickers` entry: pyJianYingDraft's StickerSegment.export_material. The
    editor fetches the sticker itself by `resource_id`."""
    return {
        "id": segment.material_id,
        "resource_id": segment.resource_id,
        "sticker_id": segment.resource_id,
        "source_platform": 1,
        "type": "sticker",
    }
