"""Frequency control: a token bucket per key (a client address, a draft id), kept in this
process (`RateLimiter`) or in the store, shared by every process on it (`SharedRateLimiter`)."""

from __future__ import annotations

import math
import threading
import time
from collections.abc import Callable
from typing import Protocol

from draftsmith.errors import RateLimited
from draftsmith.store.port import UpkeepStore


class Limiter(Protocol):
    def take(self, key: str) -> None:
        """Spend one token for `key` or raise RateLimited with the seconds until the next one."""
        ...


class RateLimiter:
    """Allows `rate` calls per second per key with bursts up to `burst`; rate 0 disables it."""

    def __init__(
        self, rate: float, burst: int, clock: Callable[[], float] = time.monotonic
    ) -> None:
        self._rate = rate
        self._burst = float(burst)
        self._clock = clock
        self._buckets: dict[str, tuple[float, float]] = {}
        self._lock = threading.Lock()

    def take(self, key: str) -> None:
        """Spend one token for `key` or raise RateLimited with the seconds until the next one."""
        if self._rate <= 0:
            return
        now = self._clock()
        with self._lock:
            tokens, last = self._buckets.get(key, (self._burst, now))
            tokens = min(self._burst, tokens + (now - last) * self._rate)
            if tokens < 1.0:
                self._buckets[key] = (tokens, now)
                wait = math.ceil((1.0 - tokens) / self._rate)
                raise RateLimited(retry_after=max(1, wait))
            self._buckets[key] = (tokens - 1.0, now)
            if len(self._buckets) > 100_000:
                self._forget_full(now)

    def _forget_full(self, now: float) -> None:
        full_after = self._burst / self._rate
        for key, (_, last) in list(self._buckets.items()):
            if now - last > full_after:
                del self._buckets[key]


FORGET_EVERY_US = 60 * 1_000_000
"""How often a shared limiter deletes the buckets that have filled up again."""


def _now_us() -> int:
    return time.time_ns() // 1000


class SharedRateLimiter:
    """`RateLimiter` with its buckets in the store (`UpkeepStore.take_token`): with several
    server processes on one PostgreSQL database, a key's limit holds in total, not per
    process. Keys are namespaced by their scope ("draft:...", "client:...")."""

    def __init__(
        self,
        store: UpkeepStore,
        scope: str,
        rate: float,
        burst: int,
        clock: Callable[[], int] = _now_us,
    ) -> None:
        self._store = store
        self._prefix = f"{scope}:"
        self._rate = rate
        self._burst = burst
        self._clock = clock
        self._forgotten_at = clock()

    def take(self, key: str) -> None:
        if self._rate <= 0:
            return
        now = self._clock()
        wait = self._store.take_token(key, self._rate, self._burst, now)
        if now - self._forgotten_at > FORGET_EVERY_US:
            self._forgotten_at = now
            # A bucket untouched for burst / rate seconds is full again: no different from none.
            full_after_us = math.ceil(self._burst / self._rate * 1_000_000)
            self._store.forget_rate_buckets(self._prefix, now - full_after_us)
        if wait:
            raise RateLimited(retry_after=wait)
