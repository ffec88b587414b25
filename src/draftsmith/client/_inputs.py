"""What the `add_*` methods take: media items, captions, placement and caption style.

Field names follow capcut-mate's request bodies; `start` and `end` are timeline positions in
microseconds (1 s = 1_000_000).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SECOND = 1_000_000


@dataclass(frozen=True)
class Video:
    """A video at `url` placed on the timeline from `start` to `end` (microseconds)."""

    url: str
    start: int
    end: int
    volume: float = 1.0

    def to_json(self) -> dict[str, Any]:
        return {"video_url": self.url, "start": self.start, "end": self.end, "volume": self.volume}


@dataclass(frozen=True)
class Audio:
    """An audio file at `url` placed from `start` to `end` (microseconds)."""

    url: str
    start: int
    end: int
    volume: float = 1.0

    def to_json(self) -> dict[str, Any]:
        return {"audio_url": self.url, "start": self.start, "end": self.end, "volume": self.volume}


@dataclass(frozen=True)
class Image:
    """A still image at `url` shown from `start` to `end` (microseconds)."""

    url: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"image_url": self.url, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Caption:
    """A line of text shown from `start` to `end`; `font_size` overrides the style's."""

    text: str
    start: int
    end: int
    font_size: int | None = None

    def to_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.font_size is not None:
            item["font_size"] = self.font_size
        return item


@dataclass(frozen=True)
class Placement:
    """Opacity, scale and offset of a visual track (capcut-mate's alpha/scale/transform)."""

    alpha: float = 1.0
    scale_x: float = 1.0
    scale_y: float = 1.0
    transform_x: float = 0.0
    transform_y: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "alpha": self.alpha,
            "scale_x": self.scale_x,
            "scale_y": self.scale_y,
            "transform_x": self.transform_x,
            "transform_y": self.transform_y,
        }


@dataclass(frozen=True)
class Shadow:
    """A text shadow; colours are `#rrggbb`."""

    color: str = "#000000"
    alpha: float = 1.0
    diffuse: float = 15.0
    distance: float = 5.0
    angle: float = -45.0

    def to_json(self) -> dict[str, Any]:
        return {
            "shadow_color": self.color,
            "shadow_alpha": self.alpha,
            "shadow_diffuse": self.diffuse,
            "shadow_distance": self.distance,
            "shadow_angle": self.angle,
        }


@dataclass(frozen=True)
class CaptionStyle:
    """The look of a caption track; colours are `#rrggbb`, `alignment` 0-5 as in capcut-mate."""

    text_color: str = "#ffffff"
    border_color: str | None = None
    alignment: int = 1
    font_size: int = 15
    letter_spacing: float | None = None
    line_spacing: float | None = None
    bold: bool = False
    italic: bool = False
    underline: bool = False
    shadow: Shadow | None = field(default=None)

    def to_json(self) -> dict[str, Any]:
        body: dict[str, Any] = {
            "text_color": self.text_color,
            "alignment": self.alignment,
            "font_size": self.font_size,
            "bold": self.bold,
            "italic": self.italic,
            "underline": self.underline,
            "has_shadow": self.shadow is not None,
        }
        optional = {
            "border_color": self.border_color,
            "letter_spacing": self.letter_spacing,
            "line_spacing": self.line_spacing,
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        if self.shadow is not None:
            body["shadow_info"] = self.shadow.to_json()
        return body
