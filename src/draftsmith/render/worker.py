"""Render workers: threads that take render jobs from the store, render them and keep the MP4.

The queue is the store (JobStore), so workers in the server process and in separate
`draftsmith worker` processes share it alike. A worker claims a job with a lease and renews it
from a heartbeat thread while ffmpeg runs; if the process dies, the lease runs out and another
worker takes the job again. On a clean stop, running renders are cancelled and their jobs put
back in the queue.

A worker's id is `host:pid:pool:index`. At start-up a pool takes back at once the jobs still
held by workers of this host whose process is gone (the server was killed and restarted),
rather than waiting for their leases to run out.
"""

from __future__ import annotations

import hashlib
import logging
import os
import secrets
import shutil
import socket
import tempfile
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from draftsmith.blobs.materialise import local_media
from draftsmith.blobs.port import BlobStore
from draftsmith.config import Settings
from draftsmith.errors import DraftsmithError, RenderCancelled, Unavailable
from draftsmith.metrics import Metrics
from draftsmith.render.planner import EncoderSettings
from draftsmith.render.report import RenderReport
from draftsmith.render.runner import Cancellation, render_draft, sticker_pictures
from draftsmith.store.port import DraftStore, JobStore
from draftsmith.store.records import RenderJob

log = logging.getLogger("draftsmith.render")

PROGRESS_SECONDS = 0.5
"""Progress is written at most this often, so polling clients see it move smoothly."""
_LIVE_POOLS: set[str] = set()
"""Pools running in this process, so a second pool does not mistake the first's jobs for stale."""


def _now_us() -> int:
    return time.time_ns() // 1000


@dataclass(frozen=True)
class WorkerSettings:
    workers: int = 1
    lease_seconds: float = 30.0
    max_attempts: int = 3
    poll_seconds: float = 0.5
    encoder: EncoderSettings = field(default_factory=EncoderSettings)
    time_factor: float = 10.0
    min_time_seconds: float = 60.0
    sticker_images: Path | None = None

    @classmethod
    def from_settings(cls, settings: Settings) -> WorkerSettings:
        return cls(
            workers=settings.render_workers,
            lease_seconds=settings.render_lease_seconds,
            max_attempts=settings.render_max_attempts,
            encoder=EncoderSettings(preset=settings.render_preset),
            time_factor=settings.render_time_factor,
            min_time_seconds=settings.render_min_time_seconds,
            sticker_images=settings.render_sticker_images,
        )

    def time_limit(self, duration_us: int) -> float:
        """Seconds ffmpeg may run for a draft of this length before it is stopped."""
        return max(self.min_time_seconds, self.time_factor * duration_us / 1_000_000)

    @property
    def lease_us(self) -> int:
        return int(self.lease_seconds * 1_000_000)

    @property
    def heartbeat_seconds(self) -> float:
        """How often the lease is renewed when progress does not move: well within it, and
        often enough that a cancelled job (whose renewal is refused) stops within a second."""
        return max(PROGRESS_SECONDS, min(1.0, self.lease_seconds / 4))


@dataclass(frozen=True)
class _Video:
    sha256: str
    size: int


class _Heartbeat:
    """Writes a running job's progress and renews its lease from a thread of its own, so the
    lease stays held while ffmpeg is silent; cancels the render once the job is not ours."""

    def __init__(
        self,
        jobs: JobStore,
        job: RenderJob,
        worker_id: str,
        cancel: Cancellation,
        settings: WorkerSettings,
        clock: Callable[[], int],
    ) -> None:
        self._jobs = jobs
        self._job = job
        self._worker_id = worker_id
        self._cancel = cancel
        self._settings = settings
        self._clock = clock
        self._percent = 0
        self._done = threading.Event()
        self._thread = threading.Thread(
            target=self._beat, name=f"{worker_id}-heartbeat", daemon=True
        )

    def report(self, percent: int) -> None:
        # 100 is for a job whose video is stored, which completing it records.
        self._percent = min(percent, 99)

    def __enter__(self) -> _Heartbeat:
        self._thread.start()
        return self

    def __exit__(self, *exc_info: object) -> None:
        self._done.set()
        self._thread.join()

    def _beat(self) -> None:
        written, renewed = 0, time.monotonic()
        while not self._done.wait(PROGRESS_SECONDS):
            percent = self._percent
            if percent == written and time.monotonic() - renewed < self._settings.heartbeat_seconds:
                continue
            try:
                held = self._jobs.update_render_progress(
                    self._job.id, self._worker_id, percent, self._clock(), self._settings.lease_us
                )
            except DraftsmithError as exc:
                log.warning("render job %s: progress not recorded: %s", self._job.id, exc.detail)
                continue
            if not held:
                log.warning(
                    "render job %s is no longer held by %s (cancelled, or taken by another "
                    "worker); stopping",
                    self._job.id,
                    self._worker_id,
                )
                self._cancel.cancel()
                return
            written, renewed = percent, time.monotonic()


def _owner_is_gone(worker_id: str, host: str) -> bool:
    """Whether a worker id names a worker of this host whose process no longer runs it."""
    parts = worker_id.rsplit(":", 3)
    if len(parts) != 4 or parts[0] != host or not parts[1].isdigit():
        return False
    pid, pool = int(parts[1]), parts[2]
    if pid == os.getpid():
        return pool not in _LIVE_POOLS
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    except PermissionError:
        return False
    return False


def work_dir_prefix(job_id: str, worker_id: str) -> str:
    """How the work directory of one attempt at a job starts: the job and (hashed, as worker
    ids hold characters some filesystems refuse) the worker that claimed it."""
    worker = hashlib.sha256(worker_id.encode()).hexdigest()[:12]
    return f"render-{job_id}-{worker}-"


def _owns(job: RenderJob, name: str) -> bool:
    """Whether the work directory `name` is that of `job`'s current attempt; a name from
    before the worker was part of it (`render-<12 characters of the id>-`) counts as the job's."""
    if job.worker_id is not None and name.startswith(work_dir_prefix(job.id, job.worker_id)):
        return True
    old = name.removeprefix("render-").split("-", 1)
    return len(old[0]) == 12 and job.id.startswith(old[0])


class RenderWorkers:
    """A pool of render worker threads; `start()` it, `wake()` it when a job is queued."""

    def __init__(
        self,
        store: DraftStore,
        jobs: JobStore,
        blobs: BlobStore,
        settings: WorkerSettings,
        clock: Callable[[], int] = _now_us,
        metrics: Metrics | None = None,
    ) -> None:
        self._store = store
        self._metrics = metrics if metrics is not None else Metrics()
        self._jobs = jobs
        self._blobs = blobs
        self._settings = settings
        self._clock = clock
        self._pool = secrets.token_hex(4)
        self._host = socket.gethostname()
        self._wake = threading.Event()
        self._stopping = threading.Event()
        self._lock = threading.Lock()
        self._running: dict[str, Cancellation] = {}
        self._threads: list[threading.Thread] = []

    def worker_id(self, index: int) -> str:
        return f"{self._host}:{os.getpid()}:{self._pool}:{index}"

    def start(self) -> None:
        _LIVE_POOLS.add(self._pool)
        self._take_back_stale_jobs()
        self._remove_orphaned_work_dirs()
        for index in range(self._settings.workers):
            # Daemon threads: a process that dies without stopping the pool must still exit;
            # its jobs are taken again when their leases run out.
            thread = threading.Thread(
                target=self._loop,
                args=(self.worker_id(index),),
                name=f"render-worker-{index}",
                daemon=True,
            )
            thread.start()
            self._threads.append(thread)
        log.info("%d render worker(s) started", self._settings.workers)

    def wake(self) -> None:
        self._wake.set()

    def health(self) -> str:
        """How many worker threads run (for /readyz); Unavailable when one has stopped."""
        wanted = self._settings.workers
        alive = sum(thread.is_alive() for thread in self._threads)
        if alive < wanted and not self._stopping.is_set():
            raise Unavailable(f"Service unavailable: {alive} of {wanted} render workers running")
        return f"{alive} of {wanted} running"

    def stop(self, timeout: float = 20.0) -> None:
        """Cancel running renders (their jobs go back to the queue) and end the threads."""
        self._stopping.set()
        self._wake.set()
        with self._lock:
            for cancel in self._running.values():
                cancel.cancel()
        deadline = time.monotonic() + timeout
        for thread in self._threads:
            thread.join(max(0.0, deadline - time.monotonic()))
        _LIVE_POOLS.discard(self._pool)

    def _take_back_stale_jobs(self) -> None:
        try:
            for job in self._jobs.processing_render_jobs():
                held_by = job.worker_id or ""
                if _owner_is_gone(held_by, self._host) and self._jobs.expire_render_lease(
                    job.id, held_by
                ):
                    log.info(
                        "render job %s: its worker %s is gone; taking it back", job.id, held_by
                    )
        except DraftsmithError as exc:
            log.warning("could not look for stale render jobs: %s", exc.detail)

    def _remove_orphaned_work_dirs(self) -> None:
        """Delete the work directories of renders cut short by a crash (kill -9).

        Several processes may share the scratch directory, so a directory is kept while its
        job is processing, under the worker named in its name, on a lease that has not run
        out: that render may be running in another process. The directories are listed before
        the jobs are read, so a render claimed meanwhile is seen with its claim.
        """
        try:
            found = [path for path in self._blobs.scratch_dir().glob("render-*") if path.is_dir()]
            if not found:
                return
            now = self._clock()
            live = [
                job
                for job in self._jobs.processing_render_jobs()
                if job.lease_until_us is not None and job.lease_until_us > now
            ]
        except (DraftsmithError, OSError) as exc:
            detail = exc.detail if isinstance(exc, DraftsmithError) else str(exc)
            log.warning("could not look for orphaned render work directories: %s", detail)
            return
        for path in found:
            if not any(_owns(job, path.name) for job in live):
                log.info("removing %s, left by a render that is no longer running", path.name)
                shutil.rmtree(path, ignore_errors=True)

    def _loop(self, worker_id: str) -> None:
        settings = self._settings
        while not self._stopping.is_set():
            try:
                job = self._jobs.claim_render_job(
                    worker_id, self._clock(), settings.lease_us, settings.max_attempts
                )
            except DraftsmithError as exc:
                log.warning("%s: cannot claim render jobs: %s", worker_id, exc.detail)
                self._stopping.wait(max(1.0, settings.poll_seconds))
                continue
            if job is None:
                self._wake.wait(settings.poll_seconds)
                self._wake.clear()
                continue
            self._run(job, worker_id)

    def _run(self, job: RenderJob, worker_id: str) -> None:
        cancel = Cancellation()
        with self._lock:
            self._running[worker_id] = cancel
            if self._stopping.is_set():
                cancel.cancel()
        log.info("%s: rendering %s v%d (job %s)", worker_id, job.draft_id, job.version, job.id)
        try:
            self._settle(job, worker_id, cancel)
        except DraftsmithError as exc:
            log.error("render job %s: outcome not recorded (%s); retried later", job.id, exc.detail)
        finally:
            with self._lock:
                self._running.pop(worker_id, None)

    def _settle(self, job: RenderJob, worker_id: str, cancel: Cancellation) -> None:
        started = time.monotonic()
        outcome = "interrupted"
        try:
            outcome = self._settle_timed(job, worker_id, cancel)
        finally:
            self._metrics.render_seconds.labels(outcome).observe(time.monotonic() - started)

    def _settle_timed(self, job: RenderJob, worker_id: str, cancel: Cancellation) -> str:
        """Render the job and record how it ended: "completed", "failed" or "cancelled"."""
        try:
            video = self._render(job, worker_id, cancel)
        except RenderCancelled:
            if self._stopping.is_set() and self._jobs.release_render_job(job.id, worker_id):
                log.info("render job %s: stopped; back in the queue", job.id)
            return "cancelled"
        except Unavailable:
            raise
        except (DraftsmithError, OSError) as exc:
            detail = exc.detail if isinstance(exc, DraftsmithError) else str(exc)
            log.warning("render job %s failed: %s", job.id, detail)
            self._jobs.fail_render_job(job.id, worker_id, detail, self._clock())
            return "failed"
        except Exception as exc:
            # A bug must fail its job with a reason, not end the worker thread and leave the
            # job to be retried until it "gave up" for the wrong reason.
            log.exception("render job %s failed unexpectedly", job.id)
            detail = f"Video rendering failed: {type(exc).__name__}: {exc}"
            self._jobs.fail_render_job(job.id, worker_id, detail, self._clock())
            return "failed"
        if self._jobs.complete_render_job(
            job.id, worker_id, video.sha256, video.size, self._clock()
        ):
            log.info("render job %s completed (%d bytes)", job.id, video.size)
        return "completed"

    def _keep_report(self, job: RenderJob, worker_id: str, report: RenderReport) -> None:
        """Store what the render draws, so gen_video_status answers with it from now on."""
        try:
            self._jobs.record_render_report(job.id, worker_id, report.dumps())
        except DraftsmithError as exc:
            log.warning("render job %s: report not recorded: %s", job.id, exc.detail)

    def _render(self, job: RenderJob, worker_id: str, cancel: Cancellation) -> _Video:
        work = Path(
            tempfile.mkdtemp(
                prefix=work_dir_prefix(job.id, worker_id), dir=self._blobs.scratch_dir()
            )
        )
        try:
            with _Heartbeat(
                self._jobs, job, worker_id, cancel, self._settings, self._clock
            ) as beat:
                draft = self._store.version_snapshot(job.draft_id, job.version)
                media = local_media(draft, self._blobs, work / "media")
                output = render_draft(
                    draft,
                    media,
                    work / "video.mp4",
                    progress=beat.report,
                    settings=self._settings.encoder,
                    cancel=cancel,
                    time_limit=self._settings.time_limit(draft.duration),
                    planned=lambda report: self._keep_report(job, worker_id, report),
                    stickers=sticker_pictures(draft, self._settings.sticker_images),
                )
                with output.open("rb") as handle:
                    sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
                size = output.stat().st_size
                self._blobs.put_file(output, sha256)
            return _Video(sha256, size)
        finally:
            shutil.rmtree(work, ignore_errors=True)
