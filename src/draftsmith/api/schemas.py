"""Request bodies of the capcut-mate compatible verbs, with capcut-mate's names and defaults.

List parameters arrive either as JSON-encoded strings (capcut-mate's style) or as plain arrays;
`JsonList` accepts both.
"""

from __future__ import annotations

import json
from typing import Annotated, Any, TypeVar

from pydantic import AliasChoices, BaseModel, BeforeValidator, ConfigDict, Field, field_validator

from draftsmith.capcut.profiles import DEFAULT_PROFILE, PROFILES

T = TypeVar("T")

HEX_COLOR = r"^#[0-9a-fA-F]{6}$"
# Text kept in a database column: PostgreSQL text cannot hold NUL characters, so none may come in.
NO_NUL = r"^[^\x00]*$"
Microseconds = Annotated[int, Field(ge=0, le=24 * 3600 * 1_000_000)]
MAX_VERSION = 2**31 - 1
"""Version and revision numbers a request may name; larger ones cannot exist (and would not
fit a database integer)."""


def _decode_json_string(value: Any) -> Any:
    if isinstance(value, str):
        try:
            return json.loads(value)
        except ValueError as exc:
            raise ValueError("must be a JSON array or a string holding one") from exc
    return value


JsonList = Annotated[list[T], BeforeValidator(_decode_json_string)]


class Body(BaseModel):
    model_config = ConfigDict(extra="ignore")


class DraftBody(Body):
    """Any verb addressed to one draft. draft_url is checked by the route, not here, so that
    missing and malformed URLs get the exact messages of the save_draft table."""

    draft_url: Any = None


PROFILE_HELP = "Editor profile (" + ", ".join(PROFILES) + ")"


class CreateDraftBody(Body):
    width: int = Field(default=1920, ge=1, le=16384)
    height: int = Field(default=1080, ge=1, le=16384)
    name: str | None = Field(default=None, max_length=200, pattern=NO_NUL)
    profile: str = Field(
        default=DEFAULT_PROFILE.name,
        max_length=64,
        description=PROFILE_HELP + " the saved versions are written for.",
    )


class PlacementBody(DraftBody):
    alpha: float = Field(default=1.0, ge=0.0, le=1.0)
    scale_x: float = Field(default=1.0, gt=0.0, le=100.0)
    scale_y: float = Field(default=1.0, gt=0.0, le=100.0)
    transform_x: float = Field(default=0.0, ge=-100_000, le=100_000)
    transform_y: float = Field(default=0.0, ge=-100_000, le=100_000)


class VideoInfo(Body):
    video_url: str
    start: Microseconds
    end: Microseconds
    width: int | None = None
    height: int | None = None
    duration: int | None = None
    volume: float = Field(default=1.0, ge=0.0, le=10.0)
    transition: str | None = Field(default=None, max_length=200)
    transition_duration: int | None = Field(default=None, ge=100_000, le=2_500_000)
    mask: str | None = Field(default=None, max_length=200)


class SceneTimeline(Body):
    start: Microseconds
    end: Microseconds


class AddVideosBody(PlacementBody):
    video_infos: JsonList[VideoInfo]
    scene_timelines: JsonList[SceneTimeline] | None = Field(
        default=None,
        description="One span per video_infos item: the item plays there, sped up or slowed "
        "down so that its end - start fits (speed = (end - start) / (scene end - scene start)).",
    )


class AudioInfo(Body):
    audio_url: str
    start: Microseconds
    end: Microseconds
    duration: int | None = None
    volume: float = Field(default=1.0, ge=0.0, le=10.0)


class AddAudiosBody(DraftBody):
    audio_infos: JsonList[AudioInfo]


AnimationName = Annotated[str | None, Field(default=None, max_length=200)]
AnimationDuration = Annotated[int | None, Field(default=None, ge=1, le=24 * 3600 * 1_000_000)]


class AnimationFields(Body):
    """capcut-mate's per-item animation fields (add_images, add_captions): catalogue names."""

    in_animation: AnimationName = None
    out_animation: AnimationName = None
    loop_animation: AnimationName = None
    in_animation_duration: AnimationDuration = None
    out_animation_duration: AnimationDuration = None
    loop_animation_duration: AnimationDuration = None


class ImageInfo(AnimationFields):
    image_url: str
    start: Microseconds
    end: Microseconds
    width: int | None = None
    height: int | None = None
    transition: str | None = Field(default=None, max_length=200)
    transition_duration: int | None = Field(default=None, ge=100_000, le=2_500_000)


class AddImagesBody(PlacementBody):
    image_infos: JsonList[ImageInfo]


class ShadowInfo(Body):
    shadow_alpha: float = Field(default=1.0, ge=0.0, le=1.0)
    shadow_color: str = Field(default="#000000", pattern=HEX_COLOR)
    shadow_diffuse: float = Field(default=15.0, ge=0.0, le=100.0)
    shadow_distance: float = Field(default=5.0, ge=0.0, le=100.0)
    shadow_angle: float = Field(default=-45.0, ge=-180.0, le=180.0)


class CaptionInfo(AnimationFields):
    start: Microseconds
    end: Microseconds
    text: str = Field(min_length=1, max_length=5000)
    font_size: int | None = Field(default=None, ge=1, le=500)
    keyword: str | None = Field(default=None, max_length=5000)
    keyword_color: str | None = Field(default=None, pattern=HEX_COLOR)
    keyword_border_color: str | None = Field(default=None, pattern=HEX_COLOR)
    keyword_font: str | None = Field(
        default=None, max_length=200, description="Font of the keywords; default: `font`."
    )
    keyword_font_size: int | None = Field(default=None, ge=1, le=500)
    keyword_has_shadow: bool | None = None
    keyword_shadow_info: ShadowInfo | None = None


class AddCaptionsBody(PlacementBody):
    captions: JsonList[CaptionInfo]
    text_color: str = Field(default="#ffffff", pattern=HEX_COLOR)
    border_color: str | None = Field(default=None, pattern=HEX_COLOR)
    alignment: int = Field(default=1, ge=0, le=5)
    font_size: int = Field(default=15, ge=1, le=500)
    letter_spacing: float | None = Field(default=None, ge=-100, le=100)
    line_spacing: float | None = Field(default=None, ge=-100, le=100)
    bold: bool = False
    italic: bool = False
    underline: bool = False
    has_shadow: bool = False
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
    effect_infos: JsonList[EffectInfo]


class FilterInfo(Body):
    filter_title: str = Field(min_length=1, max_length=200)
    start: Microseconds
    end: Microseconds
    intensity: float = Field(default=100.0, ge=0.0, le=100.0)


class AddFiltersBody(DraftBody):
    filter_infos: JsonList[FilterInfo]


class AddMasksBody(DraftBody):
    segment_ids: JsonList[Annotated[str, Field(min_length=1, max_length=200)]]
    name: str = Field(min_length=1, max_length=200)
    X: float = Field(ge=0.0, le=1.0)
    Y: float = Field(ge=0.0, le=1.0)
    width: float = Field(gt=0.0, le=1.0)
    height: float = Field(gt=0.0, le=1.0)
    feather: float = Field(default=0.0, ge=0.0, le=1.0)
    rotation: float = Field(default=0.0, ge=-360.0, le=360.0)
    invert: bool = False
    roundCorner: float = Field(default=0.0, ge=0.0, le=1.0)  # noqa: N815 - capcut-mate's name


class KeyframeInfo(Body):
    property: str = Field(min_length=1, max_length=100)
    value: float = Field(allow_inf_nan=False)
    segment_id: str | None = Field(default=None, min_length=1, max_length=200)
    time: Microseconds | None = Field(
        default=None, description="From the segment's start, in microseconds."
    )
    offset: Microseconds | None = Field(
        default=None, description="Same as time (keyframes_infos writes it so)."
    )


class AddKeyframesBody(DraftBody):
    keyframes: JsonList[KeyframeInfo]


class AddStickerBody(DraftBody):
    sticker_id: str = Field(
        min_length=1,
        max_length=64,
        description="The editor's sticker id (digits), e.g. from search_sticker.",
    )
    start: Microseconds
    end: Microseconds
    scale: float = Field(
        default=1.0, gt=0.0, le=100.0, description="1.0 = original size; 0.1-5.0 recommended."
    )
    transform_x: float = Field(
        default=0.0, ge=-100_000, le=100_000, description="Pixels right of the canvas centre."
    )
    transform_y: float = Field(
        default=0.0, ge=-100_000, le=100_000, description="Pixels below the canvas centre."
    )

    @field_validator("sticker_id", mode="before")
    @classmethod
    def _digits(cls, value: Any) -> Any:
        # Workflows may send the id as a JSON number; it is the same id.
        if isinstance(value, int) and not isinstance(value, bool) and value >= 0:
            value = str(value)
        if isinstance(value, str) and not (value.isdecimal() and value.isascii()):
            raise ValueError(f"must be a string of digits (the editor's sticker id), got {value!r}")
        return value


class SaveDraftBody(DraftBody):
    expected_version: int | None = Field(
        default=None,
        ge=0,
        le=MAX_VERSION,
        description="The draft revision you last saw; 409 if it moved on.",
    )
    label: str | None = Field(default=None, max_length=200, pattern=NO_NUL)


class VersionedDraftBody(DraftBody):
    version: int | None = Field(default=None, ge=1, le=MAX_VERSION)


class DownloadDraftBody(VersionedDraftBody):
    profile: str | None = Field(
        default=None,
        max_length=64,
        description=PROFILE_HELP + " to export for; default: the draft's own.",
    )


class RestoreVersionBody(DraftBody):
    version: int = Field(ge=1, le=MAX_VERSION)


class ListDraftsBody(Body):
    limit: int = Field(default=50, ge=1, le=500)
    offset: int = Field(default=0, ge=0, le=MAX_VERSION)
    query: str | None = Field(default=None, max_length=100, pattern=NO_NUL)


class ValidateDraftBody(VersionedDraftBody):
    profile: str = Field(
        default=DEFAULT_PROFILE.name,
        description="Editor to check for: " + ", ".join(PROFILES),
    )

    @field_validator("profile")
    @classmethod
    def _known_profile(cls, value: str) -> str:
        if value not in PROFILES:
            raise ValueError(f"must be one of {', '.join(PROFILES)}")
        return value
