"""Draft -> the files of a CapCut/Jianying draft folder for one editor profile. Pure and
deterministic.

The profile (`draftsmith.capcut.profiles`) names the timeline files its editors read:
`draft_content.json` for Jianying <= 5.9 on Windows, `draft_info.json` for Jianying 6+, Mac and
CapCut desktop, both for `all`; current editors also get `Timelines/` with the same timeline.
Every copy is the same bytes. Media files are not written here; they belong under
`media_relpath(media)` in the folder.
"""

from __future__ import annotations

import copy
import json
from functools import cache
from importlib import resources
from typing import Any

from draftsmith.capcut.ids import draft_uuid
from draftsmith.capcut.materials import (
    Json,
    animation_material,
    common_mask_material,
    effect_material,
    mask_material,
    media_material,
    speed_material,
    transition_material,
)
from draftsmith.capcut.meta import meta_info
from draftsmith.capcut.paths import DRAFT_PATH_PLACEHOLDER, media_relpath
from draftsmith.capcut.profiles import (
    CONTENT_FILE,
    DEFAULT_PROFILE,
    META_FILE,
    TIMELINES_PROJECT,
    Profile,
)
from draftsmith.capcut.segments import effect_segment, media_segment, text_segment
from draftsmith.capcut.text_material import text_material
from draftsmith.capcut.timelines import nested_info_path, project_json
from draftsmith.timeline.model import (
    MICROSECONDS_PER_SECOND,
    Draft,
    EffectSegment,
    MediaSegment,
    TextSegment,
    Track,
    TrackKind,
)

__all__ = ["DRAFT_PATH_PLACEHOLDER", "encode_folder", "media_relpath"]

# The template this module fills in, named after the file pyJianYingDraft ships it as.
_TEMPLATE = CONTENT_FILE


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
        self._seen: set[tuple[str, str]] = set()

    def add(self, list_name: str, material: Json) -> None:
        key = (list_name, material["id"])
        if key not in self._seen:
            self._seen.add(key)
            self.lists.setdefault(list_name, []).append(material)


def _track_json(track: Track, render_index: int, draft: Draft, materials: _Materials) -> Json:
    segments: list[Json] = []
    for segment in track.segments:
        match segment:
            case MediaSegment():
                list_name, material = media_material(track.kind, segment)
                materials.add(list_name, material)
                materials.add("speeds", speed_material(segment))
                if segment.animations is not None:
                    materials.add("material_animations", animation_material(segment.animations))
                transition = transition_material(segment)
                if transition is not None:
                    materials.add("transitions", transition)
                if segment.mask is not None:
                    materials.add("masks", mask_material(segment.mask))
                    # Only drafts with a mask get this list, so the others keep their bytes.
                    materials.add("common_mask", common_mask_material(segment.mask))
                segments.append(media_segment(track.kind, segment, draft.canvas, render_index))
            case TextSegment() if track.kind is TrackKind.TEXT:
                materials.add("texts", text_material(segment))
                if segment.animations is not None:
                    materials.add("material_animations", animation_material(segment.animations))
                segments.append(text_segment(segment, draft.canvas, render_index))
            case EffectSegment() if track.kind in (TrackKind.EFFECT, TrackKind.FILTER):
                materials.add(*effect_material(segment))
                segments.append(effect_segment(segment, render_index))
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


def _content(draft: Draft, saved_at_us: int, profile: Profile) -> Json:
    content = _template(_TEMPLATE)
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
            "last_modified_platform": profile.platform.to_json(),
            "name": draft.name,
            "platform": profile.platform.to_json(),
            "tracks": tracks,
            "update_time": saved_at_us // MICROSECONDS_PER_SECOND,
        }
    )
    # With main-track magnet on, the editor closes gaps on the bottom video track on the first
    # edit, moving segments away from where the API put them; capcut-mate turns it off too.
    content["config"]["maintrack_adsorb"] = False
    return content


def encode_folder(
    draft: Draft, *, saved_at_us: int, profile: Profile = DEFAULT_PROFILE
) -> dict[str, bytes]:
    """The JSON files of `draft`'s folder for the editors of `profile`, by folder-relative
    path ("/"-separated), as UTF-8 bytes.

    `profile` is not taken from `draft.profile`, so that a draft can be written for other
    editors than its own. `saved_at_us` (Unix time, microseconds) is the only other input:
    the same draft, time and profile always give the same bytes.
    """
    content = _content(draft, saved_at_us, profile)
    timeline = _dumps(content)
    files = dict.fromkeys(profile.reads, timeline)
    files[META_FILE] = _dumps(meta_info(_template(META_FILE), draft, saved_at_us=saved_at_us))
    if profile.writes_timelines:
        project = project_json(content, created_at_us=draft.created_at_us, saved_at_us=saved_at_us)
        files[TIMELINES_PROJECT] = _dumps(project)
        files[nested_info_path(content["id"])] = timeline
    return files
