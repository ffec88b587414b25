"""Import use cases: a draft folder (a zip) becomes a new draft, and media an imported draft
did not bring are attached later (relink_media)."""

from __future__ import annotations

import hashlib
import os
import tempfile
from dataclasses import dataclass, replace
from pathlib import Path
from typing import IO

from draftsmith.errors import InvalidInput, MaterialNotFound
from draftsmith.importing.archive import ArchiveLimits, DraftArchive
from draftsmith.importing.folder import Imported, import_folder
from draftsmith.security.caller import Caller
from draftsmith.service.policy import UseCases, editor_profile
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.records import DraftHeader
from draftsmith.timeline.adjustments import Adjustment
from draftsmith.timeline.ids import new_draft_id
from draftsmith.timeline.model import Draft, Media, MediaKind, MediaSegment, Track


@dataclass(frozen=True)
class ImportResult:
    header: DraftHeader
    source: str
    warnings: tuple[str, ...]
    missing: tuple[str, ...]
    track_count: int


@dataclass(frozen=True)
class RelinkResult:
    header: DraftHeader
    segment_ids: tuple[str, ...]
    media: Media
    warnings: tuple[Adjustment, ...]


def _matches(segment: MediaSegment, material: str) -> bool:
    if material in (segment.material_id, segment.source_name):
        return True
    path = segment.media.missing_path
    return path is not None and path.replace("\\", "/").rsplit("/", 1)[-1] == material


class ImportUseCases(UseCases):
    archive_limits = ArchiveLimits()

    @property
    def upload_limit(self) -> int:
        """The largest draft zip taken: the media size limit."""
        return self._media.max_bytes

    def import_draft(
        self,
        caller: Caller,
        source: Path | bytes | IO[bytes],
        *,
        profile: str | None = None,
        name: str | None = None,
        once: Idempotency[ImportResult] | None = None,
    ) -> ImportResult:
        """A new draft from the draft folder zipped in `source`; nothing is stored unless
        the whole folder imports."""
        self._writable()
        if profile is not None:
            editor_profile(profile)
        archive = DraftArchive(source, self.archive_limits)
        try:
            imported = import_folder(
                archive,
                ingest=lambda field, path: self._ingest(archive, field, path),
                draft_id=new_draft_id(),
                new_id=self._new_id,
                now_us=self._clock(),
                profiles=editor_profile,
                profile=profile,
                name=name,
                max_segments=self._policy.max_segments,
            )
        finally:
            archive.close()
        return self._stored(caller, imported, once)

    def import_draft_url(
        self,
        caller: Caller,
        zip_url: str,
        *,
        profile: str | None = None,
        name: str | None = None,
        once: Idempotency[ImportResult] | None = None,
    ) -> ImportResult:
        """`import_draft` of the zip at `zip_url`, fetched under the media rules."""
        self._writable()
        path = self._media.download("zip_url", zip_url)
        try:
            return self.import_draft(caller, path, profile=profile, name=name, once=once)
        finally:
            path.unlink(missing_ok=True)

    def _stored(
        self, caller: Caller, imported: Imported, once: Idempotency[ImportResult] | None
    ) -> ImportResult:
        draft = imported.draft
        new = replace(draft, tracks=())

        def result(header: DraftHeader) -> ImportResult:
            return ImportResult(
                header, imported.source, imported.warnings, imported.missing, len(draft.tracks)
            )

        header = self._store.append_tracks(
            draft.id,
            draft.tracks,
            self._clock(),
            new=new,
            owner=caller.key_id,
            max_owned=self._policy.max_drafts_per_key,
            once=None if once is None else once.after(result),
        )
        self._metrics.edits.labels("imported").inc()
        return result(header)

    def _ingest(self, archive: DraftArchive, field: str, path: str) -> Media:
        scratch = self._blobs.scratch_dir()
        handle, name = tempfile.mkstemp(dir=scratch, prefix=".import-")
        target = Path(name)
        try:
            os.close(handle)
            archive.extract(path, target)
            digest = hashlib.sha256()
            with target.open("rb") as data:
                for block in iter(lambda: data.read(1024 * 1024), b""):
                    digest.update(block)
            return self._media.ingest_file(
                f"{field} ({path})", target, digest.hexdigest(), target.stat().st_size
            )
        finally:
            target.unlink(missing_ok=True)

    def relink_media(
        self,
        caller: Caller,
        draft_id: str,
        material: str,
        url: str,
        once: Idempotency[RelinkResult] | None = None,
    ) -> RelinkResult:
        """Attach the file at `url` to every segment playing `material` (a material id, or
        the file name the draft gave it); the segments keep their place and timing."""
        self._writable()
        if not material.strip():
            raise InvalidInput("material must name a material id or a file name")

        def relinked(draft: Draft) -> tuple[tuple[Track, ...], tuple[list[MediaSegment], Media]]:
            found = [
                s
                for t in draft.tracks
                for s in t.segments
                if isinstance(s, MediaSegment) and _matches(s, material)
            ]
            if not found:
                raise MaterialNotFound(
                    f"material: the draft has no video, photo or audio material {material!r} "
                    "(a material id, or the file name the draft gave it)"
                )
            media = self._media.get("url", url, found[0].media.kind)
            ids = {s.id for s in found}
            tracks = tuple(
                replace(
                    t,
                    segments=tuple(
                        replace(s, media=media)
                        if s.id in ids and isinstance(s, MediaSegment)
                        else s
                        for s in t.segments
                    ),
                )
                for t in draft.tracks
            )
            return tracks, (found, media)

        def result(made: tuple[DraftHeader, tuple[list[MediaSegment], Media]]) -> RelinkResult:
            header, (found, media) = made
            length = media.duration_us
            warnings = tuple(
                Adjustment(
                    "url",
                    "shorter_than_segment",
                    f"the file plays {length} µs; segment {s.id} uses it up to {s.source.end} µs",
                )
                for s in found
                if media.kind is not MediaKind.IMAGE
                and length is not None
                and s.source.end > length
            )
            return RelinkResult(header, tuple(s.id for s in found), media, warnings)

        key = None if once is None else once.after(result)
        return result(self._edit_tracks(caller, draft_id, relinked, key))
