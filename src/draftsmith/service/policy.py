"""The service's knobs from settings, and the checks every use case makes before it acts:
writable (not in maintenance, not shutting down), visible to the caller, within the limits.

`UseCases` holds what every group of use cases shares: the adapters, the policy and the
clock. `Drafts` (drafts.py) is made of these groups.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from typing import TypeVar

from draftsmith.blobs.port import BlobStore
from draftsmith.capcut.encode import FragmentCache
from draftsmith.capcut.profiles import Profile, profile_named
from draftsmith.catalogue.operator import NO_OPERATOR_CATALOGUE, OperatorCatalogue
from draftsmith.chunks import Run
from draftsmith.errors import Conflict, DraftNotFound, InvalidInput, LimitExceeded, Unavailable
from draftsmith.media.library import MediaLibrary
from draftsmith.metrics import Metrics
from draftsmith.ratelimit import Limiter
from draftsmith.security.caller import Caller
from draftsmith.service.folder_trees import FolderTrees
from draftsmith.service.requests import CaptionRequest
from draftsmith.store.codec import track_run
from draftsmith.store.idempotency import Idempotency
from draftsmith.store.port import DraftStore
from draftsmith.store.records import DraftHeader
from draftsmith.timeline.ids import new_object_id
from draftsmith.timeline.model import Draft, Track

MAINTENANCE_RETRY_AFTER = 30
EDIT_ATTEMPTS = 5
"""Edits of existing tracks retry this often when another edit lands in between."""
Made = TypeVar("Made")


def now_us() -> int:
    return time.time_ns() // 1000


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
    render_max_us: int = 2 * 3600 * 1_000_000
    render_max_width: int = 4096
    render_max_height: int = 4096
    render_max_pixels: int = 4096 * 4096
    render_budget_us: int = 4 * 3600 * 1_000_000
    """Draft time one caller (an API key; with keys off, everyone) may queue per hour; 0: any."""
    idempotency_keep_us: int = 24 * 3600 * 1_000_000
    """How long an idempotency key answers its first request's response."""


def _paired_with(made: Made) -> Callable[[DraftHeader], tuple[DraftHeader, Made]]:
    return lambda header: (header, made)


def editor_profile(name: str) -> Profile:
    """The profile called `name`; InvalidInput naming the known ones if there is none."""
    try:
        return profile_named(name)
    except ValueError as exc:
        raise InvalidInput(f"profile: {exc}") from exc


class UseCases:
    """The adapters, policy and clock the use cases share, and the checks they all make."""

    def __init__(
        self,
        store: DraftStore,
        blobs: BlobStore,
        media: MediaLibrary,
        policy: Policy,
        save_limits: Sequence[tuple[str, Limiter]] = (),
        clock: Callable[[], int] = now_us,
        new_id: Callable[[], str] = new_object_id,
        operator_catalogue: OperatorCatalogue = NO_OPERATOR_CATALOGUE,
        fragments: FragmentCache | None = None,
        metrics: Metrics | None = None,
        track_runs: Callable[[Track], Run] = track_run,
    ) -> None:
        """`fragments`: the folder encoder's cache, which hits only when `store` hands back
        unchanged tracks as the same objects (see bootstrap.build_drafts); `track_runs`: a
        track's stored form as a run of a snapshot (the store's `TrackCache.run`)."""
        self._store = store
        self._blobs = blobs
        self._metrics = metrics if metrics is not None else Metrics()
        self._fragments = fragments
        self._folders = FolderTrees(store, fragments, track_runs)
        self.operator_catalogue = operator_catalogue
        self._media = media
        self._policy = policy
        self._save_limits = save_limits
        self._clock = clock
        self._new_id = new_id
        self._closing = False
        self._render_listeners: list[Callable[[], None]] = []

    @property
    def local_reads(self) -> bool:
        """Whether the store reads from a file on this machine: a one-row read may then run
        where a worker thread would cost more (see DraftStore.local_reads)."""
        return self._store.local_reads

    def begin_shutdown(self) -> None:
        """Refuse new writes from now on; writes already running finish."""
        self._closing = True

    def close(self) -> None:
        """Close the store's connections; the service is not used after this."""
        self._store.close()

    def _writable(self) -> None:
        if self._policy.maintenance or self._closing:
            raise Unavailable(retry_after=MAINTENANCE_RETRY_AFTER)

    def _owned(self, caller: Caller, draft_id: str) -> DraftHeader:
        """The draft's header, if `caller` may see the draft; DraftNotFound otherwise.

        Every use case that names a draft goes through here (or `load`): a draft of another
        API key answers exactly as a draft that does not exist, so ids cannot be probed.
        """
        return self._visible(caller, self._store.header(draft_id))

    @staticmethod
    def _visible(caller: Caller, header: DraftHeader) -> DraftHeader:
        if not caller.may_access(header.owner):
            raise DraftNotFound()
        return header

    def _edit_tracks(
        self,
        caller: Caller,
        draft_id: str,
        change: Callable[[Draft], tuple[tuple[Track, ...], Made]],
        once: Idempotency[tuple[DraftHeader, Made]] | None = None,
    ) -> tuple[DraftHeader, Made]:
        """Replace the draft's tracks with those `change` makes from the draft as it is now,
        and hand back what else it made. When another edit lands in between, the draft is read
        and changed again, up to EDIT_ATTEMPTS times in all; Conflict after that."""
        attempts_left = EDIT_ATTEMPTS
        while True:
            self._owned(caller, draft_id)
            header, draft = self._store.load(draft_id)
            tracks, made = change(draft)
            try:
                header = self._store.replace_tracks(
                    draft_id,
                    tracks,
                    header.revision,
                    self._clock(),
                    once=None if once is None else once.after(_paired_with(made)),
                )
            except Conflict:
                attempts_left -= 1
                if attempts_left == 0:
                    raise
                continue
            self._metrics.edits.labels("changed").inc()
            return header, made

    def _stack(
        self, draft_id: str, track: Track, once: Idempotency[DraftHeader] | None = None
    ) -> DraftHeader:
        """Stack `track` on top of the draft: the edit of every add_* verb."""
        header = self._store.append_track(draft_id, track, self._clock(), once=once)
        self._metrics.edits.labels("stacked").inc()
        return header

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
