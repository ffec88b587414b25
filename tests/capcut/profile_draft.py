"""The draft the per-profile tests and golden folders are made from: every kind of segment, a
speed change, a styled caption and text whose UTF-16 length differs from its length."""

from __future__ import annotations

import uuid
from pathlib import Path

from draftsmith.capcut.encode import encode_folder, media_relpath
from draftsmith.capcut.profiles import Profile
from draftsmith.timeline.model import (
    Canvas,
    Clip,
    Draft,
    Media,
    MediaKind,
    MediaSegment,
    Shadow,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
)

S = 1_000_000
CREATED_AT_US = 1_763_881_477_000_123
SAVED_AT_US = 1_763_881_500_000_456
DRAFT_ID = "20261124120000" + "fedcba9876543210"
NAME = "profiles 剪映 🎬"

VIDEO = Media("a" * 64, MediaKind.VIDEO, "mp4", 1000, 5 * S, 640, 360, has_audio=True)
IMAGE = Media("b" * 64, MediaKind.IMAGE, "png", 200, None, 800, 600)
AUDIO = Media("c" * 64, MediaKind.AUDIO, "mp3", 300, 4 * S, None, None)
CAPTIONS = ["Hello", "你好🎬\nsecond line"]


def oid(name: str) -> str:
    return uuid.uuid5(uuid.NAMESPACE_OID, f"profiles/{name}").hex


def _media(name: str, media: Media, target: Timerange, source: Timerange) -> MediaSegment:
    return MediaSegment(oid(name), oid(f"{name}/m"), media, f"{name}.src", target, source)


def make_draft() -> Draft:
    """Video (second segment at 2x), a photo above it, audio, and two captions; 5 s long."""
    styled = TextStyle(
        font_size=12.0,
        color="#ff8000",
        bold=True,
        alignment=4,
        border_color="#000000",
        shadow=Shadow(color="#102030", alpha=0.9, distance=8.0, angle=-45.0),
        letter_spacing=2.0,
    )
    tracks = (
        Track(
            oid("t-video"),
            TrackKind.VIDEO,
            "video_1",
            (
                _media("v1", VIDEO, Timerange(0, 3 * S), Timerange(1 * S, 3 * S)),
                _media("v2", VIDEO, Timerange(3 * S, 1 * S), Timerange(0, 2 * S)),
            ),
        ),
        Track(
            oid("t-image"),
            TrackKind.VIDEO,
            "video_2",
            (_media("i1", IMAGE, Timerange(3 * S, 2 * S), Timerange(0, 2 * S)),),
        ),
        Track(
            oid("t-audio"),
            TrackKind.AUDIO,
            "audio_1",
            (_media("a1", AUDIO, Timerange(0, 4 * S), Timerange(0, 4 * S)),),
        ),
        Track(
            oid("t-text"),
            TrackKind.TEXT,
            "text_1",
            (
                TextSegment(oid("c1"), oid("c1/m"), CAPTIONS[0], Timerange(0, 1 * S)),
                TextSegment(
                    oid("c2"),
                    oid("c2/m"),
                    CAPTIONS[1],
                    Timerange(1 * S, 2 * S),
                    style=styled,
                    clip=Clip(alpha=0.8, transform_y=432.0),
                ),
            ),
        ),
    )
    return Draft(DRAFT_ID, NAME, Canvas(1920, 1080, 30), CREATED_AT_US, tracks)


def encode(profile: Profile, draft: Draft | None = None) -> dict[str, bytes]:
    return encode_folder(draft or make_draft(), saved_at_us=SAVED_AT_US, profile=profile)


def write_folder(root: Path, profile: Profile) -> Path:
    """The draft's folder for `profile` at `root/<draft name>`, media included."""
    draft = make_draft()
    folder = root / draft.name
    for path, data in encode(profile, draft).items():
        (folder / path).parent.mkdir(parents=True, exist_ok=True)
        (folder / path).write_bytes(data)
    for media in draft.media():
        target = folder / media_relpath(media)
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(media.sha256.encode() * 4)
    return folder
