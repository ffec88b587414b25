"""What the store hands back: draft headers, saved versions and their files, render jobs and
API keys. The JSON form tracks and drafts are kept in is store/codec.py.
"""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum

from draftsmith.timeline.model import DEFAULT_PROFILE_NAME, Canvas, Draft, Track


@dataclass(frozen=True)
class DraftHeader:
    """A draft's identity and save status, without its tracks."""

    id: str
    name: str
    canvas: Canvas
    created_at_us: int
    updated_at_us: int
    revision: int
    saved_version: int
    saved_revision: int
    saved_at_us: int | None
    segment_count: int
    duration_us: int
    owner: str | None = None
    """Id of the API key that created the draft; None when it was made with keys off."""
    profile: str = DEFAULT_PROFILE_NAME
    """The editor profile its saved folders are written for (`Draft.profile`)."""

    def draft(self, tracks: tuple[Track, ...]) -> Draft:
        """The draft of this header that holds `tracks`."""
        return Draft(
            id=self.id,
            name=self.name,
            canvas=self.canvas,
            created_at_us=self.created_at_us,
            tracks=tracks,
            profile=self.profile,
        )

    @property
    def unsaved_changes(self) -> bool:
        return self.revision != self.saved_revision

    @property
    def saved_as(self) -> VersionRef | None:
        """The version that saved the draft as it stands (its newest), if one did."""
        if self.saved_version and not self.unsaved_changes:
            return VersionRef(self.id, self.saved_version, self.saved_revision)
        return None


@dataclass(frozen=True)
class TracksSince:
    """A draft's header, how many tracks it has, and the tracks written after a revision, by
    position in order (`DraftStore.tracks_since`): read together, so they agree."""

    header: DraftHeader
    count: int
    written: tuple[tuple[int, Track], ...]


@dataclass(frozen=True)
class ApiKeyRecord:
    """A stored API key: only the SHA-256 of the key is kept, never the key."""

    id: str
    name: str
    hash: str
    created_at_us: int
    revoked_at_us: int | None = None

    @property
    def revoked(self) -> bool:
        return self.revoked_at_us is not None


@dataclass(frozen=True)
class FileEntry:
    """One file of a saved draft folder: where it goes, and the SHA-256 that names its bytes.

    The bytes are the blob of that name in the blob store (`sha256` is then the SHA-256 of the
    bytes), or, when `in_store`, kept by the draft store with the version: the JSON files a
    save writes are committed in the same transaction as the version that lists them, in
    chunks, and `sha256` is `draftsmith.chunks.digest` of those (files saved before chunks
    kept the SHA-256 of their bytes).
    """

    path: str
    sha256: str
    size: int
    in_store: bool = False


@dataclass(frozen=True)
class VersionRef:
    """A saved version by its number, and the draft revision it holds."""

    draft_id: str
    version: int
    revision: int


@dataclass(frozen=True)
class VersionRecord(VersionRef):
    created_at_us: int
    label: str | None
    files: tuple[FileEntry, ...]
    segment_count: int
    duration_us: int


@dataclass(frozen=True)
class SaveOutcome:
    """What a save did: the version now published, and whether this call created it."""

    version: VersionRef
    created: bool


class JobStatus(StrEnum):
    PENDING = "pending"
    PROCESSING = "processing"
    COMPLETED = "completed"
    FAILED = "failed"
    CANCELLED = "cancelled"
    """Stopped by cancel_render; gen_video queues it again from scratch, as a failed one."""


RENDER_BUDGET_WINDOW_US = 3600 * 1_000_000
"""Render budgets count what was queued within this long (an hour)."""


@dataclass(frozen=True)
class RenderCharge:
    """What queueing one render costs, and whom.

    `duration_us` (the draft's length) is charged to `payer`: the API key id of the caller, or
    None for everyone calling with keys off. While `budget_us` > 0, a payer whose charges of the
    last hour plus this one pass it queues nothing (RenderBudgetExceeded).
    """

    payer: str | None
    duration_us: int
    budget_us: int = 0


@dataclass(frozen=True)
class RenderJob:
    """One render of a saved version to MP4 (gen_video); at most one per draft and version.

    A worker holds a processing job until `lease_until_us`; its progress reports renew the
    lease, and a job whose lease ran out is claimed again by any worker.
    """

    id: str
    draft_id: str
    version: int
    owner: str | None
    status: JobStatus
    progress: int
    attempts: int
    error_message: str | None
    video_sha256: str | None
    video_size: int | None
    created_at_us: int
    started_at_us: int | None
    completed_at_us: int | None
    lease_until_us: int | None
    worker_id: str | None
    report: str | None = None
    """What the render draws of the draft (render/report.py's JSON), once it is planned."""

    @property
    def active(self) -> bool:
        return self.status in (JobStatus.PENDING, JobStatus.PROCESSING)
