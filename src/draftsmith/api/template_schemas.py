"""fill_template's request body and answer, and the service request made of the body."""

from __future__ import annotations

from typing import Annotated, Any

from pydantic import BaseModel, Field, model_validator

from draftsmith.api import responses
from draftsmith.api.compose_schemas import pointer
from draftsmith.api.schemas import NO_NUL, Body, DraftBody, JsonList, VersionNumber
from draftsmith.service.templates import MediaFillRequest, TemplateRequest
from draftsmith.timeline.templates import MediaBy, TextBy, TextFill

MAX_CAPTION_TEXT = 5000
"""The longest text a fill may set; the server's caption length limit applies to the result."""
Id = Annotated[str, Field(min_length=1, max_length=200, pattern=NO_NUL)]


def _one_of(model: BaseModel, names: tuple[str, ...]) -> str:
    """The one field of `names` that `model` has a value for; ValueError unless exactly one."""
    given = [name for name in names if getattr(model, name) is not None]
    if len(given) != 1:
        raise ValueError(f"give exactly one of {', '.join(names)}")
    return given[0]


class TextFillInfo(Body):
    """One text to set: in the captions `segment_id` or `material_id` names (their whole
    text), or wherever `placeholder` occurs in a caption's text (that part only)."""

    segment_id: Id | None = None
    material_id: Id | None = None
    placeholder: str | None = Field(
        default=None,
        min_length=1,
        max_length=1000,
        pattern=NO_NUL,
        description="Text to find in every caption, such as {{title}}; each occurrence is "
        "replaced and the caption's styles stretch or shrink with it.",
    )
    text: str = Field(
        max_length=MAX_CAPTION_TEXT,
        pattern=NO_NUL,
        description="The caption's new text, or what replaces the placeholder.",
    )

    @model_validator(mode="after")
    def _one_target(self) -> TextFillInfo:
        _one_of(self, _TEXT_TARGETS)
        return self


class MediaFillInfo(Body):
    """One file to play instead: in the video, photo or audio segments `material_id` or
    `name` (the file name the draft shows for the media) names."""

    material_id: Id | None = None
    name: Id | None = Field(default=None, description="The media's file name, e.g. clip.mp4.")
    url: str = Field(
        min_length=1,
        description="Fetched as add_videos fetches; each segment keeps its place and length "
        "(a longer file is trimmed, a shorter one shortens the segment, with a warning).",
    )

    @model_validator(mode="after")
    def _one_target(self) -> MediaFillInfo:
        _one_of(self, _MEDIA_TARGETS)
        return self


_TEXT_TARGETS = ("segment_id", "material_id", "placeholder")
_MEDIA_TARGETS = ("material_id", "name")


class FillTemplateBody(DraftBody):
    """A new draft made from the template `draft_url` (as it is now, or its saved
    `version`), with `texts` and `media` replaced; the template is not changed."""

    version: VersionNumber | None = Field(
        default=None, description="A saved version of the template; default: as it is now."
    )
    name: str | None = Field(
        default=None,
        max_length=200,
        pattern=NO_NUL,
        description="The new draft's name; default: the template's.",
    )
    texts: JsonList[TextFillInfo] = Field(default=[], description="Applied in order.")
    media: JsonList[MediaFillInfo] = Field(default=[], description="Applied after the texts.")

    @model_validator(mode="after")
    def _something(self) -> FillTemplateBody:
        if not self.texts and not self.media:
            raise ValueError("give at least one item in texts or media")
        return self


def template_request(draft_id: str, body: FillTemplateBody) -> TemplateRequest:
    """What the service is asked, each fill named by its JSON pointer into `body`."""
    texts = []
    for index, item in enumerate(body.texts):
        by = TextBy(_one_of(item, _TEXT_TARGETS))
        key: Any = getattr(item, by.value)
        texts.append(TextFill(pointer("texts", index), by, key, item.text))
    media = []
    for index, given in enumerate(body.media):
        kind = MediaBy(_one_of(given, _MEDIA_TARGETS))
        named: Any = getattr(given, kind.value)
        media.append(MediaFillRequest(pointer("media", index), kind, named, given.url))
    return TemplateRequest(draft_id, body.version, body.name, tuple(texts), tuple(media))


class ReplacementView(BaseModel):
    """What one fill replaced."""

    pointer: str = Field(description="The fill, as a JSON pointer: /texts/0, /media/1.")
    by: str = Field(description="segment_id, material_id, placeholder or name.")
    target: str = Field(description="The id, placeholder or file name the fill gave.")
    count: int = Field(
        description="Replacements made: placeholder occurrences, else segments changed; 0 "
        "when nothing matched (see warnings)."
    )
    segment_ids: list[str] = Field(description="The segments it changed.")


class FillTemplateResponse(responses.Success):
    """fill_template's answer: the new draft and what was replaced in it."""

    draft_url: str
    draft_id: str
    current_version: int = Field(description="The new draft's revision.")
    template_url: str = Field(description="The template's draft_url; it is unchanged.")
    template_version: int | None = Field(
        description="The saved version of the template filled; null: its state at the time."
    )
    replacements: list[ReplacementView] = Field(description="One per fill: texts, then media.")
    warnings: list[responses.Warning] = responses.edit_warnings()
