"""Values that change over the timeline, as numbers and as ffmpeg expressions of `t` (pure).

A `Ramp` goes linearly from key to key and holds its first value before the first key and its
last after the last, as the editor's default "Line" keyframe curve does. A `Cycle` repeats one
ramp over a span (loop animations) and rests at a neutral value outside it. A `Channel` adds or
multiplies such terms: a clip's keyed position plus a slide, its keyed scale times a zoom.

Expressions are what ffmpeg's filters evaluate per frame (`t` in seconds on the timeline):
overlay's x and y, scale's width and height, rotate's angle. A ramp with many keys becomes a
balanced tree of `if(lt(t,..),..,..)`, so its depth grows with the logarithm of the keys.
"""

from __future__ import annotations

import math
from bisect import bisect_right
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from draftsmith.render.graph import number

Point = tuple[float, float]
"""(seconds on the timeline, value)."""


def _lerp(a: Point, b: Point, t: float) -> float:
    if b[0] <= a[0]:
        return b[1]
    return a[1] + (b[1] - a[1]) * (t - a[0]) / (b[0] - a[0])


def _piece(a: Point, b: Point, var: str) -> str:
    if b[1] == a[1] or b[0] <= a[0]:
        return number(a[1])
    slope = (b[1] - a[1]) / (b[0] - a[0])
    return f"{number(a[1])}+({number(slope)})*({var}-{number(a[0])})"


@dataclass(frozen=True)
class Ramp:
    """Linear between time-ordered points, held outside them."""

    points: tuple[Point, ...]

    def __post_init__(self) -> None:
        if not self.points:
            raise ValueError("a ramp needs a point")

    @classmethod
    def constant(cls, value: float) -> Ramp:
        return cls(((0.0, value),))

    @property
    def constant_value(self) -> float | None:
        values = {v for _, v in self.points}
        return self.points[0][1] if len(values) == 1 else None

    def at(self, t: float) -> float:
        points = self.points
        if t <= points[0][0]:
            return points[0][1]
        if t >= points[-1][0]:
            return points[-1][1]
        index = bisect_right([p[0] for p in points], t)
        return _lerp(points[index - 1], points[index], t)

    def breaks(self) -> list[float]:
        return [p[0] for p in self.points]

    def bounds(self) -> tuple[float, float]:
        values = [v for _, v in self.points]
        return min(values), max(values)

    def expression(self, var: str = "t") -> str:
        points = self.points
        if self.constant_value is not None:
            return number(points[0][1])

        def between(low: int, high: int) -> str:
            """The value for times from point `low` to point `high` (indices)."""
            if high - low == 1:
                return _piece(points[low], points[high], var)
            middle = (low + high) // 2
            left, right = between(low, middle), between(middle, high)
            return f"if(lt({var},{number(points[middle][0])}),{left},{right})"

        first, last = points[0], points[-1]
        body = between(0, len(points) - 1)
        return (
            f"if(lt({var},{number(first[0])}),{number(first[1])},"
            f"if(lt({var},{number(last[0])}),{body},{number(last[1])}))"
        )


@dataclass(frozen=True)
class Cycle:
    """`shape` (times from 0 to `period`) repeated from `start` to `end`; `rest` outside."""

    shape: Ramp
    period: float
    start: float
    end: float
    rest: float

    def at(self, t: float) -> float:
        if not self.start <= t < self.end:
            return self.rest
        return self.shape.at(math.fmod(t - self.start, self.period))

    def breaks(self) -> list[float]:
        found = [self.start, self.end]
        count = min(10_000, math.ceil((self.end - self.start) / self.period))
        for n in range(count):
            found += [self.start + n * self.period + b for b in self.shape.breaks()]
        return [b for b in found if self.start <= b <= self.end]

    def bounds(self) -> tuple[float, float]:
        low, high = self.shape.bounds()
        return min(low, self.rest), max(high, self.rest)

    def expression(self, var: str = "t") -> str:
        inner = self.shape.expression(f"mod({var}-{number(self.start)},{number(self.period)})")
        during = f"between({var},{number(self.start)},{number(self.end)})"
        return f"if({during},{inner},{number(self.rest)})"


Term = Ramp | Cycle


@dataclass(frozen=True)
class Channel:
    """Terms added (`product` False) or multiplied (`product` True)."""

    terms: tuple[Term, ...]
    product: bool = False

    @classmethod
    def of(cls, value: float, *, product: bool = False) -> Channel:
        return cls((Ramp.constant(value),), product)

    def plus(self, *terms: Term) -> Channel:
        return Channel((*self.terms, *terms), self.product)

    @property
    def constant_value(self) -> float | None:
        values = [t.constant_value if isinstance(t, Ramp) else None for t in self.terms]
        if any(v is None for v in values):
            return None
        return (math.prod if self.product else sum)(v for v in values if v is not None)

    def at(self, t: float) -> float:
        values = [term.at(t) for term in self.terms]
        return math.prod(values) if self.product else sum(values)

    def breaks(self) -> list[float]:
        return sorted({b for term in self.terms for b in term.breaks()})

    def bounds(self) -> tuple[float, float]:
        """Bounds of the value: exact for sums, and for products of non-negative terms."""
        ranges = [term.bounds() for term in self.terms]
        if not self.product:
            return sum(r[0] for r in ranges), sum(r[1] for r in ranges)
        low = high = 1.0
        for a, b in ranges:
            corners = [low * a, low * b, high * a, high * b]
            low, high = min(corners), max(corners)
        return low, high

    def expression(self, var: str = "t") -> str:
        constant = self.constant_value
        if constant is not None:
            return number(constant)
        joiner = "*" if self.product else "+"
        parts = [t.expression(var) for t in self.terms if not _neutral(t, self.product)]
        return joiner.join(f"({p})" for p in parts)

    def sampled(self, times: Iterable[float]) -> Ramp:
        """The channel as one ramp through its values at `times`."""
        points = tuple((t, self.at(t)) for t in sorted(set(times)))
        return Ramp(points) if points else Ramp.constant(self.at(0.0))


def _neutral(term: Term, product: bool) -> bool:
    value = term.constant_value if isinstance(term, Ramp) else None
    return value == (1.0 if product else 0.0)


def ramp(points: Sequence[Point]) -> Ramp:
    """A ramp through `points`, sorted by time; of two points at one time the later wins."""
    ordered: dict[float, float] = {}
    for t, v in sorted(points, key=lambda p: p[0]):
        ordered[t] = v
    return Ramp(tuple(ordered.items()))
