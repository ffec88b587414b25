"""The DraftStore port: every adapter (SQLite, PostgreSQL) offers exactly this.

Concurrency is a revision number checked inside the write transaction, never an in-process
lock, so the same guarantees hold for one server process or many sharing a database.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from typing import Protocol, TypeVar, runtime_checkable

from draftsmith.chunks import Chunk, VersionTree
from draftsmith.store.idempotency import Idempotency, StoredResponse
from draftsmith.store.records import (
    ApiKeyRecord,
    DraftHeader,
    FileEntry,
    RenderCharge,
    RenderJob,
    SaveOutcome,
    TracksSince,
    VersionRecord,
)
from draftsmith.timeline.model import Draft, Media, Track

Settled = TypeVar("Settled")


class DraftStore(Protocol):
    """Drafts, their tracks and saved versions.

    Every write that takes `once` (an idempotency key, store/idempotency.py) takes its key in
    the same transaction and stores with it the response `once.respond` makes of the write's
    result; when the key was taken already, nothing is written and Replayed (or, for another
    body, IdempotencyKeyReused) is raised instead.
    """

    local_reads: bool
    """Whether a read is answered from a file on this machine (SQLite), not over a network: a
    one-row read then costs tens of microseconds and never waits on another machine."""

    def create_draft(
        self,
        draft: Draft,
        now_us: int,
        *,
        owner: str | None = None,
        max_owned: int = 0,
        once: Idempotency[DraftHeader] | None = None,
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

    def tracks_since(self, draft_id: str, revision: int) -> TracksSince:
        """The draft's header and the tracks written after `revision` (every track written by a
        later revision, whether it was stacked or replaced): what changed of its tracks since
        that revision, when the tracks it had then are known."""
        ...

    def append_track(
        self,
        draft_id: str,
        track: Track,
        now_us: int,
        *,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        """Stack a track on top and bump the revision, in one transaction."""
        ...

    def append_tracks(
        self,
        draft_id: str,
        tracks: Sequence[Track],
        now_us: int,
        *,
        new: Draft | None = None,
        owner: str | None = None,
        max_owned: int = 0,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        """Stack `tracks` on top, in order, and bump the revision once, in one transaction.

        With `new` (whose id is `draft_id`) the draft is created first in the same
        transaction, as `create_draft` creates it (`owner`, `max_owned`): all or nothing.
        """
        ...

    def replace_tracks(
        self,
        draft_id: str,
        tracks: tuple[Track, ...],
        expected_revision: int,
        now_us: int,
        *,
        once: Idempotency[DraftHeader] | None = None,
    ) -> DraftHeader:
        """Replace every track if the draft is still at `expected_revision`, else Conflict."""
        ...

    def add_version(
        self,
        draft_id: str,
        *,
        revision: int,
        snapshot: Draft | None,
        files: tuple[FileEntry, ...],
        contents: Mapping[str, Sequence[Chunk]],
        label: str | None,
        keep_versions: int,
        now_us: int,
        once: Idempotency[SaveOutcome] | None = None,
        tree: VersionTree | None = None,
    ) -> SaveOutcome:
        """Publish the draft's state at `revision` as the next saved version.

        `tree` given, the version's documents are its roots and `contents` and `snapshot` are
        not read: only the chunks that changed since `tree.base` are handed over (StaleTree
        when `tree.base` is no longer the newest version; nothing is written then). Without
        it, `snapshot` is the draft at `revision`, and the version's snapshot is made of it.

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

    def chunk_data(self, draft_id: str, keys: Sequence[str]) -> dict[str, bytes]:
        """The bytes of the draft's chunks of `keys` (`draftsmith.chunks`), those it holds."""
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

    def delete_draft(self, draft_id: str, *, once: Idempotency[None] | None = None) -> None: ...

    def idempotent_response(
        self, scope: str, key: str, stale_before_us: int
    ) -> StoredResponse | None:
        """What the committed request with this key (in `scope`, written since
        `stale_before_us`) stored; None when there is none."""
        ...

    def forget_idempotency_keys(self, before_us: int) -> int:
        """Delete the idempotency keys written before `before_us`; return how many."""
        ...

    def settle_idempotency(self, once: Idempotency[Settled], result: Settled) -> Settled:
        """Store what `once` makes of `result` with its key, in a write of its own."""
        ...

    def remember_media(self, url: str, media: Media, now_us: int | None = None) -> None:
        """Record that `url` served `media`, so the next request for it is not fetched again;
        it counts as used at `now_us` (None: now), as `UpkeepStore.use_media` says."""
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

    local_reads: bool
    """Whether a lookup is answered from a file on this machine (see DraftStore.local_reads)."""

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
        self,
        draft_id: str,
        version: int,
        owner: str | None,
        now_us: int,
        charge: RenderCharge | None = None,
        *,
        once: Idempotency[RenderJob] | None = None,
    ) -> RenderJob:
        """The job for this draft version: the existing one unless it failed or was cancelled,
        in which case it is queued again from scratch; a new pending one if there is none.

        A job queued (not one returned as it was) is charged: `charge.duration_us` is added to
        its payer's render time (`render_time_queued`), unless that passes `charge.budget_us`
        within the hour: then RenderBudgetExceeded and nothing is queued. The check and the
        charge are one atomic step, so concurrent renders of one payer never overshoot.
        """
        ...

    def render_time_queued(self, payer: str | None, since_us: int) -> int:
        """Draft time (µs) charged to `payer` (None: callers with keys off) by renders queued
        after `since_us`; charges older than an hour (RENDER_BUDGET_WINDOW_US) are forgotten."""
        ...

    def cancel_render_job(
        self,
        draft_id: str,
        job_id: str | None,
        now_us: int,
        *,
        once: Idempotency[RenderJob] | None = None,
    ) -> RenderJob:
        """Cancel the draft's job `job_id` (None: its latest pending or processing one) and
        return it; a job already finished (or, without `job_id`, the draft's latest when none is
        active) is returned as it is. RenderJobNotFound when there is no such job.

        A cancelled job is no longer held by its worker: the worker's next heartbeat is refused,
        and it stops rendering.
        """
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

    def record_render_report(self, job_id: str, worker_id: str, report: str) -> bool:
        """Keep what the render draws of the draft (JSON), once the worker has planned it."""
        ...

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


@runtime_checkable
class UpkeepStore(Protocol):
    """What running the service asks of the store beyond drafts (store/upkeep.py): the blobs
    it references (garbage collection, backups), media recently used, exports recorded with
    their version, shared rate limits and render job counts (metrics). Every DraftStore
    adapter has it."""

    def referenced_blobs(self) -> set[str]:
        """Every blob a draft's tracks, a version's files or snapshot, a version's exports or
        a render job's video names. Read draft by draft: a blob referenced only by a draft
        made meanwhile may be missing, so garbage collection also spares what is young and
        what `use_media` marked since it began."""
        ...

    def use_media(self, url: str, now_us: int, fresh_after_us: int | None = None) -> Media | None:
        """`media_for_url`, marking the source used at `now_us`: while it counts as used,
        `collect_blobs` keeps its blobs. None when the URL is unknown (or was collected).

        A source already marked at `fresh_after_us` or later is only read, not marked again:
        a lookup costs a write once per interval, not each time.
        """
        ...

    def collect_blobs(
        self,
        candidates: Sequence[str],
        used_since_us: int,
        remove: Callable[[list[str]], list[str]],
        *,
        batch: int = 1000,
    ) -> list[str]:
        """Remove blobs no longer referenced, safely against media lookups running meanwhile.

        `candidates` (unreferenced blobs) are taken `batch` at a time. For each batch, inside
        one transaction that `use_media` and `remember_media` wait for, the blobs named by a
        media source used since `used_since_us` are spared, `remove` is called with the rest
        and returns those it removed, and the media sources naming only removed blobs are
        forgotten. Returns every blob removed.
        """
        ...

    def version_export(
        self, draft_id: str, version: int, profile: str
    ) -> tuple[FileEntry, ...] | None:
        """The files recorded for `version` exported for the editors of `profile`, if any."""
        ...

    def add_version_export(
        self, draft_id: str, version: int, profile: str, files: tuple[FileEntry, ...]
    ) -> None:
        """Record an export's files with its version (the first record stays); they go when
        the version goes. Nothing is recorded for a version that no longer exists."""
        ...

    def take_token(self, key: str, rate: float, burst: int, now_us: int) -> int:
        """Spend one token of the bucket `key` (full at `burst`, refilled at `rate` per
        second) and return 0, or return the whole seconds until one is there. One atomic
        step, so every process on the store spends from the same bucket."""
        ...

    def forget_rate_buckets(self, prefix: str, before_us: int) -> int:
        """Delete the buckets of keys starting with `prefix` untouched since `before_us`
        (full by then, so no different from absent); return how many."""
        ...

    def render_job_counts(self) -> dict[str, int]:
        """How many render jobs are in each status, by status name (absent: none)."""
        ...
