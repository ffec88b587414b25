"""What the `add_*` methods take: media items, captions, effects, filters, masks, keyframes,
placement and caption style.

Field names follow capcut-mate's request bodies; `start` and `end` are timeline positions in
microseconds (1 s = 1_000_000). Names of transitions, animations, effects, filters and masks
are the catalogue's (the server's get_effects, get_filters, list_catalogue...).
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

SECOND = 1_000_000


def _given(fields: dict[str, Any]) -> dict[str, Any]:
    """`fields` without those left at None, so that the server's defaults apply."""
    return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class Animations:
    """Intro, outro and loop animations of an image or a caption, by catalogue name;
    durations in microseconds (None: the animation's own length, or the time left)."""

    in_animation: str | None = None
    out_animation: str | None = None
    loop_animation: str | None = None
    in_animation_duration: int | None = None
    out_animation_duration: int | None = None
    loop_animation_duration: int | None = None

    def to_json(self) -> dict[str, Any]:
        return _given(
            {
                "in_animation": self.in_animation,
                "in_animation_duration": self.in_animation_duration,
                "out_animation": self.out_animation,
                "out_animation_duration": self.out_animation_duration,
                "loop_animation": self.loop_animation,
                "loop_animation_duration": self.loop_animation_duration,
            }
        )


@dataclass(frozen=True)
class Scene:
    """Where a video plays on the timeline when that differs from its `start`-`end` span: it
    is sped up or slowed down so that the span fits (add_videos' scene_timelines)."""

    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"start": self.start, "end": self.end}


@dataclass(frozen=True)
class Video:
    """A video at `url` placed on the timeline from `start` to `end` (microseconds).

    `transition` (a catalogue name) leads into the next video over `transition_duration`
    microseconds (0.1-2.5 s); `mask` (a mask name such as "circle") masks it; `scene` plays
    it elsewhere at another speed.
    """

    url: str
    start: int
    end: int
    volume: float = 1.0
    transition: str | None = None
    transition_duration: int | None = None
    mask: str | None = None
    scene: Scene | None = None

    def to_json(self) -> dict[str, Any]:
        item = {"video_url": self.url, "start": self.start, "end": self.end, "volume": self.volume}
        optional = {
            "transition": self.transition,
            "transition_duration": self.transition_duration,
            "mask": self.mask,
        }
        return {**item, **_given(optional)}


@dataclass(frozen=True)
class Audio:
    """An audio file at `url` placed from `start` to `end` (microseconds); `audio_effect`: a
    catalogue audio effect name (scene sound, voice tone or speech-to-song style)."""

    url: str
    start: int
    end: int
    volume: float = 1.0
    audio_effect: str | None = None

    def to_json(self) -> dict[str, Any]:
        data: dict[str, Any] = {
            "audio_url": self.url,
            "start": self.start,
            "end": self.end,
            "volume": self.volume,
        }
        if self.audio_effect is not None:
            data["audio_effect"] = self.audio_effect
        return data


@dataclass(frozen=True)
class Image:
    """A still image at `url` shown from `start` to `end` (microseconds), optionally with a
    `transition` into the next image and `animations`."""

    url: str
    start: int
    end: int
    transition: str | None = None
    transition_duration: int | None = None
    animations: Animations | None = None

    def to_json(self) -> dict[str, Any]:
        item = {"image_url": self.url, "start": self.start, "end": self.end}
        optional = {"transition": self.transition, "transition_duration": self.transition_duration}
        return {**item, **_given(optional), **_animated(self.animations)}


def _animated(animations: Animations | None) -> dict[str, Any]:
    return animations.to_json() if animations is not None else {}


@dataclass(frozen=True)
class Keywords:
    """Words of a caption to highlight, in capcut-mate's "a|b" form, and how they look;
    unset fields follow the caption's style (the colour defaults to #ff7100). `font` is a
    catalogue font name (add_captions' keyword_font)."""

    keyword: str
    color: str | None = None
    border_color: str | None = None
    font_size: int | None = None
    shadow: Shadow | None = None
    font: str | None = None

    def to_json(self) -> dict[str, Any]:
        fields: dict[str, Any] = {
            "keyword": self.keyword,
            "keyword_color": self.color,
            "keyword_border_color": self.border_color,
            "keyword_font_size": self.font_size,
            "keyword_font": self.font,
        }
        if self.shadow is not None:
            fields["keyword_has_shadow"] = True
            fields["keyword_shadow_info"] = self.shadow.to_json()
        return _given(fields)


@dataclass(frozen=True)
class Caption:
    """A line of text shown from `start` to `end`; `font_size` overrides the style's,
    `keywords` highlights words of it, `animations` moves it in and out."""

    text: str
    start: int
    end: int
    font_size: int | None = None
    keywords: Keywords | None = None
    animations: Animations | None = None

    def to_json(self) -> dict[str, Any]:
        item: dict[str, Any] = {"text": self.text, "start": self.start, "end": self.end}
        if self.font_size is not None:
            item["font_size"] = self.font_size
        if self.keywords is not None:
            item.update(self.keywords.to_json())
        return {**item, **_animated(self.animations)}


@dataclass(frozen=True)
class Effect:
    """A scene or character effect, by catalogue name, from `start` to `end` (microseconds)."""

    title: str
    start: int
    end: int

    def to_json(self) -> dict[str, Any]:
        return {"effect_title": self.title, "start": self.start, "end": self.end}


@dataclass(frozen=True)
class Filter:
    """A filter, by catalogue name, from `start` to `end`, at `intensity` 0-100."""

    title: str
    start: int
    end: int
    intensity: float = 100.0

    def to_json(self) -> dict[str, Any]:
        return {
            "filter_title": self.title,
            "start": self.start,
            "end": self.end,
            "intensity": self.intensity,
        }


@dataclass(frozen=True)
class Mask:
    """A mask shape (catalogue name, e.g. "circle" or "圆形") centred at (`x`, `y`) with
    `width` and `height`, all fractions of the video (0-1)."""

    name: str
    x: float
    y: float
    width: float
    height: float
    feather: float = 0.0
    rotation: float = 0.0
    invert: bool = False
    round_corner: float = 0.0

    def to_json(self) -> dict[str, Any]:
        return {
            "name": self.name,
            "X": self.x,
            "Y": self.y,
            "width": self.width,
            "height": self.height,
            "feather": self.feather,
            "rotation": self.rotation,
            "invert": self.invert,
            "roundCorner": self.round_corner,
        }


@dataclass(frozen=True)
class Keyframe:
    """`property` (opacity, scale.x, position.y, rotation, volume, or a KFType name) takes
    `value` at `time` microseconds from the segment's start; without `segment_id`, on every
    video segment of the draft."""

    property: str
    time: int
    value: float
    segment_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        item = {"property": self.property, "time": self.time, "value": self.value}
        return {**item, **_given({"segment_id": self.segment_id})}


@dataclass(frozen=True)
class Sticker:
    """A sticker of the editor's library (`sticker_id`, digits) shown from `start` to `end`,
    scaled by `scale` and offset by `transform_x`/`transform_y` pixels from the centre. The
    editor fetches it when it opens the draft; a server render draws the picture at
    `image_url` (fetched when the sticker is added), and without one leaves it out."""

    sticker_id: str
    start: int
    end: int
    scale: float = 1.0
    transform_x: float = 0.0
    transform_y: float = 0.0
    image_url: str | None = None

    def to_json(self) -> dict[str, Any]:
        sticker = {
            "sticker_id": self.sticker_id,
            "start": self.start,
            "end": self.end,
            "scale": self.scale,
            "transform_x": self.transform_x,
            "transform_y": self.transform_y,
        }
        return {**sticker, **_given({"image_url": self.image_url})}


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
    """The look of a caption track; colours are `#rrggbb`, `alignment` 0-5 as in capcut-mate.

    `font` is a catalogue font name (得意黑...). `text_effect` is a text effect (花字): its
    numeric effect id, or its title in the server's text effect catalogue; it brings its own
    look, so the server then resets `text_color`, `border_color` and `shadow`.
    """

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
    font: str | None = None
    text_effect: str | int | None = None

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
            "font": self.font,
            "text_effect": None if self.text_effect is None else str(self.text_effect),
        }
        body.update({k: v for k, v in optional.items() if v is not None})
        if self.shadow is not None:
            body["shadow_info"] = self.shadow.to_json()
        return body
