"""Garbage collection in the server, every DRAFTSMITH_GC_INTERVAL_SECONDS (off by default):
one thread that runs a collection, then sleeps, until the server stops."""

from __future__ import annotations

import logging
import threading
from collections.abc import Callable

log = logging.getLogger("draftsmith.gc")


class Periodic:
    """Calls `run` every `interval_seconds` on a thread of its own, from `start()` to `stop()`;
    a failed run is logged and the next one happens on time."""

    def __init__(self, name: str, run: Callable[[], object], interval_seconds: float) -> None:
        self._name = name
        self._run = run
        self._interval = interval_seconds
        self._stopping = threading.Event()
        self._thread: threading.Thread | None = None

    def start(self) -> None:
        self._thread = threading.Thread(target=self._loop, name=self._name, daemon=True)
        self._thread.start()

    def stop(self, timeout: float = 30.0) -> None:
        self._stopping.set()
        if self._thread is not None:
            self._thread.join(timeout)

    def _loop(self) -> None:
        while not self._stopping.wait(self._interval):
            try:
                self._run()
            except Exception:
                log.exception("%s failed; trying again in %g s", self._name, self._interval)
