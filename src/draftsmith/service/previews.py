"""Previews: the draft as it is now, saved or not, rendered small and fast by the same renderer
(render/preview.py), for a look before a render. A preview is no render job: it is made while
the caller waits, belongs to no version, and its video is a blob nothing references, which
garbage collection removes after its grace period.

Previews are bounded like renders: the render size limits apply, ffmpeg runs under the render
time limit, one preview of a draft is made at a time and at most `PreviewSettings.at_once` by
one process.
"""

from __future__ import annotations

import hashlib
import shutil
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

from draftsmith.errors import (
    InvalidInput,
    NotFound,
    PreviewInProgress,
    RenderLimitExceeded,
    Unavailable,
)
from draftsmith.render.preview import PreviewEncoder, preview_canvas
from draftsmith.render.report import RenderReport
from draftsmith.render.runner import render_draft, sticker_pictures
from draftsmith.security.caller import Caller
from draftsmith.service.media_files import MediaFileUseCases
from draftsmith.service.rendering import RenderUseCases
from draftsmith.timeline.model import Canvas

PREVIEW_MAX_US = 10 * 60 * 1_000_000
"""The longest draft previewed, whatever the render limit: a preview is made while one waits."""
MAX_PREVIEW_BYTES = 512 * 1024 * 1024
"""The largest blob served as a preview video."""
_MP4_BOX = b"ftyp"


@dataclass(frozen=True)
class PreviewSettings:
    """What bounds previews; the render settings give the time limit and sticker pictures."""

    at_once: int = 2
    time_factor: float = 10.0
    min_time_seconds: float = 60.0
    sticker_images: Path | None = None
    max_us: int = PREVIEW_MAX_US

    def time_limit(self, duration_us: int) -> float:
        return max(self.min_time_seconds, self.time_factor * duration_us / 1_000_000)


@dataclass(frozen=True)
class Preview:
    """A preview made of `draft_id` at `revision` (the draft's current_version then)."""

    draft_id: str
    revision: int
    saved_version: int | None
    unsaved_changes: bool
    canvas: Canvas
    duration_us: int
    video_sha256: str
    video_size: int
    made_at_us: int
    report: RenderReport


class PreviewGate:
    """One preview per draft at a time, and at most `at_once` in this process."""

    def __init__(self, at_once: int) -> None:
        self._at_once = at_once
        self._lock = threading.Lock()
        self._drafts: set[str] = set()

    @contextmanager
    def turn(self, draft_id: str) -> Iterator[None]:
        with self._lock:
            if draft_id in self._drafts:
                raise PreviewInProgress()
            if len(self._drafts) >= self._at_once:
                raise Unavailable(
                    f"The server is already making {self._at_once} previews; try again shortly",
                    retry_after=2,
                )
            self._drafts.add(draft_id)
        try:
            yield
        finally:
            with self._lock:
                self._drafts.discard(draft_id)


class PreviewUseCases(RenderUseCases, MediaFileUseCases):
    def preview(
        self, caller: Caller, draft_id: str, settings: PreviewSettings, gate: PreviewGate
    ) -> Preview:
        """Render the draft as it is now to a small MP4 kept in the blob store.

        InvalidInput for an empty draft, RenderLimitExceeded past the render size limits or
        `settings.max_us`, PreviewInProgress while this draft's preview is being made,
        Unavailable when the process makes as many previews as it may; RenderFailed (or
        RenderTimedOut) when ffmpeg fails.
        """
        self._writable()
        self._owned(caller, draft_id)
        header, draft = self._store.load(draft_id)
        if draft.duration <= 0:
            raise InvalidInput("Nothing to preview: the draft is empty")
        if draft.duration > settings.max_us:
            raise RenderLimitExceeded(
                f"The draft lasts {draft.duration / 1_000_000:g} s; previews are made of drafts "
                f"of at most {settings.max_us / 1_000_000:g} s (render it instead)"
            )
        self.check_render_size(draft.canvas, draft.duration)
        reports: list[RenderReport] = []
        with gate.turn(draft_id), self.local_media(draft) as media:
            work = Path(tempfile.mkdtemp(prefix="preview-", dir=self._blobs.scratch_dir()))
            try:
                output = render_draft(
                    draft,
                    media,
                    work / "preview.mp4",
                    settings=PreviewEncoder(),
                    time_limit=settings.time_limit(draft.duration),
                    planned=reports.append,
                    stickers=sticker_pictures(draft, settings.sticker_images),
                )
                with output.open("rb") as handle:
                    sha256 = hashlib.file_digest(handle, "sha256").hexdigest()
                size = output.stat().st_size
                self._blobs.put_file(output, sha256)
            finally:
                shutil.rmtree(work, ignore_errors=True)
        return Preview(
            draft_id=draft_id,
            revision=header.revision,
            saved_version=header.saved_version or None,
            unsaved_changes=header.unsaved_changes,
            canvas=preview_canvas(draft.canvas),
            duration_us=draft.duration,
            video_sha256=sha256,
            video_size=size,
            made_at_us=self._clock(),
            report=reports[0] if reports else RenderReport(),
        )

    def preview_video_size(self, caller: Caller, draft_id: str, sha256: str) -> int:
        """The size of a preview video of the caller's draft; NotFound for anything that is
        not an MP4 blob (the route serves it only to a signed link or with keys off)."""
        self._owned(caller, draft_id)
        missing = NotFound("No such preview: it expired; make a new one")
        if not self._blobs.has(sha256):
            raise missing
        size = self._blobs.size(sha256)
        head = b"".join(self._blobs.open_range(sha256, 0, min(size, 12)))
        if size > MAX_PREVIEW_BYTES or head[4:8] != _MP4_BOX:
            raise missing
        return size

    def preview_video_range(self, sha256: str, start: int, end: int) -> Iterator[bytes]:
        return self._blobs.open_range(sha256, start, end)
