"""Render use cases (gen_video): queue a saved version for rendering to MP4, and follow it."""

from __future__ import annotations

from collections.abc import Callable

from draftsmith.errors import (
    InvalidInput,
    NotFound,
    RenderJobNotFound,
    RenderQuotaExceeded,
    Unavailable,
)
from draftsmith.security.caller import Caller
from draftsmith.service.policy import UseCases
from draftsmith.store.port import JobStore
from draftsmith.store.records import DraftHeader, JobStatus, RenderJob


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

    def list_drafts_with_renders(
        self, caller: Caller, *, limit: int, offset: int, query: str | None
    ) -> list[tuple[DraftHeader, RenderJob | None]]:
        """A page of the caller's drafts, each with its latest render job (None without one, or
        when this store keeps no render jobs): two store reads however long the page."""
        headers = self.store.list_drafts(
            limit=limit, offset=offset, query=query, owner=caller.key_id
        )
        latest: dict[str, RenderJob] = {}
        if headers and isinstance(self.store, JobStore):
            latest = self.store.latest_render_jobs([header.id for header in headers])
        return [(header, latest.get(header.id)) for header in headers]

    def rendered_video(self, caller: Caller, draft_id: str, version: int) -> RenderJob:
        """The completed render of `version`, whose video is in the blob store."""
        job = self.render_status(caller, draft_id, version)
        if job.status is not JobStatus.COMPLETED or job.video_sha256 is None:
            raise NotFound(f"Version {version} of the draft has no rendered video yet")
        return job
