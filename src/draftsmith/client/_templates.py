"""What `fill_template` takes and answers: the texts and media to replace in a template draft,
and the new draft with what each fill replaced."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from draftsmith.client._fields import Fields
from draftsmith.client._models import ServerWarning, warnings_of


@dataclass(frozen=True)
class TextFill:
    """A caption text to set. Name the captions by exactly one of `placeholder` (text inside
    any caption, such as "{{title}}": each occurrence becomes `text`), `segment_id` or
    `material_id` (their whole text becomes `text`)."""

    text: str
    placeholder: str | None = None
    segment_id: str | None = None
    material_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        fields = {
            "placeholder": self.placeholder,
            "segment_id": self.segment_id,
            "material_id": self.material_id,
            "text": self.text,
        }
        return {key: value for key, value in fields.items() if value is not None}


@dataclass(frozen=True)
class MediaFill:
    """A file to play instead, fetched from `url`: in the video, photo or audio segments of
    the material `material_id`, or of the file called `name` (as the draft shows it)."""

    url: str
    name: str | None = None
    material_id: str | None = None

    def to_json(self) -> dict[str, Any]:
        fields = {"name": self.name, "material_id": self.material_id, "url": self.url}
        return {key: value for key, value in fields.items() if value is not None}


Fill = TextFill | MediaFill | Mapping[str, Any]
"""A fill as an input class, or as the JSON object the server takes."""


def fills_json(fills: Sequence[Fill]) -> list[dict[str, Any]]:
    return [dict(f) if isinstance(f, Mapping) else f.to_json() for f in fills]


@dataclass(frozen=True)
class Replacement:
    """What one fill replaced: `count` placeholder occurrences, or segments; 0 when nothing
    matched (a `template_target_not_found` warning says so)."""

    pointer: str
    """The fill in the request: /texts/0, /media/1."""
    by: str
    target: str
    count: int
    segment_ids: tuple[str, ...]

    @classmethod
    def read(cls, f: Fields) -> Replacement:
        return cls(
            f.text("pointer"),
            f.text("by"),
            f.text("target"),
            f.integer("count"),
            f.texts("segment_ids"),
        )


@dataclass(frozen=True)
class FilledTemplate:
    """The new draft fill_template made; the template is unchanged."""

    draft_url: str
    draft_id: str
    current_version: int
    template_url: str
    template_version: int | None
    """The saved version of the template filled; None: its state at the time."""
    replacements: tuple[Replacement, ...]
    """One per fill: texts, then media, in the order given."""
    warnings: tuple[ServerWarning, ...] = ()

    @classmethod
    def read(cls, f: Fields) -> FilledTemplate:
        return cls(
            draft_url=f.text("draft_url"),
            draft_id=f.text("draft_id"),
            current_version=f.integer("current_version"),
            template_url=f.text("template_url"),
            template_version=f.opt_integer("template_version"),
            replacements=tuple(Replacement.read(r) for r in f.objects("replacements")),
            warnings=warnings_of(f),
        )
