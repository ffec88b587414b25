"""How the SQLite store's writers share the one write lock SQLite has, without a long tail.

SQLite lets one transaction write at a time; a writer that finds the lock taken waits in
SQLite's busy handler, which sleeps and polls with growing sleeps (up to 100 ms each). Under
load a writer can poll for seconds while others, luckier, keep taking the lock. So writers of
one process queue first, in arrival order (a `Turns` of one, turns.py), and reach SQLite one
at a time: the lock is free when they ask for it. Other processes on the same file (the CLI's
commands) still meet the busy handler.

Committing in WAL mode appends to the log; SQLite copies the log back into the database (a
checkpoint) in whichever commit crosses the threshold, which would make that writer, and
everyone queued behind it, wait for the copy and its fsync. A `Checkpointer` thread does the
copying instead, beside the writers: a passive checkpoint takes no lock writers need.
"""

from __future__ import annotations

import sqlite3
import threading
from collections.abc import Callable
from pathlib import Path

CHECKPOINT_EVERY_BYTES = 4 * 1024 * 1024
"""The log is copied back once it holds this much."""
CHECKPOINT_POLL_SECONDS = 0.2


class Checkpointer:
    """A thread that copies the write-ahead log back into the database once it has grown,
    on a connection of its own; `stop` ends it."""

    def __init__(self, path: Path, connect: Callable[[], sqlite3.Connection]) -> None:
        self._wal = path.with_name(path.name + "-wal")
        self._connect = connect
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, name="sqlite-checkpoint", daemon=True)
        self._thread.start()

    def _run(self) -> None:
        db: sqlite3.Connection | None = None
        try:
            while not self._stop.wait(CHECKPOINT_POLL_SECONDS):
                try:
                    if self._wal.stat().st_size < CHECKPOINT_EVERY_BYTES:
                        continue
                    if db is None:
                        db = self._connect()
                    db.execute("PRAGMA wal_checkpoint(PASSIVE)").fetchone()
                except (OSError, sqlite3.Error):
                    # A busy or missing database now is tried again at the next poll.
                    continue
        finally:
            if db is not None:
                db.close()

    def stop(self) -> None:
        self._stop.set()
        if self._thread is not threading.current_thread():
            self._thread.join(timeout=5)
