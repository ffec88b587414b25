"""Draft -> the files of a CapCut/Jianying draft folder. Pure and deterministic.

The timeline is written twice, byte for byte: `draft_content.json` for Jianying <= 5.9 on
Windows and `draft_info.json` for Jianying 6+, Mac and CapCut desktop. Media files are not
written here; they belong under `media_relpath(media)` in the folder.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from draftsmith.capcut.ids import draft_uuid
from draftsmith.capcut.materials import Json, media_material, speed_material, text_material
from draftsmith.capcut.meta import meta_info
from draftsmith.capcut.paths import DRAFT_PATH_PLACEHOLDER, media_relpath
from draftsmith.capcut.segments import media_segment, text_segment
from draftsmith.timeline.model import (
    MICROSECONDS_PER_SECOND,
    Draft,
    MediaSegment,
    TextSegment,
    Track,
    TrackKind,
)

__all__ = ["DRAFT_PATH_PLACEHOLDER", "encode_folder", "media_relpath"]

CONTENT_FILE = "draft_content.json"
INFO_FILE = "draft_info.json"
META_FILE = "draft_meta_info.json"


@cache
def _template_text(name: str) -> str:
    return (resources.files("draftsmith.capcut") / "templates" / name).read_text(encoding="utf-8")


def _template(name: str) -> dict[str, Any]:
    loaded: dict[str, Any] = json.loads(_template_text(name))
    return copy.deepcopy(loaded)


def _dumps(value: Json) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


class _Materials:
    """The template's `materials` lists, filled in first-use order, each id once."""

    def __init__(self, lists: dict[str, list[Json]]) -> None:
        self.lists = lists
        self._seen: set[str] = set()

    def add(self, list_name: str, material: Json) -> None:
        if material["id"] not in self._seen:
            self._seen.add(material["id"])
            self.lists[list_name].append(material)


def _track_json(track: Track, render_index: int, draft: Draft, materials: _Materials) -> Json:
    segments: list[Json] = []
    for segment in track.segments:
        match segment:
            case MediaSegment():
                list_name, material = media_material(track.kind, segment)
                materials.add(list_name, material)
                materials.add("speeds", speed_material(segment))
                segments.append(media_segment(track.kind, segment, draft.canvas, render_index))
            case TextSegment() if track.kind is TrackKind.TEXT:
                materials.add("texts", text_material(segment))
                segments.append(text_segment(segment, draft.canvas, render_index))
            case _:
                raise ValueError(f"track {track.id}: a {track.kind} track cannot hold {segment!r}")
    return {
        "attribute": 0,
        "flag": 0,
        "id": track.id,
        "is_default_name": False,
        "name": track.name,
        "segments": segments,
        "type": str(track.kind),
    }


def _content(draft: Draft, saved_at_us: int) -> Json:
    content = _template(CONTENT_FILE)
    materials = _Materials(content["materials"])
    # Like pyJianYingDraft's ScriptFile.dumps: a segment's render_index is its track's position.
    tracks = [
        _track_json(track, index, draft, materials) for index, track in enumerate(draft.tracks)
    ]
    content.update(
        {
            "canvas_config": {
                "height": draft.canvas.height,
                "ratio": "original",
                "width": draft.canvas.width,
            },
            "create_time": draft.created_at_us // MICROSECONDS_PER_SECOND,
            "duration": draft.duration,
            "fps": float(draft.canvas.fps),
            "id": draft_uuid(draft.id),
            "name": draft.name,
            "tracks": tracks,
            "update_time": saved_at_us // MICROSECONDS_PER_SECOND,
        }
    )
    # With main-track magnet on, the editor closes gaps on the bottom video track on the first
    # edit, moving segments away from where the API put them; capcut-mate turns it off too.
    content["config"]["maintrack_adsorb"] = False
    return content


def encode_folder(draft: Draft, *, saved_at_us: int) -> dict[str, bytes]:
    """The JSON files of `draft`'s folder, by file name, as UTF-8 bytes.

    `saved_at_us` (Unix time, microseconds) is the only input besides the draft: the same
    draft and time always give the same bytes.
    """
    timeline = _dumps(_content(draft, saved_at_us))
    meta = meta_info(_template(META_FILE), draft, saved_at_us=saved_at_us)
    return {CONTENT_FILE: timeline, INFO_FILE: timeline, META_FILE: _dumps(meta)}
