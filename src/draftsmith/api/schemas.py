"""Request bodies of the capcut-mate compatible verbs, with capcut-mate's names and defaults.

List parameters arrive either as JSON-encoded strings (capcut-mate's style) or as plain arrays;
`JsonList` accepts both.
"""

from __future__ import annotations

import copy
import json
from typing import Annotated, Any, TypeVar

from pydantic import (
    AliasChoices,
    BeforeValidator,
    ConfigDict,
    Field,
    GetJsonSchemaHandler,
    Strict,
    WithJsonSchema,
    field_validator,
)
from pydantic.json_schema import JsonSchemaValue
from pydantic_core import CoreSchema

from draftsmith.api.numbers import (
    NOT_BOOLEAN,
    ROUNDED,
    WHOLE_NOT_BOOLEAN,
    Integer,
    Real,
    RememberRounding,
)
from draftsmith.api.urls import DRAFT_URL_PATTERN, MAX_DRAFT_URL_LENGTH
from draftsmith.capcut.profiles import DEFAULT_PROFILE, PROFILES
from draftsmith.service.keyframes import KEYFRAME_PROPERTIES
from draftsmith.timeline.limits import (
    DEFAULT_TRANSITION_US,
    MAX_CANVAS_SIDE,
    MAX_FONT_SIZE,
    MAX_OFFSET_PX,
    MAX_TIME_US,
    MAX_TRANSITION_US,
    MAX_VOLUME,
    MIN_TRANSITION_US,
)

T = TypeVar("T")

HEX_COLOR = r"^#[0-9a-fA-F]{6}$"
# Text kept in a database column: PostgreSQL text cannot hold NUL characters, so none may come in.
NO_NUL = r"^[^\x00]*$"
Microseconds = Annotated[int, Field(ge=0, le=MAX_TIME_US), ROUNDED]
TransitionDuration = Annotated[int, Field(ge=MIN_TRANSITION_US, le=MAX_TRANSITION_US), ROUNDED]
FontSize = Annotated[float, Field(ge=1, le=MAX_FONT_SIZE), NOT_BOOLEAN]
MediaSide = Annotated[int, Field(ge=0, le=MAX_OFFSET_PX), ROUNDED]
"""A media file's width or height as a workflow states it, in pixels."""
Spacing = Annotated[float, Field(ge=-100, le=100), NOT_BOOLEAN]
Switch = Annotated[bool, Strict()]
"""true or false, nothing else (pydantic would read 1, "yes" or "on" as true)."""
MAX_VERSION = 2**31 - 1
MAX_PAGE_SIZE = 500
"""The most drafts one list_drafts page holds."""
"""Version and revision numbers a request may name; larger ones cannot exist (and would not
fit a database integer)."""
VersionNumber = Annotated[int, Field(ge=1, le=MAX_VERSION), WHOLE_NOT_BOOLEAN]


def parse_json_text(text: str, problem: str) -> Any:
    """`text` decoded as JSON, or ValueError(problem): also for nesting too deep to decode,
    which the decoder reports as RecursionError (a 500 unless caught here)."""
    try:
        return json.loads(text)
    except (ValueError, RecursionError) as exc:
        raise ValueError(problem) from exc


def _decode_json_string(value: Any) -> Any:
    if isinstance(value, str):
        return parse_json_text(value, "must be a JSON array or a string holding one")
    return value


class _ArrayOrJsonString:
    """Says in the JSON schema what `_decode_json_string` lets in: the array itself, or that
    array encoded as a JSON string (what capcut-mate's own clients send)."""

    @classmethod
    def __get_pydantic_json_schema__(
        cls, schema: CoreSchema, handler: GetJsonSchemaHandler
    ) -> JsonSchemaValue:
        array = handler(schema)
        encoded = {
            "type": "string",
            "contentMediaType": "application/json",
            "contentSchema": copy.deepcopy(array),
            "description": "The same array encoded as a JSON string.",
        }
        return {
            "anyOf": [array, encoded],
            "description": "A JSON array, or that array encoded as a JSON string.",
        }


JsonList = Annotated[list[T], BeforeValidator(_decode_json_string), _ArrayOrJsonString]


class Body(RememberRounding):
    model_config = ConfigDict(extra="ignore")


class Keyed(Body):
    """A request body that may carry its idempotency key (web/idempotency.py)."""

    idempotency_key: str | None = Field(
        default=None,
        max_length=255,
        description="The Idempotency-Key header, for callers that cannot set headers; "
        "state-changing verbs apply a request once per key.",
    )


DRAFT_URL_SCHEMA: dict[str, Any] = {
    "type": "string",
    "maxLength": MAX_DRAFT_URL_LENGTH,
    "pattern": DRAFT_URL_PATTERN,
    "description": "The draft, as create_draft named it: `.../get_draft?draft_id=<id>`.",
}


def _draft_url_required(schema: dict[str, Any]) -> None:
    required = schema.setdefault("required", [])
    if "draft_url" not in required:
        required.insert(0, "draft_url")


class DraftBody(Keyed):
    """Any verb addressed to one draft. draft_url is checked by the route, not here, so that
    missing and malformed URLs get the exact messages of the save_draft table; the document
    says what it checks (required, a string, the form of `DRAFT_URL_PATTERN`)."""

    model_config = ConfigDict(json_schema_extra=_draft_url_required)

    draft_url: Annotated[Any, WithJsonSchema(DRAFT_URL_SCHEMA)] = None


PROFILE_HELP = "Editor profile (" + ", ".join(PROFILES) + ")"
PROFILE_NAMES: dict[str, Any] = {"enum": list(PROFILES)}
"""The JSON schema of a profile field: one of the names (checked by the profile lookup)."""
PROFILE_NAMES_OR_NULL: dict[str, Any] = {"enum": [*PROFILES, None]}


class CreateDraftBody(Keyed):
    width: Integer = Field(default=1920, ge=1, le=MAX_CANVAS_SIDE)
    height: Integer = Field(default=1080, ge=1, le=MAX_CANVAS_SIDE)
    name: str | None = Field(default=None, max_length=200, pattern=NO_NUL)
    profile: str = Field(
        default=DEFAULT_PROFILE.name,
        max_length=64,
        description=PROFILE_HELP + " the saved versions are written for.",
        json_schema_extra=PROFILE_NAMES,
    )


class PlacementBody(DraftBody):
    alpha: Real = Field(default=1.0, ge=0.0, le=1.0)
    scale_x: Real = Field(default=1.0, gt=0.0, le=100.0)
    scale_y: Real = Field(default=1.0, gt=0.0, le=100.0)
    transform_x: Real = Field(default=0.0, ge=-MAX_OFFSET_PX, le=MAX_OFFSET_PX)
    transform_y: Real = Field(default=0.0, ge=-MAX_OFFSET_PX, le=MAX_OFFSET_PX)


class VideoInfo(Body):
    video_url: str
    start: Microseconds
    end: Microseconds
    width: MediaSide | None = None
    height: MediaSide | None = None
    duration: Microseconds | None = None
    volume: Real = Field(default=1.0, ge=0.0, le=MAX_VOLUME)
    transition: str | None = Field(default=None, max_length=200)
    transition_duration: TransitionDuration | None = DEFAULT_TRANSITION_US
    mask: str | None = Field(default=None, max_length=200)


class SceneTimeline(Body):
    start: Microseconds
    end: Microseconds


class AddVideosBody(PlacementBody):
    video_infos: JsonList[VideoInfo] = Field(min_length=1)
    scene_timelines: JsonList[SceneTimeline] | None = Field(
        default=None,
        description="One span per video_infos item: the item plays there, sped up or slowed "
        "down so that its end - start fits (speed = (end - start) / (scene end - scene start)).",
    )


class AudioInfo(Body):
    audio_url: str
    start: Microseconds
    end: Microseconds
    duration: Microseconds | None = None
    volume: Real = Field(default=1.0, ge=0.0, le=MAX_VOLUME)
    audio_effect: Annotated[str, Field(max_length=200)] | None = Field(
        default=None,
        description="Catalogue name of an audio effect: a scene sound, a voice tone or a "
        "speech-to-song style (list_catalogue kind audio_effect). One the catalogue does not "
        "know is skipped, with a warning (a 400 in strict mode).",
    )


class AddAudiosBody(DraftBody):
    audio_infos: JsonList[AudioInfo] = Field(min_length=1)


AnimationName = Annotated[str | None, Field(default=None, max_length=200)]
AnimationDuration = Annotated[int, Field(ge=1, le=MAX_TIME_US), ROUNDED]


class AnimationFields(Body):
    """capcut-mate's per-item animation fields (add_images, add_captions): catalogue names."""

    in_animation: AnimationName = None
    out_animation: AnimationName = None
    loop_animation: AnimationName = None
    in_animation_duration: AnimationDuration | None = None
    out_animation_duration: AnimationDuration | None = None
    loop_animation_duration: AnimationDuration | None = None


class ImageInfo(AnimationFields):
    image_url: str
    start: Microseconds
    end: Microseconds
    width: MediaSide | None = None
    height: MediaSide | None = None
    transition: str | None = Field(default=None, max_length=200)
    transition_duration: TransitionDuration | None = DEFAULT_TRANSITION_US


class AddImagesBody(PlacementBody):
    image_infos: JsonList[ImageInfo] = Field(min_length=1)


class ShadowInfo(Body):
    shadow_alpha: Real = Field(default=1.0, ge=0.0, le=1.0)
    shadow_color: str = Field(default="#000000", pattern=HEX_COLOR)
    shadow_diffuse: Real = Field(default=15.0, ge=0.0, le=100.0)
    shadow_distance: Real = Field(default=5.0, ge=0.0, le=100.0)
    shadow_angle: Real = Field(default=-45.0, ge=-180.0, le=180.0)


class CaptionInfo(AnimationFields):
    start: Microseconds
    end: Microseconds
    text: str = Field(min_length=1, max_length=5000)
    font_size: FontSize | None = None
    keyword: str | None = Field(default=None, max_length=5000)
    keyword_color: str | None = Field(default="#ff7100", pattern=HEX_COLOR)
    keyword_border_color: str | None = Field(default=None, pattern=HEX_COLOR)
    keyword_font: str | None = Field(
        default=None, max_length=200, description="Font of the keywords; default: `font`."
    )
    keyword_font_size: FontSize | None = None
    keyword_has_shadow: Switch | None = False
    keyword_shadow_info: ShadowInfo | None = None


class AddCaptionsBody(PlacementBody):
    captions: JsonList[CaptionInfo] = Field(min_length=1)
    text_color: str = Field(default="#ffffff", pattern=HEX_COLOR)
    border_color: str | None = Field(default=None, pattern=HEX_COLOR)
    alignment: Integer = Field(default=1, ge=0, le=5)
    font_size: Real = Field(default=15, ge=1, le=MAX_FONT_SIZE)
    letter_spacing: Spacing | None = None
    line_spacing: Spacing | None = None
    style_text: Switch = Field(
        default=False,
        description="Each caption's text is the `text_style` add_text_style answered: its "
        "text is shown with its keyword highlights (a switch capcut-mate reserves).",
    )
    bold: Switch = False
    italic: Switch = False
    underline: Switch = False
    has_shadow: Switch = False
    shadow_info: ShadowInfo | None = None
    font: str | None = Field(
        default=None, max_length=200, description="Catalogue font name; default: the editor's."
    )
    text_effect: str | None = Field(
        default=None,
        max_length=200,
        description="Text effect (花字) title or numeric effect id; resets text_color to "
        "#ffffff, border_color to null, has_shadow to false and keyword shadows to off.",
    )


class EffectInfo(Body):
    # capcut-mate's effect_infos helper writes the name as "effect".
    effect_title: str = Field(
        min_length=1, max_length=200, validation_alias=AliasChoices("effect_title", "effect")
    )
    start: Microseconds
    end: Microseconds


class AddEffectsBody(DraftBody):
    effect_infos: JsonList[EffectInfo] = Field(min_length=1)


class FilterInfo(Body):
    filter_title: str = Field(min_length=1, max_length=200)
    start: Microseconds
    end: Microseconds
    intensity: Real = Field(default=100.0, ge=0.0, le=100.0)


class AddFiltersBody(DraftBody):
    filter_infos: JsonList[FilterInfo] = Field(min_length=1)


MASK_DEFAULT_NAME = "线性"
MASK_POSITION_HELP = (
    "0-1: fraction of the frame from its left (X) or top (Y); otherwise pixels of the "
    "material from its centre (y up). Default: the centre."
)
MASK_SIZE_HELP = "0-1: fraction of the material; above 1: pixels. Default: 512 pixels."
MASK_PERCENT_HELP = "0-1, or 0-100 (above 1 read as a percentage)."


class AddMasksBody(DraftBody):
    segment_ids: JsonList[Annotated[str, Field(min_length=1, max_length=200)]] = Field(min_length=1)
    """X, Y, width and height up to 1 are fractions of the frame (X and Y from its top left,
    as capcut-mate's docs give them); larger ones, and negative X and Y, are pixels of the
    material (X and Y from its centre, y up, as capcut-mate's code reads them). Left out, the
    mask is 512 x 512 pixels at the centre, capcut-mate's defaults."""

    name: str = Field(default=MASK_DEFAULT_NAME, min_length=1, max_length=200)
    X: Real = Field(
        default=0.0, ge=-MAX_OFFSET_PX, le=MAX_OFFSET_PX, description=MASK_POSITION_HELP
    )
    Y: Real = Field(
        default=0.0, ge=-MAX_OFFSET_PX, le=MAX_OFFSET_PX, description=MASK_POSITION_HELP
    )
    width: Real = Field(default=512.0, gt=0.0, le=MAX_OFFSET_PX, description=MASK_SIZE_HELP)
    height: Real = Field(default=512.0, gt=0.0, le=MAX_OFFSET_PX, description=MASK_SIZE_HELP)
    feather: Real = Field(default=0.0, ge=0.0, le=100.0, description=MASK_PERCENT_HELP)
    rotation: Real = Field(default=0.0, ge=-360.0, le=360.0, description="Degrees, clockwise.")
    invert: Switch = False
    roundCorner: Real = Field(  # noqa: N815 - capcut-mate's name
        default=0.0, ge=0.0, le=100.0, description=MASK_PERCENT_HELP
    )


class KeyframeInfo(Body):
    property: str = Field(
        min_length=1, max_length=100, json_schema_extra={"enum": list(KEYFRAME_PROPERTIES)}
    )
    value: Real = Field(allow_inf_nan=False)
    segment_id: str | None = Field(default=None, min_length=1, max_length=200)
    time: Microseconds | None = Field(
        default=None, description="From the segment's start, in microseconds."
    )
    offset: Annotated[float, Field(ge=0, le=MAX_TIME_US), NOT_BOOLEAN] | None = Field(
        default=None,
        description="0-1: where in the segment, as a fraction of its duration (capcut-mate's "
        "add_keyframes); above 1: microseconds from its start, as time.",
    )


class AddKeyframesBody(DraftBody):
    keyframes: JsonList[KeyframeInfo] = Field(min_length=1)


# What `_digits` below lets in: the id's digits, or the id as a JSON number.
_STICKER_ID = {
    "anyOf": [
        {"type": "string", "pattern": "^[0-9]{1,64}$"},
        {"type": "integer", "minimum": 0, "maximum": 2**63 - 1},
    ]
}


MAX_IMAGE_URL_LENGTH = 4096
# What `_web_address` below lets in: an http(s) URL, or "" or null for no picture. The pattern
# means the same in every regex dialect (its class takes newlines too).
_IMAGE_URL = {
    "anyOf": [
        {
            "type": "string",
            "pattern": "^[Hh][Tt][Tt][Pp][Ss]?://[^\\x00]+$",
            "maxLength": MAX_IMAGE_URL_LENGTH,
        },
        {"type": "string", "maxLength": 0},
        {"type": "null"},
    ]
}


class AddStickerBody(DraftBody):
    sticker_id: Annotated[str, WithJsonSchema(_STICKER_ID)] = Field(
        min_length=1,
        max_length=64,
        description="The editor's sticker id (digits), e.g. from search_sticker.",
    )
    start: Microseconds
    end: Microseconds
    scale: Real = Field(
        default=1.0, gt=0.0, le=100.0, description="1.0 = original size; 0.1-5.0 recommended."
    )
    transform_x: Real = Field(
        default=0.0,
        ge=-MAX_OFFSET_PX,
        le=MAX_OFFSET_PX,
        description="Pixels right of the canvas centre.",
    )
    transform_y: Real = Field(
        default=0.0,
        ge=-MAX_OFFSET_PX,
        le=MAX_OFFSET_PX,
        description="Pixels below the canvas centre.",
    )
    image_url: Annotated[str | None, WithJsonSchema(_IMAGE_URL)] = Field(
        default=None,
        description="draftsmith: a picture of the sticker (PNG, WebP, GIF: its first frame, "
        "JPEG) for gen_video to draw. Fetched when the sticker is added, with the limits of "
        "media URLs; one that cannot be fetched leaves the sticker without it (a warning). "
        "The editor shows its own sticker_id either way.",
    )

    @field_validator("image_url")
    @classmethod
    def _web_address(cls, value: str | None) -> str | None:
        # _IMAGE_URL, checked: "" is no picture, as capcut-mate sends "" for none; what is no
        # web address is refused here, what cannot be fetched is a warning (sticker_track).
        if not value:
            return None
        scheme, found, rest = value.partition("://")
        if not (found and scheme.lower() in ("http", "https") and rest) or "\x00" in rest:
            raise ValueError(f"must be an http:// or https:// URL, got {value[:200]!r}")
        if len(value) > MAX_IMAGE_URL_LENGTH:
            raise ValueError(f"must be at most {MAX_IMAGE_URL_LENGTH} characters")
        return value

    @field_validator("sticker_id", mode="before")
    @classmethod
    def _digits(cls, value: Any) -> Any:
        # Workflows may send the id as a JSON number; it is the same id.
        if isinstance(value, float) and value.is_integer():
            value = int(value)  # 5.0 is the JSON number 5 too
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        if isinstance(value, str) and not (value.isdecimal() and value.isascii()):
            raise ValueError(f"must be a string of digits (the editor's sticker id), got {value!r}")
        return value


class SaveDraftBody(DraftBody):
    expected_version: Annotated[int, Field(ge=0, le=MAX_VERSION), WHOLE_NOT_BOOLEAN] | None = Field(
        default=None,
        description="The draft revision you last saw; 409 if it moved on.",
    )
    label: str | None = Field(default=None, max_length=200, pattern=NO_NUL)


class VersionedDraftBody(DraftBody):
    version: VersionNumber | None = None


class CancelRenderBody(DraftBody):
    job_id: str | None = Field(
        default=None,
        max_length=64,
        pattern=r"^[0-9a-f]+$",
        description="The render job to cancel (gen_video's job_id); default: the draft's latest "
        "queued or running one.",
    )


class DownloadDraftBody(VersionedDraftBody):
    profile: str | None = Field(
        default=None,
        max_length=64,
        description=PROFILE_HELP + " to export for; default: the draft's own.",
        json_schema_extra=PROFILE_NAMES_OR_NULL,
    )


class RestoreVersionBody(DraftBody):
    version: Integer = Field(ge=1, le=MAX_VERSION)


class ListDraftsBody(Body):
    limit: Integer = Field(default=50, ge=1, le=MAX_PAGE_SIZE)
    offset: Integer = Field(default=0, ge=0, le=MAX_VERSION)
    query: str | None = Field(default=None, max_length=100, pattern=NO_NUL)


class ValidateDraftBody(VersionedDraftBody):
    profile: str = Field(
        default=DEFAULT_PROFILE.name,
        description="Editor to check for: " + ", ".join(PROFILES),
        json_schema_extra=PROFILE_NAMES,
    )

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        if value not in PROFILES:
            raise ValueError(f"must be one of {', '.join(PROFILES)}")
        return value
