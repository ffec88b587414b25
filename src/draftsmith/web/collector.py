"""Keeping Python's cyclic garbage collector from pausing the server for long.

A full collection scans every object the process holds. The server holds many that live long
(the drafts' tracks, their encodings and saved folders, in bounded caches), and under load the
collector scans them all every few seconds, each time for tens to hundreds of milliseconds with
every thread stopped, to find next to nothing: these objects are freed by reference counting
when a cache lets them go. So the objects that have lived through a while are frozen (moved
out of the collector's sight, `gc.freeze`) every FREEZE_SECONDS, and a full collection scans
only what came since. Once an hour everything is thawed and collected once, so that the odd
cycle of garbage frozen meanwhile is freed all the same.
"""

from __future__ import annotations

import gc
import threading
import time

FREEZE_SECONDS = 2.0
THAW_SECONDS = 3600.0


def pace_collections(
    freeze_seconds: float = FREEZE_SECONDS, thaw_seconds: float = THAW_SECONDS
) -> threading.Event:
    """Start freezing long-lived objects in the background; set the returned event to stop."""
    stop = threading.Event()

    def run() -> None:
        thawed_at = time.monotonic()
        while not stop.wait(freeze_seconds):
            if time.monotonic() - thawed_at >= thaw_seconds:
                gc.unfreeze()
                gc.collect()
                thawed_at = time.monotonic()
            # Garbage among the young is collected first: only survivors are frozen.
            gc.collect(1)
            gc.freeze()

    threading.Thread(target=run, name="gc-pacing", daemon=True).start()
    return stop
