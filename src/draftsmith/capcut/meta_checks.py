"""Checks on draft_meta_info.json: is the per-draft record about this draft and this folder?

The editor rewrites most of this file when it imports or opens a draft, so stale values are
warnings; they matter for the draft list (draft_id, draft_name, tm_duration) and, on Mac
Jianying 11.2, for the media check (`draft_materials`, video-shotcraft PR #36).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from draftsmith.capcut.locations import Location, locate
from draftsmith.capcut.problems import FileProblems, where

Json = dict[str, Any]

TEMPLATE_DRAFT_IDS = frozenset(
    {
        # capcut-mate's draft_meta_info template (its sample) and pyJianYingDraft 0.3.1's.
        "9977D3AA-CA25-4C52-B049-0D135322A1B8",
        "BC69C7CD-7C5E-4185-B284-AF3E1047A664",
    }
)
IMPORTED_MEDIA_GROUP = 0
"""The `draft_materials` group listing imported local media."""
_INSTALL_FIXES = "`draftsmith install` sets it for the installed folder"


@dataclass(frozen=True)
class FolderFacts:
    """What is known about the folder being checked, from outside its files."""

    folder_name: str | None = None
    folder_path: str | None = None
    """Absolute path where the folder is (or is being installed)."""
    draft_id: str | None = None
    """The id the draft is known by elsewhere (our store), when there is one."""


def is_template_id(draft_id: str) -> bool:
    return draft_id.upper() in TEMPLATE_DRAFT_IDS


def _same_path(a: str, b: str) -> bool:
    def norm(path: str) -> str:
        return path.replace("\\", "/").rstrip("/")

    if ":" in a[:3] or ":" in b[:3]:
        return norm(a).casefold() == norm(b).casefold()
    return norm(a) == norm(b)


def _key(location: Location, facts: FolderFacts) -> str:
    """`location.key`, with absolute paths into the folder itself counted as folder paths."""
    if location.absolute is not None and facts.folder_path is not None:
        written = location.absolute.replace("\\", "/")
        base = facts.folder_path.replace("\\", "/").rstrip("/") + "/"
        if written.casefold().startswith(base.casefold()):
            return f"folder:{written[len(base) :]}"
    return location.key


def media_locations(timeline: Json) -> list[tuple[Json, Location]]:
    """(material, location) of every media file the timeline's videos and audios name."""
    found = []
    materials = timeline.get("materials")
    for list_name in ("videos", "audios"):
        items = materials.get(list_name) if isinstance(materials, dict) else None
        for material in items if isinstance(items, list) else []:
            path = material.get("path") if isinstance(material, dict) else None
            location = locate(path) if isinstance(path, str) else None
            if location is not None:
                found.append((material, location))
    return found


def check_meta(
    meta: Json,
    timeline: Json | None,
    facts: FolderFacts,
    out: FileProblems,
    media_exists: Callable[[Location], bool],
) -> None:
    _check_identity(meta, facts, out)
    _check_place(meta, facts, out)
    if timeline is not None:
        _check_duration(meta.get("tm_duration"), timeline.get("duration"), out)
        _check_materials(meta.get("draft_materials"), timeline, facts, out, media_exists)


def _check_identity(meta: Json, facts: FolderFacts, out: FileProblems) -> None:
    draft_id, name = meta.get("draft_id"), meta.get("draft_name")
    if not isinstance(draft_id, str) or not draft_id:
        out.warning(
            "draft_id", "is missing", f"give the draft its own uppercase UUID; {_INSTALL_FIXES}"
        )
    elif is_template_id(draft_id):
        out.warning(
            "draft_id",
            f"is {draft_id}, the template id every draft made from that template shares; "
            "the editor's draft list tells drafts apart by draft_id",
            f"give the draft its own uppercase UUID; {_INSTALL_FIXES}",
        )
    elif facts.draft_id is not None and draft_id != facts.draft_id:
        out.warning("draft_id", f"is {draft_id}, but the draft is {facts.draft_id}", "fix draft_id")
    if facts.folder_name is not None and name != facts.folder_name:
        out.warning(
            "draft_name",
            f"is {json.dumps(name, ensure_ascii=False)}, but the folder is named "
            f"{json.dumps(facts.folder_name, ensure_ascii=False)}; the editor names a draft "
            "after its folder",
            f"make them equal; {_INSTALL_FIXES}",
        )


def _check_place(meta: Json, facts: FolderFacts, out: FileProblems) -> None:
    fold = meta.get("draft_fold_path")
    if isinstance(fold, str) and fold:
        if facts.folder_path is not None:
            stale = not _same_path(fold, facts.folder_path)
        else:
            last = fold.replace("\\", "/").rstrip("/").rsplit("/", 1)[-1]
            stale = facts.folder_name is not None and last != facts.folder_name
        if stale:
            out.warning(
                "draft_fold_path",
                f"is {fold}, another folder (stale copy from elsewhere)",
                f"the editor rewrites it on import; {_INSTALL_FIXES}",
            )
    root = meta.get("draft_root_path")
    if isinstance(root, str) and root and facts.folder_path is not None:
        parent = facts.folder_path.replace("\\", "/").rstrip("/").rsplit("/", 1)[0]
        if not _same_path(root, parent):
            out.warning(
                "draft_root_path",
                f"is {root}, not the drafts folder holding this draft ({parent})",
                f"the editor rewrites it on import; {_INSTALL_FIXES}",
            )


def _check_duration(tm_duration: Any, duration: Any, out: FileProblems) -> None:
    if isinstance(tm_duration, int) and isinstance(duration, int) and tm_duration != duration:
        out.warning(
            "tm_duration",
            f"is {tm_duration} µs, but the timeline lasts {duration} µs; the draft list shows "
            "the wrong length",
            f"set tm_duration to {duration}",
        )


def _check_materials(
    groups: Any,
    timeline: Json,
    facts: FolderFacts,
    out: FileProblems,
    media_exists: Callable[[Location], bool],
) -> None:
    listed: dict[str, Location] = {}
    at = "draft_materials"
    for g, group in enumerate(groups if isinstance(groups, list) else []):
        if isinstance(group, dict) and group.get("type") == IMPORTED_MEDIA_GROUP:
            at = where("draft_materials", g, "value")
            entries = group.get("value")
            for entry in entries if isinstance(entries, list) else []:
                path = entry.get("file_Path") if isinstance(entry, dict) else None
                location = locate(path) if isinstance(path, str) else None
                if location is not None:
                    listed[_key(location, facts)] = location
    used = {_key(location, facts): location for _, location in media_locations(timeline)}
    unlisted = [loc.written for key, loc in used.items() if key not in listed]
    if unlisted:
        shown = ", ".join(unlisted[:3]) + (
            f" and {len(unlisted) - 3} more" if len(unlisted) > 3 else ""
        )
        out.warning(
            at,
            f"does not list {len(unlisted)} media file(s) the timeline uses: {shown}; "
            "Mac Jianying 11.2 then reports media missing",
            "add a type-0 entry (file_Path, metetype, duration...) per file; "
            "`draftsmith install` adds them",
        )
    dead = [loc.written for loc in listed.values() if not media_exists(loc)]
    if dead:
        out.warning(
            at,
            f"lists {len(dead)} media file(s) that do not exist: {', '.join(dead[:3])}",
            "point file_Path at the files in the draft folder, or drop the entries",
        )
