"""The media library: a URL is fetched once, checked, probed and kept by content hash.

At most `MediaBudget.concurrency` files are downloaded, probed and thumbnailed at once by one
library; the others wait for a turn, as long as a download may take, and are then told to
come back later (503).
"""

from __future__ import annotations

import dataclasses
import hashlib
import logging
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import AbstractContextManager, contextmanager, nullcontext
from pathlib import Path

from draftsmith.blobs.port import BlobStore
from draftsmith.errors import DraftsmithError, MediaRejected, SaveFailed, Unavailable
from draftsmith.media.budget import MediaBudget
from draftsmith.media.fetch import FetchLimits, check_url, download
from draftsmith.media.probe import probe
from draftsmith.media.strip import STRIP_FRAMES, StripError, make_strip
from draftsmith.media.thumbnail import ThumbnailError, make_thumbnail
from draftsmith.media.waveform import WaveformError, make_waveform
from draftsmith.metrics import Metrics
from draftsmith.store.port import DraftStore, UpkeepStore
from draftsmith.timeline.model import Media, MediaKind

_USE_INSTEAD = {MediaKind.IMAGE: "add_images", MediaKind.AUDIO: "add_audios"}
log = logging.getLogger("draftsmith.media")


class MediaLibrary:
    def __init__(
        self,
        store: DraftStore,
        blobs: BlobStore,
        limits: FetchLimits,
        budget: MediaBudget | None = None,
        metrics: Metrics | None = None,
        mark_every_us: int = 0,
        away: Callable[[], AbstractContextManager[None]] = nullcontext,
    ) -> None:
        """`mark_every_us`: how long a media URL's mark of use (garbage collection spares
        what was used within its grace period) is fresh enough not to be written again; at
        most half that grace period (0: every lookup marks it). `away`: what the calling
        thread is in while it waits for a turn, downloads and probes (the server's request
        turns let another request work meanwhile, turns.py)."""
        self._away = away
        self._store = store
        # Known once: a runtime Protocol check looks every method up, at each lookup otherwise.
        self._marks = store if isinstance(store, UpkeepStore) else None
        self._mark_every_us = mark_every_us
        self._metrics = metrics if metrics is not None else Metrics()
        self._blobs = blobs
        self._limits = limits
        self._budget = budget or MediaBudget()
        self._turns = threading.BoundedSemaphore(self._budget.concurrency)

    @property
    def max_bytes(self) -> int:
        """The largest file fetched (and the largest draft zip uploaded)."""
        return self._limits.max_bytes

    def get(self, field: str, url: str, accept: MediaKind) -> Media:
        """The media behind `url`, fetched only if it was never fetched before."""
        check_url(field, url, self._limits)
        media = self._known(url)
        if media is None or not self._blobs.has(media.sha256):
            media = self._fetch(field, url)
        _check_kind(field, media, accept)
        return media

    def _known(self, url: str) -> Media | None:
        """What `url` served before, marked used now: garbage collection either waits for this
        mark and then spares the media, or ran first and then it is gone (None) or its file
        is (and the caller fetches it again)."""
        if self._marks is not None:
            now = time.time_ns() // 1000
            fresh_after = now - self._mark_every_us if self._mark_every_us > 0 else None
            return self._marks.use_media(url, now, fresh_after)
        return self._store.media_for_url(url)

    def inspect(self, field: str, url: str) -> Media:
        """What `url` serves, as probing finds it, without keeping the file (get_audio_duration
        and audio_timelines). Media fetched before is answered from the store."""
        check_url(field, url, self._limits)
        known = self._store.media_for_url(url)
        if known is not None:
            return known
        with self._turn(field):
            downloaded = download(field, url, self._limits, self._blobs.scratch_dir())
            try:
                return probe(
                    field, downloaded.path, downloaded.sha256, downloaded.size, self._budget
                )
            finally:
                Path(downloaded.path).unlink(missing_ok=True)

    def download(self, field: str, url: str) -> Path:
        """The file at `url`, fetched under the media rules and limits into a scratch file
        the caller owns (import_draft's zip_url)."""
        check_url(field, url, self._limits)
        with self._turn(field):
            return download(field, url, self._limits, self._blobs.scratch_dir()).path

    def ingest_file(self, field: str, path: Path, sha256: str, size: int) -> Media:
        """A local file (one an imported draft brought) checked, probed and kept as fetched
        media are; the caller owns `path`."""
        with self._turn(field):
            media = probe(field, path, sha256, size, self._budget)
            media, thumbnail = self._with_thumbnail(media, path)
            self._blobs.put_file(path, sha256)
            if thumbnail is not None and not self._put_thumbnail(media, thumbnail):
                media = dataclasses.replace(media, thumbnail_sha256=None)
        return media

    def _fetch(self, field: str, url: str) -> Media:
        with self._turn(field):
            try:
                downloaded = download(field, url, self._limits, self._blobs.scratch_dir())
            except DraftsmithError as exc:
                self._metrics.media_fetch_failures.labels(exc.code).inc()
                raise
            try:
                media = probe(
                    field, downloaded.path, downloaded.sha256, downloaded.size, self._budget
                )
                media, thumbnail = self._with_thumbnail(media, downloaded.path)
                media, pictures = self._with_pictures(media, downloaded.path)
                # Remembered before its files are put: garbage collection running meanwhile
                # either waits for this and spares them, or is done before they are put.
                self._store.remember_media(url, media)
                self._blobs.put_file(downloaded.path, downloaded.sha256)
                if thumbnail is not None and not self._put_thumbnail(media, thumbnail):
                    media = dataclasses.replace(media, thumbnail_sha256=None)
                    self._store.remember_media(url, media)
                kept = self._put_pictures(media, pictures)
                if kept != media:
                    media = kept
                    self._store.remember_media(url, media)
            except DraftsmithError as exc:
                self._metrics.media_fetch_failures.labels(exc.code).inc()
                raise
            finally:
                Path(downloaded.path).unlink(missing_ok=True)
        self._metrics.media_fetched.inc()
        self._metrics.media_fetched_bytes.inc(downloaded.size)
        return media

    @contextmanager
    def _turn(self, field: str) -> Iterator[None]:
        """Hold one of the library's download-and-probe turns while the block runs."""
        wait = self._limits.total_seconds
        with self._away():
            if not self._turns.acquire(timeout=wait):
                raise Unavailable(
                    f"{field}: the server is already fetching {self._budget.concurrency} media "
                    f"files and none finished within {wait:g} s; try again later"
                )
            try:
                yield
            finally:
                self._turns.release()

    def _with_thumbnail(self, media: Media, path: Path) -> tuple[Media, bytes | None]:
        """`media` naming a thumbnail of its first picture, and the thumbnail's bytes (not
        put yet); a thumbnail is never worth a failure."""
        if media.kind is MediaKind.AUDIO:
            return media, None
        try:
            thumbnail = make_thumbnail(path, self._budget)
        except ThumbnailError as exc:
            log.warning("no thumbnail for media %s: %s", media.sha256, exc)
            return media, None
        sha256 = hashlib.sha256(thumbnail).hexdigest()
        return dataclasses.replace(media, thumbnail_sha256=sha256), thumbnail

    def _with_pictures(self, media: Media, path: Path) -> tuple[Media, _Pictures]:
        """`media` naming its thumbnail strip (videos) and waveform (media with sound), and
        their bytes (not put yet); like a thumbnail, neither is worth a failure."""
        strip = waveform = None
        duration = media.duration_us or 0
        if media.kind is MediaKind.VIDEO and media.width and media.height:
            try:
                strip = make_strip(path, duration, media.width, media.height, self._budget)
            except StripError as exc:
                log.warning("no thumbnail strip for media %s: %s", media.sha256, exc)
        if media.kind is MediaKind.AUDIO or media.has_audio:
            try:
                waveform = make_waveform(path, duration)
            except WaveformError as exc:
                log.warning("no waveform for media %s: %s", media.sha256, exc)
        named = dataclasses.replace(
            media,
            strip_sha256=_digest(strip),
            strip_frames=STRIP_FRAMES if strip is not None else 0,
            waveform_sha256=_digest(waveform),
        )
        return named, _Pictures(strip, waveform)

    def _put_pictures(self, media: Media, pictures: _Pictures) -> Media:
        """`media` without the pictures that could not be put."""
        if pictures.strip is not None and not self._put_blob(media, "strip", pictures.strip):
            media = dataclasses.replace(media, strip_sha256=None, strip_frames=0)
        if pictures.waveform is not None and not self._put_blob(
            media, "waveform", pictures.waveform
        ):
            media = dataclasses.replace(media, waveform_sha256=None)
        return media

    def _put_blob(self, media: Media, what: str, data: bytes) -> bool:
        try:
            self._blobs.put_bytes(data)
        except SaveFailed as exc:
            log.warning("no %s for media %s: %s", what, media.sha256, exc)
            return False
        return True

    def _put_thumbnail(self, media: Media, thumbnail: bytes) -> bool:
        try:
            self._blobs.put_bytes(thumbnail)
        except SaveFailed as exc:
            log.warning("no thumbnail for media %s: %s", media.sha256, exc)
            return False
        return True


@dataclasses.dataclass(frozen=True)
class _Pictures:
    strip: bytes | None
    waveform: bytes | None


def _digest(data: bytes | None) -> str | None:
    return None if data is None else hashlib.sha256(data).hexdigest()


def _check_kind(field: str, media: Media, accept: MediaKind) -> None:
    if accept is MediaKind.AUDIO and media.has_audio:
        return
    if media.kind is not accept:
        hint = _USE_INSTEAD.get(media.kind, "add_videos")
        raise MediaRejected(f"{field}: expected {accept} but the file is {media.kind}; use {hint}")
