"""The test oracle: load a draft folder with pyJianYingDraft and summarise what it sees.

pyJianYingDraft (the field's reference library) reads a folder the way a generator's user
would; anything it cannot load, or loads differently from what we meant, is a defect.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pyJianYingDraft

SegmentTimes = tuple[int, int, int | None, int | None]
"""(target start, target duration, source start or None, source duration or None), in µs."""
TrackSummary = tuple[str, list[SegmentTimes]]
"""(track type, its segments in order)."""


@dataclass(frozen=True)
class DraftSummary:
    width: int
    height: int
    fps: float
    duration: int
    tracks: list[TrackSummary]
    material_counts: dict[str, int]
    """Length of every non-empty `materials` list, by list name."""
    captions: list[str]
    """Text of every text segment, tracks bottom first, segments in order."""


def load_script(folder: Path) -> Any:
    """The pyJianYingDraft ScriptFile for the draft folder at `folder`, in template mode."""
    return pyJianYingDraft.DraftFolder(str(folder.parent)).load_template(folder.name)


def _segment_times(segment: Any) -> SegmentTimes:
    target = segment.target_timerange
    source = getattr(segment, "source_timerange", None)
    if source is None:
        return (target.start, target.duration, None, None)
    return (target.start, target.duration, source.start, source.duration)


def _caption_texts(script: Any) -> list[str]:
    texts = {m["id"]: json.loads(m["content"])["text"] for m in script.imported_materials["texts"]}
    return [
        texts[segment.material_id]
        for track in script.imported_tracks
        if track.track_type.name == "text"
        for segment in track.segments
    ]


def load_summary(folder: Path) -> DraftSummary:
    """Load `folder` with pyJianYingDraft and summarise tracks, materials and captions."""
    script = load_script(folder)
    tracks: list[TrackSummary] = [
        (track.track_type.name, [_segment_times(s) for s in getattr(track, "segments", [])])
        for track in script.imported_tracks
    ]
    counts = {name: len(items) for name, items in script.imported_materials.items() if items}
    return DraftSummary(
        width=script.width,
        height=script.height,
        fps=script.fps,
        duration=script.duration,
        tracks=tracks,
        material_counts=counts,
        captions=_caption_texts(script),
    )


def unresolved_refs(folder: Path) -> dict[str, list[str]]:
    """Ids that segments use but no `materials` list holds, by segment id.

    Reads draft_content.json directly: pyJianYingDraft keeps refs only as raw JSON.
    """
    content = json.loads((folder / "draft_content.json").read_text(encoding="utf-8"))
    known = {
        item["id"]
        for items in content["materials"].values()
        if isinstance(items, list)
        for item in items
        if isinstance(item, dict) and "id" in item
    }
    unresolved: dict[str, list[str]] = {}
    for track in content["tracks"]:
        for segment in track["segments"]:
            used = [segment["material_id"], *segment.get("extra_material_refs", [])]
            missing = [ref for ref in used if ref not in known]
            if missing:
                unresolved[segment["id"]] = missing
    return unresolved
