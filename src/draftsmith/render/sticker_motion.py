"""How a sticker is drawn over its time: its keyframes as filters on its picture (pure).

A sticker's size comes from its picture's own pixels (taken at 1080p, times its scale), not
from fitting it to the canvas as a photo's does; otherwise its keyframes mean what a photo's do
(motion.py): position in half canvas sizes, scale, rotation in degrees, opacity. What does not
change is done once, before the picture is repeated over the sticker's time; what does is done
per frame after that, at timeline times: opacity (fade, geq), then the turn (rotate, into a
square its turns fit in), then the scale (scale with `eval=frame`). Turning before scaling is
what the editor does when it scales the same both ways; scaled unevenly while turning, the
sticker is approximated and the report says so.
"""

from __future__ import annotations

from dataclasses import dataclass

from draftsmith.render.graph import number
from draftsmith.render.motion import (
    ALPHA_KEYFRAMES,
    POSITION_X,
    POSITION_Y,
    ROTATION,
    SCALE_X,
    SCALE_Y,
    Box,
    Motion,
    fade_terms,
    motion,
)
from draftsmith.render.report import Feature, ReportBuilder
from draftsmith.timeline.model import Canvas, StickerSegment

_DRAWN = frozenset({POSITION_X, POSITION_Y, SCALE_X, SCALE_Y, ROTATION, *ALPHA_KEYFRAMES})
_MIN_SIDE = 2


@dataclass(frozen=True)
class StickerMotion:
    """The filters that draw one sticker's picture: `once` before it is repeated over the
    sticker's time, `per_frame` after; and overlay's x and y for it."""

    once: tuple[str, ...]
    per_frame: tuple[str, ...]
    x: str
    y: str


def _noted(sticker: StickerSegment, moving: Motion, report: ReportBuilder) -> None:
    uneven = moving.rotates and moving.scales and moving.scale_x != moving.scale_y
    for keyframe_list in sticker.keyframes:
        prop = keyframe_list.property
        if not keyframe_list.keyframes:
            continue
        if prop == ROTATION and uneven:
            report.approximated(
                Feature.KEYFRAME,
                prop,
                sticker.id,
                "turned before it is scaled, which differs while it is scaled unevenly",
            )
        elif prop in _DRAWN:
            report.exact(Feature.KEYFRAME, prop, sticker.id)
        else:
            report.not_drawn(Feature.KEYFRAME, prop, sticker.id, "a property stickers lack")


def _opacity(moving: Motion) -> tuple[list[str], list[str]]:
    """The opacity's filters: (once, per frame)."""
    fades, rest = fade_terms(moving.alpha)
    constant = rest.constant_value
    static = [] if constant is None or constant >= 1 else [f"lut=a=val*{number(constant)}"]
    if not fades and constant is not None:
        return static, []
    changing = [
        f"fade=t={kind}:st={number(start)}:d={number(duration)}:alpha=1"
        for kind, start, duration in fades
    ]
    if constant is None:
        expression = rest.expression("T")
        changing.insert(
            0, f"geq=lum='p(X,Y)':cb='p(X,Y)':cr='p(X,Y)':a='alpha(X,Y)*({expression})'"
        )
    return [], [*static, *changing]


def sticker_motion(
    sticker: StickerSegment, canvas: Canvas, gif: bool, report: ReportBuilder
) -> StickerMotion:
    """How `sticker` is drawn on `canvas` from its picture (`gif`: an animated GIF, of which
    the first frame is drawn); notes its keyframes in `report`."""
    # Stickers have no animations, so the size the motion moves is never read.
    box = Box(canvas, 0.0, 0.0)
    # Its own notes, not motion()'s: a turn may be approximated, other properties are not drawn.
    moving = motion(
        sticker.id,
        sticker.clip,
        sticker.keyframes,
        None,
        sticker.target.start,
        box,
        ReportBuilder(),
        text=False,
    )
    _noted(sticker, moving, report)
    unit = min(canvas.width, canvas.height) / 1080
    once = ["trim=end_frame=1"] if gif else []
    per_frame: list[str] = []
    sx, sy = moving.scale_x.constant_value, moving.scale_y.constant_value
    if sx is not None and sy is not None:
        once.append(f"scale=w='max(1,iw*{number(sx * unit)})':h='max(1,ih*{number(sy * unit)})'")
    once.append("format=yuva420p")
    static_alpha, changing_alpha = _opacity(moving)
    once += static_alpha
    per_frame += changing_alpha
    if moving.rotates:
        turn = moving.rotation.expression()
        per_frame.append(f"rotate=a='({turn})*PI/180':ow='hypot(iw,ih)':oh=ow:c=black@0")
    if sx is None or sy is None:
        # The short side over 1080 as a division: a rounded factor would lose pixels.
        short = min(canvas.width, canvas.height)
        w = f"max({_MIN_SIDE},iw*({moving.scale_x.expression()})*{short}/1080)"
        h = f"max({_MIN_SIDE},ih*({moving.scale_y.expression()})*{short}/1080)"
        per_frame.append(f"scale=w='{w}':h='{h}':eval=frame")
    cx, cy = moving.x.constant_value, moving.y.constant_value
    x = (
        number(canvas.width / 2 + cx)
        if cx is not None
        else f"{number(canvas.width / 2)}+({moving.x.expression()})"
    )
    y = (
        number(canvas.height / 2 + cy)
        if cy is not None
        else f"{number(canvas.height / 2)}+({moving.y.expression()})"
    )
    return StickerMotion(tuple(once), tuple(per_frame), f"{x}-overlay_w/2", f"{y}-overlay_h/2")
