"""Tool results: short, with the ids a model needs next, the save status and a next step.

Times are given in seconds (what a model reasons in); ids and version numbers as the HTTP API
names them (`current_version` is the draft's revision, bumped by every edit; `version` and
`last_saved_version` are saved versions).
"""

from __future__ import annotations

from typing import Any

from draftsmith.api.views import iso_time, segment_shown, version_summary, warning_views
from draftsmith.mcp_server.inputs import SECOND
from draftsmith.service import EditResult, KeyframeResult, MaskResult
from draftsmith.store.records import DraftHeader, SaveOutcome, VersionRecord
from draftsmith.timeline.adjustments import Adjustment
from draftsmith.timeline.model import Draft, MediaSegment, Segment, Track

Result = dict[str, Any]


def seconds(microseconds: int) -> float:
    return round(microseconds / SECOND, 6)


def save_status(header: DraftHeader) -> Result:
    """What a "saved / unsaved changes" indicator shows, and the step that follows from it."""
    saved = header.saved_version or None
    if header.unsaved_changes:
        step = f"call save_draft to publish version {(saved or 0) + 1}"
    else:
        step = f"everything is saved as version {saved}" if saved else "nothing to save yet"
    return {
        "current_version": header.revision,
        "last_saved_version": saved,
        "unsaved_changes": header.unsaved_changes,
        "duration_seconds": seconds(header.duration_us),
        "save_status": step,
    }


def _segments(segments: tuple[Segment, ...]) -> list[Result]:
    return [
        {
            "id": s.id,
            "start_seconds": seconds(s.target.start),
            "end_seconds": seconds(s.target.end),
        }
        for s in segments
    ]


def _edited(draft_url: str, header: DraftHeader) -> Result:
    """What every edit's result starts with: the draft and its save status."""
    return {"draft_id": header.id, "draft_url": draft_url, **save_status(header)}


def _next(result: Result, warnings: tuple[Adjustment, ...] = ()) -> str:
    step = f"Add more to the draft, or {result['save_status']}."
    if warnings:
        return f"Done, with adjustments (see warnings). {step}"
    return step


def _warned(result: Result, warnings: tuple[Adjustment, ...]) -> Result:
    """`result` with what the edit adjusted (always listed, empty when nothing) and its next
    step."""
    return {**result, "warnings": warning_views(warnings), "next": _next(result, warnings)}


def edit_result(draft_url: str, result: EditResult) -> Result:
    """An edit that added segments; those of one call may span several tracks (overlapping
    effects), `track_id` is the first of them."""
    edited = _edited(draft_url, result.header)
    added = {
        **edited,
        "track_id": result.track.id,
        "segment_ids": [s.id for s in result.segments],
        "segments": _segments(result.segments),
    }
    return _warned(added, result.warnings)


def mask_result(draft_url: str, result: MaskResult) -> Result:
    edited = _edited(draft_url, result.header)
    masked = {
        **edited,
        "masks_added": len(result.masks),
        "affected_segments": list(result.segment_ids),
        "mask_ids": [m.id for m in result.masks],
    }
    return _warned(masked, result.warnings)


def keyframe_result(draft_url: str, result: KeyframeResult) -> Result:
    edited = _edited(draft_url, result.header)
    animated = {
        **edited,
        "keyframes_added": result.keyframes_added,
        "affected_segments": list(result.segment_ids),
    }
    return _warned(animated, result.warnings)


def save_result(draft_url: str, outcome: SaveOutcome, download_url: str) -> Result:
    record = outcome.version
    made = "Saved" if outcome.created else "Nothing changed since the last save: still"
    return {
        "draft_id": record.draft_id,
        "draft_url": draft_url,
        "version": record.version,
        "created": outcome.created,
        "current_version": record.revision,
        "unsaved_changes": False,
        "download_url": download_url,
        "next": f"{made} version {record.version}. Call gen_video to render it to MP4, "
        "validate_draft to check it for the editor, or open download_url for the draft folder.",
    }


def track_summary(track: Track) -> Result:
    """A track in a line: its kind, how many segments, and the span they cover."""
    segments = track.segments
    summary: Result = {"id": track.id, "type": track.kind.value, "segment_count": len(segments)}
    if segments:
        summary["start_seconds"] = seconds(min(s.target.start for s in segments))
        summary["end_seconds"] = seconds(max(s.target.end for s in segments))
    return summary


def draft_summary(draft_url: str, header: DraftHeader) -> Result:
    return {
        "draft_id": header.id,
        "draft_url": draft_url,
        "name": header.name,
        "width": header.canvas.width,
        "height": header.canvas.height,
        "segment_count": header.segment_count,
        **save_status(header),
        "updated_at": iso_time(header.updated_at_us),
    }


def segment_view(segment: Segment) -> Result:
    """One segment of the timeline resource: where it plays and what it shows."""
    view: Result = {
        "id": segment.id,
        "start_seconds": seconds(segment.target.start),
        "end_seconds": seconds(segment.target.end),
    }
    if segment.adjustments:
        view["warnings"] = warning_views(segment.adjustments)
    fields = segment_shown(segment).fields
    if isinstance(segment, MediaSegment):
        # In seconds, and the source's start only: what a model needs to place it again.
        return {
            **view,
            "media": fields["media_kind"],
            "name": fields["name"],
            "source_start_seconds": seconds(fields["source_start"]),
        }
    return {**view, **fields}


def timeline(draft_url: str, header: DraftHeader, draft: Draft) -> Result:
    """The draft's tracks, bottom first, each with its segments in order."""
    return {
        **draft_summary(draft_url, header),
        "fps": header.canvas.fps,
        "tracks": [
            {"id": t.id, "type": t.kind.value, "segments": [segment_view(s) for s in t.segments]}
            for t in draft.tracks
        ],
    }


def version_view(record: VersionRecord) -> Result:
    """list_versions' item (`api.views.version_summary`), its duration in seconds."""
    view = version_summary(record)
    del view["duration"], view["file_count"]
    return {**view, "duration_seconds": seconds(record.duration_us)}
