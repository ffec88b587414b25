"""draft_meta_info.json: the per-draft record the editor's draft list and media check read."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

from draftsmith.capcut.materials import Json
from draftsmith.capcut.paths import material_path
from draftsmith.timeline.model import (
    MICROSECONDS_PER_SECOND,
    PHOTO_DURATION_US,
    Draft,
    Media,
    MediaKind,
    MediaSegment,
)

_METETYPES = {MediaKind.VIDEO: "video", MediaKind.IMAGE: "photo", MediaKind.AUDIO: "music"}
_IMPORTED_MEDIA = 0
"""`draft_materials` group of imported local media; Mac Jianying wants every file listed there."""


def _first_material_ids(draft: Draft) -> dict[str, str]:
    """sha256 -> material id of the first segment playing that file (the editor reuses it)."""
    ids: dict[str, str] = {}
    for track in draft.tracks:
        for segment in track.segments:
            if isinstance(segment, MediaSegment):
                ids.setdefault(segment.media.sha256, segment.material_id)
    return ids


def _media_entry(media: Media, material_id: str, imported_at_us: int) -> Json:
    duration = PHOTO_DURATION_US if media.kind is MediaKind.IMAGE else media.duration_us or 0
    # Field set as the editor writes it (a Jianying 10.6 draft with draft-relative paths).
    return {
        "ai_group_type": "",
        "create_time": imported_at_us // MICROSECONDS_PER_SECOND,
        "duration": duration,
        "enter_from": 0,
        "extra_info": media.file_name,
        "file_Path": material_path(media),
        "height": media.height or 0,
        "id": material_id,
        "import_time": imported_at_us // MICROSECONDS_PER_SECOND,
        "import_time_ms": imported_at_us // 1000,
        "item_source": 1,
        "md5": "",
        "metetype": _METETYPES[media.kind],
        "roughcut_time_range": {"duration": duration, "start": 0},
        "sub_time_range": {"duration": -1, "start": -1},
        "type": 0,
        "width": media.width or 0,
    }


def meta_info(
    template: dict[str, Any],
    draft: Draft,
    *,
    saved_at_us: int,
    used: tuple[Sequence[Media], Mapping[str, str], int] | None = None,
) -> Json:
    """Fill a copy of pyJianYingDraft's draft_meta_info template for `draft`.

    `used`: what the draft's tracks give, worked out already (a save that keeps it from one
    version to the next): `draft.media()`, the first material id of each file (by SHA-256)
    and `draft.duration`; the tracks are then not read.
    """
    meta = dict(template)
    if used is None:
        media: Sequence[Media] = draft.media()
        material_ids: Mapping[str, str] = _first_material_ids(draft)
        duration = draft.duration
    else:
        media, material_ids, duration = used
    entries = [_media_entry(m, material_ids[m.sha256], draft.created_at_us) for m in media]
    meta["draft_materials"] = [
        {"type": group["type"], "value": entries if group["type"] == _IMPORTED_MEDIA else []}
        for group in template["draft_materials"]
    ]
    meta.update(
        {
            "draft_fold_path": "",
            "draft_id": draft.id,
            "draft_name": draft.name,
            "draft_timeline_materials_size_": sum(m.size for m in media),
            "tm_draft_create": draft.created_at_us,
            "tm_draft_modified": saved_at_us,
            "tm_duration": duration,
        }
    )
    # The editor writes these keys in alphabetical order; the template has no tm_draft_* yet.
    return dict(sorted(meta.items()))
