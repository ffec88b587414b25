"""Masks from requests: catalogue names (and capcut-mate's English ones), and their shape in
pyJianYingDraft's `Mask` units.

add_masks takes X, Y, width and height both as capcut-mate's docs give them (fractions of the
frame, 0-1) and as its code reads them (pixels of the material, X and Y from its centre): a
value up to 1 is a fraction, a larger one (or a negative X or Y) pixels. Left out, the mask is
capcut-mate's default: 512 x 512 pixels at the centre.
"""

from __future__ import annotations

from collections.abc import Callable

from draftsmith.catalogue import Kind, lookup
from draftsmith.catalogue.data import Entry
from draftsmith.errors import UnknownName
from draftsmith.service.requests import MaskRequest
from draftsmith.timeline.model import Canvas, Mask, MediaSegment

DEFAULT_MASK_PIXELS = 512
"""capcut-mate's add_masks width and height when left out."""

_MASK_ALIASES = {"heart": "爱心", "star": "星形", "linear": "线性", "mirror": "镜面"}
"""capcut-mate's English mask names the catalogue's shapes do not cover."""


def mask_entry(name: str, field: str = "name") -> Entry:
    """The catalogue mask `name` names; capcut-mate's "circle" and "Circle Mask" too."""
    try:
        return lookup(Kind.MASK, name, field=field)
    except UnknownName:
        words = name.split()
        if len(words) > 1 and words[-1].lower() == "mask":
            words = words[:-1]
        shape = " ".join(words)
        shape = _MASK_ALIASES.get(shape.lower(), shape)
        if shape != name:
            try:
                return lookup(Kind.MASK, shape, field=field)
            except UnknownName:
                pass
        raise


def centred_mask(entry: Entry, segment: MediaSegment, new_id: Callable[[], str]) -> Mask:
    """add_videos' `mask`: centred at pyJianYingDraft's default size (half the material high,
    the shape's own aspect ratio)."""
    ratio = entry.default_aspect_ratio or 1.0
    media = segment.media
    height = 0.5
    width = height * ratio
    if media.width and media.height:
        width = height * media.height * ratio / media.width
    return Mask(
        id=new_id(),
        name=entry.name,
        resource_type=entry.resource_type or "",
        resource_id=entry.resource_id,
        center_x=0.0,
        center_y=0.0,
        width=width,
        height=height,
        aspect_ratio=ratio,
    )


def _is_fraction(value: float) -> bool:
    return 0.0 <= value <= 1.0


def _percent(value: float) -> float:
    """capcut-mate's feather and roundCorner: 0-1, or 0-100 as its code reads them."""
    return value if value <= 1.0 else value / 100.0


def shaped_mask(
    request: MaskRequest,
    entry: Entry,
    segment: MediaSegment,
    canvas: Canvas,
    new_id: Callable[[], str],
) -> Mask:
    """The mask `request` describes on `segment`, in pyJianYingDraft's units: the centre in
    half-widths and half-heights of the material from its middle (y up), the size as
    fractions of the material."""
    material_width = segment.media.width or canvas.width
    material_height = segment.media.height or canvas.height
    ratio = entry.default_aspect_ratio or 1.0
    x, y = request.x, request.y
    if x is None:
        center_x = 0.0
    elif _is_fraction(x):
        center_x = (x - 0.5) * 2
    else:
        center_x = x / (material_width / 2)
    if y is None:
        center_y = 0.0
    elif _is_fraction(y):
        center_y = (0.5 - y) * 2
    else:
        center_y = y / (material_height / 2)
    height_given = DEFAULT_MASK_PIXELS if request.height is None else request.height
    height = height_given if _is_fraction(height_given) else height_given / material_height
    width_given = request.width
    if width_given is not None and _is_fraction(width_given):
        width = width_given
    elif entry.resource_type == "rectangle":
        pixels = DEFAULT_MASK_PIXELS if width_given is None else width_given
        width = pixels / material_width
    else:
        # pyJianYingDraft's rule for every other shape: its own aspect ratio.
        width = height * material_height * ratio / material_width
    return Mask(
        id=new_id(),
        name=entry.name,
        resource_type=entry.resource_type or "",
        resource_id=entry.resource_id,
        center_x=center_x,
        center_y=center_y,
        width=width,
        height=height,
        aspect_ratio=ratio,
        rotation=request.rotation,
        invert=request.invert,
        feather=_percent(request.feather),
        round_corner=_percent(request.round_corner),
    )
