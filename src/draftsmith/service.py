"""Use cases: one short method per thing a caller can do with drafts.

`Drafts` is the one object the HTTP API, the CLI and the tests drive. It holds no draft state
of its own: every call reads and writes through the DraftStore, so any number of server
processes can serve the same drafts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from draftsmith.blobs.port import BlobStore
from draftsmith.capcut.encode import encode_folder, media_relpath
from draftsmith.errors import Conflict, InvalidInput, Unavailable
from draftsmith.media.library import MediaLibrary
from draftsmith.ratelimit import RateLimiter
from draftsmith.store.port import DraftStore
from draftsmith.store.records import DraftHeader, FileEntry, SaveOutcome, VersionRecord
from draftsmith.timeline import edits
from draftsmith.timeline.ids import new_draft_id, new_object_id
from draftsmith.timeline.model import (
    Canvas,
    Clip,
    Draft,
    MediaKind,
    TextStyle,
    Track,
    TrackKind,
)

MAINTENANCE_RETRY_AFTER = 30


def now_us() -> int:
    return time.time_ns() // 1000


@dataclass(frozen=True)
class MediaRequest:
    """One requested media item, as the edge parsed it; `field` names it in errors."""

    field: str
    url: str
    start: int
    end: int
    volume: float = 1.0


@dataclass(frozen=True)
class CaptionRequest:
    text: str
    start: int
    end: int
    style: TextStyle


@dataclass(frozen=True)
class EditResult:
    header: DraftHeader
    track: Track


@dataclass(frozen=True)
class Policy:
    """The knobs of the service that come from settings."""

    keep_versions: int = 0
    maintenance: bool = False
    max_items: int = 500


class Drafts:
    def __init__(
        self,
        store: DraftStore,
        blobs: BlobStore,
        media: MediaLibrary,
        policy: Policy,
        save_limits: Sequence[tuple[str, RateLimiter]] = (),
        clock: Callable[[], int] = now_us,
        new_id: Callable[[], str] = new_object_id,
    ) -> None:
        self.store = store
        self.blobs = blobs
        self._media = media
        self._policy = policy
        self._save_limits = save_limits
        self._clock = clock
        self._new_id = new_id
        self._closing = False

    def begin_shutdown(self) -> None:
        """Refuse new writes from now on; writes already running finish."""
        self._closing = True

    def _writable(self) -> None:
        if self._policy.maintenance or self._closing:
            raise Unavailable(retry_after=MAINTENANCE_RETRY_AFTER)

    def create(self, width: int, height: int, name: str | None = None) -> DraftHeader:
        self._writable()
        draft_id = new_draft_id()
        created = self._clock()
        draft = Draft(
            id=draft_id,
            name=name or draft_id,
            canvas=Canvas(width=width, height=height),
            created_at_us=created,
        )
        return self.store.create_draft(draft, created)

    def header(self, draft_id: str) -> DraftHeader:
        return self.store.header(draft_id)

    def load(self, draft_id: str) -> tuple[DraftHeader, Draft]:
        return self.store.load(draft_id)

    def list_drafts(self, *, limit: int, offset: int, query: str | None) -> list[DraftHeader]:
        return self.store.list_drafts(limit=limit, offset=offset, query=query)

    def delete(self, draft_id: str) -> None:
        self._writable()
        self.store.delete_draft(draft_id)

    def _check_count(self, field: str, count: int) -> None:
        if count > self._policy.max_items:
            raise InvalidInput(f"{field} has {count} items; at most {self._policy.max_items}")

    def add_media(
        self,
        draft_id: str,
        field: str,
        accept: MediaKind,
        items: Sequence[MediaRequest],
        clip: Clip | None,
    ) -> EditResult:
        """Fetch each item's media and stack them on a new track of the draft."""
        self._writable()
        self._check_count(field, len(items))
        for item in items:
            edits.timerange(item.field, item.start, item.end)
        self.store.header(draft_id)
        placements = [
            edits.MediaPlacement(
                media=self._media.get(f"{item.field}", item.url, accept),
                source_name=_source_name(item.url),
                start=item.start,
                end=item.end,
                volume=item.volume,
            )
            for item in items
        ]
        kind = TrackKind.AUDIO if accept is MediaKind.AUDIO else TrackKind.VIDEO
        track = edits.media_track(field, kind, placements, clip, self._new_id)
        return EditResult(self.store.append_track(draft_id, track, self._clock()), track)

    def add_captions(
        self, draft_id: str, field: str, captions: Sequence[CaptionRequest], clip: Clip
    ) -> EditResult:
        self._writable()
        self._check_count(field, len(captions))
        placements = [edits.CaptionPlacement(c.text, c.start, c.end, c.style) for c in captions]
        track = edits.caption_track(field, placements, clip, self._new_id)
        return EditResult(self.store.append_track(draft_id, track, self._clock()), track)

    def save(
        self,
        draft_id: str,
        *,
        client: str,
        expected_revision: int | None = None,
        label: str | None = None,
    ) -> SaveOutcome:
        """Publish the current state as the next saved version, unless it is already saved."""
        self._writable()
        header = self.store.header(draft_id)
        for scope, limiter in self._save_limits:
            limiter.take(f"{scope}:{draft_id if scope == 'draft' else client}")
        if expected_revision is not None and header.revision != expected_revision:
            raise Conflict()
        if header.saved_version and header.saved_revision == header.revision:
            return SaveOutcome(self.store.version(draft_id, header.saved_version), False)
        header, draft = self.store.load(draft_id)
        if expected_revision is not None and header.revision != expected_revision:
            raise Conflict()
        saved_at = self._clock()
        files = self._write_folder(draft, saved_at)
        return self.store.add_version(
            draft_id,
            revision=header.revision,
            snapshot=draft,
            files=files,
            label=label,
            keep_versions=self._policy.keep_versions,
            now_us=saved_at,
        )

    def _write_folder(self, draft: Draft, saved_at: int) -> tuple[FileEntry, ...]:
        entries = [
            FileEntry(path, self.blobs.put_bytes(data), len(data))
            for path, data in encode_folder(draft, saved_at_us=saved_at).items()
        ]
        entries += [FileEntry(media_relpath(m), m.sha256, m.size) for m in draft.media()]
        return tuple(entries)

    def version(self, draft_id: str, version: int | None = None) -> VersionRecord:
        return self.store.version(draft_id, version)

    def versions(self, draft_id: str) -> list[VersionRecord]:
        return self.store.versions(draft_id)

    def restore(self, draft_id: str, version: int, *, client: str) -> SaveOutcome:
        """Make an old version the current state and publish it as a new version.

        Unsaved edits made since the last save are kept in the version history only if they
        were saved; restoring replaces the current state, never an existing version.
        """
        self._writable()
        header = self.store.header(draft_id)
        snapshot = self.store.version_snapshot(draft_id, version)
        restored = self.store.replace_tracks(
            draft_id, snapshot.tracks, header.revision, self._clock()
        )
        del restored
        return self.save(draft_id, client=client, label=f"restored from version {version}")

    def ready(self) -> None:
        self.store.ping()


def _source_name(url: str) -> str:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail[:120] or "media"
