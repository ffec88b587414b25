"""The SQLite store's connection for the thread that runs the event loop (where one-row reads
run, `DraftStore.local_reads`) waits only briefly for another connection's lock: while it
waits, no request of the process is answered. Other threads wait as long as before."""

from __future__ import annotations

import asyncio
import threading
from pathlib import Path

from draftsmith.store.sqlite import BUSY_SECONDS, EVENT_LOOP_BUSY_SECONDS, SqliteDraftStore


def busy_timeout_ms(store: SqliteDraftStore) -> int:
    """How long this thread's connection waits for a lock (SQLite's busy handler)."""
    timeout: int = store._connection().execute("PRAGMA busy_timeout").fetchone()[0]
    return timeout


def test_the_event_loop_thread_waits_briefly_and_the_others_as_before(tmp_path: Path) -> None:
    # Made before any loop runs, as `draftsmith serve` does before uvicorn starts its loop on
    # the same thread: that thread's connection exists before it runs the loop.
    store = SqliteDraftStore(tmp_path / "drafts.db")
    try:
        assert busy_timeout_ms(store) == BUSY_SECONDS * 1000

        async def on_the_loop() -> int:
            return busy_timeout_ms(store)

        assert asyncio.run(on_the_loop()) == EVENT_LOOP_BUSY_SECONDS * 1000
        assert busy_timeout_ms(store) == BUSY_SECONDS * 1000

        in_worker: list[int] = []

        async def from_a_worker_thread() -> None:
            worker = threading.Thread(target=lambda: in_worker.append(busy_timeout_ms(store)))
            worker.start()
            await asyncio.to_thread(worker.join)

        asyncio.run(from_a_worker_thread())
        assert in_worker == [BUSY_SECONDS * 1000]
    finally:
        store.close()
