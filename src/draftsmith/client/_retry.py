"""When to try a request again, and how long to wait first. No I/O here.

Only failures that may pass on their own are retried: 500 (a write failed), 503 (maintenance,
store unreachable, shutting down), 429 (frequency control), 409 `request_in_progress` (another
request with the same idempotency key is being applied) and not reaching the server at all.
Every other 4xx is the caller's mistake and is raised at once. Waits grow exponentially with
full jitter (a uniform pick in [0, min(cap, base * 2**n)]) so that many clients do not retry in
step, and never undercut the server's Retry-After.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime

from draftsmith.errors import DraftsmithError, QuotaExceeded, RequestInProgress, Unavailable

RETRY_STATUSES = frozenset({429, 500, 503})


class ServerUnreachable(Unavailable):
    """No HTTP answer at all: connection refused or reset, DNS failure, timeout."""

    code = "server_unreachable"
    default_detail = "Server unreachable"

    def __init__(self, detail: str | None = None) -> None:
        super().__init__(detail)
        # Nothing told us when to come back: plain backoff decides.
        self.retry_after = None


def is_retryable(error: DraftsmithError) -> bool:
    """True for failures that may pass if the same request is sent again later.

    A quota without Retry-After (too many drafts for one API key) waits for the caller to
    act, not for time to pass, so it is not retried although it is a 429.
    """
    if isinstance(error, QuotaExceeded) and error.retry_after is None:
        return False
    if isinstance(error, ServerUnreachable | RequestInProgress):
        return True
    return error.status in RETRY_STATUSES


def parse_retry_after(value: str | None, now: datetime | None = None) -> int | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date."""
    if value is None or not value.strip():
        return None
    text = value.strip()
    if text.isdigit():
        return int(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    seconds = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0, round(seconds))


@dataclass(frozen=True)
class RetryNotice:
    """Sent to `on_retry` before each wait: which attempt failed, why, and the wait."""

    verb: str
    attempt: int
    error: DraftsmithError
    delay: float


@dataclass(frozen=True)
class RetryPolicy:
    """How retried calls back off.

    `retries` is the default number of retries after the first attempt, `base` and `cap` bound
    the exponential backoff in seconds, and `max_wait` caps any single wait, even one the
    server's Retry-After asks for (the maintenance mode asks for 30 s). `jitter` returns a
    number in [0, 1); replace it to make waits predictable.
    """

    retries: int = 3
    base: float = 0.5
    cap: float = 8.0
    max_wait: float = 30.0
    jitter: Callable[[], float] = field(default=random.random, compare=False)

    def delay(self, retry: int, retry_after: float | None) -> float:
        """Seconds to wait before retry number `retry` (0 for the first retry)."""
        ceiling = min(self.cap, self.base * 2.0**retry)
        wait = self.jitter() * ceiling
        if retry_after is not None:
            wait = max(wait, float(retry_after))
        return min(wait, self.max_wait)

    def attempts(
        self,
        verb: str,
        retries: int | None,
        on_retry: Callable[[RetryNotice], None] | None = None,
    ) -> Attempts:
        """A fresh attempt counter for one call; `retries` None means the policy's default."""
        return Attempts(self, verb, self.retries if retries is None else retries, on_retry)


class Attempts:
    """The retry state of one call; the sync and async clients drive it the same way.

    After a failed attempt, `next_delay(error)` says how long to wait before the next one, or
    None when the error must be raised: it is not worth retrying, or retries are used up.
    """

    def __init__(
        self,
        policy: RetryPolicy,
        verb: str,
        retries: int,
        on_retry: Callable[[RetryNotice], None] | None,
    ) -> None:
        self.policy = policy
        self.verb = verb
        self.retries = max(0, retries)
        self.on_retry = on_retry
        self.failed = 0

    def next_delay(self, error: DraftsmithError) -> float | None:
        self.failed += 1
        if not is_retryable(error) or self.failed > self.retries:
            return None
        delay = self.policy.delay(self.failed - 1, error.retry_after)
        if self.on_retry is not None:
            self.on_retry(RetryNotice(self.verb, self.failed, error, delay))
        return delay
