"""Run a render plan with the ffmpeg binary of imageio-ffmpeg: progress, failure, cancellation.

ffmpeg runs in a private working directory created next to the output (so the final rename
stays on one filesystem); it holds the plan's caption scripts, the fontconfig set-up, ffmpeg's
log and the partial MP4. The output appears under its own name only once it is complete.
"""

from __future__ import annotations

import functools
import os
import shutil
import subprocess
import tempfile
import threading
from collections import deque
from collections.abc import Callable, Iterable, Mapping
from pathlib import Path
from typing import IO

import imageio_ffmpeg

from draftsmith.errors import RenderCancelled, RenderFailed, RenderTimedOut
from draftsmith.render.fonts import write_fontconfig
from draftsmith.render.planner import EncoderSettings, RenderPlan, plan_render
from draftsmith.render.report import RenderReport
from draftsmith.timeline.model import Draft, StickerSegment

ProgressCallback = Callable[[int], None]
"""Called with a whole percentage, 0-100, each time it changes."""

_STOP_GRACE_SECONDS = 5.0
_LOG_TAIL_LINES = 12


@functools.cache
def ffmpeg_executable() -> str:
    """The ffmpeg binary shipped in the imageio-ffmpeg wheel; no system ffmpeg is needed."""
    return str(imageio_ffmpeg.get_ffmpeg_exe())


class Cancellation:
    """Lets another thread stop a render; cancelling before the render starts also works."""

    def __init__(self) -> None:
        self._lock = threading.Lock()
        self._cancelled = False
        self._process: subprocess.Popen[bytes] | None = None

    @property
    def cancelled(self) -> bool:
        return self._cancelled

    def cancel(self) -> None:
        with self._lock:
            self._cancelled = True
            if self._process is not None and self._process.poll() is None:
                self._process.terminate()

    def _attach(self, process: subprocess.Popen[bytes] | None) -> None:
        with self._lock:
            self._process = process
            if process is not None and self._cancelled:
                process.terminate()


def progress_percentages(lines: Iterable[bytes], duration_us: int) -> Iterable[int]:
    """Read ffmpeg's `-progress` key=value lines; yield each new whole percentage below 100."""
    last = -1
    for raw in lines:
        key, _, value = raw.decode("ascii", "replace").strip().partition("=")
        if key != "out_time_us" or not value.lstrip("-").isdigit():
            continue
        percent = min(99, max(0, int(value) * 100 // max(1, duration_us)))
        if percent > last:
            last = percent
            yield percent


def _log_tail(log: Path) -> str:
    with log.open("rb") as handle:
        lines = deque(handle, maxlen=_LOG_TAIL_LINES)
    return b"".join(lines).decode("utf-8", "replace").strip()


def _stop(process: subprocess.Popen[bytes]) -> None:
    if process.poll() is not None:
        return
    process.terminate()
    try:
        process.wait(_STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        process.kill()
        process.wait()


def run_plan(
    plan: RenderPlan,
    work_dir: Path,
    *,
    progress: ProgressCallback | None = None,
    cancel: Cancellation | None = None,
    time_limit: float | None = None,
) -> None:
    """Run `plan` with `work_dir` as ffmpeg's working directory; raise when it does not finish.

    Raises RenderCancelled if `cancel` was used, RenderTimedOut if ffmpeg still ran after
    `time_limit` seconds (it is stopped then), RenderFailed with the end of ffmpeg's log if
    ffmpeg failed. Whatever happens, no ffmpeg process is left running.
    """
    if cancel is not None and cancel.cancelled:
        raise RenderCancelled()
    for name, text in plan.files.items():
        (work_dir / name).write_text(text, encoding="utf-8")
    env = {**os.environ, "FONTCONFIG_FILE": str(write_fontconfig(work_dir))}
    log = work_dir / "ffmpeg.log"
    with log.open("wb") as stderr:
        process = subprocess.Popen(
            [ffmpeg_executable(), *plan.args],
            cwd=work_dir,
            env=env,
            stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE,
            stderr=stderr,
        )
    timed_out = threading.Event()

    def expire() -> None:
        if process.poll() is None:
            timed_out.set()
            process.terminate()

    timer = threading.Timer(time_limit, expire) if time_limit is not None else None
    try:
        if cancel is not None:
            cancel._attach(process)
        if timer is not None:
            timer.daemon = True
            timer.start()
        stdout: IO[bytes] | None = process.stdout
        assert stdout is not None
        for percent in progress_percentages(stdout, plan.duration_us):
            if progress is not None:
                progress(percent)
        status = process.wait()
    finally:
        if timer is not None:
            timer.cancel()
        _stop(process)
        if process.stdout is not None:
            process.stdout.close()
        if cancel is not None:
            cancel._attach(None)
    if cancel is not None and cancel.cancelled:
        raise RenderCancelled()
    if time_limit is not None and timed_out.is_set():
        raise RenderTimedOut(time_limit)
    if status != 0:
        raise RenderFailed(f"ffmpeg exited with status {status}: {_log_tail(log)}")


def render_draft(
    draft: Draft,
    media_paths: Mapping[str, Path],
    output: Path,
    *,
    progress: ProgressCallback | None = None,
    settings: EncoderSettings | None = None,
    cancel: Cancellation | None = None,
    time_limit: float | None = None,
    planned: Callable[[RenderReport], None] | None = None,
    stickers: Mapping[str, Path] | None = None,
) -> Path:
    """Render `draft` to the MP4 `output`, replacing it atomically; returns its absolute path.

    `media_paths` maps each media's SHA-256 to a local file (`blobs.materialise.local_media`).
    `progress` gets real progress read from ffmpeg, ending with 100 once `output` is in place;
    ffmpeg is stopped after `time_limit` seconds (see `run_plan`). `planned` gets the render
    report (what of the draft the video draws) once the plan is made, before ffmpeg runs.
    `stickers` maps sticker ids to pictures of them (`sticker_pictures`). On any failure
    `output` is left as it was and nothing else is left behind.
    """
    output = Path(output).absolute()
    paths = {sha: Path(path).absolute() for sha, path in media_paths.items()}
    partial_name = "partial.mp4"
    # Planning first: a draft that cannot render fails before anything touches the disk.
    pictures = {key: Path(path).absolute() for key, path in (stickers or {}).items()}
    plan = plan_render(draft, paths, Path(partial_name), settings, pictures)
    if planned is not None:
        planned(plan.report)
    try:
        output.parent.mkdir(parents=True, exist_ok=True)
        work_dir = Path(
            tempfile.mkdtemp(prefix=f".{output.name}.", suffix=".tmp", dir=output.parent)
        )
    except OSError as exc:
        raise RenderFailed(f"cannot write next to {output}: {exc}") from exc
    try:
        if progress is not None:
            progress(0)
        run_plan(plan, work_dir, progress=progress, cancel=cancel, time_limit=time_limit)
        partial = work_dir / partial_name
        if not partial.is_file():
            raise RenderFailed("ffmpeg finished without writing the video")
        try:
            os.replace(partial, output)
        except OSError as exc:
            raise RenderFailed(f"cannot write {output}: {exc}") from exc
    finally:
        shutil.rmtree(work_dir, ignore_errors=True)
    if progress is not None:
        progress(100)
    return output


STICKER_EXTENSIONS = (".png", ".webp", ".gif", ".jpg", ".jpeg")


def sticker_pictures(draft: Draft, directory: Path | None) -> dict[str, Path]:
    """The pictures of the draft's stickers found in `directory`, by sticker id: a file named
    for the id with one of STICKER_EXTENSIONS (the first found)."""
    if directory is None:
        return {}
    found = {}
    for track in draft.tracks:
        for segment in track.segments:
            if not isinstance(segment, StickerSegment) or segment.resource_id in found:
                continue
            for extension in STICKER_EXTENSIONS:
                path = directory / f"{segment.resource_id}{extension}"
                if path.is_file():
                    found[segment.resource_id] = path
                    break
    return found
