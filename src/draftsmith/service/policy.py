"""The service's knobs from settings, and the checks every use case makes before it acts:
writable (not in maintenance, not shutting down), visible to the caller, within the limits.

`UseCases` holds what every group of use cases shares: the adapters, the policy and the
clock. `Drafts` (drafts.py) is made of these groups.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass

from draftsmith.blobs.port import BlobStore
from draftsmith.capcut.profiles import Profile, profile_named
from draftsmith.catalogue.operator import NO_OPERATOR_CATALOGUE, OperatorCatalogue
from draftsmith.errors import DraftNotFound, InvalidInput, LimitExceeded, Unavailable
from draftsmith.media.library import MediaLibrary
from draftsmith.ratelimit import RateLimiter
from draftsmith.security.caller import Caller
from draftsmith.service.requests import CaptionRequest
from draftsmith.store.port import DraftStore
from draftsmith.store.records import DraftHeader
from draftsmith.timeline.ids import new_object_id

MAINTENANCE_RETRY_AFTER = 30


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
        save_limits: Sequence[tuple[str, RateLimiter]] = (),
        clock: Callable[[], int] = now_us,
        new_id: Callable[[], str] = new_object_id,
        operator_catalogue: OperatorCatalogue = NO_OPERATOR_CATALOGUE,
    ) -> None:
        self.store = store
        self.blobs = blobs
        self.operator_catalogue = operator_catalogue
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
