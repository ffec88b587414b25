"""JSON views of drafts and versions, shared by the verbs that return them."""

from __future__ import annotations

from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from draftsmith.api.responses import OK
from draftsmith.api.urls import draft_url, video_url
from draftsmith.store.records import DraftHeader, RenderJob, VersionRecord
from draftsmith.timeline.model import Draft, EffectSegment, MediaSegment, StickerSegment


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


def draft_info(base: str, header: DraftHeader, draft: Draft) -> dict[str, Any]:
    tracks = []
    for track in draft.tracks:
        segments = []
        for segment in track.segments:
            item: dict[str, Any] = {
                "id": segment.id,
                "material_id": segment.material_id,
                "start": segment.target.start,
                "end": segment.target.end,
            }
            if isinstance(segment, MediaSegment):
                item["media_kind"] = segment.media.kind.value
                item["source_start"] = segment.source.start
                item["source_end"] = segment.source.end
                item["name"] = segment.source_name
            elif isinstance(segment, EffectSegment):
                item["name"] = segment.name
            elif isinstance(segment, StickerSegment):
                item["sticker_id"] = segment.resource_id
            else:
                item["text"] = segment.text
            segments.append(item)
        tracks.append({"id": track.id, "type": track.kind.value, "segments": segments})
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
    }
