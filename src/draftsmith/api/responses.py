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


WARNINGS_HEADER = "X-Draftsmith-Warnings"
"""Where an answer whose body is a file reports what the request was read with: its `warnings`
as a JSON list, present only when there are any."""


def noted_binary_response(media_type: str, description: str) -> dict[int | str, dict[str, Any]]:
    """`binary_response` that may carry the request's warnings in WARNINGS_HEADER."""
    answer = binary_response(media_type, description)
    answer[200]["headers"] = {
        WARNINGS_HEADER: {
            "description": "The request's warnings (a number sent as a string, say), as a "
            "JSON list of {field, code, message}; absent when there are none.",
            "schema": {"type": "string"},
        }
    }
    return answer


RANGE_RESPONSES: dict[int | str, dict[str, Any]] = {
    206: {
        "description": "The bytes a Range header asked for: one range, or several as "
        "multipart/byteranges.",
        "content": {"*/*": {"schema": {"type": "string", "format": "binary"}}},
    },
    416: _error("No range of the Range header lies within the file (Content-Range: bytes */N)."),
}
"""The statuses a file route adds by answering byte ranges (web/ranges.py)."""


OK: dict[str, Any] = {"code": 0, "message": "success"}
"""The success envelope: capcut-mate's `code` and `message`, which workflows test."""


class Success(BaseModel):
    """capcut-mate's success marker, which workflows built for it test."""

    code: Literal[0] = 0
    message: Literal["success"] = "success"


class Warning(BaseModel):
    """One adjustment a verb made to what it was asked (compatible mode); in strict mode it is
    a 400 with the same message instead."""

    field: str = Field(description="The request field it concerns, e.g. video_infos[0].end.")
    code: str = Field(description="What was done: clamped_to_media, saved_before_render, ...")
    message: str


EDIT_WARNINGS = (
    "What this edit did differently from what it was asked (a segment clamped to its media, "
    "an unknown name skipped, a number rounded, a default applied); empty when nothing. In "
    "strict mode (DRAFTSMITH_STRICT, X-Draftsmith-Strict: 1) each is a 400 instead."
)


def edit_warnings() -> Any:
    """The `warnings` field of an edit's answer."""
    return Field(default=[], description=EDIT_WARNINGS)


NUMBER_WARNINGS = (
    "Numbers this request gave as strings (number_from_string) or with a fraction where a "
    "whole number is read (number_rounded), and what was used; empty when none. In strict mode "
    "(DRAFTSMITH_STRICT, X-Draftsmith-Strict: 1) each is a 400 instead."
)


class Noted(Success):
    """The answer of a verb whose only adjustments are the numbers it read."""

    warnings: list[Warning] = Field(default=[], description=NUMBER_WARNINGS)


class SegmentWarning(Warning):
    """A warning kept with a segment of the draft."""

    track_id: str
    segment_id: str


class CreateDraftResponse(Noted):
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
    warnings: list[Warning] = edit_warnings()


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
    warnings: list[Warning] = edit_warnings()


class AddStickerResponse(Success):
    draft_url: str
    sticker_id: str
    track_id: str
    segment_id: str
    duration: int = Field(description="How long the sticker shows (end - start), us.")
    current_version: int = Field(description="The draft's revision after this edit.")
    warnings: list[Warning] = edit_warnings()


class AddKeyframesResponse(Success):
    draft_url: str
    keyframes_added: int
    affected_segments: list[str]
    current_version: int = Field(description="The draft's revision after this edit.")
    warnings: list[Warning] = edit_warnings()


class SaveDraftResponse(Noted):
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


class SegmentAudioEffect(BaseModel):
    name: str = Field(
        description="Its name: the catalogue's (add_audios' `audio_effect`), or as an imported "
        "draft wrote it."
    )
    category: Literal["sound_effect", "tone", "speech_to_song"] = Field(
        description="A scene sound, a voice tone or a speech-to-song style."
    )


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
    audio_effect: SegmentAudioEffect | None = Field(
        default=None,
        description="Audio segments with an audio effect (add_audios' `audio_effect`, or one "
        "an imported draft had) only.",
    )
    warnings: list[Warning] = Field(
        default=[],
        description="What the edits that made or changed this segment did differently from "
        "what they were asked, as their answers' warnings said.",
    )


class TrackView(BaseModel):
    id: str
    type: str
    segments: list[SegmentView]


class DraftInfoResponse(Success, DraftSummary):
    track_count: int
    tracks: list[TrackView]


class ListDraftsResponse(Noted):
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


class RestoreVersionResponse(Noted):
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
    warnings: list[SegmentWarning | Warning] = Field(
        default=[],
        description="The numbers this request was read with (a string read as a number, say), "
        "then what the edits that built this version adjusted, segment by segment "
        "(get_draft_info lists those too); they do not make it invalid.",
    )


class HealthResponse(BaseModel):
    status: str
    version: str


class DependencyCheck(BaseModel):
    """One dependency /readyz checked: the database, the file store, the render workers."""

    status: Literal["ok", "failing"]
    latency_ms: float = Field(description="How long the check took.")
    detail: str | None = Field(
        default=None, description="Why it is failing, or a note (render workers running)."
    )


class ReadyResponse(BaseModel):
    status: str
    checks: dict[str, DependencyCheck] = Field(default_factory=dict)


class RenderReportEntry(BaseModel):
    """One feature of the draft as the render draws it (docs/render.md lists them)."""

    feature: Literal[
        "video",
        "image",
        "audio",
        "caption",
        "placement",
        "keyframe",
        "mask",
        "animation",
        "transition",
        "filter",
        "effect",
        "keyword",
        "text_layout",
        "text_effect",
        "sticker",
        "audio_effect",
    ]
    name: str = Field(
        description='Which one: a keyframe property, "in: 渐显", a filter name...; "" for the '
        "segments themselves."
    )
    drawn: Literal["exact", "approximated", "not_drawn"]
    how: str = Field(description='What is drawn instead, or why nothing is; "" when exact.')
    segment_ids: list[str]


class RenderJobResponse(Success):
    """gen_video, gen_video_status and cancel_render: the draft's render job, as capcut-mate
    reports one, with what the video draws of the draft."""

    draft_url: str
    job_id: str
    version: int = Field(description="The saved version the job renders.")
    status: Literal["pending", "processing", "completed", "failed", "cancelled"]
    progress: int = Field(ge=0, le=100)
    video_url: str = Field(
        description="Download URL of the MP4 once completed (signed and expiring while API keys "
        'are on); "" before.'
    )
    error_message: str = Field(description='Why the render failed; "" unless failed.')
    created_at: str | None
    started_at: str | None
    completed_at: str | None
    warnings: list[Warning] = Field(
        default=[],
        description="gen_video: saved_before_render when the draft had unsaved changes and "
        "was saved first; the version rendered is `version`.",
    )
    report: list[RenderReportEntry] = Field(
        default=[],
        description="What the video draws of everything the draft holds, feature by feature: "
        "exactly, approximated (and how) or not drawn (and why), with the segments; [] until "
        "a worker has planned the render.",
    )
