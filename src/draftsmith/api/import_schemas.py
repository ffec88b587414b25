"""Bodies and answers of import_draft and relink_media."""

from __future__ import annotations

from typing import Any

from pydantic import Field

from draftsmith.api.responses import Success, Warning
from draftsmith.api.schemas import PROFILE_HELP, PROFILE_NAMES_OR_NULL, DraftBody, Keyed


class ImportDraftBody(Keyed):
    """import_draft by URL; a zip upload sends the zip itself as the body instead."""

    zip_url: str = Field(
        max_length=4096,
        description="http(s) URL of a zip of a draft folder, fetched under the media rules.",
    )
    profile: str | None = Field(
        default=None,
        max_length=64,
        description=PROFILE_HELP + " the draft is written for; default: the one whose folders "
        "look like the imported one.",
        json_schema_extra=PROFILE_NAMES_OR_NULL,
    )
    name: str | None = Field(default=None, max_length=255, description="Default: the draft's.")


class ImportDraftResponse(Success):
    draft_url: str
    draft_id: str
    profile: str
    source: str = Field(description="The folder's file the timeline was read from.")
    track_count: int
    segment_count: int
    missing_media: list[str] = Field(
        description="Paths of media the draft names but did not bring; relink_media attaches them."
    )
    warnings: list[Warning]


class RelinkMediaBody(DraftBody):
    material: str = Field(
        min_length=1,
        max_length=1024,
        pattern=r"\S",
        description="The material id, or the file name the draft gave it (e.g. clip.mp4).",
    )
    url: str = Field(max_length=4096, description="http(s) URL of the file to attach.")


class RelinkMediaResponse(Success):
    draft_url: str
    segment_ids: list[str]
    media: dict[str, Any]
    current_version: int
    warnings: list[Warning]
