"""Masks as one greyscale picture each, made once and merged into the alpha plane (pure).

A mask is drawn in the segment's own frame (it moves, scales and turns with the segment), at
the size the segment is shown at scale 1. pyJianYingDraft's units: the centre in half widths
and heights of the picture from its middle, y up; `width` and `height` fractions of the
picture's; `rotation` clockwise degrees; `feather` and `round_corner` 0-1.

- 线性 (line): keeps what is above a line through the centre, turned by the rotation.
- 镜面 (mirror): keeps a band `height` high along such a line.
- 圆形 (circle): an ellipse `width` x `height`.
- 矩形 (rectangle): a rectangle, its corners rounded by `round_corner` x half its shorter side.
- 爱心 (heart) and 星形 (star): the shapes, fitted to `width` x `height`.

The shape is drawn hard-edged by ffmpeg's `geq` on one frame; `feather` blurs its edge over
`feather` x half the mask's shorter side (gblur), `invert` swaps inside and outside. A picture
with an alpha plane of its own (a PNG) loses it where the mask keeps the picture.
"""

from __future__ import annotations

import math

from draftsmith.render.graph import number
from draftsmith.timeline.model import Mask

SHAPES = ("line", "mirror", "circle", "rectangle", "heart", "star")
_HEART_NAMES = ("爱心", "heart")
_STAR_NAMES = ("星形", "star")
_STAR_INNER = 0.382
"""Inner radius of a regular five-pointed star, its outer radius being 1."""


def shape_of(mask: Mask) -> str | None:
    """The shape a mask draws: its resource type, or for the editor's `geometric_shape`
    masks the heart or star its name says; None for a shape the render does not know."""
    kind = mask.resource_type
    if kind in ("line", "mirror", "circle", "rectangle"):
        return kind
    name = mask.name.strip().lower()
    if name in _HEART_NAMES:
        return "heart"
    if name in _STAR_NAMES:
        return "star"
    return None


def _star_edge() -> tuple[float, float]:
    """(distance from the centre, normal angle) of the star's edge from its tip (angle 0) to
    the next inner corner (angle 36 degrees)."""
    tip = (1.0, 0.0)
    inner = (_STAR_INNER * math.cos(math.pi / 5), _STAR_INNER * math.sin(math.pi / 5))
    dx, dy = inner[0] - tip[0], inner[1] - tip[1]
    nx, ny = dy, -dx
    length = math.hypot(nx, ny)
    nx, ny = nx / length, ny / length
    distance = tip[0] * nx + tip[1] * ny
    if distance < 0:
        nx, ny, distance = -nx, -ny, -distance
    return distance, math.atan2(ny, nx)


def inside(mask: Mask, width: int, height: int) -> str:
    """A geq expression of X and Y that is 1 inside the mask and 0 outside, for a picture of
    `width` x `height` pixels."""
    shape = shape_of(mask)
    cx = width / 2 * (1 + mask.center_x)
    cy = height / 2 * (1 - mask.center_y)
    half_w = max(0.5, mask.width * width / 2)
    half_h = max(0.5, mask.height * height / 2)
    angle = math.radians(mask.rotation)
    cos, sin = number(math.cos(angle)), number(math.sin(angle))
    # (u, v): the pixel in the mask's own frame, turned back by its clockwise rotation.
    dx, dy = f"(X-{number(cx)})", f"(Y-{number(cy)})"
    u = f"({dx}*{cos}+{dy}*{sin})"
    v = f"({dy}*{cos}-{dx}*{sin})"
    if shape == "line":
        return f"lte({v},0)"
    if shape == "mirror":
        return f"lte(abs({v}),{number(half_h)})"
    if shape == "circle":
        return f"lte(hypot({u}/{number(half_w)},{v}/{number(half_h)}),1)"
    if shape == "rectangle":
        radius = min(half_w, half_h) * min(1.0, max(0.0, mask.round_corner))
        qx = f"(abs({u})-{number(half_w - radius)})"
        qy = f"(abs({v})-{number(half_h - radius)})"
        outside = f"hypot(max({qx},0),max({qy},0))+min(max({qx},{qy}),0)"
        return f"lte({outside},{number(radius)})"
    if shape == "heart":
        # (x^2+y^2-1)^3 <= x^2 y^3, which spans x in [-1.14, 1.14] and y in [-1, 1.24].
        x = f"({u}/{number(half_w)}*1.14)"
        y = f"(-{v}/{number(half_h)}*1.12+0.12)"
        return f"lte(pow({x}*{x}+{y}*{y}-1,3)-{x}*{x}*{y}*{y}*{y},0)"
    if shape == "star":
        distance, normal = _star_edge()
        x = f"({u}/{number(half_w)})"
        y = f"({v}/{number(half_h)})"
        # Angle from the upper tip, folded into one edge's sector [0, 36] degrees.
        sector = number(math.pi / 5)
        folded = f"abs(mod(atan2({x},-{y})+{number(math.pi * 11)},2*{sector})-{sector})"
        edge = f"{number(distance)}/cos({folded}-{number(normal)})"
        return f"lte(hypot({x},{y}),{edge})"
    raise ValueError(f"mask shape {mask.resource_type!r} is not drawn")


def mask_filters(mask: Mask, width: int, height: int) -> list[str]:
    """Filters making the mask picture, from nothing: one grey frame, white where kept."""
    expression = inside(mask, width, height)
    filters = [
        f"color=c=black:s={width}x{height}:r=1:d=1",
        "format=gray",
        f"geq=lum='255*{expression}'",
    ]
    feather = min(1.0, max(0.0, mask.feather))
    if feather > 0:
        half = min(mask.width * width, mask.height * height) / 2
        filters.append(f"gblur=sigma={number(max(0.5, feather * half / 2))}")
    if mask.invert:
        filters.append("negate")
    return [*filters, "trim=end_frame=1"]
