"""JSON views the web UI needs and the API verbs do not give: the timeline as the editor shows
it (with thumbnails) and what changed from one saved version to the next."""

from __future__ import annotations

from typing import Any

from draftsmith.api.views import header_summary, segment_notes, segment_shown
from draftsmith.store.records import DraftHeader, RenderJob
from draftsmith.timeline.diff import DraftDiff, SegmentRef
from draftsmith.timeline.model import Draft, MediaSegment, Segment, Track, TrackKind

THUMBNAIL_PATH = "ui/thumbnails"
"""Thumbnail URLs are relative to the UI page, so the UI keeps working behind a path prefix."""
WAVEFORM_PATH = "ui/waveforms"
MAX_LISTED_CHANGES = 100

# The editor lists text tracks on top, then video tracks, then audio tracks at the bottom.
_LANE_GROUP = {
    TrackKind.EFFECT: 0,
    TrackKind.FILTER: 0,
    TrackKind.TEXT: 0,
    TrackKind.STICKER: 0,
    TrackKind.VIDEO: 1,
    TrackKind.AUDIO: 2,
}


def listed_draft(base: str, header: DraftHeader, job: RenderJob | None) -> dict[str, Any]:
    """A row of the drafts list: list_drafts' summary and the state of the latest render."""
    render = None if job is None else {"status": job.status.value, "progress": job.progress}
    return {**header_summary(base, header), "render": render}


def editor_order(tracks: tuple[Track, ...]) -> list[tuple[int, Track]]:
    """Tracks with their stacking layer (0 = bottom), top lane first, as the editor lists them.

    Within a group the track drawn on top of the others (the highest layer) comes first.
    """
    layered = list(enumerate(tracks))
    return sorted(layered, key=lambda item: (_LANE_GROUP[item[1].kind], -item[0]))


_SHOWN_FIELDS = ("text", "source_start", "source_end")
"""The fields of `segment_shown` a lane shows besides its kind and label."""


def _segment_view(segment: Segment) -> dict[str, Any]:
    shown = segment_shown(segment)
    item: dict[str, Any] = {
        "id": segment.id,
        "start": segment.target.start,
        "end": segment.target.end,
        "kind": shown.kind,
        "label": shown.label,
        **{key: value for key, value in shown.fields.items() if key in _SHOWN_FIELDS},
        # Adjustments, and media an imported draft did not bring (missing_media).
        "warnings": segment_notes(segment),
    }
    if not isinstance(segment, MediaSegment):
        return item
    media = segment.media
    thumbnail = media.thumbnail_sha256
    transition = segment.transition
    if transition is not None:
        item["transition"] = {"name": transition.name, "duration": transition.duration}
    if media.strip_sha256 is not None and media.strip_frames > 0:
        item["strip"] = {
            "url": f"{THUMBNAIL_PATH}/{media.strip_sha256}",
            "frames": media.strip_frames,
        }
    if media.waveform_sha256 is not None:
        item["waveform_url"] = f"{WAVEFORM_PATH}/{media.waveform_sha256}"
    return {
        **item,
        "volume": segment.volume,
        "media_width": media.width,
        "media_height": media.height,
        "media_duration": media.duration_us,
        "thumbnail_url": f"{THUMBNAIL_PATH}/{thumbnail}" if thumbnail else None,
    }


def timeline_view(base: str, header: DraftHeader, draft: Draft) -> dict[str, Any]:
    """The draft's save status plus one lane per track, in the editor's order."""
    lanes = [
        {
            "id": track.id,
            "type": track.kind.value,
            "name": track.name,
            "layer": layer,
            "segments": [_segment_view(s) for s in track.segments],
        }
        for layer, track in editor_order(draft.tracks)
    ]
    return {**header_summary(base, header), "track_count": len(lanes), "tracks": lanes}


def _ref_view(ref: SegmentRef) -> dict[str, Any]:
    return {
        "id": ref.id,
        "track_id": ref.track_id,
        "type": ref.kind.value,
        "label": ref.label,
        "start": ref.start,
        "end": ref.end,
    }


def diff_view(version: int, previous: int | None, diff: DraftDiff) -> dict[str, Any]:
    """A version's changes from `previous` (None: it is the oldest version kept)."""
    limit = MAX_LISTED_CHANGES
    return {
        "version": version,
        "previous": previous,
        "summary": diff.describe(),
        "counts": {
            "added": len(diff.added),
            "removed": len(diff.removed),
            "moved": len(diff.moved),
            "changed": len(diff.changed),
            "tracks_added": diff.tracks_added,
            "tracks_removed": diff.tracks_removed,
        },
        "added": [_ref_view(r) for r in diff.added[:limit]],
        "removed": [_ref_view(r) for r in diff.removed[:limit]],
        "moved": [
            {"before": _ref_view(m.before), "after": _ref_view(m.after)} for m in diff.moved[:limit]
        ],
        "changed": [_ref_view(r) for r in diff.changed[:limit]],
    }
