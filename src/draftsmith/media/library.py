"""The media library: a URL is fetched once, checked, probed and kept by content hash."""

from __future__ import annotations

import dataclasses
import logging
from pathlib import Path

from draftsmith.blobs.port import BlobStore
from draftsmith.errors import MediaRejected, SaveFailed
from draftsmith.media.fetch import FetchLimits, check_url, download
from draftsmith.media.probe import probe
from draftsmith.media.thumbnail import ThumbnailError, make_thumbnail
from draftsmith.store.port import DraftStore
from draftsmith.timeline.model import Media, MediaKind

_USE_INSTEAD = {MediaKind.IMAGE: "add_images", MediaKind.AUDIO: "add_audios"}
log = logging.getLogger("draftsmith.media")


class MediaLibrary:
    def __init__(self, store: DraftStore, blobs: BlobStore, limits: FetchLimits) -> None:
        self._store = store
        self._blobs = blobs
        self._limits = limits

    def get(self, field: str, url: str, accept: MediaKind) -> Media:
        """The media behind `url`, fetched only if it was never fetched before."""
        check_url(field, url, self._limits)
        media = self._store.media_for_url(url)
        if media is None or not self._blobs.has(media.sha256):
            media = self._fetch(field, url)
        _check_kind(field, media, accept)
        return media

    def inspect(self, field: str, url: str) -> Media:
        """What `url` serves, as probing finds it, without keeping the file (get_audio_duration
        and audio_timelines). Media fetched before is answered from the store."""
        check_url(field, url, self._limits)
        known = self._store.media_for_url(url)
        if known is not None:
            return known
        downloaded = download(field, url, self._limits, self._blobs.scratch_dir())
        try:
            return probe(field, downloaded.path, downloaded.sha256, downloaded.size)
        finally:
            Path(downloaded.path).unlink(missing_ok=True)

    def _fetch(self, field: str, url: str) -> Media:
        downloaded = download(field, url, self._limits, self._blobs.scratch_dir())
        try:
            media = probe(field, downloaded.path, downloaded.sha256, downloaded.size)
            media = self._with_thumbnail(media, downloaded.path)
            self._blobs.put_file(downloaded.path, downloaded.sha256)
        finally:
            Path(downloaded.path).unlink(missing_ok=True)
        self._store.remember_media(url, media)
        return media

    def _with_thumbnail(self, media: Media, path: Path) -> Media:
        """`media` with a thumbnail of its first picture; a thumbnail is never worth a failure."""
        if media.kind is MediaKind.AUDIO:
            return media
        try:
            sha256 = self._blobs.put_bytes(make_thumbnail(path))
        except (ThumbnailError, SaveFailed) as exc:
            log.warning("no thumbnail for media %s: %s", media.sha256, exc)
            return media
        return dataclasses.replace(media, thumbnail_sha256=sha256)


def _check_kind(field: str, media: Media, accept: MediaKind) -> None:
    if accept is MediaKind.AUDIO and media.has_audio:
        return
    if media.kind is not accept:
        hint = _USE_INSTEAD.get(media.kind, "add_videos")
        raise MediaRejected(f"{field}: expected {accept} but the file is {media.kind}; use {hint}")
