"""Draft values for the store tests: every segment kind, every optional field set somewhere."""

from __future__ import annotations

from dataclasses import replace

from draftsmith.timeline.model import (
    Canvas,
    Clip,
    Draft,
    MediaSegment,
    Shadow,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
)
from support import drafts
from support.drafts import AUDIO, CREATED_AT_US, IMAGE, S

__all__ = ["CREATED_AT_US", "IMAGE", "S"]

# The store must keep every optional field, the thumbnail too.
VIDEO = replace(drafts.VIDEO, thumbnail_sha256="9" * 64)


def new_draft(draft_id: str = "dft_one", name: str = "My draft") -> Draft:
    return Draft(draft_id, name, Canvas(1080, 1920, 25), CREATED_AT_US)


def video_track(track_id: str, start_us: int = 0) -> Track:
    segments = (
        MediaSegment(
            id=f"{track_id}-s1",
            material_id=f"{track_id}-m1",
            media=VIDEO,
            source_name="bars.mp4",
            target=Timerange(start_us, 2 * S),
            source=Timerange(S, 4 * S),
            volume=0.5,
            clip=Clip(alpha=0.8, scale_x=1.5, scale_y=1.25, transform_x=-10.0, transform_y=20.5),
        ),
        MediaSegment(
            id=f"{track_id}-s2",
            material_id=f"{track_id}-m2",
            media=IMAGE,
            source_name="still.png",
            target=Timerange(start_us + 2 * S, 3 * S),
            source=Timerange(0, 3 * S),
        ),
    )
    return Track(track_id, TrackKind.VIDEO, f"video {track_id}", segments)


def audio_track(track_id: str) -> Track:
    segment = MediaSegment(
        id=f"{track_id}-s1",
        material_id=f"{track_id}-m1",
        media=AUDIO,
        source_name="tone.mp3",
        target=Timerange(0, 4 * S),
        source=Timerange(0, 4 * S),
        volume=0.25,
    )
    return Track(track_id, TrackKind.AUDIO, f"audio {track_id}", (segment,))


def text_track(track_id: str, text: str = "字幕 one", start_us: int = 0) -> Track:
    styled = TextStyle(
        font_size=22.0,
        color="#ffcc00",
        bold=True,
        italic=True,
        underline=True,
        alignment=0,
        border_color="#000000",
        shadow=Shadow(color="#112233", alpha=0.5, diffuse=3.0, distance=2.0, angle=30.0),
        letter_spacing=1.5,
        line_spacing=0.25,
    )
    segments = (
        TextSegment(f"{track_id}-s1", f"{track_id}-m1", text, Timerange(start_us, S)),
        TextSegment(
            f"{track_id}-s2",
            f"{track_id}-m2",
            'quotes " and \\ and\nnewline',
            Timerange(start_us + S, 6 * S),
            style=styled,
            clip=Clip(transform_y=-300.0),
        ),
    )
    return Track(track_id, TrackKind.TEXT, f"text {track_id}", segments)


def sample_tracks() -> tuple[Track, ...]:
    """Three tracks, bottom first: video (7 s), audio (4 s), text (ends at 7 s)."""
    return (video_track("v1", start_us=2 * S), audio_track("a1"), text_track("t1"))
