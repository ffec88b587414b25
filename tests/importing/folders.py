"""Draft folders for the import tests, built in code: a draft with every kind of object the
model holds, zipped as an editor's folder, and imported without a server (media are the
stand-in files of support.drafts, found again by their bytes)."""

from __future__ import annotations

import io
import json
import zipfile
from collections.abc import Mapping
from dataclasses import replace
from typing import Any

from draftsmith.capcut.encode import encode_folder, media_relpath
from draftsmith.capcut.profiles import Profile, profile_named
from draftsmith.importing.archive import ArchiveLimits, DraftArchive
from draftsmith.importing.folder import Imported, import_folder
from draftsmith.timeline.model import (
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
    MediaSegment,
    Shadow,
    StickerSegment,
    TextEffect,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
    Transition,
)
from support.drafts import (
    AUDIO,
    CREATED_AT_US,
    IMAGE,
    VIDEO,
    Ids,
    S,
    layered_tracks,
    stand_in_bytes,
)

Json = dict[str, Any]
IMPORTED_AT_US = CREATED_AT_US + 3_600 * S


def rich_draft(profile: str) -> Draft:
    """Video (transition, animation, mask, keyframes), photo, audio with an audio effect, a
    styled caption with a font, shadow, border, keywords, text effect and animation, a scene
    effect, a filter and a sticker: every kind the model holds."""
    ids = Ids("rich/")
    style = TextStyle(
        font_size=9.0,
        color="#ffcc00",
        bold=True,
        border_color="#000000",
        shadow=Shadow(color="#202020", alpha=0.8),
        letter_spacing=1.0,
        font=Font("Fira", "7290445778273702455"),
    )
    caption = ids.text(
        "c1",
        "hello world 你好",
        Timerange(0, 2 * S),
        style=style,
        clip=Clip(alpha=0.9, transform_y=300.0),
        keywords=("world",),
        keyword_style=TextStyle(color="#ff0000", font_size=11.0),
        effect=TextEffect(ids("fx"), "7351319129124506930"),
        animations=Animations(
            ids("c-anim"),
            False,
            (Animation("in", "Typewriter", "1", "7026", 0, 500_000),),
        ),
        keyframes=(KeyframeList(ids("kc"), "KFTypeAlpha", (Keyframe(ids("k0"), 0, 0.2),)),),
    )
    video, image, audio, texts = layered_tracks(ids, (caption,), first_clip=Clip(scale_x=1.5))
    first = video.segments[0]
    assert not isinstance(first, (EffectSegment, StickerSegment))
    decorated = first.__class__(
        **{
            **first.__dict__,
            "transition": Transition(ids("tr"), "Mix", "6724", "6724", 500_000, True),
            "animations": Animations(
                ids("v-anim"), True, (Animation("in", "Fade", "2", "6798", 0, 400_000),)
            ),
            "mask": Mask(ids("mask"), "Linear", "line", "6791", 0.1, 0.0, 1.0, 1.0, 1.0),
            "keyframes": (
                KeyframeList(ids("kv"), "KFTypePositionX", (Keyframe(ids("k1"), 0, 0.25),)),
            ),
        }
    )
    video = Track(video.id, video.kind, video.name, (decorated, *video.segments[1:]))
    sound = audio.segments[0]
    assert isinstance(sound, MediaSegment)
    echo = AudioEffect(
        ids("a-fx"),
        "Echo",
        "sound_effect",
        "7021052467563434509",
        (EffectParam("change_voice_param_strength", 100.0, 0.0, 100.0, 60.0),),
    )
    audio = Track(audio.id, audio.kind, audio.name, (replace(sound, audio_effect=echo),))
    effects = Track(
        ids("t-effect"),
        TrackKind.EFFECT,
        "effect_1",
        (
            EffectSegment(
                ids("e1"),
                ids("e1/m"),
                "Shake",
                "video_effect",
                "7399",
                "7399",
                Timerange(0, S),
                params=(EffectParam("effects_adjust_speed", 0.5, 0.0, 1.0, 0.7),),
            ),
        ),
    )
    filters = Track(
        ids("t-filter"),
        TrackKind.FILTER,
        "filter_1",
        (
            EffectSegment(
                ids("f1"), ids("f1/m"), "Warm", "filter", "7127", "7127", Timerange(S, S), 0.6
            ),
        ),
    )
    stickers = Track(
        ids("t-sticker"),
        TrackKind.STICKER,
        "sticker_1",
        (StickerSegment(ids("s1"), ids("s1/m"), "7226264929490587959", Timerange(0, S)),),
    )
    return Draft(
        ids("draft"),
        "rich",
        Canvas(1280, 720),
        CREATED_AT_US,
        (video, image, audio, texts, effects, filters, stickers),
        profile=profile,
    )


def zipped(files: Mapping[str, bytes], root: str = "draft") -> bytes:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        for path, data in files.items():
            archive.writestr(f"{root}/{path}" if root else path, data)
    return buffer.getvalue()


def folder_files(draft: Draft, profile: Profile, saved_at_us: int) -> dict[str, bytes]:
    """The draft's folder as download_draft gives it: the encoder's files and the media."""
    files = dict(encode_folder(draft, saved_at_us=saved_at_us, profile=profile))
    for media in draft.media():
        files[media_relpath(media)] = stand_in_bytes(media)
    return files


def imported(archive_bytes: bytes, profile: str | None = None) -> Imported:
    """`archive_bytes` imported as import_draft does, media found by their stand-in bytes."""
    known = {stand_in_bytes(m): m for m in (VIDEO, IMAGE, AUDIO)}
    archive = DraftArchive(archive_bytes, ArchiveLimits())
    counter = iter(range(1_000_000))
    try:
        return import_folder(
            archive,
            ingest=lambda _field, path: known[archive.read(path)],
            draft_id="imported",
            new_id=lambda: f"new{next(counter)}",
            now_us=IMPORTED_AT_US,
            profiles=profile_named,
            profile=profile,
        )
    finally:
        archive.close()


def as_json(files: Mapping[str, bytes]) -> dict[str, Any]:
    """Each JSON file parsed, the others as bytes."""
    return {
        path: json.loads(data) if path.endswith(".json") else data for path, data in files.items()
    }
