"""The JSON form tracks, drafts, media and file lists are kept in.

Every adapter uses the same form, so a draft moves between SQLite and PostgreSQL unchanged and
a saved version's snapshot can be read back by any of them.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Callable
from dataclasses import asdict
from typing import Any

from draftsmith.chunks import Chunk, Run, chunked
from draftsmith.store.records import FileEntry
from draftsmith.timeline.adjustments import Adjustment
from draftsmith.timeline.model import (
    DEFAULT_PROFILE_NAME,
    Animation,
    Animations,
    AudioEffect,
    Canvas,
    Clip,
    Draft,
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


def _timerange(data: dict[str, Any]) -> Timerange:
    return Timerange(int(data["start"]), int(data["duration"]))


def media_from_dict(data: dict[str, Any]) -> Media:
    return Media(
        sha256=data["sha256"],
        kind=MediaKind(data["kind"]),
        extension=data["extension"],
        size=data["size"],
        duration_us=data["duration_us"],
        width=data["width"],
        height=data["height"],
        has_audio=data.get("has_audio", False),
        thumbnail_sha256=data.get("thumbnail_sha256"),
        strip_sha256=data.get("strip_sha256"),
        strip_frames=data.get("strip_frames", 0),
        waveform_sha256=data.get("waveform_sha256"),
        missing_path=data.get("missing_path"),
    )


def media_to_json(media: Media) -> str:
    return json.dumps(media_dict(media), sort_keys=True)


def media_from_json(text: str) -> Media:
    return media_from_dict(json.loads(text))


def _effect_segment(data: dict[str, Any]) -> EffectSegment:
    return EffectSegment(
        id=data["id"],
        material_id=data["material_id"],
        name=data["name"],
        effect_type=data["effect_type"],
        effect_id=data["effect_id"],
        resource_id=data["resource_id"],
        target=_timerange(data["target"]),
        value=float(data.get("value", 1.0)),
        params=tuple(EffectParam(**p) for p in data.get("params", ())),
    )


def _text_style(data: dict[str, Any]) -> TextStyle:
    style = dict(data)
    shadow = style.pop("shadow")
    font = style.pop("font", None)
    return TextStyle(
        **style,
        shadow=Shadow(**shadow) if shadow else None,
        font=Font(**font) if font else None,
    )


def _keyframes(data: dict[str, Any]) -> tuple[KeyframeList, ...]:
    return tuple(
        KeyframeList(
            id=k["id"],
            property=k["property"],
            keyframes=tuple(Keyframe(**f) for f in k["keyframes"]),
        )
        for k in data.get("keyframes", ())
    )


def _segment(data: dict[str, Any]) -> Segment:
    if data["type"] == "effect":
        return _effect_segment(data)
    if data["type"] == "sticker":
        image = data.get("image")
        return StickerSegment(
            id=data["id"],
            material_id=data["material_id"],
            resource_id=data["resource_id"],
            target=_timerange(data["target"]),
            clip=Clip(**data["clip"]),
            image_url=data.get("image_url"),
            image=None if image is None else media_from_dict(image),
            keyframes=_keyframes(data),
        )
    if data["type"] == "text":
        return TextSegment(
            id=data["id"],
            material_id=data["material_id"],
            text=data["text"],
            target=_timerange(data["target"]),
            style=_text_style(data["style"]),
            clip=Clip(**data["clip"]),
            animations=_animations(data.get("animations")),
            keywords=tuple(data.get("keywords", ())),
            keyword_style=_text_style(data["keyword_style"]) if "keyword_style" in data else None,
            effect=TextEffect(**data["effect"]) if "effect" in data else None,
            keyframes=_keyframes(data),
        )
    clip = data["clip"]
    return MediaSegment(
        id=data["id"],
        material_id=data["material_id"],
        media=media_from_dict(data["media"]),
        source_name=data["source_name"],
        target=_timerange(data["target"]),
        source=_timerange(data["source"]),
        volume=data["volume"],
        clip=Clip(**clip) if clip is not None else None,
        transition=_transition(data.get("transition")),
        animations=_animations(data.get("animations")),
        mask=Mask(**data["mask"]) if "mask" in data else None,
        keyframes=_keyframes(data),
        audio_effect=_audio_effect(data.get("audio_effect")),
    )


def _audio_effect(data: dict[str, Any] | None) -> AudioEffect | None:
    if data is None:
        return None
    params = tuple(EffectParam(**p) for p in data.get("params", ()))
    return AudioEffect(
        data["id"], data["name"], data["category"], data["resource_id"], params=params
    )


def _animations(data: dict[str, Any] | None) -> Animations | None:
    if data is None:
        return None
    items = tuple(Animation(**item) for item in data["items"])
    return Animations(id=data["id"], video=bool(data["video"]), items=items)


def _animations_dict(animations: Animations) -> dict[str, Any]:
    return {
        "id": animations.id,
        "video": animations.video,
        "items": [
            {
                "type": a.type,
                "name": a.name,
                "effect_id": a.effect_id,
                "resource_id": a.resource_id,
                "start": a.start,
                "duration": a.duration,
            }
            for a in animations.items
        ],
    }


def _transition(data: dict[str, Any] | None) -> Transition | None:
    return None if data is None else Transition(**data)


def _timerange_dict(timerange: Timerange) -> dict[str, int]:
    return {"start": timerange.start, "duration": timerange.duration}


def _clip_dict(clip: Clip) -> dict[str, float]:
    return {
        "alpha": clip.alpha,
        "scale_x": clip.scale_x,
        "scale_y": clip.scale_y,
        "transform_x": clip.transform_x,
        "transform_y": clip.transform_y,
    }


def media_dict(media: Media) -> dict[str, Any]:
    return {
        "sha256": media.sha256,
        "kind": media.kind.value,
        "extension": media.extension,
        "size": media.size,
        "duration_us": media.duration_us,
        "width": media.width,
        "height": media.height,
        "has_audio": media.has_audio,
        "thumbnail_sha256": media.thumbnail_sha256,
        **_pictures_dict(media),
        # Written only when set, so media that exist keep their stored form.
        **({"missing_path": media.missing_path} if media.missing_path is not None else {}),
    }


def _pictures_dict(media: Media) -> dict[str, Any]:
    """A media's strip and waveform, written only when made (media ingested before keep
    their stored form)."""
    made: dict[str, Any] = {}
    if media.strip_sha256 is not None:
        made["strip_sha256"] = media.strip_sha256
        made["strip_frames"] = media.strip_frames
    if media.waveform_sha256 is not None:
        made["waveform_sha256"] = media.waveform_sha256
    return made


def _style_dict(style: TextStyle) -> dict[str, Any]:
    # Written out by hand: dataclasses.asdict deep-copies and dominated the cost of a save.
    shadow = style.shadow
    data = {
        "font_size": style.font_size,
        "color": style.color,
        "bold": style.bold,
        "italic": style.italic,
        "underline": style.underline,
        "alignment": style.alignment,
        "border_color": style.border_color,
        "shadow": None
        if shadow is None
        else {
            "color": shadow.color,
            "alpha": shadow.alpha,
            "diffuse": shadow.diffuse,
            "distance": shadow.distance,
            "angle": shadow.angle,
        },
        "letter_spacing": style.letter_spacing,
        "line_spacing": style.line_spacing,
    }
    # Written only when set, so styles without a font keep their stored form.
    if style.font is not None:
        data["font"] = {"name": style.font.name, "resource_id": style.font.resource_id}
    return data


def _effect_dict(segment: EffectSegment) -> dict[str, Any]:
    return {
        "type": "effect",
        "id": segment.id,
        "material_id": segment.material_id,
        "name": segment.name,
        "effect_type": segment.effect_type,
        "effect_id": segment.effect_id,
        "resource_id": segment.resource_id,
        "target": _timerange_dict(segment.target),
        "value": segment.value,
        "params": [
            {"name": p.name, "default": p.default, "min": p.min, "max": p.max, "value": p.value}
            for p in segment.params
        ],
    }


def _segment_dict(segment: Segment) -> dict[str, Any]:
    if isinstance(segment, EffectSegment):
        return _effect_dict(segment)
    if isinstance(segment, StickerSegment):
        sticker: dict[str, Any] = {
            "type": "sticker",
            "id": segment.id,
            "material_id": segment.material_id,
            "resource_id": segment.resource_id,
            "target": _timerange_dict(segment.target),
            "clip": _clip_dict(segment.clip),
        }
        # Written only when set, so stickers without a picture keep their stored form; the
        # picture's "sha256" is what garbage collection finds it by.
        if segment.image_url is not None:
            sticker["image_url"] = segment.image_url
        if segment.image is not None:
            sticker["image"] = media_dict(segment.image)
        if segment.keyframes:
            sticker["keyframes"] = [dataclasses.asdict(k) for k in segment.keyframes]
        return sticker
    if isinstance(segment, TextSegment):
        text: dict[str, Any] = {
            "type": "text",
            "id": segment.id,
            "material_id": segment.material_id,
            "text": segment.text,
            "target": _timerange_dict(segment.target),
            "style": _style_dict(segment.style),
            "clip": _clip_dict(segment.clip),
        }
        if segment.animations is not None:
            text["animations"] = _animations_dict(segment.animations)
        if segment.keywords:
            text["keywords"] = list(segment.keywords)
        if segment.keyword_style is not None:
            text["keyword_style"] = _style_dict(segment.keyword_style)
        if segment.effect is not None:
            text["effect"] = {"id": segment.effect.id, "effect_id": segment.effect.effect_id}
        if segment.keyframes:
            text["keyframes"] = [dataclasses.asdict(k) for k in segment.keyframes]
        return text
    data: dict[str, Any] = {
        "type": "media",
        "id": segment.id,
        "material_id": segment.material_id,
        "media": media_dict(segment.media),
        "source_name": segment.source_name,
        "target": _timerange_dict(segment.target),
        "source": _timerange_dict(segment.source),
        "volume": segment.volume,
        "clip": None if segment.clip is None else _clip_dict(segment.clip),
    }
    # Written only when set, so drafts without the newer features keep their stored form.
    transition = segment.transition
    if transition is not None:
        data["transition"] = {
            "id": transition.id,
            "name": transition.name,
            "effect_id": transition.effect_id,
            "resource_id": transition.resource_id,
            "duration": transition.duration,
            "is_overlap": transition.is_overlap,
        }
    if segment.animations is not None:
        data["animations"] = _animations_dict(segment.animations)
    if segment.mask is not None:
        data["mask"] = dataclasses.asdict(segment.mask)
    if segment.keyframes:
        data["keyframes"] = [dataclasses.asdict(k) for k in segment.keyframes]
    if segment.audio_effect is not None:
        data["audio_effect"] = dataclasses.asdict(segment.audio_effect)
    return data


def _stored_segment(segment: Segment) -> dict[str, Any]:
    data = _segment_dict(segment)
    # Written only when there are some, so segments without adjustments keep their stored form.
    if segment.adjustments:
        data["adjustments"] = [
            {"field": a.field, "code": a.code, "message": a.message} for a in segment.adjustments
        ]
    if segment.opaque:
        data["opaque"] = segment.opaque
    return data


def _adjusted(segment: Segment, data: dict[str, Any]) -> Segment:
    """`segment` with the adjustments `data` holds; rows written before adjustments have none."""
    stored = data.get("adjustments")
    opaque = data.get("opaque", "")
    if not stored and not opaque:
        return segment
    adjustments = tuple(Adjustment(**a) for a in stored) if stored else ()
    return dataclasses.replace(segment, adjustments=adjustments, opaque=opaque)


def _track_dict(track: Track) -> dict[str, Any]:
    data = {
        "id": track.id,
        "kind": track.kind.value,
        "name": track.name,
        "segments": [_stored_segment(s) for s in track.segments],
    }
    # Written only when set (imported drafts), so other tracks keep their stored form.
    if track.opaque:
        data["opaque"] = track.opaque
    return data


def track_to_json(track: Track) -> str:
    """The stored form of a track (a row of the `tracks` table, a run of a snapshot)."""
    # Made fresh from frozen values, the dict holds no cycle to look for; its keys come in the
    # order the code makes them, the same for every track of the same shape, so the form is
    # stable without sorting every dict (which cost as much as the encoding). Rows written
    # before, with sorted keys, read alike.
    return json.dumps(_track_dict(track), ensure_ascii=False, check_circular=False)


def _track(data: dict[str, Any]) -> Track:
    return Track(
        id=data["id"],
        kind=TrackKind(data["kind"]),
        name=data["name"],
        segments=tuple(_adjusted(_segment(s), s) for s in data["segments"]),
        opaque=data.get("opaque", ""),
    )


def track_from_json(text: str) -> Track:
    return _track(json.loads(text))


def track_run(track: Track) -> Run:
    """The stored form of a track as UTF-8, one run of a snapshot."""
    return Run(track_to_json(track).encode())


def snapshot_glue(draft: Draft) -> tuple[bytes, bytes]:
    """What a snapshot (`snapshot_chunks`) holds before its tracks and after them."""
    fields = json.dumps(
        {
            "id": draft.id,
            "name": draft.name,
            "canvas": {
                "width": draft.canvas.width,
                "height": draft.canvas.height,
                "fps": draft.canvas.fps,
            },
            "created_at_us": draft.created_at_us,
            "profile": draft.profile,
        },
        ensure_ascii=False,
        sort_keys=True,
    )
    return f'{fields[:-1]}, "tracks": ['.encode(), b"]}"


SNAPSHOT_SEPARATOR = b", "
"""Between two tracks of a snapshot."""


def snapshot_chunks(draft: Draft, run: Callable[[Track], Run] = track_run) -> tuple[Chunk, ...]:
    """The snapshot form of a whole draft, as kept with each saved version, in chunks
    (`draftsmith.chunks`): its fields with sorted keys, "tracks" (last in that order) holding
    each track's stored form, each track one run (`run`: `TrackCache.run` makes it once
    for as long as the track is held)."""
    head, tail = snapshot_glue(draft)
    pieces: list[bytes] = [head]
    for index, track in enumerate(draft.tracks):
        if index:
            pieces.append(SNAPSHOT_SEPARATOR)
        pieces.append(run(track))
    pieces.append(tail)
    return chunked(pieces)


def draft_from_json(text: str) -> Draft:
    data = json.loads(text)
    return Draft(
        id=data["id"],
        name=data["name"],
        canvas=Canvas(**data["canvas"]),
        created_at_us=data["created_at_us"],
        tracks=tuple(_track(t) for t in data["tracks"]),
        # Snapshots saved before drafts had a profile were written for the default one.
        profile=data.get("profile", DEFAULT_PROFILE_NAME),
    )


def files_to_json(files: tuple[FileEntry, ...]) -> str:
    return json.dumps([asdict(f) for f in files], sort_keys=True)


def files_from_json(text: str) -> tuple[FileEntry, ...]:
    return tuple(FileEntry(**f) for f in json.loads(text))
