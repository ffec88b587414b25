"""What the MCP tools take, and how it becomes the HTTP API's request bodies.

A model states times in seconds more naturally than in microseconds, so every timed item takes
either `start_seconds`/`end_seconds` or the API's `start`/`end` in microseconds: exactly one
pair; durations (`transition_duration`, `in_animation_duration`...) and keyframe times likewise
take `..._seconds` or the API's microseconds. Items are converted to the API's own item
shape and then validated by the very schema models the HTTP routes use
(`draftsmith.api.schemas`), so limits and error messages are the same on both edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, Protocol, TypeVar

from pydantic import BaseModel, Field, ValidationError

from draftsmith.api.errors import describe_validation
from draftsmith.api.schemas import Body
from draftsmith.api.urls import parse_draft_url
from draftsmith.errors import DraftUrlRequired, InvalidInput
from draftsmith.timeline.ids import check_draft_id
from draftsmith.timeline.limits import MAX_TIME_US

SECOND = 1_000_000
B = TypeVar("B", bound=BaseModel)

TIMES_HELP = (
    "Times: give start_seconds and end_seconds (seconds on the timeline, e.g. 1.5), or start "
    "and end in microseconds (1 s = 1_000_000): exactly one pair per item. Durations likewise: "
    "X_duration_seconds, or X_duration in microseconds."
)
DURATION_SUFFIX = "_seconds"

DraftRef = Annotated[
    str,
    Field(
        description="The draft's id, as create_draft or list_drafts return it (its draft_url "
        "works too).",
        max_length=2048,
    ),
]


def draft_id_of(ref: str) -> str:
    """The draft id `ref` names: an id as it is, or the id inside a draft_url.

    Malformed ids get the HTTP API's `Invalid draft_url format`, so they never reach the store.
    """
    ref = ref.strip()
    if not ref:
        raise DraftUrlRequired("draft_id is required")
    if "/" in ref:
        return parse_draft_url(ref)
    return check_draft_id(ref)


def validated(model: type[B], fields: dict[str, Any]) -> B:
    """`model` built from `fields`, leaving out those not given (None: the model's default).

    Validation errors read as the HTTP API's 400s: the field, then the problem.
    """
    try:
        return model.model_validate({k: v for k, v in fields.items() if v is not None})
    except ValidationError as exc:
        raise InvalidInput(describe_validation(exc.errors())) from exc


Seconds = Annotated[float, Field(ge=0, le=MAX_TIME_US // SECOND, allow_inf_nan=False)]


class Timed(Body):
    """A span on the draft's timeline."""

    start_seconds: Seconds | None = Field(
        default=None, description="Where it starts on the timeline, in seconds."
    )
    end_seconds: Seconds | None = Field(
        default=None, description="Where it ends on the timeline, in seconds (after the start)."
    )
    start: int | None = Field(
        default=None, description="Where it starts, in microseconds; instead of start_seconds."
    )
    end: int | None = Field(
        default=None, description="Where it ends, in microseconds; instead of end_seconds."
    )

    def api_item(self, field: str) -> dict[str, Any]:
        """This item in the HTTP API's shape: times in microseconds, unset fields left out (so
        the API schema's defaults apply)."""
        item = self.model_dump(
            exclude={"start_seconds", "end_seconds", "start", "end"}, exclude_none=True
        )
        return {**durations_in_microseconds(field, item), **self._microseconds(field)}

    def _microseconds(self, field: str) -> dict[str, int]:
        return span(field, self.start_seconds, self.end_seconds, self.start, self.end)


def span(
    field: str,
    start_seconds: float | None,
    end_seconds: float | None,
    start: int | None,
    end: int | None,
) -> dict[str, int]:
    """`start` and `end` in microseconds, from exactly one of the two pairs."""
    if start_seconds is not None and end_seconds is not None and start is None and end is None:
        return {"start": round(start_seconds * SECOND), "end": round(end_seconds * SECOND)}
    if start is not None and end is not None and start_seconds is None and end_seconds is None:
        return {"start": start, "end": end}
    raise InvalidInput(
        f"{field}: give start_seconds and end_seconds, or start and end in microseconds "
        "(exactly one of the two pairs)"
    )


def durations_in_microseconds(field: str, item: dict[str, Any]) -> dict[str, Any]:
    """`item` with each `X_duration_seconds` turned into the API's `X_duration` (µs)."""
    converted = dict(item)
    for name in [n for n in item if n.endswith("_duration" + DURATION_SUFFIX)]:
        api_name = name.removesuffix(DURATION_SUFFIX)
        if api_name in item:
            raise InvalidInput(f"{field}: give {name} or {api_name} in microseconds, not both")
        converted[api_name] = round(converted.pop(name) * SECOND)
    return converted


class HasApiItem(Protocol):
    def api_item(self, field: str) -> dict[str, Any]: ...


def api_items(field: str, items: Sequence[HasApiItem]) -> list[dict[str, Any]]:
    return [item.api_item(f"{field}[{index}]") for index, item in enumerate(items)]


Duration = Annotated[int | None, Field(description="Microseconds; instead of the _seconds one.")]
DurationSeconds = Annotated[Seconds | None, Field(description="In seconds, e.g. 0.5.")]


class Transition(Body):
    transition: str | None = Field(
        default=None, description="Transition into the next item: a catalogue name (叠化...)."
    )
    transition_duration_seconds: Seconds | None = Field(
        default=None, description="How long the transition lasts, 0.1-2.5 s."
    )
    transition_duration: Duration = None


class Animated(Body):
    in_animation: str | None = Field(default=None, description="Intro animation: a name.")
    in_animation_duration_seconds: DurationSeconds = None
    in_animation_duration: Duration = None
    out_animation: str | None = Field(default=None, description="Outro animation: a name.")
    out_animation_duration_seconds: DurationSeconds = None
    out_animation_duration: Duration = None
    loop_animation: str | None = Field(default=None, description="Loop animation: a name.")
    loop_animation_duration_seconds: DurationSeconds = None
    loop_animation_duration: Duration = None


class VideoItem(Transition, Timed):
    video_url: str = Field(description="http(s) URL of the video file (mp4, mov, webm...).")
    volume: float | None = Field(
        default=None, description="Volume of the video's own sound, 0-10; default 1."
    )
    mask: str | None = Field(
        default=None, description="A mask shape over the video: circle, heart, 圆形..."
    )


class SceneItem(Timed):
    """Where one video of add_videos plays instead: it is sped up or slowed down to fit."""


class ImageItem(Animated, Transition, Timed):
    image_url: str = Field(description="http(s) URL of the image file (png, jpg, webp...).")


class AudioItem(Timed):
    audio_url: str = Field(description="http(s) URL of the audio file (mp3, m4a, wav...).")
    volume: float | None = Field(default=None, description="Volume, 0-10; default 1.")
    audio_effect: str | None = Field(
        default=None,
        description="An audio effect: a catalogue name of a scene sound, voice tone (大叔...) or "
        "speech-to-song style (list_catalogue kind audio_effect).",
    )


class CaptionItem(Animated, Timed):
    text: str = Field(description="The caption's text; emoji and any script are fine.")
    font_size: int | None = Field(
        default=None, description="This caption's size, 1-500; default: the call's font_size."
    )
    keyword: str | None = Field(
        default=None, description='Words to highlight, separated by | ("hello|world").'
    )
    keyword_color: str | None = Field(
        default=None, description="Colour of the highlighted words, #rrggbb; #ff7100."
    )
    keyword_border_color: str | None = Field(
        default=None, description="Outline of the highlighted words, #rrggbb."
    )
    keyword_font_size: int | None = Field(
        default=None, description="Size of the highlighted words, 1-500."
    )
    keyword_font: str | None = Field(
        default=None,
        description="Font of the highlighted words, a catalogue font name (思源中宋...); "
        "default: the call's font.",
    )


class EffectItem(Timed):
    effect_title: str = Field(description="A scene or character effect's name (get_effects).")


class FilterItem(Timed):
    filter_title: str = Field(description="A filter's name, e.g. 森山.")
    intensity: float | None = Field(default=None, description="0-100; default 100.")


class KeyframeItem(Body):
    """One value of a property at one time of a segment."""

    property: str = Field(
        description="opacity, scale.x, scale.y, position.x, position.y, rotation, volume, or a "
        "KFType name (KFTypeAlpha...)."
    )
    value: float = Field(
        description="The value: opacity 0-1, scale 1 = as is, position in pixels, rotation in "
        "degrees, volume 0-1."
    )
    segment_id: str | None = Field(
        default=None,
        description="The segment (an add_videos or add_images segment_id); default: every "
        "video and image segment.",
    )
    time_seconds: Seconds | None = Field(
        default=None, description="When, in seconds from the segment's start."
    )
    time: int | None = Field(
        default=None, description="When, in microseconds from the segment's start; instead."
    )

    def api_item(self, field: str) -> dict[str, Any]:
        item = self.model_dump(exclude={"time_seconds", "time"}, exclude_none=True)
        if (self.time is None) == (self.time_seconds is None):
            raise InvalidInput(
                f"{field}: give time_seconds, or time in microseconds (exactly one of the two)"
            )
        if self.time_seconds is not None:
            return {**item, "time": round(self.time_seconds * SECOND)}
        return {**item, "time": self.time}
