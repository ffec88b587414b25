"""Make a draft folder's files true for the place it is installed at. Pure.

Editors want absolute media paths (pyJianYingDraft abspath()s every path; capcut-mate's
client rewrites its server paths on download, capcut-mate-electron `nodeapi/download.js`).
So every material path that names a file the folder holds (by the editor's placeholder, a
relative path, or the tail of a foreign absolute path) becomes an absolute path inside the
installed folder, in every timeline copy; draft_meta_info.json is rewritten to match.
"""

from __future__ import annotations

import copy
import json
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from importlib import resources
from typing import Any

from draftsmith.capcut.locations import Location, escapes, locate, tails
from draftsmith.capcut.meta_checks import IMPORTED_MEDIA_GROUP, media_locations
from draftsmith.capcut.profiles import CONTENT_FILE, INFO_FILE, META_FILE, TEMPLATE_TMP
from draftsmith.capcut.validate import parse_json_file
from draftsmith.timeline.model import PHOTO_DURATION_US

Json = dict[str, Any]
HasFile = Callable[[str], bool]

_NESTED_TIMELINE = re.compile(r"Timelines/[^/]+/(draft_info\.json|template-2\.tmp)")
_META_TEMPLATE = resources.files("draftsmith.capcut") / "templates" / META_FILE
_METETYPES = {"video": "video", "photo": "photo", "extract_music": "music"}


@dataclass(frozen=True)
class Placement:
    """Where and as what a draft is installed."""

    folder: str
    """Absolute path of the installed folder, "/"-separated (how editors write media paths)."""
    root: str
    """The drafts root as the system writes it."""
    name: str
    """Folder name, which is also the draft's name in the editor."""
    draft_id: str
    now_us: int


def is_timeline_document(relative: str) -> bool:
    return relative in (CONTENT_FILE, INFO_FILE, TEMPLATE_TMP) or bool(
        _NESTED_TIMELINE.fullmatch(relative)
    )


def relink(path: str, folder: str, has_file: HasFile) -> str:
    """`path` as an absolute path into `folder` when the folder holds the file it names."""
    location = locate(path)
    if location is None:
        return path
    if location.relative is not None:
        inside = not escapes(location.relative) and has_file(location.relative)
        return f"{folder}/{location.relative}" if inside else path
    for tail in tails(location.absolute or ""):
        if has_file(tail):
            return f"{folder}/{tail}"
    return path


def _relinked_timeline(doc: Json, folder: str, has_file: HasFile) -> Json:
    doc = copy.deepcopy(doc)
    materials = doc.get("materials")
    for items in materials.values() if isinstance(materials, dict) else []:
        for item in items if isinstance(items, list) else []:
            if isinstance(item, dict) and isinstance(item.get("path"), str):
                item["path"] = relink(item["path"], folder, has_file)
    return doc


def _media_entry(material: Json, path: str, metetype: str, now_us: int) -> Json:
    duration = material.get("duration")
    duration = PHOTO_DURATION_US if metetype == "photo" else duration
    duration = duration if isinstance(duration, int) else 0
    # Field set as the editor writes it (see draftsmith.capcut.meta).
    return {
        "ai_group_type": "",
        "create_time": now_us // 1_000_000,
        "duration": duration,
        "enter_from": 0,
        "extra_info": path.rsplit("/", 1)[-1],
        "file_Path": path,
        "height": material.get("height") or 0,
        "id": material.get("id", ""),
        "import_time": now_us // 1_000_000,
        "import_time_ms": now_us // 1000,
        "item_source": 1,
        "md5": "",
        "metetype": metetype,
        "roughcut_time_range": {"duration": duration, "start": 0},
        "sub_time_range": {"duration": -1, "start": -1},
        "type": 0,
        "width": material.get("width") or 0,
    }


def _imported_media(meta: Json) -> list[Any]:
    groups = meta.get("draft_materials")
    if not isinstance(groups, list):
        groups = meta["draft_materials"] = []
    for group in groups:
        if isinstance(group, dict) and group.get("type") == IMPORTED_MEDIA_GROUP:
            if not isinstance(group.get("value"), list):
                group["value"] = []
            value: list[Any] = group["value"]
            return value
    groups.insert(0, {"type": IMPORTED_MEDIA_GROUP, "value": []})
    created: list[Any] = groups[0]["value"]
    return created


def relocated_meta(meta: Json, timeline: Json | None, place: Placement, has_file: HasFile) -> Json:
    """draft_meta_info.json for the installed folder: its place, name, id, length and media."""
    meta = copy.deepcopy(meta)
    meta.update(
        {
            "draft_fold_path": place.folder,
            "draft_root_path": place.root,
            "draft_name": place.name,
            "draft_id": place.draft_id,
        }
    )
    entries = _imported_media(meta)
    for entry in entries:
        if isinstance(entry, dict) and isinstance(entry.get("file_Path"), str):
            entry["file_Path"] = relink(entry["file_Path"], place.folder, has_file)
    if timeline is None:
        return meta
    if isinstance(timeline.get("duration"), int):
        meta["tm_duration"] = timeline["duration"]
    listed = set()
    for entry in entries:
        location = _entry_location(entry)
        if location is not None:
            listed.add(location.key)
    for material, location in media_locations(timeline):
        if location.key not in listed:
            listed.add(location.key)
            metetype = _METETYPES.get(str(material.get("type")), "video")
            entries.append(_media_entry(material, location.written, metetype, place.now_us))
    return meta


def _entry_location(entry: Any) -> Location | None:
    path = entry.get("file_Path") if isinstance(entry, dict) else None
    return locate(path) if isinstance(path, str) else None


def _dumps(value: Any) -> bytes:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode()


def relocate(
    documents: Mapping[str, bytes], place: Placement, has_file: HasFile
) -> dict[str, bytes]:
    """The files to (over)write in the folder so that it is right at `place`.

    Timeline copies that cannot be parsed (encrypted) are left alone; a missing root
    timeline file is written as a copy of the other one, so that every editor finds its file.
    """
    written: dict[str, bytes] = {}
    timelines: dict[str, Json] = {}
    for name, data in documents.items():
        if is_timeline_document(name):
            doc, trouble = parse_json_file(data)
            if trouble is None and isinstance(doc, dict):
                timelines[name] = _relinked_timeline(doc, place.folder, has_file)
                written[name] = _dumps(timelines[name])
    for name, other in ((CONTENT_FILE, INFO_FILE), (INFO_FILE, CONTENT_FILE)):
        if name not in documents and other in written:
            written[name] = written[other]
    timeline = timelines.get(INFO_FILE) or timelines.get(CONTENT_FILE)
    meta: Any = None
    if META_FILE in documents:
        meta, _ = parse_json_file(documents[META_FILE])
    else:
        meta = json.loads(_META_TEMPLATE.read_text(encoding="utf-8"))
    if isinstance(meta, dict):
        written[META_FILE] = _dumps(relocated_meta(meta, timeline, place, has_file))
    return written
