"""The DraftStore port: every adapter (SQLite, PostgreSQL) offers exactly this.

Concurrency is a revision number checked inside the write transaction, never an in-process
lock, so the same guarantees hold for one server process or many sharing a database.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Protocol, runtime_checkable

from draftsmith.chunks import Chunk
from draftsmith.store.records import (
    ApiKeyRecord,
    DraftHeader,
    FileEntry,
    RenderJob,
    SaveOutcome,
    VersionRecord,
)
from draftsmith.timeline.model import Draft, Media, Track


class DraftStore(Protocol):
    def create_draft(
        self, draft: Draft, now_us: int, *, owner: str | None = None, max_owned: int = 0
    ) -> DraftHeader:
        """Store a new, empty draft at revision 0, owned by `owner` (an API key id or None).

        `max_owned` > 0 caps how many drafts one owner may hold: past it, QuotaExceeded and
        nothing is stored. The count and the insert are one atomic step, so concurrent creates
        by one owner never overshoot.
        """
        ...

    def header(self, draft_id: str) -> DraftHeader:
        """The draft's header; raises DraftNotFound."""
        ...

    def load(self, draft_id: str) -> tuple[DraftHeader, Draft]:
        """The current state of a draft, consistent with its header."""
        ...

    def append_track(self, draft_id: str, track: Track, now_us: int) -> DraftHeader:
        """Stack a track on top and bump the revision, in one transaction."""
        ...

    def replace_tracks(
        self, draft_id: str, tracks: tuple[Track, ...], expected_revision: int, now_us: int
    ) -> DraftHeader:
        """Replace every track if the draft is still at `expected_revision`, else Conflict."""
        ...

    def add_version(
        self,
        draft_id: str,
        *,
        revision: int,
        snapshot: Draft,
        files: tuple[FileEntry, ...],
        contents: Mapping[str, Sequence[Chunk]],
        label: str | None,
        keep_versions: int,
        now_us: int,
    ) -> SaveOutcome:
        """Publish `snapshot` (the state at `revision`) as the next saved version.

        `contents` holds the `files` kept in the store (`in_store`), by SHA-256, each as its
        chunks (`draftsmith.chunks`); they are committed with the version, in the same
        transaction. A chunk an earlier version of the draft stored is not stored again. When
        a version of this revision or a later one is already published, nothing is created and
        that newest version is returned. `keep_versions` > 0 prunes older versions (and what
        only they used) beyond that count, never the newest.
        """
        ...

    def version_file(self, draft_id: str, version: int, sha256: str) -> bytes:
        """The bytes of a file `version` keeps in the store; NotFound when it has none."""
        ...

    def versions(self, draft_id: str) -> list[VersionRecord]:
        """Saved versions, oldest first."""
        ...

    def version(self, draft_id: str, version: int | None) -> VersionRecord:
        """One saved version (None: the newest); raises VersionNotFound / NoSavedVersion."""
        ...

    def version_snapshot(self, draft_id: str, version: int) -> Draft: ...

    def list_drafts(
        self, *, limit: int, offset: int, query: str | None, owner: str | None = None
    ) -> list[DraftHeader]:
        """Drafts, most recently changed first, optionally filtered by id or name.

        `owner` given: only that owner's drafts; None: every draft.
        """
        ...

    def delete_draft(self, draft_id: str) -> None: ...

    def remember_media(self, url: str, media: Media) -> None:
        """Record that `url` served `media`, so the next request for it is not fetched again."""
        ...

    def media_for_url(self, url: str) -> Media | None: ...

    def ping(self) -> None:
        """Raise Unavailable when the store cannot be reached."""
        ...

    def close(self) -> None: ...


@runtime_checkable
class KeyStore(Protocol):
    """API keys (by hash only) and the server's own secrets; every DraftStore adapter has it.

    Keys are never deleted, only revoked, so "has any key ever been made" only ever turns true.
    """

    def add_api_key(self, record: ApiKeyRecord) -> None: ...

    def api_key_by_hash(self, key_hash: str) -> ApiKeyRecord | None:
        """The key whose SHA-256 is `key_hash`, revoked or not."""
        ...

    def api_keys(self) -> list[ApiKeyRecord]:
        """Every key ever made, oldest first."""
        ...

    def revoke_api_key(self, key_id: str, now_us: int) -> ApiKeyRecord:
        """Mark a key revoked (once; later calls keep the first time); raises NotFound."""
        ...

    def has_api_keys(self) -> bool: ...

    def server_secret(self, name: str, candidate: bytes) -> bytes:
        """The secret stored under `name`; `candidate` is stored and returned if there is none.

        Every process sharing the store gets the same bytes, whoever asked first.
        """
        ...


@runtime_checkable
class JobStore(Protocol):
    """Render jobs (gen_video), a queue that lives in the store; every DraftStore adapter has it.

    Workers, in any process, claim jobs one at a time: a claim is atomic (no job is claimed
    twice) and holds the job for `lease_us`; progress reports renew the lease. A job whose
    lease runs out (its worker died) is claimed again, at most `max_attempts` times in all.
    Every call a worker makes names its `worker_id` and is refused (False) once the job is no
    longer its own.
    """

    def create_render_job(
        self, draft_id: str, version: int, owner: str | None, now_us: int
    ) -> RenderJob:
        """The job for this draft version: the existing one unless it failed, in which case it
        is queued again from scratch; a new pending one if there is none."""
        ...

    def claim_render_job(
        self, worker_id: str, now_us: int, lease_us: int, max_attempts: int
    ) -> RenderJob | None:
        """Take the oldest pending job, or processing one whose lease ran out, for `worker_id`.

        A job already tried `max_attempts` times is failed instead, with a message saying so.
        """
        ...

    def update_render_progress(
        self, job_id: str, worker_id: str, progress: int, now_us: int, lease_us: int
    ) -> bool:
        """Record progress (0-100) and renew the lease: the worker's heartbeat."""
        ...

    def complete_render_job(
        self, job_id: str, worker_id: str, video_sha256: str, video_size: int, now_us: int
    ) -> bool: ...

    def fail_render_job(self, job_id: str, worker_id: str, error: str, now_us: int) -> bool: ...

    def release_render_job(self, job_id: str, worker_id: str) -> bool:
        """Put a job back in the queue, as if this attempt never started (a clean shutdown)."""
        ...

    def expire_render_lease(self, job_id: str, worker_id: str) -> bool:
        """End the lease now, so the job is claimed again at once (its worker is known dead)."""
        ...

    def processing_render_jobs(self) -> list[RenderJob]: ...

    def render_job(self, draft_id: str, version: int | None = None) -> RenderJob:
        """The draft's job for `version`, or its latest; raises RenderJobNotFound."""
        ...

    def latest_render_jobs(self, draft_ids: Sequence[str]) -> dict[str, RenderJob]:
        """The latest job (as `render_job` without a version) of each of these drafts that has
        one, in one query: a page of a drafts list with its render states."""
        ...

    def count_active_renders(self, owner: str | None) -> int:
        """Pending and processing jobs of `owner`."""
        ...
