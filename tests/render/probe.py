"""Look inside rendered MP4s with PyAV: stream facts, frame colours and sound levels."""

from __future__ import annotations

import math
from array import array
from collections.abc import Sequence
from dataclasses import dataclass
from fractions import Fraction
from pathlib import Path

import av

Colour = tuple[float, float, float]

RED: Colour = (255, 0, 0)
YELLOW: Colour = (255, 255, 0)
GREEN: Colour = (0, 128, 0)
BLUE: Colour = (0, 0, 255)
BLACK: Colour = (0, 0, 0)
WHITE: Colour = (255, 255, 255)
PINK: Colour = (255, 128, 128)
"""White at alpha 0.5 over red."""


@dataclass(frozen=True)
class VideoInfo:
    duration_s: float
    width: int
    height: int
    fps: Fraction
    codec: str
    pixel_format: str
    audio_codec: str | None
    audio_channels: int


def probe(path: Path) -> VideoInfo:
    with av.open(str(path)) as container:
        video = container.streams.video[0]
        assert video.duration is not None and video.average_rate is not None
        assert video.time_base is not None and video.codec_context.format is not None
        audio = container.streams.audio[0] if container.streams.audio else None
        return VideoInfo(
            duration_s=float(video.duration * video.time_base),
            width=video.codec_context.width,
            height=video.codec_context.height,
            fps=Fraction(video.average_rate),
            codec=video.codec_context.name,
            pixel_format=str(video.codec_context.format.name),
            audio_codec=audio.codec_context.name if audio else None,
            audio_channels=audio.codec_context.channels if audio else 0,
        )


@dataclass(frozen=True)
class Picture:
    """One decoded frame as packed RGB."""

    width: int
    height: int
    stride: int
    rgb: bytes

    def mean(self, box: tuple[int, int, int, int] | None = None) -> Colour:
        """Mean colour of the (left, top, right, bottom) box, or of the whole frame."""
        left, top, right, bottom = box or (0, 0, self.width, self.height)
        sums = [0, 0, 0]
        for row in range(top, bottom):
            line = self.rgb[row * self.stride + left * 3 : row * self.stride + right * 3]
            for channel in range(3):
                sums[channel] += sum(line[channel::3])
        count = (right - left) * (bottom - top)
        return (sums[0] / count, sums[1] / count, sums[2] / count)

    def differs(self, other: Picture, box: tuple[int, int, int, int]) -> float:
        """Mean absolute difference between two frames over `box`, per channel value."""
        left, top, right, bottom = box
        total = 0
        for row in range(top, bottom):
            start, end = row * self.stride + left * 3, row * self.stride + right * 3
            mine = self.rgb[start:end]
            theirs = other.rgb[row * other.stride + left * 3 : row * other.stride + right * 3]
            total += sum(abs(a - b) for a, b in zip(mine, theirs, strict=True))
        return total / ((right - left) * (bottom - top) * 3)

    def changed(self, other: Picture, box: tuple[int, int, int, int], threshold: int = 64) -> int:
        """How many pixels in `box` differ from `other` by more than `threshold` in a channel."""
        left, top, right, bottom = box
        count = 0
        for row in range(top, bottom):
            mine = self.rgb[row * self.stride + left * 3 : row * self.stride + right * 3]
            theirs = other.rgb[row * other.stride + left * 3 : row * other.stride + right * 3]
            for x in range(0, len(mine), 3):
                if any(abs(mine[x + c] - theirs[x + c]) > threshold for c in range(3)):
                    count += 1
        return count

    def pixels_near(
        self, colour: Colour, box: tuple[int, int, int, int], tolerance: int = 60
    ) -> list[tuple[int, int]]:
        """The (x, y) of each pixel in `box` within `tolerance` of `colour` in every channel."""
        left, top, right, bottom = box
        found = []
        for y in range(top, bottom):
            row = self.rgb[y * self.stride : y * self.stride + self.width * 3]
            for x in range(left, right):
                pixel = row[x * 3 : x * 3 + 3]
                if all(abs(c - e) <= tolerance for c, e in zip(pixel, colour, strict=True)):
                    found.append((x, y))
        return found

    def box_of(self, colour: Colour, tolerance: int = 60) -> tuple[int, int, int, int] | None:
        """(left, top, right, bottom) around every pixel near `colour`; None when none is."""
        found = self.pixels_near(colour, (0, 0, self.width, self.height), tolerance)
        if not found:
            return None
        xs = [x for x, _ in found]
        ys = [y for _, y in found]
        return min(xs), min(ys), max(xs) + 1, max(ys) + 1

    def centroid(self, colour: Colour, tolerance: int = 60) -> tuple[float, float] | None:
        """The mean (x, y) of the pixels near `colour` (pixel centres); None when none is."""
        found = self.pixels_near(colour, (0, 0, self.width, self.height), tolerance)
        if not found:
            return None
        return (
            sum(x for x, _ in found) / len(found) + 0.5,
            sum(y for _, y in found) / len(found) + 0.5,
        )

    def saturation(self) -> float:
        """Mean of max - min channel over the frame: 0 for greys."""
        total = 0
        for row in range(self.height):
            line = self.rgb[row * self.stride : row * self.stride + self.width * 3]
            for x in range(0, len(line), 3):
                pixel = line[x : x + 3]
                total += max(pixel) - min(pixel)
        return total / (self.width * self.height)


def frames_at(path: Path, times: Sequence[float]) -> dict[float, Picture]:
    """The frame on screen at each of `times` (seconds)."""
    shown: dict[float, tuple[float, Picture]] = {}
    with av.open(str(path)) as container:
        stream = container.streams.video[0]
        assert stream.time_base is not None
        for frame in container.decode(stream):
            assert frame.pts is not None
            at = float(frame.pts * stream.time_base)
            rgb = frame.reformat(format="rgb24")
            plane = rgb.planes[0]
            picture = Picture(rgb.width, rgb.height, plane.line_size, bytes(plane))
            for t in times:
                if at <= t + 1e-6 and (t not in shown or shown[t][0] < at):
                    shown[t] = (at, picture)
    return {t: shown[t][1] for t in times}


def mono_samples(path: Path, rate: int = 48_000) -> array[int]:
    """The audio as 16-bit mono at `rate`, sample 0 at time 0."""
    resampler = av.AudioResampler(format="s16", layout="mono", rate=rate)
    samples: array[int] = array("h")
    with av.open(str(path)) as container:
        stream = container.streams.audio[0]
        for frame in container.decode(stream):
            for chunk in resampler.resample(frame):
                assert chunk.pts is not None
                start = int(chunk.pts * chunk.time_base * rate) if chunk.time_base else len(samples)
                if start > len(samples):
                    samples.extend([0] * (start - len(samples)))
                data = array("h", bytes(chunk.planes[0])[: chunk.samples * 2])
                samples[start : start + len(data)] = data
    return samples


def rms(samples: array[int], start_s: float, end_s: float, rate: int = 48_000) -> float:
    window = samples[int(start_s * rate) : int(end_s * rate)]
    assert window, "window outside the audio"
    return math.sqrt(sum(s * s for s in window) / len(window))


def close(colour: Colour, expected: Colour, tolerance: float = 16) -> bool:
    return all(abs(a - b) <= tolerance for a, b in zip(colour, expected, strict=True))
