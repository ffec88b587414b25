"""Install a draft into the editor's drafts folder so that the editor lists and opens it.

The draft is unpacked into a staging folder inside the drafts root (same filesystem), its
paths and meta are rewritten for the final place, it is validated there, and only then moved
into place and listed in root_meta_info.json. Installing the same draft again replaces its
folder and its one list entry; nothing else in the drafts root changes.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import tempfile
import time
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from draftsmith.capcut.locations import escapes
from draftsmith.capcut.meta_checks import is_template_id
from draftsmith.capcut.problems import Report
from draftsmith.capcut.profiles import CONTENT_FILE, INFO_FILE, META_FILE, Profile
from draftsmith.capcut.validate import parse_json_file, validate_folder
from draftsmith.editor.registry import Registration, register, same_path
from draftsmith.editor.relocate import Placement, relocate
from draftsmith.editor.sources import UnreadableDraft, extract_zip, folder_files
from draftsmith.errors import Conflict, InvalidInput

_ID_NAMESPACE = uuid.UUID("6f1d7c3e-59a4-4f43-9d0e-3b1c2a7e8d90")
_UNSAFE = re.compile(r'[<>:"/\\|?*\x00-\x1f]')
_RESERVED = re.compile(r"(CON|PRN|AUX|NUL|COM[1-9]|LPT[1-9])(\..*)?", re.IGNORECASE)
_STAGING_PREFIX = ".draftsmith-staging-"

Json = dict[str, Any]


class InstallRefused(InvalidInput):
    """The draft has errors for the chosen profile; `report` lists them."""

    code = "install_refused"
    default_detail = "The draft has errors; it was not installed"

    def __init__(self, report: Report) -> None:
        super().__init__(
            f"The draft has {len(report.errors)} error(s) for profile {report.profile}; "
            "it was not installed (use --force to install anyway)"
        )
        self.report = report


class FolderTaken(Conflict):
    code = "folder_taken"
    default_detail = "Another draft already uses that folder name"


@dataclass(frozen=True)
class Installed:
    folder: Path
    draft_id: str
    name: str
    replaced_folder: bool
    registration: Registration
    report: Report


def safe_folder_name(name: str) -> str:
    """`name` made usable as a folder name on Windows and macOS."""
    cleaned = _UNSAFE.sub("_", name).strip().rstrip(". ")[:120]
    if _RESERVED.fullmatch(cleaned):
        cleaned += "_"
    return cleaned if cleaned not in ("", ".", "..") else "draft"


def _meta_of(folder: Path) -> Json:
    path = folder / META_FILE
    value, _ = parse_json_file(path.read_bytes()) if path.is_file() else (None, None)
    return value if isinstance(value, dict) else {}


def _identity(meta: Json, source_id: str, name: str | None) -> tuple[str, str]:
    """(draft_id, folder name) of the draft being installed.

    A meta draft_id shared by every draft of a template (capcut-mate's) would make all such
    drafts one in the editor's list, so those get an id derived from where they came from.
    The draft's own name is trusted only when its meta is about this draft (ours are).
    """
    meta_id = meta.get("draft_id")
    own_id = isinstance(meta_id, str) and bool(meta_id) and not is_template_id(meta_id)
    draft_id = meta_id if own_id else str(uuid.uuid5(_ID_NAMESPACE, source_id)).upper()
    meta_name = meta.get("draft_name")
    if name is None and meta_id == source_id and isinstance(meta_name, str) and meta_name:
        name = meta_name
    return str(draft_id), safe_folder_name(name or source_id)


def _stage(source: Path, staging: Path) -> str:
    """Put the draft at `source` (folder or zip) into `staging`; returns its source name."""
    if source.is_dir():
        shutil.copytree(source, staging, dirs_exist_ok=True)
        return source.resolve().name
    return extract_zip(source, staging) or source.stem


def _check_free(target: Path, draft_id: str, force: bool) -> None:
    if target.exists() and not force and _meta_of(target).get("draft_id") != draft_id:
        raise FolderTaken(
            f"{target} holds another draft; choose another name with --name, or --force to "
            "replace it"
        )


def _swap_in(staging: Path, target: Path) -> bool:
    """Move `staging` to `target`, replacing what was there; True when something was."""
    if not target.exists():
        os.replace(staging, target)
        return False
    old = target.with_name(f".draftsmith-old-{secrets.token_hex(4)}")
    os.replace(target, old)
    os.replace(staging, target)
    shutil.rmtree(old, ignore_errors=True)
    return True


def _media_bytes(folder: Path) -> int:
    return sum(
        p.stat().st_size
        for p in folder.rglob("*")
        if p.is_file() and p.suffix not in (".json", ".tmp")
    )


def _list_entry(meta: Json, place: Placement, profile: Profile, media_bytes: int) -> Json:
    """A root_meta_info.json entry, with the fields editors write (capcut-cli, capcut-mcp)."""
    created = meta.get("tm_draft_create")
    duration = meta.get("tm_duration")
    return {
        "cloud_draft_cover": False,
        "cloud_draft_sync": False,
        "draft_cloud_last_action_download": False,
        "draft_cloud_purchase_info": "",
        "draft_cloud_template_id": "",
        "draft_cloud_tutorial_info": "",
        "draft_cloud_videocut_purchase_info": "",
        "draft_cover": f"{place.folder}/draft_cover.jpg",
        "draft_fold_path": place.folder,
        "draft_id": place.draft_id,
        "draft_is_ai_shorts": False,
        "draft_is_cloud_temp_draft": False,
        "draft_is_invisible": False,
        "draft_is_web_article_video": False,
        "draft_json_file": f"{place.folder}/{profile.json_file}",
        "draft_name": place.name,
        "draft_new_version": "",
        "draft_root_path": place.root,
        "draft_timeline_materials_size": media_bytes,
        "draft_type": "",
        "draft_web_article_video_enter_from": "",
        "streaming_edit_draft_ready": True,
        "tm_draft_cloud_completed": "",
        "tm_draft_cloud_entry_id": -1,
        "tm_draft_cloud_modified": 0,
        "tm_draft_cloud_parent_entry_id": -1,
        "tm_draft_cloud_space_id": -1,
        "tm_draft_cloud_user_id": -1,
        "tm_draft_create": created if isinstance(created, int) and created > 0 else place.now_us,
        "tm_draft_modified": place.now_us,
        "tm_draft_removed": 0,
        "tm_duration": duration if isinstance(duration, int) else 0,
    }


def _remove_old_folders(
    registration: Registration, drafts_root: Path, keep: Path, draft_id: str
) -> None:
    """Folders of entries this install replaced, when they are ours to remove."""
    for entry in registration.replaced:
        fold = entry.get("draft_fold_path")
        if not isinstance(fold, str) or same_path(fold, keep.as_posix()):
            continue
        old = Path(fold)
        if old.parent == drafts_root and old.is_dir() and _meta_of(old).get("draft_id") == draft_id:
            shutil.rmtree(old)


def install(
    source: Path,
    drafts_root: Path,
    profile: Profile,
    *,
    name: str | None = None,
    force: bool = False,
    now_us: int | None = None,
) -> Installed:
    """Install the draft folder or zip at `source` into `drafts_root` for `profile`."""
    if not drafts_root.is_dir():
        raise InvalidInput(f"drafts root {drafts_root} is not a directory")
    drafts_root = drafts_root.absolute()
    staging = Path(tempfile.mkdtemp(prefix=_STAGING_PREFIX, dir=drafts_root))
    try:
        source_id = _stage(source, staging)
        meta = _meta_of(staging)
        draft_id, folder_name = _identity(meta, source_id, name)
        target = drafts_root / folder_name
        _check_free(target, draft_id, force)
        place = Placement(
            target.as_posix(),
            str(drafts_root),
            folder_name,
            draft_id,
            now_us or time.time_ns() // 1000,
        )
        documents = folder_files(staging).files
        for relative, data in relocate(documents, place, _has_file(staging)).items():
            (staging / relative).write_bytes(data)
        if not (staging / CONTENT_FILE).exists() and not (staging / INFO_FILE).exists():
            raise UnreadableDraft(f"{source} holds no draft_content.json or draft_info.json")
        report = validate_folder(folder_files(staging, location=target), profile)
        if not report.valid and not force:
            raise InstallRefused(report)
        entry = _list_entry(_meta_of(staging), place, profile, _media_bytes(staging))
        replaced_folder = _swap_in(staging, target)
        registration = register(drafts_root, entry)
        _remove_old_folders(registration, drafts_root, target, draft_id)
        return Installed(target, draft_id, folder_name, replaced_folder, registration, report)
    finally:
        shutil.rmtree(staging, ignore_errors=True)


def _has_file(folder: Path) -> Callable[[str], bool]:
    def has_file(relative: str) -> bool:
        return not escapes(relative) and (folder / relative).is_file()

    return has_file
