"""Which file of an imported folder holds its timeline, read as JSON and checked to be one.

Jianying 6 and newer encrypt the timeline file: it is then not JSON but ciphertext. It is
recognised and refused with what works instead; nothing here ever decrypts.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from typing import Any

from draftsmith.capcut.profiles import CONTENT_FILE, INFO_FILE, META_FILE, TIMELINES_PROJECT
from draftsmith.capcut.timelines import nested_info_path
from draftsmith.errors import DraftEncrypted, NotADraft
from draftsmith.importing.archive import DraftArchive

Json = dict[str, Any]
_ENCRYPTED_HINT = (
    "the editor encrypted it (Jianying 6 and newer do), and draftsmith never decrypts drafts. "
    "What imports instead: a draft saved by Jianying 5.9 or older, a CapCut (international) "
    "draft, or a draft written by a tool (capcut-mate, pyJianYingDraft, draftsmith's own "
    "download_draft), whose timeline is plain JSON"
)
_MIN_CIPHER_ENTROPY = 5.0
"""Bits per byte: base64 or raw ciphertext has 6-8, JSON text 4-5."""


@dataclass(frozen=True)
class Timeline:
    path: str
    """Folder-relative path of the file the timeline was read from."""
    content: Json
    files: tuple[str, ...]
    """Every timeline file of the folder (the copies the editors read)."""
    meta: Json | None
    project: Json | None


def _entropy(data: bytes) -> float:
    counts = Counter(data)
    total = len(data)
    return -sum(n / total * math.log2(n / total) for n in counts.values())


def _looks_encrypted(data: bytes) -> bool:
    head = data.lstrip(b"\xef\xbb\xbf \t\r\n")[:1]
    if head in (b"{", b"["):
        return False
    try:
        data.decode("utf-8")
    except UnicodeDecodeError:
        return True
    return len(data) >= 64 and _entropy(data) >= _MIN_CIPHER_ENTROPY


def _json(path: str, data: bytes) -> Any:
    try:
        return json.loads(data.decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError) as exc:
        if _looks_encrypted(data):
            raise DraftEncrypted(
                f"{path} is not plain JSON but encrypted: {_ENCRYPTED_HINT}"
            ) from None
        raise NotADraft(f"{path} is not valid JSON: {exc}") from None


def _checked(path: str, value: Any) -> Json:
    if not isinstance(value, dict):
        raise NotADraft(f"{path} is JSON but not a draft's timeline (an object is expected)")
    missing = [
        key
        for key, kind in (("tracks", list), ("materials", dict), ("canvas_config", dict))
        if not isinstance(value.get(key), kind)
    ]
    if missing:
        raise NotADraft(
            f"{path} is JSON but not a draft's timeline: it has no {', '.join(missing)}"
        )
    return value


def _optional(archive: DraftArchive, path: str) -> Json | None:
    if path not in archive.entries:
        return None
    try:
        value = json.loads(archive.read(path).decode("utf-8-sig"))
    except (UnicodeDecodeError, ValueError, RecursionError):
        return None
    return value if isinstance(value, dict) else None


def read_timeline(archive: DraftArchive) -> Timeline:
    """The folder's timeline: the `Timelines/` copy current editors read when the project
    names one, else draft_info.json, else draft_content.json; the newest (`update_time`) when
    they differ. Any of them encrypted: DraftEncrypted."""
    project = _optional(archive, TIMELINES_PROJECT)
    candidates = []
    main = project.get("main_timeline_id") if project else None
    if isinstance(main, str) and nested_info_path(main) in archive.entries:
        candidates.append(nested_info_path(main))
    candidates += [p for p in (INFO_FILE, CONTENT_FILE) if p in archive.entries]
    loaded = [(path, _json(path, archive.read(path))) for path in candidates]
    checked = [(path, _checked(path, value)) for path, value in loaded]

    def newest(item: tuple[int, tuple[str, Json]]) -> tuple[float, int]:
        index, (_, content) = item
        stamp = content.get("update_time")
        return (float(stamp) if isinstance(stamp, int | float) else 0.0, -index)

    _, (path, content) = max(enumerate(checked), key=newest)
    return Timeline(
        path=path,
        content=content,
        files=tuple(candidates),
        meta=_optional(archive, META_FILE),
        project=project,
    )
