"""Response bodies of the verbs, as the OpenAPI document states them.

Routes build plain dicts; FastAPI checks each against the model named here before it is sent,
so the document cannot drift from what the server answers (schemathesis checks it from outside:
tests/security/test_schemathesis.py). Error bodies and the statuses each route may answer with
are declared here too.
"""

from __future__ import annotations

from typing import Any, Literal

from pydantic import BaseModel, Field


class ErrorBody(BaseModel):
    """Every error: a human `detail` naming the problem and a stable machine `code`."""

    detail: str
    code: str


def _error(description: str) -> dict[str, Any]:
    return {"model": ErrorBody, "description": description}


ERROR_RESPONSES: dict[int | str, dict[str, Any]] = {
    400: _error("Invalid input; the detail names the field and the problem."),
    401: _error("API key missing, unknown or revoked (only while API keys are on)."),
    404: _error("No such draft, version or file, or it belongs to another API key."),
    413: _error("Request body larger than the configured limit."),
    429: _error("Too many requests, or a per-key quota is reached; see Retry-After."),
    500: _error("Writing failed; what was stored before is intact."),
    503: _error("Store unreachable, maintenance mode or shutting down; see Retry-After."),
}
CONFLICT_RESPONSE: dict[int | str, dict[str, Any]] = {
    409: _error("expected_version was given and the draft has moved on."),
}
LINK_EXPIRED_RESPONSE: dict[int | str, dict[str, Any]] = {
    403: _error("The signed link has expired; get_draft hands out fresh ones."),
}
UNAVAILABLE_RESPONSE: dict[int | str, dict[str, Any]] = {503: ERROR_RESPONSES[503]}


def binary_response(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """A 200 whose body is a file of `media_type` ("*/*": whatever the file is)."""
    schema = {"type": "string", "format": "binary"}
    return {200: {"description": description, "content": {media_type: {"schema": schema}}}}


OK: dict[str, Any] = {"code": 0, "message": "success"}
"""The success envelope: capcut-mate's `code` and `message`, which workflows test."""


class Success(BaseModel):
    """capcut-mate's success marker, which workflows built for it test."""

    code: Literal[0] = 0
    message: Literal["success"] = "success"


class CreateDraftResponse(Success):
    draft_url: str
    draft_id: str
    tip_url: str


class SegmentSpan(BaseModel):
    id: str
    start: int
    end: int


class EditResponse(Success):
    draft_url: str
    track_id: str
    segment_ids: list[str]
    segment_infos: list[SegmentSpan]
    current_version: int = Field(description="The draft's revision after this edit.")


class AddVideosResponse(EditResponse):
    video_ids: list[str]


class AddImagesResponse(EditResponse):
    image_ids: list[str]


class AddAudiosResponse(EditResponse):
    audio_ids: list[str]


class AddCaptionsResponse(EditResponse):
    text_ids: list[str]


class AddEffectsResponse(EditResponse):
    effect_ids: list[str]


class AddFiltersResponse(EditResponse):
    filter_ids: list[str]


class AddMasksResponse(Success):
    draft_url: str
    masks_added: int
    affected_segments: list[str]
    mask_ids: list[str]
    current_version: int = Field(description="The draft's revision after this edit.")


class AddStickerResponse(Success):
    draft_url: str
    sticker_id: str
    track_id: str
    segment_id: str
    duration: int = Field(description="How long the sticker shows (end - start), us.")
    current_version: int = Field(description="The draft's revision after this edit.")


class AddKeyframesResponse(Success):
    draft_url: str
    keyframes_added: int
    affected_segments: list[str]
    current_version: int = Field(description="The draft's revision after this edit.")


class SaveDraftResponse(Success):
    draft_url: str
    version: int = Field(description="The saved version now published.")
    current_version: int = Field(description="The draft revision that version holds.")
    created: bool = Field(description="Whether this call created the version.")


class GetDraftResponse(Success):
    draft_url: str
    version: int
    files: list[str] = Field(
        description="Download URLs of every file of the version's draft folder; signed and "
        "expiring while API keys are on."
    )
    download_url: str = Field(description="The whole folder as one zip (download_draft).")


class DraftSummary(BaseModel):
    draft_id: str
    draft_url: str
    name: str
    width: int
    height: int
    fps: int
    duration: int
    segment_count: int
    current_version: int
    last_saved_version: int | None
    unsaved_changes: bool
    created_at: str | None
    updated_at: str | None
    last_saved_at: str | None


class SegmentView(BaseModel):
    id: str
    material_id: str
    start: int
    end: int
    media_kind: str | None = Field(default=None, description="Media segments only.")
    source_start: int | None = Field(default=None, description="Media segments only.")
    source_end: int | None = Field(default=None, description="Media segments only.")
    name: str | None = Field(
        default=None, description="Media segments (file name), effects and filters only."
    )
    text: str | None = Field(default=None, description="Text segments only.")
    sticker_id: str | None = Field(default=None, description="Sticker segments only.")


class TrackView(BaseModel):
    id: str
    type: str
    segments: list[SegmentView]


class DraftInfoResponse(Success, DraftSummary):
    track_count: int
    tracks: list[TrackView]


class ListDraftsResponse(Success):
    drafts: list[DraftSummary]


class DeleteDraftResponse(Success):
    draft_url: str
    deleted: bool


class VersionSummary(BaseModel):
    version: int
    current_version: int
    created_at: str | None
    label: str | None
    segment_count: int
    duration: int
    file_count: int


class ListVersionsResponse(Success):
    draft_url: str
    versions: list[VersionSummary]


class RestoreVersionResponse(Success):
    draft_url: str
    version: int
    restored_from: int


class ProblemView(BaseModel):
    severity: str
    file: str
    where: str
    problem: str
    fix: str


class ValidateDraftResponse(Success):
    draft_url: str
    version: int
    valid: bool
    profile: str
    problems: list[ProblemView]


class HealthResponse(BaseModel):
    status: str
    version: str


class ReadyResponse(BaseModel):
    status: str


class RenderJobResponse(Success):
    """gen_video and gen_video_status: the draft's render job, as capcut-mate reports one."""

    draft_url: str
    job_id: str
    version: int = Field(description="The saved version the job renders.")
    status: Literal["pending", "processing", "completed", "failed"]
    progress: int = Field(ge=0, le=100)
    video_url: str = Field(
        description="Download URL of the MP4 once completed (signed and expiring while API keys "
        'are on); "" before.'
    )
    error_message: str = Field(description='Why the render failed; "" unless failed.')
    created_at: str | None
    started_at: str | None
    completed_at: str | None
