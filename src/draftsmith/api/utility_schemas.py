"""Request and response bodies of capcut-mate's workflow helper verbs (web/utility_routes.py).

Names and defaults are capcut-mate's (reference docs); list parameters are `JsonList`s, so a
JSON-encoded string works wherever an array does.
"""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, BeforeValidator, Field, WithJsonSchema

from draftsmith.api.coze import MAX_PIECES
from draftsmith.api.numbers import (
    NOT_BOOLEAN,
    NUMERIC_TEXT_SCHEMA,
    ROUNDED,
    WHOLE_NOT_BOOLEAN,
    Integer,
    Real,
)
from draftsmith.api.responses import Noted, Success
from draftsmith.api.schemas import (
    HEX_COLOR,
    Body,
    DraftBody,
    JsonList,
    ShadowInfo,
    Switch,
    parse_json_text,
)
from draftsmith.timeline.limits import MAX_CANVAS_SIDE, MAX_FONT_SIZE, MAX_OFFSET_PX, MAX_TIME_US

Duration = Annotated[int, Field(ge=0, le=MAX_TIME_US), WHOLE_NOT_BOOLEAN]
Dimension = Annotated[int, Field(ge=1, le=MAX_CANVAS_SIDE), WHOLE_NOT_BOOLEAN]
Volume = Annotated[float, Field(ge=0.0, le=2.0), NOT_BOOLEAN]
WholeFontSize = Annotated[int, Field(ge=1, le=MAX_FONT_SIZE), WHOLE_NOT_BOOLEAN]
Name = Annotated[str, Field(max_length=200)]
Url = Annotated[str, Field(max_length=4096)]


def _url_only(value: Any) -> Any:
    return {"url": value} if isinstance(value, str) else value


def _json_array_or_text(value: Any) -> Any:
    # "[0, 0.5, 1]" is an array in a string; "0|50|100" is capcut-mate's own notation.
    if isinstance(value, str) and value.strip().startswith("["):
        return parse_json_text(value, "must be an array of numbers or a string like 0|50|100")
    return value


def _piped(number: str) -> Any:
    """A "1|2|3" string's JSON schema, stated for the document (coze.py reads the string)."""
    return WithJsonSchema({"type": "string", "pattern": rf"^ *{number}( *\| *{number})* *$"})


_PERCENT = r"(100(\.0+)?|[0-9]{1,2}(\.[0-9]+)?)"
_NUMBER = r"-?[0-9]{1,7}(\.[0-9]+)?"
# The bounds of a fraction are stated, not checked here: coze.fractions names the item.
_FRACTION = WithJsonSchema(
    {"anyOf": [{"type": "number", "minimum": 0, "maximum": 1}, NUMERIC_TEXT_SCHEMA]}
)
FractionsOrPercents = Annotated[
    list[Annotated[Real, _FRACTION]] | Annotated[str, _piped(_PERCENT)],
    BeforeValidator(_json_array_or_text),
]
NumbersOrPipes = Annotated[
    list[Real] | Annotated[str, _piped(_NUMBER)], BeforeValidator(_json_array_or_text)
]


class TimelineItem(Body):
    start: Integer = Field(ge=0, le=MAX_TIME_US)
    end: Integer = Field(ge=1, le=MAX_TIME_US)


Timelines = Annotated[JsonList[TimelineItem], Field(min_length=1)]


class StrToListBody(Body):
    obj: str


class StrListToObjsBody(Body):
    infos: JsonList[str]


class OutputItem(Body):
    output: str


class ObjsToStrListBody(Body):
    outputs: JsonList[OutputItem]


_SPLIT_MODES = {
    "anyOf": [
        {"type": "integer", "enum": [0, 1]},
        {"type": "string", "enum": ["equal", "random", "custom", "0", "1"]},
    ]
}


class TimelinesBody(Body):
    duration: Integer = Field(ge=1, le=MAX_TIME_US, description="Total duration, microseconds.")
    num: Integer = Field(ge=1, le=MAX_PIECES, description="How many pieces to cut it into.")
    start: Integer = Field(
        default=0, ge=0, le=MAX_TIME_US, description="Where the first piece starts, microseconds."
    )
    type: Annotated[Integer | str, WithJsonSchema(_SPLIT_MODES)] = Field(
        default="equal", description='0 or "equal": equal pieces; 1 or "random": random cuts.'
    )


class AudioLink(Body):
    url: Url
    duration: Annotated[int, Field(ge=1, le=MAX_TIME_US), ROUNDED] | None = Field(
        default=None, description="Microseconds; when missing, the file is fetched and probed."
    )


class AudioTimelinesBody(Body):
    links: JsonList[Annotated[AudioLink, BeforeValidator(_url_only)]] = Field(
        description="Audio URLs, or {url, duration} objects.", min_length=1, max_length=500
    )


class ImgsInfosBody(Body):
    imgs: JsonList[Url] = Field(min_length=1)
    timelines: Timelines
    height: Dimension = 1080
    width: Dimension = 1920
    in_animation: Name | None = None
    in_animation_duration: Duration | None = 500_000
    loop_animation: Name | None = None
    loop_animation_duration: Duration | None = 1_000_000
    out_animation: Name | None = None
    out_animation_duration: Duration | None = 500_000
    transition: Name | None = None
    transition_duration: Duration | None = 300_000


class VideoInfosBody(Body):
    video_urls: JsonList[Url] = Field(min_length=1)
    timelines: Timelines
    height: Dimension = 1080
    width: Dimension = 1920
    mask: Name | None = None
    transition: Name | None = None
    transition_duration: Duration | None = 300_000
    volume: Volume = 1.0


class AudioInfosBody(Body):
    mp3_urls: JsonList[Url] = Field(min_length=1)
    timelines: Timelines
    audio_effect: Name | None = None
    volume: Volume = 1.0


class CaptionInfosBody(Body):
    texts: JsonList[Annotated[str, Field(max_length=5000)]] = Field(min_length=1)
    timelines: Timelines
    font_size: WholeFontSize | None = None
    keyword_color: str | None = Field(default=None, pattern=HEX_COLOR)
    keyword_border_color: str | None = Field(default=None, pattern=HEX_COLOR)
    keyword_font: Name | None = None
    keyword_font_size: WholeFontSize | None = None
    keyword_has_shadow: Switch | None = None
    keyword_shadow_info: ShadowInfo | None = None
    keywords: JsonList[str] | None = None
    in_animation: Name | None = None
    in_animation_duration: Duration | None = None
    loop_animation: Name | None = None
    loop_animation_duration: Duration | None = None
    out_animation: Name | None = None
    out_animation_duration: Duration | None = None
    transition: Name | None = None
    transition_duration: Duration | None = None


class EffectInfosBody(Body):
    effects: JsonList[Name] = Field(min_length=1)
    timelines: Timelines


class FilterInfosBody(Body):
    filters: JsonList[Name] = Field(min_length=1)
    timelines: Timelines
    intensities: JsonList[Real] | None = Field(
        default=None, description="0-100 per filter; 100 when not given."
    )


class SegmentInfo(Body):
    id: str = Field(max_length=100)
    start: Integer = Field(ge=0, le=MAX_TIME_US)
    end: Integer = Field(ge=0, le=MAX_TIME_US)


class KeyframesInfosBody(Body):
    ctype: Name = Field(pattern=r"\S", description="The keyframed property, e.g. KFTypePositionX.")
    offsets: FractionsOrPercents = Field(
        description='Positions in each segment: fractions [0, 0.5, 1], or percentages "0|50|100".'
    )
    values: NumbersOrPipes = Field(description='One value per offset: [0, 1, 0] or "0|1|0".')
    segment_infos: JsonList[SegmentInfo] = Field(min_length=1)
    height: Dimension = 1080
    width: Dimension = 1920


class AddTextStyleBody(Body):
    text: str = Field(min_length=1, max_length=5000)
    keyword: str = Field(min_length=1, max_length=5000)
    font_size: Real = Field(default=12, ge=1, le=MAX_FONT_SIZE)
    keyword_color: str = Field(default="#ff7100", pattern=HEX_COLOR)
    keyword_font_size: Real = Field(default=15, ge=1, le=MAX_FONT_SIZE)


class TextStyleResponse(Noted):
    text_style: str


class GetUrlBody(Body):
    output: str


class GetAudioDurationBody(Body):
    mp3_url: Url


class EasyCreateMaterialBody(DraftBody):
    audio_url: Url
    text: str | None = Field(default=None, max_length=5000)
    img_url: Url | None = None
    video_url: Url | None = None
    text_color: str = Field(default="#ffffff", pattern=HEX_COLOR)
    font_size: Integer = Field(default=15, ge=1, le=MAX_FONT_SIZE)
    text_transform_y: Real = Field(default=0, ge=-MAX_OFFSET_PX, le=MAX_OFFSET_PX)


class Span(BaseModel):
    start: int
    end: int


class OutputObject(BaseModel):
    output: str


class StringListResponse(Success):
    infos: list[str]


class ObjectListResponse(Success):
    infos: list[OutputObject]


class TimelinesResponse(Noted):
    timelines: list[Span]
    all_timelines: list[Span] = Field(description="One span from the first start to the last end.")


class InfosResponse(Noted):
    infos: str = Field(description="A JSON array, as a string, for the matching add_* verb.")


class KeyframesInfosResponse(Noted):
    keyframes_infos: str = Field(description="A JSON array, as a string, for add_keyframes.")


class GetUrlResponse(Success):
    output: str


class AudioDurationResponse(Success):
    duration: int = Field(description="Microseconds.")


class EasyCreateMaterialResponse(Noted):
    draft_url: str
    current_version: int = Field(description="The draft's revision after the last material.")
