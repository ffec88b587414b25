"""What both SQL adapters read from a row: the column lists they select, and the records they
build from a row (any mapping by column name: sqlite3.Row or psycopg's dict rows)."""

from __future__ import annotations

from typing import Any

from draftsmith.store.codec import files_from_json, files_to_json
from draftsmith.store.records import ApiKeyRecord, DraftHeader, FileEntry, VersionRecord
from draftsmith.timeline.model import Canvas, Draft

HEADER_COLUMNS = (
    "id, name, width, height, fps, created_at_us, updated_at_us, revision, saved_version, "
    "saved_revision, saved_at_us, segment_count, duration_us, owner, profile"
)
KEY_COLUMNS = "id, name, hash, created_at_us, revoked_at_us"
VERSION_COLUMNS = (
    "draft_id, version, revision, created_at_us, label, files, segment_count, duration_us"
)
# A new draft's row; its values are `new_draft_params`.
INSERT_DRAFT = (
    "INSERT INTO drafts (id, name, width, height, fps, created_at_us, updated_at_us,"
    " revision, owner, profile) VALUES (?, ?, ?, ?, ?, ?, ?, 0, ?, ?)"
)
# A new version's row; its values are `new_version_params`.
INSERT_VERSION = (
    "INSERT INTO versions (draft_id, version, revision, created_at_us, label, files,"
    " segment_count, duration_us) VALUES (?, ?, ?, ?, ?, ?, ?, ?)"
)
# A version keeps each of its documents (its in-store files by SHA-256, and its snapshot under
# SNAPSHOT_DOCUMENT) as numbered parts, each naming a chunk the draft holds by its key.
SNAPSHOT_DOCUMENT = "snapshot"
# What a save grows the next version's folder from, kept with each version saved that way
# (`service.folder_trees`), so that any process can resume it.
FOLDER_STATE_DOCUMENT = "folder-state"
INSERT_VERSION_PART = (
    "INSERT INTO version_parts (draft_id, version, document, position, chunk, depth)"
    " VALUES (?, ?, ?, ?, ?, ?)"
)
INSERT_CHUNK = "INSERT INTO chunks (draft_id, key, data) VALUES (?, ?, ?)"


def new_draft_params(
    draft: Draft, now_us: int, owner: str | None
) -> tuple[str, str, int, int, int, int, int, str | None, str]:
    return (
        draft.id,
        draft.name,
        draft.canvas.width,
        draft.canvas.height,
        draft.canvas.fps,
        draft.created_at_us,
        now_us,
        owner,
        draft.profile,
    )


def header_from_row(row: Any) -> DraftHeader:
    return DraftHeader(
        id=row["id"],
        name=row["name"],
        canvas=Canvas(row["width"], row["height"], row["fps"]),
        created_at_us=row["created_at_us"],
        updated_at_us=row["updated_at_us"],
        revision=row["revision"],
        saved_version=row["saved_version"],
        saved_revision=row["saved_revision"],
        saved_at_us=row["saved_at_us"],
        segment_count=row["segment_count"],
        duration_us=row["duration_us"],
        owner=row["owner"],
        profile=row["profile"],
    )


def api_key_from_row(row: Any) -> ApiKeyRecord:
    return ApiKeyRecord(
        id=row["id"],
        name=row["name"],
        hash=row["hash"],
        created_at_us=row["created_at_us"],
        revoked_at_us=row["revoked_at_us"],
    )


def version_from_row(row: Any) -> VersionRecord:
    return VersionRecord(
        draft_id=row["draft_id"],
        version=row["version"],
        revision=row["revision"],
        created_at_us=row["created_at_us"],
        label=row["label"],
        files=files_from_json(row["files"]),
        segment_count=row["segment_count"],
        duration_us=row["duration_us"],
    )


def contains_pattern(query: str) -> str:
    """A LIKE pattern (escape character a backslash) for text containing `query`, its `%` and
    `_` taken literally."""
    return "%" + query.replace("\\", "\\\\").replace("%", "\\%").replace("_", "\\_") + "%"


def new_version_params(
    draft_id: str,
    number: int,
    revision: int,
    now_us: int,
    label: str | None,
    files: tuple[FileEntry, ...],
    segment_count: int,
    duration_us: int,
) -> tuple[str, int, int, int, str | None, str, int, int]:
    return (
        draft_id,
        number,
        revision,
        now_us,
        label,
        files_to_json(files),
        segment_count,
        duration_us,
    )
