"""Media files the blob store keeps for drafts, as the edges need them: thumbnails made at
ingest, and local files of a saved draft's media for rendering on this machine."""

from __future__ import annotations

import re
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

from draftsmith.blobs.materialise import local_media
from draftsmith.errors import NotFound
from draftsmith.media.thumbnail import JPEG_MAGIC
from draftsmith.media.waveform import MAX_WAVEFORM_BYTES, read_waveform
from draftsmith.service.policy import UseCases
from draftsmith.timeline.model import Draft

MAX_THUMBNAIL_BYTES = 1024 * 1024
_SHA256 = re.compile(r"[0-9a-f]{64}")


class MediaFileUseCases(UseCases):
    def thumbnail(self, sha256: str) -> bytes:
        """The JPEG thumbnail named by its content hash; NotFound for anything else (another
        blob, a large one), so the blob store cannot be read through it."""
        missing = NotFound("No such thumbnail")
        if not _SHA256.fullmatch(sha256) or not self._blobs.has(sha256):
            raise missing
        if self._blobs.size(sha256) > MAX_THUMBNAIL_BYTES:
            raise missing
        data = b"".join(self._blobs.open_chunks(sha256))
        if not data.startswith(JPEG_MAGIC):
            raise missing
        return data

    def waveform(self, sha256: str) -> bytes:
        """A waveform document made at ingest, by its content hash; NotFound for any other
        blob."""
        missing = NotFound("No such waveform")
        if not _SHA256.fullmatch(sha256) or not self._blobs.has(sha256):
            raise missing
        if self._blobs.size(sha256) > MAX_WAVEFORM_BYTES:
            raise missing
        data = b"".join(self._blobs.open_chunks(sha256))
        if read_waveform(data) is None:
            raise missing
        return data

    @contextmanager
    def local_media(self, draft: Draft) -> Iterator[dict[str, Path]]:
        """A local file for each media of `draft`, by SHA-256, for ffmpeg: the blob store's
        own files, or copies in a scratch directory removed on leaving (object storage)."""
        with tempfile.TemporaryDirectory(dir=self._blobs.scratch_dir()) as copies:
            yield local_media(draft, self._blobs, Path(copies))
