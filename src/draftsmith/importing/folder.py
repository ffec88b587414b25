"""The whole import: a draft folder's zip into a new draft value (nothing stored here)."""

from __future__ import annotations

import posixpath
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from draftsmith.capcut.paths import DRAFT_PATH_PLACEHOLDER
from draftsmith.capcut.profiles import (
    CONTENT_FILE,
    INFO_FILE,
    META_FILE,
    TIMELINES_PROJECT,
    Profile,
)
from draftsmith.errors import DraftsmithError, LimitExceeded, NotADraft
from draftsmith.importing.archive import DraftArchive
from draftsmith.importing.attach import attach
from draftsmith.importing.parse import ParsedTrack, parse
from draftsmith.importing.timeline import Timeline, read_timeline
from draftsmith.timeline.model import Draft, Media, MediaKind, Track, TrackKind

Json = dict[str, Any]
Ingest = Callable[[str, str], Media]
"""(field, folder-relative path of an entry) -> the entry ingested as media."""

CARRIER_NAME = "draftsmith:imported"
"""The name of the empty track that carries an imported draft's own part."""
MAX_KEPT_FILE_BYTES = 256 * 1024
MAX_KEPT_FILES_BYTES = 1024 * 1024
_NOT_KEPT_SUFFIXES = (".tmp", ".bak")
"""Copies of the timeline some editors load instead of it (template-2.tmp) or keep as backups:
stale once the draft is edited, so never written back."""
_QUIET = ("draft_cover.jpg", ".DS_Store")
_COMPATIBLE = {
    MediaKind.VIDEO: (MediaKind.VIDEO, MediaKind.IMAGE),
    MediaKind.IMAGE: (MediaKind.IMAGE, MediaKind.VIDEO),
    MediaKind.AUDIO: (MediaKind.AUDIO, MediaKind.VIDEO),
}


@dataclass(frozen=True)
class Imported:
    draft: Draft
    source: str
    """The folder's file the timeline was read from."""
    warnings: tuple[str, ...]
    missing: tuple[str, ...]
    """Paths of media the draft names but did not bring."""


def profile_for(timeline: Timeline, archive: DraftArchive) -> str:
    """The editor profile whose folders look like this one."""
    platform = timeline.content.get("platform")
    if isinstance(platform, dict) and platform.get("app_source") == "cc":
        return "capcut"
    if TIMELINES_PROJECT in archive.entries:
        return "jianying-timelines"
    if CONTENT_FILE in timeline.files and INFO_FILE in timeline.files:
        return "all"
    return "jianying-5.9" if CONTENT_FILE in timeline.files else "jianying-6"


def entry_for(path: str, entries: Any) -> str | None:
    """The folder entry a material's `path` names: draft-relative (placeholder form), relative,
    or absolute on the machine that wrote it and found by its trailing components."""
    normal = path.replace("\\", "/")
    if normal.startswith(DRAFT_PATH_PLACEHOLDER):
        normal = normal[len(DRAFT_PATH_PLACEHOLDER) :]
    normal = normal.lstrip("/")
    parts = [p for p in normal.split("/") if p not in ("", ".")]
    for start in range(len(parts)):
        candidate = "/".join(parts[start:])
        if candidate in entries:
            return candidate
    return None


def _missing(material: Json, kind: MediaKind, path: str) -> Media:
    duration = material.get("duration")
    width, height = material.get("width"), material.get("height")
    extension = posixpath.splitext(path.replace("\\", "/"))[1].lstrip(".").lower()
    return Media(
        sha256="",
        kind=kind,
        extension=extension or {"video": "mp4", "image": "png", "audio": "mp3"}[kind.value],
        size=0,
        duration_us=int(duration)
        if kind is not MediaKind.IMAGE and isinstance(duration, int | float) and duration > 0
        else None,
        width=int(width) if isinstance(width, int | float) and width > 0 else None,
        height=int(height) if isinstance(height, int | float) and height > 0 else None,
        has_audio=kind is not MediaKind.IMAGE,
        missing_path=path or material.get("material_name") or material.get("name") or "",
    )


class _Media:
    """Resolves materials to media: files the folder holds are ingested (each once), the rest
    are missing. With `ingest` None nothing is ingested (the checking pass)."""

    def __init__(self, archive: DraftArchive, ingest: Ingest | None) -> None:
        self.archive = archive
        self.ingest = ingest
        self.done: dict[str, Media | None] = {}
        self.used: set[str] = set()
        self.missing: dict[str, None] = {}
        self.warnings: list[str] = []

    def __call__(self, field: str, material: Json, kind: MediaKind) -> Media:
        path = material.get("path")
        path = path if isinstance(path, str) else ""
        entry = entry_for(path, self.archive.entries) if path else None
        if entry is None:
            name = material.get("material_name") or material.get("name")
            if isinstance(name, str) and name:
                entry = entry_for(name, self.archive.entries)
        media = None
        if entry is not None:
            self.used.add(entry)
            media = self._ingested(field, entry, kind)
        if media is None:
            self.missing[path] = None
            return _missing(material, kind, path)
        return media

    def _ingested(self, field: str, entry: str, kind: MediaKind) -> Media | None:
        if self.ingest is None:
            return None
        if entry not in self.done:
            try:
                self.done[entry] = self.ingest(field, entry)
            except DraftsmithError as exc:
                self.warnings.append(f"{entry} is kept as missing media: {exc.detail}")
                self.done[entry] = None
        media = self.done[entry]
        if media is not None and media.kind not in _COMPATIBLE[kind]:
            self.warnings.append(
                f"{entry} is {media.kind} where the draft plays {kind}: kept as missing media"
            )
            return None
        return media


def _kept_files(
    archive: DraftArchive, timeline: Timeline, media: set[str]
) -> tuple[dict[str, str], list[str]]:
    kept: dict[str, str] = {}
    dropped: list[str] = []
    total = 0
    skip = {*timeline.files, META_FILE, TIMELINES_PROJECT, *media}
    for path in sorted(archive.entries):
        base = posixpath.basename(path)
        if (
            path in skip
            or path.startswith("assets/")  # where the folder's media go on export
            or base in (CONTENT_FILE, INFO_FILE)
            or base.endswith(_NOT_KEPT_SUFFIXES)
            or ".bak" in base
        ):
            continue
        size = archive.size(path)
        text = None
        if size <= MAX_KEPT_FILE_BYTES and total + size <= MAX_KEPT_FILES_BYTES:
            try:
                text = archive.read(path).decode("utf-8")
            except UnicodeDecodeError:
                text = None
        if text is None:
            if base not in _QUIET:
                dropped.append(path)
            continue
        kept[path] = text
        total += size
    return kept, dropped


def _created_at(from_timeline: int | None, meta: Json | None) -> int | None:
    """The meta file's microseconds when they agree with the timeline's seconds."""
    precise = meta.get("tm_draft_create") if meta else None
    agrees = from_timeline is None or (
        isinstance(precise, int) and abs(precise - from_timeline) < 1_000_000
    )
    if isinstance(precise, int) and precise > 0 and agrees:
        return precise
    return from_timeline


def import_folder(
    archive: DraftArchive,
    *,
    ingest: Ingest,
    draft_id: str,
    new_id: Callable[[], str],
    now_us: int,
    profiles: Callable[[str], Profile],
    profile: str | None = None,
    name: str | None = None,
    max_segments: int = 0,
) -> Imported:
    """Read `archive` into a new draft `draft_id`. Every check runs before the first media
    file is ingested, so a refused folder leaves nothing behind."""
    timeline = read_timeline(archive)
    checking = parse(timeline.content, _Media(archive, None), new_id)
    count = sum(len(t.track.segments) + len(t.unknown) for t in checking.tracks)
    if max_segments and count > max_segments:
        raise LimitExceeded(f"the draft has {count} segments; drafts hold at most {max_segments}")
    chosen = profiles(profile or profile_for(timeline, archive))
    resolver = _Media(archive, ingest)
    parsed = parse(timeline.content, resolver, new_id)
    # The draft's own part (draftsmith.capcut.opaque) rides on a track of its own, empty and
    # never written out, so that no edit of the draft's tracks can take it away.
    parsed.tracks.append(ParsedTrack(Track(new_id(), TrackKind.EFFECT, CARRIER_NAME, ()), None))
    meta_name = timeline.meta.get("draft_name") if timeline.meta else None
    draft = Draft(
        id=draft_id,
        name=name or parsed.name or (meta_name if isinstance(meta_name, str) else "") or draft_id,
        canvas=parsed.canvas,
        created_at_us=_created_at(parsed.created_at_us, timeline.meta) or now_us,
        tracks=tuple(t.track for t in parsed.tracks),
        profile=chosen.name,
    )
    files, dropped = _kept_files(archive, timeline, resolver.used)
    try:
        draft = attach(draft, parsed, timeline, files, chosen, now_us)
    except (ValueError, TypeError, KeyError, RecursionError) as exc:
        # What the parser let through but no editor could have written.
        raise NotADraft(f"{timeline.path} cannot be read as a draft: {exc!r}") from exc
    warnings = [*parsed.warnings, *resolver.warnings]
    if resolver.missing:
        shown = ", ".join(list(resolver.missing)[:5]) or "(no path)"
        warnings.append(
            f"{len(resolver.missing)} media file(s) the draft names are not in the folder and "
            f"are kept as missing media ({shown}); attach them with relink_media"
        )
    if dropped:
        warnings.append(
            f"{len(dropped)} file(s) of the folder are not kept (binary or too large): "
            + ", ".join(dropped[:5])
        )
    return Imported(draft, timeline.path, tuple(warnings), tuple(resolver.missing))
