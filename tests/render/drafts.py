"""The drafts the render tests plan and render, with fixed ids, and the media they play.

`showcase` puts one of everything the renderer honours on a 320x240, 30 fps, 5 s timeline:

    time (s)      0   0.2  0.6  1.0  1.2  1.7  2.0  2.5  3.0  4.0  4.5  4.6  4.9  5.0
    0 video       two-colour clip: red (0-1 s), muted yellow (1-2 s)  gap  blue image   gap
    1 text                                                   caption
    2 video           white image (alpha 0.5)  green clip (scaled 0.5, moved)
    3 audio                                                  tone, volume 0.5 ---------->
    4 text                                                                    title
"""

from __future__ import annotations

import hashlib
from dataclasses import replace
from pathlib import Path

from draftsmith.timeline.model import (
    Animation,
    Animations,
    Canvas,
    Clip,
    Draft,
    Keyframe,
    KeyframeList,
    Media,
    MediaKind,
    MediaSegment,
    Segment,
    Shadow,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
    Transition,
)

S = 1_000_000
MS = 1_000
CANVAS = Canvas(width=320, height=240, fps=30)
CAPTION = "你好 こんにちは 🎬"


def _sha(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()


TWO_COLOUR = Media(_sha("two-colour"), MediaKind.VIDEO, "mp4", 1, 2 * S, 320, 240, has_audio=True)
GREEN = Media(_sha("green"), MediaKind.VIDEO, "mp4", 1, 1 * S, 320, 240)
BLUE = Media(_sha("blue"), MediaKind.IMAGE, "png", 1, None, 320, 240)
WHITE = Media(_sha("white"), MediaKind.IMAGE, "png", 1, None, 64, 48)
TONE = Media(_sha("tone"), MediaKind.AUDIO, "mp3", 1, 3 * S, None, None)
MEDIA = {"two-colour": TWO_COLOUR, "green": GREEN, "blue": BLUE, "white": WHITE, "tone": TONE}


def span(start_ms: int, end_ms: int) -> Timerange:
    return Timerange(start_ms * MS, (end_ms - start_ms) * MS)


def media_segment(
    name: str,
    media: Media,
    target: Timerange,
    source: Timerange | None = None,
    *,
    volume: float = 1.0,
    clip: Clip | None = None,
) -> MediaSegment:
    return MediaSegment(
        id=f"seg-{name}",
        material_id=f"mat-{name}",
        media=media,
        source_name=name,
        target=target,
        source=source or Timerange(0, target.duration),
        volume=volume,
        clip=clip,
    )


def caption(name: str, text: str, target: Timerange, style: TextStyle, clip: Clip) -> TextSegment:
    return TextSegment(f"seg-{name}", f"mat-{name}", text, target, style, clip)


def track(name: str, kind: TrackKind, *segments: Segment) -> Track:
    return Track(f"track-{name}", kind, name, segments)


def showcase() -> Draft:
    main = track(
        "main",
        TrackKind.VIDEO,
        media_segment("red", TWO_COLOUR, span(0, 1000), span(0, 1000), clip=Clip()),
        media_segment("yellow", TWO_COLOUR, span(1000, 2000), span(1000, 2000), volume=0.0),
        media_segment("blue", BLUE, span(2500, 4500), clip=Clip()),
    )
    subtitles = track(
        "subtitles",
        TrackKind.TEXT,
        caption(
            "caption",
            CAPTION,
            span(3000, 4000),
            TextStyle(font_size=12, bold=True, border_color="#000000"),
            Clip(),
        ),
    )
    overlays = track(
        "overlays",
        TrackKind.VIDEO,
        media_segment("white", WHITE, span(200, 600), clip=Clip(alpha=0.5)),
        media_segment(
            "green",
            GREEN,
            span(1200, 1700),
            span(200, 700),
            clip=Clip(scale_x=0.5, scale_y=0.5, transform_x=80, transform_y=60),
        ),
    )
    music = track(
        "music",
        TrackKind.AUDIO,
        media_segment("tone", TONE, span(3000, 5000), span(500, 2500), volume=0.5),
    )
    titles = track(
        "titles",
        TrackKind.TEXT,
        caption(
            "title",
            "Title {x} \\N",
            span(4600, 4900),
            TextStyle(
                font_size=16,
                color="#ffff00",
                italic=True,
                alignment=0,
                shadow=Shadow(color="#ff0000", alpha=0.8),
            ),
            Clip(transform_y=-80),
        ),
    )
    return Draft(
        id="20250101000000feedfacecafebeef",
        name="showcase",
        canvas=CANVAS,
        created_at_us=1_735_689_600_000_000,
        tracks=(main, subtitles, overlays, music, titles),
    )


def fake_paths() -> dict[str, Path]:
    """Paths that do not exist: planning must not look at the files."""
    return {
        media.sha256: Path(f"/nonexistent/media/{name}.{media.extension}")
        for name, media in MEDIA.items()
    }


def framed() -> Draft:
    """A bottom track whose segments leave black around them or let it show through."""
    half = Clip(scale_x=0.5, scale_y=0.5)
    bottom = track(
        "bottom",
        TrackKind.VIDEO,
        media_segment("green", GREEN, span(0, 1000), clip=half),
        media_segment("faded", TWO_COLOUR, span(1000, 2000), clip=Clip(alpha=0.5), volume=0.0),
        media_segment(
            "white", WHITE, span(2000, 3000), clip=replace(half, transform_x=-80, transform_y=-60)
        ),
    )
    return Draft(
        id="20250101000000feedfacecafe0002",
        name="framed",
        canvas=CANVAS,
        created_at_us=1_735_689_600_000_000,
        tracks=(bottom,),
    )


def _animations(name: str, *items: Animation) -> Animations:
    return Animations(f"anim-{name}", video=True, items=items)


def styled() -> Draft:
    """The styling the renderer draws, on a 4 s timeline:

    time (s)      0    0.8  1.0  1.2  2.0  2.5  3.0  4.0
    0 video       red --- blue image   green (fades in)
                      fade
    1 video                                      white image, opacity keyed 0 -> 1
    2 text                   "ab KEY cd", KEY in yellow
    """
    fade = Transition("tr-fade", "叠化", "322577", "6724845717472416269", 400 * MS, True)
    bottom = track(
        "bottom",
        TrackKind.VIDEO,
        replace(media_segment("red", TWO_COLOUR, span(0, 1000)), transition=fade),
        media_segment("blue", BLUE, span(1000, 2000)),
        replace(
            media_segment("green", GREEN, span(2000, 3000)),
            animations=_animations(
                "green", Animation("in", "渐显", "624705", "6798320778182922760", 0, 500 * MS)
            ),
        ),
    )
    keyed = KeyframeList(
        "kf-white",
        "KFTypeAlpha",
        (Keyframe("kf-0", 0, 0.0), Keyframe("kf-1", 1000 * MS, 1.0)),
    )
    above = track(
        "above",
        TrackKind.VIDEO,
        replace(media_segment("white", WHITE, span(3000, 4000)), keyframes=(keyed,)),
    )
    highlighted = replace(
        caption(
            "keyword", "ab KEY cd", span(1000, 2000), TextStyle(font_size=40, bold=True), Clip()
        ),
        keywords=("KEY",),
        keyword_style=TextStyle(font_size=40, bold=True, color="#ffff00"),
    )
    return Draft(
        id="20250101000000feedfacecafe0003",
        name="styled",
        canvas=CANVAS,
        created_at_us=1_735_689_600_000_000,
        tracks=(bottom, above, track("captions", TrackKind.TEXT, highlighted)),
    )
