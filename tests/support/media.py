"""Real, small, deterministic test media made with the ffmpeg binary of imageio-ffmpeg."""

from __future__ import annotations

import functools
import subprocess
from dataclasses import dataclass
from pathlib import Path

import imageio_ffmpeg

# Strip encoder version strings and timestamps so the same call gives the same bytes.
_BITEXACT = ["-fflags", "+bitexact", "-flags:v", "+bitexact", "-flags:a", "+bitexact"]
_NO_METADATA = ["-map_metadata", "-1"]


class MediaGenerationError(RuntimeError):
    """ffmpeg refused to make a test file; `stderr` says why."""

    def __init__(self, command: list[str], stderr: str) -> None:
        self.command = command
        self.stderr = stderr
        super().__init__(f"ffmpeg failed: {' '.join(command)}\n{stderr}")


@functools.cache
def ffmpeg_exe() -> str:
    """Path of the ffmpeg binary shipped by imageio-ffmpeg (there is no system ffmpeg)."""
    return str(imageio_ffmpeg.get_ffmpeg_exe())


@functools.cache
def ffmpeg_encoders() -> frozenset[str]:
    """Names of the encoders the binary was built with."""
    result = subprocess.run(
        [ffmpeg_exe(), "-hide_banner", "-encoders"],
        check=True,
        capture_output=True,
        text=True,
    )
    names = set()
    for line in result.stdout.splitlines():
        fields = line.split()
        # Encoder lines look like " V....D libx264  description"; the legend lines are shorter.
        if len(fields) >= 2 and len(fields[0]) == 6 and fields[0][0] in "VAS":
            names.add(fields[1])
    return frozenset(names)


def run_ffmpeg(*args: str) -> None:
    """Run ffmpeg quietly with `args`, raising MediaGenerationError on failure."""
    command = [ffmpeg_exe(), "-hide_banner", "-loglevel", "error", "-nostdin", "-y", *args]
    try:
        subprocess.run(command, check=True, capture_output=True, text=True, timeout=60)
    except subprocess.CalledProcessError as exc:
        raise MediaGenerationError(command, exc.stderr) from exc


def make_video(
    path: Path,
    seconds: float = 3.0,
    *,
    width: int = 320,
    height: int = 240,
    color: str | None = None,
    with_audio: bool = True,
    fps: int = 30,
) -> Path:
    """Write an H.264/yuv420p (+ AAC sine) mp4: a test pattern, or a solid `color` if given."""
    path.parent.mkdir(parents=True, exist_ok=True)
    size = f"{width}x{height}"
    pattern = f"size={size}:rate={fps}:duration={seconds}"
    source = f"color=c={color}:{pattern}" if color else f"testsrc={pattern}"
    inputs = ["-f", "lavfi", "-i", source]
    maps = ["-map", "0:v"]
    audio: list[str] = ["-an"]
    if with_audio:
        inputs += ["-f", "lavfi", "-i", f"sine=frequency=440:sample_rate=44100:duration={seconds}"]
        maps += ["-map", "1:a"]
        audio = ["-c:a", "aac", "-b:a", "64k"]
    video = ["-c:v", "libx264", "-preset", "ultrafast", "-pix_fmt", "yuv420p", "-threads", "1"]
    run_ffmpeg(
        *inputs,
        *maps,
        *video,
        *audio,
        "-movflags",
        "+faststart",
        *_BITEXACT,
        *_NO_METADATA,
        str(path),
    )
    return path


def make_audio(path: Path, seconds: float = 3.0, freq: int = 440) -> Path:
    """Write a sine tone as mp3, or as m4a/AAC if the binary lacks libmp3lame.

    Returns the path actually written: its suffix is `.m4a` in the fallback case.
    """
    path.parent.mkdir(parents=True, exist_ok=True)
    if "libmp3lame" in ffmpeg_encoders():
        codec = ["-c:a", "libmp3lame", "-b:a", "64k"]
    else:
        path = path.with_suffix(".m4a")
        codec = ["-c:a", "aac", "-b:a", "64k"]
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"sine=frequency={freq}:sample_rate=44100:duration={seconds}",
        *codec,
        *_BITEXACT,
        *_NO_METADATA,
        str(path),
    )
    return path


def make_image(path: Path, width: int = 320, height: int = 240, color: str = "blue") -> Path:
    """Write a solid-colour RGB png."""
    path.parent.mkdir(parents=True, exist_ok=True)
    run_ffmpeg(
        "-f",
        "lavfi",
        "-i",
        f"color=c={color}:size={width}x{height}",
        "-frames:v",
        "1",
        "-update",
        "1",
        "-pix_fmt",
        "rgb24",
        *_BITEXACT,
        str(path),
    )
    return path


def make_text_file(path: Path, text: str = "This is not a media file.\n") -> Path:
    """Write plain text, whatever the suffix says; for "not media" tests."""
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(text, encoding="utf-8")
    return path


@dataclass(frozen=True)
class StandardMedia:
    """The set every test session gets, all in one directory (see `build_standard_media`)."""

    directory: Path
    bars: Path
    red: Path
    tone: Path
    still: Path
    fake: Path


def build_standard_media(directory: Path) -> StandardMedia:
    """Make bars.mp4 (3 s, audio), red.mp4 (2 s), tone.mp3 (3 s), still.png and fake.mp4."""
    return StandardMedia(
        directory=directory,
        bars=make_video(directory / "bars.mp4", seconds=3.0),
        red=make_video(directory / "red.mp4", seconds=2.0, color="red"),
        tone=make_audio(directory / "tone.mp3", seconds=3.0),
        still=make_image(directory / "still.png"),
        fake=make_text_file(directory / "fake.mp4"),
    )
