"""Use cases: one short method per thing a caller can do with drafts.

`Drafts` is the one object the HTTP API, the CLI and the tests drive. It holds no draft state
of its own: every call reads and writes through the DraftStore, so any number of server
processes can serve the same drafts.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, replace

from draftsmith.blobs.port import BlobStore
from draftsmith.capcut.encode import encode_folder, media_relpath
from draftsmith.capcut.profiles import Profile, profile_named
from draftsmith.errors import (
    Conflict,
    DraftNotFound,
    InvalidInput,
    LimitExceeded,
    MediaRejected,
    NotFound,
    RenderJobNotFound,
    RenderQuotaExceeded,
    Unavailable,
)
from draftsmith.media.library import MediaLibrary
from draftsmith.ratelimit import RateLimiter
from draftsmith.security.caller import Caller
from draftsmith.store.port import DraftStore, JobStore
from draftsmith.store.records import (
    DraftHeader,
    FileEntry,
    JobStatus,
    RenderJob,
    SaveOutcome,
    VersionRecord,
)
from draftsmith.timeline import edits
from draftsmith.timeline.ids import new_draft_id, new_object_id
from draftsmith.timeline.model import (
    DEFAULT_PROFILE_NAME,
    Canvas,
    Clip,
    Draft,
    Media,
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
    max_segments: int = 5000
    max_caption_chars: int = 1000
    max_drafts_per_key: int = 1000
    max_renders_per_key: int = 2


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
        self._render_listeners: list[Callable[[], None]] = []

    def begin_shutdown(self) -> None:
        """Refuse new writes from now on; writes already running finish."""
        self._closing = True

    def _writable(self) -> None:
        if self._policy.maintenance or self._closing:
            raise Unavailable(retry_after=MAINTENANCE_RETRY_AFTER)

    def _owned(self, caller: Caller, draft_id: str) -> DraftHeader:
        """The draft's header, if `caller` may see the draft; DraftNotFound otherwise.

        Every use case that names a draft goes through here (or `load`): a draft of another
        API key answers exactly as a draft that does not exist, so ids cannot be probed.
        """
        return self._visible(caller, self.store.header(draft_id))

    @staticmethod
    def _visible(caller: Caller, header: DraftHeader) -> DraftHeader:
        if not caller.may_access(header.owner):
            raise DraftNotFound()
        return header

    def create(
        self,
        caller: Caller,
        width: int,
        height: int,
        name: str | None = None,
        profile: str = DEFAULT_PROFILE_NAME,
    ) -> DraftHeader:
        """A new, empty draft whose saved folders are written for the editors of `profile`."""
        self._writable()
        editor_profile(profile)
        draft_id = new_draft_id()
        created = self._clock()
        draft = Draft(
            id=draft_id,
            name=name or draft_id,
            canvas=Canvas(width=width, height=height),
            created_at_us=created,
            profile=profile,
        )
        return self.store.create_draft(
            draft, created, owner=caller.key_id, max_owned=self._policy.max_drafts_per_key
        )

    def header(self, caller: Caller, draft_id: str) -> DraftHeader:
        return self._owned(caller, draft_id)

    def load(self, caller: Caller, draft_id: str) -> tuple[DraftHeader, Draft]:
        header, draft = self.store.load(draft_id)
        return self._visible(caller, header), draft

    def list_drafts(
        self, caller: Caller, *, limit: int, offset: int, query: str | None
    ) -> list[DraftHeader]:
        """The caller's drafts (every draft while API keys are off)."""
        return self.store.list_drafts(limit=limit, offset=offset, query=query, owner=caller.key_id)

    def delete(self, caller: Caller, draft_id: str) -> None:
        self._writable()
        self._owned(caller, draft_id)
        self.store.delete_draft(draft_id)

    def _check_count(self, field: str, count: int) -> None:
        if count > self._policy.max_items:
            raise InvalidInput(f"{field} has {count} items; at most {self._policy.max_items}")

    def _check_room(self, field: str, header: DraftHeader, adding: int) -> None:
        # Checked against the header read just before the write: concurrent edits of one draft
        # can overshoot by at most one request's items, which is what the limit is sized for.
        limit = self._policy.max_segments
        if header.segment_count + adding > limit:
            raise LimitExceeded(
                f"{field}: the draft has {header.segment_count} segments and {adding} more would "
                f"pass the limit of {limit} segments per draft"
            )

    def _check_caption_lengths(self, field: str, captions: Sequence[CaptionRequest]) -> None:
        limit = self._policy.max_caption_chars
        for index, caption in enumerate(captions):
            if len(caption.text) > limit:
                raise LimitExceeded(
                    f"{field}[{index}].text has {len(caption.text)} characters; at most {limit}"
                )

    def check_render_quota(self, caller: Caller, active_renders: int) -> None:
        """Refuse a new render when `caller` already has `active_renders` (queued or running,
        counted by the caller from the job store) at or above the per-key limit.

        For `start_render` (gen_video) to call before it queues a job; RenderQuotaExceeded is a
        429 with Retry-After. No limit applies while API keys are off.
        """
        limit = self._policy.max_renders_per_key
        if caller.key_id is not None and limit > 0 and active_renders >= limit:
            raise RenderQuotaExceeded(limit)

    def on_render_queued(self, listener: Callable[[], None]) -> None:
        """Call `listener` after each render job is queued (it wakes in-process workers)."""
        self._render_listeners.append(listener)

    def job_store(self) -> JobStore:
        if isinstance(self.store, JobStore):
            return self.store
        raise Unavailable("Rendering is not available: this store keeps no render jobs")

    def start_render(self, caller: Caller, draft_id: str, version: int | None = None) -> RenderJob:
        """Queue a render of a saved version (default: the latest) to MP4; a job of that version
        that has not failed (queued, running or done) is returned instead of a new one."""
        self._writable()
        header = self._owned(caller, draft_id)
        record = self.store.version(draft_id, version)
        if record.duration_us <= 0:
            raise InvalidInput(
                f"Draft content is empty: saved version {record.version} has nothing to render"
            )
        jobs = self.job_store()
        try:
            existing = jobs.render_job(draft_id, record.version)
            if existing.status is not JobStatus.FAILED:
                return existing
        except RenderJobNotFound:
            pass
        self.check_render_quota(caller, jobs.count_active_renders(caller.key_id))
        job = jobs.create_render_job(draft_id, record.version, header.owner, self._clock())
        for listener in self._render_listeners:
            listener()
        return job

    def render_status(self, caller: Caller, draft_id: str, version: int | None = None) -> RenderJob:
        """The draft's render job for `version`, or its latest; RenderJobNotFound if none."""
        self._owned(caller, draft_id)
        return self.job_store().render_job(draft_id, version)

    def rendered_video(self, caller: Caller, draft_id: str, version: int) -> RenderJob:
        """The completed render of `version`, whose video is in the blob store."""
        job = self.render_status(caller, draft_id, version)
        if job.status is not JobStatus.COMPLETED or job.video_sha256 is None:
            raise NotFound(f"Version {version} of the draft has no rendered video yet")
        return job

    def add_media(
        self,
        caller: Caller,
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
        self._check_room(field, self._owned(caller, draft_id), len(items))
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
        self,
        caller: Caller,
        draft_id: str,
        field: str,
        captions: Sequence[CaptionRequest],
        clip: Clip,
    ) -> EditResult:
        self._writable()
        self._check_count(field, len(captions))
        self._check_caption_lengths(field, captions)
        self._check_room(field, self._owned(caller, draft_id), len(captions))
        placements = [edits.CaptionPlacement(c.text, c.start, c.end, c.style) for c in captions]
        track = edits.caption_track(field, placements, clip, self._new_id)
        return EditResult(self.store.append_track(draft_id, track, self._clock()), track)

    def fetch_media(self, field: str, url: str, accept: MediaKind) -> Media:
        """The media behind `url`, fetched and kept exactly as add_media keeps it; for edits
        that need to know a file's duration before placing it (easy_create_material)."""
        self._writable()
        return self._media.get(field, url, accept)

    def audio_duration(self, field: str, url: str) -> int:
        """How long the audio at `url` plays, in microseconds; the file is not kept."""
        media = self._media.inspect(field, url)
        if not media.has_audio or media.duration_us is None:
            raise MediaRejected(f"{field}: the file has no audio stream")
        return media.duration_us

    def save(
        self,
        caller: Caller,
        draft_id: str,
        *,
        client: str,
        expected_revision: int | None = None,
        label: str | None = None,
    ) -> SaveOutcome:
        """Publish the current state as the next saved version, unless it is already saved."""
        self._writable()
        header = self._owned(caller, draft_id)
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
        files = self._write_folder(draft, saved_at, editor_profile(draft.profile))
        return self.store.add_version(
            draft_id,
            revision=header.revision,
            snapshot=draft,
            files=files,
            label=label,
            keep_versions=self._policy.keep_versions,
            now_us=saved_at,
        )

    def _write_folder(self, draft: Draft, saved_at: int, profile: Profile) -> tuple[FileEntry, ...]:
        encoded = encode_folder(draft, saved_at_us=saved_at, profile=profile)
        entries = [
            FileEntry(path, self.blobs.put_bytes(data), len(data)) for path, data in encoded.items()
        ]
        entries += [FileEntry(media_relpath(m), m.sha256, m.size) for m in draft.media()]
        return tuple(entries)

    def version(self, caller: Caller, draft_id: str, version: int | None = None) -> VersionRecord:
        self._owned(caller, draft_id)
        return self.store.version(draft_id, version)

    def export(
        self, caller: Caller, draft_id: str, version: int | None, profile: str | None
    ) -> VersionRecord:
        """A saved version whose files are the folder for the editors of `profile` (None: the
        draft's own profile, the files saved with it).

        Another profile's files are encoded from the version's snapshot with its save time, so
        every request gets the same bytes; they are put in the blob store, where equal bytes
        are one blob, and are not recorded with the version.
        """
        header = self._owned(caller, draft_id)
        target = None if profile is None else editor_profile(profile)
        record = self.store.version(draft_id, version)
        # A draft's profile never changes, so its versions were all saved for header.profile.
        if target is None or target.name == header.profile:
            return record
        snapshot = self.store.version_snapshot(draft_id, record.version)
        return replace(record, files=self._write_folder(snapshot, record.created_at_us, target))

    def versions(self, caller: Caller, draft_id: str) -> list[VersionRecord]:
        self._owned(caller, draft_id)
        return self.store.versions(draft_id)

    def restore(self, caller: Caller, draft_id: str, version: int, *, client: str) -> SaveOutcome:
        """Make an old version the current state and publish it as a new version.

        Unsaved edits made since the last save are kept in the version history only if they
        were saved; restoring replaces the current state, never an existing version.
        """
        self._writable()
        header = self._owned(caller, draft_id)
        snapshot = self.store.version_snapshot(draft_id, version)
        restored = self.store.replace_tracks(
            draft_id, snapshot.tracks, header.revision, self._clock()
        )
        del restored
        return self.save(caller, draft_id, client=client, label=f"restored from version {version}")

    def ready(self) -> None:
        self.store.ping()


def editor_profile(name: str) -> Profile:
    """The profile called `name`; InvalidInput naming the known ones if there is none."""
    try:
        return profile_named(name)
    except ValueError as exc:
        raise InvalidInput(f"profile: {exc}") from exc


def _source_name(url: str) -> str:
    tail = url.split("?", 1)[0].rstrip("/").rsplit("/", 1)[-1]
    return tail[:120] or "media"
