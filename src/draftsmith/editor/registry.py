"""root_meta_info.json: the editor's list of drafts, which it reads instead of scanning folders.

New drafts only show up once listed here (renezander030/capcut-cli#32; calesthio/OpenMontage
PR #622). The editor writes this file too, and a list lost to a bad write loses every draft
from the app's home screen, so: refuse to touch a file that does not parse, copy it aside
first, change only our own entry (every other byte stays as it was), and replace the file
atomically.
"""

from __future__ import annotations

import json
import os
import re
import secrets
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from draftsmith.errors import Conflict

ROOT_META = "root_meta_info.json"
_WHITESPACE = re.compile(r"[ \t\n\r]*")
_DECODER = json.JSONDecoder()

Json = dict[str, Any]


class DraftListUnreadable(Conflict):
    """root_meta_info.json exists but is not a draft list we can safely edit."""

    code = "draft_list_unreadable"
    default_detail = "The editor's draft list (root_meta_info.json) cannot be read"


@dataclass(frozen=True)
class Registration:
    index: Path
    backup: Path | None
    replaced: list[Json]
    """Entries of the same draft that the new one replaced."""


def same_path(a: str, b: str) -> bool:
    return (
        a.replace("\\", "/").rstrip("/").casefold() == b.replace("\\", "/").rstrip("/").casefold()
    )


def _skip(text: str, index: int) -> int:
    match = _WHITESPACE.match(text, index)
    return match.end() if match else index


def _expect(text: str, index: int, char: str) -> None:
    if text[index : index + 1] != char:
        raise ValueError(f"expected {char!r} at {index}")


def _object_members(text: str, index: int) -> tuple[dict[str, tuple[int, int]], int]:
    """Spans of the values of the JSON object at `index`, by key, and where the object ends."""
    _expect(text, index, "{")
    spans: dict[str, tuple[int, int]] = {}
    index = _skip(text, index + 1)
    if text[index : index + 1] == "}":
        return spans, index + 1
    while True:
        key, index = _DECODER.raw_decode(text, index)
        index = _skip(text, index)
        _expect(text, index, ":")
        start = _skip(text, index + 1)
        _, end = _DECODER.raw_decode(text, start)
        spans[str(key)] = (start, end)
        index = _skip(text, end)
        if text[index : index + 1] == "}":
            return spans, index + 1
        _expect(text, index, ",")
        index = _skip(text, index + 1)


def _array_elements(text: str, start: int, end: int) -> list[tuple[int, int]]:
    _expect(text, start, "[")
    spans: list[tuple[int, int]] = []
    index = _skip(text, start + 1)
    while index < end - 1:
        _, element_end = _DECODER.raw_decode(text, index)
        spans.append((index, element_end))
        index = _skip(text, element_end)
        if text[index : index + 1] == ",":
            index = _skip(text, index + 1)
    return spans


def _dumps(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"))


def spliced(text: str, entry: Json, root_path: str) -> tuple[str, list[Json]]:
    """`text` with `entry` listed in place of any entry of the same draft (same draft_id or
    folder). Every other byte of `text` is kept; returns the new text and what was replaced."""
    members, end = _object_members(text, _skip(text, 0))
    replaced: list[Json] = []
    pieces: list[str] = []
    position = 0
    prefix, suffix, separator = "", "", ","
    drafts_span = members.get("all_draft_store")
    if drafts_span is not None:
        elements = _array_elements(text, *drafts_span)
        if elements:
            prefix = text[drafts_span[0] + 1 : elements[0][0]]
            suffix = text[elements[-1][1] : drafts_span[1] - 1]
        if len(elements) > 1:
            separator = text[elements[0][1] : elements[1][0]]
        for element_start, element_end in elements:
            existing = json.loads(text[element_start:element_end])
            if isinstance(existing, dict) and _same_draft(existing, entry):
                position = position if replaced else len(pieces)
                replaced.append(existing)
            else:
                pieces.append(text[element_start:element_end])
    pieces.insert(position, _dumps(entry))
    values = {
        "all_draft_store": "[" + prefix + separator.join(pieces) + suffix + "]",
        "draft_ids": str(len(pieces)),
    }
    edits = [(*members[key], value) for key, value in values.items() if key in members]
    if "root_path" not in members:
        values["root_path"] = _dumps(root_path)
    additions = [f"{_dumps(key)}:{value}" for key, value in values.items() if key not in members]
    if additions:
        edits.append((end - 1, end - 1, ("," if members else "") + ",".join(additions)))
    for edit_start, edit_end, replacement in sorted(edits, reverse=True):
        text = text[:edit_start] + replacement + text[edit_end:]
    return text, replaced


def _same_draft(existing: Json, entry: Json) -> bool:
    if existing.get("draft_id") == entry["draft_id"]:
        return True
    fold = existing.get("draft_fold_path")
    return isinstance(fold, str) and same_path(fold, entry["draft_fold_path"])


def write_atomically(path: Path, data: bytes) -> None:
    """Replace `path` with `data` so that a crash leaves the old or the new file, never half."""
    temporary = path.with_name(f".{path.name}.{secrets.token_hex(4)}.tmp")
    try:
        with temporary.open("wb") as handle:
            handle.write(data)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(temporary, path)
    finally:
        temporary.unlink(missing_ok=True)
    if hasattr(os, "O_DIRECTORY"):
        directory = os.open(path.parent, os.O_RDONLY | os.O_DIRECTORY)
        try:
            os.fsync(directory)
        finally:
            os.close(directory)


def _backup(index: Path, data: bytes, now: datetime) -> Path:
    stamp = now.strftime("%Y%m%dT%H%M%S%fZ")
    backup = index.with_name(f"{index.name}.{stamp}.bak")
    counter = 1
    while backup.exists():
        backup = index.with_name(f"{index.name}.{stamp}-{counter}.bak")
        counter += 1
    write_atomically(backup, data)
    return backup


def register(drafts_root: Path, entry: Json, *, now: datetime | None = None) -> Registration:
    """List `entry` in `drafts_root`'s root_meta_info.json (created when absent)."""
    index = drafts_root / ROOT_META
    root_path = drafts_root.as_posix()
    if not index.exists():
        listing = {"all_draft_store": [entry], "draft_ids": 1, "root_path": root_path}
        write_atomically(index, _dumps(listing).encode())
        return Registration(index, None, [])
    original = index.read_bytes()
    try:
        text = original.decode("utf-8")
        bom = text.startswith("\ufeff")
        parsed = json.loads(text.removeprefix("\ufeff"))
        if not isinstance(parsed, dict) or not isinstance(parsed.get("all_draft_store", []), list):
            raise ValueError("not an object with an all_draft_store list")
        new_text, replaced = spliced(text.removeprefix("\ufeff"), entry, root_path)
    except ValueError as exc:
        raise DraftListUnreadable(
            f"{index} is not a draft list that can be edited safely ({exc}); it was left "
            "untouched. Close the editor, check the file, or restore a backup of it"
        ) from exc
    backup = _backup(index, original, now or datetime.now(UTC))
    write_atomically(index, (("\ufeff" if bom else "") + new_text).encode())
    return Registration(index, backup, replaced)
