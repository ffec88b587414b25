"""Thumbnail strips: a few pictures spread over a video, side by side in one JPEG (a sprite),
made once at ingest for the UI to draw along each clip.

The ffmpeg binary of imageio-ffmpeg seeks to each picture's time on its own input (it decodes
from the nearest key frame, not the whole file), scales it to one height and stacks them.
Decoders refuse pictures over the media budget's pixel limit; ffmpeg is stopped after
STRIP_SECONDS.
"""

from __future__ import annotations

import subprocess
from pathlib import Path

import imageio_ffmpeg

from draftsmith.media.budget import MediaBudget
from draftsmith.media.thumbnail import JPEG_MAGIC

STRIP_FRAMES = 10
STRIP_HEIGHT = 54
STRIP_SECONDS = 30.0
MAX_STRIP_BYTES = 512 * 1024
_MIN_WIDTH, _MAX_WIDTH = 24, 192


class StripError(Exception):
    """No strip could be made of the file."""


def strip_frame_size(width: int, height: int) -> tuple[int, int]:
    """One picture of the strip: STRIP_HEIGHT high, the source's aspect ratio, even sides."""
    if width <= 0 or height <= 0:
        raise StripError("the picture has no size")
    scaled = round(STRIP_HEIGHT * width / height)
    scaled = max(_MIN_WIDTH, min(_MAX_WIDTH, scaled))
    return scaled - scaled % 2, STRIP_HEIGHT


def strip_times(duration_us: int, frames: int = STRIP_FRAMES) -> list[float]:
    """The times (seconds) of the strip's pictures: the middles of `frames` equal parts,
    kept a little before the end, where a seek may find no picture."""
    seconds = duration_us / 1_000_000
    last = max(0.0, seconds - 0.1)
    return [round(min(last, seconds * (index + 0.5) / frames), 3) for index in range(frames)]


def strip_command(
    path: Path, duration_us: int, width: int, height: int, budget: MediaBudget
) -> list[str]:
    frame_width, frame_height = strip_frame_size(width, height)
    times = strip_times(duration_us)
    inputs: list[str] = []
    chains = []
    for index, at in enumerate(times):
        inputs += ["-max_pixels", str(budget.max_pixels), "-ss", f"{at:g}", "-i", str(path)]
        chains.append(
            f"[{index}:v:0]scale={frame_width}:{frame_height},setsar=1,format=yuvj420p[f{index}]"
        )
    stacked = "".join(f"[f{index}]" for index in range(len(times)))
    graph = ";".join([*chains, f"{stacked}hstack=inputs={len(times)}[strip]"])
    return [
        imageio_ffmpeg.get_ffmpeg_exe(),
        *("-nostdin", "-hide_banner", "-loglevel", "error"),
        *inputs,
        *("-filter_complex", graph, "-map", "[strip]", "-frames:v", "1"),
        *("-c:v", "mjpeg", "-q:v", "5", "-f", "image2", "pipe:1"),
    ]


def make_strip(
    path: Path, duration_us: int, width: int, height: int, budget: MediaBudget | None = None
) -> bytes:
    """A JPEG of STRIP_FRAMES pictures of the video at `path`, left to right in time order;
    raises StripError."""
    if duration_us <= 0:
        raise StripError("the video has no length")
    command = strip_command(path, duration_us, width, height, budget or MediaBudget())
    try:
        done = subprocess.run(
            command,
            check=False,
            capture_output=True,
            timeout=STRIP_SECONDS,
            stdin=subprocess.DEVNULL,
        )
    except subprocess.TimeoutExpired as exc:
        raise StripError(f"ffmpeg took more than {STRIP_SECONDS:g} s") from exc
    except OSError as exc:
        raise StripError(f"ffmpeg could not run: {exc}") from exc
    data = done.stdout
    if done.returncode != 0 or not data.startswith(JPEG_MAGIC):
        detail = done.stderr.decode("utf-8", "replace").strip()[-300:]
        raise StripError(f"ffmpeg made no strip (status {done.returncode}): {detail}")
    if len(data) > MAX_STRIP_BYTES:
        raise StripError(f"the strip came out at {len(data)} bytes")
    return data
