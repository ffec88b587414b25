"""A draft's timeline JSON read into the model: every track, and every segment the model has a
kind for, as its own objects; what it has no kind for is listed for `attach` to keep.

Field meanings are those draftsmith's encoder writes (draftsmith.capcut), which follow
pyJianYingDraft; values the model does not hold are left to the opaque parts, so reading
only what the model needs loses nothing.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from draftsmith.capcut.text_material import rgb
from draftsmith.errors import NotADraft
from draftsmith.timeline.model import (
    Animation,
    Animations,
    AudioEffect,
    Canvas,
    Clip,
    EffectParam,
    EffectSegment,
    Font,
    Keyframe,
    KeyframeList,
    Mask,
    Media,
    MediaKind,
    MediaSegment,
    Segment,
    Shadow,
    StickerSegment,
    TextEffect,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
    Transition,
)

Json = dict[str, Any]
Resolve = Callable[[str, Json, MediaKind], Media]
"""(where, material, kind it should be) -> the media a material's file is, found or missing."""

_TRACK_KINDS = {kind.value: kind for kind in TrackKind}
_VERTICAL_ALIGNMENT = {1: 3, 0: 4, 2: 5}


@dataclass
class ParsedTrack:
    track: Track
    original: Json | None
    """The track's JSON; None for a track added only to carry the draft's part."""
    unknown: list[tuple[int, Json]] = field(default_factory=list)
    """Segments the model has no kind for, with their index in the track."""


@dataclass
class Parsed:
    canvas: Canvas
    name: str
    created_at_us: int | None
    tracks: list[ParsedTrack]
    segments: dict[str, Json]
    """Each modelled segment's JSON, by segment id."""
    warnings: list[str]


def _number(value: Any, where: str) -> float:
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise NotADraft(f"{where} should be a number, got {json.dumps(value)[:80]}")
    return float(value)


def _int(value: Any, where: str) -> int:
    return int(_number(value, where))


def _range(value: Any, where: str) -> Timerange:
    if not isinstance(value, dict):
        raise NotADraft(f"{where} should be an object with start and duration")
    start = _int(value.get("start"), f"{where}.start")
    duration = _int(value.get("duration"), f"{where}.duration")
    if start < 0 or duration <= 0:
        raise NotADraft(f"{where} must have start >= 0 and duration > 0")
    return Timerange(start, duration)


def _float(data: Any, key: str, default: float) -> float:
    value = data.get(key) if isinstance(data, dict) else None
    return (
        float(value) if isinstance(value, int | float) and not isinstance(value, bool) else default
    )


def _str(data: Any, key: str, default: str = "") -> str:
    value = data.get(key) if isinstance(data, dict) else None
    return value if isinstance(value, str) else default


class _Materials:
    def __init__(self, materials: Json) -> None:
        self.by_id: dict[str, tuple[str, Json]] = {}
        for name, items in materials.items():
            if isinstance(items, list):
                for item in items:
                    if isinstance(item, dict) and isinstance(item.get("id"), str):
                        self.by_id.setdefault(item["id"], (name, item))

    def get(self, material_id: Any) -> tuple[str, Json] | None:
        return self.by_id.get(material_id) if isinstance(material_id, str) else None

    def refs(self, segment: Json, *lists: str) -> list[Json]:
        refs = segment.get("extra_material_refs")
        found = []
        for ref in refs if isinstance(refs, list) else []:
            hit = self.get(ref)
            if hit is not None and hit[0] in lists:
                found.append(hit[1])
        return found


def _clip(segment: Json, canvas: Canvas, alpha: float | None = None) -> Clip:
    clip = segment.get("clip")
    if not isinstance(clip, dict):
        return Clip()
    scale, transform = clip.get("scale"), clip.get("transform")
    return Clip(
        alpha=_float(clip, "alpha", 1.0) if alpha is None else alpha,
        scale_x=_float(scale, "x", 1.0),
        scale_y=_float(scale, "y", 1.0),
        transform_x=_float(transform, "x", 0.0) * canvas.width / 2,
        transform_y=0.0 - _float(transform, "y", 0.0) * canvas.height / 2,
    )


def _keyframes(segment: Json) -> tuple[KeyframeList, ...]:
    lists = segment.get("common_keyframes")
    out = []
    for entry in lists if isinstance(lists, list) else []:
        if not isinstance(entry, dict) or not isinstance(entry.get("keyframe_list"), list):
            continue
        frames = []
        for frame in entry["keyframe_list"]:
            values = frame.get("values") if isinstance(frame, dict) else None
            if isinstance(values, list) and values and isinstance(values[0], int | float):
                frames.append(
                    Keyframe(
                        id=_str(frame, "id"),
                        time_offset=int(_float(frame, "time_offset", 0)),
                        value=float(values[0]),
                    )
                )
        out.append(KeyframeList(_str(entry, "id"), _str(entry, "property_type"), tuple(frames)))
    return tuple(out)


def _animations(materials: _Materials, segment: Json, video: bool) -> Animations | None:
    for material in materials.refs(segment, "material_animations"):
        items = material.get("animations")
        return Animations(
            id=material["id"],
            video=video,
            items=tuple(
                Animation(
                    type=_str(a, "type"),
                    name=_str(a, "name"),
                    effect_id=_str(a, "id"),
                    resource_id=_str(a, "resource_id"),
                    start=int(_float(a, "start", 0)),
                    duration=int(_float(a, "duration", 0)),
                )
                for a in (items if isinstance(items, list) else [])
                if isinstance(a, dict)
            ),
        )
    return None


def _transition(materials: _Materials, segment: Json) -> Transition | None:
    for m in materials.refs(segment, "transitions"):
        return Transition(
            id=m["id"],
            name=_str(m, "name"),
            effect_id=_str(m, "effect_id"),
            resource_id=_str(m, "resource_id"),
            duration=int(_float(m, "duration", 0)),
            is_overlap=bool(m.get("is_overlap", False)),
        )
    return None


def _mask(materials: _Materials, segment: Json) -> Mask | None:
    for m in materials.refs(segment, "masks", "common_mask"):
        config = m.get("config")
        return Mask(
            id=m["id"],
            name=_str(m, "name"),
            resource_type=_str(m, "resource_type"),
            resource_id=_str(m, "resource_id"),
            center_x=_float(config, "centerX", 0.0),
            center_y=_float(config, "centerY", 0.0),
            width=_float(config, "width", 1.0),
            height=_float(config, "height", 1.0),
            aspect_ratio=_float(config, "aspectRatio", 1.0),
            rotation=_float(config, "rotation", 0.0),
            invert=bool(config.get("invert", False)) if isinstance(config, dict) else False,
            feather=_float(config, "feather", 0.0),
            round_corner=_float(config, "roundCorner", 0.0),
        )
    return None


_AUDIO_EFFECT_CATEGORIES = frozenset({"sound_effect", "speech_to_song"})
"""The categories an audio effect material names; a voice tone names none (pyJianYingDraft's
`AudioEffect.export_json`)."""


def _params(params: Any) -> tuple[EffectParam, ...]:
    return tuple(
        EffectParam(
            name=_str(p, "name"),
            default=_float(p, "default_value", 0.0),
            min=_float(p, "min_value", 0.0),
            max=_float(p, "max_value", 1.0),
            value=_float(p, "value", 0.0),
        )
        for p in (params if isinstance(params, list) else [])
        if isinstance(p, dict)
    )


def _audio_effect(materials: _Materials, segment: Json) -> AudioEffect | None:
    """The segment's first audio effect; one of a category draftsmith does not know stays as
    it is in the opaque parts."""
    for m in materials.refs(segment, "audio_effects"):
        category = m.get("category_id", "tone")
        if category != "tone" and category not in _AUDIO_EFFECT_CATEGORIES:
            continue
        return AudioEffect(
            id=m["id"],
            name=_str(m, "name"),
            category=category,
            resource_id=_str(m, "resource_id"),
            params=_params(m.get("audio_adjust_params")),
        )
    return None


def _media_kind(list_name: str, material: Json) -> MediaKind:
    if list_name == "audios":
        return MediaKind.AUDIO
    return MediaKind.IMAGE if material.get("type") == "photo" else MediaKind.VIDEO


def _color(value: Any, default: str | None) -> str | None:
    if (
        isinstance(value, list)
        and len(value) == 3
        and all(isinstance(c, int | float) for c in value)
    ):
        return "#" + "".join(f"{max(0, min(255, round(c * 255))):02x}" for c in value)
    if isinstance(value, str) and value:
        try:
            rgb(value)
        except ValueError:
            return default
        return value.lower()
    return default


def _text_style(material: Json, run: Json) -> TextStyle:
    fill = run.get("fill")
    content = fill.get("content") if isinstance(fill, dict) else None
    solid = content.get("solid") if isinstance(content, dict) else None
    font = run.get("font")
    font_id = _str(font, "id")
    typesetting, alignment = (
        int(_float(material, "typesetting", 0)),
        int(_float(material, "alignment", 1)),
    )
    if typesetting == 1:
        alignment = _VERTICAL_ALIGNMENT.get(alignment, 3)
    elif alignment not in (0, 1, 2):
        alignment = 1
    shadow = None
    if material.get("has_shadow") is True:
        shadow = Shadow(
            color=_color(material.get("shadow_color"), "#000000") or "#000000",
            alpha=_float(material, "shadow_alpha", 1.0),
            diffuse=_float(material, "shadow_smoothing", 0.45) / 0.03,
            distance=_float(material, "shadow_distance", 5.0),
            angle=_float(material, "shadow_angle", -45.0),
        )
    return TextStyle(
        font_size=_float(material, "font_size", _float(run, "size", 15.0)),
        color=_color(solid.get("color") if isinstance(solid, dict) else None, "#ffffff")
        or "#ffffff",
        bold=bool(run.get("bold", False)),
        italic=bool(run.get("italic", False)),
        underline=bool(run.get("underline", False)),
        alignment=alignment,
        border_color=_color(material.get("border_color"), None),
        shadow=shadow,
        letter_spacing=_float(material, "letter_spacing", 0.0) / 0.05,
        line_spacing=(_float(material, "line_spacing", 0.02) - 0.02) / 0.05,
        font=Font(_str(material, "font_name"), font_id) if font_id else None,
    )


class _Reader:
    def __init__(self, content: Json, resolve: Resolve) -> None:
        self.materials = _Materials(content["materials"])
        self.resolve = resolve
        canvas = content["canvas_config"]
        width = _int(canvas.get("width"), "canvas_config.width")
        height = _int(canvas.get("height"), "canvas_config.height")
        if not (0 < width <= 16384 and 0 < height <= 16384):
            raise NotADraft(f"canvas_config is {width}x{height}; no editor makes that")
        fps = content.get("fps", 30)
        self.canvas = Canvas(
            width, height, round(fps) if isinstance(fps, int | float) and 1 <= fps <= 240 else 30
        )

    def segment(self, kind: TrackKind, entry: Json, where: str) -> Segment | None:
        hit = self.materials.get(entry.get("material_id"))
        if hit is None or not isinstance(entry.get("id"), str):
            return None
        list_name, material = hit
        target = _range(entry.get("target_timerange"), f"{where}.target_timerange")
        base = {"id": entry["id"], "material_id": material["id"], "target": target}
        if kind in (TrackKind.VIDEO, TrackKind.AUDIO) and list_name == (
            "videos" if kind is TrackKind.VIDEO else "audios"
        ):
            return self.media(kind, entry, list_name, material, where, base)
        if kind is TrackKind.TEXT and list_name == "texts":
            return self.text(entry, material, base)
        if kind is TrackKind.EFFECT and list_name == "video_effects":
            return self.effect(material, base, _str(material, "type", "video_effect"))
        if kind is TrackKind.FILTER and list_name == "effects" and material.get("type") == "filter":
            return self.effect(material, base, "filter")
        if kind is TrackKind.STICKER and list_name == "stickers":
            resource = _str(material, "resource_id") or _str(material, "sticker_id")
            return StickerSegment(**base, resource_id=resource, clip=_clip(entry, self.canvas))
        return None

    def media(
        self, kind: TrackKind, entry: Json, list_name: str, material: Json, where: str, base: Json
    ) -> MediaSegment:
        media = self.resolve(f"{where}.material_id", material, _media_kind(list_name, material))
        source_entry = entry.get("source_timerange")
        source = (
            _range(source_entry, f"{where}.source_timerange")
            if source_entry is not None
            else Timerange(0, base["target"].duration)
        )
        name = _str(material, "material_name") or _str(material, "name")
        return MediaSegment(
            **base,
            media=media,
            source_name=name,
            source=source,
            volume=_float(entry, "volume", 1.0),
            clip=_clip(entry, self.canvas) if kind is TrackKind.VIDEO else None,
            transition=_transition(self.materials, entry),
            animations=_animations(self.materials, entry, video=True),
            mask=_mask(self.materials, entry),
            keyframes=_keyframes(entry),
            audio_effect=_audio_effect(self.materials, entry) if kind is TrackKind.AUDIO else None,
        )

    def text(self, entry: Json, material: Json, base: Json) -> TextSegment:
        try:
            content = json.loads(_str(material, "content", "{}"))
        except ValueError:
            content = {}
        if not isinstance(content, dict):
            content = {}
        styles = content.get("styles")
        first = (
            styles[0] if isinstance(styles, list) and styles and isinstance(styles[0], dict) else {}
        )
        effect = None
        for m in self.materials.refs(entry, "effects"):
            if m.get("type") == "text_effect":
                effect = TextEffect(m["id"], _str(m, "effect_id") or _str(m, "resource_id"))
        return TextSegment(
            **base,
            text=_str(content, "text"),
            style=_text_style(material, first),
            clip=_clip(entry, self.canvas, alpha=_float(material, "global_alpha", 1.0)),
            animations=_animations(self.materials, entry, video=False),
            effect=effect,
            keyframes=_keyframes(entry),
        )

    def effect(self, material: Json, base: Json, effect_type: str) -> EffectSegment:
        return EffectSegment(
            **base,
            name=_str(material, "name"),
            effect_type=effect_type,
            effect_id=_str(material, "effect_id"),
            resource_id=_str(material, "resource_id"),
            value=_float(material, "value", 1.0) if effect_type == "filter" else 1.0,
            params=_params(material.get("adjust_params")),
        )


def parse(content: Json, resolve: Resolve, new_id: Callable[[], str]) -> Parsed:
    """The model of the timeline `content` (a checked timeline file); `resolve` finds the
    media each video, photo and audio material names."""
    reader = _Reader(content, resolve)
    tracks: list[ParsedTrack] = []
    segments: dict[str, Json] = {}
    warnings: list[str] = []
    for t_index, entry in enumerate(content["tracks"]):
        where = f"tracks[{t_index}]"
        if not isinstance(entry, dict) or not isinstance(entry.get("segments"), list):
            raise NotADraft(f"{where} is not a track (an object with segments)")
        kind = _TRACK_KINDS.get(_str(entry, "type"))
        modelled: list[Segment] = []
        parsed = ParsedTrack(
            Track(_str(entry, "id") or new_id(), kind or TrackKind.EFFECT, _str(entry, "name"), ()),
            entry,
        )
        for s_index, segment in enumerate(entry["segments"]):
            if not isinstance(segment, dict):
                raise NotADraft(f"{where}.segments[{s_index}] is not a segment (an object)")
            made = (
                reader.segment(kind, segment, f"{where}.segments[{s_index}]")
                if kind is not None
                else None
            )
            if made is None or made.id in segments:
                parsed.unknown.append((s_index, segment))
            else:
                modelled.append(made)
                segments[made.id] = segment
        if parsed.unknown:
            what = f"a track of type {_str(entry, 'type')!r}" if kind is None else where
            warnings.append(
                f"{where}: {len(parsed.unknown)} segment(s) of {what} that draftsmith does not "
                "model are kept as they are and written back on export"
            )
        parsed.track = Track(parsed.track.id, parsed.track.kind, parsed.track.name, tuple(modelled))
        tracks.append(parsed)
    created = content.get("create_time")
    return Parsed(
        canvas=reader.canvas,
        name=_str(content, "name"),
        created_at_us=int(created * 1_000_000)
        if isinstance(created, int | float) and created > 0
        else None,
        tracks=tracks,
        segments=segments,
        warnings=warnings,
    )
