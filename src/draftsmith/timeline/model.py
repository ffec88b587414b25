"""The draft as the domain sees it: canvas, tracks, segments, all times in microseconds.

Values are frozen; an edit builds a new value. Identifiers are chosen when an edit is made and
kept forever, so encoding the same draft always gives the same bytes.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from enum import StrEnum
from functools import cached_property

from draftsmith.timeline.adjustments import Adjustment

MICROSECONDS_PER_SECOND = 1_000_000
PHOTO_DURATION_US = 10_800_000_000
"""How long the editor considers a still image to last (3 hours)."""
DEFAULT_PROFILE_NAME = "all"
"""The editors a draft is for unless told otherwise: every one (see draftsmith.capcut.profiles)."""


@dataclass(frozen=True)
class Timerange:
    """A span of time in integer microseconds."""

    start: int
    duration: int

    @property
    def end(self) -> int:
        return self.start + self.duration

    def overlaps(self, other: Timerange) -> bool:
        return self.start < other.end and other.start < self.end


class TrackKind(StrEnum):
    VIDEO = "video"
    AUDIO = "audio"
    TEXT = "text"
    EFFECT = "effect"
    FILTER = "filter"
    STICKER = "sticker"


class MediaKind(StrEnum):
    VIDEO = "video"
    AUDIO = "audio"
    IMAGE = "image"


@dataclass(frozen=True)
class Media:
    """A media file as stored: content hash plus what probing found."""

    sha256: str
    kind: MediaKind
    extension: str
    size: int
    duration_us: int | None
    width: int | None
    height: int | None
    has_audio: bool = False
    thumbnail_sha256: str | None = None
    """Blob of a small JPEG of the first picture, made at ingest; None for audio."""
    strip_sha256: str | None = None
    """Blob of a JPEG of `strip_frames` pictures side by side, spread over a video."""
    strip_frames: int = 0
    waveform_sha256: str | None = None
    """Blob of the sound's peak levels (media/waveform.py), for media with sound."""
    missing_path: str | None = None
    """Set on media an imported draft names but did not bring (a path on another machine's
    disk): the path as the draft wrote it. `sha256` is then empty and no blob exists."""

    @property
    def missing(self) -> bool:
        return self.missing_path is not None

    @property
    def file_name(self) -> str:
        return f"{self.sha256}.{self.extension}"


@dataclass(frozen=True)
class Clip:
    """Placement of a visual segment on the canvas; transform is in canvas pixels."""

    alpha: float = 1.0
    scale_x: float = 1.0
    scale_y: float = 1.0
    transform_x: float = 0.0
    transform_y: float = 0.0


@dataclass(frozen=True)
class Transition:
    """The transition from a segment into the next one on its track (a catalogue entry)."""

    id: str
    name: str
    effect_id: str
    resource_id: str
    duration: int
    is_overlap: bool


@dataclass(frozen=True)
class Animation:
    """One intro ("in"), outro ("out"), group or loop animation of a segment; `start` is
    relative to the segment's start."""

    type: str
    name: str
    effect_id: str
    resource_id: str
    start: int
    duration: int


@dataclass(frozen=True)
class Animations:
    """A segment's animations: one `materials.material_animations` entry."""

    id: str
    video: bool
    """Video/photo animations (True) or text animations (False)."""
    items: tuple[Animation, ...]


@dataclass(frozen=True)
class Keyframe:
    """One key value at `time_offset` µs from the segment's start, in the editor's units."""

    id: str
    time_offset: int
    value: float


@dataclass(frozen=True)
class KeyframeList:
    """A segment's keyframes of one property (`KFTypePositionX`...), sorted by time."""

    id: str
    property: str
    keyframes: tuple[Keyframe, ...]


@dataclass(frozen=True)
class Mask:
    """A shape mask on a video or photo segment, in pyJianYingDraft's `Mask` units: the centre
    in half-widths/heights from the middle (y up), the size as fractions of the material."""

    id: str
    name: str
    resource_type: str
    resource_id: str
    center_x: float
    center_y: float
    width: float
    height: float
    aspect_ratio: float
    rotation: float = 0.0
    invert: bool = False
    feather: float = 0.0
    round_corner: float = 0.0


@dataclass(frozen=True)
class AudioEffect:
    """A catalogue audio effect on an audio segment: a scene sound (`sound_effect`), a voice
    tone (`tone`) or a speech-to-song style (`speech_to_song`), with its parameters at their
    defaults."""

    id: str
    name: str
    category: str
    resource_id: str
    params: tuple[EffectParam, ...] = ()


@dataclass(frozen=True)
class MediaSegment:
    """A video, image or audio segment and the material it plays."""

    id: str
    material_id: str
    media: Media
    source_name: str
    target: Timerange
    source: Timerange
    volume: float = 1.0
    clip: Clip | None = None
    transition: Transition | None = None
    animations: Animations | None = None
    mask: Mask | None = None
    keyframes: tuple[KeyframeList, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    """What the edits that made or changed it did differently from what they were asked."""
    opaque: str = ""
    """What an imported draft held here that the model does not (draftsmith.capcut.opaque),
    as JSON text; empty for everything draftsmith made."""
    audio_effect: AudioEffect | None = None
    """add_audios' `audio_effect`: a voice or sound effect the editor applies to the audio."""

    @property
    def speed(self) -> float:
        return self.source.duration / self.target.duration


@dataclass(frozen=True)
class Shadow:
    color: str = "#000000"
    alpha: float = 1.0
    diffuse: float = 15.0
    distance: float = 5.0
    angle: float = -45.0


@dataclass(frozen=True)
class Font:
    """A catalogue font text is drawn in: the name the editor shows and its resource id."""

    name: str
    resource_id: str


@dataclass(frozen=True)
class TextStyle:
    font_size: float = 15.0
    color: str = "#ffffff"
    bold: bool = False
    italic: bool = False
    underline: bool = False
    alignment: int = 1
    border_color: str | None = None
    shadow: Shadow | None = None
    letter_spacing: float = 0.0
    line_spacing: float = 0.0
    font: Font | None = None
    """None: the editor's default font."""


@dataclass(frozen=True)
class TextEffect:
    """A text effect (花字) on a caption: one `materials.effects` entry. The editor fetches it
    by `effect_id`, which is also its resource id."""

    id: str
    effect_id: str


@dataclass(frozen=True)
class TextSegment:
    """A caption: text shown over a span of the timeline."""

    id: str
    material_id: str
    text: str
    target: Timerange
    style: TextStyle = field(default_factory=TextStyle)
    clip: Clip = field(default_factory=Clip)
    animations: Animations | None = None
    keywords: tuple[str, ...] = ()
    """Words highlighted wherever they occur in `text`, styled by `keyword_style`."""
    keyword_style: TextStyle | None = None
    effect: TextEffect | None = None
    keyframes: tuple[KeyframeList, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    opaque: str = ""
    """What an imported draft held here that the model does not (draftsmith.capcut.opaque),
    as JSON text; empty for everything draftsmith made."""


@dataclass(frozen=True)
class EffectParam:
    """One adjustable parameter of an effect, on the editor's scale (min..max)."""

    name: str
    default: float
    min: float
    max: float
    value: float


@dataclass(frozen=True)
class EffectSegment:
    """A scene/character effect or a filter on its own effect or filter track.

    `effect_type` is the editor's material type: "video_effect" (scene effect), "face_effect"
    (character effect) or "filter". Names and ids come from the catalogue when the edit is made.
    """

    id: str
    material_id: str
    name: str
    effect_type: str
    effect_id: str
    resource_id: str
    target: Timerange
    value: float = 1.0
    """A filter's intensity (0-1); 1.0 for effects."""
    params: tuple[EffectParam, ...] = ()
    adjustments: tuple[Adjustment, ...] = ()
    opaque: str = ""
    """What an imported draft held here that the model does not (draftsmith.capcut.opaque),
    as JSON text; empty for everything draftsmith made."""


@dataclass(frozen=True)
class StickerSegment:
    """A sticker from the editor's library, shown over a span of the timeline.

    The draft holds only its `resource_id`: the editor fetches the sticker when it opens the
    draft. A picture of it for renders may come with the request (`image_url`); it is fetched
    into the blob store when the sticker is added (`image`), and never written into the
    editor's files.
    """

    id: str
    material_id: str
    resource_id: str
    target: Timerange
    clip: Clip = field(default_factory=Clip)
    adjustments: tuple[Adjustment, ...] = ()
    opaque: str = ""
    """What an imported draft held here that the model does not (draftsmith.capcut.opaque),
    as JSON text; empty for everything draftsmith made."""
    image_url: str | None = None
    image: Media | None = None
    """The picture at `image_url`; None when it could not be fetched (`adjustments` say why)."""
    keyframes: tuple[KeyframeList, ...] = ()


Segment = MediaSegment | TextSegment | EffectSegment | StickerSegment


@dataclass(frozen=True)
class Track:
    id: str
    kind: TrackKind
    name: str
    segments: tuple[Segment, ...]
    opaque: str = ""
    """What an imported draft held here that the model does not (draftsmith.capcut.opaque),
    as JSON text; empty for everything draftsmith made."""

    @cached_property
    def end(self) -> int:
        return max((s.target.end for s in self.segments), default=0)


@dataclass(frozen=True)
class Canvas:
    width: int = 1920
    height: int = 1080
    fps: int = 30


@dataclass(frozen=True)
class Draft:
    """The whole editable state of one draft. Tracks are stacked bottom first."""

    id: str
    name: str
    canvas: Canvas
    created_at_us: int
    tracks: tuple[Track, ...] = ()
    profile: str = DEFAULT_PROFILE_NAME
    """Name of the editor profile its saved folders are written for; fixed at creation."""

    @property
    def duration(self) -> int:
        return max((t.end for t in self.tracks), default=0)

    @property
    def segment_count(self) -> int:
        return sum(len(t.segments) for t in self.tracks)

    def media(self) -> list[Media]:
        """Every distinct media file the draft uses, in first-use order."""
        seen: dict[str, Media] = {}
        for track in self.tracks:
            for segment in track.segments:
                if isinstance(segment, MediaSegment) and not segment.media.missing:
                    seen.setdefault(segment.media.sha256, segment.media)
        return list(seen.values())
