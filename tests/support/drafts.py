"""Draft values built in code, shared by the encoder, profile, validator and store tests.

The standard media (a video, a photo, an audio clip, none of them real files), ids derived
from names so that every build gives the same bytes, the four-track draft most of those tests
start from, and writing a draft's folder the way an editor would find it.
"""

from __future__ import annotations

import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from draftsmith.capcut.encode import encode_folder, media_relpath
from draftsmith.capcut.profiles import DEFAULT_PROFILE, Profile
from draftsmith.chunks import joined
from draftsmith.store.codec import snapshot_chunks
from draftsmith.timeline.model import (
    Clip,
    Draft,
    Media,
    MediaKind,
    MediaSegment,
    TextSegment,
    Timerange,
    Track,
    TrackKind,
)

S = 1_000_000
CREATED_AT_US = 1_763_881_477_000_123
SAVED_AT_US = 1_763_881_500_000_456

VIDEO = Media("a" * 64, MediaKind.VIDEO, "mp4", 1000, 5 * S, 640, 360, has_audio=True)
IMAGE = Media("b" * 64, MediaKind.IMAGE, "png", 200, None, 800, 600)
AUDIO = Media("c" * 64, MediaKind.AUDIO, "mp3", 300, 4 * S, None, None)


@dataclass(frozen=True)
class Ids:
    """Stable ids from names: the UUID5 of `prefix + name`, the material's of `name + material`."""

    prefix: str = ""
    material: str = "/m"

    def __call__(self, name: str) -> str:
        return uuid.uuid5(uuid.NAMESPACE_OID, self.prefix + name).hex

    def media(
        self, name: str, media: Media, target: Timerange, source: Timerange, **kw: Any
    ) -> MediaSegment:
        """A segment of `media` named `name`, its source file called `<name>.src`."""
        return MediaSegment(
            self(name), self(name + self.material), media, f"{name}.src", target, source, **kw
        )

    def text(self, name: str, text: str, target: Timerange, **kw: Any) -> TextSegment:
        return TextSegment(self(name), self(name + self.material), text, target, **kw)


def layered_tracks(
    ids: Ids,
    captions: tuple[TextSegment, ...],
    *,
    first_clip: Clip | None = None,
    audio_volume: float = 1.0,
    text_track: str = "text_1",
) -> tuple[Track, Track, Track, Track]:
    """Video (second segment at 2x), a photo above it, audio, and `captions` on top; 5 s long."""
    videos = Track(
        ids("t-video"),
        TrackKind.VIDEO,
        "video_1",
        (
            ids.media("v1", VIDEO, Timerange(0, 3 * S), Timerange(1 * S, 3 * S), clip=first_clip),
            ids.media("v2", VIDEO, Timerange(3 * S, 1 * S), Timerange(0, 2 * S)),
        ),
    )
    images = Track(
        ids("t-image"),
        TrackKind.VIDEO,
        "video_2",
        (ids.media("i1", IMAGE, Timerange(3 * S, 2 * S), Timerange(0, 2 * S)),),
    )
    audios = Track(
        ids("t-audio"),
        TrackKind.AUDIO,
        "audio_1",
        (ids.media("a1", AUDIO, Timerange(0, 4 * S), Timerange(0, 4 * S), volume=audio_volume),),
    )
    texts = Track(ids("t-text"), TrackKind.TEXT, text_track, captions)
    return (videos, images, audios, texts)


def stand_in_bytes(media: Media) -> bytes:
    """What a media file of the folder holds: its hash as text, four times (not real media)."""
    return media.sha256.encode() * 4


def write_folder(
    folder: Path,
    draft: Draft,
    *,
    profile: Profile = DEFAULT_PROFILE,
    media_bytes: Callable[[Media], bytes] = stand_in_bytes,
) -> Path:
    """Encode `draft` for `profile` into `folder` (which must not exist yet), media included."""
    folder.mkdir(parents=True)
    for name, data in encode_folder(draft, saved_at_us=SAVED_AT_US, profile=profile).items():
        (folder / name).parent.mkdir(parents=True, exist_ok=True)
        (folder / name).write_bytes(data)
    for media in draft.media():
        path = folder / media_relpath(media)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(media_bytes(media))
    return folder


def snapshot_json(draft: Draft) -> str:
    """The snapshot form the store keeps with each saved version (`snapshot_chunks`), as text."""
    return joined(snapshot_chunks(draft)).decode()
