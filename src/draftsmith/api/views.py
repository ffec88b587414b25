"""JSON views of drafts and versions, shared by the verbs that return them."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from datetime import UTC, datetime
from typing import Any, NamedTuple

from draftsmith.api.responses import OK
from draftsmith.api.urls import draft_url, video_url
from draftsmith.store.records import DraftHeader, RenderJob, VersionRecord
from draftsmith.timeline.adjustments import Adjustment
from draftsmith.timeline.diff import segment_label
from draftsmith.timeline.model import (
    Draft,
    EffectSegment,
    MediaSegment,
    Segment,
    StickerSegment,
)


def iso_time(microseconds: int | None) -> str | None:
    if microseconds is None:
        return None
    return datetime.fromtimestamp(microseconds / 1_000_000, UTC).isoformat(timespec="milliseconds")


def header_summary(base: str, header: DraftHeader) -> dict[str, Any]:
    """The save status and shape of a draft: what a "saved / unsaved changes" line shows."""
    return {
        "draft_id": header.id,
        "draft_url": draft_url(base, header.id),
        "name": header.name,
        "width": header.canvas.width,
        "height": header.canvas.height,
        "fps": header.canvas.fps,
        "duration": header.duration_us,
        "segment_count": header.segment_count,
        "current_version": header.revision,
        "last_saved_version": header.saved_version or None,
        "unsaved_changes": header.unsaved_changes,
        "created_at": iso_time(header.created_at_us),
        "updated_at": iso_time(header.updated_at_us),
        "last_saved_at": iso_time(header.saved_at_us),
    }


class SegmentShown(NamedTuple):
    """What a segment shows, whatever its kind."""

    kind: str
    """"video", "image" or "audio" (its media's kind), "effect", "filter", "sticker" or "text"."""
    label: str
    """What a person calls it (`timeline.diff.segment_label`)."""
    fields: dict[str, Any]
    """Its kind's own fields as get_draft names them: a media segment's `media_kind`,
    `source_start` and `source_end` (microseconds) and `name`, and `audio_effect` ({name,
    category}) when it has one; an effect's or filter's `name`; a sticker's `sticker_id`; a
    caption's `text`."""


def segment_shown(segment: Segment) -> SegmentShown:
    """The one place the JSON views of a timeline (get_draft, the web UI's, MCP's) tell segment
    kinds apart; each view adds its own keys to these."""
    label = segment_label(segment)
    if isinstance(segment, MediaSegment):
        kind = segment.media.kind.value
        fields: dict[str, Any] = {
            "media_kind": kind,
            "source_start": segment.source.start,
            "source_end": segment.source.end,
            "name": segment.source_name,
        }
        effect = segment.audio_effect
        if effect is not None:
            fields["audio_effect"] = {"name": effect.name, "category": effect.category}
        return SegmentShown(kind, label, fields)
    if isinstance(segment, EffectSegment):
        kind = "filter" if segment.effect_type == "filter" else "effect"
        return SegmentShown(kind, label, {"name": segment.name})
    if isinstance(segment, StickerSegment):
        return SegmentShown("sticker", label, {"sticker_id": segment.resource_id})
    return SegmentShown("text", label, {"text": segment.text})


def warning_views(adjustments: Iterable[Adjustment]) -> list[dict[str, str]]:
    """Adjustments as the `warnings` of an answer."""
    return [{"field": a.field, "code": a.code, "message": a.message} for a in adjustments]


def segment_notes(segment: Segment) -> list[dict[str, str]]:
    """A segment's warnings: its adjustments, and media an imported draft did not bring."""
    notes = warning_views(segment.adjustments)
    if isinstance(segment, MediaSegment) and segment.media.missing:
        notes.append(
            {
                "field": "media",
                "code": "missing_media",
                "message": f"the file {segment.media.missing_path!r} (material "
                f"{segment.material_id}) is not in the draft; attach it with relink_media",
            }
        )
    return notes


def segment_warnings(draft: Draft) -> list[dict[str, str]]:
    """Every adjustment the draft's segments keep, with the track and segment, tracks bottom
    first and segments in order."""
    return [
        {"track_id": track.id, "segment_id": segment.id, **view}
        for track in draft.tracks
        for segment in track.segments
        for view in segment_notes(segment)
    ]


def draft_info(base: str, header: DraftHeader, draft: Draft) -> dict[str, Any]:
    tracks = [
        {
            "id": track.id,
            "type": track.kind.value,
            "segments": [
                {
                    "id": segment.id,
                    "material_id": segment.material_id,
                    "start": segment.target.start,
                    "end": segment.target.end,
                    **segment_shown(segment).fields,
                    "warnings": segment_notes(segment),
                }
                for segment in track.segments
            ],
        }
        for track in draft.tracks
    ]
    return {**header_summary(base, header), "track_count": len(tracks), "tracks": tracks}


def version_summary(record: VersionRecord) -> dict[str, Any]:
    return {
        "version": record.version,
        "current_version": record.revision,
        "created_at": iso_time(record.created_at_us),
        "label": record.label,
        "segment_count": record.segment_count,
        "duration": record.duration_us,
        "file_count": len(record.files),
    }


def job_view(
    base: str, draft_url: str, job: RenderJob, link_query: Callable[[str], str]
) -> dict[str, Any]:
    done = job.status == "completed" and job.video_sha256 is not None
    return {
        **OK,
        "draft_url": draft_url,
        "job_id": job.id,
        "version": job.version,
        "status": job.status.value,
        "progress": job.progress,
        "video_url": video_url(base, job, link_query) if done else "",
        "error_message": (job.error_message or "") if job.status == "failed" else "",
        "created_at": iso_time(job.created_at_us),
        "started_at": iso_time(job.started_at_us),
        "completed_at": iso_time(job.completed_at_us),
        "report": json.loads(job.report) if job.report else [],
    }
