"""What the MCP tools take, and how it becomes the HTTP API's request bodies.

A model states times in seconds more naturally than in microseconds, so every timed item takes
either `start_seconds`/`end_seconds` or the API's `start`/`end` in microseconds: exactly one
pair. Items are converted to the API's own item shape and then validated by the very schema
models the HTTP routes use (`draftsmith.web.schemas`), so limits and error messages are the
same on both edges.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Annotated, Any, TypeVar

from pydantic import BaseModel, Field, ValidationError

from draftsmith.errors import DraftUrlRequired, InvalidInput
from draftsmith.timeline.ids import check_draft_id, parse_draft_url
from draftsmith.web.errors import describe_validation
from draftsmith.web.schemas import Body

SECOND = 1_000_000
B = TypeVar("B", bound=BaseModel)

TIMES_HELP = (
    "Times: give start_seconds and end_seconds (seconds on the timeline, e.g. 1.5), or start "
    "and end in microseconds (1 s = 1_000_000): exactly one pair per item."
)

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


Seconds = Annotated[float, Field(ge=0, le=24 * 3600, allow_inf_nan=False)]


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
        return {**item, **self._microseconds(field)}

    def _microseconds(self, field: str) -> dict[str, int]:
        start, end = self.start_seconds, self.end_seconds
        if start is not None and end is not None and self.start is None and self.end is None:
            return {"start": round(start * SECOND), "end": round(end * SECOND)}
        if self.start is not None and self.end is not None and start is None and end is None:
            return {"start": self.start, "end": self.end}
        raise InvalidInput(
            f"{field}: give start_seconds and end_seconds, or start and end in microseconds "
            "(exactly one of the two pairs)"
        )


def api_items(field: str, items: Sequence[Timed]) -> list[dict[str, Any]]:
    return [item.api_item(f"{field}[{index}]") for index, item in enumerate(items)]


class VideoItem(Timed):
    video_url: str = Field(description="http(s) URL of the video file (mp4, mov, webm...).")
    volume: float | None = Field(
        default=None, description="Volume of the video's own sound, 0-10; default 1."
    )


class ImageItem(Timed):
    image_url: str = Field(description="http(s) URL of the image file (png, jpg, webp...).")


class AudioItem(Timed):
    audio_url: str = Field(description="http(s) URL of the audio file (mp3, m4a, wav...).")
    volume: float | None = Field(default=None, description="Volume, 0-10; default 1.")


class CaptionItem(Timed):
    text: str = Field(description="The caption's text; emoji and any script are fine.")
    font_size: int | None = Field(
        default=None, description="This caption's size, 1-500; default: the call's font_size."
    )
