"""The runner: real progress from ffmpeg, typed failures, cancellation and atomic output."""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from dataclasses import replace
from pathlib import Path

import pytest

from draftsmith.blobs.materialise import local_media
from draftsmith.errors import InvalidInput, RenderCancelled, RenderFailed
from draftsmith.render import Cancellation, render_draft
from draftsmith.render.runner import progress_percentages
from draftsmith.timeline.model import Draft, TrackKind
from render.drafts import BLUE, TWO_COLOUR, media_segment, showcase, span, track
from render.probe import probe
from support.media import make_text_file


def still_draft(seconds: int) -> Draft:
    """The blue image for `seconds`: long enough for ffmpeg to report progress on the way."""
    still = media_segment("still", BLUE, span(0, seconds * 1000))
    return replace(showcase(), tracks=(track("v", TrackKind.VIDEO, still),))


def leftovers(directory: Path, keep: set[str]) -> list[str]:
    return sorted(path.name for path in directory.iterdir() if path.name not in keep)


def test_progress_lines_become_rising_percentages() -> None:
    lines = [
        b"frame=1\n",
        b"out_time_us=N/A\n",
        b"out_time_us=-23000\n",
        b"out_time_us=500000\n",
        b"progress=continue\n",
        b"out_time_us=500000\n",
        b"out_time_us=1999999\n",
        b"out_time_us=2500000\n",
        b"progress=end\n",
    ]
    assert list(progress_percentages(lines, 2_000_000)) == [0, 25, 99]


def test_progress_is_real_and_ends_at_100(tmp_path: Path, media_paths: dict[str, Path]) -> None:
    seen: list[int] = []
    output = render_draft(
        still_draft(20), media_paths, tmp_path / "still.mp4", progress=seen.append
    )
    assert seen[0] == 0 and seen[-1] == 100
    assert seen == sorted(seen) and len(set(seen)) == len(seen)
    assert any(0 < p < 100 for p in seen), f"no progress between start and end: {seen}"
    assert probe(output).duration_s == pytest.approx(20, abs=1 / 30)
    assert leftovers(tmp_path, {"still.mp4"}) == []


def test_ffmpeg_failure_raises_with_its_message_and_keeps_the_old_output(
    tmp_path: Path, media_paths: dict[str, Path]
) -> None:
    output = tmp_path / "out.mp4"
    output.write_bytes(b"previous render")
    broken = {**media_paths, TWO_COLOUR.sha256: make_text_file(tmp_path / "broken.mp4")}
    with pytest.raises(RenderFailed) as caught:
        render_draft(showcase(), broken, output)
    assert caught.value.code == "render_failed" and caught.value.status == 500
    assert "broken.mp4" in caught.value.detail
    assert output.read_bytes() == b"previous render"
    assert leftovers(tmp_path, {"out.mp4", "broken.mp4"}) == []


def test_cancel_from_another_thread_stops_ffmpeg(
    tmp_path: Path, media_paths: dict[str, Path]
) -> None:
    cancel = Cancellation()
    started = threading.Event()

    def on_progress(percent: int) -> None:
        if percent > 0:
            started.set()

    def cancel_once_started() -> None:
        if started.wait(30):
            cancel.cancel()

    timer = threading.Thread(target=cancel_once_started)
    timer.start()
    began = time.monotonic()
    with pytest.raises(RenderCancelled):
        render_draft(
            still_draft(600), media_paths, tmp_path / "out.mp4", progress=on_progress, cancel=cancel
        )
    timer.join()
    assert time.monotonic() - began < 20, "a 10 minute render was not cut short"
    assert leftovers(tmp_path, set()) == []


def test_cancelled_before_start_never_renders(tmp_path: Path, media_paths: dict[str, Path]) -> None:
    cancel = Cancellation()
    cancel.cancel()
    with pytest.raises(RenderCancelled):
        render_draft(showcase(), media_paths, tmp_path / "out.mp4", cancel=cancel)
    assert leftovers(tmp_path, set()) == []


class Blobs:
    """The part of a BlobStore `local_media` reads."""

    def __init__(self, paths: dict[str, Path]) -> None:
        self.paths = paths

    def local_path(self, sha256: str) -> Path | None:
        return self.paths.get(sha256)

    def open_chunks(self, sha256: str, chunk_size: int = 1024 * 1024) -> Iterator[bytes]:
        raise FileNotFoundError(sha256)


def test_local_media_names_what_the_blob_store_lacks(
    media_paths: dict[str, Path], tmp_path: Path
) -> None:
    assert local_media(showcase(), Blobs(media_paths), tmp_path) == media_paths
    partial = {sha: path for sha, path in media_paths.items() if sha != BLUE.sha256}
    with pytest.raises(RenderFailed, match=BLUE.sha256):
        local_media(showcase(), Blobs(partial), tmp_path)


def test_empty_draft_fails_before_touching_the_disk(tmp_path: Path) -> None:
    with pytest.raises(InvalidInput, match="empty"):
        render_draft(replace(showcase(), tracks=()), {}, tmp_path / "sub" / "out.mp4")
    assert leftovers(tmp_path, set()) == []
