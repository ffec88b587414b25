"""The compose spec: a whole draft in one request body.

Each track is `{type, items, ...}` where the items are exactly the list items of the add_*
verb of that type (a sticker track's items are add_sticker bodies) and the other fields are
that verb's per-track fields, both taken from the verb bodies in api/schemas.py (never written
twice), so a track means what the equivalent add_* call means. Items that make video, photo,
audio, text and sticker segments may also carry `keyframes`: add_keyframes' items for that
item's segment (no segment_id: the item is the segment).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, Annotated, Any, Literal, Union

from pydantic import BaseModel, Field, create_model, field_validator

from draftsmith.api import responses, schemas
from draftsmith.api.schemas import DRAFT_URL_SCHEMA, JsonList, Switch

NOT_PER_TRACK = ("draft_url", "idempotency_key")
"""Fields of the verb bodies that belong to the request, not to one of its tracks."""


class TrackType(BaseModel):
    """What every track has: its type, and the verb that adds it."""

    verb: str
    body: type[schemas.Body]
    items_field: str | None
    """The verb body's list of items; None for add_sticker, whose body is the item."""


TRACK_TYPES: dict[str, TrackType] = {
    "video": TrackType(verb="add_videos", body=schemas.AddVideosBody, items_field="video_infos"),
    "audio": TrackType(verb="add_audios", body=schemas.AddAudiosBody, items_field="audio_infos"),
    "image": TrackType(verb="add_images", body=schemas.AddImagesBody, items_field="image_infos"),
    "caption": TrackType(verb="add_captions", body=schemas.AddCaptionsBody, items_field="captions"),
    "effect": TrackType(
        verb="add_effects", body=schemas.AddEffectsBody, items_field="effect_infos"
    ),
    "filter": TrackType(
        verb="add_filters", body=schemas.AddFiltersBody, items_field="filter_infos"
    ),
    "sticker": TrackType(verb="add_sticker", body=schemas.AddStickerBody, items_field=None),
}
_TAGS: dict[str, Any] = {
    "video": Literal["video"],
    "audio": Literal["audio"],
    "image": Literal["image"],
    "caption": Literal["caption"],
    "effect": Literal["effect"],
    "filter": Literal["filter"],
    "sticker": Literal["sticker"],
}


def _copied(body: type[BaseModel], leave_out: tuple[str, ...]) -> dict[str, Any]:
    """The fields and field validators of `body`, but those named in `leave_out`."""
    fields: dict[str, Any] = {
        name: (info.annotation, info)
        for name, info in body.model_fields.items()
        if name not in leave_out
    }
    for name, decorator in body.__pydantic_decorators__.field_validators.items():
        wanted = [f for f in decorator.info.fields if f not in leave_out]
        if wanted:
            fields.setdefault("__validators__", {})[name] = field_validator(
                *wanted, mode=decorator.info.mode
            )(classmethod(getattr(decorator.func, "__func__", decorator.func)))
    return fields


ItemKeyframe: Any = create_model(
    "ItemKeyframe",
    __base__=schemas.Body,
    __doc__="A keyframe of the item's own segment, as add_keyframes takes it (no segment_id).",
    **_copied(schemas.KeyframeInfo, ("segment_id",)),
)
KEYFRAMED = ("video", "audio", "image", "caption", "sticker")
"""The track types whose items may carry `keyframes` (audio: volume only)."""
_KEYFRAMES: Any = (
    JsonList[ItemKeyframe] | None,
    Field(
        default=None,
        description="Keyframes of this item's segment (property, value, time or offset), "
        "applied as add_keyframes applies them, in the same write.",
    ),
)


def _track_model(kind: str, track: TrackType) -> type[BaseModel]:
    extra = {"keyframes": _KEYFRAMES} if kind in KEYFRAMED else {}
    if track.items_field is None:
        item: Any = create_model(
            "StickerItem", __base__=schemas.Body, **_copied(track.body, NOT_PER_TRACK), **extra
        )
        fields: dict[str, Any] = {}
    else:
        item = track.body.model_fields[track.items_field].annotation
        item = item.__args__[0] if hasattr(item, "__args__") else item
        if extra:
            item = create_model(f"{kind.title()}Item", __base__=item, __doc__=item.__doc__, **extra)
        fields = _copied(track.body, (*NOT_PER_TRACK, track.items_field))
    return create_model(
        f"{kind.title()}Track",
        __base__=schemas.Body,
        __doc__=f"Items and per-track fields exactly as {track.verb} takes them.",
        type=(_TAGS[kind], ...),
        items=(JsonList[item], Field(min_length=1)),
        **fields,
    )


TRACK_MODELS: dict[str, type[BaseModel]] = {k: _track_model(k, t) for k, t in TRACK_TYPES.items()}


class ComposeBody(schemas.CreateDraftBody):
    """A whole draft: canvas, name and profile (as create_draft takes them) for a new draft,
    or `draft_url` to append to an existing one; its tracks, bottom first; then optionally
    save and render."""

    draft_url: Annotated[str | None, Field(json_schema_extra=DRAFT_URL_SCHEMA)] = None
    tracks: list[Any] = Field(min_length=1)
    save: Switch = Field(default=False, description="Save a version after the edit.")
    render: Switch = Field(
        default=False, description="Render the saved version to MP4 (saves first)."
    )


_TRACK_UNION: Any = Annotated[
    Union.__getitem__(tuple(TRACK_MODELS.values())),
    Field(discriminator="type"),
]
if TYPE_CHECKING:
    ComposeSpec = ComposeBody
else:
    ComposeSpec = create_model(
        "ComposeSpec",
        __base__=ComposeBody,
        __doc__=ComposeBody.__doc__,
        tracks=(JsonList[_TRACK_UNION], Field(min_length=1)),
    )


def compose_json_schema() -> dict[str, Any]:
    """The JSON Schema of a compose request body (draft 2020-12)."""
    schema: dict[str, Any] = ComposeSpec.model_json_schema()
    return {"$schema": "https://json-schema.org/draft/2020-12/schema", **schema}


def pointer(*parts: object) -> str:
    """A JSON pointer (RFC 6901) to the spec location `parts`."""
    return "".join("/" + str(p).replace("~", "~0").replace("/", "~1") for p in parts)


def validation_problems(errors: Sequence[Any]) -> tuple[tuple[str, str], ...]:
    """pydantic's errors for a compose body, each as (JSON pointer, message)."""
    problems = []
    for error in errors:
        location = list(error.get("loc", ()))
        if location and location[0] == "body":
            location = location[1:]
        # A track's errors name its type (the union's branch) after its index.
        if len(location) > 2 and location[0] == "tracks" and location[2] in TRACK_TYPES:
            del location[2]
        problems.append((pointer(*location), str(error.get("msg", "is invalid"))))
    return tuple(problems)


class SpecProblem(BaseModel):
    pointer: str = Field(description="Where in the spec, as a JSON pointer: /tracks/3/items/17.")
    message: str


class InvalidSpecBody(responses.ErrorBody):
    """compose's 400: with code invalid_spec, every problem of the spec."""

    problems: list[SpecProblem] = Field(default=[])


INVALID_SPEC_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: {
        "model": InvalidSpecBody,
        "description": "Invalid input; `invalid_spec`: `problems` lists each with its pointer.",
    }
}
"""The OpenAPI answer of a verb that reports every problem of its body at once."""


class RenderJobView(BaseModel):
    job_id: str
    version: int
    status: str
    progress: int


class ComposeResponse(responses.Success):
    """compose's answer."""

    draft_url: str
    draft_id: str
    current_version: int = Field(description="The draft's revision after the edit.")
    version: int | None = Field(description="The saved version, when `save` or `render`.")
    render: RenderJobView | None = Field(
        description="The render job, when `render`; follow it with gen_video_status."
    )
    track_ids: list[str] = Field(description="The tracks stacked, bottom first.")
    warnings: list[responses.Warning] = responses.edit_warnings()
