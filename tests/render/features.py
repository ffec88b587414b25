"""Small drafts with one drawn feature each, on a 160x90 canvas, for frame-level checks.

moving    0-1.5 s  red square, position keyed from x -0.5 to 0.5 over 1 s
          1.5-3 s  red square, scale keyed from 0.2 to 0.4 over 1 s
          3-4.5 s  red square at 0.3, rotation keyed from 0 to 45 degrees over 1 s
masked    0-1 s    orange field, circle mask 45 px across; 1-2 s the same inverted;
          2-3 s    the same feathered
animated  0-1 s    red square sliding in leftwards over 0.5 s; 1-2 s zooming in over 0.8 s
looked    orange field for 3 s: no filter 0-0.5 s, a warm filter 0.5-1.5 s, a cool one
          1.5-2.5 s, a black and white effect 2.5-3 s; a tone keyed from full to silent
captioned captions that type, slide, shake, space their lines, stand upright, move by
          keyframes and wear a text effect
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path

from draftsmith.catalogue import Kind
from draftsmith.render.looks import EFFECT_KINDS, FILTER_FAMILIES
from draftsmith.render.movements import MOVES, Move
from draftsmith.timeline.model import (
    Animation,
    Animations,
    Canvas,
    Clip,
    Draft,
    EffectSegment,
    Keyframe,
    KeyframeList,
    Mask,
    Media,
    MediaKind,
    MediaSegment,
    StickerSegment,
    TextEffect,
    TextSegment,
    TextStyle,
    Timerange,
    Track,
    TrackKind,
)
from render.drafts import TONE, _sha, media_segment, span, track

SMALL = Canvas(width=160, height=90, fps=30)
SQUARE = Media(_sha("square"), MediaKind.IMAGE, "png", 1, None, 20, 20)
FIELD = Media(_sha("field"), MediaKind.IMAGE, "png", 1, None, 160, 90)
FIELD_COLOUR = (200, 100, 50)
SQUARE_SCALE = 0.2
"""A 20 px square fits the 90 px high canvas at 4.5 x: at 0.2 it is 18 px across."""


_IDS = {
    "moving": 1,
    "masked": 2,
    "animated": 3,
    "looked": 4,
    "captioned": 5,
    "stickered": 6,
    "everything": 7,
}


def _draft(name: str, *tracks: Track) -> Draft:
    return Draft(
        id=f"20250101000000feedfacecafe01{_IDS[name]:02d}",
        name=name,
        canvas=SMALL,
        created_at_us=1_735_689_600_000_000,
        tracks=tracks,
    )


def _keys(name: str, prop: str, *points: tuple[int, float]) -> KeyframeList:
    return KeyframeList(
        f"kf-{name}", prop, tuple(Keyframe(f"kf-{name}-{t}", t, v) for t, v in points)
    )


def _square(name: str, target: Timerange, scale: float = SQUARE_SCALE) -> MediaSegment:
    return media_segment(name, SQUARE, target, clip=Clip(scale_x=scale, scale_y=scale))


def moving() -> Draft:
    moved = replace(
        _square("moved", span(0, 1500)),
        keyframes=(_keys("x", "KFTypePositionX", (0, -0.5), (1_000_000, 0.5)),),
    )
    grown = replace(
        _square("grown", span(1500, 3000)),
        keyframes=(
            _keys("sx", "KFTypeScaleX", (0, 0.2), (1_000_000, 0.4)),
            _keys("sy", "KFTypeScaleY", (0, 0.2), (1_000_000, 0.4)),
        ),
    )
    turned = replace(
        _square("turned", span(3000, 4500), 0.3),
        keyframes=(_keys("r", "KFTypeRotation", (0, 0.0), (1_000_000, 45.0)),),
    )
    return _draft("moving", track("main", TrackKind.VIDEO, moved, grown, turned))


def circle(*, invert: bool = False, feather: float = 0.0) -> Mask:
    # 45 px across: half the field's height, and as wide in pixels.
    return Mask(
        "mask",
        "圆形",
        "circle",
        "6791700663249146381",
        0.0,
        0.0,
        0.5 * 90 / 160,
        0.5,
        1.0,
        invert=invert,
        feather=feather,
    )


def masked() -> Draft:
    plain = replace(media_segment("circle", FIELD, span(0, 1000)), mask=circle())
    inverted = replace(media_segment("inverted", FIELD, span(1000, 2000)), mask=circle(invert=True))
    feathered = replace(
        media_segment("feathered", FIELD, span(2000, 3000)), mask=circle(feather=0.6)
    )
    return _draft("masked", track("main", TrackKind.VIDEO, plain, inverted, feathered))


def _animated(name: str, target: Timerange, *items: Animation) -> MediaSegment:
    return replace(_square(name, target), animations=Animations(f"anim-{name}", True, items))


def animated() -> Draft:
    slide = _animated("slide", span(0, 1000), Animation("in", "向左滑动", "1", "2", 0, 500_000))
    zoom = _animated("zoom", span(1000, 2000), Animation("in", "放大", "1", "2", 0, 800_000))
    return _draft("animated", track("main", TrackKind.VIDEO, slide, zoom))


def _look(name: str, kind: str, target: Timerange, value: float = 1.0) -> EffectSegment:
    return EffectSegment(f"seg-{name}", f"mat-{name}", name, kind, "1", "2", target, value)


def looked() -> Draft:
    field = track("main", TrackKind.VIDEO, media_segment("field", FIELD, span(0, 3000)))
    filters = track(
        "filters",
        TrackKind.FILTER,
        _look("日落橘", "filter", span(500, 1500)),
        _look("冷蓝", "filter", span(1500, 2500)),
    )
    effects = track("effects", TrackKind.EFFECT, _look("变黑白", "video_effect", span(2500, 3000)))
    tone = replace(
        media_segment("tone", TONE, span(0, 3000)),
        keyframes=(_keys("vol", "KFTypeVolume", (0, 1.0), (1_000_000, 0.0)),),
    )
    return _draft("looked", field, filters, effects, track("music", TrackKind.AUDIO, tone))


def _caption(
    name: str, text: str, target: Timerange, style: TextStyle, *items: Animation
) -> TextSegment:
    segment = TextSegment(f"seg-{name}", f"mat-{name}", text, target, style, Clip())
    if items:
        segment = replace(segment, animations=Animations(f"anim-{name}", False, items))
    return segment


def captioned() -> Draft:
    """Captions that move, type, loop, space their lines, stand upright and wear a text effect,
    one after another on a black 3 s canvas."""
    size = TextStyle(font_size=8)
    typed = _caption(
        "typed", "abc", span(0, 600), size, Animation("in", "打字机 I", "1", "2", 0, 400_000)
    )
    slid = _caption(
        "slid",
        "slide",
        span(600, 1200),
        size,
        Animation("in", "向左滑动", "1", "2", 0, 300_000),
        Animation("out", "旋出", "1", "2", 400_000, 200_000),
    )
    shaken = _caption(
        "shaken", "shake", span(1200, 1800), size, Animation("loop", "晃动", "1", "2", 0, 600_000)
    )
    spaced = _caption("spaced", "one\ntwo", span(1800, 2200), replace(size, line_spacing=8))
    upright = _caption("upright", "竖排文字", span(2200, 2600), replace(size, alignment=3))
    keyed = replace(
        _caption("keyed", "key", span(2600, 3000), size),
        keyframes=(_keys("tx", "KFTypePositionX", (0, -0.5), (400_000, 0.5)),),
        effect=TextEffect("fx-keyed", "7404884940837473590"),
    )
    texts = track("texts", TrackKind.TEXT, typed, slid, shaken, spaced, upright, keyed)
    return _draft("captioned", texts)


def fake_paths() -> dict[str, Path]:
    """Paths that do not exist, for planning these drafts."""
    return {
        SQUARE.sha256: Path("/nonexistent/media/square.png"),
        FIELD.sha256: Path("/nonexistent/media/field.png"),
    }


STICKER_ID = "7326810673609018675"


def stickered() -> Draft:
    """A 1 s black canvas with a sticker 40 px right of the centre, at three times its pixels
    at 1080p: a 120 px picture is 30 px on the 90 px high canvas."""
    sticker = StickerSegment(
        "seg-sticker", "mat-sticker", STICKER_ID, span(0, 1000), Clip(1.0, 3.0, 3.0, 40.0)
    )
    return _draft("stickered", track("stickers", TrackKind.STICKER, sticker))


def _first_names(kind: Kind) -> dict[Move, str]:
    """The first name the table lists for each movement of `kind`."""
    names: dict[Move, str] = {}
    for name, move in MOVES[kind].items():
        names.setdefault(move, name)
    return names


def everything() -> Draft:
    """One of each mask shape, effect kind, filter family and movement, 0.2 s apiece on a
    4 s timeline: the plan ffmpeg must accept whatever a draft holds."""
    shapes = [
        Mask("m-line", "线性", "line", "1", 0.0, 0.0, 1.0, 1.0, 1.0, rotation=30.0),
        Mask("m-mirror", "镜面", "mirror", "1", 0.0, 0.0, 1.0, 0.3, 1.0),
        Mask("m-rect", "矩形", "rectangle", "1", 0.0, 0.0, 0.5, 0.5, 1.0, round_corner=0.5),
        Mask("m-heart", "爱心", "geometric_shape", "1", 0.0, 0.0, 0.5, 0.8, 1.115, feather=0.2),
        Mask("m-star", "星形", "geometric_shape", "1", 0.0, 0.0, 0.5, 0.9, 1.05, invert=True),
    ]
    masked_fields = [
        replace(media_segment(f"shape{n}", FIELD, span(n * 200, n * 200 + 200)), mask=mask)
        for n, mask in enumerate(shapes)
    ]
    video_names = _first_names(Kind.VIDEO_INTRO)
    moved = [
        _animated(
            f"move{n}",
            span(1000 + n * 200, 1200 + n * 200),
            Animation("in", name, "1", "2", 0, 150_000),
        )
        for n, name in enumerate(video_names.values())
    ]
    swinging = _animated(
        "group", span(3400, 3600), Animation("group", "荡秋千", "1", "2", 0, 200_000)
    )
    everything_at_once = replace(
        _square("all", span(3600, 4000)),
        mask=shapes[4],
        keyframes=(
            _keys("all-sx", "KFTypeScaleX", (0, 0.2), (400_000, 0.4)),
            _keys("all-r", "KFTypeRotation", (0, 0.0), (400_000, 90.0)),
            _keys("all-a", "KFTypeAlpha", (0, 0.2), (200_000, 1.0), (400_000, 0.5)),
            _keys("all-b", "KFTypeBrightness", (0, -0.5), (400_000, 0.5)),
        ),
        animations=Animations("anim-all", True, (Animation("in", "模糊", "1", "2", 0, 200_000),)),
    )
    effects = [
        _look(f"{kind.words[0]}", "video_effect", span(n * 300, n * 300 + 300))
        for n, kind in enumerate(EFFECT_KINDS)
    ]
    families = [
        _look(f"{words[0]}", "filter", span(n * 300, n * 300 + 300), 0.7)
        for n, (_, words, _) in enumerate(FILTER_FAMILIES)
    ]
    text_names = [("in", name) for name in _first_names(Kind.TEXT_INTRO).values()]
    text_names += [("loop", name) for name in _first_names(Kind.TEXT_LOOP).values()]
    texts = [
        _caption(
            f"text{n}",
            "字幕 ab",
            span(n * 150, n * 150 + 150),
            TextStyle(font_size=20),
            Animation(kind, name, "1", "2", 0, 120_000),
        )
        for n, (kind, name) in enumerate(text_names)
    ]
    return _draft(
        "everything",
        track("main", TrackKind.VIDEO, *masked_fields, *moved, swinging, everything_at_once),
        track("effects", TrackKind.EFFECT, *effects[:6]),
        track("filters", TrackKind.FILTER, *families),
        track("more-effects", TrackKind.EFFECT, *effects[6:]),
        track("texts", TrackKind.TEXT, *texts),
    )
