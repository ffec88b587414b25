"""Garbage collection of the file store: delete the blobs nothing references any more.

A blob is kept while a draft's tracks, a saved version (its files and its snapshot), a version's
export for another editor profile or a render job names it. Deleted drafts, pruned versions and
the exports of either leave blobs that nothing names; those go, but only once they are older
than the grace period, and only if no media lookup asked for them within it:

- a file put lately (a download that has not become a track yet, an export being written, a
  render finishing) is young, because a put of bytes already there renews its time too, and the
  store checks that time again just before it deletes;
- media an edit is about to use was marked used (`UpkeepStore.use_media`) by the lookup, which
  waits while a batch is being deleted: either the mark is seen and the media spared, or the
  lookup finds it gone and fetches it again.

Several processes may collect at once, and servers may run meanwhile: deleting is idempotent,
and everything above holds across processes on a shared store. Leftover temporary files
(downloads cut short by a crash) are deleted too once they are an hour old (or the grace period,
if longer).
"""

from __future__ import annotations

import contextlib
import logging
import os
import time
from collections.abc import Callable
from dataclasses import dataclass

from draftsmith.blobs.port import BlobStore
from draftsmith.metrics import Metrics
from draftsmith.store.port import UpkeepStore

TEMP_MIN_AGE_SECONDS = 3600.0
log = logging.getLogger("draftsmith.gc")


@dataclass(frozen=True)
class GcReport:
    """What one collection found and freed (with `dry_run`, what it would have freed)."""

    dry_run: bool
    blobs: int
    """Blobs in the store when it started."""
    referenced: int
    young: int
    """Blobs nothing references, spared because they are within the grace period."""
    freed: int
    freed_bytes: int
    temp_files: int
    temp_bytes: int

    def summary(self) -> str:
        verb = "would free" if self.dry_run else "freed"
        return (
            f"{verb} {self.freed} of {self.blobs} files ({self.freed_bytes} bytes) and "
            f"{self.temp_files} temporary files ({self.temp_bytes} bytes); "
            f"{self.referenced} referenced, {self.young} unreferenced but younger than the "
            "grace period"
        )


def collect_garbage(
    store: UpkeepStore,
    blobs: BlobStore,
    *,
    grace_seconds: float,
    dry_run: bool = False,
    metrics: Metrics | None = None,
    clock: Callable[[], float] = time.time,
) -> GcReport:
    """Delete (with `dry_run`, only count) what nothing references and is older than
    `grace_seconds`."""
    cutoff = clock() - grace_seconds
    # Listed before the references are read: a blob put after the listing is not a candidate.
    listed = {blob.sha256: blob for blob in blobs.list_blobs()}
    referenced = store.referenced_blobs()
    unreferenced = [blob for name, blob in listed.items() if name not in referenced]
    old = sorted(blob.sha256 for blob in unreferenced if blob.modified < cutoff)
    chosen: list[str] = []

    def remove(names: list[str]) -> list[str]:
        if dry_run:
            chosen.extend(names)
            return []
        gone = blobs.delete_blobs(names, cutoff)
        for blob in gone:
            listed[blob.sha256] = blob
        return [blob.sha256 for blob in gone]

    # Small batches: media lookups wait while one is deleted.
    removed = store.collect_blobs(old, round(cutoff * 1_000_000), remove, batch=200)
    freed = chosen if dry_run else removed
    freed_bytes = sum(listed[name].size for name in freed)
    temp = _old_temp_files(blobs, clock() - max(grace_seconds, TEMP_MIN_AGE_SECONDS))
    if not dry_run:
        for path, _ in temp:
            _unlink(path)
        if metrics is not None:
            metrics.gc_freed_blobs.inc(len(freed))
            metrics.gc_freed_bytes.inc(freed_bytes + sum(size for _, size in temp))
    report = GcReport(
        dry_run=dry_run,
        blobs=len(listed),
        referenced=len(listed) - len(unreferenced),
        young=len(unreferenced) - len(old),
        freed=len(freed),
        freed_bytes=freed_bytes,
        temp_files=len(temp),
        temp_bytes=sum(size for _, size in temp),
    )
    log.info("garbage collection: %s", report.summary())
    return report


def _old_temp_files(blobs: BlobStore, before: float) -> list[tuple[str, int]]:
    """Files (not directories: render workers tidy their own) in the scratch directory last
    written before `before`."""
    found = []
    try:
        entries = list(os.scandir(blobs.scratch_dir()))
    except FileNotFoundError:
        return []
    for entry in entries:
        try:
            if entry.is_file(follow_symlinks=False):
                stat = entry.stat(follow_symlinks=False)
                if stat.st_mtime < before:
                    found.append((entry.path, stat.st_size))
        except FileNotFoundError:
            continue
    return found


def _unlink(path: str) -> None:
    with contextlib.suppress(FileNotFoundError):
        os.unlink(path)
