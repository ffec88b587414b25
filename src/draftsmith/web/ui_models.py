"""Response bodies of the web UI's JSON views (web/ui_views.py), as the OpenAPI document states
them. FastAPI checks each answer against its model, as for the verbs (api/responses.py); keys
a view leaves out for a kind of segment stay out of the answer (`response_model_exclude_unset`).
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, Field

from draftsmith.api.responses import DraftSummary, RenderJobResponse, RenderReportEntry, Warning


class RenderState(BaseModel):
    status: Literal["pending", "processing", "completed", "failed", "cancelled"]
    progress: int = Field(ge=0, le=100)


class ListedDraft(DraftSummary):
    render: RenderState | None = Field(description="The latest render job, if any.")


class DraftList(BaseModel):
    drafts: list[ListedDraft]


class TransitionMark(BaseModel):
    name: str
    duration: int = Field(description="Microseconds.")


class ThumbnailStrip(BaseModel):
    url: str = Field(description="A JPEG of `frames` pictures side by side; relative to the page.")
    frames: int = Field(ge=1, description="Pictures spread evenly over the whole media file.")


class LaneSegment(BaseModel):
    id: str
    start: int
    end: int
    kind: str = Field(description="video, image, audio, text, effect, filter or sticker.")
    label: str
    text: str | None = Field(default=None, description="Text segments only.")
    source_start: int | None = Field(default=None, description="Media segments only.")
    source_end: int | None = Field(default=None, description="Media segments only.")
    warnings: list[Warning]
    volume: float | None = Field(default=None, description="Media segments only.")
    media_width: int | None = Field(default=None, description="Media segments only.")
    media_height: int | None = Field(default=None, description="Media segments only.")
    media_duration: int | None = Field(default=None, description="Media segments only.")
    thumbnail_url: str | None = Field(
        default=None, description="Media segments only; relative to the UI page."
    )
    transition: TransitionMark | None = Field(
        default=None, description="Media segments only: the transition into the next segment."
    )
    strip: ThumbnailStrip | None = Field(
        default=None, description="Videos only: pictures along the media, made at ingest."
    )
    waveform_url: str | None = Field(
        default=None,
        description="Media with sound only: its peak levels (JSON), relative to the UI page.",
    )


class Lane(BaseModel):
    id: str
    type: str
    name: str
    layer: int = Field(description="Stacking layer, 0 = bottom.")
    segments: list[LaneSegment]


class LatestRender(BaseModel):
    job: RenderJobResponse | None = Field(description="The latest render job; null if none.")


class Timeline(DraftSummary):
    track_count: int
    tracks: list[Lane] = Field(description="Top lane first, as the editor lists them.")


class ChangedSegment(BaseModel):
    id: str
    track_id: str
    type: str
    label: str
    start: int
    end: int


class MovedSegment(BaseModel):
    before: ChangedSegment
    after: ChangedSegment


class ChangeCounts(BaseModel):
    added: int
    removed: int
    moved: int
    changed: int
    tracks_added: int
    tracks_removed: int


class VersionDiff(BaseModel):
    version: int
    previous: int | None = Field(description="The version compared with; null for the oldest.")
    summary: str
    counts: ChangeCounts
    added: list[ChangedSegment]
    removed: list[ChangedSegment]
    moved: list[MovedSegment]
    changed: list[ChangedSegment]


class PreviewResponse(BaseModel):
    """A preview: the draft as it was at `revision`, rendered small; no render job, no version."""

    draft_id: str
    preview: Literal[True] = Field(description="Always true: this is a preview, not a render.")
    revision: int = Field(description="The draft's current_version the preview shows.")
    last_saved_version: int | None
    unsaved_changes: bool = Field(description="Whether the preview shows unsaved changes.")
    width: int = Field(description="The preview's size: 360 px on its shorter side at most.")
    height: int
    fps: int
    duration: int = Field(description="Microseconds.")
    video_url: str = Field(description="The MP4, relative to the UI page; signed with keys on.")
    video_size: int
    made_at: str | None
    report: list[RenderReportEntry] = Field(description="What the video draws of the draft.")
