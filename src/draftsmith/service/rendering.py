"""Render use cases (gen_video): queue a saved version for rendering to MP4, and follow it."""

from __future__ import annotations

from collections.abc import Callable, Iterator

from draftsmith.errors import (
    InvalidInput,
    NotFound,
    RenderJobNotFound,
    RenderLimitExceeded,
    RenderQuotaExceeded,
    Unavailable,
)
from draftsmith.security.caller import Caller
from draftsmith.service.policy import UseCases
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.port import JobStore
from draftsmith.store.records import DraftHeader, JobStatus, RenderCharge, RenderJob
from draftsmith.timeline.model import Canvas, Draft, MediaSegment


def missing_media(draft: Draft) -> list[str]:
    """Paths of the media an imported draft named but did not bring, each once."""
    found: dict[str, None] = {}
    for track in draft.tracks:
        for segment in track.segments:
            if isinstance(segment, MediaSegment) and segment.media.missing_path is not None:
                found[segment.media.missing_path] = None
    return list(found)


def _seconds(us: int) -> str:
    return f"{us / 1_000_000:g} s"


class RenderUseCases(UseCases):
    def check_render_quota(self, caller: Caller, active_renders: int) -> None:
        """Refuse a new render when `caller` already has `active_renders` (queued or running,
        counted by the caller from the job store) at or above the per-key limit.

        For `start_render` (gen_video) to call before it queues a job; RenderQuotaExceeded is a
        429 with Retry-After. No limit applies while API keys are off.
        """
        limit = self._policy.max_renders_per_key
        if caller.key_id is not None and limit > 0 and active_renders >= limit:
            raise RenderQuotaExceeded(limit)

    def check_render_size(self, canvas: Canvas, duration_us: int) -> None:
        """Refuse (RenderLimitExceeded, a 400 naming the limit) a render longer, or of a larger
        canvas, than this server renders, or longer than a caller's whole hourly budget."""
        policy = self._policy
        if duration_us > policy.render_max_us:
            raise RenderLimitExceeded(
                f"The draft lasts {_seconds(duration_us)}; this server renders drafts of at "
                f"most {_seconds(policy.render_max_us)}"
            )
        width, height = canvas.width, canvas.height
        if (
            width > policy.render_max_width
            or height > policy.render_max_height
            or width * height > policy.render_max_pixels
        ):
            raise RenderLimitExceeded(
                f"The canvas is {width}x{height}; this server renders canvases of at most "
                f"{policy.render_max_width}x{policy.render_max_height} and "
                f"{policy.render_max_pixels} pixels"
            )
        if 0 < policy.render_budget_us < duration_us:
            raise RenderLimitExceeded(
                f"The draft lasts {_seconds(duration_us)}, more than the render budget of "
                f"{_seconds(policy.render_budget_us)} of video per hour"
            )

    def on_render_queued(self, listener: Callable[[], None]) -> None:
        """Call `listener` after each render job is queued (it wakes in-process workers)."""
        self._render_listeners.append(listener)

    def job_store(self) -> JobStore:
        if isinstance(self._store, JobStore):
            return self._store
        raise Unavailable("Rendering is not available: this store keeps no render jobs")

    def start_render(
        self,
        caller: Caller,
        draft_id: str,
        version: int | None = None,
        once: Idempotency[RenderJob] | None = None,
    ) -> RenderJob:
        """Queue a render of a saved version (default: the latest) to MP4; a job of that version
        that has not failed or been cancelled (queued, running or done) is returned instead of
        a new one.

        A new render must be within the size limits (`check_render_size`) and the caller's
        quota, and is charged to the caller's hourly render budget (RenderBudgetExceeded, a 429
        with Retry-After, once it is spent): by API key, or one budget for all with keys off.
        """
        self._writable()
        header = self._owned(caller, draft_id)
        record = self._store.version(draft_id, version)
        if record.duration_us <= 0:
            raise InvalidInput(
                f"Draft content is empty: saved version {record.version} has nothing to render"
            )
        jobs = self.job_store()
        try:
            existing = jobs.render_job(draft_id, record.version)
            if existing.status not in (JobStatus.FAILED, JobStatus.CANCELLED):
                return existing
        except RenderJobNotFound:
            pass
        self.check_render_size(header.canvas, record.duration_us)
        missing = missing_media(self._store.version_snapshot(draft_id, record.version))
        if missing:
            raise InvalidInput(
                f"saved version {record.version} plays {len(missing)} file(s) the imported "
                f"draft did not bring ({', '.join(missing[:3])}); attach them with "
                "relink_media, save, and render again"
            )
        self.check_render_quota(caller, jobs.count_active_renders(caller.key_id))
        charge = RenderCharge(caller.key_id, record.duration_us, self._policy.render_budget_us)
        job = jobs.create_render_job(
            draft_id, record.version, header.owner, self._clock(), charge, once=once
        )
        for listener in self._render_listeners:
            listener()
        return job

    def cancel_render(
        self,
        caller: Caller,
        draft_id: str,
        job_id: str | None = None,
        once: Idempotency[RenderJob] | None = None,
    ) -> RenderJob:
        """Cancel the draft's render `job_id` (default: its latest queued or running one); a
        running render's worker notices within about a second and stops ffmpeg. A job that
        already finished is returned as it is; RenderJobNotFound when the draft has no such
        job. Cancelling gives no render budget back."""
        self._writable()
        self._owned(caller, draft_id)
        return self.job_store().cancel_render_job(draft_id, job_id, self._clock(), once=once)

    def render_status(self, caller: Caller, draft_id: str, version: int | None = None) -> RenderJob:
        """The draft's render job for `version`, or its latest; RenderJobNotFound if none."""
        self._owned(caller, draft_id)
        return self.job_store().render_job(draft_id, version)

    def list_drafts_with_renders(
        self, caller: Caller, *, limit: int, offset: int, query: str | None
    ) -> list[tuple[DraftHeader, RenderJob | None]]:
        """A page of the caller's drafts, each with its latest render job (None without one, or
        when this store keeps no render jobs): two store reads however long the page."""
        headers = self._store.list_drafts(
            limit=limit, offset=offset, query=query, owner=caller.key_id
        )
        latest: dict[str, RenderJob] = {}
        if headers and isinstance(self._store, JobStore):
            latest = self._store.latest_render_jobs([header.id for header in headers])
        return [(header, latest.get(header.id)) for header in headers]

    def rendered_video(self, caller: Caller, draft_id: str, version: int) -> RenderJob:
        """The completed render of `version`, whose video is in the blob store (its
        `video_sha256` and `video_size` are set)."""
        job = self.render_status(caller, draft_id, version)
        if (
            job.status is not JobStatus.COMPLETED
            or job.video_sha256 is None
            or job.video_size is None
        ):
            raise NotFound(f"Version {version} of the draft has no rendered video yet")
        if not self._blobs.has(job.video_sha256):
            raise NotFound(
                "The rendered video is missing from the blob store; call gen_video again"
            )
        return job

    def video_range(self, job: RenderJob, start: int, end: int) -> Iterator[bytes]:
        """Bytes `start` to `end` (exclusive) of a job's rendered video (`rendered_video`)."""
        if job.video_sha256 is None:
            raise NotFound(f"Version {job.version} of the draft has no rendered video yet")
        return self._blobs.open_range(job.video_sha256, start, end)
