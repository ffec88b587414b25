"""Thumbnails: made once at ingest for video and image media, never failing an ingest."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from pathlib import Path

import av
import pytest

from draftsmith.blobs.local import LocalBlobStore
from draftsmith.errors import SaveFailed
from draftsmith.media.fetch import FetchLimits
from draftsmith.media.library import MediaLibrary
from draftsmith.media.thumbnail import (
    JPEG_MAGIC,
    THUMBNAIL_WIDTH,
    ThumbnailError,
    make_thumbnail,
    thumbnail_size,
)
from draftsmith.store.sqlite import SqliteDraftStore
from draftsmith.timeline.model import MediaKind
from support.media import StandardMedia
from support.media_server import MediaServer

LIMITS = FetchLimits(max_bytes=10_000_000, total_seconds=10, connect_seconds=5, allow_private=True)


def picture_size(jpeg: bytes, directory: Path) -> tuple[int, int]:
    path = directory / "thumb.jpg"
    path.write_bytes(jpeg)
    with av.open(str(path)) as container:
        frame = next(container.decode(video=0))
        return frame.width, frame.height


@pytest.mark.parametrize("name", ["bars", "red", "still"])
def test_video_and_image_thumbnails_are_small_jpegs(
    standard_media: StandardMedia, tmp_path: Path, name: str
) -> None:
    jpeg = make_thumbnail(getattr(standard_media, name))
    assert jpeg.startswith(JPEG_MAGIC)
    assert len(jpeg) < 50_000
    # The standard media are 320x240: the thumbnail keeps the 4:3 shape.
    assert picture_size(jpeg, tmp_path) == (THUMBNAIL_WIDTH, 120)


@pytest.mark.parametrize("name", ["tone", "fake"])
def test_audio_and_non_media_have_no_thumbnail(standard_media: StandardMedia, name: str) -> None:
    with pytest.raises(ThumbnailError):
        make_thumbnail(getattr(standard_media, name))


def test_thumbnail_sizes_keep_the_shape_with_even_sides() -> None:
    assert thumbnail_size(1920, 1080) == (160, 90)
    assert thumbnail_size(1080, 1920) == (160, 284)
    assert thumbnail_size(100, 1) == (160, 2)
    assert thumbnail_size(10, 10_000) == (160, 320)
    with pytest.raises(ThumbnailError):
        thumbnail_size(0, 10)


@pytest.fixture
def store(tmp_path: Path) -> Iterator[SqliteDraftStore]:
    store = SqliteDraftStore(tmp_path / "store.sqlite3")
    yield store
    store.close()


def test_ingest_records_the_thumbnail_blob(
    tmp_path: Path, store: SqliteDraftStore, media_server: MediaServer
) -> None:
    blobs = LocalBlobStore(tmp_path)
    media_library = MediaLibrary(store, blobs, LIMITS)
    media = media_library.get("f", media_server.url("bars.mp4"), MediaKind.VIDEO)
    assert media.thumbnail_sha256 is not None
    assert b"".join(blobs.open_chunks(media.thumbnail_sha256)).startswith(JPEG_MAGIC)
    # Remembered with the media: the next use of the URL neither fetches nor thumbnails again.
    assert store.media_for_url(media_server.url("bars.mp4")) == media
    audio = media_library.get("f", media_server.url("tone.mp3"), MediaKind.AUDIO)
    assert audio.thumbnail_sha256 is None


class ThumbnailRefusingBlobs(LocalBlobStore):
    """Stores media files but fails every small write, as a full disk might."""

    def put_bytes(self, data: bytes) -> str:
        raise SaveFailed()


def test_a_thumbnail_failure_never_fails_the_ingest(
    tmp_path: Path,
    store: SqliteDraftStore,
    media_server: MediaServer,
    caplog: pytest.LogCaptureFixture,
) -> None:
    blobs = ThumbnailRefusingBlobs(tmp_path)
    media_library = MediaLibrary(store, blobs, LIMITS)
    with caplog.at_level(logging.WARNING, logger="draftsmith.media"):
        media = media_library.get("f", media_server.url("still.png"), MediaKind.IMAGE)
    assert media.kind is MediaKind.IMAGE
    assert media.thumbnail_sha256 is None
    assert blobs.has(media.sha256)
    assert "no thumbnail" in caplog.text
