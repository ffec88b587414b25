"""Turns taken in arrival order, by threads: at most `count` hold one at a time.

The server's request work runs in worker threads under `Turns` (web/threads.py): Python runs one
thread at a time, and forty threads that all have work trade the interpreter lock every few
milliseconds, so each request is slowed by all the others and the unluckiest wait seconds. A
few turns, taken in arrival order, keep the work first come, first served; a thread about to
wait a long time for something else (a media download) steps `away` and lets the next one in.
The SQLite store queues its writers on a turn of one (store/sqlite.py).
"""

from __future__ import annotations

import threading
from collections import deque
from collections.abc import Iterator
from contextlib import contextmanager


class Turns:
    """At most `count` holders at once; the others wait, and are let in, in arrival order."""

    def __init__(self, count: int) -> None:
        if count < 1:
            raise ValueError("turns: count must be at least 1")
        self._lock = threading.Lock()
        self._free = count
        self._waiting: deque[threading.Lock] = deque()
        self._holding = threading.local()

    def acquire(self) -> None:
        with self._lock:
            if self._free and not self._waiting:
                self._free -= 1
                self._holding.turn = True
                return
            turn = threading.Lock()
            turn.acquire()
            self._waiting.append(turn)
        turn.acquire()  # released by a holder leaving, which hands its turn over
        self._holding.turn = True

    def release(self) -> None:
        self._holding.turn = False
        with self._lock:
            if self._waiting:
                self._waiting.popleft().release()
            else:
                self._free += 1

    def __enter__(self) -> None:
        self.acquire()

    def __exit__(self, *_: object) -> None:
        self.release()

    @contextmanager
    def away(self) -> Iterator[None]:
        """Give this thread's turn up while the block runs (a long wait) and take one again,
        behind those who came meanwhile; nothing when this thread holds no turn."""
        if not getattr(self._holding, "turn", False):
            yield
            return
        self.release()
        try:
            yield
        finally:
            self.acquire()
