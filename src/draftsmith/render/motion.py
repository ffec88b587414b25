"""How a picture or caption moves over its segment: keyframes and animations as channels (pure).

A segment's `Motion` holds, as functions of timeline time (`curves.Channel`), where its centre
is (canvas pixels from the canvas centre, y down), its scale (times its size at scale 1), its
clockwise rotation (degrees), its opacity and its blur (pixels at 1080p).

- Keyframes replace the clip's static value of their property (`KFTypePositionX` in half canvas
  widths, `KFTypePositionY` the same with y up, `KFTypeScaleX/Y`, `KFTypeRotation` in degrees,
  `KFTypeAlpha`/`KFTypeGlobalAlpha`): held before the first key and after the last, linear
  between keys, as the editor's default "Line" curve.
- Animations add their movement on top (movements.py names it): a slide adds an offset from
  off the canvas, a zoom multiplies the scale, a spin adds a rotation, a fade multiplies the
  opacity, over the animation's own span. Intros end at rest and outros start at rest; a loop
  repeats its cycle (the catalogue's duration) over its span; a group animation plays its
  movement in over the first half of its span and out over the second.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass, field

from draftsmith.catalogue.data import Kind
from draftsmith.catalogue.names import find
from draftsmith.render.curves import Channel, Cycle, Point, Ramp, Term, ramp
from draftsmith.render.movements import DESCRIPTIONS, PER_CHARACTER, Move, animation_kind, movement
from draftsmith.render.report import Feature, ReportBuilder
from draftsmith.timeline.model import Animation, Animations, Canvas, Clip, Keyframe, KeyframeList

POSITION_X = "KFTypePositionX"
POSITION_Y = "KFTypePositionY"
SCALE_X = "KFTypeScaleX"
SCALE_Y = "KFTypeScaleY"
ROTATION = "KFTypeRotation"
ALPHA_KEYFRAMES = ("KFTypeAlpha", "KFTypeGlobalAlpha")
VOLUME = "KFTypeVolume"
COLOUR_KEYFRAMES = ("KFTypeBrightness", "KFTypeContrast", "KFTypeSaturation")

BLUR_SIGMA = 24.0
"""How blurred a blur animation starts (in) or ends (out), in pixels at 1080p."""
SHAKE_AMPLITUDE = 0.03
"""How far a shake moves, as a fraction of the canvas width."""
BOUNCE_AMPLITUDE = 0.04
"""How high a looping bounce rises, as a fraction of the canvas height."""
DEFAULT_CYCLE_US = 1_000_000
_US = 1_000_000


def seconds_of(us: int) -> float:
    return us / _US


def keys_of(keyframes: Sequence[KeyframeList], *properties: str) -> tuple[Keyframe, ...]:
    """The keyframes of the first of `properties` the segment has, in time order."""
    for wanted in properties:
        for keyframe_list in keyframes:
            if keyframe_list.property == wanted and keyframe_list.keyframes:
                return tuple(sorted(keyframe_list.keyframes, key=lambda k: k.time_offset))
    return ()


def alpha_keys(keyframes: Sequence[KeyframeList]) -> tuple[Keyframe, ...]:
    """The opacity keyframes of a segment, in time order (empty when it has none)."""
    return keys_of(keyframes, *ALPHA_KEYFRAMES)


def keyed(keys: Sequence[Keyframe], start_us: int, scale: float = 1.0) -> Ramp:
    """Keys as a ramp over the timeline, each value times `scale`."""
    return ramp([(seconds_of(start_us + k.time_offset), k.value * scale) for k in keys])


@dataclass(frozen=True)
class Motion:
    x: Channel
    y: Channel
    scale_x: Channel
    scale_y: Channel
    rotation: Channel
    alpha: Channel
    blur: Channel
    per_character: tuple[tuple[Move, str, float, float], ...] = ()
    """Caption animations of single characters: (movement, "in"/"out", start s, end s)."""

    @property
    def moves(self) -> bool:
        return self.x.constant_value is None or self.y.constant_value is None

    @property
    def scales(self) -> bool:
        return self.scale_x.constant_value is None or self.scale_y.constant_value is None

    @property
    def rotates(self) -> bool:
        return self.rotation.constant_value != 0.0

    def breaks(self) -> list[float]:
        channels = (self.x, self.y, self.scale_x, self.scale_y, self.rotation, self.alpha)
        return sorted({b for c in (*channels, self.blur) for b in c.breaks()})


@dataclass
class _Terms:
    x: list[Term]
    y: list[Term]
    scale_x: list[Term]
    scale_y: list[Term]
    rotation: list[Term]
    alpha: list[Term]
    blur: list[Term] = field(default_factory=list)
    per_character: list[tuple[Move, str, float, float]] = field(default_factory=list)

    def scale(self, term: Term) -> None:
        self.scale_x.append(term)
        self.scale_y.append(term)

    def motion(self) -> Motion:
        return Motion(
            Channel(tuple(self.x)),
            Channel(tuple(self.y)),
            Channel(tuple(self.scale_x), product=True),
            Channel(tuple(self.scale_y), product=True),
            Channel(tuple(self.rotation)),
            Channel(tuple(self.alpha), product=True),
            Channel(tuple(self.blur) or (Ramp.constant(0.0),)),
            tuple(self.per_character),
        )


@dataclass(frozen=True)
class Box:
    """What a motion moves: the canvas, and the size of the thing at scale 1 (pixels)."""

    canvas: Canvas
    width: float
    height: float


def _along(start: float, end: float, *fractions_values: Point) -> Ramp:
    """A ramp through (fraction of the span, value) points."""
    return ramp([(start + (end - start) * f, v) for f, v in fractions_values])


def _entering(kind: str, values: Sequence[Point]) -> list[Point]:
    """An intro's (fraction, value) points; an outro plays them backwards in time."""
    if kind == "in":
        return list(values)
    return [(1 - f, v) for f, v in reversed(values)]


class _Animator:
    """Adds the terms of each animation's movement."""

    def __init__(self, terms: _Terms, box: Box, *, text: bool) -> None:
        self.terms = terms
        self.box = box
        self.text = text

    def _offsets(self) -> tuple[float, float]:
        """How far a slide starts (or ends) from rest: far enough to be off the canvas."""
        canvas, box = self.box.canvas, self.box
        reach_x = max(abs(v) for t in self.terms.x for v in t.bounds())
        reach_y = max(abs(v) for t in self.terms.y for v in t.bounds())
        grow_x = max(abs(v) for t in self.terms.scale_x for v in t.bounds())
        grow_y = max(abs(v) for t in self.terms.scale_y for v in t.bounds())
        return (
            canvas.width / 2 + box.width * grow_x / 2 + reach_x + 2,
            canvas.height / 2 + box.height * grow_y / 2 + reach_y + 2,
        )

    def once(self, move: Move, kind: str, start: float, end: float) -> None:
        """An intro ("in") or outro ("out") of `move` over [start, end] seconds."""
        terms = self.terms
        off_x, off_y = self._offsets()

        def points(*values: Point) -> Ramp:
            return _along(start, end, *_entering(kind, values))

        fade_in = points((0, 0.0), (1, 1.0))
        slides = {
            Move.SLIDE_LEFT: (terms.x, off_x),
            Move.SLIDE_RIGHT: (terms.x, -off_x),
            Move.SLIDE_UP: (terms.y, off_y),
            Move.SLIDE_DOWN: (terms.y, -off_y),
        }
        if move in slides:
            channel, distance = slides[move]
            channel.append(points((0, distance if kind == "in" else -distance), (1, 0.0)))
        elif move is Move.FADE:
            terms.alpha.append(fade_in)
        elif move is Move.ZOOM_IN:
            terms.scale(points((0, 0.1), (1, 1.0)) if kind == "in" else points((0, 1.5), (1, 1)))
            if kind == "out":
                terms.alpha.append(fade_in)
        elif move is Move.ZOOM_OUT:
            terms.scale(points((0, 1.5), (1, 1.0)) if kind == "in" else points((0, 0.1), (1, 1)))
            if kind == "in":
                terms.alpha.append(fade_in)
        elif move is Move.ROTATE:
            terms.rotation.append(points((0, -360.0 if kind == "in" else 360.0), (1, 0.0)))
            terms.alpha.append(fade_in)
        elif move is Move.FLIP:
            terms.scale_x.append(points((0, 0.0), (1, 1.0)))
        elif move is Move.BOUNCE:
            terms.scale(points((0, 0.1), (0.6, 1.15), (0.8, 0.95), (1, 1.0)))
        elif move is Move.SHAKE:
            amplitude = SHAKE_AMPLITUDE * self.box.canvas.width
            steps = 8
            terms.x.append(
                points(*((n / steps, amplitude * (1 - n / steps) * (-1) ** n) for n in range(9)))
            )
        elif move is Move.SWING:
            terms.rotation.append(points((0, 30.0), (1 / 3, -15.0), (2 / 3, 7.0), (1, 0.0)))
        elif move is Move.PULSE:
            terms.scale(points((0, 1.0), (0.5, 1.15), (1, 1.0)))
        elif move is Move.BLUR:
            terms.blur.append(points((0, BLUR_SIGMA), (1, 0.0)))
            terms.alpha.append(fade_in)
        elif move in PER_CHARACTER:
            terms.per_character.append((move, kind, start, end))

    def cycle(self, move: Move, start: float, end: float, period: float) -> bool:
        """A loop of `move` repeating every `period` seconds over [start, end]; False when the
        movement has no loop form."""
        terms = self.terms
        canvas = self.box.canvas

        def loop(rest: float, *values: Point) -> Cycle:
            shape = ramp([(f * period, v) for f, v in values])
            return Cycle(shape, period, start, end, rest)

        if move is Move.SHAKE:
            a = SHAKE_AMPLITUDE * canvas.width
            terms.x.append(loop(0.0, (0, 0.0), (0.25, a), (0.75, -a), (1, 0.0)))
        elif move is Move.SWING:
            terms.rotation.append(loop(0.0, (0, 0.0), (0.25, 12.0), (0.75, -12.0), (1, 0.0)))
        elif move is Move.BOUNCE:
            rise = BOUNCE_AMPLITUDE * canvas.height
            terms.y.append(loop(0.0, (0, 0.0), (0.5, -rise), (1, 0.0)))
        elif move in (Move.PULSE, Move.ZOOM_IN, Move.ZOOM_OUT):
            terms.scale(loop(1.0, (0, 1.0), (0.5, 1.15), (1, 1.0)))
        elif move is Move.ROTATE:
            terms.rotation.append(loop(0.0, (0, 0.0), (1, 360.0)))
        elif move is Move.FLIP:
            terms.scale_x.append(loop(1.0, (0, 1.0), (0.5, 0.0), (1, 1.0)))
        elif move in (Move.SLIDE_LEFT, Move.SLIDE_RIGHT):
            off_x, _ = self._offsets()
            sign = 1.0 if move is Move.SLIDE_LEFT else -1.0
            terms.x.append(loop(0.0, (0, sign * off_x), (1, -sign * off_x)))
        elif move is Move.FADE and self.text:
            terms.alpha.append(loop(1.0, (0, 1.0), (0.5, 0.2), (1, 1.0)))
        else:
            return False
        return True


def _loop_period(kind: Kind, name: str) -> float:
    entry = find(kind, name)
    period_us = entry.duration_us if entry and entry.duration_us else DEFAULT_CYCLE_US
    return seconds_of(max(100_000, period_us))


def _animate(
    animator: _Animator,
    item: Animation,
    segment_start_us: int,
    segment_id: str,
    report: ReportBuilder,
) -> None:
    text = animator.text
    kind = animation_kind(item.type, text=text)
    mapped = movement(kind, item.name, text=text)
    name = f"{item.type}: {item.name}"
    start = seconds_of(segment_start_us + item.start)
    end = seconds_of(segment_start_us + item.start + item.duration)
    if mapped.move is None or item.duration <= 0:
        why = "its name says no movement the render draws" if item.duration > 0 else "no time"
        report.not_drawn(Feature.ANIMATION, name, segment_id, why)
        return
    move = mapped.move
    how = DESCRIPTIONS[move] + ("" if mapped.listed else ", chosen by the words of its name")
    if kind in (Kind.TEXT_LOOP,) and move not in PER_CHARACTER:
        if not animator.cycle(move, start, end, _loop_period(kind, item.name)):
            report.not_drawn(Feature.ANIMATION, name, segment_id, f"{how} has no loop form")
            return
        report.approximated(Feature.ANIMATION, name, segment_id, f"{how}, repeated")
    elif item.type in ("in", "out"):
        animator.once(move, item.type, start, end)
        if move is Move.FADE and item.name in ("渐显", "渐隐"):
            report.exact(Feature.ANIMATION, name, segment_id)
        else:
            report.approximated(Feature.ANIMATION, name, segment_id, how)
    elif move in (Move.SHAKE, Move.SWING, Move.PULSE):
        animator.cycle(move, start, end, _loop_period(kind, item.name))
        report.approximated(Feature.ANIMATION, name, segment_id, f"{how}, repeated")
    else:
        middle = (start + end) / 2
        animator.once(move, "in", start, middle)
        animator.once(move, "out", middle, end)
        report.approximated(
            Feature.ANIMATION, name, segment_id, f"{how}: in over its first half, out over the rest"
        )


def motion(
    segment_id: str,
    clip: Clip,
    keyframes: Sequence[KeyframeList],
    animations: Animations | None,
    start_us: int,
    box: Box,
    report: ReportBuilder,
    *,
    text: bool,
) -> Motion:
    """The motion of a picture (`text` False) or caption over its segment starting at
    `start_us`; notes each keyframe list and animation in `report`."""
    canvas = box.canvas
    half_w, half_h = canvas.width / 2, canvas.height / 2
    static: dict[str, Term] = {
        POSITION_X: Ramp.constant(clip.transform_x),
        POSITION_Y: Ramp.constant(clip.transform_y),
        SCALE_X: Ramp.constant(abs(clip.scale_x)),
        SCALE_Y: Ramp.constant(abs(clip.scale_y)),
        ROTATION: Ramp.constant(0.0),
        "alpha": Ramp.constant(min(1.0, max(0.0, clip.alpha))),
    }
    units = {POSITION_X: half_w, POSITION_Y: -half_h, SCALE_X: 1.0, SCALE_Y: 1.0, ROTATION: 1.0}
    for keyframe_list in keyframes:
        prop = keyframe_list.property
        keys = tuple(sorted(keyframe_list.keyframes, key=lambda k: k.time_offset))
        if not keys:
            continue
        if prop in units:
            ramp_ = keyed(keys, start_us, units[prop])
            if prop in (SCALE_X, SCALE_Y):
                ramp_ = Ramp(tuple((t, abs(v)) for t, v in ramp_.points))
            static[prop] = ramp_
            report.exact(Feature.KEYFRAME, prop, segment_id)
        elif prop in ALPHA_KEYFRAMES:
            clamped = [(t, min(1.0, max(0.0, v))) for t, v in keyed(keys, start_us).points]
            static["alpha"] = Ramp(tuple(clamped))
            report.exact(Feature.KEYFRAME, prop, segment_id)
        elif text:
            report.not_drawn(Feature.KEYFRAME, prop, segment_id, "a property captions lack")
    terms = _Terms(
        [static[POSITION_X]],
        [static[POSITION_Y]],
        [static[SCALE_X]],
        [static[SCALE_Y]],
        [static[ROTATION]],
        [static["alpha"]],
    )
    if animations is not None:
        animator = _Animator(terms, box, text=text)
        for item in animations.items:
            _animate(animator, item, start_us, segment_id, report)
    return terms.motion()


def volume_ramp(keyframes: Sequence[KeyframeList], start_us: int) -> Ramp | None:
    """Volume keyframes over the timeline, or None when there are none."""
    keys = keys_of(keyframes, VOLUME)
    if not keys:
        return None
    return ramp([(t, max(0.0, v)) for t, v in keyed(keys, start_us).points])


def fade_terms(alpha: Channel) -> tuple[list[tuple[str, float, float]], Channel]:
    """Split the opacity into plain fades (("in"/"out", start, duration) seconds, which ffmpeg's
    `fade` draws cheaply) and the rest."""
    fades: list[tuple[str, float, float]] = []
    rest: list[Term] = []
    for term in alpha.terms:
        if isinstance(term, Ramp) and len(term.points) == 2:
            (t0, v0), (t1, v1) = term.points
            if (v0, v1) in ((0.0, 1.0), (1.0, 0.0)) and t1 > t0:
                fades.append(("in" if v0 == 0.0 else "out", t0, t1 - t0))
                continue
        rest.append(term)
    return fades, Channel(tuple(rest) or (Ramp.constant(1.0),), product=True)
