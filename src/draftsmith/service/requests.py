"""What the edges hand the use cases, as they parsed it, and what an edit gives back."""

from __future__ import annotations

from dataclasses import dataclass

from draftsmith.store.records import DraftHeader
from draftsmith.timeline.adjustments import Adjustment
from draftsmith.timeline.model import Mask, Segment, TextStyle, Track


@dataclass(frozen=True)
class AnimationRequest:
    """A segment's requested in/out/loop animations by catalogue name; durations in µs."""

    in_animation: str | None = None
    in_animation_duration: int | None = None
    out_animation: str | None = None
    out_animation_duration: int | None = None
    loop_animation: str | None = None
    loop_animation_duration: int | None = None


@dataclass(frozen=True)
class MediaRequest:
    """One requested media item, as the edge parsed it; `field` names it in errors."""

    field: str
    url: str
    start: int
    end: int
    volume: float = 1.0
    transition: str | None = None
    """Catalogue name of the transition into the next segment."""
    transition_duration: int | None = None
    animations: AnimationRequest | None = None
    scene: tuple[int, int] | None = None
    """add_videos' scene timeline (start, end) for this item, if any."""
    mask: str | None = None
    """add_videos' mask by catalogue name or shape ("circle"), centred at its default size."""
    audio_effect: str | None = None
    """add_audios' audio effect by catalogue name (a scene sound, voice tone or song style)."""


@dataclass(frozen=True)
class CaptionRequest:
    text: str
    start: int
    end: int
    style: TextStyle
    animations: AnimationRequest | None = None
    keywords: tuple[str, ...] = ()
    keyword_style: TextStyle | None = None
    text_effect_id: str | None = None
    """Resource id of the text effect (花字) drawn on the caption."""


@dataclass(frozen=True)
class EffectRequest:
    """One requested effect or filter by catalogue name; `intensity` is 0-100 (filters)."""

    field: str
    name: str
    start: int
    end: int
    intensity: float = 100.0


@dataclass(frozen=True)
class EditResult:
    header: DraftHeader
    track: Track
    ordered: tuple[Segment, ...] | None = None
    """Every segment the edit added, in request order, when it spans more than `track`."""
    warnings: tuple[Adjustment, ...] = ()
    """What the edit did differently from what it was asked (see timeline/adjustments.py)."""

    @property
    def segments(self) -> tuple[Segment, ...]:
        return self.track.segments if self.ordered is None else self.ordered


@dataclass(frozen=True)
class MaskRequest:
    """add_masks: a catalogue mask name and its shape in capcut-mate's units (see
    service/masks.py: X/Y/width/height as fractions of the frame or pixels of the material,
    None where left out; rotation in degrees; feather and round_corner 0-1 or 0-100)."""

    segment_ids: tuple[str, ...]
    name: str
    x: float | None = None
    y: float | None = None
    width: float | None = None
    height: float | None = None
    feather: float = 0.0
    rotation: float = 0.0
    invert: bool = False
    round_corner: float = 0.0


@dataclass(frozen=True)
class MaskResult:
    header: DraftHeader
    segment_ids: tuple[str, ...]
    masks: tuple[Mask, ...]
    warnings: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class KeyframeRequest:
    """add_keyframes: one key value of a property at `time` µs from the segment's start, or at
    `offset` (a fraction of the segment up to 1, else µs; see service/keyframes.py); no
    segment id means every video and photo segment."""

    field: str
    property: str
    value: float
    segment_id: str | None = None
    time: int | None = None
    offset: float | None = None


@dataclass(frozen=True)
class KeyframeResult:
    header: DraftHeader
    keyframes_added: int
    segment_ids: tuple[str, ...]
    warnings: tuple[Adjustment, ...] = ()


@dataclass(frozen=True)
class StickerRequest:
    """add_sticker: a sticker id of the editor's library, its span, and its size and offset
    (canvas pixels from the centre, y pointing down)."""

    sticker_id: str
    start: int
    end: int
    scale: float = 1.0
    transform_x: float = 0.0
    transform_y: float = 0.0
    image_url: str | None = None
    """A picture of the sticker (PNG, WebP, GIF, JPEG) for renders to draw."""
