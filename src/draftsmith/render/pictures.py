"""One video or image segment as a picture to lay on the canvas, as filter chains (pure).

A segment that stays put is scaled once to where it lands and laid at whole pixels. One that
moves, scales or turns over its time (keyframes, animations: motion.py), or is turned at all,
is made at its size at scale 1 (or its constant scale), then scaled per frame (scale with
`eval=frame`), padded to a square its turns fit in and turned (rotate), and laid with its centre
where the motion says (overlay's x and y are expressions of `t`). Its frames keep their
timeline times throughout, so every expression reads timeline seconds.

What is drawn on the picture before it moves: the mask (masks.py), brightness, contrast and
saturation keyframes (eq), the clip's opacity (static: lut; keyed: geq, per pixel), fades
(fade, cheap) and blur animations (gblur, its strength stepped per frame by sendcmd).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

from draftsmith.render.curves import Channel
from draftsmith.render.graph import FilterGraph, number, seconds
from draftsmith.render.masks import mask_filters, shape_of
from draftsmith.render.motion import (
    ALPHA_KEYFRAMES,
    COLOUR_KEYFRAMES,
    POSITION_X,
    POSITION_Y,
    ROTATION,
    SCALE_X,
    SCALE_Y,
    VOLUME,
    Box,
    Motion,
    fade_terms,
    keyed,
    motion,
)
from draftsmith.render.report import Feature, ReportBuilder
from draftsmith.timeline.model import Canvas, Clip, Mask, MediaKind, MediaSegment, Timerange

_PICTURE_KEYFRAMES = (POSITION_X, POSITION_Y, SCALE_X, SCALE_Y, ROTATION, *ALPHA_KEYFRAMES)
_MIN_SIDE = 2


def _round(value: float) -> int:
    return int(value + 0.5) if value >= 0 else -int(-value + 0.5)


@dataclass(frozen=True)
class Placement:
    """Where a visual segment lands on the canvas, in whole pixels."""

    width: int
    height: int
    x: int
    y: int

    def covers(self, canvas: Canvas) -> bool:
        return (self.x, self.y, self.width, self.height) == (0, 0, canvas.width, canvas.height)


def fitted(canvas: Canvas, segment: MediaSegment) -> tuple[float, float]:
    """The segment's size at scale 1: its media fitted inside the canvas, as the editor does."""
    media = segment.media
    source_w = media.width or canvas.width
    source_h = media.height or canvas.height
    fit = min(canvas.width / source_w, canvas.height / source_h)
    return source_w * fit, source_h * fit


def _placed(
    canvas: Canvas, fit: tuple[float, float], sx: float, sy: float, dx: float, dy: float
) -> Placement:
    width = max(1, _round(fit[0] * sx))
    height = max(1, _round(fit[1] * sy))
    x = _round((canvas.width - width) / 2 + dx)
    y = _round((canvas.height - height) / 2 + dy)
    return Placement(width, height, x, y)


def placement(canvas: Canvas, segment: MediaSegment) -> Placement:
    """Fit the media inside the canvas (scale 1.0), apply the clip's scale, centre, then move."""
    clip = segment.clip or Clip()
    fit = fitted(canvas, segment)
    return _placed(
        canvas, fit, abs(clip.scale_x), abs(clip.scale_y), clip.transform_x, clip.transform_y
    )


@dataclass(frozen=True)
class Shown:
    """How one visual segment is drawn: its motion and what follows from it."""

    segment: MediaSegment
    motion: Motion
    fit: tuple[float, float]
    where: Placement
    """Where it lands while it stays put; its size is that of its picture before it moves."""
    mask: Mask | None
    colour_keys: tuple[str, ...]

    @property
    def dynamic(self) -> bool:
        return self.motion.moves or self.motion.scales or self.motion.rotates

    @property
    def visible(self) -> bool:
        return self.motion.alpha.bounds()[1] > 0

    @property
    def opacity(self) -> float | None:
        """The constant opacity, or None when it changes over time."""
        return self.motion.alpha.constant_value

    @property
    def changing(self) -> bool:
        """Whether anything is drawn per frame before the picture is placed."""
        return (
            self.opacity is None
            or self.motion.blur.constant_value != 0.0
            or bool(self.colour_keys)
            or self.dynamic
        )


def show(canvas: Canvas, segment: MediaSegment, report: ReportBuilder) -> Shown:
    """How `segment` is drawn; notes its keyframes, animations and mask in `report`."""
    fit = fitted(canvas, segment)
    moving = motion(
        segment.id,
        segment.clip or Clip(),
        segment.keyframes,
        segment.animations,
        segment.target.start,
        Box(canvas, fit[0], fit[1]),
        report,
        text=False,
    )
    colour_keys = []
    for keyframe_list in segment.keyframes:
        prop = keyframe_list.property
        if not keyframe_list.keyframes or prop in _PICTURE_KEYFRAMES or prop == VOLUME:
            continue
        if prop in COLOUR_KEYFRAMES:
            colour_keys.append(prop)
            report.approximated(
                Feature.KEYFRAME, prop, segment.id, "ffmpeg's eq at the keyed strength"
            )
        else:
            report.not_drawn(Feature.KEYFRAME, prop, segment.id, "a property the render lacks")
    mask = segment.mask
    if mask is not None:
        shape = shape_of(mask)
        if shape is None:
            report.not_drawn(Feature.MASK, mask.name, segment.id, "a shape the render lacks")
            mask = None
        else:
            how = "feathered by a Gaussian blur of its edge" if mask.feather > 0 else ""
            if how:
                report.approximated(Feature.MASK, mask.name, segment.id, how)
            else:
                report.exact(Feature.MASK, mask.name, segment.id)
    sx = moving.scale_x.constant_value
    sy = moving.scale_y.constant_value
    dx = moving.x.constant_value
    dy = moving.y.constant_value
    if sx is None or sy is None:
        sx = sy = 1.0
    where = _placed(canvas, fit, sx, sy, dx or 0.0, dy or 0.0)
    return Shown(segment, moving, fit, where, mask, tuple(colour_keys))


def _colour_expression(shown: Shown, prop: str) -> str:
    segment = shown.segment
    keys = next(k.keyframes for k in segment.keyframes if k.property == prop)
    value = keyed(tuple(sorted(keys, key=lambda k: k.time_offset)), segment.target.start)
    expression = value.expression()
    if prop == "KFTypeBrightness":
        return f"brightness='0.3*({expression})'"
    if prop == "KFTypeContrast":
        return f"contrast='1+0.5*({expression})'"
    return f"saturation='max(0,1+({expression}))'"


class Pictures:
    """Adds segment pictures to `graph`; sendcmd scripts go to `files`."""

    def __init__(self, canvas: Canvas, graph: FilterGraph, files: dict[str, str]) -> None:
        self.canvas = canvas
        self.graph = graph
        self.files = files

    def _scale(self, shown: Shown) -> list[str]:
        media = shown.segment.media
        where = shown.where
        if (where.width, where.height) == (media.width, media.height):
            return []
        return [f"scale={where.width}:{where.height}"]

    def _static_alpha(self, shown: Shown) -> list[str]:
        _, rest = fade_terms(shown.motion.alpha)
        alpha = rest.constant_value
        if alpha is None or alpha >= 1:
            return []
        return [f"lut=a=val*{number(alpha)}"]

    def _mask(self, label: str, shown: Shown, *, still: bool) -> str:
        """`label` with its alpha plane replaced by the mask."""
        if shown.mask is None:
            return label
        where = shown.where
        mask = self.graph.chain([], mask_filters(shown.mask, where.width, where.height))
        if not still:
            fps = self.canvas.fps
            start = seconds(shown.segment.target.start)
            mask = self.graph.chain(
                [mask], ["loop=loop=-1:size=1", f"setpts=N/{fps}/TB+{start}/TB"]
            )
        return self.graph.chain([label, mask], ["alphamerge"], "s")

    def _colours(self, shown: Shown) -> list[str]:
        if not shown.colour_keys:
            return []
        options = ":".join(_colour_expression(shown, prop) for prop in shown.colour_keys)
        return [f"eq={options}:eval=frame"]

    def _changing(self, shown: Shown) -> list[str]:
        """Opacity and blur over time, before the picture moves."""
        filters = []
        fades, rest = fade_terms(shown.motion.alpha)
        if rest.constant_value is None:
            expression = rest.expression("T")
            filters.append(
                f"geq=lum='p(X,Y)':cb='p(X,Y)':cr='p(X,Y)':a='alpha(X,Y)*({expression})'"
            )
        for kind, start, duration in fades:
            filters.append(f"fade=t={kind}:st={number(start)}:d={number(duration)}:alpha=1")
        blur = shown.motion.blur
        if blur.constant_value != 0.0:
            filters += self._blur(shown, blur)
        return filters

    def _blur(self, shown: Shown, blur: Channel) -> list[str]:
        """gblur whose sigma a sendcmd script sets at each frame while it blurs."""
        fps = self.canvas.fps
        scale = min(self.canvas.width, self.canvas.height) / 1080
        breaks = blur.breaks()
        start, end = breaks[0], breaks[-1]
        name = f"blur{len(self.files) + 1}"
        lines = []
        frame = math.floor(start * fps)
        while frame / fps <= end + 1e-9:
            t = frame / fps
            lines.append(f"{number(t)} gblur@{name} sigma {number(max(0.0, blur.at(t) * scale))};")
            frame += 1
        script = f"{name}.cmd"
        self.files[script] = "\n".join(lines) + "\n"
        enable = f"enable='between(t,{number(start)},{number(end)})'"
        return [f"sendcmd=f={script}", f"gblur@{name}=sigma=0:{enable}"]

    def _moving_filters(self, shown: Shown) -> list[str]:
        """Per-frame scale and turn, after which the picture's size may change each frame."""
        m = shown.motion
        filters = []
        fit_w, fit_h = shown.fit
        if m.scales:
            w = f"max({_MIN_SIDE},{number(fit_w)}*({m.scale_x.expression()}))"
            h = f"max({_MIN_SIDE},{number(fit_h)}*({m.scale_y.expression()}))"
            filters.append(f"scale=w='{w}':h='{h}':eval=frame")
        if m.rotates:
            if m.scales:
                most_w = fit_w * max(abs(v) for v in m.scale_x.bounds())
                most_h = fit_h * max(abs(v) for v in m.scale_y.bounds())
            else:
                most_w, most_h = shown.where.width, shown.where.height
            side = 2 * math.ceil((math.hypot(most_w, most_h) + 2) / 2)
            evaluate = ":eval=frame" if m.scales else ""
            filters += [
                f"pad=w={side}:h={side}:x=(ow-iw)/2:y=(oh-ih)/2:color=black@0{evaluate}",
                f"rotate=a='({m.rotation.expression()})*PI/180':ow={side}:oh={side}:c=black@0",
            ]
        return filters

    def position(self, shown: Shown) -> str:
        """overlay's x and y for the picture: whole pixels, or its centre over time."""
        if not shown.dynamic:
            return f"x={shown.where.x}:y={shown.where.y}"
        m = shown.motion
        cx = f"{number(self.canvas.width / 2)}+({m.x.expression()})"
        cy = f"{number(self.canvas.height / 2)}+({m.y.expression()})"
        return f"x='{cx}-overlay_w/2':y='{cy}-overlay_h/2'"

    def image(self, shown: Shown) -> str:
        """An image's picture once: scaled, with an alpha plane, masked, faded by the clip."""
        index = self.graph.still(shown.segment)
        filters = [*self._scale(shown), "format=yuva420p"]
        alpha = self._static_alpha(shown)
        if shown.mask is None:
            return self.graph.chain([f"{index}:v"], [*filters, *alpha], "s")
        label = self._mask(self.graph.chain([f"{index}:v"], filters, "s"), shown, still=True)
        return self.graph.chain([label], alpha, "s") if alpha else label

    def repeat(self, label: str, target: Timerange) -> str:
        """A single frame shown for all of `target`, at the canvas rate."""
        fps = self.canvas.fps
        frames = max(1, -(-target.duration * fps // 1_000_000))
        repeat = f"loop=loop={frames - 1}:size=1:start=0"
        return self.graph.chain([label], [repeat, f"setpts=N/{fps}/TB+{seconds(target.start)}/TB"])

    def still(self, shown: Shown) -> str:
        """An image shown for all of its segment, changing and moving as its motion says."""
        picture = self.repeat(self.image(shown), shown.segment.target)
        changing = [*self._colours(shown), *self._changing(shown), *self._moving_filters(shown)]
        return self.graph.chain([picture], changing, "s") if changing else picture

    def clip(self, shown: Shown) -> str:
        """A clip's frames at their timeline times, scaled, masked, changing and moving."""
        segment = shown.segment
        index = self.graph.cut(segment)
        timed = _timed(segment.target, segment.source)
        colours = self._colours(shown)
        alpha = self._static_alpha(shown)
        changing = self._changing(shown)
        moving = self._moving_filters(shown)
        needs_alpha = bool(alpha or changing or moving or shown.mask is not None)
        filters = [timed, *self._scale(shown), *colours]
        if not needs_alpha:
            return self.graph.chain([f"{index}:v"], filters, "s")
        filters.append("format=yuva420p")
        rest = [*alpha, *changing, *moving]
        if shown.mask is None:
            return self.graph.chain([f"{index}:v"], [*filters, *rest], "s")
        label = self._mask(self.graph.chain([f"{index}:v"], filters, "s"), shown, still=False)
        return self.graph.chain([label], rest, "s") if rest else label

    def picture(self, shown: Shown) -> str:
        if shown.segment.media.kind is MediaKind.IMAGE:
            return self.still(shown)
        return self.clip(shown)


def _timed(target: Timerange, source: Timerange) -> str:
    start = f"{seconds(target.start)}/TB"
    if target.duration == source.duration:
        return f"setpts=PTS-STARTPTS+{start}"
    return f"setpts=(PTS-STARTPTS)*{target.duration}/{source.duration}+{start}"
