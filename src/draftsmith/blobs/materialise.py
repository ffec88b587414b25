"""A blob as a local file, for the callers that need a path rather than bytes (ffmpeg).

The local store already has one (`local_path`). Object storage does not: the blob is copied
into a local directory first, once, and the copy is reused by later calls. The copy is written
under a temporary name, checked against its digest and renamed into place, so a reader never
sees a partial or corrupt file, and concurrent callers at worst download it twice.
"""

from __future__ import annotations

import contextlib
import hashlib
import os
import tempfile
from collections.abc import Iterator
from pathlib import Path
from typing import Protocol

from draftsmith.errors import DraftsmithError, RenderFailed
from draftsmith.timeline.model import Draft, StickerSegment, TrackKind


class BlobSource(Protocol):
    """The part of a BlobStore that reading a blob needs."""

    def local_path(self, sha256: str) -> Path | None: ...

    def open_chunks(self, sha256: str, chunk_size: int = ...) -> Iterator[bytes]: ...


def materialise(blobs: BlobSource, sha256: str, directory: Path) -> Path:
    """A file holding blob `sha256`: the store's own, or a verified copy in `directory`.

    Raises FileNotFoundError when the store has no such blob. Copies are named by digest and
    never removed here: `directory` is a cache its owner clears (a render's work directory, or
    the scratch directory).
    """
    own = blobs.local_path(sha256)
    if own is not None:
        if not own.is_file():
            raise FileNotFoundError(own)
        return own
    target = directory / sha256
    if target.is_file():
        return target
    directory.mkdir(parents=True, exist_ok=True)
    fd, temp = tempfile.mkstemp(dir=directory, prefix=f".{sha256[:12]}-")
    try:
        digest = hashlib.sha256()
        with os.fdopen(fd, "wb") as handle:
            for chunk in blobs.open_chunks(sha256):
                digest.update(chunk)
                handle.write(chunk)
        if digest.hexdigest() != sha256:
            raise DraftsmithError(f"Blob {sha256} read back with a different digest")
        os.replace(temp, target)
    except BaseException:
        Path(temp).unlink(missing_ok=True)
        raise
    return target


def local_media(draft: Draft, blobs: BlobSource, directory: Path) -> dict[str, Path]:
    """Local files for every media of `draft`: the blob store's own files, or copies made in
    `directory` when it keeps none (S3); RenderFailed names the first one missing. Pictures
    of stickers are included when the store has them: a render without one lists its sticker
    as not drawn."""
    paths = {}
    for media in draft.media():
        try:
            paths[media.sha256] = materialise(blobs, media.sha256, directory)
        except FileNotFoundError as exc:
            raise RenderFailed(f"media {media.file_name} is missing from the blob store") from exc
    for track in draft.tracks:
        if track.kind is not TrackKind.STICKER:
            continue
        for segment in track.segments:
            image = segment.image if isinstance(segment, StickerSegment) else None
            if image is None or image.sha256 in paths:
                continue
            with contextlib.suppress(FileNotFoundError):
                paths[image.sha256] = materialise(blobs, image.sha256, directory)
    return paths
